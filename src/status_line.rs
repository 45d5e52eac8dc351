//! The one-line status the CLI keeps on stderr (hash progress, verify's
//! stages): drawn only on a terminal, redrawn in place, erased before
//! anything else is printed.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How often a throttled line is redrawn at most.
const EVERY: Duration = Duration::from_millis(100);

pub struct StatusLine {
    enabled: bool,
    last: Option<Instant>,
}

impl StatusLine {
    /// A line shown if `wanted` and stderr is a terminal.
    pub fn on_terminal(wanted: bool) -> Self {
        StatusLine {
            enabled: wanted && std::io::stderr().is_terminal(),
            last: None,
        }
    }

    /// Draws `text` now.
    pub fn show(&mut self, text: &str) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            // Our own control sequence, then the text made inert: a stage
            // names a URL.
            let _ = write!(err, "\r\x1b[2K{}", gvmi_core::visible::visible(text));
            let _ = err.flush();
            self.last = Some(Instant::now());
        }
    }

    /// Draws the text `text` makes, unless the line was drawn in the last
    /// 100 ms (a busy pool would otherwise redraw for every chunk).
    pub fn show_throttled(&mut self, text: impl FnOnce() -> String) {
        if self.enabled && self.last.is_none_or(|t| t.elapsed() >= EVERY) {
            self.show(&text());
        }
    }

    /// Erases the line so messages and results start on a clean row.
    pub fn clear(&mut self) {
        if self.enabled && self.last.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
