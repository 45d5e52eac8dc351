//! What folder manifests and other rows add to the workbench: duplicate
//! hashes and each folder's `SHA3SUMS` opinion. A part of `App` with its
//! own state; it knows rows only by path and hash.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::rows::{Listed, Rows};
use gvmi_core::digest::Sha3Digest;
use gvmi_core::manifest::folder_of;
use gvmi_core::sumline::path_bytes;

#[derive(Debug, Default)]
pub struct Changes {
    /// How many rows show each hash: more than one is a duplicate.
    dup_counts: HashMap<Sha3Digest, usize>,
    /// Each folder's `SHA3SUMS`, by full path of the listed file.
    sums: HashMap<PathBuf, HashMap<PathBuf, Sha3Digest>>,
}

impl Changes {
    /// A row's shown hash went from `before` to `after`.
    pub fn count(&mut self, before: Option<Sha3Digest>, after: Option<Sha3Digest>) {
        if before == after {
            return;
        }
        if let Some(d) = before {
            if let Some(n) = self.dup_counts.get_mut(&d) {
                *n -= 1;
                if *n == 0 {
                    self.dup_counts.remove(&d);
                }
            }
        }
        if let Some(d) = after {
            *self.dup_counts.entry(d).or_default() += 1;
        }
    }

    /// How many other rows show this hash.
    pub fn duplicates(&self, digest: &Sha3Digest) -> usize {
        self.dup_counts
            .get(digest)
            .map_or(0, |n| n.saturating_sub(1))
    }

    /// Whether the table needs its marks column (a manifest or a duplicate exists).
    pub fn has_marks(&self) -> bool {
        !self.sums.is_empty() || self.dup_counts.values().any(|&n| n > 1)
    }

    /// A folder's `SHA3SUMS`, read or re-read.
    pub fn set_sums(&mut self, folder: PathBuf, sums: HashMap<PathBuf, Sha3Digest>) {
        self.sums.insert(folder, sums);
    }

    /// What its folder's `SHA3SUMS` says of the image at `path`.
    pub fn listed_for(&self, path: &Path) -> Listed {
        match self.sums.get(&folder_of(path)) {
            None => Listed::NoManifest,
            Some(sums) => sums.get(path).map_or(Listed::NotListed, |d| Listed::As(*d)),
        }
    }
}

/// What `w` writes to `folder/SHA3SUMS`: the hashes shown for the images
/// directly in it (by file name), and how many have none yet.
pub fn folder_sums(rows: &Rows, folder: &Path) -> (BTreeMap<Vec<u8>, Sha3Digest>, usize) {
    let mut hashes = BTreeMap::new();
    let mut pending = 0;
    for row in rows.iter().filter(|r| folder_of(r.path()) == folder) {
        match (row.state.digest(), row.path().file_name()) {
            (Some(d), Some(name)) => {
                hashes.insert(path_bytes(Path::new(name)).into_owned(), *d);
            }
            _ => pending += 1,
        }
    }
    (hashes, pending)
}
