//! README.md's shell blocks and the help texts' examples work when pasted:
//! every `gvmi` command in them parses (flags, values, hashes), a file
//! written into a folder is preceded by the `mkdir -p` that makes it,
//! `cargo install` keeps Cargo.lock, and every hash shown is a real one
//! (a fixture's or a demo image's), whole or visibly cut, never `abc...9`.

use std::collections::BTreeSet;
use std::fs;

use crate::support::*;
use clap::Parser;
use gvmi::cli::{route_sha3sum, Cli};

fn readme() -> String {
    fs::read_to_string(repo().join("README.md")).unwrap()
}

/// The lines of README's ```sh blocks, a `\` continuation (or a line
/// ending in `&&`) joined to the next: (line number, logical line).
fn shell_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let (mut inside, mut open) = (false, false);
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            inside = ["```sh", "```bash", "```shell"].contains(&line.trim_end());
            open = false;
            continue;
        }
        if !inside {
            continue;
        }
        let code = strip_comment(line);
        if open {
            let last = out.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(code.trim());
        } else if !code.trim().is_empty() {
            out.push((n + 1, code.trim().to_string()));
        }
        let end = out.last().map_or("", |l| l.1.as_str());
        open = end.ends_with('\\') || end.ends_with("&&");
        if let Some(last) = out.last_mut() {
            if last.1.ends_with('\\') {
                last.1.pop();
            }
        }
    }
    out
}

/// The line without its `# comment` (a `#` starting a word, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

/// Shell words, quotes removed (enough for README: no `$`, no escapes).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut word, mut quote, mut any) = (String::new(), None, false);
    for c in text.chars() {
        match (quote, c) {
            (None, '\'' | '"') => (quote, any) = (Some(c), true),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if any {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            _ => (word.push(c), any = true).1,
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// One simple command: its words, and where its output is redirected.
struct Command {
    words: Vec<String>,
    writes: Option<String>,
}

/// The simple commands of a line: split at `&&`, `||`, `;`, `|`, with
/// subshell parentheses dropped and `>`/`>>` targets taken apart.
fn commands(line: &str) -> Vec<Command> {
    let spaced = line
        .replace("&&", " ; ")
        .replace("||", " ; ")
        .replace('|', " ; ");
    let spaced = spaced.replace(['(', ')'], " ");
    let mut out = Vec::new();
    for part in spaced.split(';') {
        let mut all = words(part).into_iter();
        let mut cmd = Command {
            words: Vec::new(),
            writes: None,
        };
        while let Some(w) = all.next() {
            if w == ">" || w == ">>" {
                cmd.writes = all.next();
            } else if let Some(target) = w.strip_prefix(">>").or(w.strip_prefix('>')) {
                cmd.writes = Some(target.to_string());
            } else {
                cmd.words.push(w);
            }
        }
        if !cmd.words.is_empty() {
            out.push(cmd);
        }
    }
    out
}

/// The problems of one line of shell, as a user pasting it would meet them.
fn problems(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut made: BTreeSet<String> = BTreeSet::new();
    for cmd in commands(line) {
        let program = cmd.words[0].as_str();
        if program == "mkdir" && cmd.words.get(1).map(String::as_str) == Some("-p") {
            made.extend(
                cmd.words[2..]
                    .iter()
                    .map(|d| d.trim_end_matches('/').to_string()),
            );
        }
        if program == "gvmi" {
            let args = route_sha3sum(cmd.words.iter().map(Into::into).collect());
            if let Err(e) = Cli::try_parse_from(args.args) {
                found.push(format!("`{}` does not parse: {e}", cmd.words.join(" ")));
            }
        }
        let install = program == "cargo" && cmd.words.get(1).map(String::as_str) == Some("install");
        if install && !cmd.words.iter().any(|w| w == "--locked") {
            found.push("`cargo install` without --locked ignores Cargo.lock".into());
        }
        if let Some((folder, _)) = cmd.writes.as_deref().and_then(|w| w.rsplit_once('/')) {
            if !made.contains(folder) {
                found.push(format!(
                    "writes into {folder}/ without `mkdir -p {folder}` first"
                ));
            }
        }
    }
    found
}

#[test]
fn every_shell_line_of_the_readme_works_when_pasted() {
    let text = readme();
    let lines = shell_lines(&text);
    assert!(lines.len() > 30, "README's shell blocks were not found");
    let mut gvmi_commands = 0;
    let mut bad = Vec::new();
    for (n, line) in &lines {
        gvmi_commands += commands(line)
            .iter()
            .filter(|c| c.words[0] == "gvmi")
            .count();
        bad.extend(
            problems(line)
                .into_iter()
                .map(|p| format!("README.md:{n}: {p}")),
        );
    }
    assert!(gvmi_commands > 30, "{gvmi_commands} gvmi commands");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every subcommand's `--help` examples (the lines that start with a
/// command, up to the description column) pass the same checks.
#[test]
fn every_help_example_works_when_pasted() {
    let mut bad = Vec::new();
    let mut seen = 0;
    for sub in [
        "",
        "hash",
        "check",
        "snippet",
        "completions",
        "man",
        "inspect",
        "verify",
        "publish",
    ] {
        let args: Vec<&str> = [sub, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let out = gvmi(args).run();
        out.assert_code(0);
        let mut pending = String::new();
        for line in out.stdout().lines() {
            let start = if pending.is_empty() {
                let first = ["mkdir -p ", "gvmi "]
                    .iter()
                    .filter_map(|p| line.find(p))
                    .min();
                match first {
                    // A first column of lowercase (`bash`), else prose naming a command.
                    Some(at) if line[..at].trim().chars().all(|c| c.is_ascii_lowercase()) => at,
                    _ => continue,
                }
            } else {
                line.len() - line.trim_start().len() // a continuation
            };
            // The description column starts after a run of spaces.
            let code = line[start..].split("   ").next().unwrap().trim_end();
            pending.push_str(code);
            if code.ends_with("&&") || code.ends_with('\\') {
                pending = pending.trim_end_matches('\\').to_string() + " ";
                continue;
            }
            seen += 1;
            let whole = std::mem::take(&mut pending);
            bad.extend(
                problems(&whole)
                    .into_iter()
                    .map(|p| format!("gvmi {sub} --help: {p}")),
            );
        }
    }
    assert!(seen > 25, "{seen} examples");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every run of 16+ hex digits in README is a real hash (a fixture's or a
/// demo image's), whole (56 digits) or cut with `…` as a screen cuts it;
/// never shortened with `...`, which a shell would paste as is.
#[test]
fn every_hash_the_readme_shows_is_a_real_one() {
    let mut known: Vec<String> = fs::read_to_string(repo().join("tests/fixtures/SHA3SUMS"))
        .unwrap()
        .lines()
        .map(|l| l[..56].to_string())
        .collect();
    for e in fs::read_dir(repo().join("assets/demo")).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "gvmi") {
            known.push(sha3(&e.path()));
        }
    }
    let text = readme();
    let mut seen = 0;
    for (n, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let run = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
            if run >= 16 && word_start {
                let hex = &line[i..i + run];
                let rest = &line[i + run..];
                let at = format!("README.md:{}: {hex}", n + 1);
                assert!(
                    !rest.starts_with(".."),
                    "{at}... is not a hash anyone can paste"
                );
                match run {
                    56 => assert!(known.iter().any(|k| k == hex), "{at}: not a known hash"),
                    _ => {
                        assert!(rest.starts_with('…'), "{at}: {run} hex digits, not 56");
                        assert!(
                            known.iter().any(|k| k.starts_with(hex)),
                            "{at}: cut from no known hash"
                        );
                    }
                }
                seen += 1;
            }
            i += run.max(1);
        }
    }
    assert!(seen >= 2, "README shows {seen} hashes");
}
