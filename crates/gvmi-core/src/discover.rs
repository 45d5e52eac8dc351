//! Finding images: explicit arguments as given, folders walked for `*.gvmi`.
//!
//! Discovery only stats; it never opens a file, so a FIFO or device named
//! `x.gvmi` is reported here and never reaches a worker. Temporary files
//! (`.NAME.tmp-PID-RANDOM`, see `atomic_write`) are never taken for images.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::atomic_write::is_temp_name;
use crate::fsmeta::{not_regular, FileKind, FileStamp};
use crate::io_error;

/// How to walk folders.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscoverOptions {
    /// Follow symbolic links (loops are reported, never followed twice).
    pub follow: bool,
    /// Folder levels to descend below each folder argument: 0 means only the
    /// files directly in it, 1 also those in its subfolders, and so on.
    pub max_depth: Option<usize>,
}

/// One thing discovery found, in the order it found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A regular file to hash. `root` is the argument it was found under.
    Image {
        path: PathBuf,
        root: PathBuf,
        stamp: FileStamp,
    },
    /// The `-` argument: standard input.
    Stdin,
    /// Something that matched but cannot be hashed, or a folder that could not be read.
    Problem { path: PathBuf, reason: String },
    /// A symlink skipped because `--follow` was not given.
    SkippedLink { path: PathBuf },
}

/// True when the file name ends in `.gvmi`, in any letter case.
pub fn is_image_name(path: &Path) -> bool {
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gvmi"))
}

/// Walks every argument in order, each folder in sorted name order.
pub fn discover(roots: &[PathBuf], opts: DiscoverOptions, mut sink: impl FnMut(Found)) {
    for root in roots {
        discover_one(root, opts, &mut sink);
    }
}

fn discover_one(root: &Path, opts: DiscoverOptions, sink: &mut impl FnMut(Found)) {
    if root.as_os_str() == "-" {
        return sink(Found::Stdin);
    }
    // Arguments are followed like any command-line tool does with its operands.
    match fs::metadata(root) {
        Ok(meta) if meta.is_dir() => walk(root, opts, sink),
        Ok(meta) => sink(classify(root, root, &meta)),
        Err(e) => sink(problem(root, &e, fs::symlink_metadata(root).is_ok())),
    }
}

fn walk(root: &Path, opts: DiscoverOptions, sink: &mut impl FnMut(Found)) {
    let mut walker = WalkDir::new(root)
        .follow_links(opts.follow)
        .sort_by_file_name();
    if let Some(depth) = opts.max_depth {
        walker = walker.max_depth(depth.saturating_add(1));
    }
    for entry in walker {
        match entry {
            Ok(entry) => {
                // A folder named `x.gvmi` is walked like any folder, not hashed.
                if entry.depth() == 0
                    || entry.file_type().is_dir()
                    || !is_image_name(entry.path())
                    || is_temp_name(entry.file_name())
                {
                    continue;
                }
                if entry.path_is_symlink() && !opts.follow {
                    sink(Found::SkippedLink {
                        path: entry.into_path(),
                    });
                    continue;
                }
                match entry.metadata() {
                    Ok(meta) => sink(classify(entry.path(), root, &meta)),
                    Err(e) => sink(walk_problem(&e)),
                }
            }
            Err(e) if worth_reporting(&e) => sink(walk_problem(&e)),
            Err(_) => {}
        }
    }
}

fn classify(path: &Path, root: &Path, meta: &fs::Metadata) -> Found {
    match FileKind::of(meta) {
        FileKind::Regular => Found::Image {
            path: path.to_path_buf(),
            root: root.to_path_buf(),
            stamp: FileStamp::of(meta),
        },
        kind => Found::Problem {
            path: path.to_path_buf(),
            reason: io_error::message(&not_regular(kind)),
        },
    }
}

fn problem(path: &Path, e: &io::Error, is_link: bool) -> Found {
    let mut reason = io_error::message(e);
    if is_link && e.kind() == io::ErrorKind::NotFound {
        reason.push_str(" (dangling symbolic link)");
    }
    Found::Problem {
        path: path.to_path_buf(),
        reason,
    }
}

/// Every error matters (loops, unreadable folders, a tree deeper than a
/// path can name) except a name that vanished or a dangling link that does
/// not look like an image: a folder left unwalked is never skipped silently.
fn worth_reporting(e: &walkdir::Error) -> bool {
    let gone = e
        .io_error()
        .is_some_and(|io| io.kind() == io::ErrorKind::NotFound);
    match e.path() {
        Some(p) if gone && e.loop_ancestor().is_none() => {
            is_image_name(p) || fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
        }
        _ => true,
    }
}

fn walk_problem(e: &walkdir::Error) -> Found {
    let path = e.path().map(Path::to_path_buf).unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        return Found::Problem {
            path,
            reason: format!(
                "filesystem loop: links back to {}; not followed",
                ancestor.display()
            ),
        };
    }
    match e.io_error() {
        Some(io) if crate::fsmeta::is_name_too_long(io) => Found::Problem {
            path,
            reason: format!(
                "{}: the folder is nested too deep for its path to be opened; not walked",
                io_error::message(io)
            ),
        },
        Some(io) => problem(&path, io, fs::symlink_metadata(&path).is_ok()),
        None => Found::Problem {
            path,
            reason: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_matches_in_any_case_only_at_the_end() {
        assert!(is_image_name(Path::new("a/b.gvmi")));
        assert!(is_image_name(Path::new("B.GVMI")));
        assert!(is_image_name(Path::new("c.GvMi")));
        assert!(!is_image_name(Path::new("b.gvmi.descr.bin")));
        assert!(!is_image_name(Path::new("gvmi")));
        assert!(!is_image_name(Path::new("x.gvm")));
    }
}
