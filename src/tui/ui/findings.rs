//! How inspection and URL verification show: a mark in the table's state
//! column and a section of the details pane. Pure, like all of `ui`.

use super::theme_of;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::fit;
use crate::tui::app::App;
use crate::tui::event::NotPublished;
use crate::tui::findings::{Publish, UrlCheck};
use crate::tui::rows::RowId;
use crate::tui::rows::RowState;
use gvmi_core::gvmi_format::report;
use gvmi_core::units::human_bytes;
use gvmi_core::verify::Stage;

/// The state cell for a hashed row whose checks have something to say:
/// the newer of a publish and a URL check (`P` then `V` shows `✓ served`);
/// of the URL check's words, a verification running or failed beats an
/// invalid image, which beats a verified URL. `None` leaves "✓ done".
pub fn state_cell(app: &App, id: RowId, width: usize) -> Option<Cell<'static>> {
    if !matches!(app.rows()[id].state, RowState::Done(_)) {
        return None;
    }
    let theme = &theme_of(app);
    if !app.findings().url_check_is_latest(id) {
        if let Some(cell) = publish_cell(app, id, width) {
            return Some(cell);
        }
    }
    let check = app.findings().url_check(id);
    let (text, style) = match check {
        Some(UrlCheck::Running { stage, .. }) => (running_text(*stage), theme.busy()),
        Some(UrlCheck::Done { result: Err(f), .. }) => (format!("✗ {}", f.tag()), theme.error()),
        _ if app.findings().is_invalid(id) => ("✗ invalid".to_string(), theme.error()),
        Some(UrlCheck::Done { result: Ok(_), .. }) => ("✓ served".to_string(), theme.ok()),
        None => return publish_cell(app, id, width),
    };
    Some(Cell::from(Span::styled(fit(&text, width), style)))
}

/// A publish running (`⇡ 42%`) or ended (`✓ published`, `✗ publish`).
fn publish_cell(app: &App, id: RowId, width: usize) -> Option<Cell<'static>> {
    let theme = &theme_of(app);
    let (text, style) = match app.findings().publish(id)? {
        Publish::Running { done, total } if *total > 0 => (
            format!("⇡ {:>3}%", done.saturating_mul(100) / total),
            theme.busy(),
        ),
        Publish::Running { .. } => ("⇡ …".to_string(), theme.busy()),
        Publish::Done { result: Ok(_), .. } => ("✓ published".to_string(), theme.ok()),
        Publish::Done { result: Err(_), .. } => ("✗ publish".to_string(), theme.error()),
    };
    Some(Cell::from(Span::styled(fit(&text, width), style)))
}

/// The details pane's "Publish" line, when the row was published (or
/// tried), and what keeping its record had to say.
pub fn publish_lines(app: &App, id: RowId) -> Vec<Line<'static>> {
    let theme = theme_of(app);
    let Some(publish) = app.findings().publish(id) else {
        return Vec::new();
    };
    let (text, style, notes) = match publish {
        Publish::Running { done, total } => (
            format!(
                "publishing… {} of {}",
                human_bytes(*done),
                human_bytes(*total)
            ),
            theme.busy(),
            &[][..],
        ),
        Publish::Done {
            result: Ok(at),
            notes,
        } => (format!("published at {}", at.url), theme.ok(), &notes[..]),
        Publish::Done {
            result: Err(not),
            notes,
        } => (failed_text(not), theme.error(), &notes[..]),
    };
    let mut out = vec![Line::from(vec![
        label(app, "Publish"),
        Span::styled(super::text::shown(&text), style),
    ])];
    // The fix `gvmi publish` gives, line by line (a bucket policy is JSON).
    let fix = match publish {
        Publish::Done {
            result: Err(not), ..
        } => not.fix.as_deref(),
        _ => None,
    };
    for (i, line) in fix.unwrap_or_default().lines().enumerate() {
        let line = if i == 0 {
            format!("fix: {line}")
        } else {
            line.to_string()
        };
        out.push(Line::from(vec![
            label(app, ""),
            Span::styled(super::text::shown(&line), theme.warn()),
        ]));
    }
    for note in notes {
        out.push(Line::from(vec![
            label(app, ""),
            Span::styled(super::text::shown(&format!("⚠ {note}")), theme.warn()),
        ]));
    }
    out
}

/// A failed publish in words: uploaded but not public (the bytes are
/// there), or not published at all.
fn failed_text(not: &NotPublished) -> String {
    match &not.stored_at {
        Some(url) => format!("uploaded to {url}, but not public: {}", not.reason()),
        None => format!("not published: {}", not.why),
    }
}

fn running_text(stage: Stage) -> String {
    match stage {
        Stage::Head => "⇅ HEAD".into(),
        Stage::Get {
            done,
            total: Some(total),
        } if total > 0 => format!("⇣ {:>3}%", done.saturating_mul(100) / total),
        Stage::Get { done, .. } => format!("⇣ {}", human_bytes(done)),
    }
}

fn label(app: &App, name: &str) -> Span<'static> {
    Span::styled(format!("{name:<9}"), theme_of(app).dim())
}

/// The details pane's "Served?" and "Image" lines for row `id`.
pub fn detail_lines(app: &App, id: RowId) -> Vec<Line<'static>> {
    let theme = &theme_of(app);
    // The verdict on the URL first: one line, easily missed below a long config.
    let check = match app.findings().url_check(id) {
        None => Line::from(vec![
            label(app, "Served?"),
            Span::styled("press v to verify the URL serves this image", theme.dim()),
        ]),
        Some(UrlCheck::Running { stage, .. }) => Line::from(vec![
            label(app, "Served?"),
            Span::styled(format!("verifying… {}", running_text(*stage)), theme.busy()),
        ]),
        Some(UrlCheck::Done {
            url,
            result: Ok(ok),
        }) => {
            let via = if &ok.final_url != url {
                format!(", via {}", ok.final_url)
            } else {
                String::new()
            };
            Line::from(vec![
                label(app, "Served?"),
                Span::styled(
                    format!(
                        "✓ yes: HEAD 200, same size and hash ({} bytes{via})",
                        ok.bytes
                    ),
                    theme.ok(),
                ),
            ])
        }
        Some(UrlCheck::Done { result: Err(f), .. }) => Line::from(vec![
            label(app, "Served?"),
            Span::styled(format!("✗ {f}"), theme.error()),
        ]),
    };
    let mut out = vec![check];
    match app.findings().inspection(id) {
        // Its bytes are the bucket's: read only to hash them (`r`).
        None if app.remotes().is_remote(id) => out.push(Line::from(vec![
            label(app, "Image"),
            Span::styled("a remote object: not inspected", theme.dim()),
        ])),
        None => out.push(Line::from(vec![
            label(app, "Image"),
            Span::styled("inspected once hashed", theme.dim()),
        ])),
        Some(Err(reason)) => out.push(Line::from(vec![
            label(app, "Image"),
            Span::styled(format!("could not be read: {reason}"), theme.error()),
        ])),
        Some(Ok(inspection)) => {
            let style = if inspection.is_valid() {
                theme.ok()
            } else {
                theme.error()
            };
            let verdict = if inspection.is_valid() {
                "valid gvmi image"
            } else {
                "INVALID gvmi image"
            };
            out.push(Line::from(vec![
                label(app, "Image"),
                Span::styled(verdict, style),
            ]));
            for defect in &inspection.defects {
                out.push(Line::styled(format!("         ✗ {defect}"), theme.error()));
            }
            // Size is already shown above; the rest is the image's own story.
            for (name, value) in report::fields(inspection).into_iter().skip(1) {
                out.push(Line::from(vec![
                    Span::styled(format!("  {name:<11} "), theme.dim()),
                    Span::raw(value),
                ]));
            }
        }
    }
    out
}
