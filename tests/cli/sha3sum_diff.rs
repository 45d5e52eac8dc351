//! The sha3sum form against Perl's `sha3sum` 1.05, differentially: seeded
//! random command lines (hash and `-c`), odd names, sizes around the SHA-3
//! blocks, FIFOs, standard input, and lists mutated every way a list can be
//! (CRLF, blank and comment lines, other algorithms, wrong lengths, tag
//! lines, mode characters, escapes, duplicates, missing files and lists).
//! Standard output and exit status must be the same, byte for byte; how
//! often standard error is the same too (program name aside) is reported.
//!
//! Left out, as the README's "sha3sum flags" lists them: folders (gvmi
//! walks them), FIFOs and devices inside lists (gvmi never opens them from
//! a list), `-z`, `-U`/`-0` when hashing, `-a` other than 224, gvmi's own
//! flags.
//!
//! `GVMI_SHA3SUM_DIFF_SEED=N` replays a run, `GVMI_SHA3SUM_DIFF_CASES=N`
//! sets how many cases (1,000 by default), `GVMI_SHA3SUM_DIFF_CASE=I` runs
//! case I of the seed alone.

mod cases;
mod regressions;
mod text;
mod world;

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::support::*;
use cases::{Case, Gen};

/// Threads running cases: each mostly waits for two processes.
const THREADS: usize = 6;

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number"))
    })
}

/// Written past libtest's capture, like a SKIPPED line: the seed must show.
fn say(line: &str) {
    let _ = std::io::stderr().write_all(format!("{line}\n").as_bytes());
}

/// What both programs did with one case.
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `program` (gvmi or sha3sum) on `case` in `dir`.
pub fn run_one(dir: &Path, case: &Case, gvmi_run: bool) -> Outcome {
    let args: Vec<OsString> = case
        .args
        .iter()
        .map(|a| bytes_path(a).into_os_string())
        .collect();
    let run = match gvmi_run {
        true => gvmi(&args),
        false => tool("sha3sum", &args),
    };
    let writer = case
        .fifo
        .as_ref()
        .map(|(name, bytes)| feed_fifo(&raw_path(dir, name), bytes.clone()));
    let out = run
        .cwd(dir)
        .stdin(case.stdin.clone())
        .timeout(Duration::from_secs(60))
        .run();
    if let Some((path, writer)) = writer {
        // A program that never opened the FIFO leaves its writer waiting, or
        // not yet started: a reader held open until the writer is done lets
        // its open go through whenever it comes (its bytes fit the pipe).
        let reader = fs::OpenOptions::new()
            .read(true)
            .custom_flags_nonblock()
            .open(&path);
        let _ = writer.join();
        drop(reader);
    }
    Outcome {
        code: out.code,
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

trait NonBlock {
    fn custom_flags_nonblock(&mut self) -> &mut Self;
}

impl NonBlock for fs::OpenOptions {
    fn custom_flags_nonblock(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.custom_flags(libc::O_NONBLOCK)
    }
}

/// A fresh FIFO at `path` and a thread writing `bytes` into it once read.
fn feed_fifo(path: &Path, bytes: Vec<u8>) -> (std::path::PathBuf, thread::JoinHandle<()>) {
    let _ = fs::remove_file(path);
    mkfifo(path);
    let at = path.to_path_buf();
    let writer = thread::spawn(move || {
        if let Ok(mut f) = fs::OpenOptions::new().write(true).open(&at) {
            let _ = f.write_all(&bytes);
        }
    });
    (path.to_path_buf(), writer)
}

/// sha3sum's stderr as gvmi words it: the program's name.
fn same_stderr(ours: &[u8], perl: &[u8]) -> bool {
    let perl = String::from_utf8_lossy(perl).replace("sha3sum: ", "gvmi: ");
    String::from_utf8_lossy(ours) == perl
}

/// A case, shown for a failure message.
pub fn describe(case: &Case) -> String {
    let mut s = format!(
        "args {:?}",
        case.args.iter().map(|a| show(a)).collect::<Vec<_>>()
    );
    for (name, text) in &case.lists {
        s += &format!("\n  list {}: {}", show(name), show(text));
    }
    if let Some((name, bytes)) = &case.fifo {
        s += &format!("\n  fifo {}: {} bytes", show(name), bytes.len());
    }
    s + &format!("\n  stdin: {}", show(&case.stdin))
}

/// What the programs agreed on, for the summary line.
#[derive(Default)]
pub struct Agreed {
    pub same_stderr: bool,
    pub code: Option<i32>,
    /// `: OK` and `: FAILED` lines (any kind) in the output.
    pub ok_lines: usize,
    pub failed_lines: usize,
}

/// Runs one case in `dir`; `Err` says how the programs disagreed.
pub fn compare(dir: &Path, case: &Case) -> Result<Agreed, String> {
    for (name, text) in &case.lists {
        fs::write(raw_path(dir, name), text).unwrap();
    }
    let ours = run_one(dir, case, true);
    let perl = run_one(dir, case, false);
    if ours.code != perl.code || ours.stdout != perl.stdout {
        return Err(format!(
            "{}\n  exit: gvmi {:?}, sha3sum {:?}\n  stdout gvmi:    {}\n  stdout sha3sum: {}\n  stderr gvmi:    {}\n  stderr sha3sum: {}",
            describe(case),
            ours.code,
            perl.code,
            show(&ours.stdout),
            show(&perl.stdout),
            show(&ours.stderr),
            show(&perl.stderr)
        ));
    }
    let lines = |tail: &[u8]| {
        ours.stdout
            .windows(tail.len())
            .filter(|w| *w == tail)
            .count()
    };
    Ok(Agreed {
        same_stderr: same_stderr(&ours.stderr, &perl.stderr),
        code: ours.code,
        ok_lines: lines(b": OK\n"),
        failed_lines: lines(b": FAILED"),
    })
}

#[derive(Default)]
struct Tally {
    /// Hash cases, check cases.
    cases: [usize; 2],
    same_stderr: usize,
    codes: [usize; 4],
    ok_lines: usize,
    failed_lines: usize,
    failures: Vec<String>,
}

impl Tally {
    fn add(&mut self, agreed: &Agreed) {
        self.same_stderr += usize::from(agreed.same_stderr);
        let code = match agreed.code {
            Some(c @ 0..=2) => c as usize,
            _ => 3,
        };
        self.codes[code] += 1;
        self.ok_lines += agreed.ok_lines;
        self.failed_lines += agreed.failed_lines;
    }
}

#[cfg(unix)]
#[test]
fn sha3sum_form_agrees_with_perl_sha3sum_on_random_cases() {
    if !require_tool("sha3sum") || !require_tool("perl") {
        return;
    }
    let seed = env_number("GVMI_SHA3SUM_DIFF_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        now.as_nanos() as u64 % 1_000_000_000
    });
    let only = env_number("GVMI_SHA3SUM_DIFF_CASE").map(|i| i as usize);
    let total = match only {
        Some(i) => i + 1,
        None => env_number("GVMI_SHA3SUM_DIFF_CASES").unwrap_or(1000) as usize,
    };
    say(&format!(
        "sha3sum differential: seed {seed} (replay: GVMI_SHA3SUM_DIFF_SEED={seed}), {total} cases"
    ));
    let started = Instant::now();
    let next = AtomicUsize::new(only.unwrap_or(0));
    let tally = Mutex::new(Tally::default());
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                let dir = tempdir();
                let world = world::make(dir.path(), seed);
                loop {
                    let id = next.fetch_add(1, Ordering::Relaxed);
                    if id >= total {
                        break;
                    }
                    let case = Gen::new(seed, id, &world).case();
                    let result = compare(dir.path(), &case);
                    let mut t = tally.lock().unwrap();
                    t.cases[usize::from(case.check)] += 1;
                    match result {
                        Ok(agreed) => t.add(&agreed),
                        Err(diff) => t.failures.push(format!("case {id}: {diff}")),
                    }
                }
            });
        }
    });
    let t = tally.into_inner().unwrap();
    let ([hash, check], failures) = (t.cases, &t.failures);
    say(&format!(
        "sha3sum differential: seed {seed}: {} cases ({hash} hash, {check} check), {} disagreements \
         on stdout or exit status; stderr the same in {}; exit 0/1/2/other: {:?}; \
         {} OK and {} FAILED lines; {:.1} s",
        hash + check,
        failures.len(),
        t.same_stderr,
        t.codes,
        t.ok_lines,
        t.failed_lines,
        started.elapsed().as_secs_f64()
    ));
    assert!(
        failures.is_empty(),
        "seed {seed}: {} of {} cases disagree (replay one with GVMI_SHA3SUM_DIFF_SEED={seed} \
         GVMI_SHA3SUM_DIFF_CASE=N):\n{}",
        failures.len(),
        hash + check,
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
