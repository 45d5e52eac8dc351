//! Hashing a file through a memory mapping (`fsmeta::Mapping`) instead of
//! reading it: no copy into a buffer, no reader thread.
//!
//! Why (measured on 2 cores of an AMD Zen 5, Linux 6.18, page cache warm;
//! ARCHITECTURE.md has the figures): with both cores hashing, the kernel
//! time of `read()`'s copy is taken straight from the lanes, and faulting
//! mapped pages in costs less of it; one file needs no reader thread.
//! Small files are still read: files of 256-512 KiB measured the same
//! either way (200 of each, CPU time equal within /usr/bin/time's 10 ms),
//! and below that a mapping's set-up and tear-down (mmap, the SIGBUS
//! guard, munmap) only adds system calls.
//!
//! `GVMI_MMAP=off` turns mapping off (every file is read, big ones ahead
//! on a second thread as before): for comparing, and as a way out should
//! a file system map badly.

use std::sync::OnceLock;

use super::{HashFailure, Opened, CHUNK_SIZE};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::fsmeta::Mapping;
use crate::sha3_fast::Sha3_224;

/// Files at least this big are mapped; smaller ones are read.
pub const MAP_MIN: u64 = 256 << 10;

/// The environment variable that turns mapping off (`off` or `0`).
pub const MMAP_ENV: &str = "GVMI_MMAP";

/// Whether files may be mapped in this process (`GVMI_MMAP`).
fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        !std::env::var_os(MMAP_ENV).is_some_and(|v| v == "off" || v == "0" || v == "no")
    })
}

/// `opened` mapped whole when it is big enough and mapping is on; `None`
/// (read it instead) otherwise, or when it cannot be mapped.
pub(crate) fn map(opened: &Opened) -> Option<Mapping> {
    if !enabled() || opened.before.size < MAP_MIN {
        return None;
    }
    Mapping::map(&opened.file, opened.before.size).ok()
}

/// Hashes `map` from byte `from` to its end into `hasher` (which holds the
/// bytes before `from`), one [`CHUNK_SIZE`] at a time: progress (running
/// totals from 0) and cancellation between chunks. A page that vanished
/// under us (the file shrank) makes it `Changed`.
pub(crate) fn hash_mapping(
    map: &mut Mapping,
    from: usize,
    mut hasher: Sha3_224,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> Result<(Sha3Digest, u64), HashFailure> {
    let len = map.bytes().len();
    let mut at = from.min(len);
    while at < len {
        if cancel.is_cancelled() {
            return Err(HashFailure::Cancelled);
        }
        if map.faulted() {
            return Err(HashFailure::Changed);
        }
        let end = (at + CHUNK_SIZE).min(len);
        hasher.update(&map.bytes()[at..end]);
        at = end;
        map.done_with(at);
        progress(at as u64);
    }
    if map.faulted() {
        return Err(HashFailure::Changed);
    }
    Ok((hasher.finalize(), len as u64))
}
