//! Copying from the workbench: OSC 52 without tmux or display, tmux's
//! buffer inside a real tmux server, the X11 clipboard under Xvfb.

use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

use super::session::*;
use crate::support::xvfb::Xvfb;

const OSC52_SAID: &str = "sent to your terminal as OSC 52 — it cannot confirm";
const TMUX_SAID: &str = "copied to tmux's buffer (tmux forwards it to your terminal)";

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
        // A valid image: the status line has no inspection warning.
        std::fs::write(&path, valid_image(*len, i as u64 + 1)).unwrap();
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
    let payloads = wait_osc52(&s);
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
    let status = s.wait_for("the status line", |t| t.contains("OSC 52"));
    assert!(
        status.contains(&format!("yapapi snippet: {OSC52_SAID}")),
        "{status}"
    );
    assert!(
        status.contains("(no DISPLAY or WAYLAND_DISPLAY set)"),
        "the real reason there is no system clipboard: {status}"
    );

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
    let x = Xvfb::start(140..200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x11.gvmi");
    std::fs::write(&path, noise(5_000, 9)).unwrap();
    let hash = python_sha3(&path);
    let mut s = Session::start(dir.path(), Some(&x.display));
    s.wait_for("the hash", |t| t.contains(&hash[..24]));
    s.keys("c");
    s.wait_for("the status line", |t| t.contains("system clipboard"));
    let live = wait_clipboard(&x.display, &hash);
    assert!(
        live.contains(&hash) && live.contains("vm.repo("),
        "while running: {live:?}"
    );
    assert!(
        !String::from_utf8_lossy(&s.raw()).contains("\x1b]52;"),
        "with a display, no OSC 52 is needed"
    );
    s.quit();
    let after = wait_clipboard(&x.display, &hash);
    assert!(after.contains(&hash), "after quit: {after:?}");
}

/// A private tmux server (its own socket folder and name, config `conf`)
/// whose attached client runs gvmi in our PTY; killed when dropped.
struct Tmux {
    dir: std::path::PathBuf,
}

impl Tmux {
    fn start(dir: &Path, images: &Path, conf: &str) -> (Tmux, Session) {
        let conf_path = dir.join("tmux.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let tmux = Tmux {
            dir: dir.to_path_buf(),
        };
        let mut cmd = CommandBuilder::new("tmux");
        isolate(&mut cmd, dir);
        cmd.env("TMUX_TMPDIR", dir);
        cmd.arg("-L");
        cmd.arg("gvmi-test");
        cmd.arg("-f");
        cmd.arg(&conf_path);
        cmd.arg("new-session");
        cmd.arg(format!(
            "'{}' '{}'",
            env!("CARGO_BIN_EXE_gvmi"),
            images.display()
        ));
        (tmux, Session::spawn(cmd))
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.env("TMUX_TMPDIR", &self.dir)
            .env_remove("TMUX")
            .args(["-L", "gvmi-test"]);
        cmd
    }

    fn show_buffer(&self) -> String {
        let out = self.command().arg("show-buffer").output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").output();
    }
}

/// Inside tmux, `c` goes through `tmux load-buffer -w`: the snippet is in
/// tmux's buffer, tmux forwards it to the outer terminal (our PTY) as OSC
/// 52, and the status line says so. With tmux's default configuration and
/// with `allow-passthrough on` alike.
fn tmux_copy_lands(conf: &str) {
    if !have("tmux") || !have("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir(&images).unwrap();
    let path = images.join("t.gvmi");
    std::fs::write(&path, valid_image(3_000, 21)).unwrap();
    let hash = python_sha3(&path);
    let (tmux, mut s) = Tmux::start(dir.path(), &images, conf);
    s.wait_for("the hash and inspection", |t| {
        t.contains(&hash[..24]) && t.contains("✓ done")
    });
    s.keys("b");
    s.keys("\x15https://cdn.example.com/img/\r");
    s.keys("c");
    let status = s.wait_for("the status line", |t| t.contains("copied to tmux"));
    assert!(
        status.contains(&format!("yapapi snippet: {TMUX_SAID}")),
        "{status}"
    );
    assert!(!status.contains('⚠'), "nothing to warn about: {status}");
    let buffer = tmux.show_buffer();
    assert!(
        buffer.contains(&hash) && buffer.contains("https://cdn.example.com/img/t.gvmi"),
        "tmux's buffer: {buffer:?}"
    );
    let forwarded = wait_osc52(&s);
    assert_eq!(
        forwarded.last(),
        Some(&buffer),
        "tmux forwards the copy to the outer terminal"
    );
    s.quit();
}

#[test]
fn in_tmux_with_default_settings_c_lands_in_tmux_buffer() {
    tmux_copy_lands("");
}

#[test]
fn in_tmux_with_passthrough_allowed_c_lands_in_tmux_buffer() {
    tmux_copy_lands("set -g allow-passthrough on\n");
}

/// `$TMUX` names a server that is not there (tmux gone, or a stale
/// variable): the copy falls back to plain OSC 52, never tmux's passthrough
/// form (which only a tmux that allows it would pass on), and says why.
#[test]
fn in_tmux_without_a_server_falls_back_to_plain_osc52() {
    if !have("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.gvmi");
    std::fs::write(&path, valid_image(2_000, 22)).unwrap();
    let hash = python_sha3(&path);
    let mut cmd = gvmi_command(dir.path());
    cmd.env(
        "TMUX",
        format!("{}/no-such-socket,1,0", dir.path().display()),
    );
    let mut s = Session::spawn(cmd);
    s.wait_for("the hash", |t| t.contains(&hash[..24]));
    s.keys("c");
    let status = s.wait_for("the status line", |t| t.contains("OSC 52"));
    assert!(status.contains(OSC52_SAID), "{status}");
    assert!(status.contains("tmux"), "says tmux failed: {status}");
    let payloads = wait_osc52(&s);
    assert!(
        payloads.last().is_some_and(|p| p.contains(&hash)),
        "{payloads:?}"
    );
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(!raw.contains("\x1bPtmux;"), "passthrough sent unasked");
    s.quit();
}
