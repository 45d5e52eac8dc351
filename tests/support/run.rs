//! The one way the tests run a program: [`gvmi`]/[`gvmi_in`]/[`tool`] make a
//! [`Run`]; it runs with a deadline (a hang fails the test instead of
//! stalling the suite), optionally under an address-space limit, and
//! collects exit code, output and (Linux) peak memory. gvmi always runs in
//! the isolated [`environment`]: its own config and cache, no display.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long one run may take before the test fails as hung.
/// Debug builds hash at a few MB/s, so this is generous.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(240);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gvmi")
}

/// The variables every gvmi under test runs with (`None`: removed): config
/// in `home`, cache in `home/cache`, so the user's config, templates and
/// cache cannot change what a test sees; no display, no tmux, no NO_COLOR.
pub fn environment(home: &Path) -> Vec<(&'static str, Option<PathBuf>)> {
    vec![
        ("XDG_CONFIG_HOME", Some(home.to_path_buf())),
        ("XDG_CACHE_HOME", Some(home.join("cache"))),
        ("XDG_STATE_HOME", Some(home.join("state"))),
        ("DISPLAY", None),
        ("WAYLAND_DISPLAY", None),
        ("TMUX", None),
        ("STY", None),
        ("NO_COLOR", None),
    ]
}

/// `gvmi ARGS...` in a home shared by this test process (a hash cache of
/// its own, never the user's), kept in Cargo's scratch folder for tests
/// (`target/tmp`), not in the system's temp folder.
pub fn gvmi<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let home = scratch.join(format!("gvmi-test-home-{}", std::process::id()));
    gvmi_in(&home).args(args)
}

/// `gvmi` with its config and cache in `home` (see [`environment`]).
pub fn gvmi_in(home: &Path) -> Run {
    let mut run = tool(bin(), NO_ARGS);
    for (var, value) in environment(home) {
        match value {
            Some(value) => run.cmd.env(var, value),
            None => run.cmd.env_remove(var),
        };
    }
    run
}

/// Any program, run like [`gvmi`] (without the isolated environment).
pub fn tool<I, S>(program: impl AsRef<OsStr>, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(&program);
    cmd.env_remove("NO_COLOR");
    Run {
        cmd,
        stdin: None,
        timeout: DEFAULT_TIMEOUT,
        memory_limit: None,
        stdout_redirected: false,
    }
    .args(args)
}

/// For [`tool`] with no arguments.
pub const NO_ARGS: [&str; 0] = [];

/// `(exit code, stdout, stderr)`; the exit code is -1 when killed by a signal.
pub fn run(run: Run) -> (i32, String, String) {
    let out = run.run();
    let text = |b: Vec<u8>| String::from_utf8(b).expect("output is UTF-8");
    (out.code.unwrap_or(-1), text(out.stdout), text(out.stderr))
}

/// Runs with `input` on stdin; panics with its stderr unless it succeeds.
#[track_caller]
pub fn pipe(run: Run, input: &str) -> String {
    let what = run.what();
    let out = run.stdin(input).run();
    assert!(
        out.code == Some(0),
        "{what} failed: {}\ninput:\n{input}",
        out.stderr()
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    /// Peak resident memory (Linux, gvmi only; see [`high_water`]).
    pub max_rss: Option<u64>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    pub fn stdout_lines(&self) -> Vec<String> {
        self.stdout().lines().map(str::to_owned).collect()
    }

    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr().lines().map(str::to_owned).collect()
    }

    /// Panics with everything printed unless the exit code is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code (None: killed by a signal, e.g. out of memory)\n\
             --- stdout:\n{}\n--- stderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// A process to run: program, arguments, environment, stdin bytes, limits.
pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
    memory_limit: Option<u64>,
    stdout_redirected: bool,
}

impl Run {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.cmd.env_remove(key);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    /// Runs under this address-space limit (Unix): an unbounded read dies
    /// of it instead of passing.
    pub fn memory_limit(mut self, bytes: u64) -> Self {
        self.memory_limit = Some(bytes);
        self
    }

    /// Sends stdout to `file` (as a shell's `> file` does) instead of a pipe.
    pub fn stdout_to(mut self, file: fs::File) -> Self {
        self.cmd.stdout(file);
        self.stdout_redirected = true;
        self
    }

    /// The command line, for messages.
    pub fn what(&self) -> String {
        let args: Vec<OsString> = self.cmd.get_args().map(OsStr::to_owned).collect();
        format!("{} {args:?}", self.cmd.get_program().to_string_lossy())
    }

    /// Runs to the end; a run longer than the timeout is killed and fails the test.
    #[track_caller]
    pub fn run(self) -> Output {
        self.start().wait()
    }

    /// Starts the process, its output collected; [`Running::wait`] ends it.
    #[track_caller]
    pub fn start(self) -> Running {
        let deadline = Instant::now() + self.timeout;
        let what = self.what();
        let mut child = self.spawn();
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        Running {
            deadline,
            child,
            stdout,
            stderr,
            what,
        }
    }

    /// Starts the process with stdout and stderr piped and stdin fed, for a
    /// test that talks to it while it runs; the caller waits for it (see
    /// [`wait_until`]).
    #[track_caller]
    pub fn spawn(mut self) -> Child {
        if !self.stdout_redirected {
            self.cmd.stdout(Stdio::piped());
        }
        let stdin = if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        };
        self.cmd.stderr(Stdio::piped()).stdin(stdin);
        if let Some(bytes) = self.memory_limit {
            limit_memory(&mut self.cmd, bytes);
        }
        let what = self.what();
        let mut child = self
            .cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
        if let Some(mut pipe) = child.stdin.take() {
            let bytes = self.stdin.take().unwrap_or_default();
            // A child that exits without reading closes the pipe: not our failure.
            thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            });
        }
        child
    }
}

/// A started process, its output being collected.
pub struct Running {
    child: Child,
    stdout: Option<thread::JoinHandle<Vec<u8>>>,
    stderr: Option<thread::JoinHandle<Vec<u8>>>,
    deadline: Instant,
    what: String,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// True once the process has exited (it is not reaped yet).
    pub fn exited(&mut self) -> bool {
        self.child.try_wait().expect("wait for child").is_some()
    }

    /// Waits for the end; past the deadline the process is killed and the test fails.
    #[track_caller]
    pub fn wait(mut self) -> Output {
        let (code, max_rss) = wait_until(&mut self.child, self.deadline, &self.what);
        let collect = |h: Option<thread::JoinHandle<Vec<u8>>>| {
            h.map(|h| h.join().unwrap()).unwrap_or_default()
        };
        Output {
            code,
            max_rss,
            stdout: collect(self.stdout.take()),
            stderr: collect(self.stderr.take()),
        }
    }
}

/// Waits for `child` until `deadline` (then kills it and fails the test);
/// returns its exit code and, on Linux, gvmi's peak resident memory.
#[track_caller]
pub fn wait_until(child: &mut Child, deadline: Instant, what: &str) -> (Option<i32>, Option<u64>) {
    let started = Instant::now();
    let mut peak = None;
    loop {
        peak = peak.max(high_water(child.id()));
        if let Some(status) = child.try_wait().expect("wait for child") {
            return (status.code(), peak);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish in time (hung?); killed it");
        }
        // Most refusals end within a few milliseconds of `exec`: sampled
        // every 10 ms, their peak was often a sample taken mid-`exec`
        // (a few KiB) or none at all. Close sampling while runs are short.
        let early = started.elapsed() < Duration::from_millis(300);
        thread::sleep(Duration::from_millis(if early { 1 } else { 10 }));
    }
}

fn drain<R: Read + Send + 'static>(mut r: R) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        buf
    })
}

/// The peak resident memory of process `pid` so far (`VmHWM`), once it runs
/// gvmi (before `exec`, a forked child counts the test's own pages).
/// Sampled while it runs: the mark only grows, so the last sample is at
/// most one poll short of the true peak.
#[cfg(target_os = "linux")]
fn high_water(pid: u32) -> Option<u64> {
    let exe = fs::read_link(format!("/proc/{pid}/exe")).ok()?;
    if exe != Path::new(bin()) {
        return None;
    }
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib: u64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(not(target_os = "linux"))]
fn high_water(_pid: u32) -> Option<u64> {
    None
}

#[cfg(unix)]
fn limit_memory(cmd: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
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
fn limit_memory(_cmd: &mut Command, _bytes: u64) {}
