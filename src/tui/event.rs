//! What the workbench's producers tell its UI thread: the engine's job
//! events, wrapped, and what only the workbench has: discovery, the cache's
//! word, folder manifests, the file watcher, inspection and URL checks.

use std::collections::HashMap;
use std::path::PathBuf;

use gvmi_core::digest::Sha3Digest;
use gvmi_core::discover::Found;
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::gvmi_format::Inspection;
use gvmi_core::verify::{Failure, Stage, Verified};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The hashing engine's word on a job.
    Job(JobEvent),
    /// Discovery found something; `id` is the job that will hash it, if any.
    Discovered { id: JobId, found: Found },
    /// Discovery walked every path it was given.
    DiscoveryDone,
    /// The inspection or URL-verification workers reported (`tui::workers`).
    Worker(WorkerEvent),
    /// What the hash cache knew.
    Cache(CacheNote),
    /// A folder's `SHA3SUMS`, read (or re-read): full path → listed hash.
    Sums {
        folder: PathBuf,
        sums: HashMap<PathBuf, Sha3Digest>,
    },
    /// The file system changed under a watched folder.
    Watch(gvmi_core::watch::Change),
    /// What an effect run off the UI thread came to, in words for the
    /// status line (a copy, a config or `SHA3SUMS` written).
    Status(String),
    /// The URLs kept from earlier sessions (`saved_urls`), or why not.
    SavedUrls(Result<crate::tui::saved_urls::SavedUrls, String>),
    /// The loop's clock, every `TICK`: status messages expire by it.
    Tick(std::time::Instant),
    /// A remote source's listing (`tui::remote_feed`).
    Remote(RemoteEvent),
}

/// What the listing of the remote sources found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteEvent {
    /// A page of source `source`'s `*.gvmi` objects, recorded hashes read.
    Listed {
        source: usize,
        objects: Vec<gvmi_core::remote::Object>,
    },
    /// Listing a source failed (the rest of it is not shown).
    Failed { name: String, why: String },
    /// Every source was listed.
    Done,
}

impl From<JobEvent> for Event {
    fn from(event: JobEvent) -> Self {
        Event::Job(event)
    }
}

/// What the inspection and URL-verification workers report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerEvent {
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
    /// A publish (`p`) moved on: bytes sent of the image's size.
    Publishing { id: JobId, done: u64, total: u64 },
    /// A publish ended: the public URL, or why not; and what keeping its
    /// record had to say (a remembered URL kept, the state file not written).
    Published {
        id: JobId,
        result: Result<PublishedAt, NotPublished>,
        notes: Vec<String>,
    },
}

/// Why `p` did not end with a public URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotPublished {
    /// Where the image is stored (uploaded now, or already there), when
    /// only the public check failed (`gvmi publish`'s "uploaded, NOT PUBLIC").
    pub stored_at: Option<String>,
    /// What failed, in `gvmi publish`'s words.
    pub why: String,
    /// What to do about it, in the storage's terms (`publish::Outcome::fix`,
    /// the text `gvmi publish` prints: for a private bucket, the bucket
    /// policy); may run over several lines.
    pub fix: Option<String>,
}

impl NotPublished {
    /// A failure before anything was uploaded, with no fix to offer.
    pub fn before_upload(why: impl Into<String>) -> Self {
        NotPublished {
            stored_at: None,
            why: why.into(),
            fix: None,
        }
    }

    /// The reason, short: its first line, without the URL it starts with
    /// when it is about the uploaded copy (the URL is said elsewhere, and
    /// a summary cut short must keep the reason, not the URL).
    pub fn reason(&self) -> &str {
        let first = self.why.lines().next().unwrap_or_default();
        let rest = (self.stored_at.as_deref()).and_then(|url| first.strip_prefix(url));
        match rest {
            Some(rest) => rest.trim_start_matches(':').trim_start(),
            None => first,
        }
    }

    /// The fix's gist, for the status line: its first line up to the
    /// first parenthesis (the commands, the bucket policy and all are in
    /// the details pane).
    pub fn fix_gist(&self) -> Option<&str> {
        let fix = self.fix.as_deref()?.lines().next()?;
        let gist = fix.split(" (").next().unwrap_or(fix);
        Some(gist.trim_end_matches([':', ' ', '.']))
    }
}

/// Where `p` put an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedAt {
    pub url: String,
    /// False when the destination already held it.
    pub uploaded: bool,
    /// What the publish records learn of it (`publish::state`'s rule
    /// decides whether it replaces a remembered URL).
    pub record: Option<gvmi_core::publish::state::Candidate>,
}

impl WorkerEvent {
    pub fn id(&self) -> JobId {
        match self {
            Self::Inspected { id, .. }
            | Self::Verifying { id, .. }
            | Self::Verified { id, .. }
            | Self::Publishing { id, .. }
            | Self::Published { id, .. } => *id,
        }
    }
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
