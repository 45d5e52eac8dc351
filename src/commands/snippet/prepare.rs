//! One image made ready for its snippet: hashed (or `--hash`), inspected,
//! its URL chosen and checked, and every warning worth saying collected.

use std::path::{Path, PathBuf};

use super::{Image, Refused, SnippetRequest};
use crate::cli::ResourceArgs;
use gvmi_core::cancel::CancelToken;
use gvmi_core::config::Config;
use gvmi_core::hasher;
use gvmi_core::image_url;
use gvmi_core::publish::state::Published;
use gvmi_core::snippet::caveat::{self, ImageCheck};
use gvmi_core::snippet::{self, Resources, SnippetInput, Target};
use gvmi_core::url_choice;

/// What every image of a run is prepared with.
pub struct Asked<'a> {
    pub args: &'a SnippetRequest,
    pub config: &'a Config,
    /// Where `gvmi publish` put images, read once for the run.
    pub published: &'a Published,
    pub targets: &'a [Target],
    pub resources: &'a Resources,
}

/// An image ready to render, with what to tell the user about it.
pub struct Prepared {
    /// The image's path; `None` for a bare `--hash`.
    pub path: Option<PathBuf>,
    pub input: SnippetInput,
    /// Whether the image passed inspection; `None` when there was no file.
    pub valid: Option<bool>,
    pub warnings: Vec<String>,
}

/// SDK defaults, then config.toml's `[resources]`, then the flags.
pub fn resources(args: &ResourceArgs, config: &Config) -> anyhow::Result<Resources> {
    let mut r = config.resources()?;
    r.min_mem_gib = args.min_mem_gib.unwrap_or(r.min_mem_gib);
    r.min_storage_gib = args.min_storage_gib.unwrap_or(r.min_storage_gib);
    r.min_cpu_threads = args.min_cpu_threads.unwrap_or(r.min_cpu_threads);
    if !args.capabilities.is_empty() {
        r.capabilities = args.capabilities.clone();
    }
    match r.problem() {
        Some(problem) => anyhow::bail!("{problem}"),
        None => Ok(r),
    }
}

/// Everything about `image` (or the bare `--hash` when `None`) a snippet needs.
pub fn prepare(image: Option<&Image>, asked: &Asked) -> Result<Prepared, Refused> {
    let mut warnings = Vec::new();
    let path = image.map(|i| i.path.as_path());
    let valid = match path {
        Some(path) => inspect(path, asked.args.allow_invalid, &mut warnings)?,
        None => None,
    };
    let refused = |message| Refused { message, valid };
    let mut input = identify(path, asked.args).map_err(refused)?;
    input.resources = asked.resources.clone();
    let chosen = choose_url(image, asked, &input.file_name);
    if let Some(record) = chosen.as_ref().and_then(|c| c.published.as_ref()) {
        warnings.extend(gvmi_core::publish::state::changed_since(
            record,
            &input.hash,
        ));
    }
    input.url = chosen.map(|c| c.url);
    match &input.url {
        Some(url) => {
            let allow_file = matches!(asked.targets, [t] if t.accepts_file_urls());
            let url_warnings = image_url::check(url, &input.file_name, allow_file)
                .map_err(|e| refused(format!("{url}: refused: {e}")))?;
            warnings.extend(url_warnings.iter().map(ToString::to_string));
        }
        None => warnings.push(format!(
            "no URL given (--url or --base-url, or a [[base_url]] in config.toml): {}",
            caveat::PLACEHOLDER_URL
        )),
    }
    Ok(Prepared {
        path: path.map(Path::to_path_buf),
        input,
        valid,
        warnings,
    })
}

/// Inspects the file, if there is one: an invalid image is refused, or with
/// `--allow-invalid` only warned about. An unreadable one is left to hashing,
/// which names the reason.
fn inspect(path: &Path, allow: bool, warnings: &mut Vec<String>) -> Result<Option<bool>, Refused> {
    let anyway = "--allow-invalid prints the snippet anyway";
    match caveat::admit(path, allow, anyway) {
        Ok(ImageCheck::Unread) => Ok(None),
        Ok(ImageCheck::Valid) => Ok(Some(true)),
        Ok(ImageCheck::Invalid(problem)) => {
            warnings.push(problem);
            Ok(Some(false))
        }
        Err(refusal) => Err(Refused {
            message: format!("{}: {refusal}", gvmi_core::visible::visible_path(path)),
            valid: Some(false),
        }),
    }
}

/// The image's name, size and hash: hashed here, or taken from `--hash`.
fn identify(image: Option<&Path>, args: &SnippetRequest) -> Result<SnippetInput, String> {
    let from_url = args.urls.url.as_deref().and_then(image_url::file_name);
    let file_name = image
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .or(from_url)
        .unwrap_or_else(|| "image.gvmi".to_string());
    let (hash, size, hash_source) = match (args.urls.hash, image) {
        (Some(hash), None) => (hash, None, snippet::GIVEN_HASH),
        // A file named beside --hash must be the image the hash is of: a
        // snippet pairing a name with another file's hash sends providers
        // to refuse it, so the file is hashed and compared (a folder or a
        // missing file fails here, named).
        (given, Some(path)) => {
            let shown = gvmi_core::visible::visible_path(path);
            let hashed = hasher::hash_file(path, &CancelToken::new(), |_| {})
                .map_err(|e| format!("{shown}: {e}"))?;
            let size = Some(hashed.stamp.size);
            match given {
                None => (hashed.digest, size, snippet::HASHED_BY_GVMI),
                Some(hash) if hash == hashed.digest => (hash, size, snippet::GIVEN_HASH),
                Some(hash) => {
                    return Err(format!(
                        "{shown}: the file's SHA3-224 is {}, not the --hash given ({hash}): \
                         name the image the hash is of, or leave out --hash",
                        hashed.digest
                    ))
                }
            }
        }
        (None, None) => unreachable!("`images` gives no bare image without --hash"),
    };
    Ok(SnippetInput {
        file_name,
        size,
        hash,
        hash_source: hash_source.into(),
        url: None,
        resources: Resources::default(),
    })
}

/// By `url_choice`'s rule: `--url`, else `--base-url` + the image's path
/// below the folder it was found in (as `gvmi verify` and the workbench's
/// `b` join it), else where `gvmi publish` put it, else the config's base
/// URL for the image's folder (written with or without symlinks resolved),
/// else none (placeholder).
fn choose_url(image: Option<&Image>, asked: &Asked, file_name: &str) -> Option<url_choice::Chosen> {
    let published = image.map(|_| asked.published);
    let choice = asked.args.urls.choice(published, asked.config);
    let Some(image) = image else {
        return choice.choose(Path::new(file_name), &[]);
    };
    let relative = url_choice::relative_below(&image.path, &image.root);
    let absolute = url_choice::absolute_spellings(&image.path, true);
    choice.choose(relative, &absolute)
}
