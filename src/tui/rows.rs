//! One row per discovered path, and how rows are ordered and filtered.
//! A row is named by its `RowId` from arrival to removal: everything else
//! about it (jobs, inspection, URL check, the selection) points at that id,
//! never at a position, so rows can come, go and be re-sorted freely.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use gvmi_core::digest::Sha3Digest;

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
    /// No hash, and why.
    Failed(RowFailure),
    /// Still being written (size or mtime moving): hashed once it settles.
    Writing,
}

/// Why a row has no hash: the kinds the workbench tells apart, with
/// `Display` for the words shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowFailure {
    /// Discovery could not use the path (unreadable folder, special file,
    /// too deep...): its words.
    Unusable(String),
    /// Opening or reading the file failed: the OS's words.
    Unreadable(String),
    /// Its hashing was cancelled before it ended.
    Cancelled,
}

impl std::fmt::Display for RowFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unusable(why) | Self::Unreadable(why) => f.write_str(why),
            Self::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl RowState {
    /// Sort rank for "by state": work in progress first, finished last.
    fn rank(&self) -> u8 {
        match self {
            Self::Hashing { .. } => 0,
            Self::Queued | Self::Writing => 1,
            Self::Failed(_) => 2,
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

/// A row's name for its whole life; never reused within a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct RowId(u64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Given by `Rows::push`.
    id: RowId,
    /// Fixed for the row's life: `Rows` finds rows by it.
    path: PathBuf,
    /// The folder argument it was found under (itself, for a file argument).
    root: PathBuf,
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
            id: RowId::default(),
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

    pub fn id(&self) -> RowId {
        self.id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder argument it was found under (itself, for a file argument).
    pub fn root(&self) -> &Path {
        &self.root
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
        gvmi_core::url_choice::relative_below(&self.path, &self.root)
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

/// Every row, by id, in arrival order (ids only grow), and by path: the
/// watcher names a path per change, and a flood of them must not cost a
/// scan of every row each.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    rows: BTreeMap<RowId, Row>,
    /// The rows showing each path, oldest first (a path named twice on the
    /// command line shows twice).
    by_path: HashMap<PathBuf, Vec<RowId>>,
    next: u64,
}

impl Rows {
    /// Adds a row, giving it the next id.
    pub fn push(&mut self, mut row: Row) -> RowId {
        let id = RowId(self.next);
        self.next += 1;
        row.id = id;
        self.by_path.entry(row.path.clone()).or_default().push(id);
        self.rows.insert(id, row);
        id
    }

    pub fn remove(&mut self, id: RowId) -> Option<Row> {
        let row = self.rows.remove(&id)?;
        if let Some(ids) = self.by_path.get_mut(&row.path) {
            ids.retain(|&other| other != id);
            if ids.is_empty() {
                self.by_path.remove(&row.path);
            }
        }
        Some(row)
    }

    pub fn get(&self, id: RowId) -> Option<&Row> {
        self.rows.get(&id)
    }

    pub fn get_mut(&mut self, id: RowId) -> Option<&mut Row> {
        self.rows.get_mut(&id)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// In arrival order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Row> + '_ {
        self.rows.values()
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Row> + '_ {
        self.rows.values_mut()
    }

    pub fn ids(&self) -> Vec<RowId> {
        self.rows.keys().copied().collect()
    }

    /// The row showing `path` (the oldest, if several do). O(1).
    pub fn find(&self, path: &Path) -> Option<RowId> {
        self.by_path.get(path)?.first().copied()
    }
}

/// `rows[id]`: for ids known to be live (the view, the selection, live jobs).
impl std::ops::Index<RowId> for Rows {
    type Output = Row;
    fn index(&self, id: RowId) -> &Row {
        &self.rows[&id]
    }
}

impl std::ops::IndexMut<RowId> for Rows {
    fn index_mut(&mut self, id: RowId) -> &mut Row {
        self.rows.get_mut(&id).expect("a live row id")
    }
}

/// Adds row `id` (just pushed) to a view already sorted by `sort`, where a
/// stable sort would put it: rows arriving one by one cost a binary search
/// each, not a full re-sort.
pub fn insert_sorted(view: &mut Vec<RowId>, rows: &Rows, sort: SortKey, filter: &str, id: RowId) {
    let new = &rows[id];
    if !new.matches(&filter.to_lowercase()) {
        return;
    }
    let at = view.partition_point(|&i| sort.compare(&rows[i], new) != Ordering::Greater);
    view.insert(at, id);
}

/// The ids of the rows to show, filtered then sorted.
pub fn visible(rows: &Rows, sort: SortKey, filter: &str) -> Vec<RowId> {
    let needle = filter.to_lowercase();
    let mut view: Vec<&Row> = rows.iter().filter(|r| r.matches(&needle)).collect();
    view.sort_by(|a, b| sort.compare(a, b));
    view.into_iter().map(|r| r.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_path_until_removed_the_oldest_first() {
        let mut rows = Rows::default();
        let row = |p: &str| Row::new(p.into(), "/r".into());
        let a = rows.push(row("/r/a.gvmi"));
        let twice = rows.push(row("/r/b.gvmi"));
        let again = rows.push(row("/r/b.gvmi"));
        assert_eq!(rows.find(Path::new("/r/a.gvmi")), Some(a));
        assert_eq!(rows.find(Path::new("/r/b.gvmi")), Some(twice));
        assert_eq!(rows.find(Path::new("/r/c.gvmi")), None);
        rows.remove(twice);
        assert_eq!(rows.find(Path::new("/r/b.gvmi")), Some(again));
        rows.remove(again);
        rows.remove(a);
        assert_eq!(rows.find(Path::new("/r/b.gvmi")), None);
        assert_eq!(rows.find(Path::new("/r/a.gvmi")), None);
        assert!(rows.by_path.is_empty(), "nothing kept for removed rows");
    }
}
