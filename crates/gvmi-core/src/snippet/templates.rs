//! The snippet templates: built in from `assets/snippets/`, each one
//! replaceable by a file of the same name in the user's config folder.
//! A target has a paste-in snippet and may have a whole program (`--full`).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::{SnippetError, Target};

/// Which text of a target: the lines to paste into your code, or a complete
/// program that runs as saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    #[default]
    Paste,
    Full,
}

impl Form {
    /// The template's file name for `target`, both under `assets/snippets/`
    /// and in the user's override folder; `None` when there is none.
    pub fn file(self, target: Target) -> Option<&'static str> {
        match self {
            Form::Paste => target.template_file(),
            Form::Full => match target {
                Target::Yapapi => Some("yapapi.full.py"),
                Target::GolemJs => Some("golem-js.full.js"),
                Target::TaskExecutor => Some("task-executor.full.js"),
                _ => None,
            },
        }
    }
}

/// The template text for every target, after user overrides.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    overrides: BTreeMap<(Target, Form), String>,
}

impl Templates {
    /// Only the templates shipped in the binary.
    pub fn builtin() -> Self {
        Self::default()
    }

    /// The built-in templates, with any `<dir>/<template file>` taking over.
    /// A missing folder or file is not an error: the built-in one is used.
    pub(crate) fn with_overrides_from(dir: &Path) -> Result<Self, SnippetError> {
        let mut templates = Self::default();
        for target in Target::ALL {
            for form in [Form::Paste, Form::Full] {
                let Some(name) = form.file(target) else {
                    continue;
                };
                let path = dir.join(name);
                // Regular files of at most 1 MiB: a FIFO here must not hang `snippet`.
                match crate::fsmeta::read_text(&path) {
                    Ok(text) => templates.set_form(target, form, text),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(error) => return Err(SnippetError::Template { path, error }),
                }
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
    pub(crate) fn user_dir() -> Option<PathBuf> {
        crate::user_dirs::UserDir::Config
            .path()
            .map(|d| d.join("snippets"))
    }

    pub(crate) fn set_form(&mut self, target: Target, form: Form, text: String) {
        self.overrides.insert((target, form), text);
    }

    #[cfg(test)]
    fn is_overridden(&self, target: Target) -> bool {
        self.overrides.contains_key(&(target, Form::Paste))
    }

    /// The text `render` will use for `target`; `None` for Ray.
    #[cfg(test)]
    fn source(&self, target: Target) -> Option<&str> {
        self.source_form(target, Form::Paste)
    }

    /// The text of `target` in `form`; `None` when the target has no such form.
    pub fn source_form(&self, target: Target, form: Form) -> Option<&str> {
        match self.overrides.get(&(target, form)) {
            Some(text) => Some(text),
            None => builtin_form(target, form),
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

/// The template of `target` in `form` compiled into the binary.
pub fn builtin_form(target: Target, form: Form) -> Option<&'static str> {
    match (form, target) {
        (Form::Paste, _) => builtin(target),
        (Form::Full, Target::Yapapi) => Some(include_str!("../../assets/snippets/yapapi.full.py")),
        (Form::Full, Target::GolemJs) => {
            Some(include_str!("../../assets/snippets/golem-js.full.js"))
        }
        (Form::Full, Target::TaskExecutor) => {
            Some(include_str!("../../assets/snippets/task-executor.full.js"))
        }
        (Form::Full, _) => None,
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
    fn an_unreadable_override_is_named_in_io_error_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("golem-js.js");
        std::fs::create_dir(&path).unwrap();
        let e = Templates::with_overrides_from(dir.path()).unwrap_err();
        let words = crate::io_error::message(&crate::fsmeta::read_text(&path).unwrap_err());
        let expected = format!("{}: cannot read: {words}", path.display());
        assert_eq!(e.to_string(), expected);
        assert!(!expected.contains("os error"), "{expected}");
    }

    #[test]
    fn full_programs_exist_where_their_file_is_named_and_can_be_overridden() {
        for target in Target::ALL {
            let named = Form::Full.file(target).is_some();
            assert_eq!(
                builtin_form(target, Form::Full).is_some(),
                named,
                "{target}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("golem-js.full.js"), "main()\n").unwrap();
        let t = Templates::with_overrides_from(dir.path()).unwrap();
        assert_eq!(t.source_form(Target::GolemJs, Form::Full), Some("main()\n"));
        assert_eq!(t.source(Target::GolemJs), builtin(Target::GolemJs));
    }

    #[test]
    fn missing_folder_means_builtin() {
        let t = Templates::with_overrides_from(Path::new("/nonexistent/gvmi")).unwrap();
        assert!(!t.is_overridden(Target::Yapapi));
    }
}
