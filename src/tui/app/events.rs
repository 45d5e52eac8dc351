//! How producer events change the workbench: the engine's job events,
//! discovery, the cache's word, manifests, the watcher, the workers'
//! findings, and what effects came to. Each part keeps its own state;
//! this is where an event is handed to the parts it concerns.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{App, Effect};
use crate::tui::batch::Kind;
use crate::tui::event::{CacheNote, Event, WorkerEvent};
use crate::tui::findings::UrlCheck;
use crate::tui::rows::{Row, RowFailure, RowId, RowState};
use gvmi_core::digest::Sha3Digest;
use gvmi_core::discover::Found;
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::hasher::{HashFailure, Hashed};

impl App {
    /// Folds one producer event into the state.
    pub(super) fn apply(&mut self, event: Event) {
        match event {
            Event::Job(job) => self.apply_job(job),
            Event::Discovered { id, found } => self.add_found(id, found),
            Event::DiscoveryDone => self.jobs.set_discovery_done(),
            Event::Worker(report) => self.apply_worker(report),
            Event::Cache(note) => self.apply_cache_note(note),
            Event::Sums { folder, sums } => self.apply_sums(folder, sums),
            Event::Watch(change) => self.apply_watch(change),
            Event::Status(message) => self.notes.say(message),
            Event::SavedUrls(Ok(saved)) => {
                self.serving.restore(&saved);
                for row in self.rows.iter_mut().filter(|r| r.url.is_none()) {
                    row.url = self.serving.saved_url(row.path());
                }
            }
            Event::SavedUrls(Err(why)) => self.notes.say(format!("Saved URLs not read: {why}")),
            Event::Tick(now) => self.notes.tick(now),
            Event::Remote(event) => self.apply_remote(event),
        }
    }

    fn apply_job(&mut self, event: JobEvent) {
        if !self.jobs.is_live(event.id()) {
            if let JobEvent::Finished { id, .. } = event {
                // Superseded by a rehash, or the row is gone: the cache
                // forgets it all the same.
                self.outbox.push(Effect::JobDone {
                    job: id,
                    fresh: None,
                });
            }
            return;
        }
        self.jobs.count(&event);
        match event {
            JobEvent::Started { id, size } => {
                if let Some(row) = self.row_of(id) {
                    row.state = RowState::Hashing { done: 0 };
                    row.size = row.size.or(Some(size));
                }
                self.view.sorted_by_state_changed();
            }
            JobEvent::Progress { id, done } => {
                if let Some(row) = self.row_of(id) {
                    row.state = RowState::Hashing { done };
                }
            }
            JobEvent::Finished { id, result } => self.finish(id, result),
        }
    }

    fn row_of(&mut self, job: JobId) -> Option<&mut Row> {
        let id = self.jobs.row(job)?;
        self.rows.get_mut(id)
    }

    pub(super) fn add_found(&mut self, job: JobId, found: Found) {
        let row = match found {
            Found::Image { path, root, stamp } => {
                self.jobs.found(stamp.size);
                let mut row = Row::new(path, root);
                row.url = self.serving.saved_url(row.path());
                self.places.note(&row); // problems have no root: not noted
                row.size = Some(stamp.size);
                row.mtime = stamp.mtime;
                row
            }
            Found::Problem { path, reason } => {
                self.jobs.found_unusable();
                let mut row = Row::new(path.clone(), path);
                row.state = RowState::Failed(RowFailure::Unusable(reason));
                row
            }
            Found::Stdin | Found::SkippedLink { .. } => return,
        };
        let mut row = row;
        row.listed = self.changes.listed_for(row.path());
        let hashing = row.state == RowState::Queued;
        let id = self.add_row(row);
        if hashing {
            self.jobs.adopt(job, id);
        }
    }

    fn finish(&mut self, job: JobId, result: Result<Hashed, HashFailure>) {
        let Some(id) = self.jobs.end(job) else {
            return;
        };
        let remote = self.remotes.is_remote(id);
        let row = &mut self.rows[id];
        let before = row.state.digest().copied();
        let fresh = match &result {
            // A remote object's bytes are no file's: the cache never sees them.
            Ok(hashed) if !row.cached && !remote => Some((row.path().to_path_buf(), *hashed)),
            _ => None,
        };
        self.outbox.push(Effect::JobDone { job, fresh });
        row.state = match result {
            Ok(hashed) => {
                row.size = Some(hashed.stamp.size);
                row.mtime = hashed.stamp.mtime;
                RowState::Done(hashed.digest)
            }
            Err(HashFailure::Changed) => RowState::Changed,
            Err(HashFailure::Cancelled) => RowState::Failed(RowFailure::Cancelled),
            Err(HashFailure::Io(why)) => RowState::Failed(RowFailure::Unreadable(why)),
        };
        let after = row.state.digest().copied();
        if remote {
            // Its bytes, told apart from the recorded hash it showed.
            self.remotes.hashed(id, after);
        } else {
            // Duplicates are local images' business (a published object
            // holds its image's hash).
            self.changes.count(before, after);
            if let Some(digest) = after {
                self.inspect(id, digest);
            }
        }
        self.view.sorted_by_state_changed();
    }

    /// A row was hashed: read its structure too (on a worker).
    fn inspect(&mut self, id: RowId, digest: Sha3Digest) {
        let job = self.jobs.next_id();
        let checked = self.findings.url_check(id).is_some();
        self.findings.inspecting(id, Some(digest), job);
        if checked && self.findings.url_check(id).is_none() {
            // A new hash voided the URL check: it will not report.
            if let Some(tally) = self.batches.drop_row(Kind::Verify, id) {
                self.notes.say(tally);
            }
        }
        let path = self.rows[id].path().to_path_buf();
        self.outbox.push(Effect::Inspect { id: job, path });
    }

    fn apply_worker(&mut self, report: WorkerEvent) {
        let published = matches!(report, WorkerEvent::Published { .. });
        let Some(id) = self.findings.apply(report) else {
            return;
        };
        if published {
            return self.published(id);
        }
        let (Some(row), Some(check)) = (self.rows.get(id), self.findings.url_check(id)) else {
            return;
        };
        if let UrlCheck::Done { url, result } = check {
            let outcome = match result {
                Ok(_) => Ok(()),
                Err(f) => Err((row.name(), f.short())),
            };
            // In a batch (`V`): the tally, not only the last row's word.
            let tally = self.batches.finish(Kind::Verify, id, outcome);
            self.notes.say(tally.unwrap_or_else(|| match result {
                Ok(_) => format!("{url} serves {}.", row.name()),
                Err(f) => format!("{}: {}", row.name(), f.short()),
            }));
        }
    }

    fn apply_cache_note(&mut self, note: CacheNote) {
        let row = note.id().and_then(|id| self.jobs.row(id));
        match (note, row) {
            (CacheNote::Hit { .. }, Some(r)) => self.rows[r].cached = true,
            (CacheNote::Stale { old, .. }, Some(r)) => self.rows[r].previous = Some(old),
            (CacheNote::Problem(why), _) => self
                .notes
                .say(format!("Hash cache: {why}; starting a new one.")),
            (CacheNote::NotSaved(why), _) => self.notes.say(format!("Hash cache {why}")),
            _ => {} // about a job superseded by a rehash
        }
    }

    fn apply_sums(&mut self, folder: PathBuf, sums: HashMap<PathBuf, Sha3Digest>) {
        self.changes.set_sums(folder.clone(), sums);
        for row in self.rows.iter_mut() {
            if gvmi_core::manifest::folder_of(row.path()) == folder {
                row.listed = self.changes.listed_for(row.path());
            }
        }
    }
}
