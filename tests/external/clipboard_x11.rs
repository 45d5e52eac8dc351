//! `gvmi snippet --copy` under a real X server (Xvfb): the snippet must
//! still be on the clipboard after gvmi has exited, served by its detached
//! helper until another program takes the clipboard over; inside tmux too,
//! where tmux's buffer gets it as well.
#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::xvfb::Xvfb;
use crate::support::*;

/// Tests here run in parallel threads; two picking the same free display
/// number at once would race, so X tests take turns.
static X_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn x_turn() -> std::sync::MutexGuard<'static, ()> {
    X_TURN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn wait_for(mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn xclip(display: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("xclip");
    cmd.args(args).env("DISPLAY", display);
    cmd
}

fn clipboard(display: &str) -> Option<String> {
    let out = xclip(display, &["-o", "-selection", "clipboard"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `xclip -i`: it forks a server that keeps its stdio, so no pipes but stdin.
fn take_over(display: &str, text: &str) {
    let mut child = xclip(display, &["-selection", "clipboard", "-i"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run xclip");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(text.as_bytes()).unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn copied_snippet_outlives_gvmi() {
    let tools = have_tool("Xvfb") || Path::new("/usr/bin/Xvfb").exists();
    if !available(
        tools && have_tool("xclip"),
        "Xvfb and xclip",
        &apt("xvfb xclip"),
    ) {
        return;
    }
    let _turn = x_turn();
    let x = Xvfb::start(90..140);
    let config = tempfile::tempdir().unwrap();
    let url = "https://cdn.example.com/alpine.gvmi";
    let (code, printed, err) = run(gvmi_in(config.path()).env("DISPLAY", &x.display).args([
        "snippet",
        "--hash",
        ALPINE_HASH,
        "--url",
        url,
        "--copy",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "gvmi: copied: X11 clipboard\n");
    // gvmi has exited; the detached helper must still answer.
    assert!(
        wait_for(|| clipboard(&x.display).as_deref() == Some(printed.as_str())),
        "clipboard holds {:?}",
        clipboard(&x.display)
    );
    // Another program taking the clipboard over ends the helper's job.
    take_over(&x.display, "something else");
    assert!(wait_for(
        || clipboard(&x.display).as_deref() == Some("something else")
    ));
}

/// Inside tmux with an X display, `--copy` puts the snippet in both, says
/// so, and both still hold it after gvmi has exited.
#[test]
fn copy_inside_tmux_with_a_display_lands_in_both() {
    let tools = have_tool("Xvfb") || Path::new("/usr/bin/Xvfb").exists();
    if !available(
        tools && have_tool("xclip") && have_tool("tmux"),
        "Xvfb, xclip and tmux",
        &apt("xvfb xclip tmux"),
    ) {
        return;
    }
    let _turn = x_turn();
    let x = Xvfb::start(90..140);
    let dir = tempfile::tempdir().unwrap();
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .env("TMUX_TMPDIR", dir.path())
            .env_remove("TMUX")
            .args(["-L", "gvmi-x11", "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs")
    };
    assert!(tmux(&["new-session", "-d", "-x", "80", "-y", "24"])
        .status
        .success());
    let socket = String::from_utf8(tmux(&["display", "-p", "#{socket_path},#{pid},0"]).stdout)
        .unwrap()
        .trim()
        .to_owned();
    let url = "https://cdn.example.com/alpine.gvmi";
    let (code, printed, err) = run(gvmi_in(dir.path())
        .env("DISPLAY", &x.display)
        .env("TMUX", &socket)
        .args(["snippet", "--hash", ALPINE_HASH, "--url", url, "--copy"]));
    let buffer = String::from_utf8(tmux(&["show-buffer"]).stdout).unwrap();
    let held = wait_for(|| clipboard(&x.display).as_deref() == Some(printed.as_str()));
    tmux(&["kill-server"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "gvmi: copied: X11 clipboard + tmux buffer\n");
    assert_eq!(buffer, printed, "tmux's buffer");
    assert!(held, "X11 CLIPBOARD holds {:?}", clipboard(&x.display));
}

#[test]
fn display_addresses_are_read_from_display() {
    use gvmi::clipboard::{x_address, XAddress};
    assert_eq!(
        x_address(":0"),
        Some(XAddress::Local("/tmp/.X11-unix/X0".into()))
    );
    assert_eq!(
        x_address("unix:12.0"),
        Some(XAddress::Local("/tmp/.X11-unix/X12".into()))
    );
    assert_eq!(
        x_address("localhost:10.0"),
        Some(XAddress::Tcp("localhost".into(), 6010))
    );
    assert_eq!(x_address("/private/tmp/launch-x/org.xquartz:0"), None);
    assert_eq!(x_address("nonsense"), None);
}

/// The helper serving the clipboard must not outlive the X server it serves.
#[test]
fn clipboard_server_ends_when_its_display_goes_away() {
    let tools = have_tool("Xvfb") || Path::new("/usr/bin/Xvfb").exists();
    if !available(
        tools && have_tool("xclip"),
        "Xvfb and xclip",
        &apt("xvfb xclip"),
    ) {
        return;
    }
    let _turn = x_turn();
    let x = Xvfb::start(90..140);
    let display = x.display.clone();
    let home = tempfile::tempdir().unwrap();
    let mut server = gvmi_in(home.path())
        .arg(gvmi::clipboard::SERVE_SUBCOMMAND)
        .env("DISPLAY", &display)
        .stdin("served text")
        .spawn();
    assert!(wait_for(
        || clipboard(&display).as_deref() == Some("served text")
    ));
    drop(x); // the X server dies; nobody takes the selection over
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = server.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.is_some(),
        "the clipboard server outlived its display"
    );
}
