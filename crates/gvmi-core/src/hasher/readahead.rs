//! Overlapped reading for big files: a reader thread fills a small ring of
//! buffers while the calling thread hashes the previous one.
//!
//! Why: even page-cached, `read()` of a 1 GiB file costs 0.15–0.3 s of
//! kernel copying, and cold it waits for the disk; done inline, that time
//! adds to the hashing time. With a second thread the two overlap and the
//! file takes about as long as Keccak alone. Small files are read inline
//! (`hasher`): a thread per file would cost more than it saves.
//!
//! Memory is bounded: exactly [`RING`] buffers of [`BUF_SIZE`] exist per
//! file in flight; they travel reader → hasher on `full` and back on
//! `free`, so the reader can never run further ahead than the ring.

use std::io::{self, Read};
use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender};

use super::failure::HashFailure;
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::sha3_fast::Sha3_224;

/// Files at least this big are read ahead; below it the thread is not worth it.
pub const READAHEAD_MIN: u64 = 4 << 20;
/// Bytes per buffer; progress and cancellation happen at this grain.
pub(crate) const BUF_SIZE: usize = 1 << 20;
/// Buffers per file in flight: the reader may be this far ahead.
pub(crate) const RING: usize = 4;

/// What the reader sends: a filled buffer and its length, or the error
/// that ended reading. End of file is the channel closing.
type Filled = io::Result<(Vec<u8>, usize)>;

/// Hashes `reader` to its end into `hasher` with reading on a second
/// thread; otherwise exactly [`crate::hasher::hash_reader`]: same digest,
/// same progress calls (running totals), cancellation checked between buffers.
pub fn hash_reader_overlapped<R: Read + Send>(
    mut reader: R,
    hasher: Sha3_224,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> Result<(Sha3Digest, u64), HashFailure> {
    let (free_tx, free_rx) = bounded::<Vec<u8>>(RING);
    let (full_tx, full_rx) = bounded::<Filled>(RING);
    for _ in 0..RING {
        free_tx
            .send(vec![0u8; BUF_SIZE])
            .expect("room for the ring");
    }
    thread::scope(|scope| {
        thread::Builder::new()
            .name("gvmi-read".into())
            .spawn_scoped(scope, move || fill(&mut reader, free_rx, full_tx))
            .map_err(HashFailure::from)?;
        // Each side owns its channel ends. The reader's end of file drops
        // `full_tx`, which ends `drain`'s loop; an early return from
        // `drain` (error, cancel) drops `free_tx` and `full_rx`, which makes
        // the reader's next receive or send fail, so it stops and the scope
        // can join it.
        drain(hasher, free_tx, full_rx, cancel, &mut progress)
    })
}

/// The reader thread: take a free buffer, fill it, pass it on; stop at end
/// of file, on error, or when the hashing side has gone.
fn fill<R: Read>(reader: &mut R, free: Receiver<Vec<u8>>, full: Sender<Filled>) {
    while let Ok(mut buf) = free.recv() {
        let msg = loop {
            match reader.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => break Ok((buf, n)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(e),
            }
        };
        let failed = msg.is_err();
        if full.send(msg).is_err() || failed {
            return;
        }
    }
}

/// The hashing side: hash each filled buffer in order and hand it back.
fn drain(
    mut hasher: Sha3_224,
    free: Sender<Vec<u8>>,
    full: Receiver<Filled>,
    cancel: &CancelToken,
    progress: &mut impl FnMut(u64),
) -> Result<(Sha3Digest, u64), HashFailure> {
    let mut done = 0u64;
    loop {
        if cancel.is_cancelled() {
            return Err(HashFailure::Cancelled);
        }
        let Ok(msg) = full.recv() else { break };
        let (buf, n) = msg?;
        hasher.update(&buf[..n]);
        done += n as u64;
        progress(done);
        // The reader may already have stopped (end of file): nothing to do.
        let _ = free.send(buf);
    }
    Ok((hasher.finalize(), done))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that returns odd-sized pieces, then an error.
    struct Flaky {
        left: usize,
    }

    impl Read for Flaky {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("disk on fire"));
            }
            let n = self.left.min(buf.len()).min(1000);
            buf[..n].fill(0xab);
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_is_reported_and_the_reader_stops() {
        let r = hash_reader_overlapped(
            Flaky { left: 5000 },
            Sha3_224::new(),
            &CancelToken::new(),
            |_| {},
        );
        assert_eq!(r, Err(HashFailure::Io("disk on fire".into())));
    }

    #[test]
    fn empty_input_gives_the_empty_hash() {
        let (d, n) =
            hash_reader_overlapped(&b""[..], Sha3_224::new(), &CancelToken::new(), |_| {}).unwrap();
        assert_eq!(n, 0);
        assert_eq!(
            d.to_hex(),
            "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7"
        );
    }
}
