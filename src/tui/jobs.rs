//! The workbench's hashing as the state sees it: job ids (shared with
//! discovery, so they never clash), the live jobs and the row each is for
//! (both ways: O(1) per row), each rehash's own cancel token under the
//! root one, the tally the gauge shows, and whether discovery is done. A
//! part of `App` with its own state; the engine itself is the loop's.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::live_jobs::LiveJobs;
use super::rows::RowId;
use crate::progress::Tally;
use gvmi_core::cancel::CancelToken;
use gvmi_core::event::{JobEvent, JobId};

/// Hands out job ids to discovery and to rehashes alike, so they never clash.
#[derive(Clone, Debug, Default)]
pub struct JobIds(Arc<AtomicUsize>);

impl JobIds {
    pub fn next(&self) -> JobId {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}

#[derive(Debug)]
pub struct Jobs {
    ids: JobIds,
    /// Everything in flight hangs under it: cancelled on quit.
    root: CancelToken,
    /// Live hashing jobs and the row each is for; a job not here is stale.
    live: LiveJobs,
    /// A rehash's own token, so that hashing a row again stops its job alone.
    tokens: HashMap<RowId, CancelToken>,
    tally: Tally,
    discovery_done: bool,
}

impl Jobs {
    pub fn new(ids: JobIds, root: CancelToken) -> Self {
        Jobs {
            ids,
            root,
            live: LiveJobs::default(),
            tokens: HashMap::new(),
            tally: Tally::new(0, 0),
            discovery_done: false,
        }
    }

    /// A new job id (hashing, inspection, a check, a publish).
    pub fn next_id(&self) -> JobId {
        self.ids.next()
    }

    /// A token for one piece of work, cancelled on quit with the rest.
    pub fn child_token(&self) -> CancelToken {
        self.root.child()
    }

    /// Quit: everything in flight is cancelled.
    pub fn cancel_all(&self) {
        self.root.cancel();
    }

    pub fn is_live(&self, job: JobId) -> bool {
        self.live.contains(job)
    }

    /// The row a live job is for.
    pub fn row(&self, job: JobId) -> Option<RowId> {
        self.live.row(job)
    }

    /// The row's live job, if it has one.
    pub fn job(&self, row: RowId) -> Option<JobId> {
        self.live.job(row)
    }

    /// Discovery's `job` hashes the new `row` (under discovery's token).
    pub fn adopt(&mut self, job: JobId, row: RowId) {
        self.live.start(job, row);
    }

    /// A token of its own for `row`'s live job (a new image the watcher
    /// found, hashed at once): a change while it runs stops it alone.
    pub fn own_token(&mut self, row: RowId) -> CancelToken {
        let token = self.root.child();
        self.tokens.insert(row, token.clone());
        token
    }

    /// A rehash of `row` (`size` bytes) as a new job with a token of its
    /// own; the caller has cancelled the row's job in flight first.
    pub fn start(&mut self, row: RowId, size: u64) -> (JobId, CancelToken) {
        let job = self.ids.next();
        let token = self.root.child();
        self.tokens.insert(row, token.clone());
        self.live.start(job, row);
        self.tally.add_files(1, size);
        (job, token)
    }

    /// The job ended: it is no longer live. Returns its row.
    pub fn end(&mut self, job: JobId) -> Option<RowId> {
        let row = self.live.end(job)?;
        self.tokens.remove(&row);
        Some(row)
    }

    /// Cancels the row's job in flight, if any (that job alone: its token
    /// is its own; discovery's jobs run on and are ignored), and takes it
    /// out of the tally. Returns the job. O(1).
    pub fn cancel(&mut self, row: RowId, size: u64) -> Option<JobId> {
        if let Some(token) = self.tokens.remove(&row) {
            token.cancel();
        }
        let job = self.live.drop_row(row)?;
        self.tally.forget(job, size);
        Some(job)
    }

    /// True while a hashing job is live.
    pub fn hashing(&self) -> bool {
        !self.live.is_empty()
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// The engine's word on a job, for the gauge.
    pub fn count(&mut self, event: &JobEvent) {
        self.tally.apply(event);
    }

    /// Discovery found an image of `size` bytes to hash.
    pub fn found(&mut self, size: u64) {
        self.tally.add_files(1, size);
    }

    /// Discovery found a path it cannot use.
    pub fn found_unusable(&mut self) {
        self.tally.add_files(1, 0);
        self.tally.record_failure();
    }

    pub fn discovery_done(&self) -> bool {
        self.discovery_done
    }

    pub fn set_discovery_done(&mut self) {
        self.discovery_done = true;
    }
}
