//! An advisory lock held around read-merge-write of the cache, so two gvmi
//! processes saving at once each keep the other's new entries.
//!
//! Readers take no lock: the file is only ever replaced by rename, so a
//! reader sees the old or the new file, whole.

use std::fs::File;
use std::io;
use std::path::Path;

/// Released when dropped (closing the descriptor drops an flock).
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Blocks until this process holds the lock at `path` (created if
    /// needed). The file is never read; a FIFO, device or folder in its
    /// place is refused at once, and the error names the lock file.
    pub fn acquire(path: &Path) -> io::Result<Lock> {
        let named = |e: io::Error| {
            let why = crate::io_error::message(&e);
            io::Error::new(
                e.kind(),
                format!("lock file {}: {why}", crate::visible::visible_path(path)),
            )
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = crate::fsmeta::open_regular_for_write(path).map_err(named)?;
        lock_exclusive(&file).map_err(named)?;
        Ok(Lock { _file: file })
    }
}

#[cfg(unix)]
fn lock_exclusive(file: &File) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    loop {
        // flock locks the open file description, so two threads of one
        // process exclude each other too (each opens the file itself).
        // SAFETY: flock reads no memory of ours; the descriptor belongs to
        // `file`, which the borrow keeps open for the whole call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if rc == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Elsewhere saves are unlocked: the rename still keeps the file whole,
/// at worst one process's new entries are lost and rehashed next time.
#[cfg(not(unix))]
fn lock_exclusive(_file: &File) -> io::Result<()> {
    Ok(())
}
