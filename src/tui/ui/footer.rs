//! The header line, the progress or summary line, and the status / input line.

use super::theme_of;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::fit;
use super::table::progress_bar;
use crate::tui::app::{App, EditField, Mode};
use crate::tui::keymap::{prompt_hint, Context};
use crate::tui::line_edit::LineEdit;
use crate::tui::rows::RowState;
use gvmi_core::units::count;

pub fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &theme_of(app);
    let mut spans = vec![
        Span::styled(" gvmi ", theme.title()),
        Span::raw(format!(" {}", count(app.rows().len(), "image"))),
        Span::raw(format!(" · sort: {}", app.view().sort().label())),
        Span::raw(format!(" · target: {}", app.serving().target().name())),
    ];
    if !app.view().filter().is_empty() || *app.mode() == Mode::Filter {
        spans.push(Span::raw(format!(
            " · filter: {}",
            super::text::shown(app.view().filter())
        )));
    }
    spans.push(Span::styled("  ? help", theme.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// While work remains: a gauge. Afterwards: what came of it.
pub fn render_progress(app: &App, frame: &mut Frame, area: Rect) {
    if app.busy() {
        let tally = app.tally();
        let ratio = match tally.total_bytes {
            0 => 0.0,
            total => (tally.bytes_done() as f64 / total as f64).clamp(0.0, 1.0),
        };
        let bar_width = (area.width as usize / 4).clamp(10, 30);
        let line = Line::from(vec![
            Span::styled(
                format!(" {}", progress_bar(ratio, bar_width)),
                theme_of(app).busy(),
            ),
            Span::raw(format!("  {}", tally.line_at(app.now()))),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    frame.render_widget(Paragraph::new(summary(app)), area);
}

fn summary(app: &App) -> Line<'static> {
    // Remote objects are counted apart: a recorded hash is not one computed.
    let remote = |r: &&crate::tui::rows::Row| app.remotes().is_remote(r.id());
    let local = || app.rows().iter().filter(|r| !remote(r));
    let count = |f: fn(&RowState) -> bool| local().filter(|r| f(&r.state)).count();
    let done = count(|s| matches!(s, RowState::Done(_)));
    let cached = local()
        .filter(|r| r.cached && matches!(r.state, RowState::Done(_)))
        .count();
    let errors = count(|s| matches!(s, RowState::Failed(_)));
    let changed = count(|s| matches!(s, RowState::Changed));
    let bytes: u64 = local().filter_map(|r| r.size).sum();
    let objects = app.rows().iter().filter(|r| remote(r)).count();
    // Hashes from the cache were not computed now: say so, not "hashed".
    let what = match (done - cached, cached) {
        (_, 0) => format!("{done} hashed"),
        (0, _) => format!("{cached} from cache"),
        (fresh, _) => format!("{fresh} hashed, {cached} from cache"),
    };
    let mut spans = vec![Span::styled(
        format!(" ✓ {what} ({})", gvmi_core::units::human_bytes(bytes)),
        theme_of(app).ok(),
    )];
    if app.remotes().any() {
        spans.push(Span::styled(
            format!("  ☁ {}", gvmi_core::units::count(objects, "remote object")),
            theme_of(app).dim(),
        ));
    }
    if errors > 0 {
        spans.push(Span::styled(
            format!("  ✗ {}", gvmi_core::units::count(errors, "error")),
            theme_of(app).error(),
        ));
    }
    if changed > 0 {
        spans.push(Span::styled(
            format!("  ~ {changed} changed"),
            theme_of(app).warn(),
        ));
    }
    Line::from(spans)
}

/// The text being edited, scrolled so the cursor shows, the cursor cell reversed.
fn edit_spans(editor: &LineEdit, room: usize, app: &App) -> Vec<Span<'static>> {
    // Each character made visible on its own, so the cursor stays on it.
    let cells: Vec<String> = editor
        .text()
        .chars()
        .map(|c| super::text::shown(c.encode_utf8(&mut [0; 4])))
        .collect();
    let cursor = editor.cursor_chars();
    let first = (cursor + 1).saturating_sub(room.max(1));
    let before: String = cells[first..cursor].concat();
    let at = cells.get(cursor).cloned().unwrap_or_else(|| " ".into());
    let after: String = cells
        .iter()
        .skip(cursor + 1)
        .take(room.saturating_sub(cursor - first + 1))
        .map(String::as_str)
        .collect();
    vec![
        Span::raw(before),
        Span::styled(at, theme_of(app).selected()),
        Span::raw(after),
    ]
}

/// A status message over the status area, wrapped under its own start
/// (as the layout counted its lines).
fn render_message(msg: &str, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = crate::tui::layout::status_lines(msg, area.width)
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &theme_of(app);
    let width = area.width as usize;
    let line = match app.mode() {
        Mode::Filter => Line::from(vec![
            Span::styled(" / ", theme.key()),
            Span::raw(format!("{}▏", super::text::shown(app.view().filter()))),
            Span::styled(format!("  {}", prompt_hint(Context::Filter)), theme.dim()),
        ]),
        Mode::Edit { field, editor } => {
            let label = match field {
                EditField::Url => " URL: ",
                EditField::BaseUrl => " Base URL for this folder: ",
            };
            let hint = match app.notes().status() {
                Some(msg) => Span::styled(format!("  {msg}"), theme.warn()),
                None => Span::styled(format!("  {}", prompt_hint(Context::Editor)), theme.dim()),
            };
            let room = width.saturating_sub(label.chars().count() + 1);
            let mut spans = vec![Span::styled(label, theme.key())];
            spans.extend(edit_spans(editor, room, app));
            spans.push(hint);
            Line::from(spans)
        }
        _ => match (app.notes().status(), app.notes().last_copied()) {
            (Some(msg), _) => return render_message(msg, frame, area),
            (None, Some(copied)) => Line::from(vec![
                Span::styled(" last copied: ", theme.dim()),
                Span::raw(fit(&copied.replace('\n', " ⏎ "), width.saturating_sub(15))),
            ]),
            (None, None) => Line::styled(
                fit(
                    " c snippet · y hash · u url · t target · / filter · ⏎ details · ? keys · q quit",
                    width,
                ),
                theme.dim(),
            ),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}
