//! What workers tell the thread that owns the state. Events flow one way.

use crate::hasher::{HashFailure, Hashed};

/// Index of a job in the caller's own list (a row, a line of a check file).
pub type JobId = usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
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
