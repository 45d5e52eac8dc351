//! Details lines on where a hash came from and who agrees with it: the
//! cache, the hash before a rebuild, the folder's SHA3SUMS, duplicates.
//! Each line appears only when it has something to say.

use super::theme_of;
use ratatui::text::{Line, Span};

use crate::tui::app::App;
use crate::tui::rows::{Listed, Row, RowState};

fn line(app: &App, name: &str, value: Span<'static>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<9}"), theme_of(app).dim()),
        value,
    ])
}

pub fn lines(app: &App, row: &Row) -> Vec<Line<'static>> {
    let theme = &theme_of(app);
    let mut out = Vec::new();
    let digest = row.state.digest();
    if row.cached {
        out.push(line(
            app,
            "Cache",
            Span::styled(
                "unchanged since hashed: from the cache, not read",
                theme.ok(),
            ),
        ));
    }
    if let Some(old) = row.previous {
        out.push(line(app, "Before", Span::raw(old.to_hex())));
        let verdict = match (&row.state, digest) {
            (_, Some(d)) if *d == old && row.asked => {
                Span::styled("rehashed: unchanged", theme.ok())
            }
            (_, Some(d)) if *d == old => Span::styled("rebuilt, hash unchanged", theme.ok()),
            (_, Some(_)) if row.asked => Span::styled(
                "rehashed: the hash above is new (the file changed)",
                theme.warn(),
            ),
            (_, Some(_)) => Span::styled("rebuilt: the hash above is new", theme.warn()),
            (RowState::Writing, None) => Span::styled("changed: being written", theme.busy()),
            _ => Span::styled("changed: being rehashed", theme.busy()),
        };
        out.push(line(app, "", verdict));
    }
    let opinion = match (row.listed, digest) {
        (Listed::NoManifest, _) => None,
        (Listed::NotListed, _) => Some(Span::styled("does not list this image", theme.dim())),
        (Listed::As(l), Some(d)) if l == *d => Some(Span::styled("matches", theme.ok())),
        (Listed::As(l), Some(_)) => Some(Span::styled(
            format!("DIFFERS: lists {}", l.to_hex()),
            theme.error(),
        )),
        (Listed::As(l), None) => Some(Span::raw(format!("lists {}", l.to_hex()))),
    };
    if let Some(opinion) = opinion {
        out.push(line(app, "SHA3SUMS", opinion));
    }
    if let Some(d) = digest.filter(|d| app.changes().duplicates(d) > 0) {
        let others: Vec<String> = app
            .rows()
            .iter()
            .filter(|r| r.path() != row.path() && r.state.digest() == Some(d))
            .map(|r| r.path().to_string_lossy().into_owned())
            .collect();
        out.push(line(
            app,
            "Same as",
            Span::styled(others.join(", "), theme.warn()),
        ));
    }
    out
}
