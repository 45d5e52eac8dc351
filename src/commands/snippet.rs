//! `gvmi snippet`: the SDK code for one image, with its hash and URL.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::out::{warn, write_stdout};
use crate::cancel::CancelToken;
use crate::cli::SnippetArgs;
use crate::clipboard::{self, Clipboard, CopyOutcome};
use crate::config::Config;
use crate::hasher;
use crate::image_url;
use crate::snippet::{render, Resources, SnippetError, SnippetInput, Target, Templates};

/// A refusal the user must see; the command exits 1.
struct Refused(String);

pub fn run(args: &SnippetArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load_user()?;
    let templates = Templates::user()?;
    let targets = match args.target {
        _ if args.all_targets => Target::ALL.to_vec(),
        Some(t) => vec![t],
        None => vec![config.target()?],
    };
    let resources = resources(args, &config)?;
    match build(args, &config, &targets, resources) {
        Ok(input) => emit(args, &targets, &input, &templates),
        Err(Refused(message)) => {
            eprintln!("gvmi: {message}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The body of the hidden `gvmi __clipboard-serve`: stdin goes on the
/// clipboard, served until another program takes it over.
pub fn serve_clipboard() -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    clipboard::serve_until_replaced(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// SDK defaults, then config.toml's `[resources]`, then the flags.
fn resources(args: &SnippetArgs, config: &Config) -> anyhow::Result<Resources> {
    let mut r = config.resources().map_err(anyhow::Error::msg)?;
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

fn build(
    args: &SnippetArgs,
    config: &Config,
    targets: &[Target],
    resources: Resources,
) -> Result<SnippetInput, Refused> {
    if let [target] = targets {
        if let Some(reason) = target.unsupported_reason() {
            return Err(Refused(reason.to_string()));
        }
    }
    let mut input = identify(args)?;
    input.resources = resources;
    input.url = choose_url(args, config, &input.file_name)?;
    match &input.url {
        Some(url) => {
            let allow_file = matches!(targets, [t] if t.accepts_file_urls());
            let warnings = image_url::check(url, &input.file_name, allow_file)
                .map_err(|e| Refused(format!("{url}: refused: {e}")))?;
            for w in warnings {
                warn("warning", w);
            }
        }
        None => warn(
            "warning",
            "no URL given (--url or --base-url, or a [[base_url]] in config.toml): \
             the snippet carries a placeholder URL to replace",
        ),
    }
    Ok(input)
}

/// The image's name, size and hash: hashed here, or taken from `--hash`.
fn identify(args: &SnippetArgs) -> Result<SnippetInput, Refused> {
    let from_url = args.url.as_deref().and_then(image_url::file_name);
    let file_name = args
        .image
        .as_deref()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .or(from_url)
        .unwrap_or_else(|| "image.gvmi".to_string());
    let (hash, size, hash_source) = match (args.hash, &args.image) {
        (Some(hash), image) => {
            let size = image
                .as_ref()
                .and_then(|p| std::fs::metadata(p).ok())
                .filter(|m| m.is_file())
                .map(|m| m.len());
            (hash, size, "given with --hash")
        }
        (None, Some(path)) => {
            let hashed = hasher::hash_file(path, &CancelToken::new(), |_| {})
                .map_err(|e| Refused(format!("{}: {e}", crate::visible::visible_path(path))))?;
            let size = Some(hashed.stamp.size);
            (hashed.digest, size, "computed by gvmi from the file")
        }
        (None, None) => unreachable!("clap requires IMAGE or --hash"),
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

/// `--url`, else `--base-url` + file name, else the config's base URL for
/// the image's folder, else none (placeholder).
fn choose_url(
    args: &SnippetArgs,
    config: &Config,
    file_name: &str,
) -> Result<Option<String>, Refused> {
    if let Some(url) = &args.url {
        return Ok(Some(url.clone()));
    }
    let raw_name: OsString = args
        .image
        .as_deref()
        .and_then(Path::file_name)
        .map_or_else(|| file_name.into(), OsString::from);
    if let Some(base) = &args.base_url {
        return Ok(Some(image_url::join(base, Path::new(&raw_name))));
    }
    let Some(image) = args.image.as_deref() else {
        return Ok(None);
    };
    // Config folders may be written with or without symlinks resolved.
    let candidates = [std::path::absolute(image).ok(), image.canonicalize().ok()];
    Ok(candidates
        .iter()
        .flatten()
        .find_map(|path| config.base_url_for(path))
        .map(|(base, relative)| image_url::join(&base.url, &relative)))
}

fn emit(
    args: &SnippetArgs,
    targets: &[Target],
    input: &SnippetInput,
    templates: &Templates,
) -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    for &target in targets {
        if args.all_targets {
            text.push_str(&format!("==> {}: --target {target} <==\n", target.title()));
        }
        match render(target, input, templates) {
            Ok(snippet) => text.push_str(&snippet),
            Err(SnippetError::Unsupported { reason, .. }) if args.all_targets => {
                text.push_str(reason);
                text.push('\n');
            }
            Err(e) => return Err(e).context("cannot make the snippet"),
        }
        if args.all_targets {
            text.push('\n');
        }
    }
    write_stdout(text.as_bytes())?;
    if args.copy {
        copy(&text);
    }
    Ok(ExitCode::SUCCESS)
}

/// Copies `text` so it outlives gvmi; tells the user where it went.
fn copy(text: &str) {
    let mut clipboard = Clipboard::new();
    match clipboard.keep_serving_after_exit(text) {
        CopyOutcome::System => eprintln!("gvmi: copied to the clipboard"),
        CopyOutcome::Osc52(sequence) => {
            let reason = clipboard
                .unavailable_reason()
                .unwrap_or("it did not take the text");
            // Only a terminal can act on OSC 52; into a file or pipe it is noise.
            if std::io::stderr().is_terminal() {
                eprint!("{sequence}");
                warn(
                    "warning",
                    format!(
                        "no system clipboard ({reason}); asked the terminal to copy \
                         it (OSC 52), which works only if the terminal allows it"
                    ),
                );
            } else {
                warn(
                    "warning",
                    format!("no clipboard available ({reason}); the snippet is only printed"),
                );
            }
        }
    }
}
