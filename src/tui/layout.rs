//! Where each part of the screen goes. Rendering and the state (mouse
//! hit-testing, a page of rows, the status line's height) both ask here, so
//! a click always lands on the row that was drawn there. Geometry only: it
//! knows neither `App` nor how anything is drawn.

use ratatui::layout::{Constraint, Layout, Rect};

use gvmi_core::visible::visible;

/// What the layout depends on (`App::shape`): the layout knows nothing else of the app.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// The terminal, in cells.
    pub size: (u16, u16),
    pub show_details: bool,
    /// Lines the status message takes, wrapped ([`status_lines`]; 0: none).
    pub status_lines: usize,
    /// A prompt (filter, URL editor, help) owns the bottom line.
    pub typing: bool,
}

/// Width at which the details pane sits beside the table instead of below it.
pub const SIDE_PANE_MIN_WIDTH: u16 = 140;

pub struct Areas {
    pub header: Rect,
    pub table: Rect,
    pub details: Option<Rect>,
    pub progress: Rect,
    pub status: Rect,
}

pub fn areas(shape: &Shape, screen: Rect) -> Areas {
    let [header, main, progress, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(status_height(shape)),
    ])
    .areas(screen);
    let (table, details) = if !shape.show_details {
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

/// The most lines a status message takes on a screen `height` rows high:
/// a quarter of it, at least 3 (where a copy went, its reason and its
/// warning at 80 columns), at most 6 (at 80×24: `p`'s hint with a long
/// folder and config path), so the table always keeps most of the screen.
fn max_status_lines(height: u16) -> usize {
    (height as usize / 4).clamp(3, 6)
}

/// A status message longer than the screen is wide gets more lines (up to
/// [`max_status_lines`]): where a copy went, and its warning, must not be
/// cut off.
fn status_height(shape: &Shape) -> u16 {
    if shape.typing {
        1
    } else {
        (shape.status_lines).clamp(1, max_status_lines(shape.size.1)) as u16
    }
}

/// The status message as drawn: word-wrapped, each line indented by one
/// cell so that a continuation starts under the message's own start (all
/// of them: the area [`status_height`] gives shows as many as fit).
pub fn status_lines(message: &str, width: u16) -> Vec<String> {
    wrap(message, (width as usize).saturating_sub(1))
        .into_iter()
        .map(|line| format!(" {line}"))
        .collect()
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
pub fn details_area(shape: &Shape) -> Option<Rect> {
    areas(shape, screen(shape)).details
}

/// Lines of text the details pane shows at once.
pub fn details_inner_height(shape: &Shape) -> usize {
    details_area(shape).map_or(0, |a| a.height.saturating_sub(1) as usize)
}

pub fn screen(shape: &Shape) -> Rect {
    Rect::new(0, 0, shape.size.0, shape.size.1)
}

/// Rows of images that fit under the table's header line.
pub fn table_body_height(shape: &Shape) -> usize {
    areas(shape, screen(shape)).table.height.saturating_sub(1) as usize
}

/// The view position drawn at screen cell (`column`, `row`), if any,
/// when the table shows `rows` rows from view position `offset`.
pub fn row_at(shape: &Shape, offset: usize, rows: usize, column: u16, row: u16) -> Option<usize> {
    let table = areas(shape, screen(shape)).table;
    let body_top = table.y + 1;
    let inside =
        column >= table.x && column < table.right() && row >= body_top && row < table.bottom();
    let position = offset + (row.checked_sub(body_top)? as usize);
    (inside && position < rows).then_some(position)
}

/// `value` made visible and broken into pieces of at most `width`
/// characters, at spaces where it can: the status line and the details
/// pane put every piece after the first under the value's own column.
pub fn wrap(value: &str, width: usize) -> Vec<String> {
    let value = visible(value);
    let width = width.max(1);
    let mut out = Vec::new();
    let mut rest: &str = &value;
    while rest.chars().count() > width {
        let hard = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(i, _)| i);
        // Break after the last space that keeps the piece within width.
        let at = match rest[..hard].rfind(' ') {
            Some(space) if space > 0 => space + 1,
            _ => hard,
        };
        out.push(rest[..at].trim_end().to_string());
        rest = &rest[at..];
    }
    out.push(rest.to_string());
    out
}
