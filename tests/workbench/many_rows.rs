//! Actions over many rows: `R` queues a slice at a time and each row once,
//! a row's job is cancelled alone, an action pressed again with nothing in
//! between costs nothing, and Ctrl-Z asks to suspend from any mode.

use crate::fixture::*;
use gvmi::tui::app::{Effect, Msg};
use gvmi::tui::event::Event;
use gvmi::tui::rows::RowState;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key_of(app: &mut Bench, c: char) -> Option<Effect> {
    press(app, KeyCode::Char(c))
}

/// `n` rows, each hashed once.
fn hashed_rows(n: usize) -> Bench {
    let mut app = app(100, 20);
    for i in 0..n {
        let job = discover(&mut app, &format!("img{i:05}.gvmi"), 10, 1);
        finish(&mut app, job, 10, 1, (i % 200) as u8);
    }
    app.apply(Event::DiscoveryDone);
    app
}

#[test]
fn rehashing_one_row_again_cancels_its_own_job_not_the_others() {
    let mut app = hashed_rows(3);
    let Some(Effect::Hash { jobs, tokens }) = press(&mut app, KeyCode::Char('R')) else {
        panic!("R rehashes");
    };
    assert_eq!((jobs.len(), tokens.len()), (3, 3));
    progress(&mut app, jobs[0].id, 10, 5); // the selected (first) row starts
    let Some(Effect::Hash { jobs: again, .. }) = press(&mut app, KeyCode::Char('r')) else {
        panic!("r rehashes a started row");
    };
    assert_eq!(again.len(), 1);
    assert!(tokens[0].is_cancelled(), "its old job stops");
    assert!(
        !tokens[1].is_cancelled() && !tokens[2].is_cancelled(),
        "the others go on"
    );
    finish(&mut app, jobs[1].id, 10, 1, 7);
    assert_eq!(
        app.rows()[app.view().ids()[1]].state,
        RowState::Done(digest(7))
    );
}

#[test]
fn r_queues_a_slice_at_a_time_and_a_queued_row_once() {
    let mut app = hashed_rows(1_200);
    let Some(Effect::Hash { jobs, .. }) = press(&mut app, KeyCode::Char('R')) else {
        panic!("R rehashes");
    };
    assert!(
        jobs.len() < 1_200 && app.sweeping(),
        "a first slice: {}",
        jobs.len()
    );
    let mut queued = jobs.len();
    while app.sweeping() {
        for effect in app.send(Msg::Sweep) {
            if let Effect::Hash { jobs, .. } = effect {
                queued += jobs.len();
            }
        }
    }
    assert_eq!(queued, 1_200, "every row, once");
    // Nothing started since: every row waits in the queue, so R again
    // queues nothing, however often.
    assert!(press(&mut app, KeyCode::Char('R')).is_none());
    while app.sweeping() {
        assert!(app.send(Msg::Sweep).is_empty());
    }
}

#[test]
fn an_action_over_every_row_pressed_again_with_nothing_between_costs_nothing() {
    let mut app = hashed_rows(2);
    set_base_url(&mut app, "/images", "https://cdn.example.com/");
    assert!(matches!(key_of(&mut app, 'V'), Some(Effect::Verify(jobs)) if jobs.len() == 2));
    assert!(
        key_of(&mut app, 'V').is_none(),
        "again at once: the same checks"
    );
    key_of(&mut app, 'j');
    assert!(
        matches!(key_of(&mut app, 'V'), Some(Effect::Verify(_))),
        "after another key"
    );
    app.apply(Event::Status("something happened".into()));
    assert!(
        matches!(key_of(&mut app, 'V'), Some(Effect::Verify(_))),
        "after an event"
    );
}

#[test]
fn ctrl_z_asks_to_suspend_from_any_mode() {
    let mut app = hashed_rows(1);
    let ctrl_z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert!(matches!(key(&mut app, ctrl_z), Some(Effect::Suspend)));
    press(&mut app, KeyCode::Char('e'));
    assert!(matches!(key(&mut app, ctrl_z), Some(Effect::Suspend)));
    assert!(!app.quitting());
}

#[test]
fn v_queues_its_checks_a_slice_at_a_time_and_tallies_them_all() {
    let mut app = hashed_rows(1_200);
    set_base_url(&mut app, "/images", "https://cdn.example.com/");
    let Some(Effect::Verify(first)) = press(&mut app, KeyCode::Char('V')) else {
        panic!("V verifies");
    };
    assert!(
        first.len() < 1_200 && app.sweeping(),
        "a first slice: {}",
        first.len()
    );
    assert_eq!(
        status(&app).as_deref(),
        Some(format!("Verifying {} URLs so far…", first.len()).as_str())
    );
    let mut checks = first;
    while app.sweeping() {
        for effect in app.send(Msg::Sweep) {
            if let Effect::Verify(jobs) = effect {
                checks.extend(jobs);
            }
        }
    }
    assert_eq!(checks.len(), 1_200, "every row, once");
    assert_eq!(status(&app).as_deref(), Some("Verifying 1200 URLs…"));
    for check in &checks {
        let result = Ok(gvmi_core::verify::Verified {
            final_url: check.url.clone(),
            bytes: 10,
        });
        let id = check.id;
        app.apply(Event::Worker(gvmi::tui::event::WorkerEvent::Verified {
            id,
            result,
        }));
    }
    assert_eq!(status(&app).as_deref(), Some("1200/1200 served."));
}
