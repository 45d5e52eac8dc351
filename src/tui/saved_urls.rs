//! URLs set in the workbench (`e` per image, `b` per folder), kept across
//! restarts in gvmi's state folder, beside the hash cache.
//!
//! A small versioned JSON file, read through a regular-file-only open with
//! a size cap and written atomically. Each save re-reads the file and
//! applies this session's changes, so two workbenches do not undo each
//! other's URLs. All of it runs on the keeper's own thread, never the UI's.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use std::time::Duration;

use crossbeam_channel::{bounded, unbounded, Receiver, RecvTimeoutError, Sender};
use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "workbench-urls.v1.json";
const VERSION: u32 = 1;
/// How a failed save's message begins.
pub const NOT_SAVED: &str = "URLs not saved";
/// Thousands of URLs fit; a file larger than this is not ours to read.
const MAX_BYTES: u64 = 4 << 20;

/// The file's contents: URLs by absolute path (paths that are not UTF-8
/// are not kept: JSON keys are text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedUrls {
    version: u32,
    #[serde(default)]
    images: BTreeMap<String, String>,
    #[serde(default)]
    folders: BTreeMap<String, String>,
}

/// One URL set (`Some`) or cleared (`None`) in the workbench.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlChange {
    Image(PathBuf, Option<String>),
    Folder(PathBuf, Option<String>),
}

impl SavedUrls {
    /// The file at `path`; a missing file is empty. Anything else that
    /// goes wrong (not a regular file, too big, not ours) is an error.
    pub fn load(path: &Path) -> Result<SavedUrls, String> {
        let bytes = match read_capped(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                let words = gvmi_core::io_error::message(&e);
                return Err(format!("{}: {words}", path.display()));
            }
        };
        let saved: SavedUrls = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{}: not a saved-URLs file ({e})", path.display()))?;
        if saved.version != VERSION {
            return Err(format!(
                "{}: version {} (this gvmi reads {VERSION})",
                path.display(),
                saved.version
            ));
        }
        Ok(saved)
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut json = serde_json::to_vec_pretty(&Self {
            version: VERSION,
            ..self.clone()
        })?;
        json.push(b'\n');
        gvmi_core::atomic_write::atomic_write(path, &json)
    }

    pub fn apply(&mut self, change: &UrlChange) {
        let (map, path, url) = match change {
            UrlChange::Image(p, u) => (&mut self.images, p, u),
            UrlChange::Folder(p, u) => (&mut self.folders, p, u),
        };
        let Some(key) = path.to_str() else { return };
        match url {
            Some(url) => map.insert(key.to_string(), url.clone()),
            None => map.remove(key),
        };
    }

    pub fn images(&self) -> HashMap<PathBuf, String> {
        by_path(&self.images)
    }

    pub fn folders(&self) -> HashMap<PathBuf, String> {
        by_path(&self.folders)
    }
}

fn by_path(map: &BTreeMap<String, String>) -> HashMap<PathBuf, String> {
    map.iter()
        .map(|(p, u)| (PathBuf::from(p), u.clone()))
        .collect()
}

/// Opened like an image (never blocks on a FIFO), read once, bounded.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    gvmi_core::fsmeta::read_regular(path, MAX_BYTES).map(|(bytes, _)| bytes)
}

/// Where the file lives: gvmi's cache folder (state, not configuration).
pub fn default_path() -> Option<PathBuf> {
    gvmi_core::user_dirs::UserDir::Cache
        .path()
        .map(|d| d.join(FILE_NAME))
}

/// The thread that keeps the URLs: changes go in with [`UrlKeeper::send`];
/// [`UrlKeeper::finish`] waits for them to be written.
pub struct UrlKeeper {
    changes: Sender<UrlChange>,
    /// Disconnected when the thread has ended (its sender is dropped then).
    ended: Receiver<()>,
}

impl UrlKeeper {
    pub fn send(&self, change: UrlChange) {
        let _ = self.changes.send(change);
    }

    /// On quit: no more changes; waits at most `limit` for those sent to be
    /// written, so `q` right after `e` keeps the URL. False if it timed out.
    pub fn finish(self, limit: Duration) -> bool {
        drop(self.changes);
        matches!(
            self.ended.recv_timeout(limit),
            Err(RecvTimeoutError::Disconnected)
        )
    }
}

/// Starts the thread that loads the file (reported through `loaded`) and
/// then writes each change sent to the returned keeper.
pub fn spawn(
    path: Option<PathBuf>,
    loaded: impl FnOnce(Result<SavedUrls, String>) + Send + 'static,
    failed: impl Fn(String) + Send + 'static,
) -> UrlKeeper {
    let (tx, rx) = unbounded::<UrlChange>();
    let (ending, ended) = bounded::<()>(0);
    std::thread::Builder::new()
        .name("gvmi-urls".into())
        .spawn(move || {
            let _ending = ending; // dropped as the thread ends: `finish` sees it
            let Some(path) = path else {
                loaded(Err("no state folder (set XDG_CACHE_HOME or HOME)".into()));
                return;
            };
            loaded(SavedUrls::load(&path));
            while let Ok(change) = rx.recv() {
                let mut changes = vec![change];
                changes.extend(rx.try_iter());
                if let Err(why) = save_changes(&path, &changes) {
                    failed(why);
                }
            }
        })
        .expect("spawning the URL keeper thread");
    UrlKeeper { changes: tx, ended }
}

/// Re-reads the file, applies `changes`, writes it back. A file that
/// cannot be read is left alone rather than replaced with less.
fn save_changes(path: &Path, changes: &[UrlChange]) -> Result<(), String> {
    let mut saved = SavedUrls::load(path).map_err(|e| format!("{NOT_SAVED}: {e}"))?;
    for change in changes {
        saved.apply(change);
    }
    saved.save(path).map_err(|e| {
        let words = gvmi_core::io_error::message(&e);
        format!("{NOT_SAVED}: {}: {words}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_survive_a_round_trip_and_merge_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gvmi").join(FILE_NAME);
        let img = PathBuf::from("/images/a.gvmi");
        save_changes(
            &path,
            &[UrlChange::Image(
                img.clone(),
                Some("https://x/a.gvmi".into()),
            )],
        )
        .unwrap();
        // Another session adds a folder URL: the image URL stays.
        save_changes(
            &path,
            &[UrlChange::Folder(
                "/images".into(),
                Some("https://x/".into()),
            )],
        )
        .unwrap();
        let saved = SavedUrls::load(&path).unwrap();
        assert_eq!(saved.images()[&img], "https://x/a.gvmi");
        assert_eq!(saved.folders()[Path::new("/images")], "https://x/");
        save_changes(&path, &[UrlChange::Image(img.clone(), None)]).unwrap();
        assert!(SavedUrls::load(&path).unwrap().images().is_empty());
    }

    /// Quitting right after a change: `finish` returns once it is written.
    #[test]
    fn finish_waits_for_the_last_change_to_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let keeper = spawn(Some(path.clone()), |_| {}, |why| panic!("{why}"));
        let img = PathBuf::from("/images/a.gvmi");
        keeper.send(UrlChange::Image(
            img.clone(),
            Some("https://x/a.gvmi".into()),
        ));
        assert!(keeper.finish(Duration::from_secs(10)));
        assert_eq!(
            SavedUrls::load(&path).unwrap().images()[&img],
            "https://x/a.gvmi"
        );
    }

    #[test]
    fn missing_is_empty_and_garbage_is_an_error_left_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(SavedUrls::load(&path).unwrap(), SavedUrls::default());
        std::fs::write(&path, b"not json").unwrap();
        let err = SavedUrls::load(&path).unwrap_err();
        assert!(err.contains("not a saved-URLs file"), "{err}");
        let change = UrlChange::Folder("/f".into(), Some("https://x/".into()));
        assert!(save_changes(&path, &[change]).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"not json");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_huge_file_is_refused_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.json");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(SavedUrls::load(&fifo).is_err());
        let big = dir.path().join("big.json");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        assert!(SavedUrls::load(&big).unwrap_err().contains("too large"));
    }
}
