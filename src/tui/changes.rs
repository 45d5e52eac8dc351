//! What the cache, folder manifests and the file watcher add to the
//! workbench's state: change marks, `SHA3SUMS` opinions, duplicates, and
//! rows that come, go or are rewritten while it runs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::app::{App, Effect};
use super::rows::{Listed, RowId, RowState};
use crate::digest::Sha3Digest;
use crate::discover::Found;
use crate::engine::Job;
use crate::event::{CacheNote, Event, JobId};
use crate::hasher::Hashed;
use crate::manifest::folder_of;
use crate::sumline::path_bytes;
use crate::watch::Change;

/// State that exists for these features only.
#[derive(Debug, Default)]
pub struct Changes {
    /// How many rows show each hash: more than one is a duplicate.
    dup_counts: HashMap<Sha3Digest, usize>,
    /// Each folder's `SHA3SUMS`, by full path of the listed file.
    sums: HashMap<PathBuf, HashMap<PathBuf, Sha3Digest>>,
    /// Fresh results the cache should keep: (job, absolute path, result).
    learned: Vec<(JobId, PathBuf, Hashed)>,
}

/// What an event is about, noted before it is applied.
pub(super) struct Touch {
    row: Option<RowId>,
    before: Option<Sha3Digest>,
    learned: Option<(JobId, Hashed)>,
    discovered: bool,
}

impl App {
    pub(super) fn touch_before(&self, event: &Event) -> Touch {
        let (row, learned) = match event {
            Event::Finished { id, result } => {
                let row = self.jobs.get(id).copied();
                let fresh = row.is_some_and(|r| !self.rows[r].cached);
                let learned = match result {
                    Ok(h) if fresh => Some((*id, *h)),
                    _ => None,
                };
                (row, learned)
            }
            Event::Started { id, .. } => (self.jobs.get(id).copied(), None),
            _ => (None, None),
        };
        Touch {
            row,
            before: row.and_then(|r| self.rows[r].state.digest().copied()),
            learned,
            discovered: matches!(event, Event::Discovered { .. }),
        }
    }

    pub(super) fn touch_after(&mut self, touch: Touch) {
        if let Some(row) = touch.row.and_then(|id| self.rows.get(id)) {
            let after = row.state.digest().copied();
            let path = row.path.clone();
            self.count_digest(touch.before, after);
            if let Some((job, hashed)) = touch.learned {
                self.changes.learned.push((job, path, hashed));
            }
        }
        if touch.discovered {
            let last = self.rows.iter().next_back();
            if let Some((id, listed)) = last.map(|r| (r.id, self.listed_for(&r.path))) {
                self.rows[id].listed = listed;
            }
        }
    }

    fn count_digest(&mut self, before: Option<Sha3Digest>, after: Option<Sha3Digest>) {
        if before == after {
            return;
        }
        if let Some(d) = before {
            if let Some(n) = self.changes.dup_counts.get_mut(&d) {
                *n -= 1;
                if *n == 0 {
                    self.changes.dup_counts.remove(&d);
                }
            }
        }
        if let Some(d) = after {
            *self.changes.dup_counts.entry(d).or_default() += 1;
        }
    }

    /// Called as a row is queued again: its hash becomes "the one before".
    pub(super) fn before_requeue(&mut self, id: RowId) {
        let row = &mut self.rows[id];
        let old = row.state.digest().copied();
        row.cached = false;
        row.asked = false;
        if old.is_some() {
            row.previous = old;
        }
        self.count_digest(old, None);
    }

    pub(super) fn apply_cache_note(&mut self, note: CacheNote) {
        let row = note.id().and_then(|id| self.jobs.get(&id).copied());
        match (note, row) {
            (CacheNote::Hit { .. }, Some(r)) => self.rows[r].cached = true,
            (CacheNote::Stale { old, .. }, Some(r)) => self.rows[r].previous = Some(old),
            (CacheNote::Problem(why), _) => {
                self.status = Some(format!("Hash cache: {why}; starting a new one."))
            }
            (CacheNote::NotSaved(why), _) => self.status = Some(format!("Hash cache {why}")),
            _ => {}
        }
    }

    pub(super) fn apply_sums(&mut self, folder: PathBuf, sums: HashMap<PathBuf, Sha3Digest>) {
        self.changes.sums.insert(folder.clone(), sums);
        for id in self.rows.ids() {
            if folder_of(&self.rows[id].path) == folder {
                self.rows[id].listed = self.listed_for(&self.rows[id].path);
            }
        }
    }

    fn listed_for(&self, path: &Path) -> Listed {
        match self.changes.sums.get(&folder_of(path)) {
            None => Listed::NoManifest,
            Some(sums) => sums.get(path).map_or(Listed::NotListed, |d| Listed::As(*d)),
        }
    }

    pub(super) fn apply_watch(&mut self, change: Change) {
        let index = self.rows.find(change.path());
        match (change, index) {
            (Change::Writing { .. }, Some(i)) => {
                self.cancel_row(i);
                self.count_digest(self.rows[i].state.digest().copied(), None);
                let row = &mut self.rows[i];
                if let Some(d) = row.state.digest() {
                    row.previous = Some(*d);
                }
                row.state = RowState::Writing;
                row.cached = false;
                row.asked = false;
            }
            (Change::Writing { path, root }, None) => {
                let mut row = super::rows::Row::new(path, root);
                row.state = RowState::Writing;
                row.listed = self.listed_for(&row.path);
                self.add_row(row);
            }
            (Change::Settled { stamp, .. }, Some(i)) => {
                let row = &self.rows[i];
                let same = row.state.digest().is_some()
                    && row.size == Some(stamp.size)
                    && row.mtime == stamp.mtime;
                if !same {
                    if let Some(effect) = self.rehash(&[i]) {
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
                self.outbox.push(Effect::Hash {
                    jobs: vec![job],
                    token,
                });
            }
            (Change::Removed { .. }, Some(i)) => self.remove_row(i),
            (Change::Removed { .. }, None) => {}
        }
    }

    /// Drops a row and everything known about it; no other row moves.
    fn remove_row(&mut self, id: RowId) {
        self.cancel_row(id);
        self.count_digest(self.rows[id].state.digest().copied(), None);
        self.forget_checks(id);
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

    /// `w`: write `SHA3SUMS` for the selected image's folder, from the
    /// hashes shown for the images directly in it.
    pub(super) fn write_sums(&mut self) -> Option<Effect> {
        let folder = folder_of(&self.selected_row()?.path);
        let mut hashes = BTreeMap::new();
        let mut pending = 0;
        for row in self.rows.iter().filter(|r| folder_of(&r.path) == folder) {
            match (row.state.digest(), row.path.file_name()) {
                (Some(d), Some(name)) => {
                    hashes.insert(path_bytes(Path::new(name)).into_owned(), *d);
                }
                _ => pending += 1,
            }
        }
        if hashes.is_empty() {
            self.status = Some("No hashes in this folder yet.".into());
            return None;
        }
        if pending > 0 {
            self.status = Some(format!(
                "{pending} image(s) in this folder have no hash yet and are left out."
            ));
        }
        Some(Effect::WriteSums { folder, hashes })
    }

    /// How many other rows show this row's hash.
    pub fn duplicates(&self, digest: &Sha3Digest) -> usize {
        self.changes
            .dup_counts
            .get(digest)
            .map_or(0, |n| n.saturating_sub(1))
    }

    /// Whether the table needs its marks column (a manifest or a duplicate exists).
    pub fn has_marks(&self) -> bool {
        !self.changes.sums.is_empty() || self.changes.dup_counts.values().any(|&n| n > 1)
    }

    /// Fresh results for the cache, taken by the event loop.
    pub fn take_learned(&mut self) -> Vec<(JobId, PathBuf, Hashed)> {
        std::mem::take(&mut self.changes.learned)
    }
}
