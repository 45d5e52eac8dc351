//! Every place in `src/` that writes to the terminal, read from the source:
//! `outln!`, `errln!`, `errprint!` (gvmi's `println!`, `eprintln!`,
//! `eprint!`, which end gvmi with 141 on a closed pipe instead of panicking:
//! `crate::stdio`), `write!`/`writeln!` to a stderr or stdout handle, and
//! `write_stdout`. The std print macros themselves are not used at all. Each value such a site
//! interpolates must pass through the one sanitizer (`visible`,
//! `visible_path`, `visible_bytes`) or be on [`ALLOWED`] with the reason it
//! cannot carry outside text (a number, a fixed word, a line already made
//! inert where it was built and proven so by a behavioural test). A new
//! print site with a raw value fails here until it is sanitized or
//! justified; an entry no site uses any more fails too, so the list stays
//! true. The behavioural side (hostile strings through each command's human
//! output) is in `output.rs`.

use std::fs;
use std::path::{Path, PathBuf};

/// `(file below src/, the interpolated expression or captured name, why it
/// is safe raw)`.
const ALLOWED: &[(&str, &str, &str)] = &[
    ("commands/cache.rs", "cache.len()", "a number"),
    ("commands/cache.rs", "human_bytes(bytes)", "a number with a unit"),
    ("commands/cache.rs", "bytes", "a number"),
    ("commands/cache.rs", "path.display()", "`gvmi cache path`: the user's own XDG_CACHE_HOME, for scripts (exact, as `pwd` prints it)"),
    ("commands/cache.rs", "before", "a number"),
    ("commands/cache.rs", "dropped", "a number"),
    ("commands/cached.rs", "keccak_words()", "backends' and CPU features' fixed names in gvmi-sha3, and numbers"),
    ("commands/cached.rs", "self.hits", "a number"),
    ("commands/cached.rs", "self.hashed", "a number"),
    ("commands/cached.rs", "self.bytes_read", "a number"),
    ("commands/cached.rs", "pruned", "a number"),
    ("commands/cached.rs", "process_reads().map_or(String::new(), |n| format!(\n                    \"; this process read {n} bytes in all\"\n                ))", "a number in fixed words"),
    ("commands/check.rs", "what", "a count and fixed words (plural())"),
    ("commands/snippet/output.rs", "sequence", "gvmi's own OSC 52 sequence (base64 payload), written only to a terminal, on purpose: it is the copy"),
    ("commands/verify/batch.rs", "detail", "built by verify::report::batch_text through visible/visible_path (output.rs: verify_output_is_inert)"),
    ("commands/verify/mod.rs", "err", "built by verify::report::single_text through visible/visible_path (output.rs: verify_output_is_inert)"),
    ("commands/keccak_rates.rs", "r.backend.name()", "a backend's fixed name (`gvmi __keccak-rates`)"),
    ("commands/keccak_rates.rs", "r.backend.lanes()", "a number"),
    ("commands/keccak_rates.rs", "r.lanes.map_or_else(|| \"-\".to_string(), mbs)", "a number, or a dash"),
    ("commands/keccak_rates.rs", "r.backend.scalar().name()", "a backend's fixed name"),
    ("commands/keccak_rates.rs", "mbs(r.scalar)", "a number"),
    // `write_stdout`: the buffer is built elsewhere; where and why it is inert.
    ("stdio.rs", "format!(\"{}\\n\", format_args!($($arg)*)).as_bytes()", "outln!'s own body: its arguments are read at each outln! site"),
    ("commands/man.rs", "&out", "clap_mangen's page of gvmi's own help text"),
    ("commands/completions.rs", "&out", "clap_complete's script of gvmi's own arguments"),
    ("commands/hash.rs", "&buf", "sha3sum's bytes when piped; through visible on a terminal (hash::line; files/names.rs item_3_piped_lines_are_sha3sum_bytes_and_terminal_lines_are_escaped)"),
    ("commands/check.rs", "&out", "as hash: sha3sum's bytes piped, visible on a terminal (same test)"),
    ("commands/check/remote.rs", "&out", "check::tell's lines: a remote list's names as a local list's (shown_status_name)"),
    ("commands/check/bucket.rs", "&out", "keys through shown_status_name as check's names (visible on a terminal), or commands::json"),
    ("commands/watching.rs", "&gnu_line(&hashed.digest, &path_bytes(&shown))", "sha3sum's GNU line with GNU escaping, the name visible on a terminal (shown)"),
    ("commands/inspect.rs", "text.as_bytes()", "gvmi_format::report::fields through visible, or commands::json (files/names.rs item_1)"),
    ("commands/verify/mod.rs", "outcome.json().as_bytes()", "commands::json"),
    ("commands/verify/mod.rs", "out.as_bytes()", "verify::report::single_text through visible (output.rs: verify_output_is_inert)"),
    ("commands/verify/batch.rs", "v.json().as_bytes()", "commands::json"),
    ("commands/verify/batch.rs", "line.as_bytes()", "verify::report::batch_text through visible_path"),
    ("commands/publish/report.rs", "out.as_bytes()", "commands::json, or lines whose URL is visible on a terminal (output.rs: publish_output_is_inert)"),
    ("commands/snippet/mod.rs", "out.as_bytes()", "snippets: every URL passed image_url's rule, every literal escaped, headings visible_path; or commands::json (output.rs: snippet_output_is_inert)"),
];

/// Files that may name stdout or stderr directly (beyond `is_terminal`):
/// a new one is a new way to the terminal and must be looked at.
const TERMINAL_HANDLES: &[&str] = &["stdio.rs", "status_line.rs", "tui/terminal.rs"];

const SANITIZERS: &[&str] = &[
    "visible(",
    "visible_path(",
    "visible_bytes(",
    "crate::visible::visible(",
    "crate::visible::visible_path(",
    "gvmi_core::visible::visible(",
];

/// One value a print site puts on the terminal.
#[derive(Debug)]
struct Raw {
    file: String,
    line: usize,
    expr: String,
}

/// The app's `src/` and the core's (`crates/gvmi-core/src/`): a file is
/// named below its own (no name is in both).
fn src_roots() -> [PathBuf; 2] {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    [top.join("src"), top.join("crates/gvmi-core/src")]
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `.rs` file below either src/ with its text up to its unit tests.
fn sources() -> Vec<(String, String)> {
    let mut named = Vec::new();
    for root in src_roots() {
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        for p in files {
            let name = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = fs::read_to_string(&p).unwrap();
            let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
            named.push((name, text[..end].to_string()));
        }
    }
    named.sort();
    named
}

/// The text between the parenthesis at `open` and its match, skipping
/// string and char literals.
fn balanced(text: &str, open: usize) -> &str {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, open);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i),
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while bytes[i] != b'\'' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open + 1..i];
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!("unbalanced at {open}");
}

/// The index of the `"` closing the string opened at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// The top-level comma-separated arguments of a macro call.
fn arguments(inner: &str) -> Vec<String> {
    let bytes = inner.as_bytes();
    let (mut out, mut depth, mut start, mut i) = (Vec::new(), 0i32, 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i),
            b'(' | b'[' | b'{' | b'<' if bytes[i] != b'<' || depth > 0 => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                out.push(inner[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = inner[start..].trim();
    if !last.is_empty() {
        out.push(last.to_string());
    }
    out
}

/// The names a format string captures inline (`{name}`, `{name:?}`).
fn captures(format: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let end = rest.find(['}', ':']).unwrap_or(rest.len());
        let name = &rest[..end];
        if !name.is_empty() && !name.bytes().all(|b| b.is_ascii_digit()) {
            out.push(name.to_string());
        }
    }
    out
}

fn sanitized(expr: &str) -> bool {
    let expr = expr.trim_start_matches('&');
    SANITIZERS.iter().any(|s| expr.starts_with(s))
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// Every raw value at a print site of `text`.
fn raw_values(file: &str, text: &str) -> Vec<Raw> {
    const MACROS: [&str; 9] = [
        "errln!(",
        "errprint!(",
        "outln!(",
        "eprintln!(",
        "println!(",
        "eprint!(",
        "print!(",
        "writeln!(",
        "write!(",
    ];
    let mut found = Vec::new();
    for mac in MACROS {
        for (at, _) in text.match_indices(mac) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let mut args = arguments(balanced(text, at + mac.len() - 1));
            if mac.starts_with("write") {
                let target = args.remove(0);
                if ![
                    "err",
                    "io::stderr()",
                    "std::io::stderr()",
                    "io::stdout()",
                    "std::io::stdout()",
                ]
                .contains(&target.as_str())
                {
                    continue; // into a String or a Formatter, not a terminal
                }
            }
            let Some(format) = args.first().cloned() else {
                continue;
            };
            let mut values: Vec<String> = captures(&format);
            values.extend(args.into_iter().skip(1).map(|a| match a.split_once(" = ") {
                Some((_, expr)) => expr.to_string(),
                None => a,
            }));
            let line = line_of(text, at);
            found.extend(
                values
                    .into_iter()
                    .filter(|v| !sanitized(v))
                    .map(|expr| Raw {
                        file: file.to_string(),
                        line,
                        expr,
                    }),
            );
        }
    }
    for (at, _) in text.match_indices("write_stdout(") {
        if text[..at].ends_with("fn ") {
            continue;
        }
        let args = arguments(balanced(text, at + "write_stdout".len()));
        found.push(Raw {
            file: file.to_string(),
            line: line_of(text, at),
            expr: args.join(", "),
        });
    }
    found
}

#[test]
fn every_print_site_sanitizes_what_it_prints_or_says_why_not() {
    let sources = sources();
    let raw: Vec<Raw> = sources.iter().flat_map(|(f, t)| raw_values(f, t)).collect();
    let mut used = vec![false; ALLOWED.len()];
    let mut unexplained = Vec::new();
    for r in &raw {
        match ALLOWED
            .iter()
            .position(|(file, expr, _)| *file == r.file && *expr == r.expr)
        {
            Some(i) => used[i] = true,
            None => unexplained.push(format!("src/{}:{}: `{}`", r.file, r.line, r.expr)),
        }
    }
    assert!(
        unexplained.is_empty(),
        "print sites with a value neither passed through visible() nor allowed (with a \
         reason) in tests/hostile/print_sites.rs:\n{}",
        unexplained.join("\n")
    );
    let stale: Vec<_> = ALLOWED
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|((file, expr, _), _)| format!("{file}: `{expr}`"))
        .collect();
    assert!(
        stale.is_empty(),
        "allowed but no longer printed (remove them):\n{}",
        stale.join("\n")
    );
    // The scanner itself finds what it must: the sites this test knows.
    assert!(
        raw.len() >= 20,
        "only {} raw values found: is the scan broken?",
        raw.len()
    );
}

/// `println!` and `eprintln!` panic when their stream is closed (`gvmi hash
/// 2>&1 | true`); gvmi's own macros end it with 141 instead.
#[test]
fn no_print_site_uses_the_std_macros_that_panic_on_a_closed_pipe() {
    let mut found = Vec::new();
    for (file, text) in sources() {
        for mac in ["eprintln!(", "println!(", "eprint!(", "print!("] {
            for (at, _) in text.match_indices(mac) {
                let before = text[..at].chars().next_back();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    found.push(format!("{file}:{}: {mac}", line_of(&text, at)));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "use outln!/errln!/errprint! (crate::stdio) instead: {found:?}"
    );
}

#[test]
fn only_known_files_name_the_terminal_directly() {
    let mut named = Vec::new();
    for (file, text) in sources() {
        let direct = text
            .lines()
            .filter(|l| l.contains("stdout()") || l.contains("stderr()"))
            .any(|l| !l.contains("is_terminal()"));
        if direct && !TERMINAL_HANDLES.contains(&file.as_str()) {
            named.push(file);
        }
    }
    assert!(
        named.is_empty(),
        "new direct writers to stdout/stderr (route them through commands::out, or add \
         them to TERMINAL_HANDLES once their output is sanitized): {named:?}"
    );
}

#[test]
fn the_scanner_sees_raw_and_sanitized_values() {
    let text = r#"
        eprintln!("gvmi: {name}: {}", visible(&x), y.len());
        write!(f, "{raw}");
        let _ = write!(err, "\r{}", z);
        write_stdout(buf.as_bytes());
    "#;
    let raw: Vec<String> = raw_values("x.rs", text)
        .into_iter()
        .map(|r| r.expr)
        .collect();
    assert_eq!(raw, ["name", "y.len()", "z", "buf.as_bytes()"]);
}
