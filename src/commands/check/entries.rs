//! The entries of a list and their verdicts: SHA3-224 of a file's bytes on
//! the engine (in parallel), anything else sha3sum can list (SHA3-256..512,
//! SHAKE, `U` and `^` modes, `-` for standard input) read here, in order.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use gvmi_core::digest::Sha3Digest;
use gvmi_core::fsmeta::{self, not_regular, FileKind, FileStamp};
use gvmi_core::io_error;
use gvmi_core::perl_digest::{self, Algorithm, Mode};
use gvmi_core::sumline::{bytes_path, perl};

/// One properly formatted line of a list.
pub struct Entry {
    pub name: Vec<u8>,
    pub check: Check,
}

/// How an entry is verified.
pub enum Check {
    /// SHA3-224 of the file's bytes, on the engine.
    Engine(Sha3Digest),
    /// What sha3sum computes for the line, read in list order
    /// ([`perl_digest`]); `hex` is lowercase.
    Read {
        algorithm: Algorithm,
        mode: Mode,
        hex: String,
    },
    /// Known while the list was read (a `-` line of a list on standard input).
    Decided(Verdict),
}

/// The verdict for one entry.
pub enum Verdict {
    Ok,
    Mismatch,
    Unreadable(String),
    Missing,
}

/// An entry of a sha3sum-form line, as sha3sum's `verify` takes it; `None`
/// when `--ignore-missing` skips it (`-e` is false: nothing stats there).
/// `list` is the list's own stream: a `-` line of a list read from standard
/// input hashes the rest of it, which ends the list, as in sha3sum.
pub fn from_perl(
    entry: perl::Entry,
    ignore_missing: bool,
    list: Option<&mut dyn Read>,
) -> Option<Entry> {
    let path = bytes_path(&entry.name);
    if ignore_missing && !exists(&path) {
        return None;
    }
    let hex = String::from_utf8_lossy(&entry.hex).to_ascii_lowercase();
    let fast = entry.algorithm == Algorithm::Sha3_224 && entry.mode == Mode::Bytes;
    let check = match (entry.name.as_slice(), list) {
        (b"-", Some(list)) => Check::Decided(compare(
            perl_digest::hex_digest(entry.algorithm, entry.mode, list),
            &hex,
        )),
        (b"-", None) => Check::Read {
            algorithm: entry.algorithm,
            mode: entry.mode,
            hex,
        },
        _ => match hex.parse() {
            Ok(digest) if fast => Check::Engine(digest),
            _ => Check::Read {
                algorithm: entry.algorithm,
                mode: entry.mode,
                hex,
            },
        },
    };
    Some(Entry {
        name: entry.name,
        check,
    })
}

/// Perl's `-e`: stat succeeds (a name holding NUL never does).
fn exists(path: &Path) -> bool {
    fs::metadata(path).is_ok()
}

fn compare(digest: io::Result<String>, want: &str) -> Verdict {
    match digest {
        Ok(hex) if hex == want => Verdict::Ok,
        Ok(_) => Verdict::Mismatch,
        Err(e) => Verdict::Unreadable(io_error::message(&e)),
    }
}

/// The verdict of a [`Check::Read`] entry: `-` is standard input, anything
/// else a regular file (a list never makes gvmi open a FIFO or device).
pub fn read(name: &[u8], algorithm: Algorithm, mode: Mode, hex: &str) -> Verdict {
    if name == b"-" {
        return compare(
            perl_digest::hex_digest(algorithm, mode, io::stdin().lock()),
            hex,
        );
    }
    let path = bytes_path(name);
    match fsmeta::open_regular(&path) {
        Ok((file, _)) => compare(perl_digest::hex_digest(algorithm, mode, file), hex),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Verdict::Missing,
        Err(e) => Verdict::Unreadable(io_error::message(&e)),
    }
}

/// Stats a listed path without opening it; a missing or special file has its verdict now.
pub fn stat_listed(path: &Path) -> Result<FileStamp, Verdict> {
    match fs::metadata(path) {
        Ok(meta) => match FileKind::of(&meta) {
            FileKind::Regular => Ok(FileStamp::of(&meta)),
            kind => Err(Verdict::Unreadable(io_error::message(&not_regular(kind)))),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Verdict::Missing),
        Err(e) => Err(Verdict::Unreadable(io_error::message(&e))),
    }
}
