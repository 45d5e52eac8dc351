//! What inspection and URL verification found about each row, by `RowId`,
//! and the checks in flight. A part of `App` with its own state: it is told
//! what to start and what the workers said, and answers what is known.

use std::collections::{HashMap, HashSet};

use super::event::{NotPublished, PublishedAt, WorkerEvent};
use super::live_jobs::LiveJobs;
use super::rows::RowId;
use gvmi_core::cancel::CancelToken;
use gvmi_core::digest::Sha3Digest;
use gvmi_core::event::JobId;
use gvmi_core::gvmi_format::Inspection;
use gvmi_core::verify::{Failure, Stage, Verified};

/// Where a row's URL verification stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlCheck {
    Running {
        url: String,
        stage: Stage,
    },
    Done {
        url: String,
        result: Result<Verified, Failure>,
    },
}

/// Where a row's publish (`p`) stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Publish {
    Running {
        done: u64,
        total: u64,
    },
    /// The URL or why not, and what keeping the record had to say.
    Done {
        result: Result<PublishedAt, NotPublished>,
        notes: Vec<String>,
    },
}

/// Per-row inspection and URL-check results, and the jobs in flight.
#[derive(Debug, Default)]
pub struct Findings {
    inspections: HashMap<RowId, Result<Box<Inspection>, String>>,
    urls: HashMap<RowId, UrlCheck>,
    publishes: HashMap<RowId, Publish>,
    /// Rows whose latest finding is a URL check, not a publish: the newer
    /// of the two is what the State column shows.
    url_is_latest: HashSet<RowId>,
    /// The hash each URL check compared against: a rehash to another hash voids it.
    verified_digest: HashMap<RowId, Sha3Digest>,
    /// Live jobs of each kind, both ways (O(1) per row); an event for a
    /// job not here is stale and dropped.
    inspect_jobs: LiveJobs,
    verify_jobs: LiveJobs,
    publish_jobs: LiveJobs,
    tokens: HashMap<RowId, CancelToken>,
}

impl Findings {
    pub fn inspection(&self, id: RowId) -> Option<&Result<Box<Inspection>, String>> {
        self.inspections.get(&id)
    }

    pub fn url_check(&self, id: RowId) -> Option<&UrlCheck> {
        self.urls.get(&id)
    }

    pub fn publish(&self, id: RowId) -> Option<&Publish> {
        self.publishes.get(&id)
    }

    /// Whether the row's URL check is newer than its publish (if any).
    pub fn url_check_is_latest(&self, id: RowId) -> bool {
        self.url_is_latest.contains(&id)
    }

    /// True while a publish of the row runs.
    pub fn is_publishing(&self, id: RowId) -> bool {
        matches!(self.publishes.get(&id), Some(Publish::Running { .. }))
    }

    /// A publish of the row starts as `job`.
    pub fn publishing(&mut self, id: RowId, job: JobId, total: u64) {
        self.publish_jobs.start(job, id);
        self.publishes
            .insert(id, Publish::Running { done: 0, total });
        self.url_is_latest.remove(&id);
    }

    /// True when the row's image was inspected and has defects (or was unreadable).
    pub fn is_invalid(&self, id: RowId) -> bool {
        self.inspection(id)
            .is_some_and(|r| r.as_ref().map_or(true, |i| !i.is_valid()))
    }

    /// The row now shows `digest`: it is inspected as `job`, and a URL
    /// check that compared against another hash is dropped (stopped, if
    /// it runs); one against this hash goes on.
    pub fn inspecting(&mut self, id: RowId, digest: Option<Sha3Digest>, job: JobId) {
        if self.verified_digest.get(&id).copied() != digest {
            self.void_url_check(id);
        }
        self.inspect_jobs.start(job, id);
    }

    /// The row's URL check no longer holds (the row is hashed again: what
    /// it proved was proved of the bytes read before): it goes, stopped if
    /// it runs. Whether there was one.
    pub fn void_url_check(&mut self, id: RowId) -> bool {
        let had = self.urls.remove(&id).is_some();
        self.verified_digest.remove(&id);
        self.url_is_latest.remove(&id);
        self.stop_verifying(id);
        had
    }

    fn stop_verifying(&mut self, id: RowId) {
        self.verify_jobs.drop_row(id);
        if let Some(token) = self.tokens.remove(&id) {
            token.cancel();
        }
    }

    /// A URL check of the row's `url` against `digest` starts as `job`;
    /// one already running for the row is cancelled.
    pub fn verifying(
        &mut self,
        id: RowId,
        job: JobId,
        url: String,
        digest: Sha3Digest,
        token: CancelToken,
    ) {
        if let Some(old) = self.tokens.insert(id, token) {
            old.cancel();
        }
        self.verify_jobs.start(job, id);
        self.verified_digest.insert(id, digest);
        let stage = Stage::Head;
        self.urls.insert(id, UrlCheck::Running { url, stage });
        self.url_is_latest.insert(id);
    }

    /// A row is gone: its findings go with it, its checks are stopped.
    pub fn forget(&mut self, id: RowId) {
        self.inspections.remove(&id);
        self.urls.remove(&id);
        self.publishes.remove(&id);
        self.url_is_latest.remove(&id);
        self.verified_digest.remove(&id);
        self.inspect_jobs.drop_row(id);
        self.publish_jobs.drop_row(id);
        self.stop_verifying(id);
    }

    /// Takes in what a worker said. Returns the row whose URL check just
    /// ended, for the status line; a report from a stale job changes nothing.
    pub fn apply(&mut self, event: WorkerEvent) -> Option<RowId> {
        let job = event.id();
        let live = match event {
            WorkerEvent::Inspected { .. } => &mut self.inspect_jobs,
            WorkerEvent::Verifying { .. } | WorkerEvent::Verified { .. } => &mut self.verify_jobs,
            WorkerEvent::Publishing { .. } | WorkerEvent::Published { .. } => {
                &mut self.publish_jobs
            }
        };
        let id = live.row(job)?;
        match event {
            WorkerEvent::Inspected { result, .. } => {
                self.inspect_jobs.end(job);
                self.inspections.insert(id, result);
                None
            }
            WorkerEvent::Verifying { stage, .. } => {
                if let Some(UrlCheck::Running { stage: s, .. }) = self.urls.get_mut(&id) {
                    *s = stage;
                }
                None
            }
            WorkerEvent::Verified { result, .. } => {
                self.verify_jobs.end(job);
                self.tokens.remove(&id);
                let url = match self.urls.remove(&id) {
                    Some(UrlCheck::Running { url, .. } | UrlCheck::Done { url, .. }) => url,
                    None => String::new(),
                };
                self.urls.insert(id, UrlCheck::Done { url, result });
                self.url_is_latest.insert(id);
                Some(id)
            }
            WorkerEvent::Publishing { done, total, .. } => {
                self.publishes.insert(id, Publish::Running { done, total });
                None
            }
            WorkerEvent::Published { result, notes, .. } => {
                self.publish_jobs.end(job);
                self.publishes.insert(id, Publish::Done { result, notes });
                self.url_is_latest.remove(&id);
                Some(id)
            }
        }
    }
}
