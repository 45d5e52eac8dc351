//! The workbench's `p` / `P`: which rows a `[[publish]]` covers, the
//! progress and outcome marks, the row's URL once published; and the
//! publish worker copying into a folder for real.

use std::path::PathBuf;
use std::time::Duration;

use crate::fixture::*;
use crossbeam_channel::unbounded;
use gvmi::tui::app::{Effect, Settings};
use gvmi::tui::event::{ConfigRead, Event, NotPublished, PublishedAt, WorkerEvent};
use gvmi::tui::publisher::PublishJob;
use gvmi::tui::workers::Workers;
use gvmi_core::cancel::CancelToken;
use gvmi_core::config::{Config, PublishTo};
use gvmi_core::publish::state;
use gvmi_core::publish::Spec;
use gvmi_core::verify::Options;
use ratatui::crossterm::event::KeyCode;

pub fn publish_to(folder: &str, to: &str) -> PublishTo {
    PublishTo {
        folder: PathBuf::from(folder),
        spec: Spec {
            to: to.into(),
            public_base_url: Some("https://cdn.example.com/imgs/".into()),
            ..Spec::default()
        },
    }
}

/// A workbench whose config holds these `[[publish]]` entries.
pub fn publishing_to(entries: &[PublishTo]) -> Bench {
    let mut config = gvmi_core::config::Config::default();
    config.publishes.extend(entries.iter().cloned());
    let settings = Settings {
        config,
        ..Settings::default()
    };
    with_settings(120, 40, settings)
}

/// A workbench whose config is read from `config_file` (set here, never
/// the test runner's XDG_CONFIG_HOME, so no runner's path changes the text).
pub fn config_at(width: u16, height: u16, config_file: &str) -> Bench {
    let settings = Settings {
        config_file: Some(PathBuf::from(config_file)),
        ..Settings::default()
    };
    with_settings(width, height, settings)
}

/// `code` (`p` or `P`) on a workbench with no `[[publish]]` for the row:
/// config.toml is read again on a worker (the effect), and what it reads
/// (`config`) is pressed with; the effects that press asks for.
pub fn press_reading(app: &mut Bench, code: KeyCode, config: Config) -> Vec<Effect> {
    app.take_effects(); // what earlier events asked for is not this press's
    let Some(Effect::ReadConfig(again)) = press(app, code) else {
        panic!("{code:?} without a [[publish]] reads config.toml again first");
    };
    let read = ConfigRead {
        config: Ok(config),
        press: again,
    };
    app.apply(Event::ConfigRead(read));
    app.take_work()
}

pub fn jobs(effect: Option<Effect>) -> Vec<PublishJob> {
    match effect {
        Some(Effect::Publish(jobs)) => jobs,
        other => panic!("expected Effect::Publish, got {other:?}"),
    }
}

#[test]
fn p_publishes_the_selected_image_shows_progress_then_sets_its_url() {
    let mut app = config_at(120, 40, "/c/gvmi/config.toml");
    let id = discover(&mut app, "a.gvmi", 100, 1);
    finish(&mut app, id, 100, 1, 3);
    app.take_effects();
    // Without a destination, even in config.toml read again: what to write
    // where, ready to fill in.
    assert!(press_reading(&mut app, KeyCode::Char('p'), Config::default()).is_empty());
    let status = status(&app).unwrap();
    assert!(
        status.starts_with("No [[publish]] for this folder. Add to /c/gvmi/config.toml: "),
        "{status}"
    );
    let example = status.split_once(": ").unwrap().1;
    let example = example.split(" (more").next().unwrap().replace(" ⏎ ", "\n");
    let config = gvmi_core::config::Config::parse(&example, std::path::Path::new("x.toml"))
        .unwrap_or_else(|e| panic!("{example}: {e}"));
    let to = config.publish_for(std::path::Path::new("/images/a.gvmi"));
    assert_eq!(
        to.map(|t| t.spec.to.as_str()),
        Some("s3://BUCKET/PREFIX"),
        "{example}"
    );
    // All of it shows at 80 columns.
    input(&mut app, ratatui::crossterm::event::Event::Resize(80, 24));
    assert!(screen(&app).contains("--help)"), "{}", screen(&app));
    input(&mut app, ratatui::crossterm::event::Event::Resize(120, 40));

    let mut app = publishing_to(&[publish_to("/images", "s3://bkt/imgs")]);
    let id = discover(&mut app, "a.gvmi", 100, 1);
    finish(&mut app, id, 100, 1, 3);
    let jobs = jobs(press(&mut app, KeyCode::Char('p')));
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].path, PathBuf::from("/images/a.gvmi"));
    assert_eq!(jobs[0].to.spec.to, "s3://bkt/imgs");
    assert_eq!(jobs[0].known, Some(digest(3)));
    let job = jobs[0].id;
    assert!(screen(&app).contains("⇡   0%"), "{}", screen(&app));
    let (done, total) = (42, 100);
    app.apply(Event::Worker(WorkerEvent::Publishing {
        id: job,
        done,
        total,
    }));
    assert!(screen(&app).contains("⇡  42%"), "{}", screen(&app));
    let url = "https://cdn.example.com/imgs/a.gvmi".to_string();
    let at = PublishedAt {
        url: url.clone(),
        uploaded: true,
        record: None,
    };
    app.apply(Event::Worker(WorkerEvent::Published {
        id: job,
        result: Ok(at),
        notes: vec![],
    }));
    let text = screen(&app);
    assert!(text.contains("✓ published"), "{text}");
    assert_eq!(
        app.serving().url_for(app.selected_row().unwrap()),
        Some(url.clone())
    );
    assert!(app.notes().status().unwrap().contains(&url));
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains(&format!("published at {url}")));
}

#[test]
fn capital_p_publishes_every_row_under_the_folder_and_a_failure_is_marked() {
    let mut app = publishing_to(&[publish_to("/images/sub", "file:///srv/www")]);
    discover(&mut app, "a.gvmi", 10, 1);
    discover(&mut app, "sub/b.gvmi", 10, 1);
    discover(&mut app, "sub/c.gvmi", 10, 1);
    let b = row_id(&app, "b.gvmi");
    select(&mut app, b);
    let jobs = jobs(press(&mut app, KeyCode::Char('P')));
    let mut paths: Vec<_> = jobs.iter().map(|j| j.path.clone()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            PathBuf::from("/images/sub/b.gvmi"),
            PathBuf::from("/images/sub/c.gvmi")
        ]
    );
    assert!(jobs.iter().all(|j| j.known.is_none()), "not hashed yet");
    // A second P while they run starts nothing new (after something else
    // happened: P again at once is skipped before it is looked at).
    app.apply(Event::Tick(std::time::Instant::now()));
    assert!(press(&mut app, KeyCode::Char('P')).is_none());
    assert_eq!(app.notes().status(), Some("Already publishing 2 images."));
    let job = jobs.iter().find(|j| j.path.ends_with("b.gvmi")).unwrap().id;
    let result = Err(NotPublished::before_upload("bucket `x` does not exist"));
    app.apply(Event::Worker(WorkerEvent::Published {
        id: job,
        result,
        notes: vec![],
    }));
    // The batch's tally, not only the last row's word.
    let status = status(&app);
    assert_eq!(
        status.as_deref(),
        Some("Publishing… 0/2 published, 1 failed")
    );
    assert_eq!(app.rows()[b].url, None);
    let job = jobs.iter().find(|j| j.path.ends_with("c.gvmi")).unwrap().id;
    let at = PublishedAt {
        url: "https://cdn.example.com/imgs/sub/c.gvmi".into(),
        uploaded: true,
        record: None,
    };
    app.apply(Event::Worker(WorkerEvent::Published {
        id: job,
        result: Ok(at),
        notes: vec![],
    }));
    assert_eq!(
        app.notes().status(),
        Some("1/2 published, 1 failed: b.gvmi (bucket `x` does not exist).")
    );
}

/// Runs `image` through the publish worker into `web` (a `file://`
/// destination without a public URL); the job's result, progress checked.
fn publish_with_the_worker(
    image: &std::path::Path,
    web: &std::path::Path,
    record: &std::path::Path,
) -> Result<PublishedAt, NotPublished> {
    publish_and_notes(image, web, record).0
}

/// [`publish_with_the_worker`], and what keeping the record had to say.
fn publish_and_notes(
    image: &std::path::Path,
    web: &std::path::Path,
    record: &std::path::Path,
) -> (Result<PublishedAt, NotPublished>, Vec<String>) {
    let (tx, rx) = unbounded();
    let workers = Workers::start(tx, Options::default());
    let mut to = publish_to(
        image.parent().unwrap().to_str().unwrap(),
        &format!("file://{}", web.display()),
    );
    to.spec.public_base_url = None;
    workers.publish(PublishJob {
        id: 9,
        path: image.to_path_buf(),
        to,
        known: None,
        record_in: Some(record.to_path_buf()),
        token: CancelToken::new(),
    });
    let size = std::fs::metadata(image).unwrap().len();
    loop {
        match rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the worker answers")
        {
            Event::Worker(WorkerEvent::Published {
                id: 9,
                result,
                notes,
            }) => return (result, notes),
            Event::Worker(WorkerEvent::Publishing { id: 9, total, .. }) => {
                assert_eq!(total, size)
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn the_publish_worker_copies_into_a_folder_reports_and_records_the_url() {
    let src = tempfile::tempdir().unwrap();
    let web = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let image = src.path().join("a.gvmi");
    // A real image of a few MiB: the worker holds `gvmi publish`'s rule.
    std::fs::copy(crate::support::fixture("alpine.gvmi"), &image).unwrap();
    let record = home.path().join("published.v1.json");
    let at = publish_with_the_worker(&image, web.path(), &record).unwrap();
    assert!(at.uploaded);
    assert!(
        at.url.starts_with("file://") && at.url.ends_with("/a.gvmi"),
        "{}",
        at.url
    );
    assert_eq!(
        std::fs::read(web.path().join("a.gvmi")).unwrap(),
        std::fs::read(&image).unwrap()
    );
    let records = state::load_from(&record);
    let abs = [std::path::absolute(&image).unwrap()];
    assert_eq!(records.get(&abs).map(|r| r.url.clone()), Some(at.url));
}

#[test]
fn the_publish_worker_refuses_what_gvmi_publish_refuses() {
    let src = tempfile::tempdir().unwrap();
    let web = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let image = src.path().join("a.gvmi");
    std::fs::write(&image, vec![7u8; 3 << 20]).unwrap();
    let record = home.path().join("published.v1.json");
    let why = publish_with_the_worker(&image, web.path(), &record)
        .unwrap_err()
        .why;
    assert!(
        why.starts_with("not a valid gvmi image: ")
            && why.contains("providers will refuse it")
            && why.contains("gvmi publish --allow-invalid"),
        "{why}"
    );
    assert_eq!(std::fs::read_dir(web.path()).unwrap().count(), 0);
    assert!(!record.exists());
}

#[test]
fn p_then_v_the_state_column_shows_the_newer_finding_and_v_tallies() {
    let mut app = publishing_to(&[publish_to("/images", "s3://bkt/imgs")]);
    let names = ["a.gvmi", "b.gvmi", "c.gvmi", "d.gvmi"];
    for (i, name) in names.iter().enumerate() {
        let id = discover(&mut app, name, 10, 1);
        finish(&mut app, id, 10, 1, i as u8);
    }
    let published = jobs(press(&mut app, KeyCode::Char('P')));
    assert_eq!(published.len(), 4);
    for job in &published {
        let name = job.path.file_name().unwrap().to_str().unwrap();
        let at = PublishedAt {
            url: format!("https://cdn.example.com/imgs/{name}"),
            uploaded: true,
            record: None,
        };
        let result = Ok(at);
        app.apply(Event::Worker(WorkerEvent::Published {
            id: job.id,
            result,
            notes: vec![],
        }));
    }
    assert_eq!(app.notes().status(), Some("4/4 published."));
    let rows = |app: &Bench| -> Vec<String> {
        let text = screen(app);
        (names.iter())
            .map(|n| {
                text.lines()
                    .find(|l| l.contains(n))
                    .unwrap()
                    .chars()
                    .take(11)
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(rows(&app), ["✓ published"; 4]);
    // V: every published URL checked; the newer finding shows.
    let checks = match press(&mut app, KeyCode::Char('V')) {
        Some(Effect::Verify(jobs)) => jobs,
        other => panic!("expected Effect::Verify, got {other:?}"),
    };
    assert_eq!(checks.len(), 4);
    assert_eq!(rows(&app), ["⇅ HEAD"; 4]);
    for (i, check) in checks.iter().enumerate() {
        let result = if i == 2 {
            Err(gvmi_core::verify::Failure::HeadStatus {
                url: check.url.clone(),
                status: 404,
                text: "Not Found".into(),
                get_serves_image: None,
            })
        } else {
            Ok(gvmi_core::verify::Verified {
                final_url: check.url.clone(),
                bytes: 10,
            })
        };
        app.apply(Event::Worker(WorkerEvent::Verified {
            id: check.id,
            result,
        }));
        if i == 1 {
            assert_eq!(app.notes().status(), Some("Verifying… 2/4 served"));
        }
    }
    assert_eq!(
        rows(&app),
        ["✓ served", "✓ served", "✗ HTTP 404", "✓ served"]
    );
    assert_eq!(
        app.notes().status(),
        Some("3/4 served, 1 failed: c.gvmi (HEAD 404).")
    );
    // Publishing again is newer still.
    let again = jobs(press(&mut app, KeyCode::Char('p')));
    assert_eq!(again.len(), 1);
    let text = screen(&app);
    assert!(text.lines().any(|l| l.starts_with("⇡")), "{text}");
}

/// The record the worker could not write is said, not dropped: the row
/// is published, and the note says its URL will not be remembered.
#[test]
fn a_record_that_cannot_be_written_is_said() {
    let src = tempfile::tempdir().unwrap();
    let web = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let image = src.path().join("a.gvmi");
    std::fs::copy(crate::support::fixture("alpine.gvmi"), &image).unwrap();
    // Its folder is a file: no lock, no state file can be made in it.
    let blocked = home.path().join("state");
    std::fs::write(&blocked, b"not a folder").unwrap();
    let record = blocked.join("published.v1.json");
    let (result, notes) = publish_and_notes(&image, web.path(), &record);
    let at = result.expect("published all the same");
    assert!(at.record.is_some(), "what the publish proved is sent");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("its URL is not remembered for gvmi snippet and verify: "),
        "{notes:?}"
    );
}

/// A publish's notes reach the status line and the details pane.
#[test]
fn notes_from_keeping_the_record_are_shown() {
    let mut app = publishing_to(&[publish_to("/images", "s3://bkt/imgs")]);
    let id = discover(&mut app, "a.gvmi", 100, 1);
    finish(&mut app, id, 100, 1, 3);
    let job = jobs(press(&mut app, KeyCode::Char('p')))[0].id;
    let note = "kept the remembered URL https://old.example/a.gvmi (proven public)";
    let at = PublishedAt {
        url: "https://cdn.example.com/imgs/a.gvmi".into(),
        uploaded: true,
        record: None,
    };
    app.apply(Event::Worker(WorkerEvent::Published {
        id: job,
        result: Ok(at),
        notes: vec![note.into()],
    }));
    let status = status(&app).unwrap();
    assert!(
        status.contains("published at") && status.contains(note),
        "{status}"
    );
    press(&mut app, KeyCode::Enter);
    assert!(
        screen(&app).contains(&format!("⚠ {note}")),
        "{}",
        screen(&app)
    );
}

/// The record `p` proved is kept for the session: the row's URL follows it
/// even when its own URL is cleared, as `gvmi snippet` would find it.
#[test]
fn a_published_record_is_used_without_reading_the_file() {
    use gvmi_core::publish::state::{Candidate, Proof};
    let mut app = publishing_to(&[publish_to("/images", "s3://bkt/imgs")]);
    let id = discover(&mut app, "a.gvmi", 100, 1);
    finish(&mut app, id, 100, 1, 3);
    let job = jobs(press(&mut app, KeyCode::Char('p')))[0].id;
    let url = "https://cdn.example.com/imgs/a.gvmi".to_string();
    let record = Candidate {
        image: PathBuf::from("/images/a.gvmi"),
        url: url.clone(),
        sha3_224: digest(3).to_hex(),
        size: 100,
        proof: Proof::Public,
    };
    let at = PublishedAt {
        url: url.clone(),
        uploaded: true,
        record: Some(record),
    };
    app.apply(Event::Worker(WorkerEvent::Published {
        id: job,
        result: Ok(at),
        notes: vec![],
    }));
    let row = row_id(&app, "a.gvmi");
    set_url(&mut app, row, None);
    assert_eq!(app.rows()[row].url, None, "its own URL is cleared");
    let shown = app.serving().url_for(&app.rows()[row]);
    assert_eq!(shown, Some(url), "the published record's URL");
}

/// The records `gvmi publish` left are read with the settings, before the
/// first frame, and give rows their URLs.
#[test]
fn the_publish_records_read_at_start_give_rows_their_urls() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("published.v1.json");
    let json = serde_json::json!({
        "version": 1,
        "images": { "/images/a.gvmi": {
            "url": "https://cdn.example.com/a.gvmi",
            "sha3_224": digest(3).to_hex(),
            "size": 100,
            "public": true,
        }},
    });
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
    let settings = Settings {
        published: state::load_from(&file),
        ..Settings::default()
    };
    let mut app = with_settings(120, 40, settings);
    discover(&mut app, "a.gvmi", 100, 1);
    discover(&mut app, "b.gvmi", 100, 1);
    let urls: Vec<Option<String>> = (app.rows().iter())
        .map(|r| app.serving().url_for(r))
        .collect();
    assert_eq!(urls, [Some("https://cdn.example.com/a.gvmi".into()), None]);
}

/// `P` over two `[[publish]]` folders that share one destination would
/// put two images at one key: nothing starts, and the status says which.
#[test]
fn capital_p_refuses_two_images_at_one_key() {
    let mut app = publishing_to(&[
        publish_to("/images", "s3://bkt/imgs"),
        publish_to("/images/sub", "s3://bkt/imgs"),
    ]);
    discover(&mut app, "a.gvmi", 10, 1);
    discover(&mut app, "sub/a.gvmi", 10, 1);
    discover(&mut app, "b.gvmi", 10, 1);
    let b = row_id(&app, "b.gvmi");
    select(&mut app, b);
    assert!(press(&mut app, KeyCode::Char('P')).is_none());
    let status = status(&app).unwrap();
    assert_eq!(
        status,
        "Nothing published: /images/a.gvmi and /images/sub/a.gvmi would both be \
         published at s3://bkt/imgs/a.gvmi (give each [[publish]] its own `to`)."
    );
    assert!(!screen(&app).contains('⇡'), "nothing started");
    // Apart, each folder publishes.
    let mut apart = publishing_to(&[
        publish_to("/images", "s3://bkt/imgs"),
        publish_to("/images/sub", "s3://bkt/sub"),
    ]);
    discover(&mut apart, "a.gvmi", 10, 1);
    discover(&mut apart, "sub/a.gvmi", 10, 1);
    assert_eq!(jobs(press(&mut apart, KeyCode::Char('P'))).len(), 2);
}
