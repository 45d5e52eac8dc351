//! What `gvmi snippet` prints: the snippets as text (headings when there are
//! several), or one JSON object per image and target; and the clipboard.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::prepare::Prepared;
use crate::clipboard::{Copier, Keep};
use crate::commands::json::{self, PathFields};
use crate::commands::out::{say, warn};
use gvmi_core::snippet::{render_form, Form, SnippetError, Target, Templates};

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
    url: Option<&str>,
    reason: &str,
    valid: Option<bool>,
    out: &mut String,
) -> anyhow::Result<()> {
    let record = Record {
        path: PathFields::of(path),
        hash: None,
        url,
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
        Some(path) => gvmi_core::visible::visible_path(path).into_owned(),
        None => match &p.input.url {
            // An image known by its URL only (`gvmi snippet URL…`).
            Some(url) => gvmi_core::visible::visible(url).into_owned(),
            None => p.input.file_name.clone(),
        },
    }
}

/// Copies `text` so it outlives gvmi, through the workbench's chain, and
/// says where it landed in the same words on stderr.
pub fn copy(text: &str) {
    let mut report = Copier::new().copy(text, Keep::AfterExit);
    if let Some(sequence) = &report.osc52 {
        // Only a terminal can act on OSC 52; into a file or pipe it is noise.
        let written = if std::io::stderr().is_terminal() {
            eprint!("{sequence}");
            Ok(())
        } else {
            Err("standard error is not a terminal".to_owned())
        };
        report.osc52_written(written);
    }
    match (report.went_somewhere(), report.failed.is_empty()) {
        (true, true) => say(report.describe()),
        (true, false) => warn("warning", report.describe()),
        (false, _) => warn(
            "warning",
            format!(
                "not copied: {}; the snippet is only printed",
                report.describe()
            ),
        ),
    }
}
