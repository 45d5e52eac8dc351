//! `gvmi verify`: does the published URL serve the image, as yapapi,
//! golem-core and a provider will check? `image` checks one image, `batch`
//! a folder, `report` says what came of it. Exit codes:
//! `gvmi_core::verify::exit` (README has the table).

mod batch;
mod image;
mod report;

use std::process::ExitCode;

use super::config_file::{self, Use};
use super::out::write_stdout;
use crate::cli::VerifyArgs;
use gvmi_core::publish::state::Published;
use gvmi_core::verify::{exit, Expected};
use gvmi_core::visible::visible;

pub use report::{Local, Outcome};

pub fn run(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    // Its [[base_url]]s are the last place a URL comes from.
    let how = match (&args.urls.url, &args.urls.base_url) {
        (None, None) => Use::Needed,
        _ => Use::Optional,
    };
    let config = match config_file::load(how) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    let setup = image::Setup {
        opts: image::options(args),
        config,
        published: match args.path {
            Some(_) => Published::load(),
            None => Published::default(),
        },
    };
    let opts = &setup.opts;
    let outcome = match (&args.path, args.urls.hash) {
        (Some(path), _) if path.is_dir() => return batch::run(args, path, &setup),
        (Some(path), _) => image::single_image(args, path, &setup),
        (None, Some(digest)) => {
            let Some(url) = &args.urls.url else {
                return usage("--hash needs --url (there is no file to name)");
            };
            let expected = Expected { digest, size: None };
            Outcome {
                path: None,
                url: Some(url.clone()),
                digest: Some(digest),
                result: image::check_url(url, expected, opts, args.quiet || args.json).map_err(Ok),
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
