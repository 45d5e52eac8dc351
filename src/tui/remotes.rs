//! What the workbench knows of remote sources (`gvmi ./images
//! s3://bucket/v1`): each remote row's object (key, recorded hash, public
//! URL) and what its bytes hashed to once `r` read them; and the pairing
//! of a local image with its published object, by its path below its
//! folder argument (the key `gvmi publish` gives it below the prefix),
//! else by its file name when one object alone has it.

use std::collections::HashMap;

use super::rows::{Row, RowId, Rows};
use gvmi_core::digest::Sha3Digest;
use gvmi_core::remote::{Object, Recorded};

/// A remote row's object.
#[derive(Debug, Clone)]
pub struct RemoteInfo {
    /// Which source (`s3://BUCKET[/PREFIX]` argument) lists it.
    pub source: usize,
    pub object: Object,
    /// `s3://BUCKET/KEY`, as messages name it.
    pub name: String,
    /// What its bytes hashed to, once read (`r`).
    pub hashed: Option<Sha3Digest>,
}

impl RemoteInfo {
    /// The hash that stands for the object: its bytes' once read, else
    /// the recorded one.
    pub fn digest(&self) -> Option<Sha3Digest> {
        self.hashed.or(self.object.recorded.hash())
    }
}

/// A local image beside the published objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairing {
    /// An object of the same name holds the same hash.
    Current(RowId),
    /// An object of the same name holds another hash.
    Stale(RowId),
    /// No object of that name (or its hash is not known).
    NotPublished,
    /// The row is a remote object itself.
    Remote,
}

impl Pairing {
    /// The words the details pane uses (the table's column is shorter).
    pub fn words(self) -> &'static str {
        match self {
            Pairing::Current(_) => "published, current",
            Pairing::Stale(_) => "published, stale",
            Pairing::NotPublished => "not published",
            Pairing::Remote => "remote object",
        }
    }
}

#[derive(Debug, Default)]
pub struct Remotes {
    /// The sources' names (`s3://BUCKET[/PREFIX]`), in argument order.
    sources: Vec<String>,
    objects: HashMap<RowId, RemoteInfo>,
    by_relative: HashMap<String, RowId>,
    by_name: HashMap<String, Vec<RowId>>,
}

impl Remotes {
    /// The workbench reads these sources (before any is listed).
    pub fn set_sources(&mut self, sources: Vec<String>) {
        self.sources = sources;
    }

    /// Whether any remote source was given: the table then shows pairings.
    pub fn any(&self) -> bool {
        !self.sources.is_empty()
    }

    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Notes that row `id` shows `info`'s object.
    pub fn add(&mut self, id: RowId, info: RemoteInfo) {
        let relative = info.object.relative.clone();
        let name = file_name(&relative).to_string();
        self.by_relative.entry(relative).or_insert(id);
        self.by_name.entry(name).or_default().push(id);
        self.objects.insert(id, info);
    }

    pub fn get(&self, id: RowId) -> Option<&RemoteInfo> {
        self.objects.get(&id)
    }

    pub fn is_remote(&self, id: RowId) -> bool {
        self.objects.contains_key(&id)
    }

    /// What `r` read of the object's bytes.
    pub fn hashed(&mut self, id: RowId, digest: Option<Sha3Digest>) {
        if let Some(info) = self.objects.get_mut(&id) {
            info.hashed = digest;
        }
    }

    /// `row` beside the published objects; `None` when no remote source
    /// was given, or the local row has no hash yet.
    pub fn pairing(&self, row: &Row, rows: &Rows) -> Option<Pairing> {
        if !self.any() {
            return None;
        }
        if self.is_remote(row.id()) {
            return Some(Pairing::Remote);
        }
        let local = *row.state.digest()?;
        let relative = row.relative_path().to_string_lossy();
        let object = self
            .by_relative
            .get(relative.as_ref())
            .copied()
            .or_else(
                || match self.by_name.get(file_name(&relative)).map(Vec::as_slice) {
                    Some([only]) => Some(*only),
                    _ => None,
                },
            );
        let paired = object.filter(|id| rows.get(*id).is_some());
        let Some(id) = paired else {
            return Some(Pairing::NotPublished);
        };
        Some(match self.objects.get(&id).and_then(RemoteInfo::digest) {
            Some(d) if d == local => Pairing::Current(id),
            Some(_) => Pairing::Stale(id),
            None => Pairing::NotPublished,
        })
    }
}

fn file_name(relative: &str) -> &str {
    relative.rsplit('/').next().unwrap_or(relative)
}

/// The state column's words for a remote row: `None` while its bytes are
/// being read (the progress bar shows).
pub fn state_words(info: &RemoteInfo) -> (&'static str, bool) {
    match (&info.object.recorded, info.hashed) {
        (Recorded::Hash(r), Some(h)) if *r == h => ("✓ verified", true),
        (Recorded::Hash(_), Some(_)) => ("✗ ≠ record", false),
        (Recorded::Hash(_), None) => ("☁ recorded", true),
        (_, Some(_)) => ("☁ hashed", true),
        (Recorded::Missing, None) => ("☁ no record", false),
        (_, None) => ("☁ unread", false),
    }
}
