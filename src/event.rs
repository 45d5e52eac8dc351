//! What discovery and the workers tell the thread that owns the state.
//! Events flow one way: producers never read state, the owner never blocks them.

use crate::discover::Found;
use crate::hasher::{HashFailure, Hashed};

/// Names one hashing job (a row, a line of a check file, a rehash).
pub type JobId = usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Discovery found something; `id` is the job that will hash it, if any.
    Discovered { id: JobId, found: Found },
    /// Discovery walked every path it was given.
    DiscoveryDone,
    /// A worker opened the file and started reading.
    Started { id: JobId, size: u64 },
    /// Bytes of this job read and hashed so far.
    Progress { id: JobId, done: u64 },
    /// The job ended, with a hash or the reason there is none.
    Finished {
        id: JobId,
        result: Result<Hashed, HashFailure>,
    },
    /// The workbench's inspection or URL verification reported (`crate::checks`).
    Check(crate::checks::CheckEvent),
}
