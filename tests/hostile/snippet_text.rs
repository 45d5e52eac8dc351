//! Hostile file names and URLs: quotes, backslashes, newlines, `${x}`,
//! `#`, spaces and unicode must stay inside their literals. The real
//! Python and node parsers read each snippet back and must find the exact URL.

use crate::support::*;
use gvmi_core::snippet::{render, Resources, SnippetInput, Target, Templates};
use serde_json::Value;

/// URLs no escaping mistake could survive (no control or invisible
/// characters, bidi and line separators included: those are refused before
/// any snippet is made, see `control_characters_in_a_url_are_refused`).
const URLS: [&str; 4] = [
    r#"https://example.com/a"b'c\d/${x}/`e`/x.gvmi"#,
    "https://example.com/sp ace/#frag?q=1&r=${HOME}",
    "https://example.com/ünï/😀/évil.gvmi",
    r#"https://example.com/\"); import os; os.system("x") #"#,
];

/// File names end up in comments: a newline there must not end the comment.
const NAMES: [&str; 4] = [
    "evil\nimport os\nos.system('x')\n.gvmi",
    "a\r\n// */ ${x} \u{2028}b\u{85}c.gvmi",
    "dq\"sq'bs\\.gvmi",
    "café\u{202e}.gvmi",
];

fn input(url: &str, name: &str) -> SnippetInput {
    SnippetInput {
        file_name: name.to_string(),
        size: Some(1234),
        hash: ALPINE_HASH.parse().unwrap(),
        hash_source: "given with --hash # \n x".into(),
        url: Some(url.to_string()),
        resources: Resources::default(),
    }
}

fn snippets(target: Target) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for url in URLS {
        for name in NAMES {
            let code = render(target, &input(url, name), &Templates::builtin()).unwrap();
            all.push((url.to_string(), code));
        }
    }
    all
}

#[test]
fn python_parses_hostile_snippets_and_reads_the_url_back() {
    if !require_tool("python3") {
        return;
    }
    let script = repo().join("tests/sdk/inspect_python.py");
    for target in [Target::Yapapi, Target::GolemCore] {
        for (url, code) in snippets(target) {
            let out = pipe(tool("python3", [&script]), &code);
            let values: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(values["image_url"], url.as_str(), "{code}");
            assert_eq!(values["image_hash"], ALPINE_HASH);
        }
    }
}

#[test]
fn node_checks_and_evaluates_hostile_snippets() {
    if !require_tool("node") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (target, variable) in [
        (Target::GolemJs, "order"),
        (Target::TaskExecutor, "executorOptions"),
    ] {
        for (i, (url, code)) in snippets(target).into_iter().enumerate() {
            let file = dir.path().join(format!("{target}-{i}.js"));
            std::fs::write(&file, &code).unwrap();
            let (status, _, err) = run(tool("node", ["--check"]).arg(&file));
            assert_eq!(status, 0, "node --check: {err}\n{code}");
            let print = format!(
                "const s = require('fs').readFileSync(0, 'utf8');\
                 const o = new Function(s + '\\nreturn {variable};')();\
                 console.log(JSON.stringify(o.demand.workload));"
            );
            let out = pipe(tool("node", ["-e", &print]), &code);
            let workload: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(workload["imageUrl"], url.as_str(), "{code}");
        }
    }
}

#[test]
fn yaml_parser_reads_hostile_descriptors_back() {
    let Some(python) = sdk_file("py", "bin/python", "the SDK venv with PyYAML") else {
        return;
    };
    let read = "import sys, json, yaml; \
                d = yaml.safe_load(sys.stdin.read()); \
                print(json.dumps(d['payloads']['image']['params']))";
    for (url, code) in snippets(Target::DappRunner) {
        let out = pipe(tool(&python, ["-c", read]), &code);
        let params: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(params["image_url"], url.as_str(), "{code}");
        assert_eq!(params["image_hash"], ALPINE_HASH);
    }
}

#[test]
fn snippets_are_ascii_and_comments_stay_on_one_line() {
    for target in [Target::Yapapi, Target::GolemJs, Target::DappRunner] {
        for (_, code) in snippets(target) {
            let comment = code.lines().next().unwrap();
            assert!(comment.starts_with('#') || comment.starts_with("//"));
            // The name in the comment passed the one sanitizer: letters
            // stay, nothing a terminal or a parser acts on is left raw;
            // the code itself is ASCII.
            assert!(!code.contains("caf") || code.contains("café\\u{202e}"));
            for line in code.lines() {
                match line.starts_with('#') || line.starts_with("//") {
                    true => assert!(!line.chars().any(gvmi_core::visible::is_unsafe), "{line}"),
                    false => assert!(line.is_ascii(), "{code}"),
                }
            }
            assert!(code
                .lines()
                .nth(1)
                .unwrap()
                .starts_with(['#', '/', 'f', 'p']));
        }
    }
}

#[test]
fn control_characters_in_a_url_are_refused() {
    for url in [
        "https://e.com/a\nb.gvmi",
        "https://e.com/\u{202e}evil.gvmi",
        "https://e.com/a\u{2028}b.gvmi",
        "https://e\u{200b}.com/b.gvmi",
    ] {
        for target in [Target::TaskPackage, Target::Yapapi, Target::GolemJs] {
            let err = render(target, &input(url, "b.gvmi"), &Templates::builtin()).unwrap_err();
            assert!(
                err.to_string().contains("control character"),
                "{url:?}: {err}"
            );
        }
    }
}
