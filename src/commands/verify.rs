//! `gvmi verify`: does the published URL serve the image, as yapapi,
//! golem-core and a provider will check? One image here; a folder goes to
//! `verify_batch`. Exit codes: `crate::verify::exit` (README has the table).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use super::out::write_stdout;
use crate::cancel::CancelToken;
use crate::cli::VerifyArgs;
use crate::config::Config;
use crate::hasher;
use crate::status_line::StatusLine;
use crate::units::human_bytes;
use crate::url_choice::{self, UrlChoice};
use crate::verify::{self, exit, Expected, Options, Stage};
use crate::visible::{visible, visible_path};

pub use super::verify_report::{Local, Outcome};

pub fn run(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let opts = options(args);
    let config = Config::load_user()?;
    let outcome = match (&args.path, args.hash) {
        (Some(path), _) if path.is_dir() => {
            return super::verify_batch::run(args, path, &opts, &config)
        }
        (Some(path), _) => single_image(args, path, &opts, &config),
        (None, Some(digest)) => {
            let Some(url) = &args.url else {
                return usage("--hash needs --url (there is no file to name)");
            };
            let expected = Expected { digest, size: None };
            Outcome {
                path: None,
                url: Some(url.clone()),
                digest: Some(digest),
                result: check_url(url, expected, &opts, args.quiet || args.json).map_err(Ok),
            }
        }
        (None, None) => {
            return usage("name an IMAGE, a folder with --base-url, or --hash with --url")
        }
    };
    if args.json {
        let _ = write_stdout(outcome.json().as_bytes());
    } else {
        let (out, err) = outcome.single_text();
        // A closed stdout is not a failed verification.
        let _ = write_stdout(out.as_bytes());
        eprint!("{err}");
    }
    Ok(ExitCode::from(outcome.exit_code()))
}

fn usage(message: &str) -> anyhow::Result<ExitCode> {
    eprintln!("gvmi: {}", visible(message));
    Ok(ExitCode::from(exit::USAGE))
}

pub fn options(args: &VerifyArgs) -> Options {
    let mut opts = Options::default();
    if let Some(secs) = args.timeout {
        let t = Duration::from_secs_f64(secs);
        opts.connect_timeout = t;
        opts.read_timeout = t;
    }
    opts.deadline = args.deadline.map(Duration::from_secs_f64);
    opts.max_redirects = args.max_redirects;
    opts
}

/// The URL for an image, by `url_choice`'s rule: `--url`, else
/// `--base-url` + its path below `root`, else the config file's
/// `[[base_url]]` for its folder.
pub fn url_for(
    args: &VerifyArgs,
    config: &Config,
    image: &Path,
    root: &Path,
) -> Result<String, String> {
    let choice = UrlChoice {
        own: args.url.as_deref(),
        run_base: args.base_url.as_deref(),
        config,
    };
    let relative = url_choice::relative_below(image, root);
    choice
        .url(relative, &url_choice::absolute_spellings(image, false))
        .ok_or_else(|| {
            format!(
                "{}: no URL: give --url or --base-url (or a [[base_url]] for its folder in config.toml)",
                visible_path(image)
            )
        })
}

/// Hashes the local image, then checks its URL.
pub fn check_image(
    args: &VerifyArgs,
    config: &Config,
    opts: &Options,
    root: &Path,
    image: &Path,
    quiet: bool,
) -> Outcome {
    let mut outcome = Outcome {
        path: Some(image.to_path_buf()),
        url: None,
        digest: None,
        result: Err(Err(Local::NoUrl(String::new()))),
    };
    let url = match url_for(args, config, image, root) {
        Ok(url) => url,
        Err(message) => {
            outcome.result = Err(Err(Local::NoUrl(message)));
            return outcome;
        }
    };
    outcome.url = Some(url.clone());
    let mut line = StatusLine::on_terminal(!quiet);
    line.show(&format!("hashing {}", visible_path(image)));
    let hashed = hasher::hash_file(image, &CancelToken::new(), |_| {});
    line.clear();
    let hashed = match hashed {
        Ok(h) => h,
        Err(e) => {
            let message = format!("{}: {e}", visible_path(image));
            outcome.result = Err(Err(Local::Unreadable(message)));
            return outcome;
        }
    };
    outcome.digest = Some(hashed.digest);
    let expected = Expected {
        digest: hashed.digest,
        size: Some(hashed.stamp.size),
    };
    outcome.result = check_url(&url, expected, opts, quiet).map_err(Ok);
    outcome
}

fn single_image(args: &VerifyArgs, path: &Path, opts: &Options, config: &Config) -> Outcome {
    let root = path.parent().unwrap_or(Path::new(""));
    check_image(args, config, opts, root, path, args.quiet || args.json)
}

/// Verifies one URL with a progress line (unless `quiet`).
fn check_url(
    url: &str,
    expected: Expected,
    opts: &Options,
    quiet: bool,
) -> Result<verify::Verified, verify::Failure> {
    let mut line = StatusLine::on_terminal(!quiet);
    let result = verify::verify(url, expected, opts, &CancelToken::new(), |stage| {
        line.show(&stage_text(url, stage));
    });
    line.clear();
    result
}

fn stage_text(url: &str, stage: Stage) -> String {
    match stage {
        Stage::Head => format!("HEAD {}", visible(url)),
        Stage::Get {
            done,
            total: Some(total),
        } if total > 0 => format!(
            "GET {:>3}% {} / {}",
            done * 100 / total,
            human_bytes(done),
            human_bytes(total)
        ),
        Stage::Get { done, .. } => format!("GET {}", human_bytes(done)),
    }
}
