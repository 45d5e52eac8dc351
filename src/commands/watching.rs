//! `gvmi hash --watch`: after the first pass, a line for each image that
//! appears or changes under the folders, once it has held still.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use crossbeam_channel::{unbounded, Receiver};

use super::cached::CachePolicy;
use super::out::{warn, write_stdout};
use gvmi_core::cache::{self, Session};
use gvmi_core::cancel::CancelToken;
use gvmi_core::discover::is_image_name;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{self, HashFailure};
use gvmi_core::sumline::{gnu_line, path_bytes};
use gvmi_core::watch::{self, Change, WatchHandle};

/// Started before the first pass, so nothing written during it is missed.
pub struct Watching {
    _handle: WatchHandle,
    changes: Receiver<Change>,
    /// What was last reported per file (absolute path), so an event that
    /// changed nothing (a read, a chmod back) prints nothing.
    reported: HashMap<PathBuf, FileStamp>,
    /// (as watched, as given): the watcher names files under the former,
    /// lines name them under the latter, like the first pass did.
    roots: Vec<(PathBuf, PathBuf)>,
}

impl Watching {
    pub fn start(paths: &[PathBuf]) -> anyhow::Result<Watching> {
        let roots: Vec<(PathBuf, PathBuf)> = paths
            .iter()
            .filter(|p| p.is_dir())
            .filter_map(|p| Some((std::fs::canonicalize(p).ok()?, p.clone())))
            .collect();
        anyhow::ensure!(!roots.is_empty(), "--watch needs a folder to watch");
        let folders = roots.iter().map(|(watched, _)| watched.clone()).collect();
        let (tx, changes) = unbounded();
        let handle = watch::spawn(folders, watch::settle_time(), move |c| tx.send(c).is_ok())?;
        Ok(Watching {
            _handle: handle,
            changes,
            reported: HashMap::new(),
            roots,
        })
    }

    /// `path` under the folder as the user named it.
    fn as_given(&self, path: &Path) -> PathBuf {
        self.roots
            .iter()
            .find_map(|(watched, given)| Some(given.join(path.strip_prefix(watched).ok()?)))
            .unwrap_or_else(|| path.to_path_buf())
    }

    /// A result of the first pass: not news when the watcher sees it again.
    pub fn seen(&mut self, path: &Path, stamp: FileStamp) {
        self.reported.insert(cache::key(path), stamp);
    }

    /// Runs until the watcher ends (or the process is stopped).
    pub fn follow(mut self, policy: CachePolicy) -> anyhow::Result<ExitCode> {
        let mut cache = Session::open(policy.enabled);
        for change in self.changes.iter() {
            match change {
                Change::Settled { path, stamp, .. } if is_image_name(&path) => {
                    let key = cache::key(&path);
                    if self.reported.get(&key) == Some(&stamp) {
                        continue;
                    }
                    let began = SystemTime::now();
                    match hasher::hash_file(&path, &CancelToken::new(), |_| {}) {
                        Ok(hashed) => {
                            let shown = self.as_given(&path);
                            write_stdout(&gnu_line(&hashed.digest, &path_bytes(&shown)))?;
                            self.reported.insert(key.clone(), hashed.stamp);
                            cache.learn(&path, &hashed, began);
                        }
                        // It moved again: the watcher reports it once it settles.
                        Err(HashFailure::Changed) => {}
                        Err(e) => warn(gvmi_core::visible::visible_path(&path), e),
                    }
                }
                Change::Removed { path } if is_image_name(&path) => {
                    let key = cache::key(&path);
                    self.reported.remove(&key);
                    cache.forget(&path);
                }
                _ => continue,
            }
            if let Err(e) = cache.save() {
                warn("cache", gvmi_core::io_error::message(&e.error));
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
