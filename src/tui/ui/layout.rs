//! Where each part of the screen goes. Rendering and mouse hit-testing both
//! ask here, so a click always lands on the row that was drawn there.

use ratatui::layout::{Constraint, Layout, Rect};

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
    } else if beside(screen) {
        // Wide enough for a snippet's hash line (about 80 columns), at
        // most 60% of the screen.
        let pane = (main.width * 45 / 100).max(82.min(main.width * 60 / 100));
        let [t, d] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(pane)]).areas(main);
        (t, Some(d))
    } else {
        // Below the table: the table keeps a few rows (the selection is
        // among them), the pane gets the rest, so a snippet fits at 80×24.
        let table = (main.height * 3 / 10).max(4).min(main.height);
        let [t, d] = Layout::vertical([Constraint::Length(table), Constraint::Fill(1)]).areas(main);
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

/// Beside the table (wide terminals), else below it.
pub fn beside(screen: Rect) -> bool {
    screen.width >= SIDE_PANE_MIN_WIDTH
}

/// The details pane's border: a top line (the title), plus a left line
/// beside the table. No right border: a mouse selection of code then
/// holds nothing but the code.
pub fn details_borders(screen: Rect) -> ratatui::widgets::Borders {
    use ratatui::widgets::Borders;
    if beside(screen) {
        Borders::TOP | Borders::LEFT
    } else {
        Borders::TOP
    }
}

/// Where the details pane is drawn, if it shows.
pub fn details_area(app: &App) -> Option<Rect> {
    areas(app, screen(app)).details
}

/// Lines of text the details pane shows at once.
pub fn details_inner_height(app: &App) -> usize {
    details_area(app).map_or(0, |a| a.height.saturating_sub(1) as usize)
}

pub fn screen(app: &App) -> Rect {
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
