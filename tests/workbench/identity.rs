//! Rows are named by `RowId`, not by position: what is known about a row
//! (inspection, URL check, change marks) stays with it whatever happens to
//! the rows around it.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::fixture::*;
use crate::support::self_test;
use gvmi::tui::app::Effect;
use gvmi::tui::event::WorkerEvent;
use gvmi::tui::event::{CacheNote, Event};
use gvmi::tui::findings::UrlCheck;
use gvmi::tui::rows::{Listed, RowId};
use gvmi_core::digest::Sha3Digest;
use gvmi_core::event::JobId;
use gvmi_core::gvmi_format::inspect_bytes;
use gvmi_core::verify::Verified;
use gvmi_core::watch::Change;
use ratatui::crossterm::event::KeyCode;

/// Answers every inspection the app asked for with `bytes`' inspection.
fn inspect_all(app: &mut Bench, bytes: &[u8]) {
    for effect in app.take_effects() {
        if let Effect::Inspect { id, .. } = effect {
            let result = Ok(Box::new(inspect_bytes(bytes)));
            app.apply(Event::Worker(WorkerEvent::Inspected { id, result }));
        }
    }
}

/// A hashed row, inspected as `bytes`.
fn hashed(app: &mut Bench, name: &str, seed: u8, bytes: &[u8]) -> (RowId, JobId) {
    let job = discover(app, name, 100, 1);
    finish(app, job, 100, 1, seed);
    inspect_all(app, bytes);
    (row_id(app, name), job)
}

fn state_cell(app: &Bench, name: &str) -> String {
    let text = screen(app);
    let line = text.lines().find(|l| l.contains(name));
    line.unwrap_or_else(|| panic!("{name} not on screen:\n{text}"))
        .to_string()
}

/// The confirmed bug: removing an invalid image above a valid one moved
/// its "✗ invalid" onto the valid one.
#[test]
fn removing_an_invalid_image_leaves_the_next_row_valid() {
    let mut app = app(120, 20);
    let (a, _) = hashed(&mut app, "a-broken.gvmi", 1, b"random bytes, not an image");
    let (b, _) = hashed(&mut app, "b-good.gvmi", 2, &self_test());
    assert!(app.findings().is_invalid(a));
    assert!(!app.findings().is_invalid(b));
    assert!(state_cell(&app, "a-broken.gvmi").starts_with("✗ invalid"));
    let path = PathBuf::from("/images/a-broken.gvmi");
    app.apply(Event::Watch(Change::Removed { path }));
    assert!(app.rows().get(a).is_none());
    assert!(
        app.findings().inspection(a).is_none(),
        "the removed row's finding is gone"
    );
    assert!(!app.findings().is_invalid(b));
    assert!(app.findings().inspection(b).is_some_and(|r| r.is_ok()));
    let cell = state_cell(&app, "b-good.gvmi");
    assert!(cell.starts_with("✓ done"), "{cell}");
    assert_eq!(
        app.view().selected(),
        Some(b),
        "the selection moves to the row below"
    );
}

/// What is known about `good` (valid, URL served, listed, stale cache
/// mark) and `bad` (invalid), checked after each change around them.
struct Known {
    good: RowId,
    bad: RowId,
    /// `good`'s and `bad`'s "hash before" marks.
    previous: [Option<Sha3Digest>; 2],
    /// Whether `good`'s URL check still holds (a rehash voids it).
    served: bool,
}

impl Known {
    fn holds(&self, app: &Bench, after: &str) {
        assert!(!app.findings().is_invalid(self.good), "after {after}");
        assert!(app.findings().is_invalid(self.bad), "after {after}");
        assert_eq!(
            matches!(
                app.findings().url_check(self.good),
                Some(UrlCheck::Done { result: Ok(_), .. })
            ),
            self.served,
            "after {after}: {:?}",
            app.findings().url_check(self.good)
        );
        assert!(
            app.findings().url_check(self.bad).is_none(),
            "after {after}"
        );
        let good = &app.rows()[self.good];
        assert_eq!(good.name(), "m-good.gvmi", "after {after}");
        assert_eq!(good.listed, Listed::As(digest(2)), "after {after}");
        assert_eq!(good.previous, self.previous[0], "after {after}");
        assert_eq!(
            app.rows()[self.bad].listed,
            Listed::NotListed,
            "after {after}"
        );
        assert_eq!(
            app.rows()[self.bad].previous,
            self.previous[1],
            "after {after}"
        );
    }
}

#[test]
fn rows_keep_inspection_url_and_marks_whatever_moves_around_them() {
    let mut app = app(120, 20);
    let (_, _) = hashed(&mut app, "k-above.gvmi", 1, &self_test());
    // The cache knew another hash for m-good: its "before" mark.
    let job = discover(&mut app, "m-good.gvmi", 100, 1);
    app.apply(Event::Cache(CacheNote::Stale {
        id: job,
        old: digest(9),
    }));
    finish(&mut app, job, 100, 1, 2);
    inspect_all(&mut app, &self_test());
    let good = row_id(&app, "m-good.gvmi");
    let (bad, _) = hashed(&mut app, "z-bad.gvmi", 3, b"not an image");
    set_url(&mut app, good, Some("https://cdn.example.com/m-good.gvmi"));
    select(&mut app, good);
    let Some(Effect::Verify(jobs)) = press(&mut app, KeyCode::Char('v')) else {
        panic!("v verifies the selected row");
    };
    let ok = Verified {
        final_url: "https://cdn.example.com/m-good.gvmi".into(),
        bytes: 100,
    };
    let id = jobs[0].id;
    app.apply(Event::Worker(WorkerEvent::Verified { id, result: Ok(ok) }));
    let sums = HashMap::from([(PathBuf::from("/images/m-good.gvmi"), digest(2))]);
    let folder = PathBuf::from("/images");
    app.apply(Event::Sums { folder, sums });
    let mut known = Known {
        good,
        bad,
        previous: [Some(digest(9)), None],
        served: true,
    };
    known.holds(&app, "setting up");

    let path = PathBuf::from("/images/k-above.gvmi");
    app.apply(Event::Watch(Change::Removed { path }));
    known.holds(&app, "removing a row above");

    let (_, _) = hashed(&mut app, "a-new.gvmi", 4, b"also not an image");
    assert_eq!(
        app.view().ids()[0],
        row_id(&app, "a-new.gvmi"),
        "sorted above"
    );
    known.holds(&app, "a new row sorted above");

    for _ in 0..4 {
        press(&mut app, KeyCode::Char('s'));
        known.holds(&app, &format!("sorting by {}", app.view().sort().label()));
    }

    press(&mut app, KeyCode::Char('/'));
    for c in "good".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.view().ids(), vec![good]);
    assert_eq!(app.view().selected(), Some(good));
    known.holds(&app, "a filter");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.view().ids().len(), 3);
    known.holds(&app, "clearing the filter");

    // Rehash every row; each comes back with its old hash.
    let Some(Effect::Hash { jobs, .. }) = press(&mut app, KeyCode::Char('R')) else {
        panic!("R rehashes every row");
    };
    for job in jobs.iter().rev() {
        let seed = match job.path.file_name().and_then(|n| n.to_str()) {
            Some("m-good.gvmi") => 2,
            Some("z-bad.gvmi") => 3,
            _ => 4,
        };
        finish(&mut app, job.id, 100, 1, seed);
    }
    for effect in app.take_effects() {
        let Effect::Inspect { id, path } = effect else {
            continue;
        };
        let bytes = if path.ends_with("m-good.gvmi") {
            self_test()
        } else {
            b"junk".to_vec()
        };
        let result = Ok(Box::new(inspect_bytes(&bytes)));
        app.apply(Event::Worker(WorkerEvent::Inspected { id, result }));
    }
    // A rehash makes the row's own last hash its "before" one, and voids
    // the URL check (proved of the bytes read before); the rest stays.
    known.previous = [Some(digest(2)), Some(digest(3))];
    known.served = false;
    known.holds(&app, "a rehash");
}
