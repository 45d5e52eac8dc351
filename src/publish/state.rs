//! Where each image was published: `$XDG_STATE_HOME/gvmi/published.v1.json`
//! (state, not the user's config). `gvmi snippet` and `gvmi verify` use the
//! URL when given none, and warn when the image changed since (its hash is
//! no longer the one published). Read capped and regular-only, written
//! atomically after re-reading, so two runs lose at most a race's record.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_write::atomic_write;
use crate::digest::Sha3Digest;
use crate::fsmeta::{self, cap};
use crate::user_dirs::UserDir;

const FILE_NAME: &str = "published.v1.json";

/// One published image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub url: String,
    pub sha3_224: String,
    pub size: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    /// Absolute image path → record.
    images: BTreeMap<String, Record>,
}

/// The state file's path, if the environment names a home.
pub fn path() -> Option<PathBuf> {
    UserDir::State.path().map(|d| d.join(FILE_NAME))
}

fn key(image: &Path) -> Option<String> {
    std::path::absolute(image)
        .ok()
        .and_then(|p| p.to_str().map(str::to_string))
}

fn load(file: &Path) -> File {
    fsmeta::read_regular(file, cap::MANIFEST)
        .ok()
        .and_then(|(bytes, _)| serde_json::from_slice::<File>(&bytes).ok())
        .filter(|f| f.version == 1)
        .unwrap_or_default()
}

/// Every record, loaded once (a command run, the workbench's start) and
/// asked by [`crate::url_choice`].
#[derive(Debug, Clone, Default)]
pub struct Published {
    images: BTreeMap<String, Record>,
}

impl Published {
    /// The state file's records; none when it is missing or unreadable.
    pub fn load() -> Published {
        Published {
            images: path().map(|p| load(&p).images).unwrap_or_default(),
        }
    }

    /// The record for an image, by any of its absolute spellings.
    pub fn get(&self, absolute: &[PathBuf]) -> Option<&Record> {
        absolute
            .iter()
            .filter_map(|p| p.to_str())
            .find_map(|p| self.images.get(p))
    }

    #[cfg(test)]
    pub fn with(image: &str, record: Record) -> Published {
        Published {
            images: BTreeMap::from([(image.to_string(), record)]),
        }
    }
}

/// The records as this process first read them: a command loads them once
/// for all its images; the workbench loads them before its first frame, so
/// the UI thread never reads the file.
pub fn shared() -> &'static Published {
    static SHARED: std::sync::OnceLock<Published> = std::sync::OnceLock::new();
    SHARED.get_or_init(Published::load)
}

/// The record for `image`, if it was published.
pub fn lookup(image: &Path) -> Option<Record> {
    let key = key(image)?;
    load(&path()?).images.remove(&key)
}

/// Records `published` (merged into what the file holds now).
pub fn remember(published: &[(PathBuf, Record)]) -> io::Result<()> {
    match path() {
        Some(file) => remember_in(&file, published),
        None => Ok(()),
    }
}

/// [`remember`] into `file`.
pub fn remember_in(file: &Path, published: &[(PathBuf, Record)]) -> io::Result<()> {
    let mut state = load(file);
    state.version = 1;
    for (image, record) in published {
        if let Some(key) = key(image) {
            state.images.insert(key, record.clone());
        }
    }
    let text = serde_json::to_vec_pretty(&state).map_err(io::Error::other)?;
    atomic_write(file, &text)
}

/// Records every image of `outcomes` now at its URL (uploaded or found
/// there) in `file`; nothing is written when there is none.
pub fn remember_outcomes(file: &Path, outcomes: &[super::Outcome]) -> io::Result<()> {
    use super::Action;
    let published: Vec<_> = outcomes
        .iter()
        .filter(|o| matches!(o.action, Some(Action::Uploaded | Action::Skipped)))
        .filter_map(|o| {
            let record = Record {
                url: o.url.clone()?,
                sha3_224: o.hash?.to_hex(),
                size: o.size,
            };
            Some((o.path.clone(), record))
        })
        .collect();
    if published.is_empty() {
        return Ok(());
    }
    remember_in(file, &published)
}

/// Reads the records of `file` (tests, tools).
pub fn load_from(file: &Path) -> Published {
    Published {
        images: load(file).images,
    }
}

/// The warning for an image whose hash now (`current`) is not the one
/// published under `record`: providers would get the old bytes.
pub fn changed_since(record: &Record, current: &Sha3Digest) -> Option<String> {
    (current.to_hex() != record.sha3_224).then(|| {
        format!(
            "changed since it was published at {} (published {}, now {}): run gvmi publish again",
            record.url,
            record.sha3_224,
            current.to_hex()
        )
    })
}
