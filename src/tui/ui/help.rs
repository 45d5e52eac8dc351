//! The `?` overlay: every key, in one place.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::app::App;

/// Every key the workbench knows, as the README lists them too.
pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓ j k PgUp PgDn", "select image; page up / down"),
    ("Home End", "first / last image"),
    ("mouse", "wheel scrolls the table or details; click selects"),
    ("Enter", "details pane on / off"),
    (
        "Tab",
        "focus the details pane: ↑ ↓ PgUp PgDn Home End scroll it",
    ),
    (
        "Shift-↑ Shift-↓",
        "scroll the details pane (← → code sideways, focused)",
    ),
    (
        "c / y / u",
        "copy the snippet (current target) / the hash / the URL",
    ),
    ("t", "next snippet target"),
    ("e", "edit this image's URL (kept for next time)"),
    ("b", "set the base URL for this image's folder (kept too)"),
    ("S", "save that base URL to the config file"),
    ("s", "sort by name / size / modified / state"),
    ("/", "filter by name, path or hash prefix"),
    ("r / R", "rehash selected / all"),
    ("v / V", "verify the URL serves the image: selected / all"),
    (
        "p / P",
        "publish ([[publish]], config.toml): selected / folder",
    ),
    ("w", "write SHA3SUMS for this image's folder"),
    (
        "URL editor",
        "← → Home End Ctrl-A Ctrl-E move; Ctrl-U / W / K delete",
    ),
    (
        "↗ (URL column)",
        "has a URL: own (e), folder's (b), published (p), config",
    ),
    ("?", "this help (any key closes)"),
    ("Esc", "close help, editor, details or filter; never quits"),
    ("q  Ctrl-C", "quit (Ctrl-Z: suspend; fg returns)"),
];

pub fn render(app: &App, frame: &mut Frame, screen: Rect) {
    let theme = &app.theme;
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {key:<18}"), theme.key()),
                Span::raw(*what),
            ])
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(screen.height);
    let width = 78.min(screen.width);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(screen);
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(" Keys ").title_style(theme.title());
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
