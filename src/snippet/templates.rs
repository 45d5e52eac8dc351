//! The snippet templates: built in from `assets/snippets/`, each one
//! replaceable by a file of the same name in the user's config folder.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::{SnippetError, Target};

/// The template text for every target, after user overrides.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    overrides: BTreeMap<Target, String>,
}

impl Templates {
    /// Only the templates shipped in the binary.
    pub fn builtin() -> Self {
        Self::default()
    }

    /// The built-in templates, with any `<dir>/<template file>` taking over.
    /// A missing folder or file is not an error: the built-in one is used.
    pub fn with_overrides_from(dir: &Path) -> Result<Self, SnippetError> {
        let mut templates = Self::default();
        for target in Target::ALL {
            let Some(name) = target.template_file() else {
                continue;
            };
            let path = dir.join(name);
            // Regular files of at most 1 MiB: a FIFO here must not hang `snippet`.
            match crate::config::read_text(&path) {
                Ok(text) => templates.set(target, text),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(SnippetError::Template { path, error }),
            }
        }
        Ok(templates)
    }

    /// The built-in templates with the user's overrides from
    /// [`Templates::user_dir`], when there is one.
    pub fn user() -> Result<Self, SnippetError> {
        match Self::user_dir() {
            Some(dir) => Self::with_overrides_from(&dir),
            None => Ok(Self::builtin()),
        }
    }

    /// `<config dir>/gvmi/snippets`, e.g. `~/.config/gvmi/snippets`.
    pub fn user_dir() -> Option<PathBuf> {
        crate::config::config_dir().map(|d| d.join("snippets"))
    }

    pub fn set(&mut self, target: Target, text: String) {
        self.overrides.insert(target, text);
    }

    pub fn is_overridden(&self, target: Target) -> bool {
        self.overrides.contains_key(&target)
    }

    /// The text `render` will use for `target`; `None` for Ray.
    pub fn source(&self, target: Target) -> Option<&str> {
        match self.overrides.get(&target) {
            Some(text) => Some(text),
            None => builtin(target),
        }
    }
}

/// The template compiled into the binary.
pub fn builtin(target: Target) -> Option<&'static str> {
    match target {
        Target::Yapapi => Some(include_str!("../../assets/snippets/yapapi.py")),
        Target::GolemCore => Some(include_str!("../../assets/snippets/golem-core.py")),
        Target::GolemJs => Some(include_str!("../../assets/snippets/golem-js.js")),
        Target::TaskExecutor => Some(include_str!("../../assets/snippets/task-executor.js")),
        Target::DappRunner => Some(include_str!("../../assets/snippets/dapp-runner.yaml")),
        Target::TaskPackage => Some(include_str!("../../assets/snippets/task-package.txt")),
        Target::Ray => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_file_replaces_only_its_target() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("yapapi.py"), "custom {{image_hash}}\n").unwrap();
        let t = Templates::with_overrides_from(dir.path()).unwrap();
        assert_eq!(t.source(Target::Yapapi), Some("custom {{image_hash}}\n"));
        assert!(t.is_overridden(Target::Yapapi));
        assert_eq!(t.source(Target::GolemJs), builtin(Target::GolemJs));
        assert_eq!(t.source(Target::Ray), None);
    }

    #[test]
    fn missing_folder_means_builtin() {
        let t = Templates::with_overrides_from(Path::new("/nonexistent/gvmi")).unwrap();
        assert!(!t.is_overridden(Target::Yapapi));
    }
}
