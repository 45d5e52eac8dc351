//! Rows that come, go, or are hashed again while the workbench runs:
//! added where the sort puts them, rehashed (asked for or rebuilt on disk),
//! removed with everything known about them. No other row moves.

use super::{App, Effect};
use crate::discover::Found;
use crate::engine::Job;
use crate::tui::batch::Kind;
use crate::tui::event::Event;
use crate::tui::rows::{Row, RowId, RowState};
use crate::watch::Change;

/// Rows an `R` queues per turn of the event loop (~5 ms in a debug build).
const SWEEP_SLICE: usize = 500;

/// An `R` under way: the rows it covers, and how many are queued.
pub(in crate::tui) struct Sweep {
    ids: Vec<RowId>,
    done: usize,
}

impl App {
    /// Adds a row where the sort puts it; the first row is selected.
    pub(in crate::tui) fn add_row(&mut self, row: Row) -> RowId {
        let id = self.rows.push(row);
        crate::tui::rows::insert_sorted(&mut self.view, &self.rows, self.sort, &self.filter, id);
        if self.selected.is_none() {
            self.selected = self.view.first().copied();
        }
        self.scroll_to_selection();
        id
    }

    pub(super) fn apply_watch(&mut self, change: Change) {
        let found = self.rows.find(change.path());
        match (change, found) {
            (Change::Writing { .. }, Some(id)) => {
                self.cancel_row(id);
                self.forget_hash(id);
                let row = &mut self.rows[id];
                row.state = RowState::Writing;
            }
            (Change::Writing { path, root }, None) => {
                let mut row = Row::new(path, root);
                row.state = RowState::Writing;
                row.listed = self.changes.listed_for(&row.path);
                self.add_row(row);
            }
            (Change::Settled { stamp, .. }, Some(id)) => {
                let row = &self.rows[id];
                let same = row.state.digest().is_some()
                    && row.size == Some(stamp.size)
                    && row.mtime == stamp.mtime;
                if !same {
                    if let Some(effect) = self.rehash(&[id], false) {
                        self.outbox.push(effect);
                    }
                }
            }
            (Change::Settled { path, root, stamp }, None) => {
                let id = self.ids.next();
                let found = Found::Image {
                    path: path.clone(),
                    root,
                    stamp,
                };
                self.apply(Event::Discovered { id, found });
                let job = Job {
                    id,
                    path,
                    stamp: Some(stamp),
                };
                let token = self.root_token.child();
                if let Some(row) = self.jobs.row(id) {
                    self.tokens.insert(row, token.clone());
                }
                self.outbox.push(Effect::Hash {
                    jobs: vec![job],
                    tokens: vec![token],
                });
            }
            (Change::Removed { .. }, Some(id)) => self.remove_row(id),
            (Change::Removed { .. }, None) => {}
        }
    }

    /// Drops a row and everything known about it; no other row moves.
    fn remove_row(&mut self, id: RowId) {
        self.cancel_row(id);
        self.changes
            .count(self.rows[id].state.digest().copied(), None);
        self.findings.forget(id);
        for kind in [Kind::Verify, Kind::Publish] {
            if let Some(tally) = self.batches.drop_row(kind, id) {
                self.status = Some(tally);
            }
        }
        self.rows.remove(id);
        if self.selected == Some(id) {
            // The row that took its place on screen, else the one above.
            let at = self.cursor().unwrap_or(0);
            self.view.retain(|&v| v != id);
            self.selected = self.view.get(at).or(self.view.last()).copied();
        }
        if self.details_row == Some(id) {
            self.details_row = None;
        }
        self.refresh_view();
    }

    /// Cancels the row's job in flight, if any (that job alone: its token
    /// is its own); its `Finished` is then ignored. O(1).
    pub(in crate::tui) fn cancel_row(&mut self, id: RowId) {
        if let Some(token) = self.tokens.remove(&id) {
            token.cancel();
        }
        if let Some(job) = self.jobs.drop_row(id) {
            let size = self.rows.get(id).and_then(|r| r.size).unwrap_or(0);
            self.tally.forget(job, size);
        }
    }

    /// `R`: every row, the first slice now and the rest a slice per turn
    /// of the event loop ([`App::continue_sweep`]), so that a key pressed
    /// meanwhile waits for one slice, never for the whole table. Pressed
    /// while one is under way, that one starts over (O(1)): rows it queued
    /// and that have finished since are queued again, as the press asks.
    pub(in crate::tui) fn rehash_all(&mut self) -> Option<Effect> {
        if let Some(sweep) = &mut self.sweep {
            sweep.done = 0;
            return None;
        }
        let ids = self.rows.ids();
        self.sweep = Some(Sweep { ids, done: 0 });
        self.continue_sweep()
    }

    /// True while an `R` has rows left to queue.
    pub fn sweeping(&self) -> bool {
        self.sweep.is_some()
    }

    /// Queues the next slice of an `R` under way.
    pub fn continue_sweep(&mut self) -> Option<Effect> {
        let mut sweep = self.sweep.take()?;
        let end = (sweep.done + SWEEP_SLICE).min(sweep.ids.len());
        let effect = self.rehash(&sweep.ids[sweep.done..end], true);
        sweep.done = end;
        if end < sweep.ids.len() {
            self.sweep = Some(sweep);
        }
        effect
    }

    /// Queues rows for hashing again, cancelling their jobs in flight;
    /// `asked`: by the user (`r`, `R`), not by a change on disk. A row whose
    /// job waits in the queue, not yet started, is left there: it reads
    /// the file after this anyway, so `R` held down queues each row once,
    /// not once per press. O(1) per row.
    pub fn rehash(&mut self, ids: &[RowId], asked: bool) -> Option<Effect> {
        let mut jobs = Vec::new();
        let mut tokens = Vec::new();
        for &id in ids {
            let Some(row) = self.rows.get(id) else {
                continue;
            };
            if row.state == RowState::Queued && self.jobs.job(id).is_some() {
                continue;
            }
            self.cancel_row(id);
            let token = self.root_token.child();
            self.tokens.insert(id, token.clone());
            let size = self.rows[id].size.unwrap_or(0);
            self.forget_hash(id);
            let job = self.ids.next();
            self.jobs.start(job, id);
            self.tally.add_files(1, size);
            let row = &mut self.rows[id];
            row.state = RowState::Queued;
            row.asked = asked;
            jobs.push(Job {
                id: job,
                path: row.path.clone(),
                stamp: None,
            });
            tokens.push(token);
        }
        (!jobs.is_empty()).then_some(Effect::Hash { jobs, tokens })
    }

    /// The row is about to be hashed again: its hash becomes "the one
    /// before", and no longer counts as a duplicate.
    fn forget_hash(&mut self, id: RowId) {
        let row = &mut self.rows[id];
        let old = row.state.digest().copied();
        row.cached = false;
        row.asked = false;
        if old.is_some() {
            row.previous = old;
        }
        self.changes.count(old, None);
    }
}
