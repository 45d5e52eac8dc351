//! Where each image was published: `$XDG_STATE_HOME/gvmi/published.v1.json`
//! (state, not the user's config). `gvmi snippet` and `gvmi verify` use the
//! URL when given none, and warn when the image changed since (its hash is
//! no longer the one published).
//!
//! Read capped, regular-only and without following a link. Written by
//! read-merge-write under `published.v1.lock`, so runs at once each keep
//! the other's records. Nothing is ever silently dropped: a file this gvmi
//! cannot read is renamed aside (the message names both paths) and a new
//! one started; a newer version's file is left alone and this run's records
//! are not saved. A remembered URL is replaced only by one proven public.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_write::atomic_write;
use crate::digest::Sha3Digest;
use crate::fsmeta;
use crate::user_dirs::UserDir;

const FILE_NAME: &str = "published.v1.json";
const LOCK_NAME: &str = "published.v1.lock";
const VERSION: u32 = 1;
/// Far above any real file (a record is about 250 bytes), far below harm.
const CAP: u64 = 16 << 20;

/// One published image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub url: String,
    pub(crate) sha3_224: String,
    pub(crate) size: u64,
    /// The URL was proven public (an anonymous check passed) when recorded.
    #[serde(default)]
    pub(crate) public: bool,
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
    crate::canonical::of(image).to_str().map(str::to_string)
}

/// Why the state file could not be used.
#[derive(Debug)]
enum Unusable {
    /// Written by a newer gvmi: never replaced.
    Newer(u32),
    /// Not a regular file, too large, unreadable or not our JSON.
    Unreadable(String),
}

/// The file's records (none when it is missing), or why it cannot be used.
fn load(file: &Path) -> Result<File, Unusable> {
    let unreadable = |e: io::Error| Unusable::Unreadable(crate::io_error::message(&e));
    match std::fs::symlink_metadata(file) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(File::default()),
        Err(e) => return Err(unreadable(e)),
        Ok(m) if m.file_type().is_symlink() => {
            return Err(Unusable::Unreadable(
                "a symbolic link (gvmi keeps its state in a file of its own)".into(),
            ))
        }
        Ok(_) => {}
    }
    let (bytes, _) = fsmeta::read_regular(file, CAP).map_err(unreadable)?;
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    let not_ours = |e: serde_json::Error| Unusable::Unreadable(format!("not gvmi's JSON ({e})"));
    let version = serde_json::from_slice::<Version>(&bytes).map_err(not_ours)?;
    match version.version {
        VERSION => serde_json::from_slice::<File>(&bytes).map_err(not_ours),
        v if v > VERSION => Err(Unusable::Newer(v)),
        v => Err(Unusable::Unreadable(format!("unknown version {v}"))),
    }
}

impl Unusable {
    fn why(&self) -> String {
        match self {
            Unusable::Newer(v) => format!(
                "written by a newer gvmi (version {v}; this one reads {VERSION}): left as it is"
            ),
            Unusable::Unreadable(why) => why.clone(),
        }
    }

    fn describe(&self, file: &Path) -> String {
        format!("state file {}: {}", file.display(), self.why())
    }
}

/// Every record, loaded once (a command run, the workbench's start) and
/// asked by [`crate::url_choice`].
#[derive(Debug, Clone, Default)]
pub struct Published {
    images: BTreeMap<String, Record>,
    problem: Option<String>,
}

impl Published {
    /// The state file's records; none when it is missing or unusable
    /// ([`Published::problem`] says why).
    pub fn load() -> Published {
        path().map(|p| load_from(&p)).unwrap_or_default()
    }

    /// The record for an image, by any of its absolute spellings.
    pub fn get(&self, absolute: &[PathBuf]) -> Option<&Record> {
        absolute
            .iter()
            .filter_map(|p| p.to_str())
            .find_map(|p| self.images.get(p))
    }

    /// Why the file's records are not used, if they are not.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Takes in what a publish this session proved (the workbench's `p`),
    /// by the rule the state file is merged by, so the image's URL follows
    /// without reading the file again.
    pub fn insert(&mut self, candidate: &Candidate) {
        if let Some(key) = key(&candidate.image) {
            merge(&mut self.images, key.clone(), candidate);
            forget_replaced(&mut self.images, &key, candidate);
        }
    }

    #[cfg(test)]
    pub(crate) fn with(image: &str, record: Record) -> Published {
        Published {
            images: BTreeMap::from([(image.to_string(), record)]),
            problem: None,
        }
    }
}

/// Reads the records of `file`.
pub fn load_from(file: &Path) -> Published {
    match load(file) {
        Ok(f) => Published {
            images: f.images,
            problem: None,
        },
        Err(why) => Published {
            images: BTreeMap::new(),
            problem: Some(format!("{}; its URLs are not used", why.describe(file))),
        },
    }
}

/// What one publish says about one image's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub image: PathBuf,
    pub url: String,
    pub sha3_224: String,
    pub size: u64,
    pub proof: Proof,
}

/// How far the URL was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// An anonymous check passed: providers can fetch it.
    Public,
    /// Not checked (`--verify none`, a folder without a public base URL).
    Unchecked,
    /// Checked and failed (exit 4): never replaces a remembered URL.
    NotPublic,
}

/// Merges one candidate by the rule: a URL proven public replaces what is
/// remembered; the same URL gets the new hash (new bytes, same place); an
/// unchecked URL replaces only a record not proven public either; a URL
/// that failed its check never replaces another. Returns the note when the
/// remembered URL was kept; `None` when the candidate was recorded (or, not
/// public with nothing remembered, simply not recorded).
fn merge(images: &mut BTreeMap<String, Record>, key: String, c: &Candidate) -> Option<String> {
    let old = images.get(&key);
    let same_url = old.is_some_and(|o| o.url == c.url);
    let keep_old = match (c.proof, old) {
        (Proof::Public, _) => false,
        _ if same_url => false,
        (Proof::NotPublic, _) => true,
        (Proof::Unchecked, Some(o)) => o.public,
        (Proof::Unchecked, None) => false,
    };
    if keep_old {
        // With nothing remembered, a URL that is not public is simply not
        // remembered (the failure was said already).
        return old.map(|o| {
            format!(
                "{}: kept the remembered URL {} ({}); {} was not proven public",
                c.image.display(),
                o.url,
                if o.public {
                    "proven public"
                } else {
                    "not checked"
                },
                c.url
            )
        });
    }
    // The same URL keeps the proof it had (new bytes, same place).
    let public = c.proof == Proof::Public || (same_url && old.is_some_and(|o| o.public));
    let record = Record {
        url: c.url.clone(),
        sha3_224: c.sha3_224.clone(),
        size: c.size,
        public: public && c.proof != Proof::NotPublic,
    };
    images.insert(key, record);
    None
}

/// Other images remembered at `url` with other bytes: that URL now serves
/// these, so their records are dropped (and said).
fn forget_replaced(images: &mut BTreeMap<String, Record>, key: &str, c: &Candidate) -> Vec<String> {
    let stale: Vec<String> = images
        .iter()
        .filter(|(k, r)| *k != key && r.url == c.url && r.sha3_224 != c.sha3_224)
        .map(|(k, _)| k.clone())
        .collect();
    for k in &stale {
        images.remove(k);
    }
    stale
        .into_iter()
        .map(|k| {
            format!(
                "{k}: forgot its URL {}: it now serves {}",
                c.url,
                c.image.display()
            )
        })
        .collect()
}

/// Records `candidates` in the state file `file`: under its lock, the file is re-read, the
/// candidates merged by the rule above, and the result renamed into place.
/// Returns what is worth telling the user (plain text: print it through
/// `visible`). A newer version's file is an error and is left untouched;
/// an unreadable one is renamed aside first (said in the notes).
pub(crate) fn remember_in(file: &Path, candidates: &[Candidate]) -> io::Result<Vec<String>> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let _lock = crate::lock::Lock::acquire(&file.with_file_name(LOCK_NAME), crate::lock::PATIENCE)?;
    let mut notes = Vec::new();
    let mut state = match load(file) {
        Ok(state) => state,
        Err(newer @ Unusable::Newer(_)) => {
            let why = newer.why();
            return Err(io::Error::other(format!(
                "{why}; the URLs of this run are not remembered"
            )));
        }
        Err(unreadable) => {
            let aside = set_aside(file)?;
            notes.push(format!(
                "{}; kept as {} and a new one started",
                unreadable.describe(file),
                aside.display()
            ));
            File::default()
        }
    };
    state.version = VERSION;
    for c in candidates {
        let Some(key) = key(&c.image) else { continue };
        notes.extend(merge(&mut state.images, key.clone(), c));
        // Its bytes are at its URL now, whatever was remembered for it.
        notes.extend(forget_replaced(&mut state.images, &key, c));
    }
    let text = serde_json::to_vec_pretty(&state).map_err(io::Error::other)?;
    atomic_write(file, &text)?;
    Ok(notes)
}

/// Renames the unusable `file` to a name beside it that nothing holds
/// (`published.v1.json.unreadable-SECONDS[-N]`). Under the lock, so no
/// other gvmi races for the name; a link is renamed, never followed.
fn set_aside(file: &Path) -> io::Result<PathBuf> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let stem = format!("{FILE_NAME}.unreadable-{seconds}");
    for n in 0..1000 {
        let name = match n {
            0 => stem.clone(),
            n => format!("{stem}-{n}"),
        };
        let aside = file.with_file_name(name);
        if std::fs::symlink_metadata(&aside).is_err() {
            std::fs::rename(file, &aside)?;
            return Ok(aside);
        }
    }
    Err(io::Error::other("no free name to keep it aside"))
}

/// The candidates among `outcomes`: every image now at its URL (uploaded
/// or found there) with its hash, and how far the URL was proven.
pub fn candidates(outcomes: &[super::Outcome]) -> Vec<Candidate> {
    use super::Action;
    outcomes
        .iter()
        .filter(|o| matches!(o.action, Some(Action::Uploaded | Action::Skipped)))
        .filter_map(|o| {
            let proof = match (&o.failure, o.verified) {
                (Some((super::exit::NOT_PUBLIC, ..)), _) => Proof::NotPublic,
                // Uploaded as the run was interrupted: there, not checked.
                (Some((_, "interrupted", _)), _) => Proof::Unchecked,
                (Some(_), _) => return None,
                (None, true) => Proof::Public,
                (None, false) => Proof::Unchecked,
            };
            Some(Candidate {
                image: o.path.clone(),
                url: o.url.clone()?,
                sha3_224: o.hash?.to_hex(),
                size: o.size,
                proof,
            })
        })
        .collect()
}

/// Records every image of `outcomes` now at its URL in `file` (see
/// [`remember_in`]); nothing is written when there is none.
pub fn remember_outcomes(file: &Path, outcomes: &[super::Outcome]) -> io::Result<Vec<String>> {
    remember_in(file, &candidates(outcomes))
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

#[cfg(test)]
mod tests;
