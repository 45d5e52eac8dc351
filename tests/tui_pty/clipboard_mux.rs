//! Copying from the workbench inside a terminal multiplexer: a real tmux
//! server (its buffer; with an X11 display, both), and GNU screen (OSC 52
//! through screen's passthrough).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

use super::clipboard::{wait_clipboard, OSC52_SAID};
use super::session::*;
use crate::support::xvfb::Xvfb;

/// A private tmux server (its own socket folder and name, config `conf`)
/// whose attached client runs gvmi in our PTY; killed when dropped.
struct Tmux {
    dir: PathBuf,
}

impl Tmux {
    fn start(dir: &Path, images: &Path, conf: &str, display: Option<&str>) -> (Tmux, Session) {
        let conf_path = dir.join("tmux.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let tmux = Tmux {
            dir: dir.to_path_buf(),
        };
        let mut cmd = CommandBuilder::new("tmux");
        isolate(&mut cmd, dir);
        if let Some(display) = display {
            // The server starts with it, and gives it to the session.
            cmd.env("DISPLAY", display);
        }
        cmd.env("TMUX_TMPDIR", dir);
        cmd.args(["-L", "gvmi-test", "-f"]);
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

    /// With `remain-on-exit on`: waits until gvmi's pane is dead (its
    /// terminal closed). Its exit status is not asked for: tmux sometimes
    /// leaves a dead pane's process unreaped for a long while.
    fn wait_pane_dead(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let out = self
                .command()
                .args(["display", "-p", "#{pane_dead}"])
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            if said == "1" {
                return;
            }
            assert!(Instant::now() < deadline, "gvmi still runs: {said:?}");
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").output();
    }
}

/// A folder with one valid image; its hash (empty when python3 is missing).
fn one_image(dir: &Path, seed: u64) -> (PathBuf, String) {
    let images = dir.join("images");
    std::fs::create_dir(&images).unwrap();
    let path = images.join("t.gvmi");
    std::fs::write(&path, valid_image(3_000, seed)).unwrap();
    let hash = python_sha3(&path);
    (images, hash)
}

/// Sets a base URL, so the snippet has no placeholder to warn about, and copies it.
fn copy_snippet(s: &mut Session, hash: &str) {
    s.wait_for("the hash and inspection", |t| {
        t.contains(&hash[..24]) && t.contains("✓ done")
    });
    s.keys("b");
    s.keys("\x15https://cdn.example.com/img/\r");
    s.keys("c");
}

/// Inside tmux with no display, `c` goes through `tmux load-buffer -w`: the
/// snippet is in tmux's buffer, tmux forwards it to the outer terminal (our
/// PTY) as OSC 52, and the status line says so. With tmux's default
/// configuration and with `allow-passthrough on` alike.
fn tmux_copy_lands(conf: &str) {
    if !have("tmux") || !have("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (images, hash) = one_image(dir.path(), 21);
    let (tmux, mut s) = Tmux::start(dir.path(), &images, conf, None);
    copy_snippet(&mut s, &hash);
    let status = s.wait_for("the status line", |t| t.contains("copied:"));
    assert!(
        status.contains("yapapi snippet copied: tmux buffer"),
        "{status}"
    );
    assert!(
        !status.contains('⚠') && !status.contains("failed") && !status.contains('+'),
        "nothing else to say: {status}"
    );
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

/// The issue's case: inside tmux on a desktop whose terminal ignores OSC 52.
/// `c` leaves the snippet on the X11 CLIPBOARD and in tmux's buffer, while
/// gvmi runs and after it quits, and the status line names both.
#[test]
fn in_tmux_with_an_x11_display_c_lands_in_both_while_running_and_after_quit() {
    if !have("tmux") || !have("Xvfb") || !have("xclip") || !have("python3") {
        return;
    }
    let x = Xvfb::start(200..260);
    let dir = tempfile::tempdir().unwrap();
    let (images, hash) = one_image(dir.path(), 23);
    // The pane (and the server, and its buffer) stays after gvmi exits.
    let conf = "set -g remain-on-exit on\n";
    let (tmux, mut s) = Tmux::start(dir.path(), &images, conf, Some(&x.display));
    copy_snippet(&mut s, &hash);
    let status = s.wait_for("the status line", |t| t.contains("copied:"));
    assert!(
        status.contains("yapapi snippet copied: X11 clipboard + tmux buffer"),
        "{status}"
    );
    assert!(!status.contains("failed"), "{status}");
    let buffer = tmux.show_buffer();
    assert!(
        buffer.contains(&hash) && buffer.contains("https://cdn.example.com/img/t.gvmi"),
        "tmux's buffer: {buffer:?}"
    );
    assert_eq!(wait_clipboard(&x.display, &hash), buffer, "while running");

    s.keys("q");
    tmux.wait_pane_dead();
    assert_eq!(tmux.show_buffer(), buffer, "tmux's buffer after quit");
    assert_eq!(
        wait_clipboard(&x.display, &hash),
        buffer,
        "the X11 CLIPBOARD after quit"
    );
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
    assert!(
        status.contains("tmux buffer failed: tmux load-buffer:"),
        "says why tmux failed: {status}"
    );
    let payloads = wait_osc52(&s);
    assert!(
        payloads.last().is_some_and(|p| p.contains(&hash)),
        "{payloads:?}"
    );
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(!raw.contains("\x1bPtmux;"), "passthrough sent unasked");
    s.quit();
}

/// The pieces of GNU screen's passthrough in `raw`, joined: what screen
/// hands its own terminal.
fn screen_pieces(raw: &str) -> String {
    raw.split("\x1bP")
        .skip(1)
        .filter_map(|rest| rest.split_once("\x1b\\").map(|(piece, _)| piece))
        .collect()
}

/// `$STY` set (inside GNU screen), no display: the OSC 52 goes out in
/// screen's passthrough, in pieces that fit screen's buffer, which joined
/// are the plain sequence for the snippet. (Here no screen is really in
/// between: the exact bytes gvmi writes.)
#[test]
fn with_sty_set_osc52_is_wrapped_for_screen_in_pieces() {
    if !have("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (images, hash) = one_image(dir.path(), 24);
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gvmi"));
    cmd.arg(&images);
    isolate(&mut cmd, dir.path());
    cmd.env("STY", "12345.pts-0.host");
    let mut s = Session::spawn(cmd);
    copy_snippet(&mut s, &hash);
    s.wait_for("the status line", |t| t.contains(OSC52_SAID));
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    let start = raw.find("\x1bP\x1b]52;c;").expect("screen's passthrough");
    let end = start + raw[start..].find("\x07\x1b\\").expect("its end") + 3;
    let wrapped = &raw[start..end];
    let pieces: Vec<&str> = wrapped[2..wrapped.len() - 2].split("\x1b\\\x1bP").collect();
    assert!(pieces.len() > 1, "a snippet takes several pieces");
    assert!(
        pieces.iter().all(|p| p.len() <= 252),
        "each piece fits screen's buffer"
    );
    let joined = pieces.concat();
    let snippet = osc52_payloads(joined.as_bytes());
    assert_eq!(snippet.len(), 1, "{joined:?}");
    assert!(
        snippet[0].contains(&hash) && snippet[0].contains("https://cdn.example.com/img/t.gvmi"),
        "{snippet:?}"
    );
    assert!(
        !raw.replace(wrapped, "").contains("\x1b]52;"),
        "no unwrapped OSC 52 besides"
    );
    s.quit();
}

/// gvmi inside a real GNU screen: screen passes the pieces through and the
/// terminal outside (our PTY) receives one whole OSC 52 with the snippet.
#[test]
fn inside_gnu_screen_the_terminal_outside_receives_the_snippet() {
    if !have("screen") || !have("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (images, hash) = one_image(dir.path(), 25);
    // screen insists on a private folder for its sockets.
    let sockets = dir.path().join("screens");
    std::fs::create_dir(&sockets).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&sockets, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let mut cmd = CommandBuilder::new("screen");
    isolate(&mut cmd, dir.path());
    cmd.env("SCREENDIR", &sockets);
    cmd.args(["-c", "/dev/null", "-S", "gvmi-test"]);
    cmd.arg(env!("CARGO_BIN_EXE_gvmi"));
    cmd.arg(&images);
    let mut s = Session::spawn(cmd);
    copy_snippet(&mut s, &hash);
    s.wait_for("the status line", |t| t.contains(OSC52_SAID));
    let payloads = wait_osc52(&s);
    assert!(
        payloads
            .last()
            .is_some_and(|p| p.contains(&hash) && p.contains("https://cdn.example.com/img/t.gvmi")),
        "the terminal outside screen got {payloads:?}"
    );
    assert!(
        screen_pieces(&String::from_utf8_lossy(&s.raw())).is_empty(),
        "screen unwraps its passthrough"
    );
    s.quit();
}
