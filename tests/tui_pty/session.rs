//! A gvmi (or a tmux client running gvmi) in a real pseudo-terminal, and
//! the helpers the PTY tests share.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

pub const COLS: u16 = 160;
pub const ROWS: u16 = 30;

pub struct Session {
    output: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// gvmi on `dir` with no display and no tmux (unless `display` is
    /// given), its config and cache inside `dir`.
    pub fn start(dir: &Path, display: Option<&str>) -> Session {
        let mut cmd = gvmi_command(dir);
        if let Some(display) = display {
            cmd.env("DISPLAY", display);
        }
        Session::spawn(cmd)
    }

    pub fn spawn(cmd: CommandBuilder) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let child = pair.slave.spawn_command(cmd).expect("spawn gvmi");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            output,
            writer,
            child,
            master: pair.master,
        }
    }

    pub fn screen(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.output.lock().unwrap());
        parser
    }

    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = self.screen().screen().contents();
            if ok(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{text}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        thread::sleep(Duration::from_millis(150));
    }

    /// Presses q and waits for a successful exit.
    pub fn quit(&mut self) {
        self.keys("q");
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "gvmi did not exit after q");
            thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "exit status {status:?}");
    }

    /// Waits for the process to end and returns its exit status.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "gvmi did not exit");
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the terminal is in cooked mode (canonical input, echo), as a
    /// shell leaves it; raw mode clears both.
    #[cfg(unix)]
    pub fn cooked(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("pty fd");
        // SAFETY: termios is a plain C struct of integers; all zeroes is a valid value.
        let mut tio: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: tcgetattr only writes into the struct we own, through a live
        // `&mut`; `fd` is the pty master, kept open by `self`.
        let rc = unsafe { libc::tcgetattr(fd, &mut tio) };
        assert_eq!(rc, 0, "tcgetattr");
        tio.c_lflag & (libc::ICANON | libc::ECHO) == (libc::ICANON | libc::ECHO)
    }

    pub fn raw(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// The output from byte `from` on (for tests that parse as it comes).
    pub fn raw_from(&self, from: usize) -> Vec<u8> {
        let output = self.output.lock().unwrap();
        output.get(from..).unwrap_or_default().to_vec()
    }

    /// Writes `bytes` as typed, without waiting after.
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }
}

/// `gvmi DIR` with a clean environment: no display, no tmux, config and
/// cache under `dir` (so a second session finds what the first saved).
pub fn gvmi_command(dir: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gvmi"));
    cmd.arg(dir);
    isolate(&mut cmd, dir);
    cmd
}

/// The environment every PTY test runs under: the tests' one isolated
/// environment (config in `dir`, cache in `dir/cache`) on an xterm.
pub fn isolate(cmd: &mut CommandBuilder, dir: &Path) {
    cmd.env("TERM", "xterm-256color");
    for (var, value) in crate::support::environment(dir) {
        match value {
            Some(value) => cmd.env(var, value),
            None => cmd.env_remove(var),
        }
    }
}

/// The python3 oracle's hash of `path`; empty (after a visible skip) when
/// python3 is missing.
pub fn python_sha3(path: &Path) -> String {
    if !crate::support::require_tool("python3") {
        return String::new();
    }
    crate::support::python_sha3_224(path)
}

/// Deterministic, incompressible-looking bytes.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A valid image (inspection finds no defect): the demo image's squashfs and
/// metadata with `len` bytes of noise between them, so each seed gives other
/// content and another hash. Metadata may start anywhere after the squashfs.
pub fn valid_image(len: usize, seed: u64) -> Vec<u8> {
    let demo =
        crate::support::repo().join("assets/demo/golem-examples-hello-latest-a751fc0760.gvmi");
    let demo = std::fs::read(demo).expect("demo image");
    let end = demo.len();
    let json_len: usize = std::str::from_utf8(&demo[end - 8..])
        .unwrap()
        .parse()
        .unwrap();
    let split = end - 8 - json_len - 4;
    let mut out = demo[..split].to_vec();
    out.extend(noise(len, seed));
    out.extend_from_slice(&demo[split..]);
    out
}

/// The payloads of every OSC 52 sequence in `raw`, decoded, whatever its
/// selection field (`c`, or empty as tmux sends it).
pub fn osc52_payloads(raw: &[u8]) -> Vec<String> {
    use base64::Engine as _;
    let text = String::from_utf8_lossy(raw);
    text.split("\x1b]52;")
        .skip(1)
        .filter_map(|rest| {
            let (_selection, rest) = rest.split_once(';')?;
            let end = rest.find(['\x07', '\x1b'])?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&rest[..end])
                .ok()?;
            String::from_utf8(bytes).ok()
        })
        .collect()
}

/// Waits up to 10 s for an OSC 52 in the output; all decoded so far.
pub fn wait_osc52(s: &Session) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let p = osc52_payloads(&s.raw());
        if !p.is_empty() || Instant::now() > deadline {
            return p;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

pub fn have(tool: &str) -> bool {
    crate::support::require_tool(tool)
}
