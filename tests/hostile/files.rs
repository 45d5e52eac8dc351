//! Hostile files: names, image metadata, special files (FIFOs, devices) in
//! place of SHA3SUMS, the cache, its lock and config.toml, deep trees,
//! rewrites during hashing, interrupted writes.
//!
//! Every run here is bounded: gvmi runs under an address-space limit of
//! 512 MiB (an unbounded read dies of it instead of passing) and a time
//! limit (a hang fails the test instead of stalling the suite), and its human
//! output is checked for anything a terminal would act on.

mod full_disk;
mod layout;
mod names;
mod shared;
mod special;
mod writes;

use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

pub use crate::support::*;

/// The address-space limit every gvmi here runs under.
pub const MEMORY_LIMIT: u64 = 512 << 20;

/// Runs `run` (stdin `input`, if any) under [`MEMORY_LIMIT`], failing the
/// test if it takes longer than `limit`.
#[track_caller]
pub fn bounded(run: Run, input: Option<&[u8]>, limit: Duration) -> Output {
    with_input(run, input)
        .memory_limit(MEMORY_LIMIT)
        .timeout(limit)
        .run()
}

/// Starts `run` under [`MEMORY_LIMIT`], stdout and stderr piped, `input`
/// fed to its stdin.
pub fn start(run: Run, input: Option<&[u8]>) -> Child {
    with_input(run, input).memory_limit(MEMORY_LIMIT).spawn()
}

fn with_input(run: Run, input: Option<&[u8]>) -> Run {
    match input {
        Some(bytes) => run.stdin(bytes),
        None => run,
    }
}

/// Waits for `child` at most `limit` (then kills it and fails the test);
/// returns its exit code and, on Linux, its peak resident memory in bytes.
#[track_caller]
pub fn wait_bounded(child: &mut Child, limit: Duration, what: &str) -> (Option<i32>, Option<u64>) {
    wait_until(child, Instant::now() + limit, what)
}

/// Panics if `text`, meant for a person's terminal, holds anything a
/// terminal would act on: bytes that are not UTF-8, C0 controls other than
/// newline and tab, DEL, C1 controls, or the bidi override and zero-width
/// space that make one name look like another.
#[track_caller]
pub fn assert_inert(what: &str, text: &[u8]) {
    let Ok(text) = std::str::from_utf8(text) else {
        panic!("{what}: not UTF-8: {text:?}");
    };
    let bad = text.chars().find(|&c| {
        (c < ' ' && c != '\n' && c != '\t')
            || ('\x7f'..='\u{9f}').contains(&c)
            || c == '\u{202e}'
            || c == '\u{200b}'
    });
    assert!(bad.is_none(), "{what}: raw {bad:?} in {text:?}");
}

/// The names in `dir` that are temporary files (`.NAME.tmp-PID-RANDOM`).
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}
