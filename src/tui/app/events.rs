//! How producer events change the workbench: the engine's job events,
//! discovery, the cache's word, manifests, and the workers' findings.
//! Each part (`Changes`, `Findings`) keeps its own state; this is where
//! an event is handed to them.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{App, Effect};
use crate::digest::Sha3Digest;
use crate::discover::Found;
use crate::event::{JobEvent, JobId};
use crate::hasher::{HashFailure, Hashed};
use crate::tui::batch::Kind;
use crate::tui::event::{CacheNote, Event, WorkerEvent};
use crate::tui::rows::{Row, RowFailure, RowId, RowState, SortKey};

/// What an event is about, noted before it is applied: a row's hash
/// before and after feeds the duplicate count, a fresh result the cache.
struct Touch {
    row: Option<RowId>,
    before: Option<Sha3Digest>,
    learned: Option<(JobId, Hashed)>,
    discovered: bool,
}

impl App {
    /// Folds one producer event into the state.
    pub fn apply(&mut self, event: Event) {
        self.last_sweep = None;
        let live = match &event {
            Event::Job(job) => self.jobs.contains(job.id()),
            Event::Cache(note) => note.id().is_none_or(|id| self.jobs.contains(id)),
            _ => true,
        };
        if !live {
            return; // a job superseded by a rehash
        }
        let touch = self.touch_before(&event);
        match event {
            Event::Job(job) => self.apply_job(job),
            Event::Discovered { id, found } => self.add_found(id, found),
            Event::DiscoveryDone => self.discovery_done = true,
            Event::Worker(report) => self.apply_worker(report),
            Event::Cache(note) => self.apply_cache_note(note),
            Event::Sums { folder, sums } => self.apply_sums(folder, sums),
            Event::Watch(change) => self.apply_watch(change),
            Event::Status(message) => self.status = Some(message),
            Event::SavedUrls(Ok(saved)) => self.restore_urls(&saved),
            Event::SavedUrls(Err(why)) => {
                self.status = Some(format!("Saved URLs not read: {why}"));
            }
            Event::Tick(now) => self.tick(now),
        }
        self.touch_after(touch);
    }

    fn apply_job(&mut self, event: JobEvent) {
        self.tally.apply(&event);
        match event {
            JobEvent::Started { id, size } => {
                if let Some(row) = self.row_of(id) {
                    row.state = RowState::Hashing { done: 0 };
                    row.size = row.size.or(Some(size));
                }
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

    fn add_found(&mut self, job: JobId, found: Found) {
        let row = match found {
            Found::Image { path, root, stamp } => {
                self.tally.add_files(1, stamp.size);
                let mut row = Row::new(path, root);
                row.url = self.saved_image_urls.get(&row.path).cloned();
                self.places.note(&row); // problems have no root: not noted
                row.size = Some(stamp.size);
                row.mtime = stamp.mtime;
                row
            }
            Found::Problem { path, reason } => {
                self.tally.add_files(1, 0);
                self.tally.record_failure();
                let mut row = Row::new(path.clone(), path);
                row.state = RowState::Failed(RowFailure::Unusable(reason));
                row
            }
            Found::Stdin | Found::SkippedLink { .. } => return,
        };
        let hashing = row.state == RowState::Queued;
        let id = self.add_row(row);
        if hashing {
            self.jobs.start(job, id);
        }
    }

    fn finish(&mut self, job: JobId, result: Result<Hashed, HashFailure>) {
        let Some(id) = self.jobs.end(job) else {
            return;
        };
        self.tokens.remove(&id);
        let row = &mut self.rows[id];
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
        if let RowState::Done(digest) = self.rows[id].state {
            self.inspect(id, digest);
        }
        if self.sort == SortKey::State {
            // Re-sorted once per batch of events, not once per row.
            self.view_stale = true;
        }
    }

    /// A row was hashed: read its structure too (on a worker).
    fn inspect(&mut self, id: RowId, digest: Sha3Digest) {
        let job = self.ids.next();
        let checked = self.findings.url_check(id).is_some();
        self.findings.inspecting(id, Some(digest), job);
        if checked && self.findings.url_check(id).is_none() {
            // A new hash voided the URL check: it will not report.
            if let Some(tally) = self.batches.drop_row(Kind::Verify, id) {
                self.status = Some(tally);
            }
        }
        let path = self.rows[id].path.clone();
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
        if let crate::tui::findings::UrlCheck::Done { url, result } = check {
            let outcome = match result {
                Ok(_) => Ok(()),
                Err(f) => Err((row.name(), f.short())),
            };
            // In a batch (`V`): the tally, not only the last row's word.
            let tally = self.batches.finish(Kind::Verify, id, outcome);
            self.status = Some(tally.unwrap_or_else(|| match result {
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
            (CacheNote::Problem(why), _) => {
                self.status = Some(format!("Hash cache: {why}; starting a new one."))
            }
            (CacheNote::NotSaved(why), _) => self.status = Some(format!("Hash cache {why}")),
            _ => {}
        }
    }

    fn apply_sums(&mut self, folder: PathBuf, sums: HashMap<PathBuf, Sha3Digest>) {
        self.changes.set_sums(folder.clone(), sums);
        for row in self.rows.iter_mut() {
            if crate::manifest::folder_of(&row.path) == folder {
                row.listed = self.changes.listed_for(&row.path);
            }
        }
    }

    fn touch_before(&self, event: &Event) -> Touch {
        let (row, learned) = match event {
            Event::Job(JobEvent::Finished { id, result }) => {
                let row = self.jobs.row(*id);
                let fresh = row.is_some_and(|r| !self.rows[r].cached);
                let learned = match result {
                    Ok(h) if fresh => Some((*id, *h)),
                    _ => None,
                };
                (row, learned)
            }
            Event::Job(JobEvent::Started { id, .. }) => (self.jobs.row(*id), None),
            _ => (None, None),
        };
        Touch {
            row,
            before: row.and_then(|r| self.rows[r].state.digest().copied()),
            learned,
            discovered: matches!(event, Event::Discovered { .. }),
        }
    }

    fn touch_after(&mut self, touch: Touch) {
        if let Some(row) = touch.row.and_then(|id| self.rows.get(id)) {
            let after = row.state.digest().copied();
            let path = row.path.clone();
            self.changes.count(touch.before, after);
            if let Some((job, hashed)) = touch.learned {
                self.changes.learn(job, path, hashed);
            }
        }
        if touch.discovered {
            if let Some(row) = self.rows.iter_mut().next_back() {
                row.listed = self.changes.listed_for(&row.path);
            }
        }
    }
}
