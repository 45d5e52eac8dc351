//! The workbench's change marks, manifest opinions, duplicates and watched
//! rows, driven by events as the cache, feed and watcher send them.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::fixture::*;
use gvmi::tui::app::Effect;
use gvmi::tui::event::{CacheNote, Event};
use gvmi::tui::rows::{Listed, RowState};
use gvmi_core::watch::Change;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn row<'a>(app: &'a Bench, name: &str) -> &'a gvmi::tui::rows::Row {
    app.rows().iter().find(|r| r.name() == name).unwrap()
}

/// The hashing the app asked for (a finished row also asks to be inspected).
fn hash_effects(app: &mut Bench) -> Vec<Effect> {
    app.take_effects()
        .into_iter()
        .filter(|e| matches!(e, Effect::Hash { .. }))
        .collect()
}

fn select_name(app: &mut Bench, name: &str) {
    let id = row_id(app, name);
    select(app, id);
}

#[test]
fn a_cache_hit_is_marked_cached_and_shown_at_once() {
    let mut app = app(150, 30);
    let id = discover(&mut app, "a.gvmi", 100, 1);
    app.apply(Event::Cache(CacheNote::Hit { id }));
    finish(&mut app, id, 100, 1, 7);
    let r = row(&app, "a.gvmi");
    assert!(r.cached);
    assert_eq!(r.state, RowState::Done(digest(7)));
    assert!(screen(&app).contains("✓ cached"));
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("from the cache, not read"));
}

#[test]
fn a_rebuilt_image_shows_old_and_new_hash_or_says_the_hash_held() {
    let mut app = app(150, 30);
    let a = discover(&mut app, "a.gvmi", 100, 1);
    let b = discover(&mut app, "b.gvmi", 100, 1);
    app.apply(Event::Cache(CacheNote::Stale {
        id: a,
        old: digest(1),
    }));
    app.apply(Event::Cache(CacheNote::Stale {
        id: b,
        old: digest(2),
    }));
    assert_eq!(row(&app, "a.gvmi").previous, Some(digest(1)));
    finish(&mut app, a, 100, 2, 9);
    finish(&mut app, b, 100, 2, 2);
    let text = screen(&app);
    assert!(text.contains("Δ new hash"), "{text}");
    assert!(text.contains("✓ same hash"), "{text}");
    press(&mut app, KeyCode::Enter);
    select_name(&mut app, "a.gvmi");
    let text = screen(&app);
    assert!(text.contains(&digest(1).to_hex()) && text.contains(&digest(9).to_hex()));
    assert!(text.contains("rebuilt: the hash above is new"), "{text}");
    select_name(&mut app, "b.gvmi");
    assert!(screen(&app).contains("rebuilt, hash unchanged"));
}

#[test]
fn sha3sums_gives_a_third_opinion() {
    let mut app = app(120, 12);
    let ids: Vec<_> = ["ok.gvmi", "bad.gvmi", "new.gvmi"]
        .iter()
        .map(|n| discover(&mut app, n, 100, 1))
        .collect();
    for (&id, seed) in ids.iter().zip([1, 2, 3]) {
        finish(&mut app, id, 100, 1, seed);
    }
    assert!(!screen(&app).contains("Σ"), "no manifest, no marks column");
    let sums = HashMap::from([
        (PathBuf::from("/images/ok.gvmi"), digest(1)),
        (PathBuf::from("/images/bad.gvmi"), digest(5)),
    ]);
    app.apply(Event::Sums {
        folder: PathBuf::from("/images"),
        sums,
    });
    assert_eq!(row(&app, "ok.gvmi").listed, Listed::As(digest(1)));
    assert_eq!(row(&app, "new.gvmi").listed, Listed::NotListed);
    let text = screen(&app);
    assert!(
        text.contains("=Σ") && text.contains("≠Σ") && text.contains("?Σ"),
        "{text}"
    );
    // A row discovered later gets the folder's opinion too.
    discover(&mut app, "later.gvmi", 100, 1);
    assert_eq!(row(&app, "later.gvmi").listed, Listed::NotListed);
}

#[test]
fn identical_hashes_are_marked_duplicates_until_one_changes() {
    let mut app = app(150, 30);
    let a = discover(&mut app, "a.gvmi", 100, 1);
    let b = discover(&mut app, "copy of a.gvmi", 100, 1);
    finish(&mut app, a, 100, 1, 4);
    finish(&mut app, b, 100, 1, 4);
    assert_eq!(app.changes().duplicates(&digest(4)), 1);
    assert!(screen(&app).contains('≡'));
    press(&mut app, KeyCode::Enter);
    select_name(&mut app, "a.gvmi");
    assert!(screen(&app).contains("/images/copy of a.gvmi"));
    select_name(&mut app, "copy of a.gvmi");
    let effect = key(
        &mut app,
        KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE),
    );
    assert!(matches!(effect, Some(Effect::Hash { .. })));
    assert_eq!(app.changes().duplicates(&digest(4)), 0);
}

#[test]
fn watched_rows_are_written_then_hashed_rebuilt_and_removed() {
    let mut app = app(120, 12);
    let path = PathBuf::from("/images/new.gvmi");
    let root = PathBuf::from("/images");
    app.apply(Event::Watch(Change::Writing {
        path: path.clone(),
        root: root.clone(),
    }));
    assert_eq!(row(&app, "new.gvmi").state, RowState::Writing);
    assert!(screen(&app).contains("✎ writing"));
    assert!(
        hash_effects(&mut app).is_empty(),
        "nothing hashed while written"
    );
    app.apply(Event::Watch(Change::Settled {
        path: path.clone(),
        root: root.clone(),
        stamp: stamp(100, 1),
    }));
    let effects = hash_effects(&mut app);
    let [Effect::Hash { jobs, .. }] = effects.as_slice() else {
        panic!("one hash job: {effects:?}");
    };
    assert_eq!(
        app.rows().len(),
        1,
        "the written row is hashed, not duplicated"
    );
    let id = jobs[0].id;
    finish(&mut app, id, 100, 1, 3);
    // The same stamp again (an event that changed nothing): no rehash.
    app.apply(Event::Watch(Change::Settled {
        path: path.clone(),
        root: root.clone(),
        stamp: stamp(100, 1),
    }));
    assert!(hash_effects(&mut app).is_empty());
    // Rebuilt: a new stamp is rehashed, the old hash kept for the details.
    app.apply(Event::Watch(Change::Settled {
        path: path.clone(),
        root,
        stamp: stamp(200, 2),
    }));
    assert_eq!(hash_effects(&mut app).len(), 1);
    assert_eq!(row(&app, "new.gvmi").previous, Some(digest(3)));
    let other = discover(&mut app, "other.gvmi", 100, 1);
    app.apply(Event::Watch(Change::Removed { path }));
    assert_eq!(app.rows().len(), 1);
    assert_eq!(app.view().ids().len(), 1);
    // The remaining row's job still reaches it after the renumbering.
    finish(&mut app, other, 100, 1, 8);
    assert_eq!(row(&app, "other.gvmi").state, RowState::Done(digest(8)));
}

#[test]
fn w_writes_the_selected_folders_hashes_only() {
    let mut app = app(120, 12);
    let a = discover(&mut app, "a.gvmi", 100, 1);
    let b = discover(&mut app, "sub/b.gvmi", 100, 1);
    discover(&mut app, "pending.gvmi", 100, 1);
    finish(&mut app, a, 100, 1, 1);
    finish(&mut app, b, 100, 1, 2);
    select_name(&mut app, "a.gvmi");
    let effect = key(
        &mut app,
        KeyEvent::new(KeyCode::Char('w'), KeyModifiers::NONE),
    );
    let Some(Effect::WriteSums { folder, hashes }) = effect else {
        panic!("{effect:?}");
    };
    assert_eq!(folder, PathBuf::from("/images"));
    assert_eq!(hashes.keys().collect::<Vec<_>>(), [b"a.gvmi"]);
    assert!(app.notes().status().unwrap().contains("1 image(s)"));
}

/// `r` on a file nobody touched: rehashed, and said so truthfully (not "rebuilt").
#[test]
fn r_on_an_untouched_image_says_rehashed_unchanged() {
    let mut app = app(150, 60);
    let a = discover(&mut app, "a.gvmi", 100, 1);
    finish(&mut app, a, 100, 1, 4);
    let Some(Effect::Hash { jobs, .. }) = key(
        &mut app,
        KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE),
    ) else {
        panic!("r must rehash");
    };
    finish(&mut app, jobs[0].id, 100, 1, 4);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("✓ rehashed"), "{text}");
    assert!(text.contains("rehashed: unchanged"), "{text}");
    assert!(!text.contains("rebuilt"), "{text}");
}

#[test]
fn the_summary_tells_cached_from_hashed() {
    let mut app = app(120, 12);
    let ids: Vec<_> = ["a.gvmi", "b.gvmi", "c.gvmi"]
        .iter()
        .map(|n| discover(&mut app, n, 10, 1))
        .collect();
    for (i, &id) in ids.iter().enumerate() {
        app.apply(Event::Cache(CacheNote::Hit { id }));
        finish(&mut app, id, 10, 1, i as u8);
    }
    app.apply(Event::DiscoveryDone);
    let text = screen(&app);
    assert!(text.contains("✓ 3 from cache"), "{text}");
    assert!(!text.contains("hashed"), "{text}");
    let d = discover(&mut app, "d.gvmi", 10, 1);
    finish(&mut app, d, 10, 1, 9);
    assert!(screen(&app).contains("✓ 1 hashed, 3 from cache"));
}

#[test]
fn a_failed_cache_save_is_reported() {
    let mut app = app(120, 12);
    let why = "/home/u/.cache/gvmi/hashes.v1.bin not saved: No space left on device";
    app.apply(Event::Cache(CacheNote::NotSaved(why.into())));
    let text = screen(&app);
    assert!(
        text.contains("Hash cache /home/u/.cache/gvmi/hashes.v1.bin not saved"),
        "{text}"
    );
}
