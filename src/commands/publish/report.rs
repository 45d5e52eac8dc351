//! What `gvmi publish` says: `<hash>  <url>  <what happened>` per image on
//! stdout (or a JSON array), each problem on stderr with its fix, and the
//! snippets for the published URLs when asked.

use std::process::ExitCode;

use serde_json::json;

use crate::cli::PublishArgs;
use crate::commands::json::{self, PathFields};
use crate::commands::out::{warn, write_stdout};
use crate::commands::snippet::{SnippetRequest, Targets};
use gvmi_core::publish::{Action, Outcome};
use gvmi_core::visible::visible_path;

/// Says a failure on stderr as soon as its image is done (not with --json).
pub fn progress_words(args: &PublishArgs, o: &Outcome) {
    if args.json {
        return;
    }
    if let Some((_, _, message)) = &o.failure {
        warn(visible_path(&o.path), message);
    }
}

/// Each distinct fix once, at the end (a bucket's policy fixes every image).
pub fn fixes(args: &PublishArgs, outcomes: &[Outcome]) {
    if args.json {
        return;
    }
    let mut said: Vec<&str> = Vec::new();
    for fix in outcomes.iter().filter_map(|o| o.fix.as_deref()) {
        if !said.contains(&fix) {
            said.push(fix);
            for line in fix.lines() {
                eprintln!("{}", gvmi_core::visible::visible(line));
            }
        }
    }
}

fn words(args: &PublishArgs, o: &Outcome) -> String {
    let action = match (o.action, args.dry_run) {
        (Some(Action::Uploaded), _) => "uploaded",
        (Some(Action::Skipped), true) => "up to date",
        (Some(Action::Skipped), false) => "skipped (already there)",
        (Some(Action::WouldUpload), _) => "would upload",
        (None, _) => "failed",
    };
    let proof = match (&o.failure, o.verified) {
        _ if args.dry_run => "",
        // Interrupted as its last request ended: there, not checked.
        (Some((_, "interrupted", _)), _) => ", not checked (interrupted)",
        (Some(_), _) => ", NOT PUBLIC",
        (None, true) => ", public",
        (None, false) => ", not checked",
    };
    format!("{action}{proof}")
}

pub fn print(args: &PublishArgs, outcomes: &[Outcome]) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal();
    let mut out = String::new();
    if args.json {
        let items: Vec<_> = outcomes.iter().map(|o| to_json(args, o)).collect();
        out = json::pretty(&items)?;
    } else {
        for o in outcomes.iter().filter(|o| o.action.is_some()) {
            let hash = o.hash.map_or("-".repeat(56), |h| h.to_hex());
            // Keys are percent-encoded, but a base URL is the user's text:
            // never a raw control character on a terminal.
            let url = gvmi_core::visible::visible(o.url.as_deref().unwrap_or("-")).into_owned();
            let url = if terminal {
                url
            } else {
                o.url.clone().unwrap_or("-".into())
            };
            out.push_str(&format!("{hash}  {url}  {}\n", words(args, o)));
        }
    }
    write_stdout(out.as_bytes())?;
    Ok(())
}

fn to_json(args: &PublishArgs, o: &Outcome) -> serde_json::Value {
    let (code, kind, message) = match &o.failure {
        Some((c, k, m)) => (*c, *k, Some(m.clone())),
        None => (0, "ok", None),
    };
    let mut value = json!({
        "key": o.key,
        "hash": o.hash.map(|h| h.to_hex()),
        "url": o.url,
        "size": o.size,
        "uploaded": o.action == Some(Action::Uploaded),
        "skipped": o.action == Some(Action::Skipped),
        "dry_run": args.dry_run,
        "verified": o.verified,
        "outcome": kind,
        "exit_code": code,
        "message": message,
        "fix": o.fix,
    });
    if let Some(map) = value.as_object_mut() {
        PathFields::of(Some(&o.path)).insert_into(map);
    }
    value
}

/// `--target` / `--copy`: `gvmi snippet` for the published images, which
/// now finds their URLs in the publish state.
pub fn snippets(args: &PublishArgs, outcomes: &[Outcome]) -> anyhow::Result<ExitCode> {
    let images: Vec<_> = outcomes
        .iter()
        .filter(|o| o.action.is_some() && o.failure.is_none())
        .map(|o| o.path.clone())
        .collect();
    if images.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let request = SnippetRequest {
        images,
        targets: args.target.map_or(Targets::Configured, Targets::One),
        copy: args.copy,
        ..SnippetRequest::default()
    };
    crate::commands::snippet::run(&request)
}
