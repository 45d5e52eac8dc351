//! The process's standard streams, written so that a closed one ends gvmi
//! the way `sha3sum` and coreutils end: quietly, with status 141 (128 +
//! SIGPIPE, what a shell shows for a process SIGPIPE killed). Never status 0,
//! which would hide a failure already said or still to come; never a panic
//! (`eprintln!` panics on a closed stderr). SIGPIPE itself stays ignored (Rust's
//! default), so a child's pipe (`tmux load-buffer` for `--copy`) still reports
//! its own failure as an error instead of killing gvmi.
//!
//! Every print site goes through here: [`outln!`](crate::outln),
//! [`errln!`](crate::errln), [`errprint!`](crate::errprint) and
//! [`write_stdout`] (`tests/hostile/print_sites.rs` reads them all).

use std::io::{self, Write};

/// The status gvmi ends with when a reader closed stdout or stderr.
pub const CLOSED_PIPE_STATUS: i32 = 128 + 13;

/// Ends gvmi with [`CLOSED_PIPE_STATUS`]: there is nobody left to tell.
fn closed() -> ! {
    std::process::exit(CLOSED_PIPE_STATUS)
}

/// Writes `bytes` in one call and flushes, so a reader never sees half a line
/// from us. A closed pipe (`gvmi hash | head`) ends gvmi with status 141.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => closed(),
        other => other,
    }
}

/// Writes `text` to stderr. A closed pipe ends gvmi with status 141; any
/// other failure is dropped (stderr is where it would be said).
pub fn write_stderr(text: &str) {
    let mut err = io::stderr().lock();
    if let Err(e) = err.write_all(text.as_bytes()).and_then(|()| err.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            closed()
        }
    }
}

/// `println!` through [`write_stdout`]: evaluates to its `io::Result`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::stdio::write_stdout(format!("{}\n", format_args!($($arg)*)).as_bytes())
    };
}

/// `eprintln!` through [`write_stderr`]: never panics.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::stdio::write_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` through [`write_stderr`]: never panics.
#[macro_export]
macro_rules! errprint {
    ($($arg:tt)*) => {
        $crate::stdio::write_stderr(&format!($($arg)*))
    };
}
