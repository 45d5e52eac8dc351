//! What the hashing engine reports: one job's start, progress and end.
//! Events flow one way: producers never read state, the owner never blocks
//! them. Whoever owns the channel may wrap these in its own event type
//! (the workbench does, `tui::event`); the engine knows nothing of that.

use std::sync::Arc;

use crossbeam_channel::Sender;

use crate::hasher::{HashFailure, Hashed};

/// Names one hashing job (a row, a line of a check file, a rehash).
pub type JobId = usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEvent {
    /// A worker opened the file and started reading.
    Started { id: JobId, size: u64 },
    /// Bytes of this job read and hashed so far.
    Progress { id: JobId, done: u64 },
    /// The job ended, with a hash or the reason there is none.
    Finished {
        id: JobId,
        result: Result<Hashed, HashFailure>,
    },
}

impl JobEvent {
    pub fn id(&self) -> JobId {
        match self {
            Self::Started { id, .. } | Self::Progress { id, .. } | Self::Finished { id, .. } => *id,
        }
    }
}

/// Where job events go: any channel whose messages can be made from a
/// `JobEvent`, so the engine needs no knowledge of the receiver's type.
#[derive(Clone)]
pub(crate) struct JobSender(Arc<dyn Fn(JobEvent) + Send + Sync>);

impl JobSender {
    pub(crate) fn new<T: From<JobEvent> + Send + 'static>(tx: Sender<T>) -> Self {
        // The receiver may be gone (the user quit); there is nobody left to tell.
        JobSender(Arc::new(move |event| drop(tx.send(T::from(event)))))
    }

    pub(crate) fn send(&self, event: JobEvent) {
        (self.0)(event)
    }
}
