//! The generated snippets run against the real SDKs (installed by
//! tests/sdk/setup.sh): each must make the provider receive
//! `hash:sha3:<fixture hash>:<url>` for a fixture served on 127.0.0.1.

use std::path::PathBuf;

use crate::support::*;
use serde_json::Value;

/// `gvmi snippet alpine.gvmi --base-url http://127.0.0.1:PORT/img/ --target T`,
/// with the fixture actually served there (yapapi sends a HEAD to it).
fn snippet(target: &str, extra: &[&str]) -> (String, String) {
    let port = serve_file(&fixture("alpine.gvmi"));
    let config = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}/img/");
    let (code, out, err) = run(gvmi_in(config.path())
        .arg("snippet")
        .arg(fixture("alpine.gvmi"))
        .args(["--base-url", &base, "--target", target])
        .args(extra));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("gvmi: warning: 127.0.0.1 is a loopback address"),
        "no loopback warning in {err:?}"
    );
    let expected = format!("hash:sha3:{ALPINE_HASH}:{base}alpine.gvmi");
    (out, expected)
}

fn python(venv: &str) -> Option<PathBuf> {
    sdk_file(venv, "bin/python", &format!("the {venv} venv"))
}

fn run_python(venv: &str, kind: &str, snippet: &str) -> Option<Value> {
    let python = python(venv)?;
    let script = repo().join("tests/sdk/run_python.py");
    let out = pipe(tool(python, [&script]).arg(kind), snippet);
    Some(serde_json::from_str(&out).unwrap())
}

fn run_js(variable: &str, snippet: &str) -> Option<Value> {
    if !require_tool("node") {
        return None;
    }
    let golem_js = "node_modules/@golem-sdk/golem-js";
    sdk_file("js", golem_js, "@golem-sdk/golem-js 3")?;
    let modules = sdk_env().join("js/node_modules");
    let script = repo().join("tests/sdk/run_js.cjs");
    let out = pipe(
        tool("node", [&script])
            .arg(variable)
            .env("NODE_PATH", modules),
        snippet,
    );
    Some(serde_json::from_str(&out).unwrap())
}

#[test]
fn yapapi_resolves_to_the_served_fixture() {
    let (code, expected) = snippet("yapapi", &[]);
    let Some(report) = run_python("py", "yapapi", &code) else {
        return;
    };
    assert_eq!(report["task_package"], expected.as_str());
    let constraints = report["constraints"].as_str().unwrap();
    assert!(
        constraints.contains("(golem.inf.mem.gib>=0.5)"),
        "{constraints}"
    );
}

#[test]
fn yapapi_gets_the_requested_resources() {
    let extra = [
        "--min-mem-gib",
        "4",
        "--min-storage-gib",
        "10.5",
        "--min-cpu-threads",
        "3",
        "--capability",
        "vpn",
        "--capability",
        "inet",
    ];
    let (code, expected) = snippet("yapapi", &extra);
    let Some(report) = run_python("py", "yapapi", &code) else {
        return;
    };
    assert_eq!(report["task_package"], expected.as_str());
    let constraints = report["constraints"].as_str().unwrap();
    for c in [
        "(golem.inf.mem.gib>=4.0)",
        "(golem.inf.storage.gib>=10.5)",
        "(golem.inf.cpu.threads>=3)",
        "(golem.runtime.capabilities=vpn)",
        "(golem.runtime.capabilities=inet)",
    ] {
        assert!(constraints.contains(c), "{c} not in {constraints}");
    }
}

#[test]
fn golem_core_resolves_to_the_served_fixture() {
    let (code, expected) = snippet("golem-core", &[]);
    let Some(report) = run_python("golem-core", "golem-core", &code) else {
        return;
    };
    assert_eq!(report["task_package"], expected.as_str());
}

#[test]
fn dapp_runner_params_work_with_vm_repo() {
    let (code, expected) = snippet("dapp-runner", &["--capability", "vpn"]);
    let Some(report) = run_python("py", "dapp-runner", &code) else {
        return;
    };
    assert_eq!(report["task_package"], expected.as_str());
    let params = &report["params"];
    assert_eq!(params["image_hash"], ALPINE_HASH);
    assert_eq!(params["capabilities"], serde_json::json!(["vpn"]));
    assert_eq!(params["min_storage_gib"], 2.0);
}

#[test]
fn golem_js_order_builds_the_task_package() {
    let (code, expected) = snippet("golem-js", &["--min-cpu-threads", "2"]);
    let Some(report) = run_js("order", &code) else {
        return;
    };
    assert_eq!(report["task_package"], expected.as_str());
    let constraints = report["constraints"].to_string();
    assert!(
        constraints.contains("golem.inf.cpu.threads>=2"),
        "{constraints}"
    );
    assert_eq!(report["market"]["pricing"]["model"], "linear");
}

#[test]
fn task_executor_options_build_the_task_package() {
    let (code, expected) = snippet("task-executor", &["--capability", "inet"]);
    let Some(report) = run_js("executorOptions", &code) else {
        return;
    };
    assert_eq!(report["task_package"], expected.as_str());
    let constraints = report["constraints"].to_string();
    assert!(constraints.contains("golem.runtime.capabilities=inet"));
}

#[test]
fn task_package_is_the_provider_string() {
    let (code, expected) = snippet("task-package", &[]);
    assert_eq!(code.trim_end(), expected);
}

/// `gvmi snippet --full` saved as `file` and run by `program`: it must run
/// with no yagna (YAGNA_APPKEY unset) and print the task package.
fn run_full_program(program: Run, file: &str, target: &str) {
    let (code, expected) = snippet(target, &["--full"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, &code).unwrap();
    let out = program.arg(&path).env_remove("YAGNA_APPKEY").run();
    let (stdout, stderr) = (out.stdout(), out.stderr());
    assert_eq!(out.code, Some(0), "{stdout}\n{stderr}\n{code}");
    assert!(
        stdout.starts_with(&format!("task package: {expected}\n")),
        "{stdout}"
    );
    assert!(stdout.contains("YAGNA_APPKEY is not set"), "{stdout}");
}

#[test]
fn yapapi_full_program_runs_and_prints_the_task_package() {
    let Some(python) = python("py") else {
        return;
    };
    // yapapi resolves the package itself: vm.repo sends a HEAD to the URL.
    run_full_program(tool(python, NO_ARGS), "run.py", "yapapi");
}

#[test]
fn golem_js_and_task_executor_full_programs_run_in_node() {
    if !require_tool("node") {
        return;
    }
    for (package, what) in [
        ("golem-js", "@golem-sdk/golem-js 3"),
        ("task-executor", "@golem-sdk/task-executor 2"),
    ] {
        let rel = format!("node_modules/@golem-sdk/{package}");
        if sdk_file("js", &rel, what).is_none() {
            return;
        }
    }
    let modules = sdk_env().join("js/node_modules");
    for target in ["golem-js", "task-executor"] {
        let node = tool("node", NO_ARGS).env("NODE_PATH", &modules);
        run_full_program(node, "run.js", target);
    }
}
