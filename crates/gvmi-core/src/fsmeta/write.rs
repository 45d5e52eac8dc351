//! The files gvmi creates: temporary files and lock files, which may live in
//! a folder other users can write to (a shared web root, a release folder).
//! Nothing here follows a symbolic link at the name it creates or opens, so
//! a link planted there can never redirect a write (or, as root, create a
//! file anywhere).

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::path::Path;

use super::{not_regular, FileKind};

/// Creates `path`, which must not exist (a symbolic link there, even a
/// dangling one, is an error too: `O_EXCL` + `O_NOFOLLOW`). On Unix the
/// file gets `mode` masked by the umask, as `open(2)` does.
pub(crate) fn create_new_nofollow(path: &Path, mode: u32) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode).custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = mode;
    options.open(path)
}

/// Opens (creating it if missing) a lock file: never read nor written, only
/// locked. A symbolic link, FIFO, device or folder in its place is refused
/// at once, never followed or blocked on. Someone else's lock file that we
/// may not write (a shared folder) is opened read-only: `flock` needs no
/// write access.
pub(crate) fn open_lock_file(path: &Path) -> io::Result<File> {
    let open = |write: bool| {
        let mut options = OpenOptions::new();
        if write {
            options.write(true).create(true).truncate(false);
        } else {
            options.read(true);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // O_NONBLOCK: a FIFO in its place must not hang the open.
            options
                .mode(0o644)
                .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
        }
        options.open(path)
    };
    let opened = match open(true) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => open(false),
        other => other,
    };
    let file = opened.map_err(|e| match std::fs::symlink_metadata(path) {
        // A link: ELOOP, whose words ("Too many levels of symbolic links")
        // would mislead; a FIFO with no reader: ENXIO, which says nothing.
        Ok(m) if FileKind::of(&m) == FileKind::Symlink => {
            io::Error::new(e.kind(), "a symbolic link; not followed")
        }
        Ok(m) if m.is_dir() => io::Error::new(e.kind(), "Is a directory"),
        Ok(m) if FileKind::of(&m) != FileKind::Regular => not_regular(FileKind::of(&m)),
        _ => e,
    })?;
    let kind = FileKind::of(&file.metadata()?);
    if kind != FileKind::Regular {
        return Err(not_regular(kind));
    }
    Ok(file)
}

/// The longest file name the folder `dir` takes, in bytes (`pathconf`;
/// 255, the limit of every common file system, where it cannot say).
#[cfg(unix)]
pub(crate) fn name_max(dir: &Path) -> usize {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return 255;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the call's duration.
    let n = unsafe { libc::pathconf(c.as_ptr(), libc::_PC_NAME_MAX) };
    usize::try_from(n).ok().filter(|&n| n > 0).unwrap_or(255)
}

#[cfg(not(unix))]
pub(crate) fn name_max(_dir: &Path) -> usize {
    255
}

/// Whether a directory entry (`symlink_metadata`) can be a file this user's
/// gvmi created: a regular file (not a link), owned by this user, with no
/// other name (Unix). Another user can plant a name, never a file we own.
#[cfg(unix)]
pub(crate) fn made_by_me(meta: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid cannot fail.
    let me = unsafe { libc::geteuid() };
    meta.file_type().is_file() && meta.uid() == me && meta.nlink() == 1
}

#[cfg(not(unix))]
pub(crate) fn made_by_me(meta: &Metadata) -> bool {
    meta.file_type().is_file()
}

/// A file's permission bits (`rwx` for owner, group and others; no setuid,
/// setgid or sticky bit): what a copy of it gets, before the umask.
#[cfg(unix)]
pub(crate) fn permission_bits(meta: &Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o777
}

/// Elsewhere: read-write for everyone before the process's defaults apply,
/// as `File::create` does.
#[cfg(not(unix))]
pub(crate) fn permission_bits(_meta: &Metadata) -> u32 {
    0o666
}
