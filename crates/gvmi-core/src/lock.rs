//! An advisory lock held around a read-merge-write of a shared file (the
//! hash cache, a folder's `SHA3SUMS`), so two gvmi processes writing at once
//! each keep the other's lines.
//!
//! Readers take no lock: those files are only ever replaced by rename
//! (`atomic_write`), so a reader sees the old or the new file, whole. The
//! lock file is separate because the locked file is replaced: a lock on the
//! old inode would not exclude a writer that opened the new one.
//!
//! The lock file lives only while held (a release folder is published as
//! it is: no litter in it). The holder removes it before letting go; a
//! waiter that then gets the lock finds its file no longer at the name and
//! starts over, so two holders can never lock two different files.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::fsmeta::{file_id, FileId};

/// How long a writer waits for another to finish before giving up: far
/// longer than any read-merge-write takes, short enough that a lock held
/// forever (a stuck process, another user holding it on purpose) ends in a
/// message instead of a hang.
pub(crate) const PATIENCE: Duration = Duration::from_secs(60);

/// Released when dropped (the file removed, then the descriptor closed,
/// which drops the flock).
pub(crate) struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Waits at most `patience` until this process holds the lock at `path`
    /// (created if needed, never through a symbolic link). The file is never
    /// read; a link, FIFO, device or folder in its place is refused at once,
    /// and every error names the lock file.
    pub(crate) fn acquire(path: &Path, patience: Duration) -> io::Result<Lock> {
        let named = |e: io::Error| {
            let why = crate::io_error::message(&e);
            io::Error::new(
                e.kind(),
                format!("lock file {}: {why}", crate::visible::visible_path(path)),
            )
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let deadline = Instant::now() + patience;
        loop {
            let file = crate::fsmeta::open_lock_file(path).map_err(named)?;
            let left = deadline.saturating_duration_since(Instant::now());
            lock_exclusive(&file, left, patience).map_err(named)?;
            // Still the file at the name? Else its holder removed it while
            // we waited: lock whatever is there now.
            if same_file(&file, path) {
                return Ok(Lock {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if same_file(&self.file, &self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` (not followed) names the file open as `file`. Where
/// files have no identity (not Unix) there is no lock either: true.
fn same_file(file: &File, path: &Path) -> bool {
    let id = |m: std::io::Result<std::fs::Metadata>| m.ok().and_then(|m| file_id(&m));
    let held: Option<FileId> = id(file.metadata());
    held.is_none() || held == id(std::fs::symlink_metadata(path))
}

/// Waits at most `left` for the lock; `patience` is the whole wait, for
/// the words.
#[cfg(unix)]
fn lock_exclusive(file: &File, left: Duration, patience: Duration) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let deadline = Instant::now() + left;
    let mut nap = Duration::from_millis(1);
    loop {
        // flock locks the open file description, so two threads of one
        // process exclude each other too (each opens the file itself).
        // SAFETY: the descriptor is open for the call's duration.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        match e.kind() {
            io::ErrorKind::Interrupted => continue,
            io::ErrorKind::WouldBlock if Instant::now() < deadline => {
                std::thread::sleep(nap.min(deadline.saturating_duration_since(Instant::now())));
                nap = (nap * 2).min(Duration::from_millis(50));
            }
            io::ErrorKind::WouldBlock => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "held by another process for {}; gave up",
                        humantime::format_duration(patience)
                    ),
                ))
            }
            _ => return Err(e),
        }
    }
}

/// Elsewhere writes are unlocked: the rename still keeps the file whole;
/// at worst one process's new lines are lost (the cache rehashes them).
#[cfg(not(unix))]
fn lock_exclusive(_file: &File, _left: Duration, _patience: Duration) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_makes_the_next_wait_then_give_up_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let held = Lock::acquire(&path, PATIENCE).unwrap();
        let start = Instant::now();
        let err = Lock::acquire(&path, Duration::from_millis(200))
            .err()
            .unwrap();
        assert!(start.elapsed() >= Duration::from_millis(200));
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(
            err.to_string()
                .contains("x.lock: held by another process for 200ms; gave up"),
            "{err}"
        );
        drop(held);
        assert!(!path.exists(), "no lock file left behind");
        Lock::acquire(&path, Duration::ZERO).unwrap();
    }

    #[test]
    fn waiters_never_hold_the_lock_together_and_leave_no_file() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let path = Arc::new(dir.path().join("x.lock"));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (path, inside) = (Arc::clone(&path), Arc::clone(&inside));
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let _lock = Lock::acquire(&path, PATIENCE).unwrap();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two holders");
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(!path.exists());
    }

    #[test]
    fn a_link_at_the_lock_name_is_refused_and_nothing_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nologin");
        let path = dir.path().join("x.lock");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let err = Lock::acquire(&path, PATIENCE).err().unwrap();
        assert!(
            err.to_string().contains("a symbolic link; not followed"),
            "{err}"
        );
        assert!(!target.exists());
    }
}
