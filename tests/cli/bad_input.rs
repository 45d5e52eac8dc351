//! Bad input: every odd, vanished, unreadable or changing file is named on
//! stderr as `gvmi: <path>: <reason>`, the rest go on, the exit code tells.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::support::*;
use gvmi_core::cancel::CancelToken;
use gvmi_core::hasher::{self, HashFailure};

/// A run that could hang (a FIFO opened for reading blocks) fails after this.
const HANG: Duration = Duration::from_secs(60);

/// Exactly one stderr line names `path`; it is returned.
#[track_caller]
fn named_once(out: &Output, path: &str) -> String {
    let prefix = format!("gvmi: {path}: ");
    let hits: Vec<String> = out
        .stderr_lines()
        .into_iter()
        .filter(|l| l.starts_with(&prefix))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "want one `{prefix}…` line; stderr:\n{}",
        out.stderr()
    );
    hits.into_iter().next().unwrap()
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

// ---------------------------------------------------------------- FIFOs

#[cfg(unix)]
#[test]
fn fifo_named_gvmi_in_a_folder_is_reported_and_the_run_finishes() {
    let tmp = tempdir();
    let b = put_known(tmp.path(), "d/b.gvmi", 1);
    let c = put_known(tmp.path(), "d/c.gvmi", 2);
    mkfifo(&tmp.path().join("d/a.gvmi"));
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).timeout(HANG).run();
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        [format!("{b}  d/b.gvmi"), format!("{c}  d/c.gvmi")]
    );
    let line = named_once(&out, "d/a.gvmi");
    assert!(line.contains("FIFO"), "{line}");
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr());

    // --json: the FIFO gets an error object, the others their hash.
    let out = gvmi(["hash", "--json", "d"])
        .cwd(tmp.path())
        .timeout(HANG)
        .run();
    out.assert_code(1);
    let objs: Vec<serde_json::Value> = out
        .stdout_lines()
        .iter()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(objs.len(), 3, "{}", out.stdout());
    assert_eq!(objs[0]["path"], "d/a.gvmi");
    assert!(objs[0]["error"].as_str().unwrap().contains("FIFO"));
    assert!(objs[0].get("sha3_224").is_none());
    assert_eq!(objs[1]["sha3_224"], b);
    assert_eq!(objs[2]["sha3_224"], c);
}

#[cfg(unix)]
#[test]
fn fifo_given_as_an_argument_is_reported_not_opened() {
    let tmp = tempdir();
    let b = put_known(tmp.path(), "b.gvmi", 3);
    mkfifo(&tmp.path().join("a.gvmi"));
    mkfifo(&tmp.path().join("pipe.bin"));
    let out = gvmi(["hash", "a.gvmi", "b.gvmi", "pipe.bin"])
        .cwd(tmp.path())
        .timeout(HANG)
        .run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), [format!("{b}  b.gvmi")]);
    assert!(named_once(&out, "a.gvmi").contains("FIFO"));
    assert!(named_once(&out, "pipe.bin").contains("FIFO"));
}

#[cfg(unix)]
#[test]
fn fifo_listed_in_a_check_file_fails_open_or_read_without_hanging() {
    let tmp = tempdir();
    let b = put_known(tmp.path(), "b.gvmi", 4);
    mkfifo(&tmp.path().join("a.gvmi"));
    let list = format!("{b}  a.gvmi\n{b}  b.gvmi\n");
    let out = gvmi(["check"])
        .cwd(tmp.path())
        .stdin(list)
        .timeout(HANG)
        .run();
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        ["a.gvmi: FAILED open or read", "b.gvmi: OK"]
    );
    assert!(named_once(&out, "a.gvmi").contains("FIFO"));
    assert!(
        out.stderr_lines()
            .contains(&"gvmi: WARNING: 1 listed file could not be read".to_string()),
        "{}",
        out.stderr()
    );
}

// ---------------------------------------------------------------- symlinks

#[cfg(unix)]
#[test]
fn dangling_symlink_as_argument_is_an_error() {
    let tmp = tempdir();
    let good = put_known(tmp.path(), "good.gvmi", 1);
    symlink("nowhere.gvmi", tmp.path().join("dangling.gvmi"));
    let out = gvmi(["hash", "dangling.gvmi", "good.gvmi"])
        .cwd(tmp.path())
        .run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), [format!("{good}  good.gvmi")]);
    let line = named_once(&out, "dangling.gvmi");
    assert!(line.contains("No such file or directory"), "{line}");
}

#[cfg(unix)]
#[test]
fn dangling_symlink_in_a_folder_is_a_note_unless_followed() {
    let tmp = tempdir();
    let good = put_known(tmp.path(), "d/good.gvmi", 2);
    symlink("nowhere.gvmi", tmp.path().join("d/dangling.gvmi"));

    // Not followed: a note only, the run succeeds.
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(out.stdout_lines(), [format!("{good}  d/good.gvmi")]);
    let note = named_once(&out, "d/dangling.gvmi");
    assert!(note.contains("symbolic link"), "{note}");

    // Followed: its target is missing, which is an error.
    let out = gvmi(["hash", "--follow", "d"]).cwd(tmp.path()).run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), [format!("{good}  d/good.gvmi")]);
    let line = named_once(&out, "d/dangling.gvmi");
    assert!(line.contains("No such file or directory"), "{line}");
}

#[cfg(unix)]
#[test]
fn followed_symlink_to_an_image_is_hashed_under_its_own_name() {
    let tmp = tempdir();
    let hex = put_known(tmp.path(), "d/real.gvmi", 5);
    symlink("real.gvmi", tmp.path().join("d/link.gvmi"));
    let out = gvmi(["hash", "-L", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        [format!("{hex}  d/link.gvmi"), format!("{hex}  d/real.gvmi")]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_with_follow_is_reported_and_the_run_finishes() {
    let tmp = tempdir();
    let a = put_known(tmp.path(), "d/a.gvmi", 6);
    symlink(".", tmp.path().join("d/loop"));
    symlink("../d", tmp.path().join("d/sub-loop"));
    let out = gvmi(["hash", "--follow", "d"])
        .cwd(tmp.path())
        .timeout(HANG)
        .run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), [format!("{a}  d/a.gvmi")]);
    assert!(
        named_once(&out, "d/loop").contains("loop"),
        "{}",
        out.stderr()
    );
    assert!(
        named_once(&out, "d/sub-loop").contains("loop"),
        "{}",
        out.stderr()
    );

    // Without --follow the links are never entered: nothing to report.
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).timeout(HANG).run();
    out.assert_code(0);
    assert_eq!(out.stdout_lines(), [format!("{a}  d/a.gvmi")]);
}

#[cfg(unix)]
#[test]
fn self_referencing_image_link_with_follow_is_reported() {
    let tmp = tempdir();
    let a = put_known(tmp.path(), "d/a.gvmi", 7);
    symlink("self.gvmi", tmp.path().join("d/self.gvmi"));
    let out = gvmi(["hash", "-L", "d"])
        .cwd(tmp.path())
        .timeout(HANG)
        .run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), [format!("{a}  d/a.gvmi")]);
    named_once(&out, "d/self.gvmi");
}

// ---------------------------------------------------------------- vanished and changing files

#[test]
fn file_deleted_between_discovery_and_hashing_is_an_io_error() {
    let tmp = tempdir();
    put_known(tmp.path(), "d/a.gvmi", 1);
    put_known(tmp.path(), "d/b.gvmi", 2);
    let mut found = Vec::new();
    gvmi_core::discover::discover(
        &[tmp.path().join("d")],
        gvmi_core::discover::DiscoverOptions::default(),
        |f| found.push(f),
    );
    assert_eq!(found.len(), 2, "{found:?}");
    fs::remove_file(tmp.path().join("d/a.gvmi")).unwrap();
    let mut results = Vec::new();
    for f in found {
        let gvmi_core::discover::Found::Image { path, .. } = f else {
            panic!("not an image: {f:?}");
        };
        results.push(hasher::hash_file(&path, &CancelToken::new(), |_| {}));
    }
    assert_eq!(
        results[0],
        Err(HashFailure::Io("No such file or directory".into()))
    );
    assert_eq!(results[1].as_ref().unwrap().digest.to_hex(), KNOWN[2].1);
}

/// The real race, made deterministic: `gvmi hash` finishes discovery before
/// it opens any file, so once /proc shows the big image open, discovery is
/// over; the small image, hashed after it (`--jobs 1`, and it sorts last),
/// is deleted then.
#[cfg(target_os = "linux")]
#[test]
fn file_deleted_after_discovery_is_named_and_the_rest_hashed() {
    let tmp = tempdir();
    let big = tmp.path().join("d/big.gvmi");
    fs::create_dir_all(big.parent().unwrap()).unwrap();
    write_prng_file(&big, 8 << 20, 3);
    put_known(tmp.path(), "d/z-small.gvmi", 1);
    // One file at a time (the scalar engine): with SIMD lanes both files
    // would be open within microseconds, leaving no moment to delete one.
    let mut running = gvmi(["hash", "--jobs", "1", "d"])
        .env("GVMI_KECCAK", "portable")
        .cwd(tmp.path())
        .timeout(HANG)
        .start();
    let fds = format!("/proc/{}/fd", running.pid());
    let big = big.canonicalize().unwrap();
    let deadline = std::time::Instant::now() + HANG;
    loop {
        let open_now = fs::read_dir(&fds)
            .map(|dir| {
                dir.flatten()
                    .any(|fd| fs::read_link(fd.path()).is_ok_and(|t| t == big))
            })
            .unwrap_or(false);
        if open_now {
            break;
        }
        assert!(!running.exited(), "gvmi ended before it opened big.gvmi");
        assert!(
            std::time::Instant::now() < deadline,
            "big.gvmi never opened"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    fs::remove_file(tmp.path().join("d/z-small.gvmi")).unwrap();
    let out = running.wait();
    out.assert_code(1);
    let lines = parse_plain_lines(&out.stdout());
    assert_eq!(lines.len(), 1, "{}", out.stdout());
    assert_eq!(lines[0].0, "d/big.gvmi");
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: d/z-small.gvmi: No such file or directory"]
    );
}

/// A file at least two read chunks long, so the hasher calls back mid-file.
fn two_chunk_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("big.gvmi");
    write_prng_file(&path, hasher::CHUNK_SIZE as u64 + 4096, 11);
    path
}

#[test]
fn file_appended_while_hashed_is_changed_not_hashed() {
    let tmp = tempdir();
    let path = two_chunk_file(tmp.path());
    let mut calls = 0;
    let result = hasher::hash_file(&path, &CancelToken::new(), |_| {
        calls += 1;
        if calls == 1 {
            use std::io::Write;
            let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
            f.write_all(b"appended while hashing").unwrap();
        }
    });
    assert_eq!(result, Err(HashFailure::Changed));
    assert!(calls >= 1);
}

#[test]
fn file_truncated_while_hashed_is_changed_not_hashed() {
    let tmp = tempdir();
    let path = two_chunk_file(tmp.path());
    let mut first = true;
    let result = hasher::hash_file(&path, &CancelToken::new(), |_| {
        if std::mem::take(&mut first) {
            let f = fs::OpenOptions::new().write(true).open(&path).unwrap();
            f.set_len(10).unwrap();
        }
    });
    assert_eq!(result, Err(HashFailure::Changed));
}

#[test]
fn file_rewritten_in_place_while_hashed_is_changed_not_hashed() {
    let tmp = tempdir();
    let path = two_chunk_file(tmp.path());
    let mut first = true;
    let result = hasher::hash_file(&path, &CancelToken::new(), |_| {
        if std::mem::take(&mut first) {
            use std::io::Write;
            // Same size; only the mtime tells.
            let mut f = fs::OpenOptions::new().write(true).open(&path).unwrap();
            f.write_all(b"rewritten").unwrap();
            let later = std::time::SystemTime::now() + Duration::from_secs(5);
            f.set_modified(later).unwrap();
        }
    });
    assert_eq!(result, Err(HashFailure::Changed));
}

#[test]
fn file_replaced_by_rename_while_hashed_is_changed_not_hashed() {
    let tmp = tempdir();
    let path = two_chunk_file(tmp.path());
    let other = tmp.path().join("other");
    write_prng_file(&other, hasher::CHUNK_SIZE as u64 + 4096, 12);
    let mut first = true;
    let result = hasher::hash_file(&path, &CancelToken::new(), |_| {
        if std::mem::take(&mut first) {
            fs::rename(&other, &path).unwrap();
        }
    });
    assert_eq!(result, Err(HashFailure::Changed));
}

#[test]
fn hash_file_on_a_removed_path_is_an_io_error() {
    let tmp = tempdir();
    let path = put(tmp.path(), "gone.gvmi", b"x");
    fs::remove_file(&path).unwrap();
    let result = hasher::hash_file(&path, &CancelToken::new(), |_| {});
    assert_eq!(
        result,
        Err(HashFailure::Io("No such file or directory".into()))
    );
}

#[test]
fn missing_argument_is_named_and_the_others_hashed() {
    let tmp = tempdir();
    let good = put_known(tmp.path(), "good.gvmi", 3);
    let out = gvmi(["hash", "nope.gvmi", "good.gvmi"])
        .cwd(tmp.path())
        .run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), [format!("{good}  good.gvmi")]);
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: nope.gvmi: No such file or directory"]
    );
}

// ---------------------------------------------------------------- odd files

#[test]
fn empty_file_hashes_to_the_empty_sha3_224() {
    let tmp = tempdir();
    put(tmp.path(), "d/empty.gvmi", b"");
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(out.stdout(), format!("{EMPTY_SHA3_224}  d/empty.gvmi\n"));
    let check = gvmi(["check"]).cwd(tmp.path()).stdin(out.stdout).run();
    check.assert_code(0);
    assert_eq!(check.stdout_lines(), ["d/empty.gvmi: OK"]);
}

#[test]
fn directory_named_gvmi_is_walked_but_cannot_be_checked() {
    let tmp = tempdir();
    fs::create_dir_all(tmp.path().join("d/x.gvmi")).unwrap();
    let inner = put_known(tmp.path(), "d/x.gvmi/inner.gvmi", 4);
    let y = put_known(tmp.path(), "d/y.gvmi", 5);
    // Walked like any folder: not an error (issue 20, item 15).
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        [
            format!("{inner}  d/x.gvmi/inner.gvmi"),
            format!("{y}  d/y.gvmi")
        ]
    );
    assert!(out.stderr.is_empty(), "{}", out.stderr());

    // Listed in a check file, it cannot be read.
    let list = format!("{y}  d/x.gvmi\n{y}  d/y.gvmi\n");
    let out = gvmi(["check"]).cwd(tmp.path()).stdin(list).run();
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        ["d/x.gvmi: FAILED open or read", "d/y.gvmi: OK"]
    );
    assert_eq!(
        out.stderr_lines(),
        [
            "gvmi: d/x.gvmi: Is a directory",
            "gvmi: WARNING: 1 listed file could not be read"
        ]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_named_and_fails_open_or_read() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempdir();
    if can_read_unreadable(tmp.path()) {
        eprintln!("note: running as root (or with CAP_DAC_OVERRIDE): a chmod 000 file is readable; skipping");
        return;
    }
    let good = put_known(tmp.path(), "d/good.gvmi", 6);
    let locked = put_known(tmp.path(), "d/locked.gvmi", 7);
    fs::set_permissions(
        tmp.path().join("d/locked.gvmi"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), [format!("{good}  d/good.gvmi")]);
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: d/locked.gvmi: Permission denied"]
    );

    let list = format!("{good}  d/good.gvmi\n{locked}  d/locked.gvmi\n");
    let out = gvmi(["check"]).cwd(tmp.path()).stdin(list).run();
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        ["d/good.gvmi: OK", "d/locked.gvmi: FAILED open or read"]
    );
    assert_eq!(
        out.stderr_lines(),
        [
            "gvmi: d/locked.gvmi: Permission denied",
            "gvmi: WARNING: 1 listed file could not be read"
        ]
    );
}

#[cfg(unix)]
#[test]
fn hard_links_are_read_once_and_both_printed() {
    let tmp = tempdir();
    let hex = put_known(tmp.path(), "d/a.gvmi", 8);
    fs::hard_link(tmp.path().join("d/a.gvmi"), tmp.path().join("d/b.gvmi")).unwrap();
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        [format!("{hex}  d/a.gvmi"), format!("{hex}  d/b.gvmi")]
    );

    // The engine opens the shared inode once and answers for both paths.
    use gvmi_core::engine::{Engine, Job};
    use gvmi_core::event::JobEvent;
    let (tx, rx) = crossbeam_channel::unbounded();
    let engine = Engine::new(Some(2), tx).unwrap();
    let jobs: Vec<Job> = ["d/a.gvmi", "d/b.gvmi"]
        .iter()
        .enumerate()
        .map(|(id, name)| {
            let path = tmp.path().join(name);
            let meta = fs::metadata(&path).unwrap();
            Job {
                id,
                path,
                stamp: Some(gvmi_core::fsmeta::FileStamp::of(&meta)),
            }
        })
        .collect();
    engine.submit(jobs, &engine.batch_token());
    let (mut started, mut finished) = (0, Vec::new());
    while finished.len() < 2 {
        match rx.recv_timeout(HANG).expect("engine events") {
            JobEvent::Started { .. } => started += 1,
            JobEvent::Finished { id, result } => {
                finished.push((id, result.unwrap().digest.to_hex()))
            }
            _ => {}
        }
    }
    finished.sort();
    assert_eq!(started, 1, "one read for one inode");
    assert_eq!(finished, [(0, hex.to_string()), (1, hex.to_string())]);
}

// ---------------------------------------------------------------- discovery rules

#[test]
fn max_depth_limits_folder_levels_below_each_path() {
    let tmp = tempdir();
    let top = put_known(tmp.path(), "d/top.gvmi", 1);
    let one = put_known(tmp.path(), "d/a/one.gvmi", 2);
    let two = put_known(tmp.path(), "d/a/b/two.gvmi", 3);
    let run = |extra: &[&str]| {
        let mut args = vec!["hash"];
        args.extend_from_slice(extra);
        args.push("d");
        let out = gvmi(args).cwd(tmp.path()).run();
        out.assert_code(0);
        out.stdout_lines()
    };
    assert_eq!(run(&["--max-depth", "0"]), [format!("{top}  d/top.gvmi")]);
    assert_eq!(
        run(&["-d", "1"]),
        [format!("{one}  d/a/one.gvmi"), format!("{top}  d/top.gvmi")]
    );
    let all = [
        format!("{two}  d/a/b/two.gvmi"),
        format!("{one}  d/a/one.gvmi"),
        format!("{top}  d/top.gvmi"),
    ];
    assert_eq!(run(&["--max-depth", "2"]), all);
    assert_eq!(run(&[]), all);
}

#[test]
fn extension_matches_in_any_case_and_nothing_else() {
    let tmp = tempdir();
    let up = put_known(tmp.path(), "d/UP.GVMI", 1);
    let mixed = put_known(tmp.path(), "d/mixed.GvMi", 2);
    put_known(tmp.path(), "d/x.gvmi.descr.bin", 3);
    put_known(tmp.path(), "d/gvmi", 4);
    put_known(tmp.path(), "d/y.gvm", 5);
    put_known(tmp.path(), "d/.gvmi", 6);
    let out = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        [format!("{up}  d/UP.GVMI"), format!("{mixed}  d/mixed.GvMi")]
    );
}

#[test]
fn explicit_file_argument_is_hashed_whatever_its_name() {
    let tmp = tempdir();
    let notes = put_known(tmp.path(), "notes.txt", 7);
    let bare = put_known(tmp.path(), "image", 8);
    let out = gvmi(["hash", "notes.txt", "image"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        [format!("{notes}  notes.txt"), format!("{bare}  image")]
    );
}

// ---------------------------------------------------------------- check lists

#[test]
fn malformed_check_lines_are_counted_never_passed() {
    let tmp = tempdir();
    let good = put_known(tmp.path(), "good.gvmi", 1);
    let other = put_known(tmp.path(), "other.gvmi", 2);
    // Every bad line names an existing file and starts with its right hash,
    // so a lenient parser would wrongly print `other.gvmi: OK`.
    let bad_lines = [
        format!("{}  other.gvmi", &other[..54]), // too short
        format!("{other}00  other.gvmi"),        // 58 digits
        format!("{other}deadbeef  other.gvmi"),  // 64 digits: a SHA-256 line
        format!("SHA256 (other.gvmi) = {other}deadbeef"),
        format!("SHA3-224 (other.gvmi) = {other}00"),
        format!("{}g  other.gvmi", &other[..55]), // not hex
        format!("{other} other.gvmi"),            // one space
        format!("{other}  "),                     // no name
        "garbage that is not a checksum line".to_string(),
    ];
    let mut list = format!("{good}  good.gvmi\n");
    for l in &bad_lines {
        list.push_str(l);
        list.push('\n');
    }
    fs::write(tmp.path().join("LIST"), &list).unwrap();
    let summary = format!(
        "gvmi: WARNING: {} lines are improperly formatted",
        bad_lines.len()
    );

    let out = gvmi(["check", "LIST"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(out.stdout_lines(), ["good.gvmi: OK"]);
    assert_eq!(out.stderr_lines(), std::slice::from_ref(&summary));

    let out = gvmi(["check", "--strict", "LIST"]).cwd(tmp.path()).run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), ["good.gvmi: OK"]);
    assert_eq!(out.stderr_lines(), [summary]);

    // One malformed line: singular wording.
    let one = format!("{good}  good.gvmi\n{}\n", bad_lines[2]);
    let out = gvmi(["check"]).cwd(tmp.path()).stdin(one).run();
    out.assert_code(0);
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: WARNING: 1 line is improperly formatted"]
    );

    // Nothing but malformed lines: the list fails.
    let only_bad = bad_lines.join("\n");
    let out = gvmi(["check"]).cwd(tmp.path()).stdin(only_bad).run();
    out.assert_code(1);
    assert!(out.stdout.is_empty(), "{}", out.stdout());
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: standard input: no properly formatted SHA3-224 checksum lines found"]
    );
}

#[test]
fn missing_listed_file_fails_unless_ignored() {
    let tmp = tempdir();
    let good = put_known(tmp.path(), "good.gvmi", 3);
    let list = format!("{good}  good.gvmi\n{good}  missing.gvmi\n");
    fs::write(tmp.path().join("LIST"), &list).unwrap();

    let out = gvmi(["check", "LIST"]).cwd(tmp.path()).run();
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        ["good.gvmi: OK", "missing.gvmi: FAILED open or read"]
    );
    assert_eq!(
        out.stderr_lines(),
        [
            "gvmi: missing.gvmi: No such file or directory",
            "gvmi: WARNING: 1 listed file could not be read"
        ]
    );

    let out = gvmi(["check", "--ignore-missing", "LIST"])
        .cwd(tmp.path())
        .run();
    out.assert_code(0);
    assert_eq!(out.stdout_lines(), ["good.gvmi: OK"]);
    assert!(out.stderr.is_empty(), "{}", out.stderr());
}

#[test]
fn ignore_missing_with_nothing_verified_fails() {
    let tmp = tempdir();
    let hex = put_known(tmp.path(), "changed.gvmi", 4);
    fs::write(
        tmp.path().join("ALL-MISSING"),
        format!("{hex}  gone-1.gvmi\n{hex}  gone-2.gvmi\n"),
    )
    .unwrap();
    let out = gvmi(["check", "--ignore-missing", "ALL-MISSING"])
        .cwd(tmp.path())
        .run();
    out.assert_code(1);
    assert!(out.stdout.is_empty(), "{}", out.stdout());
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: ALL-MISSING: no file was verified"]
    );
    // --status: the exit code alone tells.
    let out = gvmi(["check", "--ignore-missing", "--status", "ALL-MISSING"])
        .cwd(tmp.path())
        .run();
    out.assert_code(1);
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");

    // As GNU: a mismatch is not a verified file either.
    fs::write(tmp.path().join("changed.gvmi"), "tampered").unwrap();
    fs::write(
        tmp.path().join("MISMATCH"),
        format!("{hex}  changed.gvmi\n{hex}  gone.gvmi\n"),
    )
    .unwrap();
    let out = gvmi(["check", "--ignore-missing", "MISMATCH"])
        .cwd(tmp.path())
        .run();
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), ["changed.gvmi: FAILED"]);
    assert_eq!(
        out.stderr_lines(),
        [
            "gvmi: WARNING: 1 computed checksum did NOT match",
            "gvmi: MISMATCH: no file was verified"
        ]
    );
}

#[test]
fn unreadable_check_list_is_named() {
    let tmp = tempdir();
    let out = gvmi(["check", "NOPE"]).cwd(tmp.path()).run();
    out.assert_code(1);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: NOPE: No such file or directory"]
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_is_an_error_not_a_silent_success() {
    let tmp = tempdir();
    let hex = put_known(tmp.path(), "d/a.gvmi", 5);
    put_known(tmp.path(), "d/b.gvmi", 6);
    let full = || {
        fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let runs = [
        vec!["hash".to_string(), "d".to_string()],
        vec!["hash".to_string(), "d/a.gvmi".to_string()],
        vec!["hash".to_string(), "--tag".to_string(), "d".to_string()],
        vec!["check".to_string(), "LIST".to_string()],
    ];
    fs::write(tmp.path().join("LIST"), format!("{hex}  d/a.gvmi\n")).unwrap();
    for args in runs {
        let out = gvmi(&args).cwd(tmp.path()).stdout_to(full()).run();
        assert_ne!(out.code, Some(0), "{args:?}: {out:?}");
        assert!(
            out.stderr().contains("No space left on device"),
            "{args:?}: {}",
            out.stderr()
        );
    }
}
