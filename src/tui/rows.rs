//! One row per discovered path, and how rows are ordered and filtered.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::digest::Sha3Digest;

/// Where a row's hash stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowState {
    Queued,
    Hashing {
        done: u64,
    },
    Done(Sha3Digest),
    /// Size or mtime moved while it was read: no hash is shown.
    Changed,
    Error(String),
    /// Still being written (size or mtime moving): hashed once it settles.
    Writing,
}

impl RowState {
    /// Sort rank for "by state": work in progress first, finished last.
    fn rank(&self) -> u8 {
        match self {
            Self::Hashing { .. } => 0,
            Self::Queued | Self::Writing => 1,
            Self::Error(_) => 2,
            Self::Changed => 3,
            Self::Done(_) => 4,
        }
    }

    pub fn digest(&self) -> Option<&Sha3Digest> {
        match self {
            Self::Done(d) => Some(d),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub path: PathBuf,
    /// The folder argument it was found under (itself, for a file argument).
    pub root: PathBuf,
    pub size: Option<u64>,
    pub mtime: Option<SystemTime>,
    pub state: RowState,
    /// A URL the user typed for this image (`e`), beating any base URL.
    pub url: Option<String>,
    /// The hash came from the cache: the file was not read this session.
    pub cached: bool,
    /// The hash it had before it changed (cache entry or earlier result).
    pub previous: Option<Sha3Digest>,
    /// The last rehash was asked for (`r`, `R`), not caused by a change on disk.
    pub asked: bool,
    /// What its folder's `SHA3SUMS` says about it.
    pub listed: Listed,
}

/// A folder manifest's opinion of one image: the third, beside cache and fresh hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Listed {
    /// Its folder has no `SHA3SUMS`.
    #[default]
    NoManifest,
    NotListed,
    As(Sha3Digest),
}

impl Row {
    pub fn new(path: PathBuf, root: PathBuf) -> Self {
        Row {
            path,
            root,
            size: None,
            mtime: None,
            state: RowState::Queued,
            url: None,
            cached: false,
            previous: None,
            asked: false,
            listed: Listed::NoManifest,
        }
    }

    pub fn name(&self) -> String {
        match self.path.file_name() {
            Some(n) => n.to_string_lossy().into_owned(),
            None => self.path.to_string_lossy().into_owned(),
        }
    }

    /// The file name as the OS holds it: sorting compares these, without
    /// allocating, thousands of times per keystroke.
    fn name_os(&self) -> &std::ffi::OsStr {
        self.path.file_name().unwrap_or(self.path.as_os_str())
    }

    /// The path below the scanned folder: what a base URL is joined with.
    pub fn relative_path(&self) -> &Path {
        crate::url_choice::relative_below(&self.path, &self.root)
    }

    /// The folder column: the parent relative to the scanned folder.
    pub fn folder(&self) -> String {
        match self.relative_path().parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_string_lossy().into_owned(),
            _ => ".".to_string(),
        }
    }

    /// Case-insensitive match on name or path; hash matches by prefix.
    pub fn matches(&self, needle_lower: &str) -> bool {
        if needle_lower.is_empty() {
            return true;
        }
        let path = self.path.to_string_lossy().to_lowercase();
        path.contains(needle_lower)
            || self
                .state
                .digest()
                .is_some_and(|d| d.to_hex().starts_with(needle_lower))
    }
}

/// The orders `s` cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Size,
    Modified,
    State,
}

impl SortKey {
    pub fn next(self) -> Self {
        match self {
            Self::Name => Self::Size,
            Self::Size => Self::Modified,
            Self::Modified => Self::State,
            Self::State => Self::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Size => "size ↓",
            Self::Modified => "modified ↓",
            Self::State => "state",
        }
    }

    /// Biggest and newest first: the rows a user looks for.
    pub fn compare(self, a: &Row, b: &Row) -> Ordering {
        let by_path = || a.path.cmp(&b.path);
        match self {
            Self::Name => a.name_os().cmp(b.name_os()).then_with(by_path),
            Self::Size => b.size.cmp(&a.size).then_with(by_path),
            Self::Modified => b.mtime.cmp(&a.mtime).then_with(by_path),
            Self::State => a.state.rank().cmp(&b.state.rank()).then_with(by_path),
        }
    }
}

/// Adds row `index` (just pushed) to a view already sorted by `sort`, where a
/// stable sort would put it: rows arriving one by one cost a binary search
/// each, not a full re-sort.
pub fn insert_sorted(
    view: &mut Vec<usize>,
    rows: &[Row],
    sort: SortKey,
    filter: &str,
    index: usize,
) {
    if !rows[index].matches(&filter.to_lowercase()) {
        return;
    }
    let new = &rows[index];
    let at = view.partition_point(|&i| sort.compare(&rows[i], new) != Ordering::Greater);
    view.insert(at, index);
}

/// Indices of the rows to show, filtered then sorted.
pub fn visible(rows: &[Row], sort: SortKey, filter: &str) -> Vec<usize> {
    let needle = filter.to_lowercase();
    let mut view: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].matches(&needle))
        .collect();
    view.sort_by(|&a, &b| sort.compare(&rows[a], &rows[b]));
    view
}
