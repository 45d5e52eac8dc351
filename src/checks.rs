//! What the workbench's inspection and URL-verification workers report.
//! Kept apart from hashing's events so each can grow without the other.

use crate::event::JobId;
use crate::gvmi_format::Inspection;
use crate::verify::{Failure, Stage, Verified};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckEvent {
    /// The image's structure was read; `Err` holds the OS's reason.
    /// Boxed: an inspection is large and most events are small.
    Inspected {
        id: JobId,
        result: Result<Box<Inspection>, String>,
    },
    /// A URL verification moved on (HEAD sent, body bytes hashed).
    Verifying { id: JobId, stage: Stage },
    /// A URL verification ended.
    Verified {
        id: JobId,
        result: Result<Verified, Failure>,
    },
}
