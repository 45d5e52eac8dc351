//! Helpers shared by the integration tests: run the `gvmi` binary with a
//! timeout, make temp trees and deterministic content, and ask external
//! oracles (python3, openssl, Perl `sha3sum`) for the expected hashes.
//!
//! A test needing an external tool calls [`require_tool`]: when the tool is
//! missing it fails under `CI=true` and otherwise skips with a visible SKIPPED line.

#![allow(dead_code)] // each test crate uses a different subset

use super::skip;

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// SHA3-224 of the empty input (FIPS 202).
pub const EMPTY_SHA3_224: &str = "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7";

/// Contents with their SHA3-224, computed once with python3's hashlib,
/// for tests that need exact lines without asking an oracle each time.
pub const KNOWN: [(&[u8], &str); 10] = [
    (b"", EMPTY_SHA3_224),
    (
        b"abc",
        "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf",
    ),
    (
        b"golem\n",
        "19b57675de00aa906e8091699d65c4b923839c040e46d41b468f1124",
    ),
    (
        b"image one\n",
        "e4e4ea1affefa0a3c11a48dd75d49802e6eb343cf766f0624df0c734",
    ),
    (
        b"image two\n",
        "9eac9ebdc84ee6b4cce27b258bc2ee466567589518d1023ee469c5cc",
    ),
    (
        b"image three\n",
        "f87e1d6a10fd92e914af5039a0b1da170d0100ecfcf5591e1bade158",
    ),
    (
        b"image four\n",
        "372bbf7736f0b1e9c2fac389802f51f2f74aef40216ddaf45d63e27d",
    ),
    (
        b"image five\n",
        "223823fd267842245f7c1a05155fac8ce4b22d388478e4a8ed44f200",
    ),
    (
        b"image six\n",
        "72d3a103adbe521acbb3e76ac84fcbba347f6c276704d2c87540b28b",
    ),
    (
        b"image seven\n",
        "1033f25e3b6ba82859589ea41aee2f04f24c79a350902342451183d6",
    ),
];

/// How long one `gvmi` run may take before the test fails as hung.
/// Debug builds hash at a few MB/s, so this is generous.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(240);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gvmi")
}

pub fn in_ci() -> bool {
    skip::in_ci()
}

/// Skips (visibly) or, under `CI=true`, fails a test whose prerequisite is
/// missing. Returns true when the test may go on.
pub fn prerequisite(ok: bool, what: &str) -> bool {
    skip::available(ok, what, "install it (see README, \"Running the tests\")")
}

/// True when `name` is an executable on PATH.
pub fn have_tool(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        let candidate = dir.join(name);
        fs::metadata(&candidate).is_ok_and(|m| m.is_file() && is_executable(&m))
    })
}

#[cfg(unix)]
fn is_executable(m: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_m: &fs::Metadata) -> bool {
    true
}

/// See [`prerequisite`]; the tool is looked up on PATH.
pub fn require_tool(name: &str) -> bool {
    prerequisite(have_tool(name), &format!("the external tool `{name}`"))
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
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
            "exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// A process to run: program, arguments, working folder, stdin bytes.
pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
    what: String,
    stdout_redirected: bool,
}

/// `gvmi ARGS...`.
pub fn gvmi<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut run = tool(bin(), args);
    // Each test binary gets a hash cache of its own, never the user's.
    let cache = std::env::temp_dir().join(format!("gvmi-test-cache-{}", std::process::id()));
    run.cmd.env("XDG_CACHE_HOME", cache);
    run
}

/// Any program, run like [`gvmi`].
pub fn tool<I, S>(program: &str, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let what = format!("{program} {args:?}");
    let mut cmd = Command::new(program);
    cmd.args(&args).env_remove("NO_COLOR");
    Run {
        cmd,
        stdin: None,
        timeout: DEFAULT_TIMEOUT,
        what,
        stdout_redirected: false,
    }
}

impl Run {
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
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

    /// Sends stdout to `file` (as a shell's `> file` does) instead of a pipe.
    pub fn stdout_to(mut self, file: fs::File) -> Self {
        self.cmd.stdout(file);
        self.stdout_redirected = true;
        self
    }

    /// Runs to the end; a run longer than the timeout is killed and fails the test.
    #[track_caller]
    pub fn run(self) -> Output {
        self.start().wait()
    }

    /// Starts the process; [`Running::wait`] collects it.
    #[track_caller]
    pub fn start(mut self) -> Running {
        if !self.stdout_redirected {
            self.cmd.stdout(Stdio::piped());
        }
        self.cmd
            .stderr(Stdio::piped())
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        let mut child = self
            .cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.what));
        let feeder = child.stdin.take().map(|mut pipe| {
            let bytes = self.stdin.take().unwrap_or_default();
            // A child that exits without reading closes the pipe: not our failure.
            thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            })
        });
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        Running {
            deadline: Instant::now() + self.timeout,
            child,
            feeder,
            stdout,
            stderr,
            what: self.what,
        }
    }
}

/// A started process, its output being collected.
pub struct Running {
    child: Child,
    feeder: Option<thread::JoinHandle<()>>,
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
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for child") {
                break status;
            }
            if Instant::now() >= self.deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("{} did not finish in time (hung?); killed it", self.what);
            }
            thread::sleep(Duration::from_millis(10));
        };
        if let Some(f) = self.feeder.take() {
            let _ = f.join();
        }
        Output {
            code: status.code(),
            stdout: self
                .stdout
                .take()
                .map(|h| h.join().unwrap())
                .unwrap_or_default(),
            stderr: self
                .stderr
                .take()
                .map(|h| h.join().unwrap())
                .unwrap_or_default(),
        }
    }
}

fn drain<R: Read + Send + 'static>(mut r: R) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        buf
    })
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("gvmi-test-")
        .tempdir()
        .expect("temp dir")
}

/// Deterministic pseudo-random bytes (xorshift64*), the same on every run.
pub struct Prng(u64);

impl Prng {
    pub fn new(seed: u64) -> Self {
        Prng(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// Writes `size` deterministic bytes (seeded by `seed`) to `path`.
pub fn write_prng_file(path: &Path, size: u64, seed: u64) {
    let mut prng = Prng::new(seed);
    let mut f = std::io::BufWriter::new(fs::File::create(path).expect("create"));
    let mut buf = vec![0u8; 1 << 16];
    let mut left = size;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        prng.fill(&mut buf[..n]);
        f.write_all(&buf[..n]).expect("write");
        left -= n as u64;
    }
    f.flush().expect("flush");
}

/// Writes `bytes` to `dir/name`, returning the path.
pub fn put(dir: &Path, name: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(&path, bytes).expect("write");
    path
}

/// The python3 oracle: `hashlib.sha3_224` of the whole file.
pub fn python_sha3_224(path: &Path) -> String {
    let out = tool(
        "python3",
        [
            OsStr::new("-c"),
            OsStr::new(
                "import hashlib,sys; print(hashlib.sha3_224(open(sys.argv[1],\"rb\").read()).hexdigest())",
            ),
            path.as_os_str(),
        ],
    )
    .run();
    out.assert_code(0);
    let hex = out.stdout().trim().to_owned();
    assert_eq!(hex.len(), 56, "python3 said {hex:?}");
    hex
}

/// The openssl oracle: `openssl dgst -sha3-224 -r FILE` prints `<hex> *FILE`.
pub fn openssl_sha3_224(path: &Path) -> String {
    let out = tool(
        "openssl",
        [
            OsStr::new("dgst"),
            OsStr::new("-sha3-224"),
            OsStr::new("-r"),
            path.as_os_str(),
        ],
    )
    .run();
    out.assert_code(0);
    let text = out.stdout();
    let hex = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(hex.len(), 56, "openssl said {text:?}");
    hex
}

/// Parses `gvmi hash` lines (`<hex>  <name>`, no escapes) into (name, hex).
pub fn parse_plain_lines(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .map(|line| {
            let (hex, name) = line
                .split_once("  ")
                .unwrap_or_else(|| panic!("not a `<hex>  <name>` line: {line:?}"));
            assert_eq!(hex.len(), 56, "{line:?}");
            assert!(
                hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
                "not lowercase hex: {line:?}"
            );
            (name.to_owned(), hex.to_owned())
        })
        .collect()
}

/// Path bytes as gvmi writes them (raw on Unix).
pub fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().as_bytes().to_vec()
    }
}

/// Makes a FIFO with the `mkfifo` tool; false (after a note) when it cannot.
pub fn mkfifo(path: &Path) -> bool {
    if !require_tool("mkfifo") {
        return false;
    }
    tool("mkfifo", [path.as_os_str()]).run().assert_code(0);
    true
}

/// True when this process can read a file it made unreadable (root, or
/// CAP_DAC_OVERRIDE): then permission tests cannot work.
#[cfg(unix)]
pub fn can_read_unreadable(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = put(dir, ".probe", b"x");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = fs::File::open(&probe).is_ok();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o600)).expect("chmod");
    fs::remove_file(&probe).expect("rm probe");
    readable
}

/// A GNU `*sum` line built from the spec, not from gvmi's code: a name
/// holding `\\`, LF or CR is escaped and the line gets a leading `\\`.
pub fn gnu_line(hex: &str, name: &[u8]) -> Vec<u8> {
    let (escaped, name) = gnu_escape(name);
    let mut line = Vec::new();
    if escaped {
        line.push(b'\\');
    }
    line.extend_from_slice(hex.as_bytes());
    line.extend_from_slice(b"  ");
    line.extend_from_slice(&name);
    line.push(b'\n');
    line
}

/// `SHA3-224 (<name>) = <hex>`, escaped like [`gnu_line`].
pub fn tag_line(hex: &str, name: &[u8]) -> Vec<u8> {
    let (escaped, name) = gnu_escape(name);
    let mut line = Vec::new();
    if escaped {
        line.push(b'\\');
    }
    line.extend_from_slice(b"SHA3-224 (");
    line.extend_from_slice(&name);
    line.extend_from_slice(b") = ");
    line.extend_from_slice(hex.as_bytes());
    line.push(b'\n');
    line
}

/// A `gvmi check` status line as GNU prints it: only a name holding LF
/// (or CR) is escaped, with a leading `\\`.
pub fn status_line(name: &[u8], status: &str) -> Vec<u8> {
    let mut line = Vec::new();
    if name.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        line.push(b'\\');
        line.extend_from_slice(&gnu_escape(name).1);
    } else {
        line.extend_from_slice(name);
    }
    line.extend_from_slice(b": ");
    line.extend_from_slice(status.as_bytes());
    line.push(b'\n');
    line
}

fn gnu_escape(name: &[u8]) -> (bool, Vec<u8>) {
    let mut out = Vec::new();
    let mut escaped = false;
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                out.push(b);
                continue;
            }
        }
        escaped = true;
    }
    (escaped, out)
}

/// Shows bytes readably in assertion messages.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Builds a path from raw bytes (Unix file names need not be UTF-8).
#[cfg(unix)]
pub fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}
