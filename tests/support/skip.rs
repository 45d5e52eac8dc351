//! The one skip rule for tests that need an external tool (Perl's sha3sum,
//! openssl, python3, the SDK environments, Xvfb, tmux).
//!
//! A skip must be seen: libtest captures `eprintln!` of passing tests, so the
//! line is written to the process's stderr directly, past the capture, and
//! shows in plain `cargo test` output as
//! `SKIPPED <test>: <what> is missing — <how to install>`.
//! Under `CI=true` a missing tool is a failure: `.ci/run` installs them all.

use std::io::Write;

/// How to get every tool the tests use, said once.
pub const INSTALL_ALL: &str = "`sudo .ci/install-tools` installs every tool the tests use";

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// True when the test may go on. When `present` is false: under `CI=true`
/// panics; otherwise prints a visible SKIPPED line and returns false.
pub fn available(present: bool, what: &str, how: &str) -> bool {
    if present {
        return true;
    }
    if in_ci() {
        panic!("{what} is missing, and CI=true requires it ({how})");
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    // Written past libtest's capture on purpose (see the module comment),
    // in one write so that it never interleaves with libtest's own lines.
    let line = format!("SKIPPED {test}: {what} is missing — {how}; {INSTALL_ALL}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    false
}
