use super::*;

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn replaces_contents_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/config.toml");
    atomic_write(&path, b"one").unwrap();
    atomic_write(&path, b"two").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"two");
    assert_eq!(names_in(path.parent().unwrap()), ["config.toml"]);
}

#[test]
fn temp_names_are_unpredictable_and_a_dropped_write_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.gvmi");
    let a = Pending::beside(&target, DEFAULT_MODE).unwrap();
    let b = Pending::beside(&target, DEFAULT_MODE).unwrap();
    let names = names_in(dir.path());
    assert_eq!(names.len(), 2, "{names:?}");
    assert_ne!(a.tmp, b.tmp);
    let pid = std::process::id();
    for name in &names {
        assert!(is_temp_name(OsStr::new(name)), "{name}");
        let random = name.strip_prefix(&format!(".x.gvmi.tmp-{pid}-")).unwrap();
        assert_eq!(random.len(), 16, "{name}");
    }
    drop((a, b));
    assert!(names_in(dir.path()).is_empty());
    assert!(!target.exists());
}

#[test]
fn temp_names_fit_the_folder_whatever_the_target_name() {
    let dir = tempfile::tempdir().unwrap();
    let max = fsmeta::name_max(dir.path());
    let long = "n".repeat(max);
    let target = dir.path().join(&long);
    let pending = Pending::beside(&target, DEFAULT_MODE).unwrap();
    let tmp = pending.tmp.file_name().unwrap().len();
    assert!(tmp <= max, "{tmp} > {max}");
    assert!(is_temp_name(pending.tmp.file_name().unwrap()));
    pending.commit().unwrap();
    assert_eq!(names_in(dir.path()), [long]);
}

#[test]
fn shapes_that_are_not_temp_names() {
    for name in [
        "SHA3SUMS",
        ".x.tmp-12a",
        ".x.tmp-12",                  // the old shape: a pid alone
        ".x.tmp-12-0123456789abcdeg", // not hex
        ".x.tmp-12-0123456789abcde",  // 15 digits
        ".x.tmp--0123456789abcdef",   // no pid
        "x.tmp-12-0123456789abcdef",  // not hidden
        ".x.tmp-12-0123456789ABCDEF", // ours are lowercase
    ] {
        assert!(!is_temp_name(OsStr::new(name)), "{name}");
    }
    assert!(is_temp_name(OsStr::new(".x.gvmi.tmp-12-0123456789abcdef")));
}

#[cfg(unix)]
#[test]
fn a_link_at_the_target_is_replaced_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    fs::write(&victim, b"precious").unwrap();
    let target = dir.path().join("SHA3SUMS");
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    atomic_write(&target, b"new").unwrap();
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    assert!(!fs::symlink_metadata(&target).unwrap().is_symlink());
    assert_eq!(fs::read(&target).unwrap(), b"new");
}

#[cfg(unix)]
#[test]
fn create_new_nofollow_refuses_a_planted_link_even_dangling() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("planted");
    let victim = dir.path().join("victim");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let err = fsmeta::create_new_nofollow(&link, DEFAULT_MODE).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    assert!(!victim.exists());
}

#[cfg(unix)]
#[test]
fn stale_temp_files_of_ours_are_removed_anything_else_kept() {
    use std::os::unix::fs::{symlink, MetadataExt};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let gone = child.id();
    child.wait().unwrap();
    let at = |name: &str| dir.path().join(name);
    let stale = at(&format!(".SHA3SUMS.tmp-{gone}-0123456789abcdef"));
    let live = at(".SHA3SUMS.tmp-1-0123456789abcdef"); // init never exits
    let other = at(&format!(".config.toml.tmp-{gone}-0123456789abcdef"));
    let old_shape = at(&format!(".SHA3SUMS.tmp-{gone}"));
    let linked = at(&format!(".SHA3SUMS.tmp-{gone}-1111111111111111"));
    let hard = at(&format!(".SHA3SUMS.tmp-{gone}-2222222222222222"));
    let keep = at("keep");
    for p in [&stale, &live, &other, &old_shape, &keep] {
        fs::write(p, b"x").unwrap();
    }
    symlink(&keep, &linked).unwrap(); // a name that is a link: not ours
    fs::hard_link(&keep, &hard).unwrap(); // a file with two names: not ours
    let theirs = at(&format!(".SHA3SUMS.tmp-{gone}-3333333333333333"));
    fs::write(&theirs, b"x").unwrap();
    let root = fs::metadata(&theirs).unwrap().uid() == 0;
    if root {
        // Another user's file: as root we can make one.
        std::os::unix::fs::chown(&theirs, Some(65534), None).unwrap();
    }
    atomic_write(&at("SHA3SUMS"), b"new").unwrap();
    assert!(!stale.exists());
    for p in [&live, &other, &old_shape, &linked, &hard, &keep] {
        assert!(
            fs::symlink_metadata(p).is_ok(),
            "{} was removed",
            p.display()
        );
    }
    assert_eq!(theirs.exists(), root, "only another user's file is kept");
}
