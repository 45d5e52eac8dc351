//! The workbench's `p` / `P`: which rows a `[[publish]]` covers, the
//! progress and outcome marks, the row's URL once published; and the
//! publish worker copying into a folder for real.

use std::path::PathBuf;
use std::time::Duration;

use crate::fixture::*;
use crossbeam_channel::unbounded;
use gvmi::cancel::CancelToken;
use gvmi::config::PublishTo;
use gvmi::publish::state;
use gvmi::publish::Spec;
use gvmi::tui::app::Effect;
use gvmi::tui::event::{Event, PublishedAt, WorkerEvent};
use gvmi::tui::publisher::PublishJob;
use gvmi::tui::workers::Workers;
use gvmi::verify::Options;
use ratatui::crossterm::event::KeyCode;

fn publish_to(folder: &str, to: &str) -> PublishTo {
    PublishTo {
        folder: PathBuf::from(folder),
        spec: Spec {
            to: to.into(),
            public_base_url: Some("https://cdn.example.com/imgs/".into()),
            ..Spec::default()
        },
    }
}

fn jobs(effect: Option<Effect>) -> Vec<PublishJob> {
    match effect {
        Some(Effect::Publish(jobs)) => jobs,
        other => panic!("expected Effect::Publish, got {other:?}"),
    }
}

#[test]
fn p_publishes_the_selected_image_shows_progress_then_sets_its_url() {
    let mut app = app(120, 40);
    let id = discover(&mut app, "a.gvmi", 100, 1);
    finish(&mut app, id, 100, 1, 3);
    app.take_effects();
    assert!(press(&mut app, KeyCode::Char('p')).is_none());
    // Without a destination: what to write where, ready to fill in.
    let status = app.status.clone().unwrap();
    assert!(status.starts_with("No [[publish]] covers this folder; add to "));
    assert!(status.contains("gvmi/config.toml: [[publish]]"), "{status}");
    let example = status.split_once(": ").unwrap().1;
    let example = example.split(" (see").next().unwrap().replace(" ⏎ ", "\n");
    let config = gvmi::config::Config::parse(&example, std::path::Path::new("x.toml"))
        .unwrap_or_else(|e| panic!("{example}: {e}"));
    let to = config.publish_for(std::path::Path::new("/images/a.gvmi"));
    assert_eq!(
        to.map(|t| t.spec.to.as_str()),
        Some("s3://BUCKET/PREFIX"),
        "{example}"
    );
    // All of it shows at 80 columns.
    app.on_input(ratatui::crossterm::event::Event::Resize(80, 24));
    assert!(screen(&app).contains("--help)"), "{}", screen(&app));
    app.on_input(ratatui::crossterm::event::Event::Resize(120, 40));

    app.config
        .publishes
        .push(publish_to("/images", "s3://bkt/imgs"));
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
    };
    app.apply(Event::Worker(WorkerEvent::Published {
        id: job,
        result: Ok(at),
    }));
    let text = screen(&app);
    assert!(text.contains("✓ published"), "{text}");
    assert_eq!(app.url_for(app.selected_row().unwrap()), Some(url.clone()));
    assert!(app.status.as_deref().unwrap().contains(&url));
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains(&format!("published at {url}")));
}

#[test]
fn capital_p_publishes_every_row_under_the_folder_and_a_failure_is_marked() {
    let mut app = app(120, 40);
    discover(&mut app, "a.gvmi", 10, 1);
    discover(&mut app, "sub/b.gvmi", 10, 1);
    discover(&mut app, "sub/c.gvmi", 10, 1);
    app.config
        .publishes
        .push(publish_to("/images/sub", "file:///srv/www"));
    let b = row_id(&app, "b.gvmi");
    app.selected = Some(b);
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
    // A second P while they run starts nothing new.
    assert!(press(&mut app, KeyCode::Char('P')).is_none());
    assert_eq!(app.status.as_deref(), Some("Already publishing 2 images."));
    let job = jobs.iter().find(|j| j.path.ends_with("b.gvmi")).unwrap().id;
    let result = Err("bucket `x` does not exist".to_string());
    app.apply(Event::Worker(WorkerEvent::Published { id: job, result }));
    // The batch's tally, not only the last row's word.
    let status = app.status.clone();
    assert_eq!(
        status.as_deref(),
        Some("Publishing… 0/2 published, 1 failed")
    );
    assert_eq!(app.rows[b].url, None);
    let job = jobs.iter().find(|j| j.path.ends_with("c.gvmi")).unwrap().id;
    let at = PublishedAt {
        url: "https://cdn.example.com/imgs/sub/c.gvmi".into(),
        uploaded: true,
    };
    app.apply(Event::Worker(WorkerEvent::Published {
        id: job,
        result: Ok(at),
    }));
    assert_eq!(
        app.status.as_deref(),
        Some("1/2 published, 1 failed: b.gvmi (bucket `x` does not exist).")
    );
}

/// Runs `image` through the publish worker into `web` (a `file://`
/// destination without a public URL); the job's result, progress checked.
fn publish_with_the_worker(
    image: &std::path::Path,
    web: &std::path::Path,
    record: &std::path::Path,
) -> Result<PublishedAt, String> {
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
            Event::Worker(WorkerEvent::Published { id: 9, result }) => return result,
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
    let why = publish_with_the_worker(&image, web.path(), &record).unwrap_err();
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
    let mut app = app(120, 40);
    let names = ["a.gvmi", "b.gvmi", "c.gvmi", "d.gvmi"];
    for (i, name) in names.iter().enumerate() {
        let id = discover(&mut app, name, 10, 1);
        finish(&mut app, id, 10, 1, i as u8);
    }
    app.config
        .publishes
        .push(publish_to("/images", "s3://bkt/imgs"));
    let published = jobs(press(&mut app, KeyCode::Char('P')));
    assert_eq!(published.len(), 4);
    for job in &published {
        let name = job.path.file_name().unwrap().to_str().unwrap();
        let at = PublishedAt {
            url: format!("https://cdn.example.com/imgs/{name}"),
            uploaded: true,
        };
        let result = Ok(at);
        app.apply(Event::Worker(WorkerEvent::Published { id: job.id, result }));
    }
    assert_eq!(app.status.as_deref(), Some("4/4 published."));
    let rows = |app: &gvmi::tui::app::App| -> Vec<String> {
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
            Err(gvmi::verify::Failure::HeadStatus {
                url: check.url.clone(),
                status: 404,
                text: "Not Found".into(),
                get_serves_image: None,
            })
        } else {
            Ok(gvmi::verify::Verified {
                final_url: check.url.clone(),
                bytes: 10,
            })
        };
        app.apply(Event::Worker(WorkerEvent::Verified {
            id: check.id,
            result,
        }));
        if i == 1 {
            assert_eq!(app.status.as_deref(), Some("Verifying… 2/4 served"));
        }
    }
    assert_eq!(
        rows(&app),
        ["✓ served", "✓ served", "✗ HTTP 404", "✓ served"]
    );
    assert_eq!(
        app.status.as_deref(),
        Some("3/4 served, 1 failed: c.gvmi (HEAD 404).")
    );
    // Publishing again is newer still.
    let again = jobs(press(&mut app, KeyCode::Char('p')));
    assert_eq!(again.len(), 1);
    let text = screen(&app);
    assert!(text.lines().any(|l| l.starts_with("⇡")), "{text}");
}
