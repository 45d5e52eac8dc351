//! Rows that come, go, or are hashed again while the workbench runs:
//! added where the sort puts them, rehashed (asked for or rebuilt on disk),
//! removed with everything known about them. No other row moves.

use super::{App, Effect};
use crate::tui::batch::Kind;
use crate::tui::rows::{Row, RowId, RowState};
use crate::tui::sweep;
use gvmi_core::discover::Found;
use gvmi_core::engine::Job;
use gvmi_core::watch::Change;

impl App {
    /// Adds a row where the sort puts it; the first row is selected.
    pub(super) fn add_row(&mut self, row: Row) -> RowId {
        let id = self.rows.push(row);
        let page = self.page_rows();
        self.view.insert(&self.rows, id, page);
        id
    }

    pub(super) fn apply_watch(&mut self, change: Change) {
        let found = self.rows.find(change.path());
        match (change, found) {
            (Change::Writing { .. }, Some(id)) => {
                self.cancel_row(id);
                self.forget_hash(id);
                self.rows[id].state = RowState::Writing;
            }
            (Change::Writing { path, root }, None) => {
                let mut row = Row::new(path, root);
                self.places.note(&row);
                row.state = RowState::Writing;
                row.listed = self.changes.listed_for(row.path());
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
                let id = self.jobs.next_id();
                let found = Found::Image {
                    path: path.clone(),
                    root,
                    stamp,
                };
                self.add_found(id, found);
                let Some(row) = self.jobs.row(id) else {
                    return;
                };
                let token = self.jobs.own_token(row);
                let job = Job {
                    id,
                    path,
                    stamp: Some(stamp),
                };
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
                self.notes.say(tally);
            }
        }
        self.rows.remove(id);
        let page = self.page_rows();
        self.view.remove(id, page);
    }

    /// Cancels the row's job in flight, if any (that job alone: its token
    /// is its own); its `Finished` is then ignored. O(1).
    pub(super) fn cancel_row(&mut self, id: RowId) {
        let size = self.rows.get(id).and_then(|r| r.size).unwrap_or(0);
        self.jobs.cancel(id, size);
    }

    /// `R`: every row, the first slice now and the rest a slice per turn
    /// of the event loop (`Msg::Sweep`), so that a key pressed meanwhile
    /// waits for one slice, never for the whole table. Pressed while one is
    /// under way, that one starts over (O(1)).
    pub(super) fn rehash_all(&mut self) {
        if !self.sweeps.restart_rehash() {
            self.sweeps.start(sweep::Kind::Rehash, self.rows.ids());
            self.continue_rehash();
        }
    }

    /// Queues the next slice of each sweep under way (`R`, `V`).
    pub(super) fn continue_sweeps(&mut self) {
        self.continue_rehash();
        self.continue_verify();
    }

    fn continue_rehash(&mut self) {
        if let Some((ids, _)) = self.sweeps.next_slice(sweep::Kind::Rehash) {
            if let Some(effect) = self.rehash(&ids, true) {
                self.outbox.push(effect);
            }
        }
    }

    /// Queues rows for hashing again, cancelling their jobs in flight;
    /// `asked`: by the user (`r`, `R`), not by a change on disk. A row whose
    /// job waits in the queue, not yet started, is left there: it reads
    /// the file after this anyway, so `R` held down queues each row once,
    /// not once per press. O(1) per row.
    pub(super) fn rehash(&mut self, ids: &[RowId], asked: bool) -> Option<Effect> {
        let (remote, ids): (Vec<RowId>, Vec<RowId>) =
            ids.iter().partition(|&&id| self.remotes.is_remote(id));
        if let Some(fetch) = self.fetch(&remote) {
            self.outbox.push(fetch);
        }
        let ids = &ids[..];
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
            let size = self.rows[id].size.unwrap_or(0);
            self.forget_hash(id);
            // "✓ served" was proved of the bytes read before: `v` again.
            if self.findings.void_url_check(id) {
                if let Some(tally) = self.batches.drop_row(Kind::Verify, id) {
                    self.notes.say(tally);
                }
            }
            let (job, token) = self.jobs.start(id, size);
            let row = &mut self.rows[id];
            row.state = RowState::Queued;
            row.asked = asked;
            jobs.push(Job {
                id: job,
                path: row.path().to_path_buf(),
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
