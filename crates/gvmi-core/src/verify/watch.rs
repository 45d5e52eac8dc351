//! The watcher of one check: relays the helper's progress and gives up,
//! with the words for what was going on, when a wait runs too long:
//! an answer (connect + read timeout after the request), the next body
//! bytes (read timeout), or the whole check (its deadline). ureq alone
//! cannot do this: its per-request deadline replaces the per-read timeout.

use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, TryRecvError};

use super::fetch::Msg;
use super::{Failure, Options, Stage, Verified};
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

pub(super) struct Watch {
    url: String,
    /// The size expected; `None`: a Content-Length sizes the deadline.
    size: Option<u64>,
    opts: Options,
    started: Instant,
    deadline: Instant,
    cancel: CancelToken,
    phase: Phase,
    /// When the current phase last saw something arrive.
    since: Instant,
    received: u64,
    /// A HEAD 401/403/405/501's failure, kept while GET is tried for the diagnosis.
    pending: Option<Failure>,
}

/// What [`Watch::next`] came to.
pub(super) enum Step {
    /// Body bytes (stream mode), in one of the stream's buffers.
    Chunk(Vec<u8>),
    Done(Result<Verified, Failure>),
}

impl Watch {
    pub(crate) fn new(
        url: &str,
        size: Option<u64>,
        opts: &Options,
        started: Instant,
        cancel: &CancelToken,
    ) -> Self {
        Watch {
            url: url.to_string(),
            size,
            opts: *opts,
            started,
            deadline: started + opts.deadline_for(size),
            cancel: cancel.clone(),
            phase: Phase::Waiting("HEAD"),
            since: started,
            received: 0,
            pending: None,
        }
    }

    pub(crate) fn run(
        mut self,
        rx: &Receiver<Msg>,
        mut progress: impl FnMut(Stage),
    ) -> Result<Verified, Failure> {
        loop {
            if let Step::Done(result) = self.next(rx, &mut progress) {
                return result;
            }
        }
    }

    /// Waits for the helper's next chunk or its end, relaying progress;
    /// ends the wait, with the words for it, when the helper is silent too
    /// long, the deadline passes, or the check is cancelled.
    pub(crate) fn next(&mut self, rx: &Receiver<Msg>, progress: &mut impl FnMut(Stage)) -> Step {
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
                Ok(Msg::Body { done, total }) => self.arrived(done, total, progress),
                Ok(Msg::Chunk { bytes, done, total }) => {
                    self.arrived(done, total, progress);
                    return Step::Chunk(bytes);
                }
                Ok(Msg::Pending(failure)) => self.pending = Some(failure),
                Ok(Msg::Done(result)) => return Step::Done(result),
                Err(RecvTimeoutError::Disconnected) => {
                    return Step::Done(Err(Failure::Internal {
                        url: self.url.clone(),
                        detail: "the request thread ended without an answer".into(),
                    }))
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(failure) = self.expired() {
                        return Step::Done(Err(self.pending.take().unwrap_or(failure)));
                    }
                }
            }
        }
    }

    /// [`Watch::next`] without waiting: the next chunk or the end if the
    /// helper already sent it (or a bound has passed), else `None`.
    pub(crate) fn try_next(&mut self, rx: &Receiver<Msg>) -> Option<Step> {
        let mut progress = |_| {};
        loop {
            match rx.try_recv() {
                Ok(Msg::Waiting(method)) => {
                    self.phase = Phase::Waiting(method);
                    self.since = Instant::now();
                }
                Ok(Msg::Length(length)) => self.lengthen(length),
                Ok(Msg::Body { done, total }) => self.arrived(done, total, &mut progress),
                Ok(Msg::Chunk { bytes, done, total }) => {
                    self.arrived(done, total, &mut progress);
                    return Some(Step::Chunk(bytes));
                }
                Ok(Msg::Pending(failure)) => self.pending = Some(failure),
                Ok(Msg::Done(result)) => return Some(Step::Done(result)),
                // A bound passed: `next` ends at once, with its words.
                Err(TryRecvError::Empty) => {
                    return self.expired().map(|_| self.next(rx, &mut progress));
                }
                // `next` says so in words, at once.
                Err(TryRecvError::Disconnected) => return Some(self.next(rx, &mut progress)),
            }
        }
    }

    fn arrived(&mut self, done: u64, total: Option<u64>, progress: &mut impl FnMut(Stage)) {
        self.phase = Phase::Body;
        self.since = Instant::now();
        self.received = done;
        progress(Stage::Get { done, total });
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
        if self.size.is_none() {
            self.deadline = self.started + self.opts.deadline_for(Some(length));
        }
    }

    fn expired(&self) -> Option<Failure> {
        let url = self.url.clone();
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
