//! `gvmi check`: `sha3sum -a 224 -c`, with the listed files hashed in parallel.

use std::fs;
use std::io::{self, BufRead, BufReader, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::ordered::InOrder;
use super::out::{warn, write_stdout};
use crate::cli::CheckArgs;
use crate::digest::Sha3Digest;
use crate::engine::Job;
use crate::fsmeta::{not_regular, FileKind, FileStamp};
use crate::hasher::HashFailure;
use crate::io_error;
use crate::sumline::{bytes_path, parse_line, shown_status_name, Line};
use crate::visible::visible_path;

/// One properly formatted line of a list.
struct Entry {
    digest: Sha3Digest,
    name: Vec<u8>,
}

/// The verdict for one entry.
enum Verdict {
    Ok,
    Mismatch,
    Unreadable(String),
    Missing,
}

/// What one list added up to.
#[derive(Default)]
struct Counts {
    malformed: usize,
    mismatched: usize,
    unreadable: usize,
    /// Entries whose hash matched (GNU's "verified": a mismatch is not one).
    matched: usize,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let mut ok = true;
    for list in &args.files {
        ok &= check_list(list, args)?;
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

/// A longer line cannot be a checksum line (names stop at PATH_MAX, 4096
/// bytes, at most doubled by escapes): it is skipped unbuffered as malformed.
const MAX_LINE: usize = 64 * 1024;

/// The list as a stream. Named lists are operands, read like standard input:
/// a pipe (`gvmi check <(…)`) works, and nothing is held whole.
fn open_list(list: &Path) -> io::Result<Box<dyn BufRead>> {
    if list.as_os_str() == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    let file = fs::File::open(list)?;
    if file.metadata()?.is_dir() {
        return Err(not_regular(FileKind::Directory));
    }
    Ok(Box::new(BufReader::with_capacity(64 * 1024, file)))
}

/// Reads one line (without its `\n`) into `line`, keeping at most
/// [`MAX_LINE`] bytes; `Ok(None)` at the end, `Ok(Some(false))` for a line
/// that was longer (its rest is skipped without being kept).
fn next_line(reader: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<Option<bool>> {
    line.clear();
    let (mut any, mut whole) = (false, true);
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any.then_some(whole));
        }
        any = true;
        let (part, used, end) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        whole &= part.len() <= room;
        line.extend_from_slice(&part[..part.len().min(room)]);
        reader.consume(used);
        if end {
            return Ok(Some(whole));
        }
    }
}

/// Verifies one list; false when it must make the exit status non-zero.
fn check_list(list: &Path, args: &CheckArgs) -> anyhow::Result<bool> {
    let label = list_label(list);
    let mut counts = Counts::default();
    match stream_list(list, &label, args, &mut counts) {
        Ok(0) => {
            warn(
                &label,
                "no properly formatted SHA3-224 checksum lines found",
            );
            return Ok(false);
        }
        Ok(_) => {}
        Err(ListError::Read(e)) => {
            warn(&label, io_error::message(&e));
            return Ok(false);
        }
        Err(ListError::Output(e)) => return Err(e),
    }
    if !args.status {
        summarize(&counts);
    }
    if args.ignore_missing && counts.matched == 0 {
        if !args.status {
            warn(&label, "no file was verified");
        }
        return Ok(false);
    }
    let clean = counts.mismatched == 0 && counts.unreadable == 0;
    Ok(clean && !(args.strict && counts.malformed > 0))
}

enum ListError {
    /// The list itself could not be read.
    Read(io::Error),
    /// Writing the verdicts failed.
    Output(anyhow::Error),
}

/// Reads the list a line at a time, verifying every [`BATCH`] entries;
/// returns how many entries it held.
fn stream_list(
    list: &Path,
    label: &str,
    args: &CheckArgs,
    counts: &mut Counts,
) -> Result<usize, ListError> {
    let mut reader = open_list(list).map_err(ListError::Read)?;
    let (mut line, mut batch, mut total) = (Vec::new(), Vec::new(), 0);
    let mut number = 0usize;
    while let Some(whole) = next_line(&mut *reader, &mut line).map_err(ListError::Read)? {
        number += 1;
        let parsed = match parse_line(&line) {
            // Cut short: still a comment if it began as one, else no entry.
            Line::Entry { .. } if !whole => Line::Malformed,
            parsed => parsed,
        };
        match parsed {
            Line::Entry { digest, name } => batch.push(Entry { digest, name }),
            Line::Skip => {}
            Line::Malformed => {
                counts.malformed += 1;
                if args.warn {
                    warn(
                        format_args!("{label}: {number}"),
                        "improperly formatted SHA3-224 checksum line",
                    );
                }
            }
        }
        if batch.len() == BATCH {
            total += batch.len();
            verify_entries(&std::mem::take(&mut batch), args, counts).map_err(ListError::Output)?;
        }
    }
    total += batch.len();
    if !batch.is_empty() {
        verify_entries(&batch, args, counts).map_err(ListError::Output)?;
    }
    Ok(total)
}

fn verify_entries(entries: &[Entry], args: &CheckArgs, counts: &mut Counts) -> anyhow::Result<()> {
    // Indices ride along so each drained verdict finds its entry.
    let mut verdicts = InOrder::new(entries.len());
    let mut jobs = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = bytes_path(&entry.name);
        match stat_listed(&path) {
            Ok(stamp) => jobs.push(Job {
                id: index,
                path,
                stamp: Some(stamp),
            }),
            Err(verdict) => verdicts.fill(index, (index, verdict)),
        }
    }
    let mut report = |verdicts: &mut InOrder<(usize, Verdict)>| {
        let mut out = Vec::new();
        for (index, verdict) in verdicts.drain_ready() {
            tell(&entries[index].name, &verdict, args, counts, &mut out);
        }
        write_stdout(&out)
    };
    report(&mut verdicts).context("write error")?;
    // A failed write (a full disk) must not pass for success: keep the
    // first error, stop writing, and end the run with it.
    let mut write_error = None;
    super::run_jobs(
        jobs,
        args.jobs,
        !(args.status || args.quiet),
        |id, result| {
            let verdict = match result {
                Ok(h) if h.digest == entries[id].digest => Verdict::Ok,
                Ok(_) => Verdict::Mismatch,
                Err(HashFailure::Io(msg)) => Verdict::Unreadable(msg),
                Err(other) => Verdict::Unreadable(other.to_string()),
            };
            verdicts.fill(id, (id, verdict));
            if write_error.is_none() {
                write_error = report(&mut verdicts).err();
            }
        },
    )?;
    if let Some(e) = write_error {
        return Err(anyhow::Error::new(e).context("write error"));
    }
    report(&mut verdicts).context("write error")?;
    Ok(())
}

/// Stats a listed path without opening it; a missing or special file has its verdict now.
fn stat_listed(path: &Path) -> Result<FileStamp, Verdict> {
    match fs::metadata(path) {
        Ok(meta) => match FileKind::of(&meta) {
            FileKind::Regular => Ok(FileStamp::of(&meta)),
            kind => Err(Verdict::Unreadable(io_error::message(&not_regular(kind)))),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Verdict::Missing),
        Err(e) => Err(Verdict::Unreadable(io_error::message(&e))),
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
        let (prefix, shown) = shown_status_name(name, io::stdout().is_terminal());
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
