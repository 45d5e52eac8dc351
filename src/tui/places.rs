//! Telling rows from different root arguments apart: with several roots,
//! the Folder column names the root each row was found under, by the
//! shortest path suffix that no other root shares (`beta`, or `a/images`
//! beside `b/images`). It also knows how wide the column's text gets, so
//! the column is sized to what it shows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::rows::Row;

/// The roots seen so far and, when there are several, their labels.
#[derive(Debug, Default)]
pub struct Places {
    seen: BTreeSet<PathBuf>,
    labels: BTreeMap<PathBuf, String>,
    /// Each place's folders below it, once each (few, whatever the rows).
    folders: BTreeSet<(PathBuf, String)>,
    /// The widest Folder text of any row noted, in characters as shown.
    widest: usize,
}

/// Where a row was found, as the user named it: its folder argument, or
/// for a file argument, that file's folder.
fn place(row: &Row) -> &Path {
    if row.root() == row.path() {
        row.path().parent().unwrap_or(row.path())
    } else {
        row.root()
    }
}

impl Places {
    /// Notes a row's place; labels (and the widest text, which they
    /// change) are recomputed only when it is new.
    pub fn note(&mut self, row: &Row) {
        let place = place(row).to_path_buf();
        let new_folder = self.folders.insert((place.clone(), row.folder()));
        if self.seen.insert(place) && self.seen.len() > 1 {
            self.labels = labels(&self.seen);
            self.widest = (self.folders.iter())
                .map(|(place, below)| shown_width(&self.text(place, below)))
                .max()
                .unwrap_or(0);
        } else if new_folder {
            self.widest = self.widest.max(shown_width(&self.folder_text(row)));
        }
    }

    /// The widest Folder text of the rows noted (rows removed since may
    /// leave it a little wide, never too narrow).
    pub fn widest(&self) -> usize {
        self.widest
    }

    /// Whether rows come from more than one root (then the Folder column
    /// is what tells same-named images apart).
    pub fn several(&self) -> bool {
        self.seen.len() > 1
    }

    /// The Folder column: the folder below the root, prefixed with the
    /// root's label when several roots are shown.
    pub fn folder_text(&self, row: &Row) -> String {
        self.text(place(row), &row.folder())
    }

    fn text(&self, place: &Path, below: &str) -> String {
        // A bucket prefix is named whole: it is what marks a remote row.
        if let Some(root) = place.to_str().filter(|r| r.starts_with("s3:")) {
            return match below {
                "." => root.to_string(),
                _ => format!("{root}/{below}"),
            };
        }
        match self.labels.get(place) {
            None => below.to_string(),
            Some(label) if below == "." => label.clone(),
            Some(label) => format!("{label}/{below}"),
        }
    }
}

/// Characters as the screen shows them (escapes of controls included).
fn shown_width(text: &str) -> usize {
    gvmi_core::visible::visible(text).chars().count()
}

/// The shortest distinguishing suffix of each path.
fn labels(places: &BTreeSet<PathBuf>) -> BTreeMap<PathBuf, String> {
    let parts = |p: &Path| -> Vec<String> {
        p.components()
            .rev()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let all: Vec<Vec<String>> = places.iter().map(|p| parts(p)).collect();
    places
        .iter()
        .zip(&all)
        .map(|(place, mine)| {
            let unique_at = (1..=mine.len())
                .find(|&n| {
                    all.iter()
                        .filter(|other| other.len() >= n && other[..n] == mine[..n])
                        .count()
                        == 1
                })
                .unwrap_or(mine.len());
            let suffix: Vec<&str> = mine[..unique_at].iter().rev().map(String::as_str).collect();
            (place.clone(), suffix.join("/").replace("//", "/"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labelled(paths: &[&str]) -> Vec<String> {
        let set: BTreeSet<PathBuf> = paths.iter().map(PathBuf::from).collect();
        let labels = labels(&set);
        paths.iter().map(|p| labels[Path::new(p)].clone()).collect()
    }

    #[test]
    fn the_last_component_when_it_differs_else_more() {
        assert_eq!(labelled(&["/srv/alpha", "/srv/beta"]), ["alpha", "beta"]);
        assert_eq!(
            labelled(&["/a/images", "/b/images", "/c/other"]),
            ["a/images", "b/images", "other"]
        );
        assert_eq!(labelled(&["/x", "/y/x"]), ["/x", "y/x"]);
    }
}
