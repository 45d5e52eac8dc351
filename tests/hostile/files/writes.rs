//! Items 9-13 and the long `check` list: what gvmi writes or says must be
//! true and whole, with nothing lost and nothing left behind.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use super::*;

const LIMIT: Duration = Duration::from_secs(60);

#[cfg(target_os = "linux")]
#[test]
fn item_9_rewrite_in_place_with_mtime_restored_is_caught() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("moving.gvmi");
    // Big enough to still be hashing when rewritten; doubled if it was not.
    for mib in [96u64, 256, 640] {
        let file = fs::File::create(&path).unwrap();
        file.set_len(mib << 20).unwrap();
        let mtime = file.metadata().unwrap().modified().unwrap();
        drop(file);
        let mut child = start(
            gvmi_in(home.path()).args(["hash", "--no-cache"]).arg(&path),
            None,
        );
        wait_until_open(child.id(), &path);
        // Rewrite the tail in place, then set the mtime back (`touch -r`).
        let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
        std::os::unix::fs::FileExt::write_all_at(&file, &[1u8; 4096], (mib << 20) - 4096).unwrap();
        file.set_modified(mtime).unwrap();
        drop(file);
        if reap_now(&mut child) {
            eprintln!("note: {mib} MiB were hashed before the rewrite; trying a bigger file");
            continue;
        }
        let stderr = child.stderr.take().unwrap();
        let (code, _) = wait_bounded(&mut child, LIMIT, "gvmi hash");
        let err = std::io::read_to_string(stderr).unwrap();
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.contains("moving.gvmi: changed while being hashed; no hash given"),
            "{err}"
        );
        let mut out = String::new();
        std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
        assert!(out.is_empty(), "no hash for a file that moved: {out}");
        return;
    }
    panic!("could never rewrite the file while gvmi hashed it");
}

/// Waits until process `pid` has `path` open (it is hashing it).
#[cfg(target_os = "linux")]
fn wait_until_open(pid: u32, path: &Path) {
    let deadline = Instant::now() + LIMIT;
    while Instant::now() < deadline {
        let fds = fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten();
        if fds
            .into_iter()
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|p| p == path))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("gvmi never opened {}", path.display());
}

/// True (and reaped) if the child already exited.
fn reap_now(child: &mut std::process::Child) -> bool {
    child.try_wait().unwrap().is_some()
}

#[cfg(unix)]
#[test]
fn item_10_killed_writes_leave_no_temp_file_after_the_next_run() {
    let home = tempfile::tempdir().unwrap();
    let images = home.path().join("images");
    fs::create_dir(&images).unwrap();
    for i in 0..300 {
        fs::write(images.join(format!("{i:03}.gvmi")), format!("image {i}")).unwrap();
    }
    let cache_dir = home.path().join("cache/gvmi");
    let mut seed = 0x9e37_79b9_u64;
    let mut left_behind = 0; // summed after each kill: a later write may clean them
    for _ in 0..40 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let _ = fs::remove_file(cache_dir.join("hashes.v1.bin")); // so every run saves
        let mut child = start(
            gvmi_in(home.path())
                .args(["hash", "--write-sums"])
                .arg(&images),
            None,
        );
        std::thread::sleep(Duration::from_millis(seed >> 57)); // 0..127 ms: a whole run
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if cache_dir.is_dir() {
            left_behind += temp_files(&images).len() + temp_files(&cache_dir).len();
        }
    }
    eprintln!("40 SIGKILLs: {left_behind} temp files seen after the kills");
    // However the kills fell, the next run's writes remove what they left,
    // and temp files of processes that are gone for sure.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    fs::create_dir_all(&cache_dir).unwrap();
    fs::write(
        images.join(format!(".SHA3SUMS.tmp-{dead}-0123456789abcdef")),
        "half",
    )
    .unwrap();
    fs::write(
        cache_dir.join(format!(".hashes.v1.bin.tmp-{dead}-fedcba9876543210")),
        "half",
    )
    .unwrap();
    fs::write(images.join("new.gvmi"), "new").unwrap(); // the cache must save
    std::thread::sleep(Duration::from_millis(300)); // past the racy window
    let out = bounded(
        gvmi_in(home.path())
            .args(["hash", "--write-sums"])
            .arg(&images),
        None,
        LIMIT,
    );
    out.assert_code(0);
    assert_eq!(temp_files(&images), Vec::<String>::new());
    assert_eq!(temp_files(&cache_dir), Vec::<String>::new());
    let sums = fs::read_to_string(images.join("SHA3SUMS")).unwrap();
    assert_eq!(sums.lines().count(), 301, "whole: {sums}");
    assert!(out.stdout().lines().count() == 301 && out.stdout().ends_with("new.gvmi\n"));
}

#[cfg(unix)]
#[test]
fn item_11_write_sums_keeps_every_line_in_order() {
    let home = tempfile::tempdir().unwrap();
    let images = home.path().join("images");
    fs::create_dir(&images).unwrap();
    fs::write(images.join("a.gvmi"), "abc").unwrap();
    fs::write(images.join("notes.txt"), "x").unwrap();
    let old = "# signed by release@example.com\n\
               SHA3-256 (a.gvmi) = 3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532\n\
               0000000000000000000000000000000000000000000000000000000a  a.gvmi\n\
               \n\
               SHA3-224 (notes.txt) = 0000000000000000000000000000000000000000000000000000000b\n";
    fs::write(images.join("SHA3SUMS"), old).unwrap();
    let out = bounded(
        gvmi_in(home.path())
            .args(["hash", "--write-sums"])
            .arg(&images),
        None,
        LIMIT,
    );
    out.assert_code(0);
    let want = old.replace(
        "0000000000000000000000000000000000000000000000000000000a",
        "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf",
    );
    assert_eq!(fs::read_to_string(images.join("SHA3SUMS")).unwrap(), want);
}

#[cfg(unix)]
#[test]
fn item_11_an_unreadable_sha3sums_is_not_replaced_unless_asked() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let images = home.path().join("images");
    fs::create_dir(&images).unwrap();
    fs::write(images.join("a.gvmi"), "abc").unwrap();
    let sums = images.join("SHA3SUMS");
    fs::write(&sums, "# precious\n").unwrap();
    fs::set_permissions(&sums, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&sums).is_ok() {
        eprintln!("note: running as root: a chmod 000 file is readable; the FIFO, device and folder cases (item 6) cover refusal");
        return;
    }
    let out = bounded(
        gvmi_in(home.path())
            .args(["hash", "--write-sums"])
            .arg(&images),
        None,
        LIMIT,
    );
    out.assert_code(1);
    assert!(out
        .stderr()
        .contains("cannot be read (Permission denied); left untouched"));
    fs::set_permissions(&sums, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(fs::read_to_string(&sums).unwrap(), "# precious\n");
}

#[cfg(unix)]
#[test]
fn item_12_a_tree_too_deep_to_walk_is_reported_never_skipped() {
    let home = tempfile::tempdir().unwrap();
    let root = home.path().join("deep");
    fs::create_dir(&root).unwrap();
    nest(&root, 6000, b"x.gvmi");
    let out = bounded(
        gvmi_in(home.path()).args(["hash", "--no-cache"]).arg(&root),
        None,
        LIMIT,
    );
    out.assert_code(1);
    assert_inert("stderr", &out.stderr);
    assert!(
        out.stderr()
            .contains("nested too deep for its path to be opened; not walked"),
        "{}",
        &out.stderr()[..out.stderr().len().min(300)]
    );
}

/// Makes `levels` folders `d` inside each other under `root` and an empty
/// file `leaf` at the bottom, through descriptors (the full path is far
/// longer than PATH_MAX).
#[cfg(unix)]
fn nest(root: &Path, levels: usize, leaf: &[u8]) {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |b: &[u8]| CString::new(b).unwrap();
    let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
    // SAFETY: each descriptor is opened, used once and closed here.
    unsafe {
        let mut fd = libc::open(c(root.as_os_str().as_bytes()).as_ptr(), flags);
        for _ in 0..levels {
            assert_eq!(libc::mkdirat(fd, c(b"d").as_ptr(), 0o755), 0);
            let next = libc::openat(fd, c(b"d").as_ptr(), flags);
            assert!(next >= 0);
            libc::close(fd);
            fd = next;
        }
        let file = libc::openat(fd, c(leaf).as_ptr(), libc::O_CREAT | libc::O_WRONLY, 0o644);
        assert!(file >= 0);
        libc::close(file);
        libc::close(fd);
    }
}

#[test]
fn item_13_standard_input_is_not_a_manifest_entry() {
    let home = tempfile::tempdir().unwrap();
    let out = bounded(
        gvmi_in(home.path())
            .cwd(home.path())
            .args(["hash", "--write-sums", "-"]),
        Some(b"hi\n"),
        LIMIT,
    );
    out.assert_code(1);
    assert!(out.stdout().ends_with("  -\n"), "the hash is still printed");
    assert!(
        out.stderr()
            .contains("gvmi: -: standard input has no file name; not written to any SHA3SUMS"),
        "{}",
        out.stderr()
    );
    assert!(!home.path().join("SHA3SUMS").exists());
}

#[test]
fn check_streams_a_long_list_in_bounded_memory() {
    let home = tempfile::tempdir().unwrap();
    fs::write(home.path().join("a.gvmi"), "abc").unwrap();
    let line = "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf  a.gvmi\n";
    let mut list = line.repeat(200_000).into_bytes(); // 13 MB of entries
    list.extend(std::iter::repeat_n(b'#', 48 << 20)); // and a 48 MiB line
    list.extend_from_slice(b"\n");
    list.extend_from_slice(line.as_bytes());
    let path = home.path().join("LIST");
    fs::write(&path, &list).unwrap();
    let out = bounded(
        gvmi_in(home.path())
            .cwd(home.path())
            .args(["check", "--quiet", "LIST"]),
        None,
        LIMIT,
    );
    out.assert_code(0);
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        out.stderr()
    );
    eprintln!(
        "check of a {} MB list: peak RSS {:?} bytes",
        list.len() >> 20,
        out.max_rss
    );
    if cfg!(target_os = "linux") {
        assert!(out.max_rss.is_some(), "measured");
    }
    if let Some(rss) = out.max_rss {
        assert!(
            rss < 48 << 20,
            "a {} MB list took {} MB",
            list.len() >> 20,
            rss >> 20
        );
    }
}
