//! Copying inside tmux: through tmux itself, as helix and neovim do.
//!
//! `tmux load-buffer -w -` puts the text in tmux's paste buffer and, with
//! tmux's default settings (`set-clipboard external`), forwards it to the
//! outer terminal's clipboard as OSC 52. An OSC 52 written by a program
//! inside tmux is dropped unless `set-clipboard on`, and tmux's passthrough
//! form is dropped unless `allow-passthrough on`, so those are fallbacks.
//!
//! Every call runs a `tmux` subprocess with a bounded wait: call these off
//! the UI thread.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a `tmux` command may take before it is killed and counted as failed.
pub const WAIT: Duration = Duration::from_secs(2);

/// True when this process runs inside tmux.
pub fn inside() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Puts `text` in tmux's buffer and asks tmux to forward it to the terminal.
pub fn load_buffer(text: &str, wait: Duration) -> Result<(), String> {
    run(&["load-buffer", "-w", "-"], text.as_bytes(), wait).map(drop)
}

/// Whether tmux lets a program's own escape sequences through to the
/// terminal (`allow-passthrough on` or `all`).
pub fn allows_passthrough(wait: Duration) -> bool {
    run(&["show", "-gv", "allow-passthrough"], b"", wait)
        .is_ok_and(|out| passthrough_value_allows(&out))
}

fn passthrough_value_allows(value: &str) -> bool {
    matches!(value.trim(), "on" | "all")
}

/// The OSC 52 to send when tmux itself could not take the text: the plain
/// sequence (tmux acts on it with `set-clipboard on`), then tmux's
/// passthrough form only if tmux says it lets that through.
pub fn fallback_sequence(text: &str, passthrough: bool) -> String {
    let plain = super::osc52::sequence(text);
    if passthrough {
        let wrapped = super::osc52::tmux_passthrough(&plain);
        plain + &wrapped
    } else {
        plain
    }
}

/// Runs `tmux ARGS` with `input` on stdin; its stdout, or why it failed.
/// Killed after `wait`: a hung tmux server never holds up a copy.
fn run(args: &[&str], input: &[u8], wait: Duration) -> Result<String, String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tmux: {}", gvmi_core::io_error::message(&e)))?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let input = input.to_vec();
    // On its own thread: a tmux that does not read must not block the wait below.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let deadline = Instant::now() + wait;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("tmux did not answer within {} s", wait.as_secs()));
            }
            Err(e) => {
                let words = gvmi_core::io_error::message(&e);
                return Err(format!("waiting for tmux: {words}"));
            }
        }
    };
    let _ = writer.join();
    let mut stdout = String::new();
    let mut stderr = String::new();
    // Both pipes hold at most what tmux wrote before exiting: bounded.
    if let Some(mut out) = child.stdout.take() {
        let _ = out.by_ref().take(64 * 1024).read_to_string(&mut stdout);
    }
    if let Some(mut err) = child.stderr.take() {
        let _ = err.by_ref().take(64 * 1024).read_to_string(&mut stderr);
    }
    if status.success() {
        Ok(stdout)
    } else {
        let why = stderr.trim();
        Err(if why.is_empty() {
            format!("tmux {} failed ({status})", args[0])
        } else {
            format!("tmux {}: {}", args[0], gvmi_core::visible::visible(why))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passthrough_is_allowed_only_when_tmux_says_on_or_all() {
        assert!(passthrough_value_allows("on\n"));
        assert!(passthrough_value_allows("all\n"));
        assert!(!passthrough_value_allows("off\n"));
        assert!(!passthrough_value_allows(""));
    }

    #[test]
    fn fallback_is_plain_osc52_and_passthrough_only_when_allowed() {
        let plain = super::super::osc52::sequence("hi");
        assert_eq!(fallback_sequence("hi", false), plain);
        let both = fallback_sequence("hi", true);
        assert!(both.starts_with(&plain));
        assert!(both[plain.len()..].starts_with("\x1bPtmux;"));
    }
}
