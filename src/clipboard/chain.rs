//! The one copy chain, for the workbench's `c`, `y`, `u` and `--copy` alike,
//! as neovim and helix do it: the display's clipboard whenever one is
//! reachable (inside tmux too), tmux's buffer whenever inside tmux, and
//! OSC 52 to the terminal only when neither took the text (over SSH).
//! [`Report`] says where the text landed and why any step failed.

use super::display::{self, Display};
use super::osc52::{self, Wrap};
use super::tmux;

/// How long the copy must last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// While this process runs (the workbench, which hands it over on quit
    /// with [`Copier::hand_over`]).
    WhileRunning,
    /// Beyond this process (`--copy`).
    AfterExit,
}

/// A place the text landed, confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Display(display::Kind),
    TmuxBuffer,
}

impl Place {
    pub fn name(self) -> &'static str {
        match self {
            Place::Display(kind) => kind.name(),
            Place::TmuxBuffer => "tmux buffer",
        }
    }
}

/// What the OSC 52 step says: the terminal never answers.
pub const OSC52_SENT: &str =
    "sent to your terminal as OSC 52 — it cannot confirm; if paste is empty, see README";

/// What one copy came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Where the text is now, in the chain's order.
    pub landed: Vec<Place>,
    /// Each step that failed, in words ("tmux buffer failed: …"); text
    /// from outside (tmux, the display) made [`visible`](gvmi_core::visible).
    pub failed: Vec<String>,
    /// The OSC 52 sequence for the caller to write to the terminal (its
    /// only writer), when neither the display nor tmux took the text.
    pub osc52: Option<String>,
    /// Why there is no display to copy to, when there is none.
    pub no_display: Option<&'static str>,
    /// True once the caller wrote `osc52` to the terminal.
    pub sent: bool,
}

impl Report {
    /// A copy that never ran (the copying thread is gone, or panicked).
    pub fn broken(why: &str) -> Report {
        Report {
            failed: vec![format!("copy failed: {why}")],
            ..Report::default()
        }
    }

    /// The caller tells how writing [`Report::osc52`] to the terminal went.
    pub fn osc52_written(&mut self, result: Result<(), String>) {
        if self.osc52.take().is_some() {
            match result {
                Ok(()) => self.sent = true,
                Err(why) => self.failed.push(format!("OSC 52 not sent: {why}")),
            }
        }
    }

    /// True when the text went anywhere (OSC 52 counts, unconfirmed).
    pub fn went_somewhere(&self) -> bool {
        !self.landed.is_empty() || self.sent
    }

    /// Every place it landed and why any step failed, in one line:
    /// "copied: X11 clipboard + tmux buffer".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.landed.is_empty() {
            let places: Vec<_> = self.landed.iter().map(|p| p.name()).collect();
            parts.push(format!("copied: {}", places.join(" + ")));
        }
        match (self.sent, self.no_display) {
            (true, Some(why)) => parts.push(format!("{OSC52_SENT} ({why})")),
            (true, None) => parts.push(OSC52_SENT.to_owned()),
            (false, Some(why)) if self.landed.is_empty() => {
                parts.push(format!("no display ({why})"))
            }
            (false, _) => {}
        }
        parts.extend(self.failed.iter().cloned());
        parts.join("; ")
    }

    /// The status line's words for a copy of `what` ("yapapi snippet").
    pub fn status(&self, what: &str) -> String {
        if self.went_somewhere() {
            format!("{what} {}", self.describe())
        } else {
            format!("Could not copy the {what}: {}", self.describe())
        }
    }
}

/// The chain, for the life of the program: the display's clipboard is
/// opened on first use and kept. Every step waits a bounded time, but it
/// waits: a terminal program calls this off its UI thread
/// ([`super::CopyThread`]).
pub struct Copier {
    display: Display,
    tmux: bool,
    wrap: Wrap,
}

impl Default for Copier {
    fn default() -> Self {
        Self::new()
    }
}

impl Copier {
    /// The chain for this process's environment (`$TMUX`, `$STY`; the
    /// display's variables are read on first use).
    pub fn new() -> Self {
        let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
        Copier {
            display: Display::default(),
            tmux: tmux::inside(),
            wrap: if set("STY") {
                Wrap::Screen
            } else {
                Wrap::Plain
            },
        }
    }

    /// Runs the chain for `text`. The display and tmux are asked at once,
    /// so the slower bounds the wait, not their sum.
    pub fn copy(&mut self, text: &str, keep: Keep) -> Report {
        let mut report = Report::default();
        let (display, tmux) = std::thread::scope(|scope| {
            let tmux = self
                .tmux
                .then(|| scope.spawn(|| tmux::load_buffer(text, tmux::WAIT)));
            let display = self.display.copy(text, keep == Keep::AfterExit);
            let tmux = tmux.map(|t| {
                t.join()
                    .unwrap_or_else(|_| Err("tmux step panicked".to_owned()))
            });
            (display, tmux)
        });
        match display {
            display::Outcome::Copied(kind) => report.landed.push(Place::Display(kind)),
            display::Outcome::Failed(kind, why) => {
                report.failed.push(format!("{} failed: {why}", kind.name()))
            }
            display::Outcome::Absent(why) => report.no_display = Some(why),
        }
        match tmux {
            Some(Ok(())) => report.landed.push(Place::TmuxBuffer),
            Some(Err(why)) => report.failed.push(format!("tmux buffer failed: {why}")),
            None => {}
        }
        if report.landed.is_empty() {
            report.osc52 = Some(self.osc52(text));
        }
        report
    }

    /// On exit: hands what the display holds from this process to a
    /// detached helper (see [`Keep::WhileRunning`]); the words for the user.
    pub fn hand_over(&mut self) -> Option<String> {
        self.display.hand_over()
    }

    /// OSC 52 for the terminal gvmi runs in. Inside tmux: the plain
    /// sequence (tmux acts on it with `set-clipboard on`), plus tmux's
    /// passthrough form only where tmux lets it through. Inside GNU screen:
    /// screen's passthrough.
    fn osc52(&self, text: &str) -> String {
        if self.tmux {
            tmux::fallback_sequence(text, tmux::allows_passthrough(tmux::WAIT))
        } else {
            osc52::wrapped(text, self.wrap)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_place_it_landed() {
        let report = Report {
            landed: vec![Place::Display(display::Kind::X11), Place::TmuxBuffer],
            ..Report::default()
        };
        assert_eq!(
            report.status("yapapi snippet"),
            "yapapi snippet copied: X11 clipboard + tmux buffer"
        );
    }

    #[test]
    fn a_failed_step_says_why_after_where_it_landed() {
        let report = Report {
            landed: vec![Place::TmuxBuffer],
            failed: vec!["X11 clipboard failed: cannot reach the X display".into()],
            ..Report::default()
        };
        assert_eq!(
            report.status("URL"),
            "URL copied: tmux buffer; X11 clipboard failed: cannot reach the X display"
        );
    }

    #[test]
    fn osc52_counts_only_once_written() {
        let mut report = Report {
            osc52: Some("\x1b]52;c;aGk=\x07".into()),
            no_display: Some("no DISPLAY or WAYLAND_DISPLAY set"),
            ..Report::default()
        };
        let mut unwritten = report.clone();
        report.osc52_written(Ok(()));
        assert_eq!(
            report.status("hash"),
            format!("hash {OSC52_SENT} (no DISPLAY or WAYLAND_DISPLAY set)")
        );
        unwritten.osc52_written(Err("Broken pipe".into()));
        assert!(!unwritten.went_somewhere());
        assert_eq!(
            unwritten.status("hash"),
            "Could not copy the hash: no display (no DISPLAY or WAYLAND_DISPLAY set); \
             OSC 52 not sent: Broken pipe"
        );
    }
}
