//! Snippets that point at something wrong (an invalid image), `--json`,
//! several images, and `--full` programs.

use super::{alpine, snippet};
use crate::support::*;

/// A copy of the alpine fixture cut short: hashable, but not a valid image.
fn truncated_image(dir: &std::path::Path) -> String {
    let bytes = std::fs::read(fixture("alpine.gvmi")).unwrap();
    let path = dir.join("cut.gvmi");
    std::fs::write(&path, &bytes[..100_000]).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn an_invalid_image_is_refused_unless_allowed_and_warned_either_way() {
    let dir = tempfile::tempdir().unwrap();
    let cut = truncated_image(dir.path());
    let url = "https://e.com/cut.gvmi";
    let (code, out, err) = snippet(&[&cut, "--url", url]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(
        err.starts_with(&format!("gvmi: {cut}: not a valid gvmi image: truncated")),
        "{err}"
    );
    assert!(err.contains("providers will refuse it") && err.contains("--allow-invalid"));

    let (code, out, err) = snippet(&[&cut, "--url", url, "--allow-invalid"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("vm.repo("), "{out}");
    assert!(
        err.starts_with("gvmi: warning: not a valid gvmi image: truncated"),
        "{err}"
    );
    // --hash with the file beside it: still inspected, still refused.
    let (code, _, err) = snippet(&["--hash", ALPINE_HASH, &cut, "--url", url]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn json_is_one_object_per_image_with_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("alpine.gvmi"), dir.path().join("a.gvmi")).unwrap();
    std::fs::copy(fixture("self-test.gvmi"), dir.path().join("b.gvmi")).unwrap();
    let folder = dir.path().to_str().unwrap();
    let (code, out, err) = snippet(&[folder, "--json", "--base-url", "https://cdn.example.com/"]);
    assert_eq!(code, 0, "{err}");
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 2, "{out}");
    let a = &objects[0];
    assert_eq!(a["path"], dir.path().join("a.gvmi").to_str().unwrap());
    assert_eq!(a["hash"], ALPINE_HASH);
    assert_eq!(a["url"], "https://cdn.example.com/a.gvmi");
    assert_eq!(a["target"], "yapapi");
    assert_eq!(a["valid"], true);
    assert_eq!(a["warnings"], serde_json::json!([]));
    let code_text = a["snippet"].as_str().unwrap();
    assert!(code_text.contains(&format!("image_hash=\"{ALPINE_HASH}\"")));
    assert!(objects[1]["path"].as_str().unwrap().ends_with("b.gvmi"));

    // No URL: `url` is null and the warning is in the object too.
    let (code, out, _) = snippet(&["--hash", ALPINE_HASH, "--json", "-t", "golem-js"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["url"], serde_json::Value::Null);
    assert_eq!(v["path"], serde_json::Value::Null);
    assert_eq!(v["valid"], serde_json::Value::Null);
    assert!(v["warnings"][0]
        .as_str()
        .unwrap()
        .contains("placeholder URL"));
    assert!(v["snippet"]
        .as_str()
        .unwrap()
        .contains("REPLACE-WITH-YOUR-URL"));
}

#[test]
fn json_with_all_targets_and_a_refused_image() {
    let dir = tempfile::tempdir().unwrap();
    let cut = truncated_image(dir.path());
    let url = "https://e.com/x.gvmi";
    let (code, out, _) = snippet(&[
        "--hash",
        ALPINE_HASH,
        "--url",
        url,
        "--all-targets",
        "--json",
    ]);
    assert_eq!(code, 0);
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let targets: Vec<_> = objects
        .iter()
        .map(|o| o["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "yapapi",
            "golem-core",
            "golem-js",
            "task-executor",
            "dapp-runner",
            "task-package",
            "ray"
        ]
    );
    assert_eq!(objects[6]["snippet"], serde_json::Value::Null);
    assert!(objects[6]["error"]
        .as_str()
        .unwrap()
        .contains("Ray on Golem"));

    let (code, out, _) = snippet(&[&cut, &alpine(), "--json", "--base-url", "https://e.com/"]);
    assert_eq!(code, 1, "the invalid image fails the run");
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 2, "{out}");
    assert!(objects[0]["error"]
        .as_str()
        .unwrap()
        .contains("not a valid gvmi image"));
    assert_eq!(objects[0]["snippet"], serde_json::Value::Null);
    assert_eq!(objects[0]["valid"], false, "a file that failed inspection");
    assert_eq!(objects[1]["hash"], ALPINE_HASH);
    assert_eq!(objects[1]["valid"], true);
    // A refused URL says what inspection found: the image itself is fine.
    let (code, out, _) = snippet(&[&alpine(), "--json", "--url", "ftp://e.com/x.gvmi"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert!(v["error"].as_str().unwrap().contains("refused"), "{v}");
    assert_eq!(v["valid"], true);
}

#[test]
fn several_images_get_headings_and_one_url_cannot_serve_them_all() {
    let base = ["--base-url", "https://e.com/"];
    let ubuntu = fixture("ubuntu-poc.gvmi").to_str().unwrap().to_string();
    let (code, out, err) = snippet(&[&alpine(), &ubuntu, base[0], base[1], "-t", "task-package"]);
    assert_eq!(code, 0, "{err}");
    let want = format!(
        "==> {} <==\nhash:sha3:{ALPINE_HASH}:https://e.com/alpine.gvmi\n\n==> {ubuntu} <==\n",
        alpine()
    );
    assert!(out.starts_with(&want), "{out}");
    let (code, _, err) = snippet(&[&alpine(), &ubuntu, "--url", "https://e.com/x.gvmi"]);
    assert_eq!(code, 2);
    assert!(err.contains("--url is the URL of one image"), "{err}");
}

#[test]
fn every_snippet_is_valid_where_pasted_or_says_where_it_goes() {
    let (_, out, _) = snippet(&["--hash", ALPINE_HASH, "--url", "https://e.com/x.gvmi"]);
    let first = out.lines().next().unwrap();
    assert!(
        first.contains("inside an async def (yapapi is asyncio)"),
        "{first}"
    );
    assert!(first.contains("--full"), "{first}");
}

#[test]
fn full_is_a_whole_program_for_targets_that_have_one() {
    let url = "https://e.com/x.gvmi";
    let (code, out, _) = snippet(&["--hash", ALPINE_HASH, "--url", url, "--full"]);
    assert_eq!(code, 0);
    assert!(out.contains("asyncio.run(main())"), "{out}");
    assert!(!out.contains("inside an async def"), "{out}");
    let (code, out, _) = snippet(&[
        "--hash",
        ALPINE_HASH,
        "--url",
        url,
        "--full",
        "-t",
        "golem-js",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("require(\"@golem-sdk/golem-js\")") && out.contains("main()"));
    let args = [
        "--hash",
        ALPINE_HASH,
        "--url",
        url,
        "--full",
        "-t",
        "task-executor",
    ];
    let (code, out, _) = snippet(&args);
    assert_eq!(code, 0);
    assert!(
        out.contains("TaskExecutor.create(executorOptions)"),
        "{out}"
    );
    for target in ["golem-core", "dapp-runner", "task-package"] {
        let (code, out, err) = snippet(&["--hash", ALPINE_HASH, "--full", "-t", target]);
        assert_eq!((code, out.as_str()), (2, ""), "{target}");
        assert!(err.contains("no whole-program form"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn json_keeps_a_non_utf8_name_exactly() {
    use base64::Engine as _;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"raw-\xff.gvmi");
    std::fs::copy(fixture("self-test.gvmi"), dir.path().join(name)).unwrap();
    let folder = dir.path().to_str().unwrap();
    let (code, out, err) = snippet(&[folder, "--json", "--base-url", "https://e.com/"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert!(v["path"].as_str().unwrap().ends_with("raw-\u{fffd}.gvmi"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(v["path_bytes"].as_str().unwrap())
        .unwrap();
    assert!(bytes.ends_with(b"/raw-\xff.gvmi"), "{bytes:?}");
    // The URL is the name percent-encoded, byte for byte.
    assert_eq!(v["url"], "https://e.com/raw-%FF.gvmi");
}
