//! Streaming SHA3-224 of one file: fixed buffer, progress, cancellation,
//! and a refusal to name a hash for a file that moved under us.

use std::cell::RefCell;
use std::io::{self, Read};
use std::path::Path;

use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::fsmeta::{self, FileStamp};
use crate::sha3_fast::Sha3_224;

mod failure;
pub mod mapped;
pub mod readahead;

pub use failure::HashFailure;

/// Bytes read per chunk; progress and cancellation happen at this grain.
pub const CHUNK_SIZE: usize = 1 << 20;

/// Hashes a reader to its end, calling `progress` with the running byte count.
pub fn hash_reader<R: Read>(
    reader: R,
    cancel: &CancelToken,
    progress: impl FnMut(u64),
) -> Result<(Sha3Digest, u64), HashFailure> {
    hash_reader_into(reader, Sha3_224::new(), cancel, progress)
}

/// [`hash_reader`] going on from `hasher`; `progress` counts this reader's bytes.
fn hash_reader_into<R: Read>(
    mut reader: R,
    mut hasher: Sha3_224,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> Result<(Sha3Digest, u64), HashFailure> {
    with_buffer(|buf| {
        let mut done = 0u64;
        loop {
            if cancel.is_cancelled() {
                return Err(HashFailure::Cancelled);
            }
            let n = match reader.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            hasher.update(&buf[..n]);
            done += n as u64;
            progress(done);
        }
        Ok((hasher.finalize(), done))
    })
}

/// Hashes a stream named on the command line (a FIFO, a device:
/// [`fsmeta::is_named_stream`]) to its end; no stamp, nothing to confirm.
pub fn hash_named(path: &Path, cancel: &CancelToken) -> Result<(Sha3Digest, u64), HashFailure> {
    let file = fsmeta::open_named(path)?;
    hash_reader(file, cancel, |_| {})
}

/// A hashed file: its digest and the metadata it had while read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hashed {
    pub digest: Sha3Digest,
    pub stamp: FileStamp,
}

/// A regular file opened for hashing, with the stamp it had when opened.
pub(crate) struct Opened {
    pub(crate) file: std::fs::File,
    pub(crate) before: FileStamp,
}

/// Opens `path` for hashing: regular files only, never blocking on a FIFO
/// or device (`fsmeta::open_regular`), with a sequential-read hint.
pub(crate) fn open(path: &Path) -> Result<Opened, HashFailure> {
    let (file, meta) = fsmeta::open_regular(path)?;
    advise_sequential(&file);
    Ok(Opened {
        file,
        before: FileStamp::of(&meta),
    })
}

/// The hash of `opened` stands only if the file did not move while `read`
/// bytes were read: its stamp (size, mtime, ctime, inode: the cache's rule)
/// moved between open and end of read, fewer or more bytes were read than
/// its size, or the path now names another file (replaced by rename while
/// we read) all make it `Changed`.
/// Every hashing path (one file, or many in SIMD lanes) ends here.
pub(crate) fn confirm(
    path: &Path,
    opened: &Opened,
    digest: Sha3Digest,
    read: u64,
) -> Result<Hashed, HashFailure> {
    let before = opened.before;
    let after = FileStamp::of(&opened.file.metadata()?);
    let now_at_path = std::fs::metadata(path).map(|m| FileStamp::of(&m));
    let replaced = match now_at_path {
        Ok(s) => before.content_moved(&s),
        Err(_) => true,
    };
    if before.content_moved(&after) || read != before.size || replaced {
        return Err(HashFailure::Changed);
    }
    Ok(Hashed {
        digest,
        stamp: before,
    })
}

/// Hashes the regular file at `path`, never opening anything else. Files of
/// [`mapped::MAP_MIN`] or more are hashed where the page cache holds them
/// (`mapped`); the rest are read, inline or (unmapped, from
/// [`readahead::READAHEAD_MIN`]) on a second thread so reading overlaps
/// hashing. See [`confirm`] for when the file counts as changed.
pub fn hash_file(
    path: &Path,
    cancel: &CancelToken,
    progress: impl FnMut(u64),
) -> Result<Hashed, HashFailure> {
    let opened = open(path)?;
    let (digest, read) = match mapped::map(&opened) {
        Some(mut map) => mapped::hash_mapping(&mut map, 0, Sha3_224::new(), cancel, progress)?,
        None => hash_rest(&opened, Sha3_224::new(), 0, cancel, progress)?,
    };
    confirm(path, &opened, digest, read)
}

/// Hashes what is left of `opened` (its read position onwards) into
/// `hasher`, which already holds the first `done` bytes; big remainders are
/// read ahead on a second thread. Returns the digest and the total read.
pub(crate) fn hash_rest(
    opened: &Opened,
    hasher: Sha3_224,
    done: u64,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> Result<(Sha3Digest, u64), HashFailure> {
    let step = |n: u64| progress(done + n);
    let (digest, read) = if opened.before.size.saturating_sub(done) >= readahead::READAHEAD_MIN {
        readahead::hash_reader_overlapped(&opened.file, hasher, cancel, step)?
    } else {
        hash_reader_into(&opened.file, hasher, cancel, step)?
    };
    Ok((digest, done + read))
}

thread_local! {
    // One buffer per worker thread, reused across files, so many tiny files
    // cost no allocation each and memory stays at threads × CHUNK_SIZE.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn with_buffer<T>(f: impl FnOnce(&mut [u8]) -> T) -> T {
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            if buf.len() != CHUNK_SIZE {
                buf.resize(CHUNK_SIZE, 0);
            }
            f(&mut buf)
        }
        // Re-entered on this thread (a reader that itself hashes): use a fresh one.
        Err(_) => f(&mut vec![0u8; CHUNK_SIZE]),
    })
}

#[cfg(target_os = "linux")]
fn advise_sequential(file: &std::fs::File) {
    use std::os::unix::io::AsRawFd;
    // A hint only: doubling readahead helps cold reads; failure changes nothing.
    // SAFETY: posix_fadvise reads no memory of ours; the descriptor belongs
    // to `file`, which the borrow keeps open for the whole call.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_SEQUENTIAL);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_sequential(_file: &std::fs::File) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_input_gives_the_fips_202_empty_hash() {
        let (d, n) = hash_reader(&b""[..], &CancelToken::new(), |_| {}).unwrap();
        assert_eq!(n, 0);
        assert_eq!(
            d.to_hex(),
            "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7"
        );
    }

    #[test]
    fn cancelled_token_stops_before_reading() {
        let token = CancelToken::new();
        token.cancel();
        let r = hash_reader(&b"abc"[..], &token, |_| {});
        assert_eq!(r, Err(HashFailure::Cancelled));
    }

    #[test]
    fn progress_reports_running_total() {
        let data = vec![7u8; CHUNK_SIZE + 10];
        let mut seen = Vec::new();
        hash_reader(&data[..], &CancelToken::new(), |n| seen.push(n)).unwrap();
        assert_eq!(seen.last(), Some(&(CHUNK_SIZE as u64 + 10)));
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
    }
}
