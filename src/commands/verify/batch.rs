//! `gvmi verify --base-url B DIR`: every image of a folder against its URL,
//! a few at a time, one line per image in folder order. The exit code is
//! the first failing image's (0 when all match).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::unbounded;

use super::image::{check_image, Setup};
use crate::cli::VerifyArgs;
use crate::commands::discover_saying_empty;
use crate::commands::out::{warn, write_stdout};
use gvmi_core::discover::Found;
use gvmi_core::verify::exit;
use gvmi_core::visible::visible_path;

pub fn run(args: &VerifyArgs, dir: &Path, setup: &Setup) -> anyhow::Result<ExitCode> {
    if args.urls.url.is_some() {
        eprintln!("gvmi: --url names one image; for a folder give --base-url");
        return Ok(ExitCode::from(exit::USAGE));
    }
    let mut images: Vec<PathBuf> = Vec::new();
    let mut problems = Vec::new();
    let (found, empty) = discover_saying_empty(&[dir.to_path_buf()], args.walk.options());
    for item in found {
        match item {
            Found::Image { path, .. } => images.push(path),
            Found::Problem { path, reason } => problems.push((path, reason)),
            Found::Stdin | Found::SkippedLink { .. } => {}
        }
    }
    for (path, reason) in &problems {
        warn(visible_path(path), reason);
    }
    if empty > 0 || images.is_empty() {
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
                let verdict = check_image(args, setup, dir, image, true);
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
                if args.json {
                    let _ = write_stdout(v.json().as_bytes());
                } else {
                    // The path as `gvmi hash DIR` prints it (`./a.gvmi`).
                    let (line, detail) = v.batch_text(v.path.as_deref().unwrap_or(dir));
                    let _ = write_stdout(line.as_bytes());
                    eprint!("{detail}");
                }
                let code = v.exit_code();
                if code != 0 && first_failure.is_none() {
                    first_failure = Some(code);
                }
                printed += 1;
            }
        }
    });
    Ok(ExitCode::from(first_failure.unwrap_or(exit::OK)))
}
