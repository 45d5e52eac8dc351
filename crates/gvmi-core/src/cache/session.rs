//! The cache as one run uses it, whoever runs: `gvmi hash` (and its
//! `--watch`) and the workbench's keeper. Images are named by their path
//! as found (keyed here); fresh results are kept by the racy-window rule;
//! a result that contradicts an entry whose stamp still matches is
//! reported (silent corruption); saving says what failed in words.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{key, prune_missing, Cache, Lookup};
use crate::digest::Sha3Digest;
use crate::fsmeta::FileStamp;
use crate::hasher::Hashed;
use crate::io_error;
use crate::visible::visible_path;

pub struct Session {
    cache: Cache,
    /// The keys' folders, each resolved once.
    keys: crate::canonical::Files,
    /// Every image met this run (by key), so pruning skips them.
    seen: HashSet<PathBuf>,
}

/// A save that failed: the cache file and why.
#[derive(Debug, thiserror::Error)]
#[error("{} not saved: {}", visible_path(path), io_error::message(error))]
pub struct NotSaved {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl Session {
    /// The user's cache, or (`enabled` false: `--no-cache`) one that
    /// remembers nothing and never touches the disk.
    pub fn open(enabled: bool) -> Session {
        Session::over(if enabled {
            Cache::open_default()
        } else {
            Cache::disabled()
        })
    }

    pub fn over(cache: Cache) -> Session {
        Session {
            cache,
            keys: Default::default(),
            seen: HashSet::new(),
        }
    }

    /// Why the file on disk could not be used (it is replaced on the next save).
    pub fn problem(&self) -> Option<&str> {
        self.cache.problem.as_deref()
    }

    pub fn path(&self) -> Option<&Path> {
        self.cache.path()
    }

    /// What the cache knows of the image at `path` with `stamp`.
    pub fn lookup(&mut self, path: &Path, stamp: &FileStamp) -> Lookup {
        let key = self.keys.of(path);
        let found = self.cache.lookup(&key, stamp);
        self.seen.insert(key);
        found
    }

    /// Keeps a fresh result, if the file was last changed before
    /// `began` (the racy window). Returns the cached hash when the entry's
    /// stamp still matches but its hash does not: the bytes changed behind
    /// the file system's back.
    pub fn learn(&mut self, path: &Path, hashed: &Hashed, began: SystemTime) -> Option<Sha3Digest> {
        let key = self.keys.of(path);
        let contradicted = match self.cache.lookup(&key, &hashed.stamp) {
            Lookup::Hit(old) if old != hashed.digest => Some(old),
            _ => None,
        };
        self.cache.record(&key, hashed, began);
        contradicted
    }

    /// The image at `path` is gone.
    pub fn forget(&mut self, path: &Path) {
        let key = self.keys.of(path);
        self.cache.forget(&key);
    }

    /// Drops entries under the folders among `roots` whose files are gone
    /// (skipping images met this run). Returns how many.
    pub fn prune_under(&mut self, roots: &[PathBuf]) -> usize {
        let folders: Vec<PathBuf> = roots
            .iter()
            .filter(|r| r.is_dir())
            .map(|r| key(r))
            .collect();
        let seen = &self.seen;
        prune_missing(&mut self.cache, |p| {
            !seen.contains(p) && folders.iter().any(|f| p.starts_with(f))
        })
    }

    /// Merges this run's results into the file.
    pub fn save(&mut self) -> Result<(), NotSaved> {
        self.cache.save().map_err(|error| NotSaved {
            path: self.cache.path().map(Path::to_path_buf).unwrap_or_default(),
            error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_saved_names_the_file_then_the_os_words() {
        let e = NotSaved {
            path: PathBuf::from("/c/hashes\u{1b}.bin"),
            error: std::io::Error::from_raw_os_error(28),
        };
        let words = io_error::message(&std::io::Error::from_raw_os_error(28));
        assert_eq!(
            e.to_string(),
            format!("/c/hashes\\e.bin not saved: {words}")
        );
        assert!(!words.contains("os error"), "{words}");
    }
}
