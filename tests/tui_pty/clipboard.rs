//! Copying from the workbench: OSC 52 without tmux or display, the X11
//! clipboard under Xvfb (inside tmux and GNU screen: `clipboard_mux`).

use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use super::session::*;
use crate::support::xvfb::Xvfb;

pub const OSC52_SAID: &str =
    "sent to your terminal as OSC 52 — it cannot confirm; if paste is empty, see README";

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
        status.contains(&format!(
            "yapapi snippet {OSC52_SAID} (no DISPLAY or WAYLAND_DISPLAY set)"
        )),
        "{status}"
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

pub fn xclip_out(display: &str) -> String {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .output()
        .expect("run xclip");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The X11 CLIPBOARD once it holds `needle` (or after 10 s, whatever it holds).
pub fn wait_clipboard(display: &str, needle: &str) -> String {
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
    // `y` and `c` go through the same chain: the hash, then the snippet.
    s.keys("y");
    s.wait_for("the hash copied", |t| {
        t.contains("hash copied: X11 clipboard")
    });
    assert_eq!(wait_clipboard(&x.display, &hash), hash);
    s.keys("c");
    let status = s.wait_for("the snippet copied", |t| {
        t.contains("yapapi snippet copied: X11 clipboard")
    });
    assert!(!status.contains("tmux"), "not inside tmux: {status}");
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
    assert!(
        String::from_utf8_lossy(&s.raw()).contains(
            "gvmi: the last copied text stays on the X11 clipboard (served by a background gvmi"
        ),
        "the farewell says where the copy stays"
    );
    let after = wait_clipboard(&x.display, &hash);
    assert!(after.contains(&hash), "after quit: {after:?}");
}

/// A `DISPLAY` no X server answers (left from an old session): the status
/// line says what failed and what to try, in gvmi's words, not the
/// clipboard library's; the copy still goes out as OSC 52.
#[test]
fn a_display_that_does_not_answer_is_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.gvmi"), valid_image(1_000, 71)).unwrap();
    let display = crate::support::xvfb::unused_display(900..960);
    let mut s = Session::start(dir.path(), Some(&display));
    s.wait_for("the hash", |t| t.contains("✓ done"));
    s.keys("y");
    let text = s.wait_for("the copy's words", |t| t.contains("X11 clipboard failed"));
    let status: String = (text.lines())
        .skip_while(|l| !l.contains("hash sent to your terminal"))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        status.contains(&format!(
            "X11 clipboard failed: cannot reach the X display {display}: No such file or \
             directory (a DISPLAY left from an old session? unset it, or point it at a \
             running X server)"
        )),
        "{text}"
    );
    assert!(!text.contains("Unknown error"), "{text}");
    assert!(!wait_osc52(&s).is_empty(), "the copy went out as OSC 52");
    s.quit();
}
