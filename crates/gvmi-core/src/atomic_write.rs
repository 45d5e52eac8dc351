//! Replacing a file so a reader never sees half of it: write a temporary
//! file in the same folder, flush it to disk, then rename it over the target.
//!
//! Folders written to may be shared (a web root, a release folder), so the
//! temporary file is created the one safe way: at a name nobody can predict,
//! `.NAME.tmp-PID-RANDOM` (64 random bits), with `O_EXCL` + `O_NOFOLLOW`, so
//! a link planted there is never written through; `NAME` is cut short where
//! the whole would not fit the folder's longest name. The rename replaces
//! whatever is at the target's name, a symbolic link included: it never
//! writes through it.
//!
//! A process killed between create and rename leaves its temporary file
//! behind; the next write of `NAME` in that folder removes every such file
//! whose process is gone, so crashes never pile up. Only files this user's
//! gvmi can have made are removed (a regular file of ours, one link, a name
//! of exactly that shape): a name another user planted is left alone.
//! (`O_TMPFILE` + `linkat` would leave nothing, but `linkat` cannot replace
//! an existing file, so a named temp file and rename would still be needed.)

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::fsmeta;

/// The permission bits of a file written here before the umask: what
/// `File::create` gives.
pub(crate) const DEFAULT_MODE: u32 = 0o666;

/// How many tries at a fresh random name before giving up (each collides
/// only with a file already there: a leftover, or a name planted by luck).
const ATTEMPTS: usize = 16;

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
pub(crate) fn atomic_write_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<T>,
) -> io::Result<T> {
    let mut pending = Pending::beside(path, DEFAULT_MODE)?;
    let out = fill(pending.file())?;
    pending.commit()?;
    Ok(out)
}

/// A temporary file beside its target, not yet renamed over it: for a
/// writer that replaces several files together and orders the renames
/// itself (`publish::folder`: an image and its sidecar). Dropped without
/// [`commit`](Pending::commit), the temporary file is removed.
pub(crate) struct Pending {
    file: File,
    tmp: PathBuf,
    target: PathBuf,
    synced: bool,
    committed: bool,
}

impl Pending {
    /// Creates the temporary file for `target` (and missing parent folders),
    /// with permission bits `mode` masked by the umask (Unix).
    pub(crate) fn beside(target: &Path, mode: u32) -> io::Result<Pending> {
        let dir = folder_of(target);
        fs::create_dir_all(dir)?;
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
        let prefix = temp_prefix(name, fsmeta::name_max(dir));
        remove_stale(dir, &prefix);
        let mut tries = 0;
        loop {
            let tmp = dir.join(temp_name(&prefix)?);
            match fsmeta::create_new_nofollow(&tmp, mode) {
                Ok(file) => {
                    return Ok(Pending {
                        file,
                        tmp,
                        target: target.to_path_buf(),
                        synced: false,
                        committed: false,
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries + 1 < ATTEMPTS => {
                    tries += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub(crate) fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Flushes the contents to disk. Without this, a crash after the rename
    /// can leave an empty file; and on some file systems a full disk is
    /// only reported here, so a writer replacing several files syncs each
    /// before replacing any.
    pub(crate) fn sync(&mut self) -> io::Result<()> {
        if !self.synced {
            self.file.sync_all()?;
            self.synced = true;
        }
        Ok(())
    }

    /// Syncs, then renames the temporary file over the target.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        self.sync()?;
        fs::rename(&self.tmp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// What follows the prefix at most: `u32::MAX` as digits, `-`, 16 hex digits.
const TAIL_MAX: usize = 10 + 1 + 16;

/// `.NAME.tmp-`: what every temporary file for `NAME` starts with, `NAME`
/// cut short so that the whole name fits `name_max` bytes.
fn temp_prefix(name: &OsStr, name_max: usize) -> OsString {
    let room = name_max.saturating_sub(".".len() + ".tmp-".len() + TAIL_MAX);
    let mut prefix = OsString::from(".");
    prefix.push(truncated(name, room));
    prefix.push(".tmp-");
    prefix
}

/// `PREFIXPID-RANDOM`: a name nobody can guess ahead of time.
fn temp_name(prefix: &OsStr) -> io::Result<OsString> {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        io::Error::other(format!("no random number for a temporary file name: {e}"))
    })?;
    let random = u64::from_le_bytes(bytes);
    let mut name = prefix.to_os_string();
    name.push(format!("{}-{random:016x}", std::process::id()));
    Ok(name)
}

/// The first `max` bytes of `name` (on Unix a name is bytes; elsewhere cut
/// at a character boundary).
fn truncated(name: &OsStr, max: usize) -> Cow<'_, OsStr> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        Cow::Borrowed(OsStr::from_bytes(&bytes[..bytes.len().min(max)]))
    }
    #[cfg(not(unix))]
    {
        let text = name.to_string_lossy();
        let mut end = text.len().min(max);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Cow::Owned(OsString::from(&text[..end]))
    }
}

fn bytes_of(name: &OsStr) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(name.as_bytes())
    }
    #[cfg(not(unix))]
    match name.to_string_lossy() {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

/// The pid in the tail of a temporary file's name (`PID-RANDOM`), if the
/// tail has exactly that shape.
fn tail_pid(tail: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(tail).ok()?;
    let (pid, random) = text.split_once('-')?;
    let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    let shaped = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && random.len() == 16
        && random.bytes().all(hex);
    shaped.then(|| pid.parse().ok()).flatten()
}

/// True for a name [`atomic_write`] gives its temporary files, so folder
/// walks can tell them from real files.
pub(crate) fn is_temp_name(name: &OsStr) -> bool {
    let bytes = bytes_of(name);
    let Some(at) = bytes.windows(5).rposition(|w| w == b".tmp-") else {
        return false;
    };
    bytes.starts_with(b".") && tail_pid(&bytes[at + 5..]).is_some()
}

/// Removes the temporary files starting with `prefix` in `dir` that this
/// user's gvmi made and whose process no longer runs. Best effort: a
/// failure here never stops the write.
fn remove_stale(dir: &Path, prefix: &OsStr) {
    let prefix = bytes_of(prefix);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let name = bytes_of(&file_name);
        let Some(pid) = name.strip_prefix(&*prefix).and_then(tail_pid) else {
            continue;
        };
        // DirEntry::metadata does not follow a link.
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if pid != std::process::id() && fsmeta::made_by_me(&meta) && is_abandoned(pid, &meta) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process that made it is gone (Unix); elsewhere, with no cheap
/// liveness check, a temp file untouched for an hour (a write takes seconds).
fn is_abandoned(pid: u32, meta: &fs::Metadata) -> bool {
    fsmeta::process_gone(pid).unwrap_or_else(|| {
        meta.modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600))
    })
}

#[cfg(test)]
mod tests;
