//! Item 9: a tampered `published.v1.json` (not JSON, a newer version, over
//! 16 MiB, a FIFO, a symbolic link, a folder) was silently replaced by one
//! holding only the latest record. Now an unreadable one is renamed aside,
//! the message naming both paths; a newer one is left byte for byte; a
//! FIFO never hangs anything; a link's target is never touched. And runs
//! at once keep each other's records (read-merge-write under a lock).

use std::fs;

use super::*;

/// Publishes `name` (new bytes) from a folder of its own into a web root
/// of its own; returns the output and the image's path.
fn publish_one(home: &Home, what: &str, name: &str) -> (Output, PathBuf) {
    let src = home.path().join(format!("src-{name}"));
    let web = home.path().join(format!("web-{name}"));
    fs::create_dir_all(&web).unwrap();
    let image = put(&src, name, format!("image {name}\n"));
    let to = file_url(&web);
    let run = home
        .gvmi(["publish", "--allow-invalid"])
        .arg(&image)
        .args(["--to", &to]);
    (attack(what, run), image)
}

/// The names beside the state file that were set aside.
fn set_aside(home: &Home) -> Vec<PathBuf> {
    let dir = home.state().parent().unwrap().to_path_buf();
    names(&dir)
        .into_iter()
        .filter(|n| n.starts_with("published.v1.json.unreadable-"))
        .map(|n| dir.join(n))
        .collect()
}

/// A state file holding a record for `/kept/old.gvmi`.
fn with_one_record(home: &Home) {
    let json = serde_json::json!({
        "version": 1,
        "images": { "/kept/old.gvmi": {
            "url": "https://cdn.example.com/old.gvmi",
            "sha3_224": "ab".repeat(28),
            "size": 9,
            "public": true
        }}
    });
    fs::create_dir_all(home.state().parent().unwrap()).unwrap();
    fs::write(home.state(), serde_json::to_vec(&json).unwrap()).unwrap();
}

#[test]
fn item_9_an_unreadable_state_file_is_kept_aside_with_both_paths_named() {
    type Plant = fn(&Path);
    let plants: [(&str, Plant, &str); 4] = [
        (
            "not JSON",
            |p| fs::write(p, b"{ \"version\": 1, \x1b]52;c;aGk=\x07").unwrap(),
            "not gvmi's JSON",
        ),
        (
            "over 16 MiB",
            |p| fs::File::create(p).unwrap().set_len(17 << 20).unwrap(),
            "too large",
        ),
        ("FIFO", mkfifo, "not a regular file (FIFO)"),
        ("folder", |p| fs::create_dir(p).unwrap(), "Is a directory"),
    ];
    for (what, plant, words) in plants {
        let home = Home::new();
        fs::create_dir_all(home.state().parent().unwrap()).unwrap();
        plant(&home.state());
        let before = fs::symlink_metadata(home.state()).unwrap();
        let (out, image) = publish_one(&home, &format!("item 9: state file {what}"), "a.gvmi");
        out.assert_code(0);
        let aside = set_aside(&home);
        assert_eq!(aside.len(), 1, "{what}: {aside:?}");
        let err = out.stderr();
        let shown = home.state().display().to_string();
        assert!(
            err.contains(&format!("state file {shown}: {words}")),
            "{what}: {err}"
        );
        assert!(
            err.contains(&format!("kept as {}", aside[0].display())),
            "{what}: {err}"
        );
        // The same thing, moved: nothing lost.
        let kept = fs::symlink_metadata(&aside[0]).unwrap();
        assert_eq!(kept.file_type(), before.file_type(), "{what}");
        assert_eq!(kept.len(), before.len(), "{what}");
        // The new state holds this run's record.
        let urls = home.urls();
        assert_eq!(urls.len(), 1, "{what}: {urls:?}");
        assert_eq!(urls[0].0, image.to_str().unwrap());
    }
}

#[test]
fn item_9_a_link_is_set_aside_never_followed() {
    let home = Home::new();
    let outside = tempdir();
    let target = outside.path().join("precious.json");
    fs::write(&target, b"precious\n").unwrap();
    fs::create_dir_all(home.state().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, home.state()).unwrap();
    let (out, _) = publish_one(&home, "item 9: state file is a symlink", "a.gvmi");
    out.assert_code(0);
    assert!(out.stderr().contains("a symbolic link"), "{}", out.stderr());
    assert_eq!(
        fs::read(&target).unwrap(),
        b"precious\n",
        "the target untouched"
    );
    let aside = set_aside(&home);
    assert_eq!(
        fs::read_link(&aside[0]).unwrap(),
        target,
        "the link itself moved"
    );
    assert!(fs::symlink_metadata(home.state()).unwrap().is_file());
}

#[test]
fn item_9_a_newer_version_is_left_alone_and_said() {
    let home = Home::new();
    fs::create_dir_all(home.state().parent().unwrap()).unwrap();
    let newer = br#"{"version": 2, "images": {}, "mirrors": ["https://m.example/"]}"#;
    fs::write(home.state(), newer).unwrap();
    let (out, _) = publish_one(&home, "item 9: state file version 2", "a.gvmi");
    out.assert_code(0);
    let err = out.stderr();
    assert!(
        err.contains("written by a newer gvmi (version 2; this one reads 1)"),
        "{err}"
    );
    assert!(
        err.contains("the URLs of this run are not remembered"),
        "{err}"
    );
    assert_eq!(fs::read(home.state()).unwrap(), newer);
    assert!(set_aside(&home).is_empty());
    // snippet says why it does not use the file, and goes on.
    let dir = tempdir();
    let image = put(dir.path(), "b.gvmi", b"b\n");
    let snippet = attack(
        "item 9: snippet with a version 2 state",
        home.gvmi(["snippet", "--allow-invalid"]).arg(&image),
    );
    snippet.assert_code(0);
    assert!(
        snippet.stderr().contains("its URLs are not used"),
        "{}",
        snippet.stderr()
    );
}

#[test]
fn item_9_snippet_and_verify_never_hang_on_a_fifo_state() {
    let home = Home::new();
    fs::create_dir_all(home.state().parent().unwrap()).unwrap();
    mkfifo(&home.state());
    let dir = tempdir();
    let image = put(dir.path(), "b.gvmi", b"b\n");
    let snippet = attack(
        "item 9: snippet, FIFO state",
        home.gvmi(["snippet", "--allow-invalid"]).arg(&image),
    );
    snippet.assert_code(0);
    assert!(
        snippet.stderr().contains("not a regular file (FIFO)"),
        "{}",
        snippet.stderr()
    );
    let verify = attack(
        "item 9: verify, FIFO state",
        home.gvmi(["verify"]).arg(&image),
    );
    assert_ne!(verify.code, Some(0), "no URL to verify");
}

#[test]
fn item_9_runs_at_once_keep_each_others_records() {
    const RUNS: usize = 4;
    for round in 0..3 {
        let home = Home::new();
        with_one_record(&home);
        let children: Vec<_> = (0..RUNS)
            .map(|i| {
                let src = home.path().join(format!("src{i}"));
                let web = home.path().join(format!("web{i}"));
                fs::create_dir_all(&web).unwrap();
                let image = put(&src, format!("r{i}.gvmi"), format!("image {i} {round}\n"));
                let run = home
                    .gvmi(["publish", "--allow-invalid"])
                    .arg(&image)
                    .args(["--to", &file_url(&web)]);
                (crate::files::start(run, None), image)
            })
            .collect();
        let started = Instant::now();
        let mut images = vec!["/kept/old.gvmi".to_string()];
        for (mut child, image) in children {
            let (code, _) = crate::files::wait_bounded(&mut child, LIMIT, "a concurrent publish");
            assert_eq!(code, Some(0));
            images.push(image.to_str().unwrap().to_string());
        }
        eprintln!(
            "MEASURED item 9: {RUNS} publishes at once, round {round}: {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
        images.sort();
        let mut kept: Vec<String> = home.urls().into_iter().map(|(k, _)| k).collect();
        kept.sort();
        assert_eq!(kept, images, "round {round}");
    }
}
