//! One image against its URL: the URL chosen (`url_choice`), the local
//! file hashed, the URL checked, with verify's stages on the status line.

use std::path::Path;
use std::time::Duration;

use super::report::{Local, Outcome};
use crate::cli::VerifyArgs;
use crate::commands::out::warn;
use crate::status_line::StatusLine;
use gvmi_core::cancel::CancelToken;
use gvmi_core::config::Config;
use gvmi_core::hasher;
use gvmi_core::publish::state::Published;
use gvmi_core::snippet::caveat::{self, ImageCheck};
use gvmi_core::units::human_bytes;
use gvmi_core::url_choice;
use gvmi_core::verify::{self, Expected, Options, Stage};
use gvmi_core::visible::{visible, visible_path};

/// What every image of a run is checked with, read once.
pub(super) struct Setup {
    pub opts: Options,
    pub config: Config,
    /// Where `gvmi publish` put images.
    pub published: Published,
}

pub(super) fn options(args: &VerifyArgs) -> Options {
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
/// `--base-url` + its path below `root`, else where `gvmi publish` put
/// it, else the config file's `[[base_url]]` for its folder.
pub(super) fn url_for(
    args: &VerifyArgs,
    setup: &Setup,
    image: &Path,
    root: &Path,
) -> Result<url_choice::Chosen, String> {
    let choice = (args.urls).choice(Some(&setup.published), &setup.config);
    let relative = url_choice::relative_below(image, root);
    choice
        .choose(relative, &url_choice::absolute_spellings(image, false))
        .ok_or_else(|| {
            format!(
                "{}: no URL: give --url or --base-url (or a [[base_url]] for its folder in config.toml)",
                visible_path(image)
            )
        })
}

/// Hashes the local image, then checks its URL.
pub(super) fn check_image(
    args: &VerifyArgs,
    setup: &Setup,
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
    let chosen = match url_for(args, setup, image, root) {
        Ok(chosen) => chosen,
        Err(message) => {
            outcome.result = Err(Err(Local::NoUrl(message)));
            return outcome;
        }
    };
    let url = chosen.url;
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
    // A URL may serve a broken file exactly: verified, but providers will
    // refuse it, said in the words snippet and publish refuse it with.
    if let (ImageCheck::Invalid(problem), false) = (caveat::check(image), args.json) {
        warn(visible_path(image), format_args!("warning: {problem}"));
    }
    let changed = chosen.published.as_ref();
    let note = changed.and_then(|r| gvmi_core::publish::state::changed_since(r, &hashed.digest));
    if let (Some(note), false) = (note, args.json) {
        warn(visible_path(image), note);
    }
    let expected = Expected {
        digest: hashed.digest,
        size: Some(hashed.stamp.size),
    };
    outcome.result = check_url(&url, expected, &setup.opts, quiet).map_err(Ok);
    outcome
}

pub(super) fn single_image(args: &VerifyArgs, path: &Path, setup: &Setup) -> Outcome {
    let root = path.parent().unwrap_or(Path::new(""));
    check_image(args, setup, root, path, args.quiet || args.json)
}

/// Verifies one URL with a progress line (unless `quiet`).
pub(super) fn check_url(
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
