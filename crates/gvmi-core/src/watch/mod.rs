//! Watch mode: folders are watched (the `notify` crate: inotify, FSEvents,
//! ReadDirectoryChangesW) and each image that appears, changes or goes is
//! reported once it has settled (see `settle`). No async runtime: one
//! thread turns notify's events into `Change`s.

pub(crate) mod settle;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};
use std::sync::mpsc::{channel, RecvTimeoutError};

use crate::discover::is_image_name;
use crate::fsmeta::{FileKind, FileStamp};
use crate::manifest;
use settle::{Settler, Verdict};

/// How long a file must hold still before it is hashed: `GVMI_WATCH_SETTLE_MS`
/// (tests shorten it), else one second.
pub fn settle_time() -> Duration {
    std::env::var("GVMI_WATCH_SETTLE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// How often pending files are looked at.
const TICK: Duration = Duration::from_millis(100);

/// Something that happened to an image (or a `SHA3SUMS`) under a watched folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// It is being written: not hashed until it settles.
    Writing {
        path: PathBuf,
        root: PathBuf,
    },
    /// New or rewritten, and now still: hash it.
    Settled {
        path: PathBuf,
        root: PathBuf,
        stamp: FileStamp,
    },
    Removed {
        path: PathBuf,
    },
}

impl Change {
    pub fn path(&self) -> &PathBuf {
        match self {
            Self::Writing { path, .. } | Self::Settled { path, .. } | Self::Removed { path } => {
                path
            }
        }
    }
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The system's watcher refused (e.g. inotify's limit on watches).
    #[error("{}", watcher_words(.0))]
    Watcher(#[from] notify::Error),
    /// The thread that relays changes could not be started.
    #[error("cannot start the watch thread: {}", crate::io_error::message(.0))]
    Thread(std::io::Error),
}

/// notify's words, with an I/O error's in `io_error`'s terms and the path
/// it names through `visible_path`.
fn watcher_words(e: &notify::Error) -> String {
    use notify::ErrorKind;
    let what = match &e.kind {
        ErrorKind::Io(io) => crate::io_error::message(io),
        ErrorKind::PathNotFound => "no such file or folder".into(),
        ErrorKind::WatchNotFound => "not watched".into(),
        ErrorKind::MaxFilesWatch => "the system's limit of watched folders is reached \
                                     (fs.inotify.max_user_watches on Linux)"
            .into(),
        ErrorKind::InvalidConfig(_) | ErrorKind::Generic(_) => {
            crate::visible::visible(&e.to_string()).into_owned()
        }
    };
    match e.paths.first() {
        Some(path) => format!("{}: {what}", crate::visible::visible_path(path)),
        None => what,
    }
}

/// Keeps the watch alive; dropping it stops the watcher (the thread ends
/// once `sink` refuses a change or the watcher is gone).
pub struct WatchHandle {
    _watcher: notify::RecommendedWatcher,
}

/// Watches each folder in `roots` recursively, calling `sink` from a thread
/// of its own with every settled change; `sink` returns false to stop.
pub fn spawn(
    roots: Vec<PathBuf>,
    settle: Duration,
    mut sink: impl FnMut(Change) -> bool + Send + 'static,
) -> Result<WatchHandle, WatchError> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    for root in &roots {
        watcher.watch(root, RecursiveMode::Recursive)?;
    }
    std::thread::Builder::new()
        .name("gvmi-watch".into())
        .spawn(move || {
            let mut settler = Settler::new(settle);
            loop {
                let wait = if settler.is_idle() {
                    Duration::from_secs(3600)
                } else {
                    TICK
                };
                match rx.recv_timeout(wait) {
                    Ok(Ok(event)) => note_event(&mut settler, event),
                    Ok(Err(_)) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
                for event in rx.try_iter().flatten() {
                    note_event(&mut settler, event);
                }
                for (path, verdict) in settler.poll(Instant::now(), stat_regular) {
                    let root = root_of(&roots, &path);
                    let change = match verdict {
                        Verdict::Writing => Change::Writing { path, root },
                        Verdict::Settled(stamp) => Change::Settled { path, root, stamp },
                        Verdict::Removed => Change::Removed { path },
                    };
                    if !sink(change) {
                        return;
                    }
                }
            }
        })
        .map_err(WatchError::Thread)?;
    Ok(WatchHandle { _watcher: watcher })
}

/// True for the files watch mode reports: images and folder manifests.
pub(crate) fn is_watched_name(path: &Path) -> bool {
    is_image_name(path) || path.file_name().is_some_and(|n| n == manifest::FILE_NAME)
}

fn note_event(settler: &mut Settler, event: notify::Event) {
    use notify::EventKind;
    // Opens and reads change nothing (and our own reads would feed back).
    if matches!(event.kind, EventKind::Access(_)) {
        return;
    }
    let now = Instant::now();
    let arrived = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_));
    for path in event.paths {
        if is_watched_name(&path) {
            settler.touch(path, now);
        } else if arrived && path.is_dir() {
            // A folder moved or copied in: its files may predate the watch on it.
            for entry in walkdir::WalkDir::new(&path).into_iter().flatten() {
                if entry.file_type().is_file() && is_watched_name(entry.path()) {
                    settler.touch(entry.into_path(), now);
                }
            }
        }
    }
}

fn stat_regular(path: &Path) -> std::io::Result<FileStamp> {
    let meta = std::fs::symlink_metadata(path)?;
    match FileKind::of(&meta) {
        FileKind::Regular => Ok(FileStamp::of(&meta)),
        kind => Err(crate::fsmeta::not_regular(kind)),
    }
}

fn root_of(roots: &[PathBuf], path: &Path) -> PathBuf {
    roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.as_os_str().len())
        .cloned()
        .unwrap_or_else(|| manifest::folder_of(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_errors_name_the_folder_in_io_error_words() {
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = WatchError::from(notify::Error::io(io).add_path("/srv/a\nb".into()));
        assert_eq!(e.to_string(), "/srv/a\\nb: permission denied");
        let e = WatchError::from(notify::Error::new(notify::ErrorKind::MaxFilesWatch));
        assert!(e.to_string().starts_with("the system's limit"), "{e}");
    }
}
