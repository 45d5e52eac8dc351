//! `gvmi snippet --copy`: the same chain as the workbench's `c`, its words
//! on stderr, and why a step failed (X11 with Xvfb: tests/external).

use super::snippet;
use crate::support::xvfb::{unused_display, unused_tcp_display};
use crate::support::*;

const ARGS: [&str; 5] = [
    "--hash",
    ALPINE_HASH,
    "--url",
    "https://e.com/image.gvmi",
    "--copy",
];

#[test]
fn copy_without_a_clipboard_says_so_and_still_prints() {
    let args = [
        "--hash",
        ALPINE_HASH,
        "--url",
        "https://e.com/image.gvmi",
        "--copy",
    ];
    let (code, out, err) = snippet(&args);
    assert_eq!(code, 0);
    assert!(out.contains("vm.repo("));
    assert!(
        err.starts_with("gvmi: warning: not copied: no display (no DISPLAY or WAYLAND_DISPLAY set); OSC 52 not sent: standard error is not a terminal;")
            && err.trim_end().ends_with("the snippet is only printed"),
        "{err}"
    );
}

/// `--copy` in an environment `env` names; its exit code, stdout, stderr.
fn copy_with(env: &[(&str, &str)]) -> (i32, String, String) {
    let config = tempdir();
    let mut command = gvmi_in(config.path()).arg("snippet").args(ARGS);
    for (var, value) in env {
        command = command.env(var, value);
    }
    run(command)
}

/// A display that is set but cannot be used is a failure that names why,
/// the snippet is still printed, and the exit is 0 (the copy is extra).
#[test]
fn a_display_that_fails_says_why() {
    // Displays no server holds on this machine, never fixed numbers.
    let (local, tcp) = (unused_display(300..400), unused_tcp_display());
    let cases = [
        (
            ("WAYLAND_DISPLAY", "gvmi-no-such-compositor"),
            "Wayland clipboard failed: Wayland: ".to_string(),
        ),
        (
            ("DISPLAY", local.as_str()),
            format!("X11 clipboard failed: cannot reach the X display {local}: "),
        ),
        (
            ("DISPLAY", tcp.as_str()),
            format!("X11 clipboard failed: cannot reach the X display {tcp}: "),
        ),
    ];
    for (var, said) in cases {
        let env = &[var][..];
        let (code, out, err) = copy_with(env);
        assert_eq!(code, 0, "{env:?}: {err}");
        assert!(out.contains("vm.repo("), "{env:?}");
        assert!(
            err.starts_with(&format!("gvmi: warning: not copied: {said}"))
                && err.trim_end().ends_with("the snippet is only printed"),
            "{env:?}: {err}"
        );
    }
}

/// `DISPLAY` is outside text: what a failure quotes of it is made visible.
#[test]
fn a_hostile_display_name_reaches_stderr_escaped() {
    let (code, _, err) = copy_with(&[("DISPLAY", "\x1b]0;pwned\x07:5")]);
    assert_eq!(code, 0);
    assert!(
        err.contains("cannot reach the X display \\e]0;pwned\\x07:5"),
        "{err}"
    );
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
}

/// Inside tmux (its default settings), `--copy` goes into tmux's buffer, as
/// the workbench's `c` does, and says so in the same words.
#[cfg(unix)]
#[test]
fn copy_inside_tmux_lands_in_tmux_buffer() {
    if !require_tool("tmux") {
        return;
    }
    let dir = tempdir();
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .env("TMUX_TMPDIR", dir.path())
            .env_remove("TMUX")
            .args(["-L", "gvmi-cli", "-f", "/dev/null"])
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
    let config = tempdir();
    let url = "https://e.com/image.gvmi";
    let out = gvmi_in(config.path())
        .args(["snippet", "--hash", ALPINE_HASH, "--url", url, "--copy"])
        .env("TMUX", &socket)
        .run();
    let buffer = String::from_utf8(tmux(&["show-buffer"]).stdout).unwrap();
    tmux(&["kill-server"]);
    out.assert_code(0);
    assert!(
        out.stderr().contains("gvmi: copied: tmux buffer\n"),
        "{}",
        out.stderr()
    );
    assert_eq!(
        buffer.trim_end(),
        out.stdout().trim_end(),
        "the buffer holds the snippet"
    );
    assert!(buffer.contains(ALPINE_HASH) && buffer.contains(url));
}
