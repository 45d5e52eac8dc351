//! `gvmi snippet` over folders: searched as `gvmi hash` searches them
//! (`-L`, `-d`), and a base URL joined with each image's path below the
//! folder, as `gvmi verify` and the workbench's `b` join it.

use super::{alpine, snippet};

/// `DIR/sub/a.gvmi`, and `DIR/l.gvmi`, a link to the alpine fixture.
#[cfg(unix)]
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::copy(alpine(), dir.path().join("sub/a.gvmi")).unwrap();
    std::os::unix::fs::symlink(alpine(), dir.path().join("l.gvmi")).unwrap();
    dir
}

/// The task-package lines (`hash:sha3:HEX:URL`), one per image.
fn urls(out: &str) -> Vec<&str> {
    out.lines()
        .filter_map(|l| l.strip_prefix("hash:sha3:"))
        .filter_map(|l| l.split_once(':').map(|(_, url)| url))
        .collect()
}

#[cfg(unix)]
#[test]
fn folders_are_walked_as_hash_walks_them() {
    let dir = tree();
    let d = dir.path().to_str().unwrap();
    let base = [
        "--base-url",
        "https://cdn.example.com/i/",
        "-t",
        "task-package",
    ];
    let (code, out, err) = snippet(&[&[d][..], &base].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(urls(&out), ["https://cdn.example.com/i/sub/a.gvmi"]);
    assert!(err.contains("l.gvmi: symbolic link not followed"), "{err}");
    let (code, out, err) = snippet(&[&[d, "-L"][..], &base].concat());
    assert_eq!((code, urls(&out).len()), (0, 2), "{out}\n{err}");
    // Only the link is at the top: `-d 0` leaves `sub/` alone.
    let (code, out, err) = snippet(&[&[d, "-L", "-d", "0"][..], &base].concat());
    assert_eq!((code, urls(&out).len()), (0, 1), "{out}\n{err}");
    assert!(out.contains("/l.gvmi"), "{out}");
}

/// `--base-url` is joined with the path below the folder argument, as
/// `gvmi verify` joins it; an image named directly gets its file name.
#[cfg(unix)]
#[test]
fn the_base_url_is_joined_with_the_path_below_the_folder_named() {
    let dir = tree();
    let sub = dir.path().join("sub");
    let image = sub.join("a.gvmi");
    let base = [
        "--base-url",
        "https://cdn.example.com/i",
        "-t",
        "task-package",
    ];
    for (arg, url) in [
        (dir.path(), "https://cdn.example.com/i/sub/a.gvmi"),
        (sub.as_path(), "https://cdn.example.com/i/a.gvmi"),
        (image.as_path(), "https://cdn.example.com/i/a.gvmi"),
    ] {
        let (code, out, err) = snippet(&[&[arg.to_str().unwrap()][..], &base].concat());
        assert_eq!((code, urls(&out)), (0, vec![url]), "{err}");
    }
    // With --hash, the one IMAGE names the file, hashed to check it.
    let named = sub.join("b.gvmi");
    std::fs::copy(crate::support::fixture("alpine.gvmi"), &named).unwrap();
    let hash = [
        "--hash",
        crate::support::ALPINE_HASH,
        named.to_str().unwrap(),
    ];
    let (code, out, err) = snippet(&[&hash[..], &base].concat());
    assert_eq!(
        (code, urls(&out)),
        (0, vec!["https://cdn.example.com/i/b.gvmi"]),
        "{err}"
    );
}
