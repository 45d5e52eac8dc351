//! `gvmi snippet` end to end: sources of the URL, warnings on stderr and
//! exit codes (0 ok, 1 refused URL or hashing failure, 2 usage error).

mod copy;
mod folders;
mod manners;
mod refusals_json_full;

use std::path::Path;

use crate::support::*;

pub(crate) fn snippet(args: &[&str]) -> (i32, String, String) {
    let config = tempfile::tempdir().unwrap();
    run(gvmi_in(config.path()).arg("snippet").args(args))
}

pub(crate) fn alpine() -> String {
    fixture("alpine.gvmi").to_str().unwrap().to_string()
}

#[test]
fn hashes_the_image_and_uses_the_base_url() {
    let (code, out, err) = snippet(&[&alpine(), "--base-url", "https://cdn.example.com/i"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("image_hash=\"{ALPINE_HASH}\"")));
    assert!(out.contains("image_url=\"https://cdn.example.com/i/alpine.gvmi\""));
    assert!(out.contains("SHA3-224 computed by gvmi"));
    assert_eq!(err, "");
}

#[test]
fn hash_flag_needs_no_file_and_names_it_from_the_url() {
    let upper = ALPINE_HASH.to_uppercase();
    let url = "https://cdn.example.com/my%20img.gvmi";
    let (code, out, err) = snippet(&["--hash", &upper, "--url", url, "-t", "task-package"]);
    assert_eq!(code, 0, "{err}");
    // Always lowercase, whatever case was given.
    assert_eq!(out, format!("hash:sha3:{ALPINE_HASH}:{url}\n"));
}

#[test]
fn no_url_gives_a_placeholder_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("a b.gvmi");
    std::fs::copy(fixture("alpine.gvmi"), &image).unwrap();
    let (code, out, err) = snippet(&["--hash", ALPINE_HASH, image.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("https://example.com/REPLACE-WITH-YOUR-URL/a%20b.gvmi"));
    assert!(err.starts_with("gvmi: warning: no URL given"), "{err}");
}

#[test]
fn warnings_go_to_stderr_and_the_snippet_is_still_printed() {
    let url = "https://user:pw@10.0.0.2/other.gvmi";
    let (code, out, err) = snippet(&["--hash", ALPINE_HASH, &alpine(), "--url", url]);
    assert_eq!(code, 0);
    assert!(out.contains(url));
    let lines: Vec<_> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines.iter().all(|l| l.starts_with("gvmi: warning: ")));
    assert!(err.contains("password") && err.contains("private") && err.contains("other.gvmi"));
}

/// A file named beside `--hash` is the image the hash is of: a folder, a
/// missing file or another file's hash never makes a snippet.
#[test]
fn hash_with_a_file_that_is_not_that_image_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = ["--url", "https://e.com/alpine.gvmi"];
    let missing = dir.path().join("alpine.gvmi");
    let folder = dir.path().join("images.gvmi");
    std::fs::create_dir(&folder).unwrap();
    for (path, why) in [
        (missing.as_path(), "No such file or directory"),
        (folder.as_path(), "Is a directory"),
    ] {
        let path = path.to_str().unwrap();
        let (code, out, err) = snippet(&[&["--hash", ALPINE_HASH, path][..], &url].concat());
        assert_eq!((code, out.as_str()), (1, ""), "{path}: {err}");
        assert!(err.starts_with(&format!("gvmi: {path}: ")), "{err}");
        assert!(err.contains(why), "{err}");
    }
    let other = fixture("self-test.gvmi");
    let other = other.to_str().unwrap();
    let (code, out, err) = snippet(&[&["--hash", ALPINE_HASH, other][..], &url].concat());
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    let actual = sha3(Path::new(other));
    assert!(err.starts_with(&format!("gvmi: {other}: ")), "{err}");
    assert!(err.contains(ALPINE_HASH) && err.contains(&actual), "{err}");
    // The file the hash is of: the snippet, with the hash given.
    let (code, out, err) = snippet(&[&["--hash", ALPINE_HASH, &alpine()][..], &url].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(ALPINE_HASH) && out.contains("given with --hash"));
}

#[test]
fn refused_urls_exit_1() {
    for (url, why) in [
        ("ftp://example.com/x.gvmi", "not supported"),
        ("file:///srv/x.gvmi", "golem-js"),
        ("https://example.com/x\n.gvmi", "control character"),
    ] {
        let (code, out, err) = snippet(&["--hash", ALPINE_HASH, "--url", url]);
        assert_eq!(code, 1, "{url}");
        assert_eq!(out, "");
        assert!(err.contains("refused") && err.contains(why), "{err}");
    }
}

#[test]
fn file_urls_work_for_golem_js() {
    let args = [
        "--hash",
        ALPINE_HASH,
        "--url",
        "file:///srv/x.gvmi",
        "-t",
        "golem-js",
    ];
    let (code, out, _) = snippet(&args);
    assert_eq!(code, 0);
    assert!(out.contains("imageUrl: \"file:///srv/x.gvmi\""));
}

#[test]
fn unreadable_image_exits_1() {
    let (code, out, err) = snippet(&["/nonexistent/a.gvmi", "--url", "https://e.com/a.gvmi"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(err.contains("/nonexistent/a.gvmi"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["--hash", "abc"],
        &[
            "--hash",
            ALPINE_HASH,
            "--url",
            "https://e/x",
            "--base-url",
            "https://e/",
        ],
        &["--hash", ALPINE_HASH, "--target", "nope"],
        &["--hash", ALPINE_HASH, "--capability", "gpu"],
        &["--hash", ALPINE_HASH, "--min-mem-gib", "-1"],
    ] {
        let (code, _, err) = snippet(args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

#[test]
fn ray_is_explained_not_faked() {
    let (code, out, err) = snippet(&["--hash", ALPINE_HASH, "--target", "ray"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(
        err.contains("no way to use a self-hosted image URL"),
        "{err}"
    );
}

#[test]
fn all_targets_prints_each_under_a_heading() {
    let args = [
        "--hash",
        ALPINE_HASH,
        "--url",
        "https://e.com/x.gvmi",
        "--all-targets",
    ];
    let (code, out, _) = snippet(&args);
    assert_eq!(code, 0);
    for name in [
        "yapapi",
        "golem-core",
        "golem-js",
        "task-executor",
        "dapp-runner",
    ] {
        assert!(out.contains(&format!("--target {name} <==")), "{name}");
    }
    assert!(out.contains("hash:sha3:"));
    assert!(out.contains("Ray on Golem takes only"));
}

#[test]
fn config_supplies_target_resources_and_base_url() {
    let config = tempfile::tempdir().unwrap();
    let folder = fixture("").canonicalize().unwrap();
    let toml = format!(
        "default_target = \"dapp-runner\"\n[resources]\nmin_cpu_threads = 6\n\
         [[base_url]]\nfolder = {:?}\nurl = \"https://cfg.example.com/gvmi\"\n",
        folder.to_str().unwrap()
    );
    std::fs::create_dir_all(config.path().join("gvmi")).unwrap();
    std::fs::write(config.path().join("gvmi/config.toml"), toml).unwrap();
    let (code, out, err) = run(gvmi_in(config.path()).args(["snippet", &alpine()]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("image_url: \"https://cfg.example.com/gvmi/alpine.gvmi\""));
    assert!(out.contains("min_cpu_threads: 6"));
    // A flag beats the config.
    let (_, out, _) =
        run(gvmi_in(config.path()).args(["snippet", &alpine(), "--min-cpu-threads", "2"]));
    assert!(out.contains("min_cpu_threads: 2"));
}

#[test]
fn broken_config_is_named_with_its_line() {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("gvmi")).unwrap();
    std::fs::write(config.path().join("gvmi/config.toml"), "\n\nbad = = 1\n").unwrap();
    let (code, _, err) = run(gvmi_in(config.path()).args(["snippet", "--hash", ALPINE_HASH]));
    assert_eq!(code, 2);
    assert!(err.contains("gvmi/config.toml:3:"), "{err}");
}

#[test]
fn user_templates_override_the_builtin_ones() {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("gvmi/snippets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("yapapi.py"), "IMAGE = {{image_hash}}\n").unwrap();
    let (code, out, _) = run(gvmi_in(config.path()).args(["snippet", "--hash", ALPINE_HASH]));
    assert_eq!(code, 0);
    assert_eq!(out, format!("IMAGE = \"{ALPINE_HASH}\"\n"));
}
