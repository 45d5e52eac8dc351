//! The image table. Only the rows on screen are built, so 10,000 images
//! cost no more per frame than 20.

use super::theme_of;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row as TableRow, Table};
use ratatui::Frame;

use super::theme::Theme;
use super::{fit, mtime_text};
use crate::tui::app::App;
use crate::tui::remotes::{state_words, Pairing};
use crate::tui::rows::{Listed, Row, RowFailure, RowState};
use gvmi_core::units::human_bytes;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    State,
    /// The manifest's opinion (`=Σ` `≠Σ` `?Σ`) and duplicates (`≡`).
    Marks,
    /// `↗` when the image has a URL (own, folder's base, published, config).
    Url,
    Name,
    Folder,
    Size,
    Modified,
    /// With remote sources: a local image's published object (current,
    /// stale, none), or `☁ remote` for an object.
    Published,
    Hash,
}

impl Column {
    fn title(self) -> &'static str {
        match self {
            Self::State => "State",
            Self::Marks => "Σ≡",
            Self::Url => "URL",
            Self::Name => "Name",
            Self::Folder => "Folder",
            Self::Size => "Size",
            Self::Modified => "Modified (UTC)",
            Self::Published => "Published",
            Self::Hash => "SHA3-224",
        }
    }

    fn constraint(self) -> Constraint {
        match self {
            Self::State => Constraint::Length(11),
            Self::Marks => Constraint::Length(3),
            Self::Url => Constraint::Length(3),
            Self::Size => Constraint::Length(9),
            Self::Modified => Constraint::Length(16),
            Self::Published => Constraint::Length(13),
            Self::Name => Constraint::Fill(5),
            // Sized to its text (`constraints`).
            Self::Folder => Constraint::Length(FOLDER_MIN),
            Self::Hash => Constraint::Fill(4),
        }
    }
}

/// Hex digits of a whole SHA3-224.
const HASH_DIGITS: u16 = 56;
/// What Name keeps at least before the hash is given all its digits.
const NAME_MIN: u16 = 30;
/// The Folder column: as wide as its widest text, at least its title, at
/// most a sixth of the screen (a longer folder is cut with `…`).
const FOLDER_MIN: u16 = 6;

fn folder_width(widest: usize, screen: u16) -> u16 {
    let most = (screen / 6).max(FOLDER_MIN);
    u16::try_from(widest)
        .unwrap_or(u16::MAX)
        .clamp(FOLDER_MIN, most)
}

/// Each column's share: Folder its text's width; the hash whole when the
/// width leaves Name its minimum beside it (Name then takes the most of
/// what is left), else the hash shares the rest with Name, cut.
fn constraints(cols: &[Column], width: u16, folder: u16) -> Vec<Constraint> {
    let sized = |c: Column| match c {
        Column::Folder => Constraint::Length(folder),
        c => c.constraint(),
    };
    let fixed: u16 = (cols.iter())
        .map(|&c| match sized(c) {
            Constraint::Length(n) => n,
            _ => 0,
        })
        .sum();
    let spacing = cols.len().saturating_sub(1) as u16;
    let whole = width >= fixed + spacing + HASH_DIGITS + NAME_MIN;
    cols.iter()
        .map(|&c| match c {
            Column::Hash if whole => Constraint::Length(HASH_DIGITS),
            c => sized(c),
        })
        .collect()
}

/// Narrow terminals drop the least needed columns first. The marks column
/// is there only when a manifest or a duplicate gives it something to say.
/// With several roots the Folder column stays at any width: it is what
/// tells two same-named images apart.
fn columns(width: u16, marks: bool, several_roots: bool, remote: bool) -> Vec<Column> {
    let mut cols = vec![Column::State];
    if marks {
        cols.push(Column::Marks);
    }
    cols.push(Column::Name);
    if width >= 96 || several_roots {
        cols.push(Column::Folder);
    }
    if width >= 60 {
        cols.push(Column::Size);
    }
    if width >= 110 && !remote {
        cols.push(Column::Modified);
    }
    if remote {
        cols.push(Column::Published);
    }
    // Beside the hash: the two things a snippet needs.
    if width >= 60 {
        cols.push(Column::Url);
    }
    cols.push(Column::Hash);
    cols
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &theme_of(app);
    if app.view().ids().is_empty() {
        return render_empty(app, frame, area);
    }
    let cols = columns(
        area.width,
        app.changes().has_marks(),
        app.places().several(),
        app.remotes().any(),
    );
    let folder = folder_width(app.places().widest(), area.width);
    let constraints = constraints(&cols, area.width, folder);
    let widths: Vec<u16> = Layout::horizontal(constraints.clone())
        .spacing(1)
        .split(area)
        .iter()
        .map(|r| r.width)
        .collect();
    let header = TableRow::new(cols.iter().map(|c| Cell::from(c.title()))).style(theme.header());
    let body = area.height.saturating_sub(1) as usize;
    let rows = app
        .view()
        .ids()
        .iter()
        .skip(app.view().offset())
        .take(body)
        .map(|&index| {
            let row = &app.rows()[index];
            let cells = cols.iter().zip(&widths).map(|(&c, &w)| match c {
                // Inspection and URL checks speak through the state column.
                Column::State => remote_state_cell(app, row, w as usize)
                    .or_else(|| super::findings::state_cell(app, index, w as usize))
                    .unwrap_or_else(|| cell(app, row, c, w)),
                _ => cell(app, row, c, w),
            });
            let style = if app.view().selected() == Some(index) {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            TableRow::new(cells).style(style)
        });
    let table = Table::new(rows, constraints)
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn render_empty(app: &App, frame: &mut Frame, area: Rect) {
    let text = if !app.view().filter().is_empty() {
        format!(
            "No image matches the filter \"{}\" (Esc clears it).",
            super::text::shown(app.view().filter())
        )
    } else if app.discovery_done() {
        "No .gvmi images here. Point gvmi at a folder of images: gvmi DIR".to_string()
    } else {
        "Looking for .gvmi images…".to_string()
    };
    frame.render_widget(
        Paragraph::new(Line::styled(text, theme_of(app).dim())),
        area,
    );
}

fn cell(app: &App, row: &Row, column: Column, width: u16) -> Cell<'static> {
    let theme = &theme_of(app);
    let w = width as usize;
    match column {
        Column::State => state_cell(row, w, theme),
        Column::Marks => marks_cell(app, row),
        Column::Url => match app.serving().url_for(row) {
            Some(_) => Cell::from(Span::styled(" ↗", theme.ok())),
            None => Cell::from(""),
        },
        Column::Name => Cell::from(fit(&row.name(), w)),
        Column::Folder => Cell::from(fit(&app.places().folder_text(row), w)),
        Column::Size => {
            Cell::from(Line::from(row.size.map(human_bytes).unwrap_or_default()).right_aligned())
        }
        Column::Modified => Cell::from(row.mtime.map(mtime_text).unwrap_or_default()),
        Column::Published => published_cell(app, row, theme),
        Column::Hash => hash_cell(&row.state, w, theme),
    }
}

fn state_cell(row: &Row, width: usize, theme: &Theme) -> Cell<'static> {
    let span = match &row.state {
        RowState::Queued => Span::styled("· queued", theme.dim()),
        RowState::Hashing { done } => {
            let fraction = match row.size {
                Some(size) if size > 0 => (*done as f64 / size as f64).min(1.0),
                _ => 0.0,
            };
            Span::styled(progress_bar(fraction, width), theme.busy())
        }
        RowState::Done(d) => match (row.cached, row.previous) {
            (true, _) => Span::styled("✓ cached", theme.ok()),
            (false, Some(old)) if old != *d => Span::styled("Δ new hash", theme.warn()),
            (false, Some(_)) if row.asked => Span::styled("✓ rehashed", theme.ok()),
            (false, Some(_)) => Span::styled("✓ same hash", theme.ok()),
            (false, None) => Span::styled("✓ done", theme.ok()),
        },
        RowState::Writing => Span::styled("✎ writing", theme.busy()),
        RowState::Changed => Span::styled("~ changed", theme.warn()),
        RowState::Failed(_) => Span::styled("✗ error", theme.error()),
    };
    Cell::from(span)
}

/// A remote row's state once listed or hashed: what its hash stands on
/// (`☁ recorded`, `✓ verified`, `✗ ≠ record`…); `None` while queued or
/// read (the bar shows).
fn remote_state_cell(app: &App, row: &Row, width: usize) -> Option<Cell<'static>> {
    let info = app.remotes().get(row.id())?;
    if matches!(row.state, RowState::Queued | RowState::Hashing { .. }) {
        return None;
    }
    let theme = &theme_of(app);
    let (text, good) = match &row.state {
        RowState::Failed(RowFailure::Unreadable(_) | RowFailure::Cancelled) => ("✗ error", false),
        _ => state_words(info),
    };
    let style = if good { theme.ok() } else { theme.warn() };
    Some(Cell::from(Span::styled(fit(text, width), style)))
}

fn published_cell(app: &App, row: &Row, theme: &Theme) -> Cell<'static> {
    let span = match app.remotes().pairing(row, app.rows()) {
        Some(Pairing::Current(_)) => Span::styled("✓ current", theme.ok()),
        Some(Pairing::Stale(_)) => Span::styled("≠ stale", theme.error()),
        Some(Pairing::NotPublished) => Span::styled("not published", theme.dim()),
        Some(Pairing::Remote) => Span::styled("☁ remote", theme.dim()),
        None => Span::raw(""),
    };
    Cell::from(span)
}

fn marks_cell(app: &App, row: &Row) -> Cell<'static> {
    let theme = &theme_of(app);
    let digest = row.state.digest();
    let opinion = match (row.listed, digest) {
        (Listed::NoManifest, _) => Span::raw("  "),
        (Listed::NotListed, _) => Span::styled("?Σ", theme.dim()),
        (Listed::As(listed), Some(d)) if listed == *d => Span::styled("=Σ", theme.ok()),
        (Listed::As(_), Some(_)) => Span::styled("≠Σ", theme.error()),
        (Listed::As(_), None) => Span::styled(" Σ", theme.dim()),
    };
    let dup = match digest {
        Some(d) if app.changes().duplicates(d) > 0 => Span::styled("≡", theme.warn()),
        _ => Span::raw(" "),
    };
    Cell::from(Line::from(vec![opinion, dup]))
}

fn hash_cell(state: &RowState, width: usize, theme: &Theme) -> Cell<'static> {
    match state {
        RowState::Done(d) => Cell::from(fit(&d.to_hex(), width)),
        RowState::Failed(why) => {
            Cell::from(Span::styled(fit(&why.to_string(), width), theme.error()))
        }
        RowState::Changed => Cell::from(Span::styled(
            fit("changed while hashed: press r", width),
            theme.warn(),
        )),
        _ => Cell::from(""),
    }
}

/// `███▌   42%` in `width` cells, eighth-block resolution.
pub fn progress_bar(fraction: f64, width: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let percent = format!("{:>3}%", (fraction * 100.0).floor() as u32);
    let bar_cells = width.saturating_sub(percent.len() + 1);
    let filled = fraction * bar_cells as f64;
    let full = filled.floor() as usize;
    let mut bar: String = "█".repeat(full);
    if full < bar_cells {
        bar.push(EIGHTHS[((filled - full as f64) * 8.0) as usize]);
        bar.push_str(&" ".repeat(bar_cells - full - 1));
    }
    format!("{bar} {percent}")
}
