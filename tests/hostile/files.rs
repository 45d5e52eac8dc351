//! Hostile files: names, image metadata, special files (FIFOs, devices) in
//! place of SHA3SUMS, the cache, its lock and config.toml, deep trees,
//! rewrites during hashing, interrupted writes.
//!
//! Every run here is bounded: gvmi runs under an address-space limit of
//! 512 MiB (an unbounded read dies of it instead of passing) and a time
//! limit (a hang fails the test instead of stalling the suite), and its human
//! output is checked for anything a terminal would act on.

mod names;
mod special;
mod writes;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

pub use crate::common::gvmi;

/// The address-space limit every gvmi here runs under.
pub const MEMORY_LIMIT: u64 = 512 << 20;

/// What a bounded run left behind.
#[derive(Debug)]
pub struct Out {
    pub code: Option<i32>,
    /// Peak resident memory (Linux only; see [`high_water`]).
    pub max_rss: Option<u64>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Out {
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Panics with everything printed unless gvmi exited with `code`.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code (None: killed by a signal, e.g. out of memory)\n--- stdout:\n{}\n--- stderr:\n{}",
            self.out(),
            self.err()
        );
        self
    }
}

/// Runs `cmd` (stdin `input`, if any) under [`MEMORY_LIMIT`], failing the
/// test if it takes longer than `limit`.
#[track_caller]
pub fn bounded(cmd: &mut Command, input: Option<&[u8]>, limit: Duration) -> Out {
    let mut child = start(cmd, input);
    let drain = |mut r: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let (code, max_rss) = wait_bounded(&mut child, limit, &format!("{cmd:?}"));
    Out {
        code,
        max_rss,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Starts `cmd` under [`MEMORY_LIMIT`], stdout and stderr piped, `input`
/// fed to its stdin.
pub fn start(cmd: &mut Command, input: Option<&[u8]>) -> Child {
    limit_memory(cmd);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("spawn gvmi");
    if let (Some(mut pipe), Some(bytes)) = (child.stdin.take(), input) {
        let bytes = bytes.to_vec();
        thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    child
}

/// Waits for `child` at most `limit` (then kills it and fails the test);
/// returns its exit code and, on Linux, its peak resident memory in bytes.
#[track_caller]
pub fn wait_bounded(child: &mut Child, limit: Duration, what: &str) -> (Option<i32>, Option<u64>) {
    let deadline = Instant::now() + limit;
    let mut peak = None;
    loop {
        peak = peak.max(high_water(child.id()));
        if let Some(code) = reap(child) {
            return (code, peak);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} still running after {limit:?}: hung");
        }
        thread::sleep(Duration::from_millis(10));
    }
}

fn reap(child: &mut Child) -> Option<Option<i32>> {
    Some(child.try_wait().unwrap()?.code())
}

/// The peak resident memory of process `pid` so far (`VmHWM`), once it runs
/// gvmi (before `exec`, a forked child counts the test's own pages).
/// Sampled while it runs: the mark only grows, so the last sample is at
/// most one poll short of the true peak.
#[cfg(target_os = "linux")]
fn high_water(pid: u32) -> Option<u64> {
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
    if exe != Path::new(env!("CARGO_BIN_EXE_gvmi")) {
        return None;
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib: u64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(not(target_os = "linux"))]
fn high_water(_pid: u32) -> Option<u64> {
    None
}

#[cfg(unix)]
fn limit_memory(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let limit = libc::rlimit {
        rlim_cur: MEMORY_LIMIT as libc::rlim_t,
        rlim_max: MEMORY_LIMIT as libc::rlim_t,
    };
    // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child.
    unsafe {
        cmd.pre_exec(move || match libc::setrlimit(libc::RLIMIT_AS, &limit) {
            0 => Ok(()),
            _ => Err(std::io::Error::last_os_error()),
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_cmd: &mut Command) {}

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

/// A path from raw bytes (non-UTF-8 names on Unix).
#[cfg(unix)]
pub fn raw_path(dir: &Path, name: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    dir.join(std::ffi::OsStr::from_bytes(name))
}

/// A path's bytes (raw on Unix).
#[cfg(unix)]
pub fn bytes_of(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

/// Makes a FIFO at `path` (Unix).
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// The names in `dir` that are temporary files (`.NAME.tmp-PID`).
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}
