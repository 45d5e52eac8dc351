//! `gvmi check`: `sha3sum -a 224 -c`, with the listed files hashed in parallel.
//!
//! Two manners: gvmi's own (`gvmi check`, `gvmi hash -c`: GNU's line rules,
//! SHA3-224 only), and the sha3sum form (`gvmi -a 224 -c`: Perl's
//! `sha3sum` 1.05 byte for byte, see `sumline::perl`).

use std::io::{self, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::ordered::InOrder;
use super::out::{warn, write_stdout};
use crate::cli::CheckArgs;
use gvmi_core::engine::Job;
use gvmi_core::hasher::HashFailure;
use gvmi_core::io_error;
use gvmi_core::sumline::{bytes_path, parse_line, perl, shown_status_name, Line};
use gvmi_core::visible::visible_path;

mod bucket;
mod entries;
mod list;
mod remote;

use entries::{Check, Entry, Verdict};

/// What one list added up to.
#[derive(Default)]
struct Counts {
    malformed: usize,
    /// Properly formatted lines (sha3sum's `$num_fmt_OK`), skipped ones too.
    formatted: usize,
    mismatched: usize,
    unreadable: usize,
    /// Entries whose hash matched (GNU's "verified": a mismatch is not one).
    matched: usize,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let bucket = |list: &std::path::PathBuf| list.to_str().is_some_and(remote::is_bucket);
    anyhow::ensure!(
        !args.json || args.files.iter().all(bucket),
        "--json is for buckets (s3://BUCKET[/PREFIX]); a list's lines are sha3sum's"
    );
    let mut ok = true;
    for list in &args.files {
        if let Some(clean) = remote::check(list, args)? {
            ok &= clean;
            continue;
        }
        match check_list(list, args)? {
            Ok(clean) => ok &= clean,
            // sha3sum `die`s on a list it cannot open: the rest are not read.
            Err(status) => return Ok(ExitCode::from(status)),
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn list_label(list: &Path) -> String {
    if list.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        visible_path(list).into_owned()
    }
}

/// Entries verified at a time: the list is streamed, so memory stays at one
/// batch however long the list (GNU reads a line at a time too).
const BATCH: usize = 4096;

/// The words of a line's kind in messages: sha3sum's in the sha3sum form.
fn kind(args: &CheckArgs) -> &'static str {
    match args.form {
        true => "SHA3",
        false => "SHA3-224",
    }
}

/// Verifies one list: whether it leaves the exit status 0, or (sha3sum form)
/// the status to stop with at once, as sha3sum's `die` (errno) does.
fn check_list(list: &Path, args: &CheckArgs) -> anyhow::Result<Result<bool, u8>> {
    let label = list_label(list);
    let mut counts = Counts::default();
    match stream_list(list, &label, args, &mut counts) {
        Ok(()) => {}
        Err(ListError::Open(e)) if args.form => {
            warn(&label, io_error::message(&e));
            let errno = e.raw_os_error().unwrap_or(0) & 0xff;
            return Ok(Err(if errno == 0 { 255 } else { errno as u8 }));
        }
        Err(ListError::Open(e) | ListError::Read(e)) => {
            warn(&label, io_error::message(&e));
            return Ok(Ok(false));
        }
        Err(ListError::Output(e)) => return Err(e),
    }
    Ok(Ok(conclude(&label, &counts, args)))
}

/// What a list's counts come to: whether it leaves the exit status 0,
/// with the summary and the warnings a list gets.
fn conclude(label: &str, counts: &Counts, args: &CheckArgs) -> bool {
    if counts.formatted == 0 {
        let what = format!("no properly formatted {} checksum lines found", kind(args));
        warn(label, what);
        return false;
    }
    if !args.status {
        summarize(counts);
    }
    if args.ignore_missing && counts.matched == 0 {
        if !args.status {
            warn(label, "no file was verified");
        }
        return false;
    }
    let clean = counts.mismatched == 0 && counts.unreadable == 0;
    clean && !(args.strict && counts.malformed > 0)
}

enum ListError {
    /// The list could not be opened.
    Open(io::Error),
    /// The list could not be read (gvmi's manner; sha3sum stops quietly).
    Read(io::Error),
    /// Writing the verdicts failed.
    Output(anyhow::Error),
}

/// Reads the list a line at a time, verifying every [`BATCH`] entries.
fn stream_list(
    list: &Path,
    label: &str,
    args: &CheckArgs,
    counts: &mut Counts,
) -> Result<(), ListError> {
    let mut reader = list::open(list, args.form).map_err(ListError::Open)?;
    let from_stdin = list.as_os_str() == "-";
    let (mut lines, mut batch, mut number) = (list::Lines::default(), Vec::new(), 0usize);
    loop {
        let line = match lines.next(&mut *reader) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            // sha3sum's readline ends quietly on an error (a folder: EISDIR).
            Err(_) if args.form => break,
            Err(e) => return Err(ListError::Read(e)),
        };
        number += 1;
        let entry = match args.form {
            true => match perl::parse(line.bytes) {
                perl::Parsed::Comment => continue,
                perl::Parsed::Malformed => None,
                perl::Parsed::Entry(entry) => {
                    counts.formatted += 1;
                    let rest = from_stdin.then_some(&mut reader as &mut dyn io::Read);
                    match entries::from_perl(entry, args.ignore_missing, rest.map(|r| r as _)) {
                        Some(entry) => Some(entry),
                        None => continue,
                    }
                }
            },
            false => match parse_line(line.bytes) {
                Line::Skip => continue,
                // Cut short: not an entry (a comment if it began as one).
                Line::Entry { .. } if !line.whole => None,
                Line::Malformed => None,
                Line::Entry { digest, name } => {
                    counts.formatted += 1;
                    Some(Entry {
                        name,
                        check: Check::Engine(digest),
                    })
                }
            },
        };
        match entry {
            Some(entry) => batch.push(entry),
            None => {
                counts.malformed += 1;
                if args.warn {
                    let what = format!("improperly formatted {} checksum line", kind(args));
                    warn(format_args!("{label}: {number}"), what);
                }
            }
        }
        if batch.len() == BATCH {
            verify_entries(&std::mem::take(&mut batch), args, counts).map_err(ListError::Output)?;
        }
    }
    verify_entries(&batch, args, counts).map_err(ListError::Output)
}

fn verify_entries(entries: &[Entry], args: &CheckArgs, counts: &mut Counts) -> anyhow::Result<()> {
    // Indices ride along so each drained verdict finds its entry.
    let mut verdicts = InOrder::new(entries.len());
    let report = |verdicts: &mut InOrder<(usize, Verdict)>, counts: &mut Counts| {
        let mut out = Vec::new();
        for (index, verdict) in verdicts.drain_ready() {
            tell(&entries[index].name, &verdict, args, counts, &mut out);
        }
        write_stdout(&out)
    };
    let mut jobs = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let verdict = match &entry.check {
            Check::Engine(_) => {
                let path = bytes_path(&entry.name);
                match entries::stat_listed(&path) {
                    Ok(stamp) => {
                        jobs.push(Job {
                            id: index,
                            path,
                            stamp: Some(stamp),
                        });
                        continue;
                    }
                    Err(verdict) => verdict,
                }
            }
            Check::Read {
                algorithm,
                mode,
                hex,
            } => entries::read(&entry.name, *algorithm, *mode, hex),
            Check::Decided(verdict) => clone_verdict(verdict),
        };
        verdicts.fill(index, (index, verdict));
        // Said as soon as known, as sha3sum says each line in turn.
        report(&mut verdicts, counts).context("write error")?;
    }
    // A failed write (a full disk) must not pass for success: keep the
    // first error, stop writing, and end the run with it.
    let mut write_error = None;
    super::run_jobs(
        jobs,
        args.jobs,
        !(args.status || args.quiet),
        |id, result| {
            let verdict = match (result, &entries[id].check) {
                (Ok(h), Check::Engine(want)) if h.digest == *want => Verdict::Ok,
                (Ok(_), _) => Verdict::Mismatch,
                (Err(HashFailure::Io(msg)), _) => Verdict::Unreadable(msg),
                (Err(other), _) => Verdict::Unreadable(other.to_string()),
            };
            verdicts.fill(id, (id, verdict));
            if write_error.is_none() {
                write_error = report(&mut verdicts, counts).err();
            }
        },
    )?;
    if let Some(e) = write_error {
        return Err(anyhow::Error::new(e).context("write error"));
    }
    report(&mut verdicts, counts).context("write error")?;
    Ok(())
}

fn clone_verdict(verdict: &Verdict) -> Verdict {
    match verdict {
        Verdict::Ok => Verdict::Ok,
        Verdict::Mismatch => Verdict::Mismatch,
        Verdict::Unreadable(r) => Verdict::Unreadable(r.clone()),
        Verdict::Missing => Verdict::Missing,
    }
}

fn tell(name: &[u8], verdict: &Verdict, args: &CheckArgs, counts: &mut Counts, out: &mut Vec<u8>) {
    let status = match verdict {
        Verdict::Missing if args.ignore_missing => return,
        Verdict::Ok => {
            counts.matched += 1;
            (!args.quiet).then_some("OK")
        }
        Verdict::Mismatch => {
            counts.mismatched += 1;
            Some("FAILED")
        }
        Verdict::Missing | Verdict::Unreadable(_) => {
            counts.unreadable += 1;
            // Said even with --status, as GNU and Perl's sha3sum do.
            let reason = match verdict {
                Verdict::Unreadable(r) => r.as_str(),
                _ => "No such file or directory",
            };
            warn(visible_path(&bytes_path(name)), reason);
            Some("FAILED open or read")
        }
    };
    if let (Some(status), false) = (status, args.status) {
        let (prefix, shown) = shown_status_name(name, io::stdout().is_terminal(), args.form);
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(&shown);
        out.extend_from_slice(b": ");
        out.extend_from_slice(status.as_bytes());
        out.push(b'\n');
    }
}

fn summarize(counts: &Counts) {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if counts.malformed > 0 {
        let what = plural(counts.malformed, "line is", "lines are");
        eprintln!("gvmi: WARNING: {what} improperly formatted");
    }
    if counts.unreadable > 0 {
        let what = plural(counts.unreadable, "listed file", "listed files");
        eprintln!("gvmi: WARNING: {what} could not be read");
    }
    if counts.mismatched > 0 {
        let what = plural(counts.mismatched, "computed checksum", "computed checksums");
        eprintln!("gvmi: WARNING: {what} did NOT match");
    }
}
