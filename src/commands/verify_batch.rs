//! `gvmi verify --base-url B DIR`: every image of a folder against its URL,
//! a few at a time, one line per image in folder order. The exit code is
//! the first failing image's (0 when all match).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::unbounded;

use super::out::write_stdout;
use super::verify::url_for;
use crate::cancel::CancelToken;
use crate::cli::VerifyArgs;
use crate::config::Config;
use crate::discover::{discover, Found};
use crate::hasher;
use crate::verify::{self, exit, Expected, Options};

/// One image's verdict: the stdout line, details for stderr, the exit code.
struct Verdict {
    line: String,
    detail: Option<String>,
    code: u8,
}

pub fn run(
    args: &VerifyArgs,
    dir: &Path,
    opts: &Options,
    config: &Config,
) -> anyhow::Result<ExitCode> {
    if args.url.is_some() {
        eprintln!("gvmi: --url names one image; for a folder give --base-url");
        return Ok(ExitCode::from(exit::USAGE));
    }
    let mut images: Vec<PathBuf> = Vec::new();
    let mut problems = Vec::new();
    discover(
        &[dir.to_path_buf()],
        Default::default(),
        |found| match found {
            Found::Image { path, .. } => images.push(path),
            Found::Problem { path, reason } => problems.push((path, reason)),
            Found::Stdin | Found::SkippedLink { .. } => {}
        },
    );
    for (path, reason) in &problems {
        eprintln!("gvmi: {}: {reason}", path.display());
    }
    if images.is_empty() {
        eprintln!("gvmi: no .gvmi images under {}", dir.display());
        return Ok(ExitCode::from(exit::USAGE));
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = unbounded();
    let workers = args.jobs.clamp(1, 16).min(images.len());
    let mut first_failure: Option<u8> = (!problems.is_empty()).then_some(exit::USAGE);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, images) = (&next, &images);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(image) = images.get(i) else { break };
                let verdict = check_one(args, config, opts, dir, image);
                if tx.send((i, verdict)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // Print in folder order as soon as each line's turn comes.
        let mut waiting = BTreeMap::new();
        let mut printed = 0;
        for (i, verdict) in rx {
            waiting.insert(i, verdict);
            while let Some(v) = waiting.remove(&printed) {
                let _ = write_stdout(v.line.as_bytes());
                if let Some(detail) = &v.detail {
                    eprintln!("gvmi: {detail}");
                }
                if v.code != 0 && first_failure.is_none() {
                    first_failure = Some(v.code);
                }
                printed += 1;
            }
        }
    });
    Ok(ExitCode::from(first_failure.unwrap_or(exit::OK)))
}

fn check_one(
    args: &VerifyArgs,
    config: &Config,
    opts: &Options,
    dir: &Path,
    image: &Path,
) -> Verdict {
    let shown = image
        .strip_prefix(dir)
        .unwrap_or(image)
        .display()
        .to_string();
    let url = match url_for(args, config, image, dir) {
        Ok(url) => url,
        Err(message) => {
            return Verdict {
                line: format!("{shown}: FAILED (no URL)\n"),
                detail: Some(message),
                code: exit::USAGE,
            }
        }
    };
    let hashed = match hasher::hash_file(image, &CancelToken::new(), |_| {}) {
        Ok(h) => h,
        Err(e) => {
            return Verdict {
                line: format!("{shown}: FAILED (unreadable)\n"),
                detail: Some(format!("{}: {e}", image.display())),
                code: exit::USAGE,
            }
        }
    };
    let expected = Expected {
        digest: hashed.digest,
        size: Some(hashed.stamp.size),
    };
    match verify::verify(&url, expected, opts, &CancelToken::new(), |_| {}) {
        Ok(_) => Verdict {
            line: format!("{shown}: OK {url}\n"),
            detail: None,
            code: exit::OK,
        },
        Err(failure) => Verdict {
            line: format!("{shown}: FAILED ({}) {url}\n", failure.short()),
            detail: Some(format!("{shown}: {failure}")),
            code: failure.exit_code(),
        },
    }
}
