//! The README's picture of the workbench is a real frame: the shipped demo
//! images (`assets/demo`: their sizes and hashes, read here) at the state
//! it shows, rendered at its width, must give the README's lines.

use std::path::{Path, PathBuf};

use crate::fixture::*;
use gvmi::tui::event::Event;
use gvmi_core::cancel::CancelToken;
use gvmi_core::event::JobEvent;
use gvmi_core::hasher::Hashed;

/// The demo's images, below `assets/demo`, in name order.
fn demo() -> Vec<(String, Hashed)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let mut out: Vec<(String, Hashed)> = ["", "tools"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(root.join(sub)).unwrap().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "gvmi"))
        .map(|p: PathBuf| {
            let hashed = gvmi_core::hasher::hash_file(&p, &CancelToken::new(), |_| {}).unwrap();
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, hashed)
        })
        .collect();
    out.sort_by(|a, b| a.0.rsplit('/').next().cmp(&b.0.rsplit('/').next()));
    out
}

/// The fenced block after the README's "## The workbench" heading.
fn readme_mock() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let section = readme
        .split("## The workbench")
        .nth(1)
        .expect("the section");
    let block = section.split("```\n").nth(1).expect("the picture");
    block.to_string()
}

#[test]
fn the_readme_picture_is_the_demo_as_the_workbench_draws_it() {
    let mut app = app(130, 9);
    let images = demo();
    assert_eq!(images.len(), 4, "{images:?}");
    let ids: Vec<_> = (images.iter())
        .map(|(rel, h)| discover(&mut app, rel, h.stamp.size, 0))
        .collect();
    app.apply(Event::DiscoveryDone);
    // The first two hashed, the third at 38%, the last queued.
    for (&id, (_, hashed)) in ids.iter().zip(&images).take(2) {
        app.apply(Event::Job(JobEvent::Started {
            id,
            size: hashed.stamp.size,
        }));
        let hashed = Hashed {
            digest: hashed.digest,
            stamp: stamp(hashed.stamp.size, 0),
        };
        app.apply(Event::Job(JobEvent::Finished {
            id,
            result: Ok(hashed),
        }));
    }
    let third = images[2].1.stamp.size;
    progress(&mut app, ids[2], third, third * 385 / 1000);
    let first = row_id(&app, images[0].0.as_str());
    set_url(&mut app, first, Some("https://cdn.example.com/demo/a.gvmi"));
    // A quarter of a second in (the demo hashes in no time; the picture
    // shows a moment of it).
    let now = app.tally().started() + std::time::Duration::from_millis(250);
    app.send(gvmi::tui::app::Msg::Frame(now));
    let drawn = screen(&app);
    let trimmed = |t: &str| t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    assert_eq!(
        trimmed(&readme_mock()),
        trimmed(&drawn),
        "README.md's picture; drawn:\n{drawn}"
    );
}
