//! `config.toml`: the user's defaults for snippets and per-folder base URLs.
//!
//! ```toml
//! default_target = "yapapi"
//! [resources]
//! min_mem_gib = 1.0
//! capabilities = ["vpn"]
//! [[base_url]]
//! folder = "/home/me/images"
//! url = "https://cdn.example.com/images/"
//! [[publish]]                          # the workbench's `p` / `P`
//! folder = "/home/me/images"
//! to = "s3://my-bucket/images"
//! public_base_url = "https://cdn.example.com/images/"
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod edit;

pub use edit::save_base_url;

use crate::atomic_write::atomic_write;
use crate::fsmeta::read_text;
use crate::io_error;
use crate::publish::Spec;
use crate::snippet::{Capability, Resources, Target, UnknownCapability};
use crate::visible::visible_path;

/// The whole file. Unknown keys are errors, so a typo does not go unnoticed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) default_target: Option<String>,
    #[serde(default, skip_serializing_if = "ResourceDefaults::is_empty")]
    pub(crate) resources: ResourceDefaults,
    #[serde(default, rename = "base_url", skip_serializing_if = "Vec::is_empty")]
    pub base_urls: Vec<BaseUrl>,
    #[serde(default, rename = "publish", skip_serializing_if = "Vec::is_empty")]
    pub publishes: Vec<PublishTo>,
}

/// `[[publish]]`: where the workbench publishes images under `folder`, in
/// `gvmi publish`'s terms (`publish::Spec`: `to`, `endpoint`, …;
/// credentials come from the environment or `~/.aws`, never from this file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "toml::Table")]
pub struct PublishTo {
    pub folder: PathBuf,
    #[serde(flatten)]
    pub spec: Spec,
}

/// `folder` taken out, the rest read as a `Spec`, whose unknown keys are
/// errors (serde's `flatten` cannot refuse them).
impl TryFrom<toml::Table> for PublishTo {
    type Error = toml::de::Error;

    fn try_from(mut table: toml::Table) -> Result<Self, Self::Error> {
        use serde::de::Error as _;
        let folder = table
            .remove("folder")
            .ok_or_else(|| Self::Error::missing_field("folder"))?;
        Ok(PublishTo {
            folder: folder.try_into()?,
            spec: toml::Value::Table(table).try_into()?,
        })
    }
}

/// `[resources]`: each key left out keeps the SDK default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourceDefaults {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min_mem_gib: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min_storage_gib: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min_cpu_threads: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) capabilities: Option<Vec<String>>,
}

impl ResourceDefaults {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// `[[base_url]]`: images under `folder` are served from `url`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseUrl {
    pub(crate) folder: PathBuf,
    pub url: String,
}

/// A config file that could not be read, understood or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {}", visible_path(.0), io_error::message(.1))]
    Read(PathBuf, std::io::Error),
    #[error("{}: cannot write: {}", visible_path(.0), io_error::message(.1))]
    Write(PathBuf, std::io::Error),
    /// `line` and `column` are 1-based; 0 when the parser gave no position.
    /// On one line the parser's lines are joined with `; `; [`ConfigError::lines`]
    /// keeps them apart and shows the line of the file.
    #[error(
        "{}:{line}:{column}: {}",
        visible_path(path),
        message.lines().map(crate::visible::visible).collect::<Vec<_>>().join("; ")
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        /// The file's text at `line`, as written.
        excerpt: Option<String>,
    },
}

impl ConfigError {
    /// The error for a terminal, a line each, every one through `visible`:
    /// `path:line:column: ` and the parser's first line, its further lines
    /// indented, then the file's line with a caret under the column.
    pub fn lines(&self) -> Vec<String> {
        let ConfigError::Parse {
            path,
            line,
            column,
            message,
            excerpt,
        } = self
        else {
            return vec![self.to_string()];
        };
        let mut said = message.lines().map(crate::visible::visible);
        let first = said.next().unwrap_or_default();
        let mut out = vec![format!("{}:{line}:{column}: {first}", visible_path(path))];
        out.extend(said.map(|l| format!("  {l}")));
        if let Some(text) = excerpt {
            let number = line.to_string();
            let before: String = text.chars().take(column.saturating_sub(1)).collect();
            let pad = crate::visible::visible(&before).chars().count();
            out.push(format!("  {number} | {}", crate::visible::visible(text)));
            out.push(format!(
                "  {} | {}^",
                " ".repeat(number.len()),
                " ".repeat(pad)
            ));
        }
        out
    }
}

/// gvmi's config folder: `$XDG_CONFIG_HOME/gvmi`, else `~/.config/gvmi`
/// (Unix); the platform's config folder elsewhere.
pub(crate) fn config_dir() -> Option<PathBuf> {
    crate::user_dirs::UserDir::Config.path()
}

/// `<config dir>/config.toml`.
pub fn config_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

impl Config {
    /// The user's config; none at all (no file, no home) is the empty config.
    pub fn load_user() -> Result<Config, ConfigError> {
        match config_path() {
            Some(path) => Config::load(&path),
            None => Ok(Config::default()),
        }
    }

    /// Reads `path`; a missing file is the empty config. A FIFO, device or
    /// file over [`cap::CONFIG`](crate::fsmeta::cap::CONFIG) is refused at
    /// once (an error, so a later save cannot replace what could not be read).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match read_text(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError::Read(path.to_path_buf(), e)),
        }
    }

    /// Parses `text`, naming `path` (and the line) in errors. Values are
    /// checked here too, so a bad target name points at the file.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((0, 0));
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
                excerpt: excerpt(text, line),
            }
        })?;
        config.validate().map_err(|(key, message)| {
            let line = key_line(text, &key);
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column: 1,
                message,
                excerpt: excerpt(text, line),
            }
        })?;
        Ok(config)
    }

    /// Checks the values serde cannot: `Err((key, message))`.
    fn validate(&self) -> Result<(), (String, String)> {
        self.target()
            .map_err(|e| ("default_target".into(), e.to_string()))?;
        let resources = (self.resources()).map_err(|e| ("capabilities".into(), e.to_string()))?;
        if let Some(problem) = resources.problem() {
            // Each problem starts with the key it is about.
            let key = problem.split(' ').next().unwrap_or("").to_string();
            return Err((key, problem));
        }
        let folders = self.base_urls.iter().map(|b| &b.folder);
        let mut folders = folders.chain(self.publishes.iter().map(|p| &p.folder));
        match folders.find(|f| !f.is_absolute()) {
            Some(f) => Err((
                "folder".into(),
                format!("folder {f:?} must be an absolute path"),
            )),
            None => Ok(()),
        }
    }

    /// `default_target`, or yapapi.
    pub fn target(&self) -> Result<Target, crate::snippet::UnknownTarget> {
        self.default_target
            .as_deref()
            .map_or(Ok(Target::Yapapi), str::parse)
    }

    /// The SDK defaults with `[resources]` applied.
    pub fn resources(&self) -> Result<Resources, UnknownCapability> {
        let r = &self.resources;
        let defaults = Resources::default();
        let capabilities = match &r.capabilities {
            Some(names) => names.iter().map(|n| n.parse()).collect::<Result<_, _>>()?,
            None => Vec::<Capability>::new(),
        };
        Ok(Resources {
            min_mem_gib: r.min_mem_gib.unwrap_or(defaults.min_mem_gib),
            min_storage_gib: r.min_storage_gib.unwrap_or(defaults.min_storage_gib),
            min_cpu_threads: r.min_cpu_threads.unwrap_or(defaults.min_cpu_threads),
            capabilities,
        })
    }

    /// The base URL whose folder is the longest prefix of `image` (an
    /// absolute path), and `image`'s path relative to that folder.
    pub fn base_url_for(&self, image: &Path) -> Option<(&BaseUrl, PathBuf)> {
        self.base_urls
            .iter()
            .filter_map(|b| Some((b, image.strip_prefix(&b.folder).ok()?)))
            .max_by_key(|(b, _)| b.folder.components().count())
            .map(|(b, rel)| (b, rel.to_path_buf()))
    }

    /// The `[[publish]]` whose folder is the longest prefix of `image`.
    pub fn publish_for(&self, image: &Path) -> Option<&PublishTo> {
        self.publishes
            .iter()
            .filter(|p| image.starts_with(&p.folder))
            .max_by_key(|p| p.folder.components().count())
    }

    /// Sets (or replaces) the base URL for `folder`.
    pub fn set_base_url(&mut self, folder: PathBuf, url: String) {
        self.base_urls.retain(|b| b.folder != folder);
        self.base_urls.push(BaseUrl { folder, url });
    }

    /// Writes the config to `path` atomically. Comments in the old file are
    /// not kept: the file is regenerated from the values.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| ConfigError::Write(path.to_path_buf(), std::io::Error::other(e)))?;
        atomic_write(path, text.as_bytes()).map_err(|e| ConfigError::Write(path.to_path_buf(), e))
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Line `line` (1-based) of `text`, if there is one.
fn excerpt(text: &str, line: usize) -> Option<String> {
    let at = line.checked_sub(1)?;
    text.lines().nth(at).map(str::to_string)
}

/// The first line that starts with `key` (for errors found after parsing).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(0, |i| i + 1)
}
