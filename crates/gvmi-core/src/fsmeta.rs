//! What gvmi knows about a file before it reads it, and how it opens one safely.
//!
//! Unix-only facts (inodes, FIFOs, non-blocking open) live behind `cfg(unix)`;
//! elsewhere the fallbacks below keep every feature working, just with less
//! protection (no hard-link dedupe).

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;
use std::time::SystemTime;

pub mod mapped;
#[cfg(target_os = "linux")]
pub mod sigbus;
mod write;
pub(crate) use mapped::Mapping;
pub(crate) use write::{
    create_new_nofollow, made_by_me, name_max, open_lock_file, permission_bits,
};

/// Identity of the storage behind a path: hard links share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId {
    pub(crate) dev: u64,
    pub(crate) ino: u64,
}

/// The kind of a directory entry, as far as hashing cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Regular,
    Directory,
    Symlink,
    Fifo,
    Socket,
    BlockDevice,
    CharDevice,
    Other,
}

impl FileKind {
    pub fn of(meta: &Metadata) -> Self {
        let ft = meta.file_type();
        if ft.is_file() {
            return Self::Regular;
        }
        if ft.is_dir() {
            return Self::Directory;
        }
        if ft.is_symlink() {
            return Self::Symlink;
        }
        special_kind(&ft)
    }

    /// The words used in messages: "gvmi: x.gvmi: not a regular file (FIFO)".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Regular => "regular file",
            Self::Directory => "directory",
            Self::Symlink => "symbolic link",
            Self::Fifo => "FIFO",
            Self::Socket => "socket",
            Self::BlockDevice => "block device",
            Self::CharDevice => "character device",
            Self::Other => "special file",
        }
    }
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> FileKind {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        FileKind::Fifo
    } else if ft.is_socket() {
        FileKind::Socket
    } else if ft.is_block_device() {
        FileKind::BlockDevice
    } else if ft.is_char_device() {
        FileKind::CharDevice
    } else {
        FileKind::Other
    }
}

#[cfg(not(unix))]
fn special_kind(_ft: &std::fs::FileType) -> FileKind {
    FileKind::Other
}

/// A snapshot of the metadata that tells whether a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub size: u64,
    pub mtime: Option<SystemTime>,
    pub id: Option<FileId>,
    /// Inode change time: moves on any write or rename-over, and cannot be set
    /// back by `touch -d`, so the cache trusts an entry only while it holds.
    pub ctime: Option<SystemTime>,
}

impl FileStamp {
    pub fn of(meta: &Metadata) -> Self {
        FileStamp {
            size: meta.len(),
            mtime: meta.modified().ok(),
            id: file_id(meta),
            ctime: change_time(meta),
        }
    }

    /// Size, mtime, ctime or identity moved: the content cannot be trusted
    /// to be one version. ctime catches a rewrite in place whose mtime was
    /// set back (`touch -r`), exactly as the cache's rule does.
    pub(crate) fn content_moved(&self, later: &FileStamp) -> bool {
        self != later
    }
}

#[cfg(unix)]
pub(crate) fn file_id(meta: &Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some(FileId {
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

#[cfg(unix)]
pub(crate) fn change_time(meta: &Metadata) -> Option<SystemTime> {
    use std::os::unix::fs::MetadataExt;
    let (secs, nanos) = (meta.ctime(), meta.ctime_nsec());
    let nanos = u32::try_from(nanos).ok()?;
    match u64::try_from(secs) {
        Ok(s) => SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::new(s, nanos)),
        Err(_) => SystemTime::UNIX_EPOCH
            .checked_sub(std::time::Duration::from_secs(secs.unsigned_abs()))?
            .checked_add(std::time::Duration::from_nanos(nanos.into())),
    }
}

/// No portable ctime: the cache then relies on size, mtime and identity.
#[cfg(not(unix))]
pub(crate) fn change_time(_meta: &Metadata) -> Option<SystemTime> {
    None
}

#[cfg(not(unix))]
pub(crate) fn file_id(_meta: &Metadata) -> Option<FileId> {
    None
}

/// Opens `path` for reading only if it is a regular file.
///
/// On Unix the open is non-blocking, so a FIFO swapped in after the caller's
/// `stat` cannot hang us; the descriptor's own type is then checked.
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    regular(open_nonblocking(path, true)?)
}

fn regular(file: File) -> io::Result<(File, Metadata)> {
    let meta = file.metadata()?;
    let kind = FileKind::of(&meta);
    if kind != FileKind::Regular {
        return Err(not_regular(kind));
    }
    Ok((file, meta))
}

/// Whether `path` (followed, as an operand is) is a FIFO, device or socket:
/// something a user may name on the command line to be read as a stream
/// (`gvmi -a 224 <(…)`, `/dev/stdin`), which walking a folder never opens.
pub fn is_named_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| {
        matches!(
            FileKind::of(&m),
            FileKind::Fifo | FileKind::CharDevice | FileKind::BlockDevice | FileKind::Socket
        )
    })
}

/// Opens a stream the user named (see [`is_named_stream`]) as `cat` would:
/// a blocking open, so a FIFO waits for its writer. Only for names typed as
/// operands; everything found by walking goes through [`open_regular`].
pub(crate) fn open_named(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Size caps for the files gvmi reads besides images, one per purpose: far
/// above any real file, far below what would hurt (a link to `/dev/zero` is
/// refused as a device; a huge regular file by its size, before any read).
pub(crate) mod cap {
    /// `config.toml` and snippet templates.
    pub(crate) const CONFIG: u64 = 1 << 20;
    /// A folder's `SHA3SUMS` (about 300,000 lines of 200 bytes).
    pub(crate) const MANIFEST: u64 = 64 << 20;
    /// The hash cache (millions of entries; decoding costs about twice this).
    pub(crate) const CACHE: u64 = 256 << 20;
}

/// The whole regular file at `path`, read once: anything else (FIFO, device,
/// folder) is refused without blocking, and so is a file over `cap` bytes.
/// Also returns the metadata it had when opened.
pub fn read_regular(path: &Path, cap: u64) -> io::Result<(Vec<u8>, Metadata)> {
    read_capped(open_regular(path)?, cap)
}

/// [`read_regular`] of a file that sits in a folder others may write and
/// that gvmi rewrites (a folder's `SHA3SUMS`): a symbolic link at `path` is
/// refused, never followed, so a planted link cannot make gvmi copy another
/// file's lines (`/etc/shadow`'s, say) into the file it writes.
pub(crate) fn read_regular_nofollow(path: &Path, cap: u64) -> io::Result<(Vec<u8>, Metadata)> {
    let file =
        open_nonblocking(path, false).map_err(|e| match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                io::Error::new(e.kind(), "a symbolic link; not followed")
            }
            _ => e,
        })?;
    read_capped(regular(file)?, cap)
}

fn read_capped((file, meta): (File, Metadata), cap: u64) -> io::Result<(Vec<u8>, Metadata)> {
    if meta.len() > cap {
        return Err(too_large(meta.len(), cap));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // It may grow while read: never take more than the cap.
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64, cap));
    }
    Ok((bytes, meta))
}

/// A small text file the user edits (`config.toml`, snippet templates):
/// regular, at most [`cap::CONFIG`] bytes, UTF-8.
pub(crate) fn read_text(path: &Path) -> io::Result<String> {
    let (bytes, _) = read_regular(path, cap::CONFIG)?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

fn too_large(size: u64, cap: u64) -> io::Error {
    use crate::units::human_bytes;
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "too large ({}; gvmi reads at most {} here)",
            human_bytes(size),
            human_bytes(cap)
        ),
    )
}

/// The error for a path that is not a regular file.
pub fn not_regular(kind: FileKind) -> io::Error {
    let msg = match kind {
        FileKind::Directory => "Is a directory".to_string(),
        other => format!("not a regular file ({})", other.describe()),
    };
    io::Error::other(msg)
}

/// Whether process `pid` is gone for sure: `kill(pid, 0)` says no such
/// process (a live one, even another user's, is not gone). `None` where
/// there is no such check.
#[cfg(unix)]
pub(crate) fn process_gone(pid: u32) -> Option<bool> {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return Some(true);
    };
    // SAFETY: signal 0 sends nothing; it only checks that the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    Some(rc != 0 && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH))
}

#[cfg(not(unix))]
pub(crate) fn process_gone(_pid: u32) -> Option<bool> {
    None
}

/// The path was longer than the system can open (ENAMETOOLONG): a folder
/// nested deeper than `PATH_MAX` allows.
#[cfg(unix)]
pub(crate) fn is_name_too_long(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ENAMETOOLONG)
}

#[cfg(not(unix))]
pub(crate) fn is_name_too_long(_e: &io::Error) -> bool {
    false
}

#[cfg(unix)]
fn open_nonblocking(path: &Path, follow: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK does not change reads of regular files; it only keeps
    // open(2) of a FIFO with no writer from blocking forever.
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | nofollow)
        .open(path)
}

/// Elsewhere a link is refused by looking first (racy, but links there
/// need privileges to make).
#[cfg(not(unix))]
fn open_nonblocking(path: &Path, follow: bool) -> io::Result<File> {
    if !follow && std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other("a symbolic link; not followed"));
    }
    File::open(path)
}
