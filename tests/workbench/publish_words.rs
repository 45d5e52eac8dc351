//! What `p` and `P` say when they cannot publish: where to put a
//! `[[publish]]` (fitting at 80×24), and an image uploaded but not public,
//! by its reason and the fix `gvmi publish` gives.

use crate::fixture::*;
use crate::publish::{config_at, jobs, publish_to, publishing_to};
use gvmi::tui::event::{Event, NotPublished, PublishedAt, WorkerEvent};
use ratatui::crossterm::event::KeyCode;

#[test]
fn p_without_a_destination_says_where_to_write_what_and_fits_at_80_by_24() {
    // A long folder and config path: all of it shows at 80×24, not cut.
    let config = "/home/a-rather-long-user-name/.config/gvmi/config.toml";
    let deep = "projects/golem/apps/rendering/images/release-candidates/x.gvmi";
    let mut app = config_at(80, 24, config);
    let id = discover(&mut app, deep, 100, 1);
    finish(&mut app, id, 100, 1, 3);
    assert!(press(&mut app, KeyCode::Char('p')).is_none());
    let status = status(&app).unwrap();
    assert!(
        status.starts_with(&format!(
            "No [[publish]] for this folder. Add to {config}: [[publish]] ⏎ "
        )),
        "{status}"
    );
    let text = screen(&app);
    let shown: String = (text
        .lines()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev())
    .map(str::trim)
    .collect::<Vec<_>>()
    .join(" ");
    assert!(shown.contains(&status), "cut at 80×24:\n{text}");
    assert!(text.contains("x.gvmi"), "the table keeps its rows:\n{text}");
}

/// `P` where one image is uploaded but not public: the tally names the
/// reason (not a URL cut short), then the fix's gist; the row's details say
/// it was uploaded, and the fix whole.
#[test]
fn capital_p_uploaded_but_not_public_names_the_reason_and_the_fix() {
    let mut app = publishing_to(&[publish_to("/images", "s3://bkt/imgs")]);
    discover(&mut app, "a.gvmi", 10, 1);
    discover(&mut app, "b.gvmi", 10, 1);
    let published = jobs(press(&mut app, KeyCode::Char('P')));
    let url = "https://a-long-bucket-name.s3.eu-central-1.amazonaws.com/imgs/a.gvmi";
    let fix = "the object is private: providers download without credentials. Make \
               the prefix public-read with a bucket policy (aws s3api put-bucket-policy \
               --bucket bkt --policy file://policy.json):\n{\n  \"Sid\": \"GvmiPublicRead\"\n}";
    for job in &published {
        let result = if job.path.ends_with("a.gvmi") {
            Err(NotPublished {
                stored_at: Some(url.into()),
                why: format!("{url} answers 403 Forbidden to an anonymous HEAD"),
                fix: Some(fix.into()),
            })
        } else {
            Ok(PublishedAt {
                url: "https://cdn.example.com/imgs/b.gvmi".into(),
                uploaded: true,
                record: None,
            })
        };
        app.apply(Event::Worker(WorkerEvent::Published {
            id: job.id,
            result,
            notes: vec![],
        }));
    }
    assert_eq!(
        app.notes().status(),
        Some(
            "1/2 published, 1 failed: a.gvmi (not public: answers 403 Forbidden to an \
             anonymous HEAD). Fix: the object is private: providers download without \
             credentials. Make the prefix public-read with a bucket policy (details: Enter)."
        )
    );
    let a = row_id(&app, "a.gvmi");
    select(&mut app, a);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(
        text.contains(&format!("uploaded to {url}, but not public")),
        "{text}"
    );
    assert!(text.contains("GvmiPublicRead"), "{text}");
    assert!(!text.contains("not published"), "{text}");
}
