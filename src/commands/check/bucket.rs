//! `gvmi check s3://BUCKET[/PREFIX]`: an audit of a published prefix. Its
//! `*.gvmi` objects are listed a page at a time (memory bounded by a page
//! whatever the bucket holds), each object's bytes downloaded as they are
//! now (a signed GET, a few at once) and hashed, and compared with what
//! was recorded: its `x-amz-meta-sha3-224`, and the prefix's `SHA3SUMS`
//! line when there is one. `KEY: OK` when every record matches,
//! `KEY: FAILED` otherwise; an object with nothing recorded is not
//! downloaded and is said to carry no recorded hash (a failure only with
//! `--strict`). A `SHA3SUMS` line whose object is gone is `FAILED open or
//! read`, as a missing file in a local list.

use std::collections::HashSet;
use std::io::{self, IsTerminal};

use serde::Serialize;

use super::entries::Verdict;
use super::{summarize, Counts};
use crate::cli::CheckArgs;
use crate::commands::fetching::{self, Failed, StreamJob};
use crate::commands::json;
use crate::commands::out::{say, warn, write_stdout};
use gvmi_core::cancel::CancelToken;
use gvmi_core::digest::Sha3Digest;
use gvmi_core::hasher::Hashed;
use gvmi_core::publish::Spec;
use gvmi_core::remote::{Bucket, Object, Recorded, Sums};
use gvmi_core::sumline::shown_status_name;

/// What became of one object (or one `SHA3SUMS` line without its object).
enum Outcome {
    Ok,
    /// The bytes hash to something else than a record; the words say which.
    Failed(String),
    /// The download failed (its words), or the object is gone.
    Unreadable(Verdict),
    /// No `x-amz-meta-sha3-224` and no `SHA3SUMS` line: nothing to check.
    Unrecorded,
}

/// The run's tallies beyond a list's.
#[derive(Default)]
struct Tally {
    counts: Counts,
    objects: usize,
    unrecorded: usize,
    /// Objects without metadata (some are checked by `SHA3SUMS` alone).
    no_metadata: usize,
}

pub fn check(spec: &Spec, args: &CheckArgs) -> anyhow::Result<bool> {
    let bucket = match Bucket::open(spec) {
        Ok(bucket) => bucket,
        Err(e) => {
            say(e);
            return Ok(false);
        }
    };
    let name = bucket.name();
    let cancel = CancelToken::new();
    let sums = match bucket.sums(&cancel) {
        Ok(sums) => sums,
        Err(e) => {
            warn(&name, format_args!("its SHA3SUMS could not be read: {e}"));
            None
        }
    };
    let mut tally = Tally::default();
    let mut seen = HashSet::new();
    let mut listing_failed = false;
    for page in bucket.pages(&cancel) {
        match page {
            Ok(objects) => {
                check_page(&bucket, &objects, sums.as_ref(), args, &mut tally)?;
                seen.extend(objects.into_iter().map(|o| o.relative));
            }
            Err(e) => {
                warn(&name, format_args!("cannot list its objects: {e}"));
                listing_failed = true;
                break;
            }
        }
    }
    if let (Some(sums), false) = (&sums, listing_failed) {
        gone_but_listed(&bucket, sums, &seen, args, &mut tally)?;
    }
    Ok(conclude(&name, &tally, args) && !listing_failed)
}

/// Downloads and hashes a page's objects that have a record to meet, then
/// tells every object's outcome in key order.
fn check_page(
    bucket: &Bucket,
    objects: &[Object],
    sums: Option<&Sums>,
    args: &CheckArgs,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let opts = args.net.options();
    let listed = |o: &Object| sums.and_then(|s| s.get(&o.relative));
    let jobs = (objects.iter().enumerate())
        .filter(|(_, o)| o.recorded != Recorded::Missing || listed(o).is_some())
        .map(|(id, object)| StreamJob {
            id,
            size: Some(object.size),
            open: Box::new(move |cancel| bucket.stream(object, &opts, cancel)),
        })
        .collect();
    let mut hashed: Vec<Option<Result<Hashed, Failed>>> = vec![None; objects.len()];
    let progress = !(args.status || args.quiet || args.json);
    fetching::hash_streams(jobs, args.jobs, progress, |id, result| {
        hashed[id] = Some(result);
    })?;
    let mut out = Vec::new();
    for (object, hashed) in objects.iter().zip(hashed) {
        let listed = listed(object);
        let outcome = outcome(object, listed, hashed.as_ref());
        tally.objects += 1;
        tally.no_metadata += usize::from(object.recorded == Recorded::Missing);
        let record = Record {
            key: &object.key,
            size: Some(object.size),
            url: object.url.as_deref(),
            recorded: object.recorded.hash().map(|d| d.to_hex()),
            listed: listed.map(|d| d.to_hex()),
            sha3_224: hashed.and_then(Result::ok).map(|h| h.digest.to_hex()),
            outcome: "",
            message: None,
        };
        tell_outcome(&outcome, record, bucket, args, tally, &mut out)?;
    }
    write_stdout(&out)?;
    Ok(())
}

/// The outcome for `object`, from its records and its bytes' hash (`None`:
/// not downloaded, there being nothing to compare).
fn outcome(
    object: &Object,
    listed: Option<Sha3Digest>,
    hashed: Option<&Result<Hashed, Failed>>,
) -> Outcome {
    let served = match hashed {
        None => return Outcome::Unrecorded,
        Some(Err(e)) if e.is_missing() => return Outcome::Unreadable(Verdict::Missing),
        Some(Err(e)) => return Outcome::Unreadable(Verdict::Unreadable(e.to_string())),
        Some(Ok(h)) => h.digest,
    };
    let mut wrong = Vec::new();
    match &object.recorded {
        Recorded::Hash(d) if *d == served => {}
        Recorded::Hash(d) => wrong.push(format!("its x-amz-meta-sha3-224 says {d}")),
        Recorded::Malformed(text) => {
            wrong.push(format!("its x-amz-meta-sha3-224 is not a SHA3-224: {text}"))
        }
        Recorded::Unread(words) => wrong.push(format!("its metadata could not be read: {words}")),
        Recorded::Missing => {}
    }
    match listed {
        Some(d) if d != served => wrong.push(format!("SHA3SUMS lists {d}")),
        _ => {}
    }
    match wrong.is_empty() {
        true => Outcome::Ok,
        false => Outcome::Failed(format!(
            "its bytes hash to {served}, but {}",
            wrong.join(" and ")
        )),
    }
}

/// One `--json` line.
#[derive(Serialize)]
struct Record<'a> {
    key: &'a str,
    size: Option<u64>,
    url: Option<&'a str>,
    /// The object's `x-amz-meta-sha3-224`, when it holds a hash.
    recorded: Option<String>,
    /// The prefix's `SHA3SUMS` line for it.
    listed: Option<String>,
    /// What its bytes hash to now (`null`: not downloaded, or failed).
    sha3_224: Option<String>,
    /// `ok`, `failed`, `unreadable`, `missing` or `unrecorded`.
    outcome: &'static str,
    message: Option<String>,
}

fn tell_outcome(
    outcome: &Outcome,
    mut record: Record,
    bucket: &Bucket,
    args: &CheckArgs,
    tally: &mut Tally,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let counts = &mut tally.counts;
    let (word, status, why) = match outcome {
        Outcome::Ok => {
            counts.matched += 1;
            ("ok", (!args.quiet).then_some("OK"), None)
        }
        Outcome::Failed(why) => {
            counts.mismatched += 1;
            ("failed", Some("FAILED"), Some(why.as_str()))
        }
        Outcome::Unreadable(Verdict::Missing) => {
            counts.unreadable += 1;
            ("missing", Some(UNREAD), Some(GONE))
        }
        Outcome::Unreadable(Verdict::Unreadable(why)) => {
            counts.unreadable += 1;
            ("unreadable", Some(UNREAD), Some(why.as_str()))
        }
        Outcome::Unreadable(_) => ("unreadable", Some(UNREAD), None),
        Outcome::Unrecorded => {
            tally.unrecorded += 1;
            ("unrecorded", Some("NO RECORDED HASH"), Some(UNRECORDED))
        }
    };
    // Said even with --status, as a local check says an unreadable file;
    // a missing record is a note.
    let note = matches!(outcome, Outcome::Unrecorded);
    if let (Some(why), false) = (why, note && args.status) {
        warn(bucket.describe(record.key), why);
    }
    if args.json {
        record.outcome = word;
        record.message = why.map(str::to_string);
        out.extend_from_slice(json::line(&record)?.as_bytes());
    } else if let (Some(status), false) = (status, args.status) {
        line(record.key, status, out);
    }
    Ok(())
}

const UNREAD: &str = "FAILED open or read";
const GONE: &str = "listed in the prefix's SHA3SUMS, but not in the bucket";
const UNRECORDED: &str =
    "carries no x-amz-meta-sha3-224 and no SHA3SUMS line lists it: nothing to check it against";

/// `KEY: STATUS`, the key escaped as a local check escapes a name.
fn line(key: &str, status: &str, out: &mut Vec<u8>) {
    let (prefix, shown) = shown_status_name(key.as_bytes(), io::stdout().is_terminal(), false);
    out.extend_from_slice(prefix.as_bytes());
    out.extend_from_slice(&shown);
    out.extend_from_slice(format!(": {status}\n").as_bytes());
}

/// `SHA3SUMS` lines whose object the listing did not hold.
fn gone_but_listed(
    bucket: &Bucket,
    sums: &Sums,
    seen: &HashSet<String>,
    args: &CheckArgs,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let mut out = Vec::new();
    for (relative, digest) in sums.entries() {
        if seen.contains(relative) || args.ignore_missing {
            continue;
        }
        let key = bucket.key_of(relative);
        let record = Record {
            key: &key,
            size: None,
            url: None,
            recorded: None,
            listed: Some(digest.to_hex()),
            sha3_224: None,
            outcome: "",
            message: None,
        };
        tally.objects += 1;
        tell_outcome(
            &Outcome::Unreadable(Verdict::Missing),
            record,
            bucket,
            args,
            tally,
            &mut out,
        )?;
    }
    write_stdout(&out)?;
    Ok(())
}

/// Whether the audit leaves the exit status 0, with its summary.
fn conclude(name: &str, tally: &Tally, args: &CheckArgs) -> bool {
    if tally.objects == 0 {
        warn(name, "holds no *.gvmi object");
        return false;
    }
    if !args.status {
        summarize(&tally.counts);
        if tally.no_metadata > 0 {
            let n = tally.no_metadata;
            let what = if n == 1 {
                "object carries"
            } else {
                "objects carry"
            };
            say(format_args!(
                "WARNING: {n} {what} no recorded hash (x-amz-meta-sha3-224)"
            ));
        }
    }
    let counts = &tally.counts;
    let clean = counts.mismatched == 0 && counts.unreadable == 0;
    clean && !(args.strict && tally.unrecorded > 0)
}
