//! The hash cache: what every image hashed before was, keyed by its absolute
//! path and trusted only while device, inode, size, mtime and ctime (all to
//! the nanosecond) still match. See `format` for the file and why a file.

pub(crate) mod format;
mod prune;
mod session;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::atomic_write::atomic_write;
use crate::digest::Sha3Digest;
use crate::fsmeta::FileStamp;
use crate::hasher::Hashed;
use crate::lock::{Lock, PATIENCE};

pub use prune::prune_missing;
pub use session::{NotSaved, Session};

/// File timestamps move in clock ticks (a few ms on Linux). A file changed
/// within a tick of being hashed could change again with the same stamp, so
/// results for files touched this close to the start of hashing are not
/// kept (git's "racy clean" rule).
pub const RACY_WINDOW: Duration = Duration::from_millis(100);

/// What the cache remembers about one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub(crate) dev: u64,
    pub(crate) ino: u64,
    pub(crate) size: u64,
    pub(crate) mtime_ns: i64,
    pub(crate) ctime_ns: i64,
    pub(crate) digest: Sha3Digest,
}

/// No ctime known (non-Unix): the other fields must carry the match.
const UNKNOWN: i64 = i64::MIN;

impl Entry {
    /// The entry for `digest` at `stamp`; none if the stamp lacks an mtime.
    pub fn new(stamp: &FileStamp, digest: Sha3Digest) -> Option<Entry> {
        let id = stamp.id.unwrap_or(crate::fsmeta::FileId { dev: 0, ino: 0 });
        Some(Entry {
            dev: id.dev,
            ino: id.ino,
            size: stamp.size,
            mtime_ns: nanos(stamp.mtime?)?,
            ctime_ns: match stamp.ctime {
                Some(t) => nanos(t)?,
                None => UNKNOWN,
            },
            digest,
        })
    }

    /// True when the file at `stamp` is, as far as metadata can tell, the file hashed.
    pub(crate) fn matches(&self, stamp: &FileStamp) -> bool {
        Entry::new(stamp, self.digest).is_some_and(|now| now == *self)
    }
}

/// Nanoseconds since the epoch; `None` outside i64 (years 1677..2262).
fn nanos(t: SystemTime) -> Option<i64> {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).ok(),
        Err(e) => i64::try_from(e.duration().as_nanos()).ok().map(|n| -n),
    }
}

/// What the cache says about a file about to be hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Unchanged since hashed: this is its hash, no read needed.
    Hit(Sha3Digest),
    /// Known, but its metadata moved: it must be rehashed; this was its hash.
    Stale(Sha3Digest),
    Miss,
}

/// The cache as loaded, plus this process's changes not yet saved.
#[derive(Debug, Default)]
pub struct Cache {
    /// Where it is saved; `None` for `--no-cache` (nothing read or written).
    file: Option<PathBuf>,
    entries: HashMap<PathBuf, Entry>,
    /// Upserts (`Some`) and removals (`None`) to merge into the file on save.
    changes: HashMap<PathBuf, Option<Entry>>,
    /// Why the file on disk could not be used, said once by whoever opened it.
    pub problem: Option<String>,
    /// The file's stamp when it was read: if it still holds at save, no other
    /// process saved since, and the file is not read a second time.
    loaded: Option<FileStamp>,
}

/// `$XDG_CACHE_HOME/gvmi/hashes.v1.bin`, else `~/.cache/gvmi/…` (Unix);
/// the platform's cache folder elsewhere.
pub fn default_path() -> Option<PathBuf> {
    let name = format!("hashes.v{}.bin", format::FORMAT_VERSION);
    crate::user_dirs::UserDir::Cache
        .path()
        .map(|d| d.join(name))
}

/// The cache's key for the image at `path`: its canonical spelling, so
/// `../x/a.gvmi` and a symbolic link to the folder find one entry
/// (`cache::Session` resolves each folder once).
pub fn key(path: &Path) -> PathBuf {
    crate::canonical::of(path)
}

impl Cache {
    /// A cache that remembers nothing and never touches the disk.
    pub(crate) fn disabled() -> Cache {
        Cache::default()
    }

    /// The user's cache; disabled when there is no cache folder.
    pub(crate) fn open_default() -> Cache {
        match default_path() {
            Some(path) => Cache::open(&path),
            None => Cache::disabled(),
        }
    }

    /// Reads the file at `path`. A missing file is an empty cache; an
    /// unreadable or corrupt one is empty too, with `problem` saying why
    /// (it is replaced whole on the next save).
    pub fn open(path: &Path) -> Cache {
        let (entries, problem, loaded) = match read(path) {
            Ok((entries, stamp)) => (entries, None, stamp),
            Err((why, stamp)) => (HashMap::new(), Some(why), stamp),
        };
        Cache {
            file: Some(path.to_path_buf()),
            entries,
            changes: HashMap::new(),
            problem,
            loaded,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = (&PathBuf, &Entry)> {
        self.entries.iter()
    }

    /// `path` must be absolute (see [`key`]).
    pub fn lookup(&self, path: &Path, stamp: &FileStamp) -> Lookup {
        match self.entries.get(path) {
            Some(e) if e.matches(stamp) => Lookup::Hit(e.digest),
            Some(e) => Lookup::Stale(e.digest),
            None => Lookup::Miss,
        }
    }

    /// Remembers a fresh result for `path` (absolute), unless the file was
    /// changed within [`RACY_WINDOW`] of `hashing_began`. Returns whether kept.
    pub fn record(&mut self, path: &Path, hashed: &Hashed, hashing_began: SystemTime) -> bool {
        if self.file.is_none() {
            return false;
        }
        let newest = hashed.stamp.mtime.max(hashed.stamp.ctime);
        let settled = newest.is_some_and(|t| t + RACY_WINDOW < hashing_began);
        match Entry::new(&hashed.stamp, hashed.digest).filter(|_| settled) {
            Some(entry) => {
                if self.entries.get(path) != Some(&entry) {
                    self.entries.insert(path.to_path_buf(), entry);
                    self.changes.insert(path.to_path_buf(), Some(entry));
                }
                true
            }
            None => {
                // An older entry for it is wrong now either way.
                self.forget(path);
                false
            }
        }
    }

    pub fn forget(&mut self, path: &Path) {
        if self.entries.remove(path).is_some() {
            self.changes.insert(path.to_path_buf(), None);
        }
    }

    /// Forgets everything, on disk too (under the lock).
    pub fn clear(&mut self) -> io::Result<()> {
        self.entries.clear();
        self.changes.clear();
        let Some(file) = &self.file else {
            return Ok(());
        };
        let _lock = Lock::acquire(&lock_path(file), PATIENCE)?;
        match std::fs::remove_file(file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// True when there is something to save.
    pub(crate) fn is_dirty(&self) -> bool {
        self.file.is_some() && (!self.changes.is_empty() || self.problem.is_some())
    }

    /// Merges this process's changes into the file as it is now (another
    /// gvmi may have saved since we read it) and replaces it atomically.
    pub fn save(&mut self) -> io::Result<()> {
        if !self.is_dirty() {
            return Ok(());
        }
        let file = self.file.clone().expect("is_dirty implies a file");
        let _lock = Lock::acquire(&lock_path(&file), PATIENCE)?;
        let unchanged =
            std::fs::metadata(&file).is_ok_and(|m| self.loaded == Some(FileStamp::of(&m)));
        let mut merged = if unchanged {
            // Nobody saved since we read it: what we hold is the file plus our changes.
            std::mem::take(&mut self.entries)
        } else {
            // Unusable now: already reported at open, or broken since; rebuilt either way.
            read(&file).map(|(entries, _)| entries).unwrap_or_default()
        };
        for (path, change) in self.changes.drain() {
            match change {
                Some(entry) => merged.insert(path, entry),
                None => merged.remove(&path),
            };
        }
        let written = atomic_write(&file, &format::encode(&merged));
        self.entries = merged;
        written?;
        self.problem = None;
        self.loaded = std::fs::metadata(&file).ok().map(|m| FileStamp::of(&m));
        Ok(())
    }
}

fn lock_path(file: &Path) -> PathBuf {
    file.with_extension("lock")
}

type Stamped<T> = (T, Option<FileStamp>);

/// The entries in the file at `path` (a missing file is empty), and the
/// stamp of the file read. Read once, regular files only, at most
/// [`cap::CACHE`](crate::fsmeta::cap::CACHE) bytes.
fn read(path: &Path) -> Result<Stamped<HashMap<PathBuf, Entry>>, Stamped<String>> {
    match crate::fsmeta::read_regular(path, crate::fsmeta::cap::CACHE) {
        Ok((bytes, meta)) => {
            let stamp = Some(FileStamp::of(&meta));
            match format::decode(&bytes) {
                Ok(entries) => Ok((entries, stamp)),
                Err(e) => Err((e.to_string(), stamp)),
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((HashMap::new(), None)),
        Err(e) => Err((crate::io_error::message(&e), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsmeta::FileId;

    fn stamp(secs: u64) -> FileStamp {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
        FileStamp {
            size: 5,
            mtime: Some(t),
            id: Some(FileId { dev: 1, ino: 2 }),
            ctime: Some(t),
        }
    }

    fn hashed(secs: u64, seed: u8) -> Hashed {
        Hashed {
            digest: Sha3Digest([seed; 28]),
            stamp: stamp(secs),
        }
    }

    #[test]
    fn hit_only_while_every_field_matches() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("c.bin"));
        let p = Path::new("/x/a.gvmi");
        assert!(cache.record(p, &hashed(100, 7), SystemTime::now()));
        assert_eq!(
            cache.lookup(p, &stamp(100)),
            Lookup::Hit(Sha3Digest([7; 28]))
        );
        let mut other = stamp(100);
        other.ctime = Some(SystemTime::UNIX_EPOCH + Duration::from_secs(101));
        assert_eq!(cache.lookup(p, &other), Lookup::Stale(Sha3Digest([7; 28])));
        other = stamp(100);
        other.id = Some(FileId { dev: 1, ino: 3 });
        assert_eq!(cache.lookup(p, &other), Lookup::Stale(Sha3Digest([7; 28])));
    }

    #[test]
    fn racy_results_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("c.bin"));
        let began = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
        assert!(!cache.record(Path::new("/a"), &hashed(100, 1), began));
    }

    #[test]
    fn saves_merge_with_what_another_process_saved() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.bin");
        let now = SystemTime::now();
        let mut one = Cache::open(&file);
        let mut two = Cache::open(&file);
        one.record(Path::new("/one"), &hashed(1, 1), now);
        two.record(Path::new("/two"), &hashed(2, 2), now);
        one.save().unwrap();
        two.save().unwrap();
        let three = Cache::open(&file);
        assert_eq!(three.len(), 2);
        assert!(three.problem.is_none());
    }

    #[test]
    fn a_corrupt_file_is_reported_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.bin");
        std::fs::write(&file, b"GVMIHASH garbage").unwrap();
        let mut cache = Cache::open(&file);
        assert!(cache.problem.is_some());
        cache.save().unwrap();
        let again = Cache::open(&file);
        assert!(again.problem.is_none());
    }
}
