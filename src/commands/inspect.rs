//! `gvmi inspect PATH... [--json]`: each image's structure and every defect;
//! folders are searched for images as `gvmi hash` does.
//!
//! Exit status: 0 every image valid, 1 any image has a defect, 2 any could
//! not be read, a folder held none (or usage error).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::InspectArgs;
use gvmi_core::discover::Found;
use gvmi_core::gvmi_format::{self, report, Inspection};
use gvmi_core::io_error;
use gvmi_core::visible::{visible, visible_path};

use super::json::{self, PathFields};
use super::out::{warn, write_stdout};

pub fn run(args: &InspectArgs) -> anyhow::Result<ExitCode> {
    let mut invalid = false;
    let (found, empty_folders) = super::discover_saying_empty(&args.paths, args.walk.options());
    let mut unreadable = empty_folders > 0;
    for item in found {
        let path = match item {
            Found::Image { path, .. } => path,
            Found::Problem { path, reason } => {
                warn(visible_path(&path), reason);
                unreadable = true;
                continue;
            }
            Found::SkippedLink { path } => {
                warn(
                    visible_path(&path),
                    "symbolic link not followed (use --follow to inspect its target)",
                );
                continue;
            }
            Found::Stdin => {
                warn("-", "cannot inspect standard input: name the image file");
                unreadable = true;
                continue;
            }
        };
        let path = &path;
        let shown = visible_path(path);
        let inspection = match gvmi_format::inspect_file(path) {
            Ok(i) => i,
            Err(e) => {
                warn(&shown, io_error::message(&e));
                unreadable = true;
                continue;
            }
        };
        invalid |= !inspection.is_valid();
        let text = if args.json {
            json_line(path, &inspection)?
        } else {
            human(&shown, &inspection)
        };
        write_stdout(text.as_bytes())?;
    }
    Ok(ExitCode::from(if unreadable {
        2
    } else if invalid {
        1
    } else {
        0
    }))
}

fn json_line(path: &Path, inspection: &Inspection) -> anyhow::Result<String> {
    let mut value = serde_json::to_value(inspection)?;
    if let Some(map) = value.as_object_mut() {
        PathFields::of(Some(path)).insert_into(map);
        map.insert("valid".into(), inspection.is_valid().into());
    }
    Ok(json::line(&value)?)
}

/// The human report: a verdict line, the fields, then each defect; `path`
/// already [visible](visible_path), every value from the image made visible.
pub fn human(path: &str, inspection: &Inspection) -> String {
    let mut out = String::new();
    let verdict = if inspection.is_valid() {
        "valid gvmi image".to_string()
    } else {
        let n = inspection.defects.len();
        format!("INVALID ({n} defect{})", if n == 1 { "" } else { "s" })
    };
    let _ = writeln!(out, "{path}: {verdict}");
    for (label, value) in report::fields(inspection) {
        let _ = writeln!(out, "  {label:<11} {value}");
    }
    for defect in &inspection.defects {
        let _ = writeln!(out, "  ✗ {}", visible(&defect.to_string()));
    }
    out
}
