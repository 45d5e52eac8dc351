//! What `gvmi snippet` prints: the snippets as text (headings when there are
//! several), or one JSON object per image and target; and the clipboard.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::prepare::Prepared;
use crate::clipboard::{self, Clipboard, CopyOutcome, Delivery};
use crate::commands::json::{self, PathFields};
use crate::commands::out::warn;
use crate::snippet::{render_form, Form, SnippetError, Target, Templates};

/// How to print: the targets, the form, and whether headings are needed.
pub struct Layout<'a> {
    pub targets: &'a [Target],
    pub form: Form,
    pub templates: &'a Templates,
    /// More than one image: each gets a `==> path <==` heading.
    pub several: bool,
    /// `--all-targets`: each target gets a heading, Ray its explanation.
    pub all_targets: bool,
}

/// One image's snippets, as the user reads them.
pub fn text(p: &Prepared, layout: &Layout, out: &mut String) -> anyhow::Result<()> {
    if layout.several {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("==> {} <==\n", shown_path(p)));
    }
    for &target in layout.targets {
        if layout.all_targets {
            out.push_str(&format!("==> {}: --target {target} <==\n", target.title()));
        }
        match snippet(p, target, layout)? {
            Ok(code) => out.push_str(&code),
            Err(reason) => {
                out.push_str(reason);
                out.push('\n');
            }
        }
        if layout.all_targets {
            out.push('\n');
        }
    }
    Ok(())
}

/// The fields of one `--json` line.
#[derive(Serialize)]
struct Record<'a> {
    /// `null` for standard input.
    #[serde(flatten)]
    path: PathFields,
    hash: Option<String>,
    url: Option<&'a str>,
    target: Option<&'static str>,
    snippet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    warnings: &'a [String],
    valid: Option<bool>,
}

/// One JSON line per target for an image.
pub fn json(p: &Prepared, layout: &Layout, out: &mut String) -> anyhow::Result<()> {
    for &target in layout.targets {
        let (snippet, error) = match snippet(p, target, layout)? {
            Ok(code) => (Some(code), None),
            Err(reason) => (None, Some(reason)),
        };
        let record = Record {
            path: PathFields::of(p.path.as_deref()),
            hash: Some(p.input.hash.to_hex()),
            url: p.input.url.as_deref(),
            target: Some(target.name()),
            snippet,
            error,
            warnings: &p.warnings,
            valid: p.valid,
        };
        push_json(&record, out)?;
    }
    Ok(())
}

/// The `--json` line for an image that got no snippet.
pub fn json_refusal(
    path: Option<&Path>,
    reason: &str,
    valid: Option<bool>,
    out: &mut String,
) -> anyhow::Result<()> {
    let record = Record {
        path: PathFields::of(path),
        hash: None,
        url: None,
        target: None,
        snippet: None,
        error: Some(reason),
        warnings: &[],
        valid,
    };
    push_json(&record, out)
}

fn push_json(record: &Record, out: &mut String) -> anyhow::Result<()> {
    out.push_str(&json::line(record)?);
    Ok(())
}

/// The code for `target`, or (with `--all-targets`) why it has none.
fn snippet(
    p: &Prepared,
    target: Target,
    layout: &Layout,
) -> anyhow::Result<Result<String, &'static str>> {
    match render_form(target, layout.form, &p.input, layout.templates) {
        Ok(code) => Ok(Ok(code)),
        Err(SnippetError::Unsupported { reason, .. }) if layout.all_targets => Ok(Err(reason)),
        Err(e) => Err(e).context("cannot make the snippet"),
    }
}

fn shown_path(p: &Prepared) -> String {
    match &p.path {
        Some(path) => crate::visible::visible_path(path).into_owned(),
        None => p.input.file_name.clone(),
    }
}

/// Copies `text` so it outlives gvmi, the way the workbench's `c` does
/// (inside tmux through tmux's buffer, else the system clipboard, else
/// OSC 52), and tells the user where it went in the same words.
pub fn copy(text: &str) {
    let mut clipboard = Clipboard::new();
    let delivery = if clipboard.in_tmux() {
        clipboard::copy_via_tmux(text)
    } else {
        match clipboard.keep_serving_after_exit(text) {
            CopyOutcome::System => Delivery::System,
            CopyOutcome::Osc52(sequence) => Delivery::Osc52 {
                sequence,
                why: clipboard.unavailable_reason().map(str::to_owned),
            },
        }
    };
    let Delivery::Osc52 { sequence, why } = &delivery else {
        crate::commands::out::say(delivery.describe());
        return;
    };
    let why = why.as_deref().unwrap_or("it did not take the text");
    // Only a terminal can act on OSC 52; into a file or pipe it is noise.
    if std::io::stderr().is_terminal() {
        eprint!("{sequence}");
        warn("warning", format!("{} ({why})", delivery.describe()));
    } else {
        warn(
            "warning",
            format!("no clipboard available ({why}); the snippet is only printed"),
        );
    }
}
