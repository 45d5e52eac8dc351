//! The `?` overlay: every key, in one place.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::app::App;

/// Every key the workbench knows, as the README lists them too.
pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓  j k", "select image"),
    ("PgUp PgDn", "page up / down"),
    ("Home End", "first / last image"),
    ("mouse", "wheel scrolls, click selects"),
    ("Enter", "details pane on / off"),
    ("c", "copy the snippet for the current target"),
    ("y", "copy the hash"),
    ("u", "copy the URL"),
    ("t", "next snippet target"),
    ("e", "edit this image's URL"),
    ("b", "set the base URL for this image's folder"),
    ("S", "save that base URL to the config file"),
    ("s", "sort by name / size / modified / state"),
    ("/", "filter by name, path or hash prefix (Esc clears)"),
    ("r / R", "rehash selected / all"),
    ("v / V", "verify the URL serves the image: selected / all"),
    ("w", "write SHA3SUMS for this image's folder"),
    ("?", "this help (any key closes)"),
    ("q  Esc  Ctrl-C", "quit"),
];

pub fn render(app: &App, frame: &mut Frame, screen: Rect) {
    let theme = &app.theme;
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {key:<16}"), theme.key()),
                Span::raw(*what),
            ])
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(screen.height);
    let width = 66.min(screen.width);
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
