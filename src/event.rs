//! What discovery and the workers tell the thread that owns the state.
//! Events flow one way: producers never read state, the owner never blocks them.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::digest::Sha3Digest;
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
    /// What the hash cache knew (workbench only).
    Cache(CacheNote),
    /// A folder's `SHA3SUMS`, read (or re-read): full path → listed hash.
    Sums {
        folder: PathBuf,
        sums: HashMap<PathBuf, Sha3Digest>,
    },
    /// The file system changed under a watched folder.
    Watch(crate::watch::Change),
}

/// The cache's word on a job, sent before the job's `Finished` (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheNote {
    /// Unchanged since hashed: its `Finished` carries the cached hash, no read.
    Hit { id: JobId },
    /// Its metadata moved since it was hashed as `old`: it is being rehashed.
    Stale { id: JobId, old: Sha3Digest },
    /// The cache file could not be used (said once; it is rebuilt).
    Problem(String),
    /// Saving the cache failed (said once per different reason; retried).
    NotSaved(String),
}

impl CacheNote {
    pub fn id(&self) -> Option<JobId> {
        match self {
            Self::Hit { id } | Self::Stale { id, .. } => Some(*id),
            Self::Problem(_) | Self::NotSaved(_) => None,
        }
    }
}
