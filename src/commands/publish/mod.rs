//! `gvmi publish`: each image to S3 or a web folder, hashed as it streams,
//! skipped when already there, proven public, remembered for `snippet`
//! and `verify`. Images go one at a time; a large one's parts in parallel.

mod report;
mod signals;

use std::path::PathBuf;
use std::process::ExitCode;

use super::cached::{CachePolicy, CacheSession};
use super::config_file::Use;
use super::out::{say, warn};
use crate::cli::PublishArgs;
use crate::progress::Tally;
use crate::status_line::StatusLine;
use gvmi_core::cancel::CancelToken;
use gvmi_core::discover::Found;
use gvmi_core::event::JobEvent as Event;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{HashFailure, Hashed};
use gvmi_core::publish::{dest, exit, state, Destination, Outcome, Spec};
use gvmi_core::snippet::caveat::{self, ImageCheck};
use gvmi_core::visible::visible_path;

/// What every image's publishing shares.
struct Ctx<'a> {
    args: &'a PublishArgs,
    target: Destination,
    cache: CacheSession,
    cancel: CancelToken,
}

pub fn run(args: &PublishArgs) -> anyhow::Result<ExitCode> {
    // Only the snippets asked for take anything from config.toml: a broken
    // one stops the run before anything is uploaded, else it is warned of.
    let how = match args.target.is_some() || args.copy {
        true => Use::Needed,
        false => Use::Optional,
    };
    if let Err(code) = super::config_file::load(how) {
        return Ok(code);
    }
    let target = match Destination::open(&Spec::from(&args.dest), args.into()) {
        Ok(t) => t,
        Err(r) => return Ok(refused(r.exit_code(), &r.to_string())),
    };
    if let Some(base) = &args.dest.public_base_url {
        for w in target.url_warnings() {
            say(format_args!("warning: --public-base-url {base}: {w}"));
        }
    }
    let cancel = CancelToken::new();
    let caught = signals::watch(&cancel);
    let cache = CacheSession::open(CachePolicy {
        enabled: !args.no_cache,
        rehash: false,
        verbose: args.verbose,
    });
    let mut ctx = Ctx {
        args,
        target,
        cache,
        cancel,
    };
    let (images, mut code) = gather(args);
    if !unique_keys(&ctx.target, &images) {
        return Ok(ExitCode::from(exit::USAGE));
    }
    let outcomes = publish_all(&mut ctx, &images);
    let notes = remember(&outcomes);
    report::print(args, &outcomes)?;
    report::fixes(args, &outcomes);
    notes.iter().for_each(|n| say(format_args!("warning: {n}")));
    for o in &outcomes {
        if let (Some((c, _, _)), true) = (&o.failure, code == exit::OK) {
            code = *c;
        }
    }
    ctx.cache.finish(&args.paths);
    if let Some(signal) = caught.signal() {
        return Ok(ExitCode::from(128 + signal as u8));
    }
    if code == exit::OK && (args.copy || args.target.is_some()) {
        return report::snippets(args, &outcomes);
    }
    Ok(ExitCode::from(code))
}

fn refused(code: u8, message: &str) -> ExitCode {
    eprintln!("gvmi: {}", gvmi_core::visible::visible(message));
    ExitCode::from(code)
}

/// Every image under the arguments, with the argument it was found under;
/// problems are said here (exit 1).
fn gather(args: &PublishArgs) -> (Vec<(PathBuf, PathBuf, FileStamp)>, u8) {
    let (found, empty) = super::discover_saying_empty(&args.paths, args.walk.options());
    let mut code = if empty > 0 { exit::LOCAL } else { exit::OK };
    let mut images = Vec::new();
    for f in found {
        match f {
            Found::Image { path, root, stamp } => {
                // Providers will refuse an invalid image (or a non-image
                // a link led to): refused before anything is uploaded.
                let anyway = "--allow-invalid publishes it anyway";
                match caveat::admit(&path, args.allow_invalid, anyway) {
                    Err(refusal) => {
                        warn(visible_path(&path), refusal);
                        code = exit::LOCAL;
                        continue;
                    }
                    Ok(ImageCheck::Invalid(problem)) => {
                        warn(visible_path(&path), format_args!("warning: {problem}"))
                    }
                    Ok(_) => {}
                }
                images.push((path, root, stamp));
            }
            Found::Problem { path, reason } => {
                warn(visible_path(&path), reason);
                code = exit::LOCAL;
            }
            Found::Stdin => {
                warn("-", "standard input cannot be published; give a file");
                code = exit::USAGE;
            }
            Found::SkippedLink { path } => {
                warn(
                    visible_path(&path),
                    "a symbolic link, skipped (-L follows links)",
                );
            }
        }
    }
    (images, code)
}

fn publish_all(ctx: &mut Ctx, images: &[(PathBuf, PathBuf, FileStamp)]) -> Vec<Outcome> {
    let total: u64 = images.iter().map(|(_, _, s)| s.size).sum();
    let mut tally = Tally::new(images.len(), total);
    let mut line = StatusLine::on_terminal(!ctx.args.json);
    let mut outcomes = Vec::new();
    for (id, (path, root, stamp)) in images.iter().enumerate() {
        if ctx.cancel.is_cancelled() {
            break;
        }
        tally.apply(&Event::Started {
            id,
            size: stamp.size,
        });
        let outcome = {
            let mut progress = |done: u64| {
                tally.apply(&Event::Progress { id, done });
                line.show_throttled(|| tally.line());
            };
            let known = ctx.cache.lookup(path, stamp).map(|h| h.digest);
            let o = (ctx.target).publish(path, root, stamp, known, &ctx.cancel, &mut progress);
            if let Some(fresh) = &o.fresh {
                ctx.cache.learn(path, fresh);
            }
            o
        };
        let result = match &outcome.failure {
            None => Ok(Hashed {
                digest: outcome
                    .hash
                    .unwrap_or(gvmi_core::digest::Sha3Digest([0; 28])),
                stamp: *stamp,
            }),
            Some((_, _, m)) => Err(HashFailure::Io(m.clone())),
        };
        tally.apply(&Event::Finished { id, result });
        line.clear();
        report::progress_words(ctx.args, &outcome);
        line.show_throttled(|| tally.line());
        let fatal = outcome.fatal;
        outcomes.push(outcome);
        if fatal && id + 1 < images.len() {
            line.clear();
            let left = images.len() - id - 1;
            warn(
                "publish",
                format_args!("stopped; {left} more image(s) not attempted"),
            );
            break;
        }
    }
    line.clear();
    outcomes
}

/// Says every key two different images would share (the second would
/// replace the first); false when there is one: then nothing is published.
fn unique_keys(target: &Destination, images: &[(PathBuf, PathBuf, FileStamp)]) -> bool {
    let all = images.iter().map(|(p, r, s)| (p.as_path(), r.as_path(), s));
    let clashes = dest::collisions(&target.dest, all, target.run.content_addressed);
    for c in &clashes {
        let (first, second) = (visible_path(&c.first), visible_path(&c.second));
        let at = target.dest.describe(&c.key);
        match c.nested {
            false => say(format_args!(
                "{first} and {second} would both be published at {at}: the second would replace the first"
            )),
            true => say(format_args!(
                "{first} would be published at {at} and {second} inside it: a file and a folder cannot share a name"
            )),
        }
    }
    if !clashes.is_empty() {
        say(
            "nothing was published: each image needs a key of its own (publish each folder \
             to its own --to prefix, or give --content-addressed to put each hash in its key)",
        );
    }
    clashes.is_empty()
}

/// Records where each image now is, for `gvmi snippet` and `gvmi verify`;
/// returns what to say about it (after the images' own lines and fixes).
fn remember(outcomes: &[Outcome]) -> Vec<String> {
    let Some(file) = state::path() else {
        return Vec::new();
    };
    state::remember_outcomes(&file, outcomes).unwrap_or_else(|e| {
        vec![format!(
            "state file {} not saved: {}",
            file.display(),
            gvmi_core::io_error::message(&e)
        )]
    })
}
