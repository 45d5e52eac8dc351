//! The one spelling of a path for what outlives a run: the hash cache's
//! keys, the publish records, the workbench's roots (its saved URLs and the
//! folders `S` writes to config.toml).
//!
//! A path as typed (`../x`, `./imgs/a.gvmi`, a symbolic link to a folder)
//! names the same file as its canonical spelling, but a record keyed on the
//! typed form misses when the same image is met the other way, and a folder
//! saved as `/home/me/proj/../imgs` reads badly. Output keeps what the user
//! typed where it is theirs (hash lines, messages); keys use [`of`].

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// `path` absolute, its folders resolved (`.`, `..`, symbolic links): a
/// folder is resolved whole; a file keeps its own name (a link named
/// `x.gvmi` stays `x.gvmi`: its record is not its target's), below its
/// resolved folder. When the folder cannot be resolved (gone, no
/// permission), `.` and `..` are folded by the text alone.
pub fn of(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if absolute.is_dir() {
        if let Ok(resolved) = std::fs::canonicalize(&absolute) {
            return resolved;
        }
    }
    if let (Some(folder), Some(name)) = (absolute.parent(), absolute.file_name()) {
        if let Ok(folder) = std::fs::canonicalize(folder) {
            return folder.join(name);
        }
    }
    lexical(&absolute)
}

/// [`of`] for many files, each folder resolved once (resolving costs a
/// look-up per component; a run meets thousands of images in a few folders).
#[derive(Debug, Default)]
pub struct Files {
    folders: HashMap<PathBuf, Option<PathBuf>>,
}

impl Files {
    /// [`of`] for `path`, which names a file (or a file now gone).
    pub fn of(&mut self, path: &Path) -> PathBuf {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let (Some(folder), Some(name)) = (absolute.parent(), absolute.file_name()) else {
            return lexical(&absolute);
        };
        let resolved = self
            .folders
            .entry(folder.to_path_buf())
            .or_insert_with(|| std::fs::canonicalize(folder).ok());
        match resolved {
            Some(folder) => folder.join(name),
            None => lexical(&absolute),
        }
    }
}

/// `absolute` with `.` dropped and `..` taking the component before it away.
fn lexical(absolute: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                // The root's parent is the root.
                if out.parent().is_some() {
                    out.pop();
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_and_links_to_folders_are_resolved_a_files_name_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(real.join("imgs")).unwrap();
        std::fs::write(real.join("imgs/a.gvmi"), b"x").unwrap();
        std::os::unix::fs::symlink(real.join("imgs"), real.join("link")).unwrap();
        std::os::unix::fs::symlink(real.join("imgs/a.gvmi"), real.join("imgs/b.gvmi")).unwrap();
        let a = real.join("imgs/a.gvmi");
        assert_eq!(of(&real.join("imgs/../imgs/./a.gvmi")), a);
        assert_eq!(of(&real.join("link/a.gvmi")), a);
        assert_eq!(of(&real.join("link")), real.join("imgs"));
        assert_eq!(of(&real.join("link/")), real.join("imgs"));
        // A link to a file keeps its name; only its folder is resolved.
        assert_eq!(of(&real.join("link/b.gvmi")), real.join("imgs/b.gvmi"));
        // Gone (the folder too): the text alone.
        assert_eq!(
            of(&real.join("gone/../gone/x.gvmi")),
            real.join("gone/x.gvmi")
        );
        assert_eq!(of(Path::new("/../x")), Path::new("/x"));
        let mut files = Files::default();
        for path in [
            "imgs/../imgs/./a.gvmi",
            "link/a.gvmi",
            "link/b.gvmi",
            "gone/../x",
        ] {
            let path = real.join(path);
            assert_eq!(files.of(&path), of(&path), "{path:?}");
        }
    }
}
