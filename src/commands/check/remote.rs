//! `gvmi check` of a remote argument: an http(s) `SHA3SUMS` (each name
//! resolved below the list's URL and downloaded as providers download it,
//! a few at once) or `s3://BUCKET[/PREFIX]` (`bucket`). Lines, words and
//! exit codes as for a local list.

use std::path::Path;

use super::entries::Verdict;
use super::{conclude, tell, Counts};
use crate::cli::CheckArgs;
use crate::commands::fetching::{self, StreamJob};
use crate::commands::ordered::InOrder;
use crate::commands::out::{say, warn, write_stdout};
use gvmi_core::cancel::CancelToken;
use gvmi_core::digest::Sha3Digest;
use gvmi_core::remote::{self, sums, Source, Stream};
use gvmi_core::sumline::{parse_line, Line};
use gvmi_core::visible::visible;

/// Checks `list` if it names a remote source: whether it leaves the exit
/// status 0; `None` for a local list. The sha3sum form reads local lists
/// only, as Perl's `sha3sum` does.
pub fn check(list: &Path, args: &CheckArgs) -> anyhow::Result<Option<bool>> {
    let Some(arg) = list.to_str().filter(|a| !args.form && remote::is_remote(a)) else {
        return Ok(None);
    };
    let storage = args.storage.spec(arg, args.net.timeout);
    let clean = match Source::parse(arg, &storage) {
        Err(e) => {
            say(e);
            false
        }
        Ok(Source::Url(url)) => url_list(&url, args)?,
        Ok(Source::Bucket(spec)) => super::bucket::check(&spec, args)?,
    };
    Ok(Some(clean))
}

/// Whether `arg` names a bucket (`s3://`, any case).
pub fn is_bucket(arg: &str) -> bool {
    arg.get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("s3://"))
}

/// One line of a remote list.
struct Listed {
    name: Vec<u8>,
    digest: Sha3Digest,
}

fn url_list(url: &str, args: &CheckArgs) -> anyhow::Result<bool> {
    let label = visible(url).into_owned();
    let opts = args.net.options();
    let text = match sums::fetch(url, &opts, &CancelToken::new()) {
        Ok(text) => text,
        Err(e) => {
            say(e);
            return Ok(false);
        }
    };
    let mut counts = Counts::default();
    let mut listed = Vec::new();
    for (number, raw) in text.split(|&b| b == b'\n').enumerate() {
        match parse_line(raw) {
            Line::Skip => {}
            Line::Malformed => {
                counts.malformed += 1;
                if args.warn {
                    let what = "improperly formatted SHA3-224 checksum line";
                    warn(format_args!("{label}: {}", number + 1), what);
                }
            }
            Line::Entry { digest, name } => {
                counts.formatted += 1;
                listed.push(Listed { name, digest });
            }
        }
    }
    verify(url, &listed, args, &mut counts)?;
    Ok(conclude(&label, &counts, args))
}

/// Downloads and hashes every listed name, telling each verdict in list
/// order as soon as it and those before it are known.
fn verify(
    url: &str,
    listed: &[Listed],
    args: &CheckArgs,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let opts = args.net.options();
    let mut verdicts = InOrder::new(listed.len());
    let mut jobs = Vec::new();
    for (id, entry) in listed.iter().enumerate() {
        let resolved = std::str::from_utf8(&entry.name)
            .map_err(|_| "a name that is not UTF-8 has no URL".to_string())
            .and_then(|name| sums::resolve(url, name).map_err(|e| e.to_string()));
        match resolved {
            Ok(target) => jobs.push(StreamJob {
                id,
                size: None,
                open: Box::new(move |cancel| Stream::open(&target, None, &opts, cancel)),
            }),
            Err(reason) => verdicts.fill(id, (id, Verdict::Unreadable(reason))),
        }
    }
    let report = |verdicts: &mut InOrder<(usize, Verdict)>, counts: &mut Counts| {
        let mut out = Vec::new();
        for (id, verdict) in verdicts.drain_ready() {
            tell(&listed[id].name, &verdict, args, counts, &mut out);
        }
        write_stdout(&out)
    };
    report(&mut verdicts, counts)?;
    let mut write_error = None;
    let progress = !(args.status || args.quiet);
    fetching::hash_streams(jobs, args.jobs, progress, |id, result| {
        let verdict = match result {
            Ok(hashed) if hashed.digest == listed[id].digest => Verdict::Ok,
            Ok(_) => Verdict::Mismatch,
            // Skipped with --ignore-missing; else the server's words.
            Err(failed) if failed.is_missing() && args.ignore_missing => Verdict::Missing,
            Err(failed) => Verdict::Unreadable(failed.to_string()),
        };
        verdicts.fill(id, (id, verdict));
        if write_error.is_none() {
            write_error = report(&mut verdicts, counts).err();
        }
    })?;
    if let Some(e) = write_error {
        return Err(anyhow::Error::new(e).context("write error"));
    }
    Ok(())
}
