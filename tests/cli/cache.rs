//! The hash cache through the CLI: hits read nothing, every kind of change
//! misses, a broken cache file is rebuilt, concurrent runs keep each other's
//! entries, and entries under a vanished folder survive pruning.

use std::fs;
use std::time::SystemTime;

use crate::support::{content, counts, process_read, settle, sha3, Sandbox};
use gvmi_core::cache::{self, Cache};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::Hashed;

const MIB: usize = 1 << 20;

#[test]
fn a_hit_reads_no_image_and_gives_the_same_hash() {
    let s = Sandbox::new();
    let img = s.image("big.gvmi", 4 * MIB, 1);
    settle();
    let (code, cold, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(counts(&err), (0, 1));
    let (code, warm, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(counts(&err), (1, 0));
    assert_eq!(warm, cold);
    assert!(cold.starts_with(&sha3(&img)));
    // The kernel's own count of bytes read by the process: far below the image.
    if cfg!(target_os = "linux") {
        let read = process_read(&err).expect("rchar on Linux");
        assert!(read < MIB as u64, "a cache hit read {read} bytes");
    }
}

#[test]
fn touch_misses() {
    let s = Sandbox::new();
    let img = s.image("a.gvmi", 1000, 2);
    settle();
    s.run(&["hash", img.to_str().unwrap()]);
    fs::File::options()
        .write(true)
        .open(&img)
        .unwrap()
        .set_modified(SystemTime::now())
        .unwrap();
    let (_, _, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(counts(&err), (0, 1));
}

#[test]
fn replace_by_rename_misses() {
    let s = Sandbox::new();
    let img = s.image("a.gvmi", 1000, 3);
    settle();
    let (_, before, _) = s.run(&["hash", img.to_str().unwrap()]);
    let new = s.image("a.gvmi.part", 1000, 4);
    fs::rename(&new, &img).unwrap();
    let (_, after, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(counts(&err), (0, 1));
    assert_ne!(before, after);
    assert!(after.starts_with(&sha3(&img)));
}

/// Same size, mtime set back: ctime still moves, so the cache misses. A
/// change that leaves every stamp alone (simulated by putting the old hash
/// back under the new stamp) is what `--rehash` exists to catch.
#[test]
fn content_change_with_restored_mtime_misses_and_rehash_catches_silent_corruption() {
    let s = Sandbox::new();
    let img = s.image("a.gvmi", 5000, 5);
    settle();
    let old_mtime = fs::metadata(&img).unwrap().modified().unwrap();
    let (_, old, _) = s.run(&["hash", img.to_str().unwrap()]);
    fs::write(&img, content(5000, 6)).unwrap();
    fs::File::options()
        .write(true)
        .open(&img)
        .unwrap()
        .set_modified(old_mtime)
        .unwrap();
    assert_eq!(fs::metadata(&img).unwrap().modified().unwrap(), old_mtime);
    settle();
    let (_, new, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(counts(&err), (0, 1), "ctime must make this a miss");
    assert_ne!(old, new);

    // Bit rot: the bytes differ from the cached hash, the metadata does not.
    let mut cache = Cache::open(&s.cache_file());
    let stale = Hashed {
        digest: old[..56].parse().unwrap(),
        stamp: FileStamp::of(&fs::metadata(&img).unwrap()),
    };
    let later = SystemTime::now() + std::time::Duration::from_secs(1);
    assert!(cache.record(&cache::key(&img), &stale, later));
    cache.save().unwrap();
    let (code, out, err) = s.run(&["hash", "--rehash", img.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, new, "the fresh hash is printed");
    assert!(
        err.contains("content changed but metadata did not"),
        "{err}"
    );
    // Now the cache holds the truth again.
    let (code, out, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!((code, counts(&err)), (0, (1, 0)));
    assert_eq!(out, new);
}

#[test]
fn a_corrupt_truncated_or_future_cache_is_reported_once_and_rebuilt() {
    let s = Sandbox::new();
    let img = s.image("a.gvmi", 3000, 7);
    settle();
    let path = img.to_str().unwrap();
    let (_, good, _) = s.run(&["hash", path]);
    let valid = fs::read(s.cache_file()).unwrap();
    let mut future = valid.clone();
    future[8..12].copy_from_slice(&99u32.to_le_bytes());
    let mut flipped = valid.clone();
    flipped[30] ^= 1;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "garbage",
            b"this is no cache".to_vec(),
            "not a gvmi hash cache",
        ),
        ("truncated", valid[..valid.len() / 2].to_vec(), "corrupt"),
        ("bit flip", flipped, "corrupt"),
        ("future version", future, "format v99"),
    ];
    for (what, bytes, says) in cases {
        fs::write(s.cache_file(), bytes).unwrap();
        let (code, out, err) = s.run(&["hash", "-v", path]);
        assert_eq!(code, 0, "{what}: {err}");
        assert_eq!(out, good, "{what}: never a wrong hash");
        assert!(err.contains(says), "{what}: {err}");
        assert_eq!(
            err.matches("gvmi: cache ").count(),
            1,
            "{what}: once: {err}"
        );
        let (_, out, err) = s.run(&["hash", "-v", path]);
        assert_eq!(out, good);
        assert_eq!(counts(&err), (1, 0), "{what}: rebuilt: {err}");
        assert!(!err.contains("gvmi: cache "), "{what}: {err}");
    }
}

#[test]
fn two_processes_at_once_keep_each_others_entries() {
    let s = Sandbox::new();
    for i in 0..40 {
        s.image(&format!("x/{i:02}.gvmi"), 20_000 + i, i as u8);
        s.image(&format!("y/{i:02}.gvmi"), 30_000 + i, i as u8);
    }
    settle();
    let x = s.images().join("x");
    let y = s.images().join("y");
    let spawn = |dirs: &[&std::path::Path]| s.gvmi().arg("hash").args(dirs).start();
    // Two runs on different folders and one on both, all at once.
    let children = [spawn(&[&x]), spawn(&[&y]), spawn(&[&x, &y])];
    for child in children {
        child.wait().assert_code(0);
    }
    let cache = Cache::open(&s.cache_file());
    assert!(cache.problem.is_none());
    assert_eq!(cache.len(), 80);
    let (_, out, err) = s.run(&["hash", "-v", x.to_str().unwrap(), y.to_str().unwrap()]);
    assert_eq!(counts(&err), (80, 0));
    assert_eq!(out.lines().count(), 80);
}

#[test]
fn entries_under_a_vanished_folder_are_kept_gone_files_are_pruned() {
    let s = Sandbox::new();
    let kept = s.image("usb/disk/a.gvmi", 1000, 8);
    let deleted = s.image("local/b.gvmi", 1000, 9);
    s.image("local/c.gvmi", 1000, 10);
    settle();
    let (code, _, _) = s.run(&["hash", s.images().to_str().unwrap()]);
    assert_eq!(code, 0);
    // "Unmount": the folder holding the image is gone as a whole.
    let away = s.dir.path().join("away");
    fs::rename(s.images().join("usb"), &away).unwrap();
    fs::remove_file(&deleted).unwrap();
    let (code, out, _) = s.run(&["cache", "prune"]);
    assert_eq!(code, 0);
    assert_eq!(out, "pruned 1 entries, 2 kept\n");
    // A later run on the folder prunes the same way and keeps the absent disk.
    s.image("local/b.gvmi", 1000, 9);
    settle();
    s.run(&["hash", s.images().to_str().unwrap()]);
    fs::remove_file(&deleted).unwrap();
    let (_, _, err) = s.run(&["hash", "-v", s.images().to_str().unwrap()]);
    assert!(err.contains(", 1 pruned"), "{err}");
    // "Remount": its entry is still good.
    fs::rename(&away, s.images().join("usb")).unwrap();
    let (_, _, err) = s.run(&["hash", "-v", kept.to_str().unwrap()]);
    assert_eq!(counts(&err), (1, 0));
}

#[test]
fn no_cache_touches_nothing_and_cache_commands_manage_it() {
    let s = Sandbox::new();
    let img = s.image("a.gvmi", 1000, 11);
    settle();
    let (code, _, _) = s.run(&["hash", "--no-cache", img.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(!s.cache_file().exists());
    let (_, path, _) = s.run(&["cache", "path"]);
    assert_eq!(path.trim_end(), s.cache_file().to_str().unwrap());
    s.run(&["hash", img.to_str().unwrap()]);
    let (_, stats, _) = s.run(&["cache", "stats"]);
    assert!(stats.contains("entries  1\n"), "{stats}");
    let (code, out, _) = s.run(&["cache", "clear"]);
    assert_eq!((code, out.as_str()), (0, "cleared 1 entries\n"));
    let (_, _, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(counts(&err), (0, 1));
}

#[test]
fn a_broken_cache_is_read_once_then_replaced() {
    let s = Sandbox::new();
    let img = s.image("a.gvmi", 1000, 7);
    settle();
    let garbage = 48 * MIB;
    fs::create_dir_all(s.cache_file().parent().unwrap()).unwrap();
    fs::write(s.cache_file(), vec![0x5a; garbage]).unwrap();
    let (code, _, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("not a gvmi hash cache; starting a new one"),
        "{err}"
    );
    // Read at start; the save finds it unchanged and does not read it again.
    if cfg!(target_os = "linux") {
        let read = process_read(&err).expect("rchar on Linux");
        assert!(read < (garbage + garbage / 2) as u64, "read {read} bytes");
    }
    let (_, _, err) = s.run(&["hash", "-v", img.to_str().unwrap()]);
    assert_eq!(counts(&err), (1, 0), "{err}");
}
