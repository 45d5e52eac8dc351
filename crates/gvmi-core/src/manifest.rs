//! `SHA3SUMS` manifests: one per folder holding images, names relative to
//! that folder, in the `sha3sum -a 224` format `gvmi check` and
//! `sha3sum -a 224 -c` read (run from inside the folder).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use crate::atomic_write::atomic_write;
use crate::digest::Sha3Digest;
use crate::fsmeta::{cap, read_regular, read_regular_nofollow};
use crate::lock::{Lock, PATIENCE};
use crate::sumline::{bytes_path, gnu_line, parse_line, path_bytes, Line};
use crate::visible::visible_path;

/// The manifest's file name, the one release folders use for other hashes.
pub const FILE_NAME: &str = "SHA3SUMS";

/// The lock file held around a read-merge-write of the folder's manifest,
/// so two gvmi writing one folder at once never lose each other's lines.
pub(crate) const LOCK_NAME: &str = ".SHA3SUMS.lock";

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
    /// (each named on stderr). `replace`: an existing manifest that cannot be
    /// read is replaced instead of kept (see [`write_folder_with`]).
    pub fn write_all(&self, verbose: bool, replace: bool) -> usize {
        let mut failed = 0;
        for (folder, hashes) in &self.folders {
            let path = folder.join(FILE_NAME);
            match write_folder_with(folder, hashes, replace) {
                Ok(n) if verbose => eprintln!("gvmi: wrote {} ({n} entries)", visible_path(&path)),
                Ok(_) => {}
                Err(e) => {
                    failed += 1;
                    eprintln!(
                        "gvmi: {}: not written: {}",
                        visible_path(&path),
                        crate::io_error::message(&e)
                    );
                }
            }
        }
        failed
    }
}

/// [`write_folder_with`], never replacing a manifest it cannot read.
pub fn write_folder(folder: &Path, hashes: &BTreeMap<Vec<u8>, Sha3Digest>) -> io::Result<usize> {
    write_folder_with(folder, hashes, false)
}

/// Writes `folder/SHA3SUMS` with `hashes`. The existing manifest's lines are
/// kept in their order: an entry for a name in `hashes` gets its new hash in
/// place, entries for other files that still exist, comments, blank lines
/// and lines for other algorithms stay as they were; entries for files gone
/// from the folder are dropped. New names follow, sorted. Returns the number
/// of entries written.
///
/// An existing manifest that cannot be read (a FIFO, a device, a symbolic
/// link, over [`cap::MANIFEST`], no permission) is left untouched and this fails,
/// unless `replace` says to write a new one in its place.
///
/// The read, merge and write happen under the folder's [`LOCK_NAME`], so a
/// concurrent writer's new lines are read before this one's are added.
pub(crate) fn write_folder_with(
    folder: &Path,
    hashes: &BTreeMap<Vec<u8>, Sha3Digest>,
    replace: bool,
) -> io::Result<usize> {
    let path = folder.join(FILE_NAME);
    let _lock = Lock::acquire(&folder.join(LOCK_NAME), PATIENCE)?;
    // Not through a link: its target's lines would end up in this file.
    let old = match read_regular_nofollow(&path, cap::MANIFEST) {
        Ok((bytes, _)) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound || replace => Vec::new(),
        Err(e) => {
            let why = crate::io_error::message(&e);
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "the existing file cannot be read ({why}); left untouched so none of its \
                     lines is lost (--replace-sums writes a new one)"
                ),
            ));
        }
    };
    let (text, entries) = merge(folder, &old, hashes);
    atomic_write(&path, &text)?;
    Ok(entries)
}

/// The new manifest's bytes and its entry count (see [`write_folder_with`]).
fn merge(folder: &Path, old: &[u8], hashes: &BTreeMap<Vec<u8>, Sha3Digest>) -> (Vec<u8>, usize) {
    let mut text = Vec::with_capacity(old.len() + hashes.len() * 100);
    let mut written = BTreeSet::new();
    let mut entries = 0;
    let lines = old.strip_suffix(b"\n").unwrap_or(old);
    for raw in lines.split(|&b| b == b'\n').filter(|_| !old.is_empty()) {
        match parse_line(raw) {
            Line::Entry { name, .. } => {
                if let Some(digest) = hashes.get(&name) {
                    // A second line for the same name would only repeat it.
                    if written.insert(name.clone()) {
                        text.extend(gnu_line(digest, &name));
                        entries += 1;
                    }
                    continue;
                }
                if !folder.join(bytes_path(&name)).is_file() {
                    continue;
                }
                entries += 1;
            }
            Line::Skip | Line::Malformed => {}
        }
        text.extend_from_slice(raw);
        text.push(b'\n');
    }
    for (name, digest) in hashes.iter().filter(|(n, _)| !written.contains(*n)) {
        text.extend(gnu_line(digest, name));
        entries += 1;
    }
    (text, entries)
}

/// The entries of a checksum file, by name as written (improper lines
/// skipped). Regular files of at most [`cap::MANIFEST`] bytes only.
pub(crate) fn read_entries(path: &Path) -> io::Result<Vec<(Vec<u8>, Sha3Digest)>> {
    let (bytes, _) = read_regular(path, cap::MANIFEST)?;
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
        assert_eq!(m.write_all(false, false), 0);
        let entries = read_entries(&dir.path().join(FILE_NAME)).unwrap();
        let names: Vec<&[u8]> = entries.iter().map(|(n, _)| n.as_slice()).collect();
        assert_eq!(names, [&b"notes.txt"[..], b"a\nb.gvmi"]);
        let opinions = read_opinions(dir.path()).unwrap();
        assert_eq!(opinions[&dir.path().join("a\nb.gvmi")], Sha3Digest([1; 28]));
    }

    #[test]
    fn comments_other_algorithms_and_order_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.gvmi", "a.gvmi"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let old = Sha3Digest([3; 28]);
        let mut text = b"# release 1.2\n".to_vec();
        text.extend(gnu_line(&old, b"b.gvmi"));
        text.extend_from_slice(b"SHA3-256 (b.gvmi) = 00ff\n\n");
        text.extend(gnu_line(&old, b"a.gvmi"));
        std::fs::write(dir.path().join(FILE_NAME), &text).unwrap();
        let new = Sha3Digest([4; 28]);
        let hashes = BTreeMap::from([(b"a.gvmi".to_vec(), new), (b"c.gvmi".to_vec(), new)]);
        assert_eq!(write_folder(dir.path(), &hashes).unwrap(), 3);
        let mut want = b"# release 1.2\n".to_vec();
        want.extend(gnu_line(&old, b"b.gvmi"));
        want.extend_from_slice(b"SHA3-256 (b.gvmi) = 00ff\n\n");
        want.extend(gnu_line(&new, b"a.gvmi"));
        want.extend(gnu_line(&new, b"c.gvmi"));
        assert_eq!(std::fs::read(dir.path().join(FILE_NAME)).unwrap(), want);
    }

    #[test]
    fn an_unreadable_manifest_is_kept_unless_replacing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::create_dir(&path).unwrap(); // unreadable as a file
        let hashes = BTreeMap::from([(b"a.gvmi".to_vec(), Sha3Digest([1; 28]))]);
        let err = write_folder(dir.path(), &hashes).unwrap_err();
        assert!(err.to_string().contains("left untouched"), "{err}");
        assert!(path.is_dir());
        std::fs::remove_dir(&path).unwrap();
        std::fs::write(&path, vec![b'#'; cap::MANIFEST as usize + 1]).unwrap();
        assert!(write_folder(dir.path(), &hashes).is_err());
        assert_eq!(write_folder_with(dir.path(), &hashes, true).unwrap(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_manifest_is_never_read_through() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("shadow");
        std::fs::write(&secret, "root:$6$salt$hash:19000:0:99999:7:::\n").unwrap();
        let path = dir.path().join(FILE_NAME);
        std::os::unix::fs::symlink(&secret, &path).unwrap();
        let hashes = BTreeMap::from([(b"a.gvmi".to_vec(), Sha3Digest([1; 28]))]);
        let err = write_folder(dir.path(), &hashes).unwrap_err().to_string();
        assert!(
            err.contains("(a symbolic link; not followed); left untouched"),
            "{err}"
        );
        assert!(std::fs::symlink_metadata(&path).unwrap().is_symlink());
        // Asked to replace it: a new file in the link's place, none of the
        // target's lines in it, the target untouched.
        assert_eq!(write_folder_with(dir.path(), &hashes, true).unwrap(), 1);
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            !written.contains("root:") && written.ends_with("  a.gvmi\n"),
            "{written}"
        );
        assert!(std::fs::read_to_string(&secret)
            .unwrap()
            .starts_with("root:"));
    }
}
