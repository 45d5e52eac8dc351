//! Issue "Hostile inputs II", items 14, 15 and 17 (and 2's folders): what a
//! folder's names, links and modes do to writers. A name too long for its
//! sidecar is refused before anything is written; a folder named `x.gvmi` is
//! walked like any folder; a link at a folder below the web root is not
//! followed; a published copy is never more readable than its source.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use super::shared::{gvmi_home, report, sh_gvmi, valid_image};
use super::*;

const LIMIT: Duration = Duration::from_secs(60);

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn item_14_long_names_fit_or_are_refused_before_anything_is_written() {
    let home = tempfile::tempdir().unwrap();
    let (images, www) = (home.path().join("images"), home.path().join("www"));
    fs::create_dir(&images).unwrap();
    fs::create_dir(&www).unwrap();
    let longest = format!("{}.gvmi", "a".repeat(241)); // its sidecar: 255 bytes
    let too_long = format!("{}.gvmi", "b".repeat(245)); // 250 bytes; sidecar 259
    for (i, name) in [&longest, &too_long, &"ok.gvmi".to_string()]
        .iter()
        .enumerate()
    {
        valid_image(&images.join(name), 8192 + i as u64);
    }
    let started = Instant::now();
    let run = gvmi_home(home.path())
        .args(["hash", "--write-sums"])
        .arg(&images);
    let command = run.what();
    let out = bounded(run, None, LIMIT);
    report(
        "250-byte image name, hash --write-sums",
        &command,
        &out,
        started.elapsed(),
    );
    out.assert_code(0);
    let sums = fs::read_to_string(images.join("SHA3SUMS")).unwrap();
    assert_eq!(sums.lines().count(), 3, "{sums}");

    let started = Instant::now();
    let run = gvmi_home(home.path())
        .args(["publish", "--to"])
        .arg(format!("file://{}", www.display()))
        .arg(&images);
    let command = run.what();
    let out = bounded(run, None, LIMIT);
    report(
        "250-byte image name, publish",
        &command,
        &out,
        started.elapsed(),
    );
    out.assert_code(3);
    let err = out.stderr();
    assert!(
        err.contains(&format!(
            "{too_long}.sha3-224: the hash sidecar's name would be 259 bytes, longer than \
             the folder's limit of 255; nothing was published"
        )),
        "{err}"
    );
    assert!(!err.contains("File name too long"), "{err}");
    let mut names: Vec<String> = fs::read_dir(&www)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let want = [
        longest.clone(),
        format!("{longest}.sha3-224"),
        "ok.gvmi".into(),
        "ok.gvmi.sha3-224".into(),
    ];
    assert_eq!(names, want, "the others published, nothing of the long one");
}

#[cfg(unix)]
#[test]
fn item_15_a_folder_named_like_an_image_is_walked_not_an_error() {
    let home = tempfile::tempdir().unwrap();
    let (images, www) = (home.path().join("images"), home.path().join("www"));
    fs::create_dir_all(images.join("x.gvmi")).unwrap();
    fs::create_dir_all(images.join("empty.GVMI")).unwrap();
    valid_image(&images.join("x.gvmi/inner.gvmi"), 8192);
    valid_image(&images.join("top.gvmi"), 8193);
    for follow in [false, true] {
        let started = Instant::now();
        let mut run = gvmi_home(home.path()).args(["hash", "--no-cache"]);
        if follow {
            run = run.arg("-L");
        }
        let run = run.arg(&images);
        let command = run.what();
        let out = bounded(run, None, LIMIT);
        report(
            "folders named x.gvmi, hash",
            &command,
            &out,
            started.elapsed(),
        );
        out.assert_code(0);
        assert!(out.stderr.is_empty(), "{}", out.stderr());
        let lines = out.stdout_lines();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with("/images/top.gvmi"), "{lines:?}");
        assert!(lines[1].ends_with("/images/x.gvmi/inner.gvmi"), "{lines:?}");
    }
    let started = Instant::now();
    // The destination must exist; the subfolder `x.gvmi/` below it is made.
    fs::create_dir(&www).unwrap();
    let run = gvmi_home(home.path())
        .args(["publish", "--to"])
        .arg(format!("file://{}", www.display()))
        .arg(&images);
    let command = run.what();
    let out = bounded(run, None, LIMIT);
    report(
        "folders named x.gvmi, publish",
        &command,
        &out,
        started.elapsed(),
    );
    out.assert_code(0);
    assert!(www.join("x.gvmi/inner.gvmi").is_file() && www.join("top.gvmi").is_file());
}

#[cfg(unix)]
#[test]
fn item_17_a_published_copy_is_never_more_readable_than_its_source() {
    let home = tempfile::tempdir().unwrap();
    let (images, www) = (home.path().join("images"), home.path().join("www"));
    fs::create_dir(&images).unwrap();
    fs::create_dir(&www).unwrap();
    // (source mode, umask, the copy's mode: source & !umask)
    let cases = [
        (0o640, "022", 0o640), // /etc/shadow's mode: was published 0644
        (0o600, "022", 0o600),
        (0o644, "022", 0o644),
        (0o644, "077", 0o600),
        (0o755, "027", 0o750),
    ];
    for (i, (source_mode, umask, want)) in cases.into_iter().enumerate() {
        let secret = images.join(format!("secret{i}"));
        valid_image(&secret, 8192 + i as u64);
        fs::set_permissions(&secret, fs::Permissions::from_mode(source_mode)).unwrap();
        // Named on the command line through a link, as `-L` or a link does.
        let link = images.join(format!("link{i}.gvmi"));
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let started = Instant::now();
        let run = sh_gvmi(home.path(), &format!("umask {umask}; exec \"$@\""), "sh")
            .args(["publish", "-L", "--to"])
            .arg(format!("file://{}", www.display()))
            .arg(&link);
        let command = run.what();
        let out = bounded(run, None, LIMIT);
        report(
            &format!("source {source_mode:o} through a link, umask {umask}"),
            &command,
            &out,
            started.elapsed(),
        );
        out.assert_code(0);
        let copy = www.join(format!("link{i}.gvmi"));
        assert_eq!(mode(&copy), want, "{}", copy.display());
        assert_eq!(mode(&www.join(format!("link{i}.gvmi.sha3-224"))), want);
    }
    // The rule is told where the destination is described.
    let help = bounded(
        gvmi_home(home.path()).args(["publish", "--help"]),
        None,
        LIMIT,
    );
    help.assert_code(0);
    let text = help
        .stdout()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("gets the source's permission bits, masked by the umask"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn item_2_a_link_planted_at_a_folder_of_the_web_root_is_not_followed() {
    let home = tempfile::tempdir().unwrap();
    let (images, www, victims) = (
        home.path().join("images"),
        home.path().join("www"),
        home.path().join("victims"),
    );
    for d in [&images.join("sub"), &www, &victims] {
        fs::create_dir_all(d).unwrap();
    }
    valid_image(&images.join("sub/n.gvmi"), 8192);
    valid_image(&images.join("top.gvmi"), 8193);
    // `www/sub` pointing at a folder the publisher may write (as root: any).
    std::os::unix::fs::symlink(&victims, www.join("sub")).unwrap();
    let started = Instant::now();
    let run = gvmi_home(home.path())
        .args(["publish", "--to"])
        .arg(format!("file://{}", www.display()))
        .arg(&images);
    let command = run.what();
    let out = bounded(run, None, LIMIT);
    report(
        "a link at a folder below the web root",
        &command,
        &out,
        started.elapsed(),
    );
    out.assert_code(3);
    assert!(
        out.stderr().contains(
            "/www/sub: a symbolic link inside the destination folder; not followed, nothing \
             was published"
        ),
        "{}",
        out.stderr()
    );
    assert_eq!(
        fs::read_dir(&victims).unwrap().count(),
        0,
        "nothing written there"
    );
    assert!(www.join("top.gvmi").is_file(), "the rest is published");
}
