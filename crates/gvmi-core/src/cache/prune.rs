//! Dropping entries for files that are gone, but not for files that are
//! merely out of reach (an unmounted disk, a network share that is down).

use std::io;
use std::path::{Path, PathBuf};

use super::{Cache, Entry};

/// Forgets entries (those `in_scope` says to look at) whose file no longer exists where
/// its folder still does, on the same device. A missing folder, or a folder
/// on another device than the file was (an empty mount point), means "not
/// mounted now": the entry is kept. Returns how many were dropped.
pub fn prune_missing(cache: &mut Cache, in_scope: impl Fn(&Path) -> bool) -> usize {
    let gone: Vec<PathBuf> = cache
        .entries()
        .filter(|(path, _)| in_scope(path))
        .filter(|(path, entry)| is_gone(path, entry))
        .map(|(path, _)| path.clone())
        .collect();
    for path in &gone {
        cache.forget(path);
    }
    gone.len()
}

fn is_gone(path: &Path, entry: &Entry) -> bool {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        // There, or unreachable for another reason (permissions, I/O): keep.
        _ => return false,
    }
    let Some(parent) = path.parent() else {
        return false;
    };
    match std::fs::metadata(parent) {
        Ok(meta) => meta.is_dir() && same_device(&meta, entry),
        Err(_) => false,
    }
}

#[cfg(unix)]
fn same_device(folder: &std::fs::Metadata, entry: &Entry) -> bool {
    use std::os::unix::fs::MetadataExt;
    folder.dev() == entry.dev
}

#[cfg(not(unix))]
fn same_device(_folder: &std::fs::Metadata, _entry: &Entry) -> bool {
    true
}
