//! `gvmi snippet`: the SDK code for images, with their hash and URL.
//!
//! Each image is prepared (`prepare`: hash, inspection, URL and its checks),
//! then printed (`output`: text or JSON). A refused image is named on stderr
//! and the others go on; the exit status is 1 at the end.

mod output;
mod prepare;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::SnippetArgs;
use crate::clipboard;
use crate::config::Config;
use crate::discover::Found;
use crate::snippet::{Form, SnippetError, Target, Templates};

use output::Layout;

/// A refusal the user must see; the command exits 1.
pub struct Refused {
    message: String,
    /// Whether the image passed inspection, as far as it got (`--json`'s
    /// `valid`): `Some(false)` for an invalid image.
    valid: Option<bool>,
}

pub fn run(args: &SnippetArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load_user()?;
    let templates = Templates::user()?;
    let targets = match args.target {
        _ if args.all_targets => Target::ALL.to_vec(),
        Some(t) => vec![t],
        None => vec![config.target()?],
    };
    let resources = prepare::resources(args, &config)?;
    let form = if args.full { Form::Full } else { Form::Paste };
    if let [target] = targets[..] {
        if let Some(reason) = target.unsupported_reason() {
            super::out::say(reason);
            return Ok(ExitCode::FAILURE);
        }
        if form == Form::Full && templates.source_form(target, form).is_none() {
            anyhow::bail!("{}", SnippetError::NoFullProgram { target });
        }
    }
    let (images, mut failed) = images(args)?;
    let asks_state = args.url.is_none() && args.base_url.is_none() && args.hash.is_none();
    if let Some(problem) = crate::publish::state::shared()
        .problem()
        .filter(|_| asks_state)
    {
        super::out::say(format_args!("warning: {problem}"));
    }
    let layout = Layout {
        targets: &targets,
        form,
        templates: &templates,
        several: images.len() > 1,
        all_targets: args.all_targets,
    };
    let mut out = String::new();
    for image in &images {
        match prepare::prepare(image.as_deref(), args, &config, &targets, &resources) {
            Ok(prepared) => {
                let prefix = match (layout.several, &prepared.path) {
                    (true, Some(path)) => format!("{}: ", crate::visible::visible_path(path)),
                    _ => String::new(),
                };
                // Warnings name URLs from the command line or the state
                // file, and hosts: anything, so through `visible`.
                for w in &prepared.warnings {
                    super::out::say(format_args!("warning: {prefix}{w}"));
                }
                match args.json {
                    true => output::json(&prepared, &layout, &mut out)?,
                    false => output::text(&prepared, &layout, &mut out)?,
                }
            }
            Err(Refused { message, valid }) => {
                super::out::say(&message);
                failed = true;
                if args.json {
                    output::json_refusal(image.as_deref(), &message, valid, &mut out)?;
                }
            }
        }
    }
    super::out::write_stdout(out.as_bytes())?;
    if args.copy && !out.is_empty() {
        output::copy(&out);
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The images to make snippets for (`None`: the bare `--hash`), and whether
/// an argument already failed. Folders are searched as `gvmi hash` does;
/// with `--hash` the one IMAGE only names the file and need not exist.
fn images(args: &SnippetArgs) -> anyhow::Result<(Vec<Option<PathBuf>>, bool)> {
    if args.hash.is_some() {
        anyhow::ensure!(
            args.images.len() <= 1,
            "--hash is the hash of one image; give at most one IMAGE with it"
        );
        return Ok((vec![args.images.first().cloned()], false));
    }
    let (found, empty) = super::discover_saying_empty(&args.images, args.walk.options());
    let mut failed = empty > 0;
    let mut images = Vec::new();
    for item in found {
        match item {
            Found::Image { path, .. } => images.push(Some(path)),
            Found::Problem { path, reason } => {
                super::out::warn(crate::visible::visible_path(&path), reason);
                failed = true;
            }
            Found::SkippedLink { path } => super::out::warn(
                crate::visible::visible_path(&path),
                "symbolic link not followed",
            ),
            Found::Stdin => {
                anyhow::bail!("an image is needed to make a snippet, not standard input")
            }
        }
    }
    anyhow::ensure!(
        args.url.is_none() || images.len() <= 1,
        "--url is the URL of one image; for several, give --base-url"
    );
    Ok((images, failed))
}

/// The body of the hidden `gvmi __clipboard-serve`: stdin goes on the
/// clipboard, served until another program takes it over.
pub fn serve_clipboard() -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    clipboard::serve_until_replaced(&text)?;
    Ok(ExitCode::SUCCESS)
}
