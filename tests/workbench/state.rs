//! The workbench state: sort, filter, selection, rehash and events, without a terminal.

use crate::fixture::*;
use gvmi::tui::app::{Effect, Mode};
use gvmi::tui::event::Event;
use gvmi::tui::rows::{RowState, SortKey};
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};

fn names(app: &Bench) -> Vec<String> {
    app.view()
        .ids()
        .iter()
        .map(|&i| app.rows()[i].name())
        .collect()
}

fn selected_name(app: &Bench) -> String {
    app.selected_row().unwrap().name()
}

#[test]
fn sort_cycles_name_size_modified_state() {
    let mut app = app(100, 20);
    let big = discover(&mut app, "b-big.gvmi", 900, 1);
    discover(&mut app, "a-small.gvmi", 10, 3);
    discover(&mut app, "c-mid.gvmi", 500, 2);
    assert_eq!(names(&app), ["a-small.gvmi", "b-big.gvmi", "c-mid.gvmi"]);
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.view().sort(), SortKey::Size);
    assert_eq!(names(&app), ["b-big.gvmi", "c-mid.gvmi", "a-small.gvmi"]);
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(names(&app), ["a-small.gvmi", "c-mid.gvmi", "b-big.gvmi"]);
    press(&mut app, KeyCode::Char('s'));
    progress(&mut app, big, 900, 100);
    frame(&mut app);
    assert_eq!(
        names(&app)[0],
        "b-big.gvmi",
        "hashing rows come first by state"
    );
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.view().sort(), SortKey::Name);
}

#[test]
fn filter_matches_name_path_or_hash_prefix_and_esc_clears() {
    let mut app = app(100, 20);
    let a = discover(&mut app, "alpine.gvmi", 10, 1);
    discover(&mut app, "deep/ubuntu.gvmi", 10, 1);
    finish(&mut app, a, 10, 1, 7);
    press(&mut app, KeyCode::Char('/'));
    for c in "DEEP".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    assert_eq!(names(&app), ["ubuntu.gvmi"]);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.view().filter(), "");
    assert_eq!(names(&app).len(), 2);
    let prefix = digest(7).to_hex()[..6].to_string();
    press(&mut app, KeyCode::Char('/'));
    for c in prefix.chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(names(&app), ["alpine.gvmi"]);
    assert_eq!(app.view().filter(), prefix, "Enter keeps the filter");
}

/// The filter prompt takes readline's kills, as the URL editor does:
/// Ctrl-W the word (a path segment) before the cursor, Ctrl-U the line.
#[test]
fn the_filter_prompt_kills_a_word_and_the_line() {
    let mut app = app(100, 20);
    discover(&mut app, "alpine.gvmi", 10, 1);
    discover(&mut app, "deep/ubuntu.gvmi", 10, 1);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "deep/zzz");
    assert!(names(&app).is_empty());
    ctrl(&mut app, 'w');
    assert_eq!(app.view().filter(), "deep/");
    assert_eq!(names(&app), ["ubuntu.gvmi"], "the view follows");
    ctrl(&mut app, 'w');
    assert_eq!(app.view().filter(), "");
    typed(&mut app, "ubu");
    assert_eq!(names(&app), ["ubuntu.gvmi"]);
    ctrl(&mut app, 'u');
    assert_eq!(app.view().filter(), "");
    assert_eq!(names(&app).len(), 2);
    assert_eq!(app.mode(), &gvmi::tui::app::Mode::Filter, "still filtering");
    typed(&mut app, "alp");
    assert_eq!(names(&app), ["alpine.gvmi"]);
}

#[test]
fn selection_stays_on_the_same_image_while_rows_arrive() {
    let mut app = app(100, 20);
    discover(&mut app, "m.gvmi", 1, 1);
    discover(&mut app, "n.gvmi", 1, 1);
    press(&mut app, KeyCode::Down);
    assert_eq!(selected_name(&app), "n.gvmi");
    discover(&mut app, "a.gvmi", 1, 1);
    discover(&mut app, "b.gvmi", 1, 1);
    assert_eq!(selected_name(&app), "n.gvmi");
    assert_eq!(app.view().cursor(), Some(3));
}

#[test]
fn navigation_keys_clamp_and_page() {
    let mut app = app(100, 10);
    for i in 0..30 {
        discover(&mut app, &format!("img-{i:02}.gvmi"), 1, 1);
    }
    press(&mut app, KeyCode::End);
    assert_eq!(selected_name(&app), "img-29.gvmi");
    press(&mut app, KeyCode::Down);
    assert_eq!(selected_name(&app), "img-29.gvmi");
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.view().cursor(), Some(app.page_rows()));
    assert!(
        app.view().offset() > 0,
        "the page scrolled to keep the selection visible"
    );
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.view().cursor(), Some(app.page_rows() - 1));
}

#[test]
fn rehash_requeues_and_ignores_the_superseded_job() {
    let mut app = app(100, 20);
    let id = discover(&mut app, "a.gvmi", 100, 1);
    progress(&mut app, id, 100, 50);
    let Some(Effect::Hash { jobs, tokens }) = press(&mut app, KeyCode::Char('r')) else {
        panic!("r must queue a rehash");
    };
    assert_eq!(jobs.len(), 1);
    assert_ne!(jobs[0].id, id);
    assert_eq!(first_row(&app).state, RowState::Queued);
    // The old job's late result must not overwrite the new state.
    finish(&mut app, id, 100, 1, 1);
    assert_eq!(first_row(&app).state, RowState::Queued);
    finish(&mut app, jobs[0].id, 100, 1, 2);
    assert_eq!(first_row(&app).state, RowState::Done(digest(2)));
    assert!(!tokens[0].is_cancelled());
    assert!(!app.busy() || !app.discovery_done());
}

#[test]
fn rehash_all_covers_every_row() {
    let mut app = app(100, 20);
    let a = discover(&mut app, "a.gvmi", 1, 1);
    let b = discover(&mut app, "b.gvmi", 1, 1);
    finish(&mut app, a, 1, 1, 1);
    finish(&mut app, b, 1, 1, 2);
    app.apply(Event::DiscoveryDone);
    assert!(!app.busy());
    let Some(Effect::Hash { jobs, .. }) = press(&mut app, KeyCode::Char('R')) else {
        panic!("R must queue every row");
    };
    assert_eq!(jobs.len(), 2);
    assert!(app.busy());
}

#[test]
fn copy_hash_needs_a_hash_and_quit_cancels_work() {
    let mut app = app(100, 20);
    let a = discover(&mut app, "a.gvmi", 1, 1);
    assert!(press(&mut app, KeyCode::Char('y')).is_none());
    assert!(app.notes().status().unwrap().contains("No hash yet"));
    finish(&mut app, a, 1, 1, 4);
    match press(&mut app, KeyCode::Char('y')) {
        Some(Effect::Copy { text, .. }) => assert_eq!(text, digest(4).to_hex()),
        other => panic!("expected a copy, got {other:?}"),
    }
    assert!(press(&mut app, KeyCode::Char('q')).is_none());
    assert!(app.quitting());
}

#[test]
fn progress_events_update_the_row_and_the_tally() {
    let mut app = app(100, 20);
    let a = discover(&mut app, "a.gvmi", 1000, 1);
    progress(&mut app, a, 1000, 400);
    assert_eq!(first_row(&app).state, RowState::Hashing { done: 400 });
    assert_eq!(app.tally().bytes_done(), 400);
    finish(&mut app, a, 1000, 1, 1);
    assert_eq!(app.tally().files_done, 1);
    assert_eq!(app.tally().bytes_done(), 1000);
}

/// Rows arriving one at a time are placed by binary search; the view must be
/// exactly what a full filter-and-sort gives, under every sort and a filter.
#[test]
fn rows_arriving_land_where_a_full_sort_puts_them() {
    for (sort_presses, filter) in [(0, ""), (1, ""), (2, ""), (0, "b"), (1, "7")] {
        let mut app = app(100, 20);
        for _ in 0..sort_presses {
            press(&mut app, KeyCode::Char('s'));
        }
        if !filter.is_empty() {
            press(&mut app, KeyCode::Char('/'));
            for c in filter.chars() {
                press(&mut app, KeyCode::Char(c));
            }
            press(&mut app, KeyCode::Enter);
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for n in 0..200u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Equal names in other folders, equal sizes and times: ties break by path.
            let name = format!(
                "d{}/img-{}{}.gvmi",
                x % 5,
                ["a", "b", "c"][(x % 3) as usize],
                x % 11
            );
            discover(&mut app, &name, x % 7 * 100, (x >> 8) % 4 + n % 2);
            let full = gvmi::tui::rows::visible(app.rows(), app.view().sort(), app.view().filter());
            assert_eq!(
                app.view().ids(),
                full,
                "after {n} rows, sort {:?}, filter {filter:?}",
                app.view().sort()
            );
        }
        assert!(
            app.view()
                .selected()
                .is_some_and(|s| app.view().ids().contains(&s))
                || app.view().ids().is_empty()
        );
    }
}

fn typed(app: &mut Bench, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn esc_closes_the_topmost_thing_and_never_quits() {
    let mut app = app(100, 20);
    discover(&mut app, "alpine.gvmi", 10, 1);
    discover(&mut app, "ubuntu.gvmi", 10, 1);
    // A kept filter and the details pane: Esc closes the pane first.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "alp");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.view().show_details());
    assert!(press(&mut app, KeyCode::Esc).is_none());
    assert!(!app.view().show_details() && app.view().filter() == "alp");
    assert!(press(&mut app, KeyCode::Esc).is_none());
    assert_eq!(app.view().filter(), "");
    assert_eq!(names(&app).len(), 2);
    // Help open: Esc closes it.
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(*app.mode(), Mode::Help);
    assert!(press(&mut app, KeyCode::Esc).is_none());
    assert_eq!(*app.mode(), Mode::Normal);
    // The editor open: Esc cancels it, the URL unchanged.
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, "https://x/");
    assert!(press(&mut app, KeyCode::Esc).is_none());
    assert_eq!(*app.mode(), Mode::Normal);
    assert_eq!(app.serving().url_for(app.selected_row().unwrap()), None);
    // Nothing left to close: still running, and it says how to quit.
    assert!(press(&mut app, KeyCode::Esc).is_none());
    assert!(!app.quitting());
    assert!(app.notes().status().unwrap().contains("q quits"));
    assert!(press(&mut app, KeyCode::Char('q')).is_none());
    assert!(app.quitting());
}

#[test]
fn ctrl_c_quits_from_any_mode() {
    let mut app = app(100, 20);
    discover(&mut app, "a.gvmi", 10, 1);
    press(&mut app, KeyCode::Char('e'));
    let effect = key(
        &mut app,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    );
    assert!(effect.is_none() && app.quitting());
}

#[test]
fn the_url_editor_moves_its_cursor_and_kills_words() {
    let mut app = app(100, 20);
    discover(&mut app, "a.gvmi", 10, 1);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, "http://cdn/img/a.gvmi");
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    key(&mut app, ctrl('w'));
    press(&mut app, KeyCode::Home);
    for _ in 0..4 {
        press(&mut app, KeyCode::Right);
    }
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::End);
    typed(&mut app, "a.gvmi");
    let effect = press(&mut app, KeyCode::Enter);
    let url = app.serving().url_for(app.selected_row().unwrap());
    assert_eq!(url.as_deref(), Some("https://cdn/img/a.gvmi"));
    assert!(matches!(effect, Some(Effect::RememberUrl(_))), "{effect:?}");
}

#[test]
fn a_huge_paste_is_refused_at_once_and_a_url_paste_lands() {
    let mut app = app(100, 20);
    discover(&mut app, "a.gvmi", 10, 1);
    press(&mut app, KeyCode::Char('e'));
    let started = std::time::Instant::now();
    input(&mut app, TermEvent::Paste("x".repeat(200 * 1024)));
    assert!(started.elapsed() < std::time::Duration::from_millis(200));
    assert!(
        app.notes().status().unwrap().contains("refused"),
        "{:?}",
        app.notes().status()
    );
    input(
        &mut app,
        TermEvent::Paste("https://cdn.example.com/a.gvmi\n".into()),
    );
    press(&mut app, KeyCode::Enter);
    let url = app.serving().url_for(app.selected_row().unwrap());
    assert_eq!(url.as_deref(), Some("https://cdn.example.com/a.gvmi"));
}

/// URLs set with `e` and `b` in one session are there in the next: the
/// effects go through the saved-URLs file the workbench keeps.
#[test]
fn urls_set_with_e_and_b_survive_a_restart() {
    use gvmi::tui::saved_urls::SavedUrls;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gvmi/workbench-urls.v1.json");
    let mut first = app(100, 20);
    discover(&mut first, "a.gvmi", 10, 1);
    discover(&mut first, "b.gvmi", 10, 1);
    let mut saved = SavedUrls::default();
    let mut keep = |effect: Option<Effect>| match effect {
        Some(Effect::RememberUrl(change)) => saved.apply(&change),
        other => panic!("expected RememberUrl, got {other:?}"),
    };
    press(&mut first, KeyCode::Char('e'));
    typed(&mut first, "https://one.example/a.gvmi");
    keep(press(&mut first, KeyCode::Enter));
    press(&mut first, KeyCode::Down);
    press(&mut first, KeyCode::Char('b'));
    typed(&mut first, "https://base.example/");
    keep(press(&mut first, KeyCode::Enter));
    saved.save(&file).unwrap();

    let mut second = app(100, 20);
    second.apply(Event::SavedUrls(Ok(SavedUrls::load(&file).unwrap())));
    discover(&mut second, "a.gvmi", 10, 1);
    discover(&mut second, "b.gvmi", 10, 1);
    let urls: Vec<Option<String>> = second
        .rows()
        .iter()
        .map(|r| second.serving().url_for(r))
        .collect();
    assert_eq!(
        urls,
        [
            Some("https://one.example/a.gvmi".to_string()),
            Some("https://base.example/b.gvmi".to_string())
        ]
    );
}

/// A row with no hash says which kind of failure it is; the words come
/// from `Display`.
#[test]
fn failures_are_kept_by_kind() {
    use gvmi::tui::rows::RowFailure;
    use gvmi_core::hasher::HashFailure;
    let mut app = app(100, 20);
    problem(&mut app, "pipe.gvmi", "not a regular file (FIFO)");
    let denied = discover(&mut app, "denied.gvmi", 10, 1);
    fail(
        &mut app,
        denied,
        HashFailure::Io("Permission denied".into()),
    );
    let cancelled = discover(&mut app, "cancelled.gvmi", 10, 1);
    fail(&mut app, cancelled, HashFailure::Cancelled);
    let moved = discover(&mut app, "moved.gvmi", 10, 1);
    fail(&mut app, moved, HashFailure::Changed);
    let state = |name: &str| app.rows()[row_id(&app, name)].state.clone();
    let unusable = RowFailure::Unusable("not a regular file (FIFO)".into());
    assert_eq!(state("pipe.gvmi"), RowState::Failed(unusable));
    let unreadable = RowFailure::Unreadable("Permission denied".into());
    assert_eq!(state("denied.gvmi"), RowState::Failed(unreadable));
    assert_eq!(
        state("cancelled.gvmi"),
        RowState::Failed(RowFailure::Cancelled)
    );
    assert_eq!(state("moved.gvmi"), RowState::Changed);
    assert_eq!(RowFailure::Cancelled.to_string(), "cancelled");
}

/// The cache's thread is told of every hashing job that ends, so it can
/// forget when the job began: a fresh result to keep, or none (failed,
/// superseded by a rehash, answered from the cache).
#[test]
fn the_cache_hears_of_every_job_that_ends() {
    use gvmi::tui::event::CacheNote;
    let mut app = app(100, 20);
    let fresh = discover(&mut app, "a.gvmi", 10, 1);
    let failed = discover(&mut app, "b.gvmi", 10, 1);
    let superseded = discover(&mut app, "c.gvmi", 10, 1);
    let hit = discover(&mut app, "d.gvmi", 10, 1);
    finish(&mut app, fresh, 10, 1, 1);
    fail(
        &mut app,
        failed,
        gvmi_core::hasher::HashFailure::Io("EIO".into()),
    );
    progress(&mut app, superseded, 10, 5);
    let c = row_id(&app, "c.gvmi");
    select(&mut app, c);
    assert!(matches!(
        press(&mut app, KeyCode::Char('r')),
        Some(Effect::Hash { .. })
    ));
    fail(
        &mut app,
        superseded,
        gvmi_core::hasher::HashFailure::Cancelled,
    );
    app.apply(Event::Cache(CacheNote::Hit { id: hit }));
    finish(&mut app, hit, 10, 1, 4);
    let done: Vec<(usize, bool)> = (app.take_effects().into_iter())
        .filter_map(|e| match e {
            Effect::JobDone { job, fresh } => Some((job, fresh.is_some())),
            _ => None,
        })
        .collect();
    assert_eq!(
        done,
        [
            (fresh, true),
            (failed, false),
            (superseded, false),
            (hit, false)
        ]
    );
}
