//! The workbench's inspection marks and URL verification (`v`, `V`): state
//! changes from events, what the table and details pane show, and the
//! workers against a real HTTP server.

use std::time::Duration;

use crate::fixture::*;
use crate::support::http_server::{Route, Server};
use crate::support::{self, self_test};
use crossbeam_channel::unbounded;
use gvmi::tui::app::Effect;
use gvmi::tui::event::Event;
use gvmi::tui::event::WorkerEvent;
use gvmi::tui::rows::RowId;
use gvmi::tui::workers::{VerifyJob, Workers};
use gvmi_core::cancel::CancelToken;
use gvmi_core::event::JobId;
use gvmi_core::gvmi_format::inspect_bytes;
use gvmi_core::verify::{Expected, Failure, Options, Stage, Verified};
use ratatui::crossterm::event::KeyCode;

/// Hashes a discovered row and answers its inspection request with `bytes`' inspection.
fn hashed_and_inspected(app: &mut Bench, name: &str, seed: u8, bytes: &[u8]) -> RowId {
    let id = discover(app, name, 100, 1);
    finish(app, id, 100, 1, seed);
    let index = last_row(app);
    let effects = app.take_work();
    let [Effect::Inspect { id, path }] = &effects[..] else {
        panic!("a hashed row asks for inspection: {effects:?}")
    };
    assert_eq!(path, app.rows()[index].path());
    let result = Ok(Box::new(inspect_bytes(bytes)));
    app.apply(Event::Worker(WorkerEvent::Inspected { id: *id, result }));
    index
}

fn verify_jobs(effect: Option<Effect>) -> Vec<VerifyJob> {
    match effect {
        Some(Effect::Verify(jobs)) => jobs,
        other => panic!("expected Effect::Verify, got {other:?}"),
    }
}

fn check(app: &mut Bench, id: JobId, event: WorkerEvent) {
    let _ = id;
    app.apply(Event::Worker(event));
}

#[test]
fn invalid_images_are_marked_in_the_table_and_explained_in_details() {
    let mut app = app(120, 60);
    let good = hashed_and_inspected(&mut app, "good.gvmi", 1, &self_test());
    let bad = hashed_and_inspected(&mut app, "raw.gvmi", 2, &self_test()[..4096]);
    assert!(!app.findings().is_invalid(good));
    assert!(app.findings().is_invalid(bad));
    let text = screen(&app);
    let raw_line = text.lines().find(|l| l.contains("raw.gvmi")).unwrap();
    assert!(raw_line.starts_with("✗ invalid"), "{text}");
    let good_line = text.lines().find(|l| l.contains("good.gvmi")).unwrap();
    assert!(good_line.starts_with("✓ done"), "{text}");
    // Details of the invalid one: the defect in words.
    select(&mut app, bad);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("INVALID gvmi image"), "{text}");
    assert!(text.contains("a squashfs without gvmi metadata"), "{text}");
    // And of the valid one: what it runs and how it is compressed.
    select(&mut app, good);
    let text = screen(&app);
    assert!(text.contains("valid gvmi image"), "{text}");
    assert!(text.contains("cmd         /hello"), "{text}");
    assert!(text.contains("lzo compression"), "{text}");
}

#[test]
fn v_needs_a_url_then_shows_progress_and_the_result_per_row() {
    let mut app = app(120, 60);
    let index = hashed_and_inspected(&mut app, "a.gvmi", 3, &self_test());
    assert!(press(&mut app, KeyCode::Char('v')).is_none());
    assert!(app
        .notes()
        .status()
        .unwrap()
        .contains("needs a hash and a URL"));
    set_url(&mut app, index, Some("https://cdn.example.com/a.gvmi"));
    let jobs = verify_jobs(press(&mut app, KeyCode::Char('v')));
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].url, "https://cdn.example.com/a.gvmi");
    assert_eq!(jobs[0].expected.digest, digest(3));
    assert_eq!(jobs[0].expected.size, Some(100));
    let id = jobs[0].id;
    assert!(screen(&app).contains("⇅ HEAD"));
    let stage = Stage::Get {
        done: 50,
        total: Some(100),
    };
    check(&mut app, id, WorkerEvent::Verifying { id, stage });
    assert!(screen(&app).contains("⇣  50%"), "{}", screen(&app));
    let failure = Failure::HeadStatus {
        url: "https://cdn.example.com/a.gvmi".into(),
        status: 404,
        text: "Not Found".into(),
        get_serves_image: None,
    };
    check(
        &mut app,
        id,
        WorkerEvent::Verified {
            id,
            result: Err(failure),
        },
    );
    let text = screen(&app);
    assert!(text.contains("✗ HTTP 404"), "{text}");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("yapapi and golem-core"), "{text}");
    // Verify again: this time it is served.
    let id = verify_jobs(press(&mut app, KeyCode::Char('v')))[0].id;
    let ok = Verified {
        final_url: "https://cdn.example.com/a.gvmi".into(),
        bytes: 100,
    };
    check(&mut app, id, WorkerEvent::Verified { id, result: Ok(ok) });
    let text = screen(&app);
    assert!(text.contains("✓ served"), "{text}");
    assert!(
        text.contains("✓ yes: HEAD 200, same size and hash"),
        "{text}"
    );
}

#[test]
fn shift_v_verifies_every_row_with_a_hash_and_url() {
    let mut app = app(120, 60);
    for (i, name) in ["a.gvmi", "b.gvmi", "c.gvmi"].iter().enumerate() {
        hashed_and_inspected(&mut app, name, i as u8, &self_test());
    }
    discover(&mut app, "queued.gvmi", 5, 1);
    set_base_url(&mut app, "/images", "https://cdn.example.com/");
    let jobs = verify_jobs(press(&mut app, KeyCode::Char('V')));
    let urls: Vec<&str> = jobs.iter().map(|j| j.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://cdn.example.com/a.gvmi",
            "https://cdn.example.com/b.gvmi",
            "https://cdn.example.com/c.gvmi"
        ]
    );
    assert!(app
        .notes()
        .status()
        .unwrap()
        .contains("1 image without a hash or URL skipped"));
}

#[test]
fn stale_and_superseded_check_events_are_ignored() {
    let mut app = app(120, 60);
    let index = hashed_and_inspected(&mut app, "a.gvmi", 3, &self_test());
    set_url(&mut app, index, Some("https://cdn.example.com/a.gvmi"));
    let first = verify_jobs(press(&mut app, KeyCode::Char('v'))).remove(0);
    let second = verify_jobs(press(&mut app, KeyCode::Char('v'))).remove(0);
    assert!(
        first.token.is_cancelled(),
        "a new `v` cancels the one in flight"
    );
    let failure = Failure::Dns { host: "x".into() };
    let id = first.id;
    check(
        &mut app,
        id,
        WorkerEvent::Verified {
            id,
            result: Err(failure),
        },
    );
    assert!(
        screen(&app).contains("⇅ HEAD"),
        "the old result must not land"
    );
    let id = second.id;
    let ok = Verified {
        final_url: second.url.clone(),
        bytes: 100,
    };
    check(&mut app, id, WorkerEvent::Verified { id, result: Ok(ok) });
    assert!(screen(&app).contains("✓ served"));
    // A rehash that yields another hash voids the verification.
    let effect = press(&mut app, KeyCode::Char('r'));
    let Some(Effect::Hash { jobs, .. }) = effect else {
        panic!("r rehashes")
    };
    finish(&mut app, jobs[0].id, 100, 1, 9);
    assert!(app.findings().url_check(index).is_none());
    assert_eq!(app.take_work().len(), 1, "and inspects again");
}

#[test]
fn workers_inspect_and_verify_off_the_ui_thread() {
    let body = self_test();
    let server = Server::start(vec![
        ("/a.gvmi", Route::Bytes(body.clone())),
        ("/nohead.gvmi", Route::HeadStatus(405, body.clone())),
    ]);
    let (tx, rx) = unbounded();
    let workers = Workers::start(tx, Options::default());
    workers.inspect(1, support::fixture("ubuntu-poc.gvmi"));
    let expected = Expected {
        digest: "dc1bd040d36732728248deb4bdec9585a6b0b5afc7f2cfd1925ec8f1"
            .parse()
            .unwrap(),
        size: Some(body.len() as u64),
    };
    for (id, path) in [(2, "/a.gvmi"), (3, "/nohead.gvmi")] {
        workers.verify(VerifyJob {
            id,
            url: server.url(path),
            expected,
            token: CancelToken::new(),
        });
    }
    let (mut inspected, mut verified) = (None, Vec::new());
    while inspected.is_none() || verified.len() < 2 {
        let event = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("a worker answers");
        match event {
            Event::Worker(WorkerEvent::Inspected { result, .. }) => inspected = Some(result),
            Event::Worker(WorkerEvent::Verified { id, result }) => verified.push((id, result)),
            Event::Worker(WorkerEvent::Verifying { .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    let inspection = inspected.unwrap().unwrap();
    assert_eq!(inspection.config.unwrap().volumes, ["/golem/input"]);
    verified.sort_by_key(|(id, _)| *id);
    assert!(verified[0].1.is_ok(), "{:?}", verified[0]);
    assert_eq!(verified[1].1.as_ref().unwrap_err().exit_code(), 7);
}

fn copy_warning(app: &mut Bench) -> Option<String> {
    match press(app, KeyCode::Char('c')) {
        Some(Effect::Copy { warning, text, .. }) => {
            assert!(!text.is_empty());
            warning
        }
        other => panic!("c must copy, got {other:?}"),
    }
}

/// `c` still copies for an invalid image or a placeholder URL, but says
/// what is wrong; the details pane flags it above the snippet.
#[test]
fn copying_a_snippet_warns_about_an_invalid_image_or_a_placeholder_url() {
    let mut app = app(120, 60);
    let good = hashed_and_inspected(&mut app, "good.gvmi", 1, &self_test());
    let bad = hashed_and_inspected(&mut app, "raw.gvmi", 2, &self_test()[..4096]);
    set_url(&mut app, good, Some("https://cdn.example.com/good.gvmi"));
    set_url(&mut app, bad, Some("https://cdn.example.com/raw.gvmi"));
    select(&mut app, good);
    assert_eq!(copy_warning(&mut app), None);
    select(&mut app, bad);
    let warning = copy_warning(&mut app).expect("a warning for an invalid image");
    assert!(warning.contains("failed inspection"), "{warning}");
    assert!(!warning.contains("placeholder"), "{warning}");
    set_url(&mut app, bad, None);
    let warning = copy_warning(&mut app).unwrap();
    assert!(warning.contains("failed inspection") && warning.contains("placeholder URL"));
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("⚠ this image failed inspection"), "{text}");
    assert!(
        text.contains("placeholder URL: set one with e or b"),
        "{text}"
    );
}

/// `v` then `r`: the rehash reads the file again, so "✓ served" (proved of
/// the bytes read before) goes at once, and stays gone when the hash comes
/// out the same: `v` again proves it again.
#[test]
fn a_rehash_drops_the_served_verdict_even_to_the_same_hash() {
    let mut app = app(120, 60);
    let index = hashed_and_inspected(&mut app, "a.gvmi", 3, &self_test());
    set_url(&mut app, index, Some("https://cdn.example.com/a.gvmi"));
    let job = verify_jobs(press(&mut app, KeyCode::Char('v'))).remove(0);
    let ok = Verified {
        final_url: job.url.clone(),
        bytes: 100,
    };
    let id = job.id;
    check(&mut app, id, WorkerEvent::Verified { id, result: Ok(ok) });
    assert!(screen(&app).contains("✓ served"));
    let Some(Effect::Hash { jobs, .. }) = press(&mut app, KeyCode::Char('r')) else {
        panic!("r rehashes")
    };
    assert!(app.findings().url_check(index).is_none());
    assert!(!screen(&app).contains("✓ served"), "{}", screen(&app));
    finish(&mut app, jobs[0].id, 100, 1, 3); // the same hash as before
    let text = screen(&app);
    assert!(
        text.contains("✓ rehashed") && !text.contains("✓ served"),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("press v to verify"), "{text}");
}
