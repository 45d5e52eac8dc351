//! The watcher of one check: relays the helper's progress and gives up,
//! with the words for what was going on, when a wait runs too long:
//! an answer (connect + read timeout after the request), the next body
//! bytes (read timeout), or the whole check (its deadline). ureq alone
//! cannot do this: its per-request deadline replaces the per-read timeout.

use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::fetch::Msg;
use super::{Expected, Failure, Options, Stage, Verified};
use crate::cancel::CancelToken;

/// How often cancellation is looked at while nothing else happens.
const POLL: Duration = Duration::from_millis(100);

#[derive(Clone, Copy)]
enum Phase {
    /// A request is out (method); no answer yet.
    Waiting(&'static str),
    /// The body is arriving.
    Body,
}

impl Phase {
    fn during(self) -> &'static str {
        match self {
            Phase::Waiting("HEAD") => "waiting for the answer to HEAD",
            Phase::Waiting(_) => "waiting for the answer to GET",
            Phase::Body => "reading the body of",
        }
    }
}

pub(super) struct Watch<'a> {
    url: &'a str,
    expected: Expected,
    opts: &'a Options,
    started: Instant,
    deadline: Instant,
    cancel: &'a CancelToken,
    phase: Phase,
    /// When the current phase last saw something arrive.
    since: Instant,
    received: u64,
}

impl<'a> Watch<'a> {
    pub(super) fn new(
        url: &'a str,
        expected: Expected,
        opts: &'a Options,
        started: Instant,
        cancel: &'a CancelToken,
    ) -> Self {
        Watch {
            url,
            expected,
            opts,
            started,
            deadline: started + opts.deadline_for(expected.size),
            cancel,
            phase: Phase::Waiting("HEAD"),
            since: started,
            received: 0,
        }
    }

    pub(crate) fn run(
        mut self,
        rx: &Receiver<Msg>,
        mut progress: impl FnMut(Stage),
    ) -> Result<Verified, Failure> {
        // A HEAD 401/403/405/501's failure, kept while GET is tried for the diagnosis.
        let mut pending = None;
        loop {
            let wake = (self.since + self.silence())
                .min(self.deadline)
                .min(Instant::now() + POLL);
            match rx.recv_deadline(wake) {
                Ok(Msg::Waiting(method)) => {
                    self.phase = Phase::Waiting(method);
                    self.since = Instant::now();
                    if method == "HEAD" {
                        progress(Stage::Head);
                    }
                }
                Ok(Msg::Length(length)) => self.lengthen(length),
                Ok(Msg::Body { done, total }) => {
                    self.phase = Phase::Body;
                    self.since = Instant::now();
                    self.received = done;
                    progress(Stage::Get { done, total });
                }
                Ok(Msg::Pending(failure)) => pending = Some(failure),
                Ok(Msg::Done(result)) => return result,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Failure::Internal {
                        url: self.url.to_string(),
                        detail: "the request thread ended without an answer".into(),
                    })
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(failure) = self.expired() {
                        return Err(pending.unwrap_or(failure));
                    }
                }
            }
        }
    }

    /// The longest silence allowed in the current phase.
    fn silence(&self) -> Duration {
        match self.phase {
            Phase::Waiting(_) => self.opts.connect_timeout + self.opts.read_timeout,
            Phase::Body => self.opts.read_timeout,
        }
    }

    /// The same rule as the helper's: a Content-Length sizes the default
    /// deadline when there is no local file.
    fn lengthen(&mut self, length: u64) {
        if self.expected.size.is_none() {
            self.deadline = self.started + self.opts.deadline_for(Some(length));
        }
    }

    fn expired(&self) -> Option<Failure> {
        let url = self.url.to_string();
        if self.cancel.is_cancelled() {
            return Some(Failure::Network {
                url,
                detail: "cancelled".into(),
            });
        }
        let now = Instant::now();
        if now >= self.deadline {
            return Some(Failure::Deadline {
                url,
                limit: self.deadline - self.started,
                during: self.phase.during(),
                received: self.received,
            });
        }
        let silence = self.silence();
        (now >= self.since + silence).then(|| Failure::Timeout {
            url,
            timeout: silence,
            during: self.phase.during(),
        })
    }
}
