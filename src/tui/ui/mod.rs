//! Drawing: a pure function of the state. Nothing here mutates `App` or does I/O.

pub mod details;
pub mod findings;
mod footer;
pub mod help;
mod provenance;
pub mod table;
pub mod text;
pub mod theme;

pub use text::fit;

use std::time::SystemTime;

use ratatui::Frame;

use crate::tui::app::{App, Mode};
use crate::tui::layout;
use theme::Theme;

/// The colours for `app` (none under `NO_COLOR`).
fn theme_of(app: &App) -> Theme {
    Theme::new(app.color())
}

/// Draws the whole screen for `app`.
pub fn render(app: &App, frame: &mut Frame) {
    let areas = layout::areas(&app.shape(), frame.area());
    footer::render_header(app, frame, areas.header);
    table::render(app, frame, areas.table);
    if let Some(area) = areas.details {
        details::render(app, frame, area);
    }
    footer::render_progress(app, frame, areas.progress);
    footer::render_status(app, frame, areas.status);
    if *app.mode() == Mode::Help {
        help::render(app, frame, frame.area());
    }
}

/// `2026-11-26 16:20`, in UTC: no time-zone database needed, and unambiguous.
pub fn mtime_text(t: SystemTime) -> String {
    let full = humantime::format_rfc3339_seconds(t).to_string();
    full.get(..16).unwrap_or(&full).replacen('T', " ", 1)
}
