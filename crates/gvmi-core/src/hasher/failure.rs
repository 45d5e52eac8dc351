//! Why a file has no hash, in kinds the callers act on and words to show.

use std::fmt;
use std::io;

/// Why a file has no hash. Cloneable so one result can serve every hard link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashFailure {
    /// Opening or reading failed; the OS's words.
    Io(String),
    /// Size, mtime, ctime or inode moved while hashing: no single version was read.
    Changed,
    Cancelled,
}

impl fmt::Display for HashFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(msg) => f.write_str(msg),
            Self::Changed => f.write_str("changed while being hashed; no hash given"),
            Self::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl From<io::Error> for HashFailure {
    fn from(e: io::Error) -> Self {
        HashFailure::Io(crate::io_error::message(&e))
    }
}
