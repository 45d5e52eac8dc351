//! SDK snippets: the code that points a Golem app at a self-hosted image.
//!
//! [`render`] fills a per-target template (see [`Templates`]) with the hash,
//! URL and resources of a [`SnippetInput`]; every value is escaped for the
//! target language first ([`escape`]).

pub mod escape;
mod render;
mod resources;
mod target;
mod templates;

use std::fmt;
use std::path::PathBuf;

pub use render::{render, substitute, PLACEHOLDERS};
pub use resources::{float_literal, Capability, Resources};
pub use target::{Lang, Target, UnknownTarget};
pub use templates::{builtin, Templates};

use crate::digest::Sha3Digest;

/// Everything a snippet says about one image.
#[derive(Debug, Clone)]
pub struct SnippetInput {
    /// The image's file name, shown in the snippet's comment.
    pub file_name: String,
    /// Size in bytes, when the file is at hand (not with a bare `--hash`).
    pub size: Option<u64>,
    pub hash: Sha3Digest,
    /// Where the hash came from, completing "SHA3-224 …", e.g. "computed by gvmi".
    pub hash_source: String,
    /// Where providers download the image; `None` puts a placeholder in.
    pub url: Option<String>,
    pub resources: Resources,
}

impl SnippetInput {
    /// The URL, or an obvious placeholder naming the file.
    pub fn url_or_placeholder(&self) -> String {
        match &self.url {
            Some(url) => url.clone(),
            None => crate::image_url::placeholder(&self.file_name),
        }
    }
}

/// Why no snippet was made.
#[derive(Debug)]
pub enum SnippetError {
    /// The target cannot use a self-hosted image; `reason` says what to do.
    Unsupported {
        target: Target,
        reason: &'static str,
    },
    /// A resource value no SDK accepts.
    Resources(String),
    /// A control character in the URL (refused for every target).
    ControlCharacter,
    /// A (user) template names a placeholder that does not exist.
    UnknownPlaceholder { target: Target, name: String },
    /// A user template exists but could not be read.
    Template {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for SnippetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unsupported { reason, .. } => f.write_str(reason),
            Self::Resources(problem) => f.write_str(problem),
            Self::ControlCharacter => f.write_str("the URL contains a control character"),
            Self::UnknownPlaceholder { target, name } => write!(
                f,
                "the {target} template uses an unknown placeholder {{{{{name}}}}} (known: {})",
                PLACEHOLDERS.join(", ")
            ),
            Self::Template { path, error } => {
                write!(f, "{}: {error}", crate::visible::visible_path(path))
            }
        }
    }
}

impl std::error::Error for SnippetError {}
