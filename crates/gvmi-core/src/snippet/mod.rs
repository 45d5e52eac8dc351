//! SDK snippets: the code that points a Golem app at a self-hosted image.
//!
//! [`render`] fills a per-target template (see [`Templates`]) with the hash,
//! URL and resources of a [`SnippetInput`]; every value is escaped for the
//! target language first ([`escape`]).

pub mod caveat;
pub(crate) mod escape;
mod render;
mod resources;
mod target;
mod templates;

use std::path::PathBuf;

pub use render::{render, render_form, substitute, PLACEHOLDERS};
pub use resources::{float_literal, Capability, Resources, UnknownCapability};
pub use target::{Lang, Target, UnknownTarget};
pub use templates::{builtin, builtin_form, Form, Templates};

use crate::digest::Sha3Digest;
use crate::io_error;
use crate::visible::visible_path;

/// Everything a snippet says about one image.
#[derive(Debug, Clone)]
pub struct SnippetInput {
    /// The image's file name, shown in the snippet's comment.
    pub file_name: String,
    /// Size in bytes, when the file is at hand (not with a bare `--hash`).
    pub size: Option<u64>,
    pub hash: Sha3Digest,
    /// Where the hash came from, completing "SHA3-224 …": [`HASHED_BY_GVMI`],
    /// [`GIVEN_HASH`] or [`RECORDED_IN_METADATA`].
    pub hash_source: String,
    /// Where providers download the image; `None` puts a placeholder in.
    pub url: Option<String>,
    pub resources: Resources,
}

/// The snippet's provenance for a hash gvmi computed itself, the words
/// `gvmi snippet` and the workbench's `c` share.
pub const HASHED_BY_GVMI: &str = "computed by gvmi";

/// The provenance for a hash given on the command line (`--hash`).
pub const GIVEN_HASH: &str = "given with --hash";

/// The provenance for a bucket object's hash as `gvmi publish` recorded
/// it, before its bytes are read (the workbench's remote rows).
pub const RECORDED_IN_METADATA: &str = "as recorded in its x-amz-meta-sha3-224";

impl SnippetInput {
    /// The URL, or an obvious placeholder naming the file.
    pub(crate) fn url_or_placeholder(&self) -> String {
        match &self.url {
            Some(url) => url.clone(),
            None => crate::image_url::placeholder(&self.file_name),
        }
    }
}

/// Why no snippet was made.
#[derive(Debug, thiserror::Error)]
pub enum SnippetError {
    /// The target cannot use a self-hosted image; `reason` says what to do.
    #[error("{reason}")]
    Unsupported {
        target: Target,
        reason: &'static str,
    },
    /// A resource value no SDK accepts (`Resources::problem`'s words).
    #[error("{0}")]
    Resources(String),
    /// The URL fails `image_url`'s rule (a control character, a scheme no
    /// provider fetches).
    #[error("{0}")]
    Url(crate::image_url::UrlError),
    /// `--full` for a target that has no whole-program template.
    #[error(
        "{target} has no whole-program form (--full is for {}); \
         without --full its snippet is complete as it is",
        full_program_targets()
    )]
    NoFullProgram { target: Target },
    /// A (user) template names a placeholder that does not exist.
    #[error(
        "the {target} template uses an unknown placeholder {{{{{name}}}}} (known: {})",
        PLACEHOLDERS.join(", ")
    )]
    UnknownPlaceholder { target: Target, name: String },
    /// A user template exists but could not be read.
    #[error("{}: cannot read: {}", visible_path(path), io_error::message(error))]
    Template {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The targets `--full` has a program for: `yapapi, golem-js, task-executor`.
fn full_program_targets() -> String {
    let with: Vec<_> = Target::ALL
        .into_iter()
        .filter(|t| Form::Full.file(*t).is_some())
        .map(Target::name)
        .collect();
    with.join(", ")
}
