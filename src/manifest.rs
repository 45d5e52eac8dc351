//! `SHA3SUMS` manifests: one per folder holding images, names relative to
//! that folder, in the `sha3sum -a 224` format `gvmi check` and
//! `sha3sum -a 224 -c` read (run from inside the folder).

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use crate::atomic_write::atomic_write;
use crate::digest::Sha3Digest;
use crate::sumline::{bytes_path, gnu_line, parse_line, path_bytes, Line};

/// The manifest's file name, the one release folders use for other hashes.
pub const FILE_NAME: &str = "SHA3SUMS";

/// Hashes gathered per folder, to be written as that folder's SHA3SUMS.
#[derive(Debug, Default)]
pub struct Manifests {
    folders: BTreeMap<PathBuf, BTreeMap<Vec<u8>, Sha3Digest>>,
}

/// The folder holding `path` (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Manifests {
    pub fn add(&mut self, path: &Path, digest: Sha3Digest) {
        let Some(name) = path.file_name() else {
            return;
        };
        let name = path_bytes(Path::new(name)).into_owned();
        self.folders
            .entry(folder_of(path))
            .or_default()
            .insert(name, digest);
    }

    /// Writes every folder's manifest; returns how many could not be written
    /// (each named on stderr).
    pub fn write_all(&self, verbose: bool) -> usize {
        let mut failed = 0;
        for (folder, hashes) in &self.folders {
            let path = folder.join(FILE_NAME);
            match write_folder(folder, hashes) {
                Ok(n) if verbose => eprintln!("gvmi: wrote {} ({n} entries)", path.display()),
                Ok(_) => {}
                Err(e) => {
                    failed += 1;
                    eprintln!(
                        "gvmi: {}: not written: {}",
                        path.display(),
                        crate::hasher::io_message(&e)
                    );
                }
            }
        }
        failed
    }
}

/// Writes `folder/SHA3SUMS` with `hashes`, keeping the lines of an existing
/// manifest for other files that still exist (hashed by someone else, or
/// not images). Returns the number of entries written.
pub fn write_folder(folder: &Path, hashes: &BTreeMap<Vec<u8>, Sha3Digest>) -> io::Result<usize> {
    let mut all = hashes.clone();
    for (name, digest) in read_entries(&folder.join(FILE_NAME)).unwrap_or_default() {
        if !all.contains_key(&name) && folder.join(bytes_path(&name)).is_file() {
            all.insert(name, digest);
        }
    }
    let mut text = Vec::new();
    for (name, digest) in &all {
        text.extend(gnu_line(digest, name));
    }
    atomic_write(&folder.join(FILE_NAME), &text)?;
    Ok(all.len())
}

/// The entries of a checksum file, by name as written (improper lines skipped).
pub fn read_entries(path: &Path) -> io::Result<Vec<(Vec<u8>, Sha3Digest)>> {
    let bytes = std::fs::read(path)?;
    Ok(bytes
        .split(|&b| b == b'\n')
        .filter_map(|raw| match parse_line(raw) {
            Line::Entry { digest, name } => Some((name, digest)),
            _ => None,
        })
        .collect())
}

/// What `folder/SHA3SUMS` says each file's hash is, keyed by full path
/// (`folder` joined with the listed name); `None` when there is no manifest.
pub fn read_opinions(folder: &Path) -> Option<HashMap<PathBuf, Sha3Digest>> {
    let entries = read_entries(&folder.join(FILE_NAME)).ok()?;
    Some(
        entries
            .into_iter()
            .map(|(name, digest)| (folder.join(bytes_path(&name)), digest))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_relative_escaped_names_and_keeps_other_files_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let other = Sha3Digest([9; 28]);
        std::fs::write(
            dir.path().join(FILE_NAME),
            gnu_line(&other, b"notes.txt")
                .iter()
                .chain(gnu_line(&other, b"gone.gvmi").iter())
                .copied()
                .collect::<Vec<u8>>(),
        )
        .unwrap();
        let mut m = Manifests::default();
        m.add(&dir.path().join("a\nb.gvmi"), Sha3Digest([1; 28]));
        assert_eq!(m.write_all(false), 0);
        let entries = read_entries(&dir.path().join(FILE_NAME)).unwrap();
        let names: Vec<&[u8]> = entries.iter().map(|(n, _)| n.as_slice()).collect();
        assert_eq!(names, [&b"a\nb.gvmi"[..], b"notes.txt"]);
        let opinions = read_opinions(dir.path()).unwrap();
        assert_eq!(opinions[&dir.path().join("a\nb.gvmi")], Sha3Digest([1; 28]));
    }
}
