//! Remote rows in the workbench's state: a bucket's objects arrive as rows
//! with their recorded hash; local images pair with them (current, stale,
//! not published; by relative path, else by a file name one object has);
//! `r` on a remote row asks for a download (`Effect::Fetch`), never the
//! engine, and its result is neither cached nor inspected.

use crate::fixture::*;
use gvmi::tui::app::Effect;
use gvmi::tui::event::{Event, RemoteEvent};
use gvmi::tui::remotes::Pairing;
use gvmi_core::event::JobEvent;
use gvmi_core::hasher::Hashed;
use gvmi_core::remote::{Object, Recorded};
use ratatui::crossterm::event::KeyCode;

fn object(relative: &str, recorded: Recorded) -> Object {
    Object {
        key: format!("v1/{relative}"),
        relative: relative.into(),
        size: 1000,
        recorded,
        url: Some(format!("https://cdn.example/v1/{relative}")),
    }
}

fn pairing(app: &Bench, id: gvmi::tui::rows::RowId) -> Option<Pairing> {
    app.remotes().pairing(&app.rows()[id], app.rows())
}

#[test]
fn objects_pair_with_local_images_and_r_downloads_off_the_engine_and_cache() {
    let mut app = app(160, 24);
    remote_sources(&mut app, &["s3://imgs/v1"]);
    for (i, rel) in ["a.gvmi", "b.gvmi", "c.gvmi", "sub/d.gvmi"]
        .iter()
        .enumerate()
    {
        let job = discover(&mut app, rel, 1000, 1);
        finish(&mut app, job, 1000, 1, i as u8 + 1);
    }
    app.take_effects();
    let objects = vec![
        object("a.gvmi", Recorded::Hash(digest(1))),
        object("b.gvmi", Recorded::Hash(digest(9))),
        // Keyed elsewhere: paired by the one object of that file name.
        object("other/d.gvmi", Recorded::Hash(digest(4))),
        object("raw.gvmi", Recorded::Missing),
    ];
    app.apply(Event::Remote(RemoteEvent::Listed { source: 0, objects }));
    frame(&mut app);
    let local = |app: &Bench, name: &str| {
        let row = app
            .rows()
            .iter()
            .find(|r| r.name() == name && !app.remotes().is_remote(r.id()));
        row.expect("a local row").id()
    };
    let (a, b, c, d) = (
        local(&app, "a.gvmi"),
        local(&app, "b.gvmi"),
        local(&app, "c.gvmi"),
        local(&app, "d.gvmi"),
    );
    let remote_a = (app.rows().iter())
        .find(|r| r.name() == "a.gvmi" && app.remotes().is_remote(r.id()))
        .unwrap()
        .id();
    assert!(matches!(pairing(&app, a), Some(Pairing::Current(id)) if id == remote_a));
    assert!(matches!(pairing(&app, b), Some(Pairing::Stale(_))));
    assert_eq!(pairing(&app, c), Some(Pairing::NotPublished));
    assert!(matches!(pairing(&app, d), Some(Pairing::Current(_))));
    assert_eq!(pairing(&app, remote_a), Some(Pairing::Remote));
    let text = screen(&app);
    for words in [
        "✓ current",
        "≠ stale",
        "not published",
        "☁ remote",
        "☁ recorded",
        "☁ no record",
    ] {
        assert!(text.contains(words), "{words}:\n{text}");
    }
    assert!(
        text.contains("s3://imgs/v1"),
        "the bucket marks its rows:\n{text}"
    );
    assert!(
        !text.contains('≡'),
        "an object is no duplicate of its image:\n{text}"
    );

    // Its snippet says where its hash came from.
    select(&mut app, remote_a);
    let Some(Effect::Copy { text, .. }) = press(&mut app, KeyCode::Char('c')) else {
        panic!("c copies");
    };
    assert!(
        text.contains("SHA3-224 as recorded in its x-amz-meta-sha3-224"),
        "{text}"
    );
    // r on the remote row: a download, not the engine.
    let effect = press(&mut app, KeyCode::Char('r'));
    let Some(Effect::Fetch(jobs)) = effect else {
        panic!("r on a remote row asks for a download, not {effect:?}");
    };
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].object.key, "v1/a.gvmi");
    let job = jobs[0].id;
    app.apply(Event::Job(JobEvent::Started {
        id: job,
        size: 1000,
    }));
    let hashed = Hashed {
        digest: digest(1),
        stamp: stamp(1000, 0),
    };
    app.apply(Event::Job(JobEvent::Finished {
        id: job,
        result: Ok(hashed),
    }));
    let effects = app.take_effects();
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::JobDone { fresh: None, .. })),
        "neither cached nor inspected: {effects:?}"
    );
    frame(&mut app);
    assert!(screen(&app).contains("✓ verified"), "{}", screen(&app));
    assert_eq!(app.remotes().get(remote_a).unwrap().hashed, Some(digest(1)));

    // Keys for local files say so on a remote row, and do nothing.
    assert!(press(&mut app, KeyCode::Char('p')).is_none());
    assert!(status(&app).unwrap().contains("is a remote object"));
    // c: the snippet for its public URL and recorded hash.
    let Some(Effect::Copy { text, .. }) = press(&mut app, KeyCode::Char('c')) else {
        panic!("c copies");
    };
    assert!(text.contains("https://cdn.example/v1/a.gvmi") && text.contains(&digest(1).to_hex()));
    assert!(
        text.contains("computed by gvmi"),
        "its bytes were hashed: {text}"
    );
}
