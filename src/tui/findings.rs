//! What inspection and URL verification found about each row, by `RowId`,
//! and the keys `v` / `V` that start a verification.

use std::collections::HashMap;

use super::app::{App, Effect};
use super::rows::{RowId, RowState};
use super::workers::VerifyJob;
use crate::cancel::CancelToken;
use crate::checks::CheckEvent;
use crate::digest::Sha3Digest;
use crate::event::JobId;
use crate::gvmi_format::Inspection;
use crate::verify::{Expected, Failure, Stage, Verified};

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

/// Per-row inspection and URL-check results, and the jobs in flight.
#[derive(Debug, Default)]
pub struct Findings {
    pub inspections: HashMap<RowId, Result<Box<Inspection>, String>>,
    pub urls: HashMap<RowId, UrlCheck>,
    /// The hash each URL check compared against: a rehash to another hash voids it.
    verified_digest: HashMap<RowId, Sha3Digest>,
    /// Live jobs → row; an event for a job not here is stale and dropped.
    jobs: HashMap<JobId, RowId>,
    tokens: HashMap<RowId, CancelToken>,
}

impl App {
    pub fn inspection(&self, id: RowId) -> Option<&Result<Box<Inspection>, String>> {
        self.findings.inspections.get(&id)
    }

    pub fn url_check(&self, id: RowId) -> Option<&UrlCheck> {
        self.findings.urls.get(&id)
    }

    /// True when the row's image was inspected and has defects (or was unreadable).
    pub fn is_invalid(&self, id: RowId) -> bool {
        self.inspection(id)
            .is_some_and(|r| r.as_ref().map_or(true, |i| !i.is_valid()))
    }

    /// A row was hashed: read its structure too, and drop a URL check
    /// that compared against another hash.
    pub(super) fn queue_inspection(&mut self, id: RowId) {
        let digest = self.rows[id].state.digest().copied();
        if self.findings.verified_digest.get(&id).copied() != digest {
            self.findings.urls.remove(&id);
            self.findings.verified_digest.remove(&id);
        }
        let job = self.ids.next();
        self.findings.jobs.retain(|_, &mut row| row != id);
        self.findings.jobs.insert(job, id);
        let path = self.rows[id].path.clone();
        self.outbox.push(Effect::Inspect { id: job, path });
    }

    /// A row is gone: its findings go with it, its checks are stopped.
    pub(super) fn forget_checks(&mut self, id: RowId) {
        let f = &mut self.findings;
        f.inspections.remove(&id);
        f.urls.remove(&id);
        f.verified_digest.remove(&id);
        f.jobs.retain(|_, &mut row| row != id);
        if let Some(token) = f.tokens.remove(&id) {
            token.cancel();
        }
    }

    pub(super) fn apply_check(&mut self, event: CheckEvent) {
        let job = match &event {
            CheckEvent::Inspected { id, .. }
            | CheckEvent::Verifying { id, .. }
            | CheckEvent::Verified { id, .. } => *id,
        };
        let Some(&id) = self.findings.jobs.get(&job) else {
            return;
        };
        match event {
            CheckEvent::Inspected { result, .. } => {
                self.findings.jobs.remove(&job);
                self.findings.inspections.insert(id, result);
            }
            CheckEvent::Verifying { stage, .. } => {
                if let Some(UrlCheck::Running { stage: s, .. }) = self.findings.urls.get_mut(&id) {
                    *s = stage;
                }
            }
            CheckEvent::Verified { result, .. } => {
                self.findings.jobs.remove(&job);
                self.findings.tokens.remove(&id);
                let url = match self.findings.urls.remove(&id) {
                    Some(UrlCheck::Running { url, .. } | UrlCheck::Done { url, .. }) => url,
                    None => String::new(),
                };
                self.status = Some(match &result {
                    Ok(_) => format!("{url} serves {}.", self.rows[id].name()),
                    Err(f) => format!("{}: {}", self.rows[id].name(), f.short()),
                });
                let done = UrlCheck::Done { url, result };
                self.findings.urls.insert(id, done);
            }
        }
    }

    /// `v` / `V`: verify these rows' URLs. Rows without a hash or URL are
    /// skipped and counted in the status line.
    pub(super) fn verify_rows(&mut self, ids: &[RowId]) -> Option<Effect> {
        let mut jobs = Vec::new();
        let mut skipped = 0;
        for &id in ids {
            let Some(row) = self.rows.get(id) else {
                continue;
            };
            let (Some(url), RowState::Done(digest)) = (self.url_for(row), &row.state) else {
                skipped += 1;
                continue;
            };
            let expected = Expected {
                digest: *digest,
                size: row.size,
            };
            let token = self.root_token.child();
            if let Some(old) = self.findings.tokens.insert(id, token.clone()) {
                old.cancel();
            }
            let job = self.ids.next();
            self.findings.jobs.retain(|_, &mut row| row != id);
            self.findings.jobs.insert(job, id);
            self.findings.verified_digest.insert(id, *digest);
            let stage = Stage::Head;
            let running = UrlCheck::Running {
                url: url.clone(),
                stage,
            };
            self.findings.urls.insert(id, running);
            jobs.push(VerifyJob {
                id: job,
                url,
                expected,
                token,
            });
        }
        self.status = Some(match (jobs.len(), skipped) {
            (0, _) if ids.len() <= 1 => {
                "Nothing to verify: this image needs a hash and a URL (press e or b).".into()
            }
            (0, n) => format!("Nothing to verify: {n} images lack a hash or a URL."),
            (n, 0) => format!("Verifying {n} URL{}…", if n == 1 { "" } else { "s" }),
            (n, s) => format!("Verifying {n} URLs; {s} images without a hash or URL skipped."),
        });
        (!jobs.is_empty()).then_some(Effect::Verify(jobs))
    }
}
