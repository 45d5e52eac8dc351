//! Changing one value of config.toml while other writers (the user's
//! editor, another gvmi) may change others: read, merged and written under
//! a lock, comments and order kept, a file that cannot be understood never
//! replaced.

use std::io;
use std::path::Path;

use toml_edit::{value, ArrayOfTables, DocumentMut, Item, Table};

use super::{Config, ConfigError};
use crate::atomic_write::atomic_write;
use crate::fsmeta::read_text;
use crate::lock::{Lock, PATIENCE};

/// Sets the `[[base_url]]` of `folder` to `url` in the file at `path` (created
/// if missing), replacing an entry for the same folder; everything else in
/// the file is kept as written. The file as it is now is read under
/// `config.toml.lock`, so an edit made since this process read it survives.
pub fn save_base_url(path: &Path, folder: &Path, url: &str) -> Result<(), ConfigError> {
    let write_error = |e: io::Error| ConfigError::Write(path.to_path_buf(), e);
    let folder = folder
        .to_str()
        .ok_or_else(|| write_error(io::Error::other("the folder's name is not UTF-8")))?;
    let _lock = Lock::acquire(&path.with_extension("toml.lock"), PATIENCE).map_err(write_error)?;
    let text = match read_text(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(ConfigError::Read(path.to_path_buf(), e)),
    };
    // A file gvmi cannot understand is the user's to fix, never ours to replace.
    Config::parse(&text, path)?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| write_error(io::Error::other(e.to_string())))?;
    let list = doc
        .entry("base_url")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| {
            write_error(io::Error::other(
                "`base_url` is not written as [[base_url]] tables; add this one by hand",
            ))
        })?;
    list.retain(|t| t.get("folder").and_then(Item::as_str) != Some(folder));
    let mut entry = Table::new();
    entry["folder"] = value(folder);
    entry["url"] = value(url);
    list.push(entry);
    let new_text = doc.to_string();
    Config::parse(&new_text, path)?;
    atomic_write(path, new_text.as_bytes()).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_made_since_and_comments_survive_and_the_folder_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let text = "# mine\ndefault_target = \"yapapi\"\n\n[[base_url]]\nfolder = \"/a\"\nurl = \"https://old.example/\"\n";
        std::fs::write(&path, text).unwrap();
        save_base_url(&path, Path::new("/a"), "https://new.example/").unwrap();
        save_base_url(&path, Path::new("/b"), "https://b.example/").unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with("# mine\n"), "{after}");
        let config = Config::parse(&after, &path).unwrap();
        assert_eq!(config.default_target.as_deref(), Some("yapapi"));
        let urls: Vec<_> = config.base_urls.iter().map(|b| b.url.as_str()).collect();
        assert_eq!(urls, ["https://new.example/", "https://b.example/"]);
    }

    #[test]
    fn a_broken_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "default_target = \n").unwrap();
        assert!(save_base_url(&path, Path::new("/a"), "https://x.example/").is_err());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "default_target = \n"
        );
    }
}
