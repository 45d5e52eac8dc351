//! `gvmi snippet`: the SDK code for images, with their hash and URL.
//!
//! Each image is prepared (`prepare`: hash, inspection, URL and its checks),
//! then printed (`output`: text or JSON). A refused image is named on stderr
//! and the others go on; the exit status is 1 at the end.

mod output;
mod prepare;
mod remote;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{ResourceArgs, SnippetArgs, UrlArgs};
use crate::clipboard;
use gvmi_core::discover::{DiscoverOptions, Found};
use gvmi_core::publish::state::Published;
use gvmi_core::snippet::{Form, SnippetError, Target, Templates};

use output::Layout;

/// What `gvmi snippet` is asked to do: its command line converted once,
/// or what `gvmi publish --target/--copy` asks for the images it published.
#[derive(Debug, Clone, Default)]
pub struct SnippetRequest {
    /// Images, or folders searched with `discover`.
    pub images: Vec<PathBuf>,
    pub discover: DiscoverOptions,
    pub targets: Targets,
    pub form: Form,
    pub urls: UrlArgs,
    pub resources: ResourceArgs,
    pub json: bool,
    pub copy: bool,
    pub allow_invalid: bool,
    /// How an image given by its URL is downloaded.
    pub net: gvmi_core::verify::Options,
}

/// Which targets to print.
#[derive(Debug, Clone, Copy, Default)]
pub enum Targets {
    /// config.toml's `default_target`, else yapapi.
    #[default]
    Configured,
    One(Target),
    /// `--all-targets`: each under a heading.
    All,
}

impl From<&SnippetArgs> for SnippetRequest {
    fn from(args: &SnippetArgs) -> Self {
        SnippetRequest {
            images: args.images.clone(),
            discover: args.walk.options(),
            targets: match args.target {
                _ if args.all_targets => Targets::All,
                Some(t) => Targets::One(t),
                None => Targets::Configured,
            },
            form: if args.full { Form::Full } else { Form::Paste },
            urls: args.urls.clone(),
            resources: args.resources.clone(),
            json: args.json,
            copy: args.copy,
            allow_invalid: args.allow_invalid,
            net: args.net.options(),
        }
    }
}

/// An image to make a snippet for, and the folder argument it was found
/// under (`--base-url` is joined with its path below that).
pub struct Image {
    pub path: PathBuf,
    pub root: PathBuf,
}

/// A refusal the user must see; the command exits 1.
pub struct Refused {
    message: String,
    /// Whether the image passed inspection, as far as it got (`--json`'s
    /// `valid`): `Some(false)` for an invalid image.
    valid: Option<bool>,
}

pub fn run(args: &SnippetRequest) -> anyhow::Result<ExitCode> {
    let config = match super::config_file::load(super::config_file::Use::Needed) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    let templates = Templates::user()?;
    let targets = match args.targets {
        Targets::All => Target::ALL.to_vec(),
        Targets::One(t) => vec![t],
        Targets::Configured => vec![config.target()?],
    };
    let resources = prepare::resources(&args.resources, &config)?;
    let form = args.form;
    if let [target] = targets[..] {
        if let Some(reason) = target.unsupported_reason() {
            super::out::say(reason);
            return Ok(ExitCode::FAILURE);
        }
        if form == Form::Full && templates.source_form(target, form).is_none() {
            anyhow::bail!("{}", SnippetError::NoFullProgram { target });
        }
    }
    let urls = remote::operands(args)?;
    let (images, mut failed) = match &urls {
        Some(urls) => (Vec::with_capacity(urls.len()), false),
        None => images(args)?,
    };
    // Read once for every image; its problem said once, where it matters.
    let published = Published::load();
    let asks_state = urls.is_none()
        && args.urls.url.is_none()
        && args.urls.base_url.is_none()
        && args.urls.hash.is_none();
    if let Some(problem) = published.problem().filter(|_| asks_state) {
        super::out::say(format_args!("warning: {problem}"));
    }
    let layout = Layout {
        targets: &targets,
        form,
        templates: &templates,
        several: images.len() > 1 || urls.as_ref().is_some_and(|u| u.len() > 1),
        all_targets: matches!(args.targets, Targets::All),
    };
    let asked = prepare::Asked {
        args,
        config: &config,
        published: &published,
        targets: &targets,
        resources: &resources,
    };
    let prepared: Vec<_> = match &urls {
        Some(urls) => remote::prepare_all(urls, &asked)?,
        None => (images.iter())
            .map(|image| prepare::prepare(image.as_ref(), &asked))
            .collect(),
    };
    let mut out = String::new();
    for (i, prepared) in prepared.into_iter().enumerate() {
        let image = images.get(i).and_then(Option::as_ref);
        match prepared {
            Ok(prepared) => {
                let prefix = match (layout.several, &prepared.path, &prepared.input.url) {
                    (true, Some(path), _) => {
                        format!("{}: ", gvmi_core::visible::visible_path(path))
                    }
                    (true, None, Some(url)) => format!("{}: ", gvmi_core::visible::visible(url)),
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
                    let path = image.map(|i| i.path.as_path());
                    let url = urls.as_ref().and_then(|u| u.get(i)).map(String::as_str);
                    output::json_refusal(path, url, &message, valid, &mut out)?;
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
/// with `--hash` the one IMAGE must be the file the hash is of (`prepare`
/// hashes it and refuses a mismatch).
fn images(args: &SnippetRequest) -> anyhow::Result<(Vec<Option<Image>>, bool)> {
    if args.urls.hash.is_some() {
        anyhow::ensure!(
            args.images.len() <= 1,
            "--hash is the hash of one image; give at most one IMAGE with it"
        );
        let named = args.images.first().map(|path| Image {
            path: path.clone(),
            root: path.clone(),
        });
        return Ok((vec![named], false));
    }
    anyhow::ensure!(
        !args.images.is_empty(),
        "name an IMAGE (or a folder of them), or give --hash"
    );
    let (found, empty) = super::discover_saying_empty(&args.images, args.discover);
    let mut failed = empty > 0;
    let mut images = Vec::new();
    for item in found {
        match item {
            Found::Image { path, root, .. } => images.push(Some(Image { path, root })),
            Found::Problem { path, reason } => {
                super::out::warn(gvmi_core::visible::visible_path(&path), reason);
                failed = true;
            }
            Found::SkippedLink { path } => super::out::warn(
                gvmi_core::visible::visible_path(&path),
                "symbolic link not followed",
            ),
            Found::Stdin => {
                anyhow::bail!("an image is needed to make a snippet, not standard input")
            }
        }
    }
    anyhow::ensure!(
        args.urls.url.is_none() || images.len() <= 1,
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
