//! The workbench's view of inspection and URL verification: what each row's
//! checks say, and the keys `v` / `V` that start a verification.

use std::collections::HashMap;

use super::app::{App, Effect};
use super::rows::RowState;
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

/// Per-row check results, by row index, and the jobs in flight.
#[derive(Debug, Default)]
pub struct Checks {
    pub inspections: HashMap<usize, Result<Box<Inspection>, String>>,
    pub urls: HashMap<usize, UrlCheck>,
    /// The hash each URL check compared against: a rehash to another hash voids it.
    verified_digest: HashMap<usize, Sha3Digest>,
    /// Live check jobs → row; an event for an id not here is stale and dropped.
    jobs: HashMap<JobId, usize>,
    tokens: HashMap<usize, CancelToken>,
}

impl App {
    pub fn inspection(&self, index: usize) -> Option<&Result<Box<Inspection>, String>> {
        self.checks.inspections.get(&index)
    }

    pub fn url_check(&self, index: usize) -> Option<&UrlCheck> {
        self.checks.urls.get(&index)
    }

    /// True when the row's image was inspected and has defects (or was unreadable).
    pub fn is_invalid(&self, index: usize) -> bool {
        self.inspection(index)
            .is_some_and(|r| r.as_ref().map_or(true, |i| !i.is_valid()))
    }

    /// A row was hashed: read its structure too, and drop a URL check
    /// that compared against another hash.
    pub(super) fn queue_inspection(&mut self, index: usize) {
        let digest = self.rows[index].state.digest().copied();
        if self.checks.verified_digest.get(&index).copied() != digest {
            self.checks.urls.remove(&index);
            self.checks.verified_digest.remove(&index);
        }
        let id = self.ids.next();
        self.checks.jobs.retain(|_, &mut row| row != index);
        self.checks.jobs.insert(id, index);
        let path = self.rows[index].path.clone();
        self.outbox.push(Effect::Inspect { id, path });
    }

    pub(super) fn apply_check(&mut self, event: CheckEvent) {
        let id = match &event {
            CheckEvent::Inspected { id, .. }
            | CheckEvent::Verifying { id, .. }
            | CheckEvent::Verified { id, .. } => *id,
        };
        let Some(&index) = self.checks.jobs.get(&id) else {
            return;
        };
        match event {
            CheckEvent::Inspected { result, .. } => {
                self.checks.jobs.remove(&id);
                self.checks.inspections.insert(index, result);
            }
            CheckEvent::Verifying { stage, .. } => {
                if let Some(UrlCheck::Running { stage: s, .. }) = self.checks.urls.get_mut(&index) {
                    *s = stage;
                }
            }
            CheckEvent::Verified { result, .. } => {
                self.checks.jobs.remove(&id);
                self.checks.tokens.remove(&index);
                let url = match self.checks.urls.remove(&index) {
                    Some(UrlCheck::Running { url, .. } | UrlCheck::Done { url, .. }) => url,
                    None => String::new(),
                };
                self.status = Some(match &result {
                    Ok(_) => format!("{url} serves {}.", self.rows[index].name()),
                    Err(f) => format!("{}: {}", self.rows[index].name(), f.short()),
                });
                self.checks
                    .urls
                    .insert(index, UrlCheck::Done { url, result });
            }
        }
    }

    /// `v` / `V`: verify these rows' URLs. Rows without a hash or URL are
    /// skipped and counted in the status line.
    pub(super) fn verify_rows(&mut self, indices: &[usize]) -> Option<Effect> {
        let mut jobs = Vec::new();
        let mut skipped = 0;
        for &index in indices {
            let row = &self.rows[index];
            let (Some(url), RowState::Done(digest)) = (self.url_for(row), &row.state) else {
                skipped += 1;
                continue;
            };
            let expected = Expected {
                digest: *digest,
                size: row.size,
            };
            let token = self.root_token.child();
            if let Some(old) = self.checks.tokens.insert(index, token.clone()) {
                old.cancel();
            }
            let id = self.ids.next();
            self.checks.jobs.retain(|_, &mut row| row != index);
            self.checks.jobs.insert(id, index);
            self.checks.verified_digest.insert(index, *digest);
            let stage = Stage::Head;
            let running = UrlCheck::Running {
                url: url.clone(),
                stage,
            };
            self.checks.urls.insert(index, running);
            jobs.push(VerifyJob {
                id,
                url,
                expected,
                token,
            });
        }
        self.status = Some(match (jobs.len(), skipped) {
            (0, _) if indices.len() <= 1 => {
                "Nothing to verify: this image needs a hash and a URL (press e or b).".into()
            }
            (0, n) => format!("Nothing to verify: {n} images lack a hash or a URL."),
            (n, 0) => format!("Verifying {n} URL{}…", if n == 1 { "" } else { "s" }),
            (n, s) => format!("Verifying {n} URLs; {s} images without a hash or URL skipped."),
        });
        (!jobs.is_empty()).then_some(Effect::Verify(jobs))
    }
}
