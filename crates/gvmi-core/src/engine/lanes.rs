//! The multi-lane worker: one core hashing up to N files at once, one per
//! SIMD lane of a [`WideSponge`] (N = 8 with AVX-512, 4 with AVX2).
//!
//! Each round it admits at most one new file into a free lane (so two
//! workers starting together share a batch evenly), tops up every lane's
//! buffer, finishes the lanes whose file has ended (last partial block and
//! padding on the scalar path, then [`hasher::confirm`]), and absorbs as many
//! whole blocks as every busy lane has, in one call. When a single file is
//! left and nothing is queued, that file goes on with the scalar sponge and
//! read-ahead (`hasher::hash_rest`): one big file is never slower than on
//! the scalar engine.
//!
//! Memory: one [`LANE_BUF`] buffer per lane plus one idle buffer, i.e. at
//! most 9 × 256 KiB per worker, reused across files.

use super::queue::{Queue, Work};
use super::{announce, report};
use crate::event::{JobEvent, JobSender};
use crate::hasher::{self, HashFailure, Opened, CHUNK_SIZE};
use crate::sha3_fast::{Backend, Sha3_224, WideSponge, RATE};

/// Bytes buffered per lane: a whole number of blocks, about 256 KiB.
const LANE_BUF: usize = RATE * 1820;

/// A file in a lane.
struct Lane {
    work: Work,
    opened: Opened,
    buf: Vec<u8>,
    /// `buf[start..end]` is read but not yet absorbed.
    start: usize,
    end: usize,
    /// Bytes read from the file so far.
    read: u64,
    eof: bool,
    /// `read` when progress was last reported.
    reported: u64,
}

impl Lane {
    fn pending(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Reads until the buffer is full or the file ends, once less than a
    /// block is pending.
    fn top_up(&mut self) -> Result<(), HashFailure> {
        if self.eof || self.end - self.start >= RATE {
            return Ok(());
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        while self.end < self.buf.len() {
            match std::io::Read::read(&mut &self.opened.file, &mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    self.read += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

/// Drains `queue` with `backend`'s lanes until it is empty.
pub(super) fn run(queue: &Queue, events: &JobSender, backend: Backend) {
    let mut wide = WideSponge::new(backend).expect("the engine checked the backend");
    let n = wide.lanes();
    let mut lanes: Vec<Option<Lane>> = (0..n).map(|_| None).collect();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    let idle = vec![0u8; LANE_BUF];
    loop {
        if let Some(slot) = lanes.iter().position(Option::is_none) {
            // An idle lane has been absorbing filler: it starts over empty.
            wide.reset(slot);
            lanes[slot] = admit(queue, events, &mut spare);
        }
        for (slot, lane) in lanes.iter_mut().enumerate() {
            if let Some(done) = settle(lane, &mut wide, slot) {
                spare.push(finish(done, events, &mut wide, slot));
            }
        }
        let busy = lanes.iter().filter(|l| l.is_some()).count();
        match busy {
            0 if queue.retire() => return,
            0 => continue,
            1 if queue.is_empty() => {
                let slot = lanes.iter().position(Option::is_some).expect("one busy");
                let lane = lanes[slot].take().expect("busy");
                spare.push(finish_alone(lane, events, &mut wide, slot));
                continue;
            }
            _ => {}
        }
        absorb(&mut lanes, &mut wide, &idle, events);
    }
}

/// Opens the next queued file, if any, into a lane.
fn admit(queue: &Queue, events: &JobSender, spare: &mut Vec<Vec<u8>>) -> Option<Lane> {
    loop {
        let work = queue.pop()?;
        let lead = &work.group[0];
        if work.cancel.is_cancelled() {
            report(&work.group, Err(HashFailure::Cancelled), events);
            continue;
        }
        announce(lead, events);
        match hasher::open(&lead.path) {
            Ok(opened) => {
                let buf = spare.pop().unwrap_or_else(|| vec![0u8; LANE_BUF]);
                return Some(Lane {
                    work,
                    opened,
                    buf,
                    start: 0,
                    end: 0,
                    read: 0,
                    eof: false,
                    reported: 0,
                });
            }
            Err(e) => report(&work.group, Err(e), events),
        }
    }
}

/// Tops a lane up; hands it back (emptying the slot) when its file is done:
/// cancelled, failed, or ended with less than a block pending.
fn settle(slot: &mut Option<Lane>, wide: &mut WideSponge, index: usize) -> Option<Done> {
    let lane = slot.as_mut()?;
    let outcome = if lane.work.cancel.is_cancelled() {
        Some(Err(HashFailure::Cancelled))
    } else {
        match lane.top_up() {
            Err(e) => Some(Err(e)),
            Ok(()) if lane.eof && lane.end - lane.start < RATE => Some(Ok(())),
            Ok(()) => None,
        }
    };
    let outcome = outcome?;
    let lane = slot.take().expect("checked above");
    if outcome.is_err() {
        wide.reset(index);
    }
    Some(Done { lane, outcome })
}

struct Done {
    lane: Lane,
    /// `Ok` when every byte is in: the lane's state plus its tail is the hash.
    outcome: Result<(), HashFailure>,
}

/// Reports a finished lane; returns its buffer for the next file.
fn finish(done: Done, events: &JobSender, wide: &mut WideSponge, slot: usize) -> Vec<u8> {
    let Done { lane, outcome } = done;
    let result = outcome.and_then(|()| {
        let digest = to_scalar(&lane, wide, slot).finalize();
        hasher::confirm(&lane.work.group[0].path, &lane.opened, digest, lane.read)
    });
    if result.is_ok() {
        progress(&lane, lane.read, events);
    }
    report(&lane.work.group, result, events);
    lane.buf
}

/// The last file of a batch: its lane's state goes on with the scalar
/// sponge, which is faster for one stream than a mostly idle vector.
fn finish_alone(lane: Lane, events: &JobSender, wide: &mut WideSponge, slot: usize) -> Vec<u8> {
    let h = to_scalar(&lane, wide, slot);
    let lead = &lane.work.group[0];
    let result = hasher::hash_rest(&lane.opened, h, lane.read, &lane.work.cancel, |done| {
        events.send(JobEvent::Progress { id: lead.id, done });
    })
    .and_then(|(digest, read)| hasher::confirm(&lead.path, &lane.opened, digest, read));
    report(&lane.work.group, result, events);
    lane.buf
}

/// The lane's sponge as a scalar hasher holding every byte read so far:
/// the absorbed blocks (the lane's state) and the pending tail.
fn to_scalar(lane: &Lane, wide: &mut WideSponge, slot: usize) -> Sha3_224 {
    let mut h = wide.take(slot);
    h.update(lane.pending());
    h
}

/// One call into the vector unit: every busy lane's whole pending blocks,
/// as many as the shortest of them has.
fn absorb(lanes: &mut [Option<Lane>], wide: &mut WideSponge, idle: &[u8], events: &JobSender) {
    let blocks = lanes
        .iter()
        .flatten()
        .map(|l| (l.end - l.start) / RATE)
        .min()
        .expect("a busy lane");
    let inputs: Vec<&[u8]> = lanes
        .iter()
        .map(|l| l.as_ref().map_or(idle, Lane::pending))
        .collect();
    wide.absorb(&inputs, blocks);
    for lane in lanes.iter_mut().flatten() {
        lane.start += blocks * RATE;
        let hashed = lane.read - (lane.end - lane.start) as u64;
        if hashed - lane.reported >= CHUNK_SIZE as u64 {
            progress(lane, hashed, events);
            lane.reported = hashed;
        }
    }
}

fn progress(lane: &Lane, done: u64, events: &JobSender) {
    let id = lane.work.group[0].id;
    events.send(JobEvent::Progress { id, done });
}
