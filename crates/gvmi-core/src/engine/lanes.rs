//! The multi-lane worker: one core hashing up to N files at once, one per
//! SIMD lane of a [`WideSponge`] (N = 8 with AVX-512, 4 with AVX2).
//!
//! Each round it admits at most one new file into a free lane (so two
//! workers starting together share a batch evenly), tops up every read
//! lane's buffer (a mapped lane has its whole file: `feed`), finishes the
//! lanes whose file has ended (last partial block and padding on the
//! scalar path, then [`hasher::confirm`]), and absorbs as many whole blocks
//! as every busy lane has (at most [`LANE_BUF`] each), in one call. When a
//! single file is left and nothing is queued, that file goes on with the
//! scalar sponge (over its mapping, or read ahead: `hasher::hash_rest`):
//! one big file is never slower than on the scalar engine.
//!
//! Memory: a read lane has one [`LANE_BUF`] buffer, plus one idle buffer,
//! i.e. at most 9 × 256 KiB per worker, reused across files; a mapped lane
//! keeps at most about `fsmeta::mapped::RELEASE_STEP` of its file resident.

use super::feed::{Feed, LANE_BUF};
use super::queue::{Queue, Work};
use super::{announce, report};
use crate::event::{JobEvent, JobSender};
use crate::hasher::{self, mapped, HashFailure, Opened, CHUNK_SIZE};
use crate::sha3_fast::{Backend, Sha3_224, WideSponge, RATE};

/// A file in a lane.
struct Lane {
    work: Work,
    opened: Opened,
    feed: Feed,
    /// Bytes hashed when progress was last reported.
    reported: u64,
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
                spare.extend(finish(done, events, &mut wide, slot));
            }
        }
        let busy = lanes.iter().filter(|l| l.is_some()).count();
        match busy {
            0 if queue.retire() => return,
            0 => continue,
            1 if queue.is_empty() => {
                let slot = lanes.iter().position(Option::is_some).expect("one busy");
                let lane = lanes[slot].take().expect("busy");
                spare.extend(finish_alone(lane, events, &mut wide, slot));
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
                let feed = Feed::for_file(&opened, spare);
                return Some(Lane {
                    work,
                    opened,
                    feed,
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
    } else if lane.feed.faulted() {
        // The file shrank under its mapping: the rest would be zeros.
        Some(Err(HashFailure::Changed))
    } else {
        match lane.feed.top_up(&lane.opened.file) {
            Err(e) => Some(Err(e)),
            Ok(()) if lane.feed.ended() => Some(Ok(())),
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

/// Reports a finished lane; returns its read buffer for the next file.
fn finish(done: Done, events: &JobSender, wide: &mut WideSponge, slot: usize) -> Option<Vec<u8>> {
    let Done { lane, outcome } = done;
    let result = outcome.and_then(|()| {
        let digest = to_scalar(&lane, wide, slot).finalize();
        if lane.feed.faulted() {
            return Err(HashFailure::Changed);
        }
        let taken = lane.feed.taken();
        hasher::confirm(&lane.work.group[0].path, &lane.opened, digest, taken)
    });
    if result.is_ok() {
        progress(&lane, lane.feed.taken(), events);
    }
    report(&lane.work.group, result, events);
    lane.feed.into_buffer()
}

/// The last file of a batch: its lane's state goes on with the scalar
/// sponge, which is faster for one stream than a mostly idle vector.
fn finish_alone(
    lane: Lane,
    events: &JobSender,
    wide: &mut WideSponge,
    slot: usize,
) -> Option<Vec<u8>> {
    let Lane {
        work, opened, feed, ..
    } = lane;
    let lead = &work.group[0];
    let step = |done| events.send(JobEvent::Progress { id: lead.id, done });
    let (result, buffer) = match feed {
        Feed::Mapped { mut map, pos } => {
            let h = wide.take(slot);
            let r = mapped::hash_mapping(&mut map, pos, h, &work.cancel, step);
            (r, None)
        }
        read => {
            let mut h = wide.take(slot);
            h.update(read.pending());
            let r = hasher::hash_rest(&opened, h, read.taken(), &work.cancel, step);
            (r, read.into_buffer())
        }
    };
    let result = result.and_then(|(digest, n)| hasher::confirm(&lead.path, &opened, digest, n));
    report(&work.group, result, events);
    buffer
}

/// The lane's sponge as a scalar hasher holding every byte read so far:
/// the absorbed blocks (the lane's state) and the pending tail.
fn to_scalar(lane: &Lane, wide: &mut WideSponge, slot: usize) -> Sha3_224 {
    let mut h = wide.take(slot);
    h.update(lane.feed.pending());
    h
}

/// One call into the vector unit: every busy lane's whole pending blocks,
/// as many as the shortest of them has, at most [`LANE_BUF`] bytes' worth.
fn absorb(lanes: &mut [Option<Lane>], wide: &mut WideSponge, idle: &[u8], events: &JobSender) {
    let blocks = lanes
        .iter()
        .flatten()
        .map(|l| l.feed.pending().len() / RATE)
        .min()
        .expect("a busy lane")
        .min(LANE_BUF / RATE);
    let inputs: Vec<&[u8]> = lanes
        .iter()
        .map(|l| l.as_ref().map_or(idle, |l| l.feed.pending()))
        .collect();
    wide.absorb(&inputs, blocks);
    for lane in lanes.iter_mut().flatten() {
        lane.feed.consume(blocks * RATE);
        let hashed = lane.feed.hashed();
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
