//! Replacing a file so a reader never sees half of it: write a temporary
//! file in the same folder, flush it to disk, then rename it over the target.
//!
//! The temporary file is `.NAME.tmp-PID`. A process killed between create
//! and rename leaves it behind; the next write of `NAME` in that folder
//! removes every such file whose process is gone, so crashes never pile up.
//! (`O_TMPFILE` + `linkat` would leave nothing, but `linkat` cannot replace
//! an existing file, so a named temp file and rename would still be needed.)

use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` atomically, creating missing parent folders.
/// The temporary file lives beside `path` because rename is only atomic
/// within one file system.
pub fn atomic_write(path: &Path, contents: &[u8]) -> io::Result<()> {
    atomic_write_with(path, |file| file.write_all(contents))
}

/// [`atomic_write`] for contents produced as they are written (`gvmi
/// publish` streams an image through its hasher into the file): `fill`
/// writes the temporary file; only if it succeeds is the file synced and
/// renamed over `path`. On any error the temporary file is removed.
pub fn atomic_write_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<T>,
) -> io::Result<T> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    remove_stale(dir, name);
    let mut tmp_name = temp_prefix(name);
    tmp_name.push(std::process::id().to_string());
    let tmp = dir.join(tmp_name);
    let result = write_synced(&tmp, fill).and_then(|out| fs::rename(&tmp, path).map(|()| out));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `.NAME.tmp-`: what every temporary file for `NAME` starts with.
fn temp_prefix(name: &OsStr) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".tmp-");
    prefix
}

/// True for a name [`atomic_write`] gives its temporary files, so folder
/// walks can tell them from real files.
pub fn is_temp_name(name: &OsStr) -> bool {
    let text = name.to_string_lossy();
    text.starts_with('.')
        && text
            .rsplit_once(".tmp-")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes the temporary files for `name` in `dir` left by processes that
/// no longer run. Best effort: a failure here never stops the write.
fn remove_stale(dir: &Path, name: &OsStr) {
    let prefix = temp_prefix(name);
    let prefix = prefix.to_string_lossy();
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let text = file_name.to_string_lossy();
        let Some(pid) = text
            .strip_prefix(&*prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && is_abandoned(pid, &entry) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process that made it is gone (Unix); elsewhere, with no cheap
/// liveness check, a temp file untouched for an hour (a write takes seconds).
fn is_abandoned(pid: u32, entry: &fs::DirEntry) -> bool {
    crate::fsmeta::process_gone(pid).unwrap_or_else(|| {
        entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600))
    })
}

fn write_synced<T>(tmp: &Path, fill: impl FnOnce(&mut File) -> io::Result<T>) -> io::Result<T> {
    let mut file = File::create(tmp)?;
    let out = fill(&mut file)?;
    // Without this, a crash after the rename can leave an empty file.
    file.sync_all()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_contents_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn temp_files_of_gone_processes_are_removed_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".SHA3SUMS.tmp-{gone}"));
        let live = dir.path().join(".SHA3SUMS.tmp-1"); // init never exits
        let other = dir.path().join(format!(".config.toml.tmp-{gone}"));
        for p in [&stale, &live, &other] {
            fs::write(p, b"x").unwrap();
            assert!(is_temp_name(p.file_name().unwrap()));
        }
        atomic_write(&dir.path().join("SHA3SUMS"), b"new").unwrap();
        assert!(!stale.exists());
        assert!(live.exists() && other.exists());
        assert!(!is_temp_name(OsStr::new("SHA3SUMS")));
        assert!(!is_temp_name(OsStr::new(".x.tmp-12a")));
    }
}
