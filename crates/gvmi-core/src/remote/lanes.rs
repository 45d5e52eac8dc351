//! Downloads hashed in SIMD lanes, as the engine hashes files
//! (`engine::lanes`): one thread runs a [`WideSponge`] with one download
//! per lane, each download's body arriving on its own helper thread
//! ([`Stream`]). Each round tops every lane up (a lane whose body has no
//! bytes ready waits [`STALL`] for them), absorbs the whole blocks every
//! busy lane has in one call, and finishes the lanes whose body ended (the
//! last partial block and padding on the scalar sponge). A lane still
//! without bytes after [`STALL`] while others have some is handed to the
//! scalar sponge on a thread of its own, so a slow server never holds the
//! others back; so is the last download left, which one stream hashes
//! faster alone.
//!
//! Memory: one [`LANE_BUF`] buffer per lane (at most 8 × 256 KiB) beside
//! each download's own (1 MiB), whatever the bodies' sizes.

use std::io::{self, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Failure, Stream};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::event::JobId;
use crate::hasher::HashFailure;
use crate::sha3_fast::{Backend, Sha3_224, WideSponge, RATE};

/// Bytes buffered per lane: a whole number of blocks, about 256 KiB.
const LANE_BUF: usize = RATE * 1820;
/// How long a lane waits for its body's next bytes before it is handed to
/// a thread of its own.
pub const STALL: Duration = Duration::from_millis(50);
/// Progress is reported about this often, in bytes.
const PROGRESS_EVERY: u64 = 1 << 20;

/// How a download is started when a lane frees (it may borrow, e.g. the
/// bucket it reads).
pub type Opener<'a> = Box<dyn FnOnce(&CancelToken) -> Stream + Send + 'a>;

/// Why a download has no hash: its own failure (status, words), or the
/// hasher's (cancelled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failed {
    Download(Failure),
    Hash(HashFailure),
}

impl Failed {
    /// The server answered 404 or 410: nothing is there.
    pub fn is_missing(&self) -> bool {
        match self {
            Failed::Download(f) => matches!(f.status(), Some(404 | 410)),
            Failed::Hash(_) => false,
        }
    }

    /// What a read of `stream` that failed with `e` came to.
    pub fn of(stream: &Stream, e: io::Error) -> Failed {
        match stream.failure() {
            Some(failure) => Failed::Download(failure.clone()),
            None => Failed::Hash(e.into()),
        }
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Download(failure) => failure.fmt(f),
            Failed::Hash(failure) => failure.fmt(f),
        }
    }
}

/// What the lanes tell their caller, from any of their threads.
#[derive(Debug)]
pub enum Report {
    Started(JobId),
    /// Bytes of the body hashed so far.
    Progress(JobId, u64),
    /// The digest and size of the whole body, or why not.
    Done(JobId, Result<(Sha3Digest, u64), Failed>),
}

/// Whether this CPU hashes several downloads at once in lanes (else each
/// download is hashed on its own thread).
pub fn available() -> bool {
    Backend::active().lanes() > 1
}

/// A download in a lane.
struct Lane {
    id: JobId,
    stream: Stream,
    buf: Vec<u8>,
    /// `buf[start..end]` is read but not yet absorbed.
    start: usize,
    end: usize,
    read: u64,
    eof: bool,
    reported: u64,
    /// Filler went into its slot while it waited for its first bytes.
    filler: bool,
}

impl Lane {
    fn new(id: JobId, stream: Stream, buf: Vec<u8>) -> Lane {
        Lane {
            id,
            stream,
            buf,
            start: 0,
            end: 0,
            read: 0,
            eof: false,
            reported: 0,
            filler: false,
        }
    }

    /// Whether the body's first bytes (or its end) came: until then the
    /// lane takes filler, and never waits for it.
    fn started(&self) -> bool {
        self.read > 0 || self.eof
    }

    fn pending(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn needs_bytes(&self) -> bool {
        !self.eof && self.end - self.start < RATE
    }

    /// Reads what the body has ready, and waits for it only while less
    /// than a block is pending.
    fn top_up(&mut self) -> Result<(), Failed> {
        if self.eof {
            return Ok(());
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        // Not started: only what is ready (a slow first byte holds no one).
        let waits = |lane: &Lane| lane.started() && lane.needs_bytes();
        while self.end < self.buf.len() && (waits(self) || self.stream.ready()) {
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.end += n;
                    self.read += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Failed::of(&self.stream, e)),
            }
            if self.eof {
                break;
            }
        }
        Ok(())
    }

    /// Waits up to [`STALL`] for the body's next bytes.
    fn waits_in_vain(&mut self) -> bool {
        let until = Instant::now() + STALL;
        while !self.stream.ready() {
            if Instant::now() >= until {
                return true;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        false
    }
}

/// Hashes the downloads `jobs` gives, in lanes of the active backend
/// ([`available`] must be true), at most `at_once` in flight at a time
/// (lanes and the downloads handed to threads of their own); every report
/// goes to `report`, from this thread or a download's own. Returns once
/// every download is done.
pub fn hash_in_lanes<'a>(
    jobs: impl Iterator<Item = (JobId, Opener<'a>)>,
    at_once: usize,
    cancel: &CancelToken,
    report: &(dyn Fn(Report) + Sync),
) {
    let Some(mut wide) = WideSponge::new(Backend::active()) else {
        return;
    };
    let at_once = at_once.max(1);
    let mut jobs = jobs.peekable();
    let mut lanes: Vec<Option<Lane>> = (0..wide.lanes()).map(|_| None).collect();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    let idle = vec![0u8; LANE_BUF];
    let alone = AtomicUsize::new(0);
    std::thread::scope(|scope| loop {
        let in_flight =
            |lanes: &[Option<Lane>]| lanes.iter().flatten().count() + alone.load(Ordering::Acquire);
        let free: Vec<usize> = (0..lanes.len()).filter(|&s| lanes[s].is_none()).collect();
        for slot in free {
            if in_flight(&lanes) < at_once {
                if let Some((id, open)) = jobs.next() {
                    report(Report::Started(id));
                    wide.reset(slot);
                    let buf = spare.pop().unwrap_or_else(|| vec![0u8; LANE_BUF]);
                    lanes[slot] = Some(Lane::new(id, open(cancel), buf));
                }
            }
        }
        let busy = lanes.iter().flatten().count();
        if busy == 0 {
            if jobs.peek().is_none() {
                return;
            }
            // Every slot's download went to a thread of its own: wait for one.
            std::thread::sleep(Duration::from_millis(1));
            continue;
        }
        let last = busy == 1 && jobs.peek().is_none();
        let mut moved = false;
        for (slot, entry) in lanes.iter_mut().enumerate() {
            let Some(lane) = entry.as_mut() else {
                continue;
            };
            if cancel.is_cancelled() {
                let lane = entry.take().expect("busy");
                report(Report::Done(
                    lane.id,
                    Err(Failed::Hash(HashFailure::Cancelled)),
                ));
                spare.push(lane.buf);
                moved = true;
                continue;
            }
            let stalled = lane.started() && lane.needs_bytes() && busy > 1 && lane.waits_in_vain();
            if last || stalled {
                let lane = entry.take().expect("busy");
                let h = to_scalar(&lane, &mut wide, slot);
                let (id, stream, read) = (lane.id, lane.stream, lane.read);
                spare.push(lane.buf);
                alone.fetch_add(1, Ordering::AcqRel);
                let (cancel, alone) = (cancel.clone(), &alone);
                scope.spawn(move || {
                    let result = finish_alone(id, h, stream, read, &cancel, report);
                    report(Report::Done(id, result));
                    alone.fetch_sub(1, Ordering::AcqRel);
                });
                moved = true;
                continue;
            }
            let topped = lane.top_up();
            let ended = lane.eof && lane.end - lane.start < RATE;
            if topped.is_err() || ended {
                let lane = entry.take().expect("busy");
                let result = topped.map(|()| {
                    let digest = to_scalar(&lane, &mut wide, slot).finalize();
                    (digest, lane.read)
                });
                wide.reset(slot);
                report(Report::Done(lane.id, result));
                spare.push(lane.buf);
                moved = true;
            }
        }
        if !absorb(&mut lanes, &mut wide, &idle, report) && !moved {
            // Only downloads still waiting for their first bytes.
            std::thread::sleep(Duration::from_millis(1));
        }
    })
}

/// The lane's sponge as a scalar hasher holding every byte read so far.
fn to_scalar(lane: &Lane, wide: &mut WideSponge, slot: usize) -> Sha3_224 {
    let mut h = match lane.filler {
        // Only filler went in: the body starts from an empty sponge.
        true => Sha3_224::new(),
        false => wide.take(slot),
    };
    h.update(lane.pending());
    h
}

/// The rest of a body on the scalar sponge.
fn finish_alone(
    id: JobId,
    mut h: Sha3_224,
    mut stream: Stream,
    mut read: u64,
    cancel: &CancelToken,
    report: &(dyn Fn(Report) + Sync),
) -> Result<(Sha3Digest, u64), Failed> {
    let mut buf = vec![0u8; 64 << 10];
    let mut reported = read;
    loop {
        if cancel.is_cancelled() {
            return Err(Failed::Hash(HashFailure::Cancelled));
        }
        match stream.read(&mut buf) {
            Ok(0) => return Ok((h.finalize(), read)),
            Ok(n) => {
                h.update(&buf[..n]);
                read += n as u64;
                if read - reported >= PROGRESS_EVERY {
                    reported = read;
                    report(Report::Progress(id, read));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Failed::of(&stream, e)),
        }
    }
}

/// One call into the vector unit: every started lane's whole pending
/// blocks, as many as the shortest of them has (a lane still waiting for
/// its first bytes absorbs filler, and starts over empty when they come).
/// Whether anything was absorbed.
fn absorb(
    lanes: &mut [Option<Lane>],
    wide: &mut WideSponge,
    idle: &[u8],
    report: &(dyn Fn(Report) + Sync),
) -> bool {
    let started = || lanes.iter().flatten().filter(|l| l.started());
    let Some(blocks) = started().map(|l| (l.end - l.start) / RATE).min() else {
        return false;
    };
    if blocks == 0 {
        return false;
    }
    for (slot, lane) in lanes.iter_mut().enumerate() {
        match lane {
            Some(lane) if lane.started() && lane.filler => {
                wide.reset(slot);
                lane.filler = false;
            }
            Some(lane) if !lane.started() => lane.filler = true,
            _ => {}
        }
    }
    let inputs: Vec<&[u8]> = lanes
        .iter()
        .map(|l| match l {
            Some(l) if l.started() => l.pending(),
            _ => idle,
        })
        .collect();
    wide.absorb(&inputs, blocks);
    for lane in lanes.iter_mut().flatten().filter(|l| l.started()) {
        lane.start += blocks * RATE;
        let hashed = lane.read - (lane.end - lane.start) as u64;
        if hashed - lane.reported >= PROGRESS_EVERY {
            report(Report::Progress(lane.id, hashed));
            lane.reported = hashed;
        }
    }
    true
}
