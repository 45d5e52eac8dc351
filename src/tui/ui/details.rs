//! The details pane: the snippet first (it is what `c` copies), then
//! everything about the selected image. It scrolls; code is never
//! wrapped (cut with `→`, scrolled sideways), so what the mouse selects is
//! what `c` copies; field values wrap under their own column.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::{mtime_text, text, theme_of};
use crate::tui::app::{App, Focus};
use crate::tui::layout;
use crate::tui::rows::{Row, RowState};

/// Width of the field names (`Modified `): values start here.
const LABEL: usize = 9;

/// One line of the pane before it is fitted to the width.
enum Content {
    /// A line of the snippet: cut, never wrapped; scrolls sideways.
    Code(String),
    /// Anything else: wrapped under its value's column.
    Text(Line<'static>),
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let screen = layout::screen(&app.shape());
    let block = Block::new().borders(layout::details_borders(screen));
    let inner = block.inner(area);
    let lines = fitted(app, inner.width as usize);
    let height = inner.height as usize;
    let top = (app.view().details_offset().0 as usize).min(lines.len().saturating_sub(height));
    let mut title = String::from(" Details ");
    if lines.len() > height {
        let last = (top + height).min(lines.len());
        title = format!(" Details {}–{last} of {} ", top + 1, lines.len());
    }
    let title_style = match app.view().focus() {
        Focus::Details => theme_of(app).selected(),
        Focus::Table => theme_of(app).title(),
    };
    let block = block.title(title).title_style(title_style);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// How far the pane can scroll down for the selected row.
pub fn max_scroll(app: &App) -> usize {
    let Some(area) = layout::details_area(&app.shape()) else {
        return 0;
    };
    let block = Block::new().borders(layout::details_borders(layout::screen(&app.shape())));
    let inner = block.inner(area);
    fitted(app, inner.width as usize)
        .len()
        .saturating_sub(inner.height as usize)
}

/// The pane's lines at `width`: code cut, text wrapped, all made visible.
fn fitted(app: &App, width: usize) -> Vec<Line<'static>> {
    let content = match app.selected_row() {
        Some(row) => contents(app, row),
        None => vec![Content::Text(Line::styled(
            "No image selected.",
            theme_of(app).dim(),
        ))],
    };
    let skip = app.view().details_offset().1 as usize;
    let mut out = Vec::new();
    for item in content {
        match item {
            Content::Code(code) => out.push(Line::raw(text::code(&code, skip, width))),
            Content::Text(line) => out.extend(wrap_line(line, width)),
        }
    }
    out
}

/// A labelled line broken under its value's column: the first span is the
/// label when there are several; a single span keeps its leading spaces
/// as the indent. Every value passes through `text::wrap` (made visible).
fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let mut spans = line.spans;
    let (label, indent) = match spans.len() {
        0 => return vec![Line::raw("")],
        1 => {
            let lead = spans[0].content.len() - spans[0].content.trim_start().len();
            let label = Span::raw(" ".repeat(lead));
            let rest = spans[0].content.trim_start().to_string();
            spans[0].content = rest.into();
            (label, lead)
        }
        _ => {
            let label = spans.remove(0);
            let width = label.content.chars().count();
            (label, width)
        }
    };
    let value: String = spans.iter().map(|s| s.content.as_ref()).collect();
    let pieces = text::wrap(&value, width.saturating_sub(indent).max(8));
    if pieces.len() == 1 {
        // Fits: each span keeps its own style, made visible on its own.
        let body = spans
            .into_iter()
            .map(|s| Span::styled(text::shown(&s.content), s.style));
        return vec![Line::from(
            std::iter::once(label).chain(body).collect::<Vec<_>>(),
        )];
    }
    let style = spans.last().map_or(Style::new(), |s| s.style);
    let pad = " ".repeat(indent);
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            let head = if i == 0 {
                label.clone()
            } else {
                Span::raw(pad.clone())
            };
            Line::from(vec![head, Span::styled(piece, style)])
        })
        .collect()
}

fn field(app: &App, name: &str, value: impl Into<String>) -> Content {
    Content::Text(Line::from(vec![
        Span::styled(format!("{name:<LABEL$}"), theme_of(app).dim()),
        Span::raw(value.into()),
    ]))
}

fn contents(app: &App, row: &Row) -> Vec<Content> {
    let theme = &theme_of(app);
    let mut out = snippet(app, row);
    out.push(Content::Text(Line::raw("")));
    out.push(field(app, "Path", text::shown_path(row.path())));
    let size = row
        .size
        .map(|s| format!("{} ({s} bytes)", gvmi_core::units::human_bytes(s)))
        .unwrap_or_default();
    out.push(field(app, "Size", size));
    let modified = row.mtime.map(mtime_text).map(|t| t + " UTC");
    out.push(field(app, "Modified", modified.unwrap_or_default()));
    let hash = match &row.state {
        RowState::Done(d) => Span::raw(d.to_hex()),
        RowState::Failed(why) => Span::styled(why.to_string(), theme.error()),
        RowState::Changed => Span::styled("changed while hashed; press r to rehash", theme.warn()),
        RowState::Queued => Span::styled("queued", theme.dim()),
        RowState::Hashing { .. } => Span::styled("hashing…", theme.busy()),
        RowState::Writing => {
            Span::styled("being written; hashed once it holds still", theme.busy())
        }
    };
    out.push(Content::Text(Line::from(vec![
        Span::styled("SHA3-224 ", theme.dim()),
        hash,
    ])));
    let more = super::provenance::lines(app, row);
    out.extend(more.into_iter().map(Content::Text));
    let url = app
        .serving()
        .url_for(row)
        .unwrap_or_else(|| "not set: press e (this image) or b (its folder)".into());
    out.push(field(app, "URL", url));
    for note in app.serving().url_notes(row) {
        out.push(Content::Text(Line::styled(
            format!("{:LABEL$}⚠ {note}", ""),
            theme.warn(),
        )));
    }
    out.extend(remote_fields(app, row));
    if let Some(index) = app.view().selected() {
        out.extend(
            super::findings::publish_lines(app, index)
                .into_iter()
                .map(Content::Text),
        );
        let checks = super::findings::detail_lines(app, index);
        out.extend(checks.into_iter().map(Content::Text));
    }
    out
}

/// A remote row's object (what was recorded, what its bytes hash to), or
/// a local image's published object.
fn remote_fields(app: &App, row: &Row) -> Vec<Content> {
    use crate::tui::remotes::Pairing;
    let remotes = app.remotes();
    if let Some(info) = remotes.get(row.id()) {
        let recorded = match info.object.recorded.hash() {
            Some(d) => d.to_hex(),
            None => "none (no x-amz-meta-sha3-224)".into(),
        };
        let bytes = match info.hashed {
            Some(d) => d.to_hex(),
            None => "not read yet: r downloads and hashes them".into(),
        };
        return vec![
            field(app, "Object", text::shown(&info.name)),
            field(app, "Recorded", recorded),
            field(app, "Bytes", bytes),
        ];
    }
    let paired = |id| {
        remotes
            .get(id)
            .map(|i| text::shown(&i.name))
            .unwrap_or_default()
    };
    let words = match remotes.pairing(row, app.rows()) {
        None => return Vec::new(),
        Some(p @ (Pairing::Current(id) | Pairing::Stale(id))) => {
            format!("{} ({})", p.words(), paired(id))
        }
        Some(p) => p.words().to_string(),
    };
    vec![field(app, "Published", words)]
}

/// The snippet's heading, what is wrong with it, and its lines.
fn snippet(app: &App, row: &Row) -> Vec<Content> {
    let theme = &theme_of(app);
    let heading = format!("Snippet ({}) · c copies it", app.serving().target().name());
    let mut out = vec![Content::Text(Line::styled(heading, theme.title()))];
    match app.snippet_for(row) {
        Ok(snippet) => {
            if let Some(warning) = app.snippet_warning() {
                out.push(Content::Text(Line::styled(
                    format!("⚠ {warning}"),
                    theme.warn(),
                )));
            }
            out.extend(snippet.lines().map(|l| Content::Code(l.to_string())));
        }
        Err(why) => out.push(Content::Text(Line::styled(
            super::text::shown(&why),
            theme.dim(),
        ))),
    }
    out
}
