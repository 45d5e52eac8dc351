//! End to end: the built binary in a real pseudo-terminal, driven by keys.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

#[path = "skip/mod.rs"]
mod skip;

const COLS: u16 = 160;
const ROWS: u16 = 30;

struct Session {
    output: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(dir: &Path, display: Option<&str>) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gvmi"));
        cmd.arg(dir);
        cmd.env("TERM", "xterm-256color");
        // No display and no tmux: the clipboard must fall back to OSC 52.
        for var in ["DISPLAY", "WAYLAND_DISPLAY", "TMUX"] {
            cmd.env_remove(var);
        }
        if let Some(display) = display {
            cmd.env("DISPLAY", display);
        }
        cmd.env("XDG_CONFIG_HOME", dir.join("config"));
        cmd.env("XDG_CACHE_HOME", dir.join("cache"));
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

    fn screen(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.output.lock().unwrap());
        parser
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        thread::sleep(Duration::from_millis(150));
    }

    /// Presses q and waits for a successful exit.
    fn quit(&mut self) {
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
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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
    fn cooked(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("pty fd");
        // SAFETY: tcgetattr only writes into the zeroed struct we own.
        let mut tio: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut tio) }, 0, "tcgetattr");
        tio.c_lflag & (libc::ICANON | libc::ECHO) == (libc::ICANON | libc::ECHO)
    }

    fn raw(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }
}

fn python_sha3(path: &Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib,sys; print(hashlib.sha3_224(open(sys.argv[1],'rb').read()).hexdigest())",
        ])
        .arg(path)
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8(o.stdout).unwrap().trim().to_string(),
        _ => {
            skip::available(false, "python3 (the hash oracle)", ".ci/run installs it");
            String::new()
        }
    }
}

/// Deterministic, incompressible-looking bytes.
fn noise(len: usize, seed: u64) -> Vec<u8> {
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
fn valid_image(len: usize, seed: u64) -> Vec<u8> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo/golem-examples-hello-latest-a751fc0760.gvmi");
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

/// The payloads of every OSC 52 sequence in `raw`, decoded.
fn osc52_payloads(raw: &[u8]) -> Vec<String> {
    use base64::Engine as _;
    let text = String::from_utf8_lossy(raw);
    text.split("\x1b]52;c;")
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find(['\x07', '\x1b'])?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&rest[..end])
                .ok()?;
            String::from_utf8(bytes).ok()
        })
        .collect()
}

#[test]
fn hashes_live_copies_a_snippet_over_osc52_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let sizes = [
        ("a-small.gvmi", 1_000usize),
        ("b-mid.gvmi", 700_000),
        ("c-big.gvmi", 3_000_000),
    ];
    let mut hashes = Vec::new();
    for (i, (name, len)) in sizes.iter().enumerate() {
        let path = dir.path().join(name);
        std::fs::write(&path, noise(*len, i as u64 + 1)).unwrap();
        hashes.push(python_sha3(&path));
    }
    if hashes[0].is_empty() {
        return; // python3 missing: skipped visibly by python_sha3
    }
    let mut s = Session::start(dir.path(), None);
    s.wait_for("every hash", |t| {
        hashes.iter().all(|h| t.contains(&h[..24]))
    });

    // Set the folder's base URL, then copy the first image's snippet.
    s.keys("b");
    s.keys("\x15https://cdn.example.com/img/\r");
    s.keys("c");
    let deadline = Instant::now() + Duration::from_secs(10);
    let payloads = loop {
        let p = osc52_payloads(&s.raw());
        if !p.is_empty() || Instant::now() > deadline {
            break p;
        }
        thread::sleep(Duration::from_millis(50));
    };
    let snippet = payloads
        .last()
        .expect("an OSC 52 sequence after pressing c");
    assert!(
        snippet.contains(&hashes[0]),
        "snippet lacks the hash:\n{snippet}"
    );
    assert!(
        snippet.contains("https://cdn.example.com/img/a-small.gvmi"),
        "snippet lacks the URL:\n{snippet}"
    );
    s.wait_for("the status line", |t| t.contains("OSC 52"));

    s.quit();
    thread::sleep(Duration::from_millis(200));
    #[cfg(unix)]
    assert!(s.cooked(), "raw mode left on after q");
    let parser = s.screen();
    assert!(
        !parser.screen().alternate_screen(),
        "alternate screen left on"
    );
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(
        raw.contains("\x1b[?1049l"),
        "never left the alternate screen"
    );
    assert!(raw.contains("\x1b[?1000l"), "mouse reporting left on");
}

fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    skip::available(
        found,
        &format!("the external tool `{tool}`"),
        ".ci/run installs it",
    )
}

/// An Xvfb server on a free display, killed when dropped.
struct Xvfb(std::process::Child, String);

impl Xvfb {
    fn start() -> Xvfb {
        for n in 140..200 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                continue;
            }
            let display = format!(":{n}");
            let child = Command::new("Xvfb")
                .args([&display, "-nolisten", "tcp"])
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("start Xvfb");
            let deadline = Instant::now() + Duration::from_secs(10);
            while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                assert!(Instant::now() < deadline, "Xvfb {display} did not start");
                thread::sleep(Duration::from_millis(50));
            }
            return Xvfb(child, display);
        }
        panic!("no free X display");
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn xclip_out(display: &str) -> String {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .output()
        .expect("run xclip");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_clipboard(display: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = xclip_out(display);
        if text.contains(needle) || Instant::now() > deadline {
            return text;
        }
        thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn x11_clipboard_holds_the_snippet_while_running_and_after_quit() {
    if !have("Xvfb") || !have("xclip") || !have("python3") {
        return;
    }
    let x = Xvfb::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x11.gvmi");
    std::fs::write(&path, noise(5_000, 9)).unwrap();
    let hash = python_sha3(&path);
    let mut s = Session::start(dir.path(), Some(&x.1));
    s.wait_for("the hash", |t| t.contains(&hash[..24]));
    s.keys("c");
    s.wait_for("the status line", |t| t.contains("system clipboard"));
    let live = wait_clipboard(&x.1, &hash);
    assert!(
        live.contains(&hash) && live.contains("vm.repo("),
        "while running: {live:?}"
    );
    assert!(
        !String::from_utf8_lossy(&s.raw()).contains("\x1b]52;"),
        "with a display, no OSC 52 is needed"
    );
    s.quit();
    let after = wait_clipboard(&x.1, &hash);
    assert!(after.contains(&hash), "after quit: {after:?}");
}

#[cfg(unix)]
#[test]
fn sigterm_restores_the_terminal_and_reports_the_signal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("term.gvmi"), noise(2_000, 3)).unwrap();
    let mut s = Session::start(dir.path(), None);
    s.wait_for("the table", |t| {
        t.contains("term.gvmi") && t.contains("hashed")
    });
    assert!(!s.cooked(), "the workbench should run in raw mode");
    let pid = s.child.process_id().expect("pid") as libc::pid_t;
    // SAFETY: plain kill(2) on the child we spawned.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 128 + libc::SIGTERM as u32, "{status:?}");
    thread::sleep(Duration::from_millis(100));
    assert!(s.cooked(), "raw mode left on after SIGTERM");
    assert!(
        !s.screen().screen().alternate_screen(),
        "alternate screen left on after SIGTERM"
    );
    assert!(
        String::from_utf8_lossy(&s.raw()).contains("\x1b[?1000l"),
        "mouse reporting left on after SIGTERM"
    );
}

#[test]
fn refuses_to_draw_when_stdout_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gvmi"))
        .arg(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing may be drawn into a pipe");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gvmi hash"), "{err}");
}

/// The cache and watch mode end to end: a reopened folder shows every hash
/// from the cache at once; an image written slowly is shown as being
/// written and hashed once complete; a rebuilt one is rehashed on its own;
/// a deleted one leaves the table; `w` writes a SHA3SUMS the table agrees with.
#[test]
fn reopening_is_instant_and_the_folder_is_watched() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir(&images).unwrap();
    let a = images.join("a.gvmi");
    let b = images.join("b.gvmi");
    std::fs::write(&a, valid_image(2_000_000, 11)).unwrap();
    std::fs::write(&b, valid_image(5_000, 12)).unwrap();
    let hash_a = python_sha3(&a);
    if hash_a.is_empty() {
        return; // python3 missing: skipped visibly by python_sha3
    }
    thread::sleep(Duration::from_millis(300)); // past the cache's racy window
    let mut s = Session::start(&images, None);
    s.wait_for("both hashed", |t| t.matches("✓ done").count() == 2);
    s.quit();

    let mut s = Session::start(&images, None);
    s.wait_for("both from the cache", |t| {
        t.matches("✓ cached").count() == 2
    });

    // Written in pieces, slower than the settle time allows: never hashed half-way.
    let c = images.join("c.gvmi");
    let data = valid_image(1_500_000, 13);
    {
        let mut f = std::fs::File::create(&c).unwrap();
        for piece in data.chunks(300_000) {
            f.write_all(piece).unwrap();
            f.flush().unwrap();
            thread::sleep(Duration::from_millis(300));
            let text = s.screen().screen().contents();
            assert!(
                !text.contains("c.gvmi") || !text.contains("✓ done"),
                "{text}"
            );
        }
    }
    let hash_c = python_sha3(&c);
    s.wait_for("c.gvmi hashed whole", |t| t.contains(&hash_c[..24]));

    // Rebuilt by rename, as build tools do.
    let part = images.join("a.gvmi.part");
    std::fs::write(&part, valid_image(2_000_000, 14)).unwrap();
    std::fs::rename(&part, &a).unwrap();
    let new_a = python_sha3(&a);
    s.wait_for("a.gvmi rehashed", |t| {
        t.contains("Δ new hash") && t.contains(&new_a[..24])
    });

    std::fs::remove_file(&b).unwrap();
    s.wait_for("b.gvmi gone", |t| !t.contains("b.gvmi"));

    s.keys("w");
    s.wait_for("SHA3SUMS agrees", |t| t.matches("=Σ").count() == 2);
    let sums = std::fs::read_to_string(images.join("SHA3SUMS")).unwrap();
    assert!(sums.contains(&format!("{new_a}  a.gvmi")), "{sums}");
    assert!(sums.contains(&format!("{hash_c}  c.gvmi")), "{sums}");
    s.quit();
}
