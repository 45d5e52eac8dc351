//! `R` and `V` act on every row, a slice per turn of the event loop, so a
//! key pressed meanwhile waits for one slice, never for the whole table;
//! and an action over many rows (`R`, `V`, `P`) pressed again with nothing
//! in between (no event, no other input) is skipped: it would change
//! nothing, so a key held down costs one pass per batch of input, not one
//! per key. A part of `App` that knows rows by id only.

use super::keymap::Action;
use super::rows::RowId;

/// Rows queued per slice (~5 ms in a debug build).
pub const SLICE: usize = 500;

/// What a sweep does to each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `R`: hash again.
    Rehash,
    /// `V`: check the URL serves the image.
    Verify,
}

#[derive(Debug)]
struct Sweep {
    ids: Vec<RowId>,
    done: usize,
}

#[derive(Debug, Default)]
pub struct Sweeps {
    rehash: Option<Sweep>,
    verify: Option<Sweep>,
    /// `V` so far: URLs queued, rows without a hash or URL.
    verified: (usize, usize),
    /// The many-row action that was the last thing to happen.
    last: Option<Action>,
}

impl Sweeps {
    /// A sweep of `kind` over `ids` starts (one of that kind under way is
    /// replaced).
    pub fn start(&mut self, kind: Kind, ids: Vec<RowId>) {
        let sweep = Some(Sweep { ids, done: 0 });
        match kind {
            Kind::Rehash => self.rehash = sweep,
            Kind::Verify => {
                self.verify = sweep;
                self.verified = (0, 0);
            }
        }
    }

    /// `R` while one is under way: it starts over, in O(1) (rows it
    /// queued that have finished since are queued again, as the press asks).
    /// False when none is under way.
    pub fn restart_rehash(&mut self) -> bool {
        match &mut self.rehash {
            Some(sweep) => {
                sweep.done = 0;
                true
            }
            None => false,
        }
    }

    /// The next slice of the sweep of `kind`, and how many rows it covers
    /// in all; the sweep ends with its last slice.
    pub fn next_slice(&mut self, kind: Kind) -> Option<(Vec<RowId>, usize)> {
        let slot = match kind {
            Kind::Rehash => &mut self.rehash,
            Kind::Verify => &mut self.verify,
        };
        let sweep = slot.as_mut()?;
        let end = (sweep.done + SLICE).min(sweep.ids.len());
        let slice = sweep.ids[sweep.done..end].to_vec();
        let total = sweep.ids.len();
        sweep.done = end;
        if end == sweep.ids.len() {
            *slot = None;
        }
        Some((slice, total))
    }

    /// True while a sweep has rows left to queue.
    pub fn under_way(&self) -> bool {
        self.rehash.is_some() || self.verify.is_some()
    }

    /// Whether the sweep of `kind` has rows left to queue.
    pub fn has(&self, kind: Kind) -> bool {
        match kind {
            Kind::Rehash => self.rehash.is_some(),
            Kind::Verify => self.verify.is_some(),
        }
    }

    /// `V` queued `queued` checks and skipped `skipped` rows; the totals so far.
    pub fn count_verified(&mut self, queued: usize, skipped: usize) -> (usize, usize) {
        self.verified.0 += queued;
        self.verified.1 += skipped;
        self.verified
    }

    /// Whether `many` (`R`, `V`, `P`; `None` for any other key) repeats
    /// the last thing that happened.
    pub fn repeated(&self, many: Option<Action>) -> bool {
        many.is_some() && many == self.last
    }

    /// A key was handled: `many` if it acts on many rows.
    pub fn pressed(&mut self, many: Option<Action>) {
        self.last = many;
    }

    /// Something else happened (an event, the mouse, a paste).
    pub fn interrupted(&mut self) {
        self.last = None;
    }
}
