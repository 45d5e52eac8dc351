//! The display's clipboard, through arboard: X11, Wayland where the
//! compositor offers data control (KDE, wlroots), else XWayland; macOS and
//! Windows.
//!
//! On X11 and Wayland the copying process owns the content and it vanishes
//! when that process exits, so what must outlive gvmi is handed to a
//! detached copy of itself ([`super::SERVE_SUBCOMMAND`]) that serves it until
//! another program takes the clipboard over.
//!
//! Every wait here is bounded (the display probe, arboard's own timeouts,
//! the helper's start), but they are waits: call this off the UI thread.

use gvmi_core::visible::visible;

/// How long the detached helper may take to start serving.
#[cfg(target_os = "linux")]
const SERVE_START: std::time::Duration = std::time::Duration::from_secs(3);

/// Which clipboard the display has, in the user's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    X11,
    Wayland,
    /// macOS's or Windows's.
    System,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::X11 => "X11 clipboard",
            Kind::Wayland => "Wayland clipboard",
            Kind::System => "system clipboard",
        }
    }
}

/// What a copy to the display came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Copied(Kind),
    /// There is a display, but its clipboard did not take the text: why.
    Failed(Kind, String),
    /// No display to reach (e.g. over SSH): why, for the user.
    Absent(&'static str),
}

/// The display's clipboard for the life of the program, opened on first use
/// (and again after a failure: the display may have come back).
#[derive(Default)]
pub struct Display {
    open: Option<(arboard::Clipboard, Kind)>,
    /// What this process's own handle serves (to hand over on exit).
    holding: Option<String>,
    servers: Vec<std::process::Child>,
}

impl Display {
    /// Puts `text` on the display's clipboard: for as long as this process
    /// runs, or (`after_exit`) beyond it.
    pub fn copy(&mut self, text: &str, after_exit: bool) -> Outcome {
        self.reap_servers();
        let kind = match self.handle() {
            Ok(kind) => kind,
            Err(outcome) => return outcome,
        };
        let result = if after_exit {
            self.serve_after_exit(text)
        } else {
            self.set(text)
        };
        match result {
            Ok(()) => Outcome::Copied(kind),
            Err(why) => {
                // Reopened next time; what it held is gone with it.
                self.open = None;
                self.holding = None;
                Outcome::Failed(kind, why)
            }
        }
    }

    /// On exit: what this process serves is handed to the detached helper,
    /// unless another program has taken the clipboard since. The words for
    /// the user, if there was anything to hand over.
    pub fn hand_over(&mut self) -> Option<String> {
        if cfg!(not(target_os = "linux")) {
            return None; // the OS keeps the clipboard by itself
        }
        let text = self.holding.take()?;
        let (clipboard, kind) = self.open.as_mut()?;
        let name = kind.name();
        if !clipboard.get_text().is_ok_and(|t| t == text) {
            return None; // another program's now: leave it be
        }
        // Let go first, so that reading our text back proves the helper has it.
        let _ = clipboard.clear();
        Some(match self.serve_after_exit(&text) {
            Ok(()) => format!(
                "the last copied text stays on the {name} (served by a background gvmi until something else is copied)"
            ),
            Err(why) => format!("the {name} could not be kept after exit: {why}"),
        })
    }

    /// The open handle's kind, opening it if need be.
    fn handle(&mut self) -> Result<Kind, Outcome> {
        if let Some((_, kind)) = &self.open {
            return Ok(*kind);
        }
        let (clipboard, kind) = open()?;
        self.open = Some((clipboard, kind));
        Ok(kind)
    }

    fn set(&mut self, text: &str) -> Result<(), String> {
        let (clipboard, kind) = self.open.as_mut().expect("opened by handle()");
        let kind = *kind;
        clipboard.set_text(text).map_err(|e| words(kind, &e))?;
        self.holding = Some(text.to_owned());
        Ok(())
    }

    /// Elsewhere than Linux the OS keeps the clipboard by itself.
    #[cfg(not(target_os = "linux"))]
    fn serve_after_exit(&mut self, text: &str) -> Result<(), String> {
        self.set(text)?;
        self.holding = None;
        Ok(())
    }

    /// A detached `gvmi __clipboard-serve` takes `text`; done once the
    /// clipboard hands it back.
    #[cfg(target_os = "linux")]
    fn serve_after_exit(&mut self, text: &str) -> Result<(), String> {
        use std::time::{Duration, Instant};
        let child = spawn_server(text).map_err(|e| {
            format!(
                "cannot start the helper that keeps it: {}",
                gvmi_core::io_error::message(&e)
            )
        })?;
        self.servers.push(child);
        let (clipboard, _) = self.open.as_mut().expect("opened by handle()");
        let deadline = Instant::now() + SERVE_START;
        while Instant::now() < deadline {
            if clipboard.get_text().is_ok_and(|t| t == text) {
                self.holding = None;
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Err(format!(
            "the helper that keeps it did not take it within {} s",
            SERVE_START.as_secs()
        ))
    }

    /// Collects helpers that have exited (another program took the
    /// clipboard), so a long-lived caller leaves no zombies behind.
    fn reap_servers(&mut self) {
        self.servers
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
    }
}

/// The display's clipboard, or why there is none.
fn open() -> Result<(arboard::Clipboard, Kind), Outcome> {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return arboard::Clipboard::new()
            .map(|c| (c, Kind::System))
            .map_err(|e| Outcome::Failed(Kind::System, words(Kind::System, &e)));
    }
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    let (x, wayland) = (set("DISPLAY"), set("WAYLAND_DISPLAY"));
    if !x && !wayland {
        return Err(Outcome::Absent("no DISPLAY or WAYLAND_DISPLAY set"));
    }
    // arboard takes Wayland's data control when the compositor offers it,
    // else X11 (XWayland): ask the same question to name the right one.
    let kind = match wayland.then(wayland::data_control) {
        Some(Ok(())) => Kind::Wayland,
        Some(Err(why)) if !x => {
            return Err(Outcome::Failed(
                Kind::Wayland,
                format!("{why}, and no DISPLAY for XWayland"),
            ))
        }
        _ => {
            x_reachable()?;
            Kind::X11
        }
    };
    arboard::Clipboard::new()
        .map(|c| (c, kind))
        .map_err(|e| Outcome::Failed(kind, words(kind, &e)))
}

/// arboard's error in words a user can act on: its own text is meant for
/// developers ("Unknown error while interacting with the clipboard: X11
/// server connection timed out because it was unreachable"). Anything
/// quoted from outside goes through `visible`.
fn words(kind: Kind, e: &arboard::Error) -> String {
    use arboard::Error;
    let name = kind.name();
    // A local X display that does not answer (a TCP one is probed before,
    // within 2 s): the reason, from the socket itself.
    if let Some(why) = (kind == Kind::X11).then(local_x_unreachable).flatten() {
        return why;
    }
    match e {
        Error::ClipboardOccupied => {
            "another program holds the clipboard just now: copy again".into()
        }
        Error::ClipboardNotSupported => format!("this system offers no {name} gvmi can set"),
        Error::ConversionFailure => format!("the text could not be put in the {name}'s format"),
        Error::ContentNotAvailable => format!("the {name} did not take the text"),
        Error::Unknown { description } => {
            format!("the {name} refused the text ({})", visible(description))
        }
        other => format!(
            "the {name} refused the text ({})",
            visible(&other.to_string())
        ),
    }
}

/// What to try when `DISPLAY` names a display that does not answer.
#[cfg(target_os = "linux")]
const STALE_DISPLAY: &str =
    "a DISPLAY left from an old session? unset it, or point it at a running X server";

/// The words for an X display that cannot be reached.
#[cfg(target_os = "linux")]
fn x_unreachable(display: &str, e: &std::io::Error) -> String {
    format!(
        "cannot reach the X display {}: {} ({STALE_DISPLAY})",
        visible(display),
        gvmi_core::io_error::message(e)
    )
}

/// Why the local X display in `DISPLAY` does not answer, if it does not.
#[cfg(target_os = "linux")]
fn local_x_unreachable() -> Option<String> {
    use super::x_address::{x_address, XAddress};
    let display = std::env::var("DISPLAY").unwrap_or_default();
    let address @ XAddress::Local(_) = x_address(&display)? else {
        return None;
    };
    address.connect().err().map(|e| x_unreachable(&display, &e))
}

#[cfg(not(target_os = "linux"))]
fn local_x_unreachable() -> Option<String> {
    None
}

/// An X display over TCP (SSH's X forwarding, a remote host) that does not
/// answer fails here within 2 s, with the reason, rather than in arboard
/// after the system's TCP timeout. A local one is left to arboard, which
/// also knows the abstract socket and fails at once.
fn x_reachable() -> Result<(), Outcome> {
    #[cfg(target_os = "linux")]
    {
        use super::x_address::{x_address, XAddress};
        let display = std::env::var("DISPLAY").unwrap_or_default();
        if let Some(address @ XAddress::Tcp(..)) = x_address(&display) {
            if let Err(e) = address.connect() {
                return Err(Outcome::Failed(Kind::X11, x_unreachable(&display, &e)));
            }
        }
    }
    Ok(())
}

#[cfg(all(unix, not(target_os = "macos")))]
mod wayland {
    /// Whether the compositor lets a client set the clipboard (data
    /// control); if not, why, in words (the library's are for developers).
    pub fn data_control() -> Result<(), String> {
        use wl_clipboard_rs::utils::PrimarySelectionCheckError as E;
        let words = match wl_clipboard_rs::utils::is_primary_selection_supported() {
            Ok(_) => return Ok(()),
            Err(E::SocketOpenError(_) | E::WaylandConnection(_)) => {
                let display = std::env::var("WAYLAND_DISPLAY").unwrap_or_default();
                let display = gvmi_core::visible::visible(&display).into_owned();
                format!("cannot reach the compositor at WAYLAND_DISPLAY={display}")
            }
            Err(E::NoSeats) => "the compositor has no seat to copy for".into(),
            Err(E::WaylandCommunication(_)) => "the compositor stopped answering".into(),
            Err(E::MissingProtocol) => "the compositor lets no program set the clipboard \
                (no ext-data-control or wlr-data-control)"
                .into(),
        };
        Err(format!("Wayland: {words}"))
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
mod wayland {
    pub fn data_control() -> Result<(), String> {
        Err("Wayland: not supported on this system".into())
    }
}

#[cfg(target_os = "linux")]
fn spawn_server(text: &str) -> std::io::Result<std::process::Child> {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg(super::SERVE_SUBCOMMAND)
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
    // The helper reads all of stdin before anything else: no deadlock.
    let written = stdin.write_all(text.as_bytes());
    drop(stdin);
    match written {
        Ok(()) => Ok(child),
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

/// Serves `text` on the clipboard until another program takes it over:
/// the body of `gvmi __clipboard-serve`.
pub fn serve_until_replaced(text: &str) -> Result<(), arboard::Error> {
    let mut clipboard = arboard::Clipboard::new()?;
    #[cfg(target_os = "linux")]
    {
        use arboard::SetExtLinux;
        super::x_address::exit_when_display_gone(std::env::var("DISPLAY").ok());
        clipboard.set().wait().text(text.to_owned())
    }
    #[cfg(not(target_os = "linux"))]
    {
        clipboard.set_text(text.to_owned())
    }
}
