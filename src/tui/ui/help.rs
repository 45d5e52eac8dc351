//! The `?` overlay: every key, in one place, read from the keymap the key
//! handler reads (`tui::keymap`).

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme_of;
use crate::tui::app::App;
use crate::tui::keymap::{Shown, KEYMAP, NOT_KEYS};

/// Width of the key column; longer key lists push their words right.
const KEY_COLUMN: usize = 18;

/// The overlay's lines: each line of the keymap shown on it, then what
/// is not a key (the mouse, the URL column's mark), as (keys, words).
pub fn lines() -> Vec<(String, &'static str)> {
    let keys = KEYMAP.iter().filter(|b| b.shown == Shown::Help);
    let mut out: Vec<(String, &'static str)> =
        keys.map(|b| (b.names().join(" "), b.help)).collect();
    // The mouse after the table's moves, as a reader looks for it.
    let at = out.len().min(2);
    out.insert(at, (NOT_KEYS[0].0.to_string(), NOT_KEYS[0].1));
    out.extend(NOT_KEYS[1..].iter().map(|(k, w)| (k.to_string(), *w)));
    out
}

pub fn render(app: &App, frame: &mut Frame, screen: Rect) {
    let theme = theme_of(app);
    let lines: Vec<Line> = lines()
        .into_iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<KEY_COLUMN$} "), theme.key()),
                Span::raw(what),
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
