//! The details pane: everything about the selected image, in full.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use super::mtime_text;
use crate::tui::app::App;
use crate::tui::rows::{Row, RowState};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let block = Block::bordered()
        .title(" Details ")
        .title_style(app.theme.title());
    let lines = match app.selected_row() {
        Some(row) => lines(app, row),
        None => vec![Line::styled("No image selected.", app.theme.dim())],
    };
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(text, area);
}

fn field(app: &App, name: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<9}"), app.theme.dim()),
        Span::raw(value),
    ])
}

fn lines(app: &App, row: &Row) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let size = row
        .size
        .map(|s| format!("{} ({s} bytes)", crate::units::human_bytes(s)))
        .unwrap_or_default();
    let mut out = vec![
        field(app, "Path", row.path.to_string_lossy().into_owned()),
        field(app, "Size", size),
        field(
            app,
            "Modified",
            row.mtime
                .map(mtime_text)
                .map(|t| t + " UTC")
                .unwrap_or_default(),
        ),
    ];
    let hash = match &row.state {
        RowState::Done(d) => Span::raw(d.to_hex()),
        RowState::Error(reason) => Span::styled(reason.clone(), theme.error()),
        RowState::Changed => Span::styled("changed while hashed; press r to rehash", theme.warn()),
        RowState::Queued => Span::styled("queued", theme.dim()),
        RowState::Hashing { .. } => Span::styled("hashing…", theme.busy()),
        RowState::Writing => {
            Span::styled("being written; hashed once it holds still", theme.busy())
        }
    };
    out.push(Line::from(vec![
        Span::styled("SHA3-224 ", theme.dim()),
        hash,
    ]));
    out.extend(super::provenance::lines(app, row));
    let url = app
        .url_for(row)
        .unwrap_or_else(|| "not set: press e (this image) or b (its folder)".into());
    out.push(field(app, "URL", url));
    for note in app.url_notes(row) {
        out.push(Line::styled(format!("         ⚠ {note}"), theme.warn()));
    }
    if let Some(index) = app.selected {
        out.extend(super::checks::detail_lines(app, index));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("Snippet ({}):", app.target_name()),
        theme.title(),
    ));
    match app.snippet_for(row) {
        Ok(snippet) => out.extend(snippet.lines().map(|l| Line::raw(l.to_string()))),
        Err(why) => out.push(Line::styled(why, theme.dim())),
    }
    out
}
