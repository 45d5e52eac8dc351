//! `gvmi hash`: a parallel, folder-walking `sha3sum -a 224`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

mod output;

use output::{render, Format, Outcome};

use super::cached::{CachePolicy, CacheSession};
use super::fetching::{self, StreamJob};
use super::ordered::InOrder;
use super::out::{say, warn, write_stdout};
use super::watching::Watching;
use crate::cli::HashArgs;
use gvmi_core::cancel::CancelToken;
use gvmi_core::discover::{DiscoverOptions, Found};
use gvmi_core::engine::Job;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{self, Hashed};
use gvmi_core::manifest::Manifests;
use gvmi_core::remote::{self, Source, Stream};
use gvmi_core::sumline::LineStyle;
use gvmi_core::units::count_as;
use gvmi_core::visible::visible_path;

pub fn run(args: &HashArgs) -> anyhow::Result<ExitCode> {
    let opts = args.walk.options();
    let mut watching = match args.cache.watch {
        true => Some(Watching::start(&args.paths)?),
        false => None,
    };
    // Opened before discovery: its clock decides which results are too fresh to keep.
    let policy = CachePolicy::from(&args.cache);
    let mut cache = CacheSession::open(policy);
    let (found, empty_folders) = operands(&args.paths, opts, args.sha3sum.form);
    let format = match args.json {
        true => Format::Json,
        false => Format::Lines(LineStyle {
            tag: args.tag,
            binary: args.sha3sum.binary,
            zero: args.sha3sum.zero,
            perl: args.sha3sum.form,
        }),
    };
    let mut results = InOrder::new(found.len());
    // An empty folder fails the run, except when watching it fill up.
    let mut failures = if args.cache.watch { 0 } else { empty_folders };
    let mut sums = Manifests::default();
    let on_terminal = std::io::stdout().is_terminal();
    let mut emit = |results: &mut InOrder<Outcome>| -> anyhow::Result<()> {
        let mut buf = Vec::new();
        for outcome in results.drain_ready() {
            failures += usize::from(matches!(
                outcome,
                Outcome::Failed { .. } | Outcome::Fetched { result: Err(_), .. }
            ));
            if let Outcome::Hashed {
                path,
                hashed,
                stream,
            } = &outcome
            {
                if args.cache.write_sums && *stream {
                    // Not a file in any folder: no manifest can list it.
                    let what = match path.as_os_str() == "-" {
                        true => "standard input has no file name",
                        false => "not a regular file",
                    };
                    warn(
                        visible_path(path),
                        format_args!("{what}; not written to any SHA3SUMS"),
                    );
                    failures += 1;
                } else if args.cache.write_sums {
                    sums.add(path, hashed.digest);
                }
                if let (Some(w), false) = (watching.as_mut(), stream) {
                    w.seen(path, hashed.stamp);
                }
            }
            render(&outcome, format, on_terminal, &mut buf)?;
        }
        Ok(write_stdout(&buf)?)
    };

    let mut jobs = Vec::new();
    let mut downloads = Vec::new();
    let mut stamps = Vec::with_capacity(found.len());
    let mut urls = Vec::with_capacity(found.len());
    let net = args.net.options();
    for (index, item) in found.into_iter().enumerate() {
        stamps.push(None);
        urls.push(None);
        let item = match item {
            Operand::Named(path) => {
                let read = hasher::hash_named(&path, &CancelToken::new());
                results.fill(index, streamed(path, read));
                continue;
            }
            Operand::Url(url) => {
                urls[index] = Some(url.clone());
                downloads.push(StreamJob {
                    id: index,
                    size: None,
                    open: Box::new(move |cancel| Stream::open(&url, None, &net, cancel)),
                });
                continue;
            }
            Operand::Found(item) => item,
        };
        match item {
            Found::Image { path, stamp, .. } => {
                if let Some(hashed) = cache.lookup(&path, &stamp) {
                    let stream = false;
                    results.fill(
                        index,
                        Outcome::Hashed {
                            path,
                            hashed,
                            stream,
                        },
                    );
                    continue;
                }
                stamps[index] = Some((path.clone(), stamp));
                jobs.push(Job {
                    id: index,
                    path,
                    stamp: Some(stamp),
                });
            }
            Found::Stdin => {
                let read =
                    hasher::hash_reader(std::io::stdin().lock(), &CancelToken::new(), |_| {});
                results.fill(index, streamed(PathBuf::from("-"), read));
            }
            Found::Problem { path, reason } => results.fill(
                index,
                Outcome::Failed {
                    path,
                    stamp: None,
                    reason,
                },
            ),
            Found::SkippedLink { path } => results.fill(index, Outcome::SkippedLink(path)),
        }
    }
    emit(&mut results).context("write error")?;
    // A failed write (a full disk) must not pass for success: keep the
    // first error, stop writing, and end the run with it.
    let mut write_error = None;
    super::run_jobs(jobs, args.jobs, !args.quiet, |id, result| {
        let (path, stamp) = stamps[id].take().expect("each job finishes once");
        let outcome = match result {
            Ok(hashed) => {
                cache.learn(&path, &hashed);
                Outcome::Hashed {
                    path,
                    hashed,
                    stream: false,
                }
            }
            Err(failure) => Outcome::Failed {
                path,
                stamp: Some(stamp),
                reason: failure.to_string(),
            },
        };
        results.fill(id, outcome);
        // A closed stdout already exited; any other write error ends the run below.
        if write_error.is_none() {
            write_error = emit(&mut results).err();
        }
    })?;
    if write_error.is_none() {
        fetching::hash_streams(downloads, args.jobs, !args.quiet, |id, result| {
            let url = urls[id].take().expect("each download finishes once");
            let result = result.map_err(|failure| failure.to_string());
            results.fill(id, Outcome::Fetched { url, result });
            if write_error.is_none() {
                write_error = emit(&mut results).err();
            }
        })?;
    }
    if let Some(e) = write_error {
        return Err(e.context("write error"));
    }
    emit(&mut results).context("write error")?;
    let corrupted = cache.corrupted;
    cache.finish(&args.paths);
    if args.cache.write_sums {
        failures += write_sums(&sums, args.cache.verbose, args.cache.replace_sums);
    }
    if let Some(watching) = watching {
        return watching.follow(policy);
    }
    Ok(if failures == 0 && corrupted == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A PATH as `gvmi hash` takes it: in the sha3sum form a FIFO, device or
/// socket named on the command line is read as a stream (`gvmi -a 224
/// <(…)`: the user named it, and sha3sum reads it); anything else is
/// discovered, folders walked (where such files are never opened; gvmi's
/// own manner reports a named one without opening it). Also returns how
/// many folders held no image.
enum Operand {
    Found(Found),
    Named(PathBuf),
    /// An http or https URL (`remote::is_remote`).
    Url(String),
}

/// Writes each folder's `SHA3SUMS` and says what came of it; returns how
/// many could not be written (each named on stderr).
fn write_sums(sums: &Manifests, verbose: bool, replace: bool) -> usize {
    let mut failed = 0;
    for (path, written) in sums.write_all(replace) {
        match written {
            Ok(n) if verbose => say(format_args!(
                "wrote {} ({})",
                visible_path(&path),
                count_as(n, "entry", "entries")
            )),
            Ok(_) => {}
            Err(e) => {
                failed += 1;
                warn(
                    visible_path(&path),
                    format_args!("not written: {}", gvmi_core::io_error::message(&e)),
                );
            }
        }
    }
    failed
}

fn operands(paths: &[PathBuf], opts: DiscoverOptions, form: bool) -> (Vec<Operand>, usize) {
    let (mut all, mut empty) = (Vec::new(), 0);
    for path in paths {
        if let Some(arg) = path.to_str().filter(|a| remote::is_remote(a)) {
            all.push(remote_operand(path, arg));
            continue;
        }
        if form && path.as_os_str() != "-" && gvmi_core::fsmeta::is_named_stream(path) {
            all.push(Operand::Named(path.clone()));
            continue;
        }
        let (found, none) = super::discover_saying_empty(std::slice::from_ref(path), opts);
        all.extend(found.into_iter().map(Operand::Found));
        empty += none;
    }
    (all, empty)
}

/// A remote argument: an http(s) URL is downloaded; anything else (a
/// bucket, a URL gvmi may not fetch) is refused by name.
fn remote_operand(path: &Path, arg: &str) -> Operand {
    let problem = |reason: String| {
        Operand::Found(Found::Problem {
            path: path.to_path_buf(),
            reason,
        })
    };
    match Source::parse(arg, &Default::default()) {
        Ok(Source::Url(url)) => Operand::Url(url),
        Ok(Source::Bucket(_)) => problem(
            "gvmi hash reads http(s) URLs; a bucket is checked with gvmi check s3://BUCKET[/PREFIX]"
                .into(),
        ),
        Err(e) => problem(e.to_string()),
    }
}

/// What reading standard input or a named stream came to.
fn streamed(
    path: PathBuf,
    read: Result<(gvmi_core::digest::Sha3Digest, u64), hasher::HashFailure>,
) -> Outcome {
    match read {
        Ok((digest, size)) => Outcome::Hashed {
            path,
            hashed: Hashed {
                digest,
                stamp: FileStamp {
                    size,
                    mtime: None,
                    id: None,
                    ctime: None,
                },
            },
            stream: true,
        },
        Err(failure) => Outcome::Failed {
            path,
            stamp: None,
            reason: failure.to_string(),
        },
    }
}
