//! Putting text on the clipboard: the system clipboard when there is one
//! (arboard), else an OSC 52 escape sequence for the terminal to handle.
//!
//! On X11 (and Wayland via XWayland) the copying process owns the content
//! and it vanishes when that process exits, so a short-lived `gvmi` hands
//! the text to a detached copy of itself ([`SERVE_SUBCOMMAND`]) that keeps
//! serving it until another program takes the clipboard over.
//!
//! Inside tmux the text goes through tmux itself (`tmux`), which works
//! with tmux's default settings and reaches the outer terminal.

pub mod tmux;

use std::io::Write;

use base64::Engine as _;

/// The hidden subcommand the detached server runs (`gvmi __clipboard-serve`).
pub const SERVE_SUBCOMMAND: &str = "__clipboard-serve";

/// Where copied text went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyOutcome {
    /// The system clipboard has it.
    System,
    /// No system clipboard: the caller must write this OSC 52 sequence to the
    /// terminal, which (if it allows OSC 52) puts the text on the clipboard.
    Osc52(String),
}

/// The clipboard for the life of the program: one arboard handle, opened once.
pub struct Clipboard {
    system: Option<arboard::Clipboard>,
    /// Why there is no system clipboard, for the user.
    unavailable: Option<String>,
    in_tmux: bool,
    servers: Vec<std::process::Child>,
}

impl Default for Clipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl Clipboard {
    pub fn new() -> Self {
        let (system, unavailable) = match no_display() {
            Some(why) => (None, Some(why.to_string())),
            None => match arboard::Clipboard::new() {
                Ok(c) => (Some(c), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        Clipboard {
            system,
            unavailable,
            in_tmux: tmux::inside(),
            servers: Vec::new(),
        }
    }

    /// True inside tmux, where copies go through tmux ([`copy_via_tmux`]).
    pub fn in_tmux(&self) -> bool {
        self.in_tmux
    }

    /// Why the system clipboard cannot be used, if it cannot.
    pub fn unavailable_reason(&self) -> Option<&str> {
        self.unavailable.as_deref()
    }

    /// Copies `text` for as long as this process runs (a long-lived caller
    /// such as the TUI). Falls back to OSC 52.
    pub fn copy(&mut self, text: &str) -> CopyOutcome {
        if let Some(system) = &mut self.system {
            if system.set_text(text).is_ok() {
                return CopyOutcome::System;
            }
        }
        CopyOutcome::Osc52(self.fallback_sequence(text))
    }

    /// OSC 52 for the terminal; inside tmux, its passthrough form only
    /// when tmux lets it through (it drops it otherwise).
    fn fallback_sequence(&self, text: &str) -> String {
        if self.in_tmux {
            tmux::fallback_sequence(text, tmux::allows_passthrough(tmux::WAIT))
        } else {
            osc52_sequence(text, false)
        }
    }

    /// Copies `text` so that it stays on the clipboard after this process
    /// exits. On Linux a detached `gvmi __clipboard-serve` owns it; the
    /// copy is confirmed by reading it back. Elsewhere the OS clipboard
    /// keeps content by itself, and a plain [`Clipboard::copy`] is enough.
    pub fn keep_serving_after_exit(&mut self, text: &str) -> CopyOutcome {
        self.reap_servers();
        if self.system.is_none() {
            return CopyOutcome::Osc52(self.fallback_sequence(text));
        }
        #[cfg(target_os = "linux")]
        {
            if self.spawn_server(text).is_ok() && self.wait_until_served(text) {
                return CopyOutcome::System;
            }
        }
        self.copy(text)
    }

    #[cfg(target_os = "linux")]
    fn spawn_server(&mut self, text: &str) -> std::io::Result<()> {
        use std::os::unix::process::CommandExt;
        use std::process::{Command, Stdio};
        let mut command = Command::new(std::env::current_exe()?);
        command
            .arg(SERVE_SUBCOMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .current_dir("/");
        // A new session: no controlling terminal, so closing the terminal
        // (SIGHUP) or Ctrl-C in it does not take the clipboard away.
        // SAFETY: setsid is async-signal-safe and touches no memory.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = command.spawn()?;
        let mut stdin = child.stdin.take().expect("stdin was piped");
        let written = stdin.write_all(text.as_bytes());
        drop(stdin);
        self.servers.push(child);
        written
    }

    /// The server is ready once the clipboard hands back our text.
    #[cfg(target_os = "linux")]
    fn wait_until_served(&mut self, text: &str) -> bool {
        use std::time::{Duration, Instant};
        let deadline = Instant::now() + Duration::from_secs(3);
        let system = self.system.as_mut().expect("checked by caller");
        while Instant::now() < deadline {
            if system.get_text().is_ok_and(|t| t == text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        false
    }

    /// Collects servers that have exited (another program took the
    /// clipboard), so a long-lived caller leaves no zombies behind.
    fn reap_servers(&mut self) {
        self.servers
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
    }
}

/// Why there can be no system clipboard before even trying: arboard speaks
/// X11 (Wayland through XWayland), which needs `DISPLAY`. Without this,
/// the user would read arboard's "connection timed out".
fn no_display() -> Option<&'static str> {
    if cfg!(any(
        target_os = "macos",
        target_os = "windows",
        target_os = "ios"
    )) {
        return None;
    }
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    match (set("DISPLAY"), set("WAYLAND_DISPLAY")) {
        (true, _) => None,
        (false, true) => Some("WAYLAND_DISPLAY set but no DISPLAY (gvmi needs XWayland)"),
        (false, false) => Some("no DISPLAY or WAYLAND_DISPLAY set"),
    }
}

/// Where a copy went, in the words the user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    System,
    /// tmux's paste buffer; tmux forwards it to the outer terminal.
    TmuxBuffer,
    /// An OSC 52 sequence for the caller to write to the terminal; `why`
    /// says why the better ways failed.
    Osc52 {
        sequence: String,
        why: Option<String>,
    },
}

impl Delivery {
    /// "copied to …" / "sent to …": exactly what happened, nothing more.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::System => "copied to the system clipboard",
            Self::TmuxBuffer => "copied to tmux's buffer (tmux forwards it to your terminal)",
            Self::Osc52 { .. } => {
                "sent to your terminal as OSC 52 — it cannot confirm; if paste is empty, see README"
            }
        }
    }
}

/// Copies inside tmux: its buffer, else OSC 52 (passthrough only where
/// allowed). Runs `tmux` with a bounded wait: call it off the UI thread.
pub fn copy_via_tmux(text: &str) -> Delivery {
    match tmux::load_buffer(text, tmux::WAIT) {
        Ok(()) => Delivery::TmuxBuffer,
        Err(why) => Delivery::Osc52 {
            sequence: tmux::fallback_sequence(text, tmux::allows_passthrough(tmux::WAIT)),
            why: Some(why),
        },
    }
}

/// Serves `text` on the clipboard until another program takes it over:
/// the body of `gvmi __clipboard-serve`.
pub fn serve_until_replaced(text: &str) -> Result<(), arboard::Error> {
    let mut clipboard = arboard::Clipboard::new()?;
    #[cfg(target_os = "linux")]
    {
        use arboard::SetExtLinux;
        exit_when_display_gone(std::env::var("DISPLAY").ok());
        clipboard.set().wait().text(text.to_owned())
    }
    #[cfg(not(target_os = "linux"))]
    {
        clipboard.set_text(text.to_owned())
    }
}

/// arboard's wait only ends when another program takes the selection; if the
/// X server itself goes away (session ended, Xvfb killed) it would wait for
/// ever. So a watchdog checks every few seconds that the display still
/// accepts connections, and ends the server when it does not.
#[cfg(target_os = "linux")]
fn exit_when_display_gone(display: Option<String>) {
    let Some(address) = display.as_deref().and_then(x_address) else {
        return; // no way to probe it: rely on arboard alone
    };
    if !address.reachable() {
        return; // reached some other way (e.g. an abstract socket): cannot judge
    }
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(3));
        if !address.reachable() {
            std::process::exit(0);
        }
    });
}

/// Where an X display listens, from `DISPLAY` (`[host]:n[.screen]`).
#[cfg(target_os = "linux")]
#[derive(Debug, PartialEq, Eq)]
pub enum XAddress {
    Local(std::path::PathBuf),
    Tcp(String, u16),
}

#[cfg(target_os = "linux")]
pub fn x_address(display: &str) -> Option<XAddress> {
    let (host, rest) = display.rsplit_once(':')?;
    let number: u16 = rest.split('.').next()?.parse().ok()?;
    match host {
        "" | "unix" => Some(XAddress::Local(format!("/tmp/.X11-unix/X{number}").into())),
        host if !host.contains('/') => Some(XAddress::Tcp(
            host.to_string(),
            6000u16.checked_add(number)?,
        )),
        _ => None, // launchd-style socket paths: not probed
    }
}

#[cfg(target_os = "linux")]
impl XAddress {
    fn reachable(&self) -> bool {
        use std::net::ToSocketAddrs;
        match self {
            XAddress::Local(path) => std::os::unix::net::UnixStream::connect(path).is_ok(),
            XAddress::Tcp(host, port) => (host.as_str(), *port)
                .to_socket_addrs()
                .ok()
                .and_then(|mut addrs| addrs.next())
                .is_some_and(|addr| {
                    std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2))
                        .is_ok()
                }),
        }
    }
}

/// The OSC 52 "set clipboard" sequence for `text`. With `in_tmux` it is
/// wrapped in tmux's passthrough (`ESC P tmux; ... ESC \`, inner ESCs
/// doubled), which tmux forwards only with `allow-passthrough on`.
pub fn osc52_sequence(text: &str, in_tmux: bool) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text);
    let seq = format!("\x1b]52;c;{payload}\x07");
    if in_tmux {
        format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(seq: &str) -> String {
        let body = seq
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("OSC 52 framing");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn osc52_decodes_back_to_the_text() {
        let text = "package = await vm.repo(\n  image_hash=\"ä\")\n";
        assert_eq!(decode(&osc52_sequence(text, false)), text);
    }

    #[test]
    fn tmux_passthrough_doubles_escapes() {
        let seq = osc52_sequence("hi", true);
        let inner = seq
            .strip_prefix("\x1bPtmux;")
            .and_then(|s| s.strip_suffix("\x1b\\"))
            .expect("tmux framing");
        assert_eq!(decode(&inner.replace("\x1b\x1b", "\x1b")), "hi");
        assert!(!inner.replace("\x1b\x1b", "").contains('\x1b'));
    }
}
