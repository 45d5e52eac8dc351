//! Items 6, 7 and 8: a FIFO, a link to `/dev/zero` or a huge file in place
//! of SHA3SUMS, the cache, its lock or config.toml. Each run ends at once
//! with a message naming the file, within the memory limit, and the safe
//! default: SHA3SUMS left untouched, no cache (a new one saved), no config.

use std::fs;
use std::path::Path;
use std::time::Duration;

use super::*;
use crate::support::ALPINE_HASH;

const LIMIT: Duration = Duration::from_secs(20);

/// A hostile thing to put in a file's place: what it is, how to make it,
/// and the words gvmi must use for it.
type Special = (&'static str, fn(&Path), &'static str);

/// The hostile things put in a file's place.
#[cfg(unix)]
fn specials() -> [Special; 3] {
    [
        ("FIFO", mkfifo, "not a regular file (FIFO)"),
        (
            "/dev/zero",
            |p| std::os::unix::fs::symlink("/dev/zero", p).unwrap(),
            "not a regular file (character device)",
        ),
        ("folder", |p| fs::create_dir(p).unwrap(), "Is a directory"),
    ]
}

/// The words for `what` in place of a file gvmi rewrites in a folder others
/// may write (SHA3SUMS, a lock file): a link is refused before anything is
/// read through it, whatever it points at.
fn unfollowed(what: &str, words: &'static str) -> &'static str {
    match what {
        "/dev/zero" => "a symbolic link; not followed",
        _ => words,
    }
}

/// A home (config and cache folders) and an image folder with `a.gvmi`.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let images = home.path().join("images");
    fs::create_dir(&images).unwrap();
    fs::write(images.join("a.gvmi"), "abc").unwrap();
    // Older than the cache's racy window, so its hash is kept and saved.
    std::thread::sleep(Duration::from_millis(150));
    (home, images)
}

#[cfg(unix)]
#[test]
fn item_6_special_sha3sums_is_left_untouched_with_a_message() {
    for (what, make, words) in specials() {
        let words = unfollowed(what, words);
        let (home, images) = setup();
        let sums = images.join("SHA3SUMS");
        make(&sums);
        let out = bounded(
            gvmi_in(home.path())
                .args(["hash", "--write-sums"])
                .arg(&images),
            None,
            LIMIT,
        );
        out.assert_code(1);
        assert_inert("stderr", &out.stderr);
        let err = out.stderr();
        assert!(
            err.contains(&format!(
                "SHA3SUMS: not written: the existing file cannot be read ({words})"
            )),
            "{what}: {err}"
        );
        assert!(
            out.stdout().ends_with("a.gvmi\n"),
            "{what}: the hash is still printed"
        );
        let kind = fs::symlink_metadata(&sums).unwrap().file_type();
        assert!(!kind.is_file(), "{what}: left as it was");
        assert!(temp_files(&images).is_empty());
        // The workbench's reader refuses it too, without blocking.
        assert!(gvmi_core::manifest::read_opinions(&images).is_none());
    }
}

#[cfg(unix)]
#[test]
fn item_6_a_huge_sha3sums_is_refused_by_its_size() {
    let (home, images) = setup();
    let sums = images.join("SHA3SUMS");
    fs::File::create(&sums).unwrap().set_len(8 << 30).unwrap(); // sparse
    let out = bounded(
        gvmi_in(home.path())
            .args(["hash", "--write-sums"])
            .arg(&images),
        None,
        LIMIT,
    );
    out.assert_code(1);
    assert!(
        out.stderr().contains("cannot be read (too large (8.0 GiB"),
        "{}",
        out.stderr()
    );
    assert_eq!(fs::metadata(&sums).unwrap().len(), 8 << 30);
    // Told to, it replaces it.
    let out = bounded(
        gvmi_in(home.path())
            .args(["hash", "--write-sums", "--replace-sums"])
            .arg(&images),
        None,
        LIMIT,
    );
    out.assert_code(0);
    assert!(fs::read_to_string(&sums).unwrap().ends_with("  a.gvmi\n"));
}

#[cfg(unix)]
#[test]
fn item_7_special_or_huge_cache_means_no_cache_and_a_new_one() {
    let huge = |p: &Path| fs::File::create(p).unwrap().set_len(2 << 30).unwrap();
    let mut cases: Vec<Special> = specials().into_iter().collect();
    cases.push(("2 GiB of garbage", huge, "too large (2.0 GiB"));
    for (what, make, words) in cases {
        let (home, images) = setup();
        let cache = home.path().join("cache/gvmi/hashes.v1.bin");
        fs::create_dir_all(cache.parent().unwrap()).unwrap();
        make(&cache);
        let out = bounded(gvmi_in(home.path()).arg("hash").arg(&images), None, LIMIT);
        out.assert_code(0);
        assert_inert("stderr", &out.stderr);
        let err = out.stderr();
        let saved_over = !what.starts_with("folder");
        assert!(err.contains("hashes.v1.bin: "), "{what}: {err}");
        assert!(err.contains(words), "{what}: {err}");
        assert!(out.stdout().ends_with("a.gvmi\n"));
        // Replaced by a good cache (a folder cannot be renamed over).
        assert_eq!(
            fs::metadata(&cache).unwrap().is_file(),
            saved_over,
            "{what}"
        );
        assert!(temp_files(cache.parent().unwrap()).is_empty(), "{what}");
    }
}

#[cfg(unix)]
#[test]
fn item_7_special_lock_file_is_refused_at_once_and_named() {
    for (what, make, words) in specials() {
        let words = unfollowed(what, words);
        let (home, images) = setup();
        let dir = home.path().join("cache/gvmi");
        fs::create_dir_all(&dir).unwrap();
        make(&dir.join("hashes.v1.lock"));
        let out = bounded(gvmi_in(home.path()).arg("hash").arg(&images), None, LIMIT);
        // The hashes are right; only the cache could not be saved.
        out.assert_code(0);
        assert_inert("stderr", &out.stderr);
        let err = out.stderr();
        assert!(
            err.contains("hashes.v1.bin: not saved: lock file ")
                && err.contains(&format!("hashes.v1.lock: {words}")),
            "{what}: {err}"
        );
        assert!(!dir.join("hashes.v1.bin").exists());
    }
}

#[cfg(unix)]
#[test]
fn item_8_special_or_huge_config_is_refused_with_a_message() {
    let big = |p: &Path| fs::write(p, vec![b'#'; 2 << 20]).unwrap();
    let mut cases: Vec<Special> = specials().into_iter().collect();
    cases.push(("2 MiB", big, "too large (2.0 MiB"));
    for (what, make, words) in cases {
        let home = tempfile::tempdir().unwrap();
        let config = home.path().join("gvmi/config.toml");
        fs::create_dir_all(config.parent().unwrap()).unwrap();
        make(&config);
        let out = bounded(
            gvmi_in(home.path()).args(["snippet", "--hash", ALPINE_HASH]),
            None,
            LIMIT,
        );
        out.assert_code(2);
        assert_inert("stderr", &out.stderr);
        assert!(
            out.stderr()
                .contains(&format!("config.toml: cannot read: {words}")),
            "{what}: {}",
            out.stderr()
        );
        assert!(
            out.stdout.is_empty(),
            "{what}: nothing made from a config not read"
        );
    }
}

#[cfg(unix)]
#[test]
fn item_8_special_template_is_refused_too() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("gvmi/snippets");
    fs::create_dir_all(&dir).unwrap();
    for name in ["yapapi.py", "golem-js.js", "task-package.txt"] {
        mkfifo(&dir.join(name));
    }
    let out = bounded(
        gvmi_in(home.path()).args(["snippet", "--hash", ALPINE_HASH]),
        None,
        LIMIT,
    );
    out.assert_code(2);
    assert_inert("stderr", &out.stderr);
    assert!(
        out.stderr()
            .contains("yapapi.py: cannot read: not a regular file (FIFO)"),
        "{}",
        out.stderr()
    );
}
