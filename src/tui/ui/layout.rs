//! Where each part of the screen goes. Rendering and mouse hit-testing both
//! ask here, so a click always lands on the row that was drawn there.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

use crate::tui::app::App;

/// Width at which the details pane sits beside the table instead of below it.
pub const SIDE_PANE_MIN_WIDTH: u16 = 140;

pub struct Areas {
    pub header: Rect,
    pub table: Rect,
    pub details: Option<Rect>,
    pub progress: Rect,
    pub status: Rect,
}

pub fn areas(app: &App, screen: Rect) -> Areas {
    let [header, main, progress, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(status_height(app, screen.width)),
    ])
    .areas(screen);
    let (table, details) = if !app.show_details {
        (main, None)
    } else if screen.width >= SIDE_PANE_MIN_WIDTH {
        let [t, d] = split(Direction::Horizontal, main, 55);
        (t, Some(d))
    } else {
        let [t, d] = split(Direction::Vertical, main, 40);
        (t, Some(d))
    };
    Areas {
        header,
        table,
        details,
        progress,
        status,
    }
}

/// A status message longer than the screen is wide gets a second line:
/// where a copy went, and its warning, must not be cut off.
fn status_height(app: &App, width: u16) -> u16 {
    let long = app
        .status
        .as_ref()
        .is_some_and(|s| s.chars().count() + 1 > width as usize);
    if long && app.mode == crate::tui::app::Mode::Normal {
        2
    } else {
        1
    }
}

fn split(direction: Direction, area: Rect, first_percent: u16) -> [Rect; 2] {
    Layout::default()
        .direction(direction)
        .constraints([
            Constraint::Percentage(first_percent),
            Constraint::Percentage(100 - first_percent),
        ])
        .areas(area)
}

fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.0, app.size.1)
}

/// Rows of images that fit under the table's header line.
pub fn table_body_height(app: &App) -> usize {
    areas(app, screen(app)).table.height.saturating_sub(1) as usize
}

/// The view position drawn at screen cell (`column`, `row`), if any.
pub fn row_at(app: &App, column: u16, row: u16) -> Option<usize> {
    let table = areas(app, screen(app)).table;
    let body_top = table.y + 1;
    let inside =
        column >= table.x && column < table.right() && row >= body_top && row < table.bottom();
    let position = app.offset + (row.checked_sub(body_top)? as usize);
    (inside && position < app.view.len()).then_some(position)
}
