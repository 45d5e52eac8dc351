//! `gvmi snippet` end to end: sources of the URL, warnings on stderr and
//! exit codes (0 ok, 1 refused URL or hashing failure, 2 usage error).

mod common;

use common::*;

fn snippet(args: &[&str]) -> (i32, String, String) {
    let config = tempfile::tempdir().unwrap();
    run(gvmi(config.path()).arg("snippet").args(args))
}

fn alpine() -> String {
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
    let (code, out, err) = snippet(&["--hash", ALPINE_HASH, "some dir/a b.gvmi"]);
    assert_eq!(code, 0);
    assert!(out.contains("https://example.com/REPLACE-WITH-YOUR-URL/a%20b.gvmi"));
    assert!(err.starts_with("gvmi: warning: no URL given"), "{err}");
}

#[test]
fn warnings_go_to_stderr_and_the_snippet_is_still_printed() {
    let url = "https://user:pw@10.0.0.2/other.gvmi";
    let (code, out, err) = snippet(&["--hash", ALPINE_HASH, "x.gvmi", "--url", url]);
    assert_eq!(code, 0);
    assert!(out.contains(url));
    let lines: Vec<_> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines.iter().all(|l| l.starts_with("gvmi: warning: ")));
    assert!(err.contains("password") && err.contains("private") && err.contains("other.gvmi"));
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
    let (code, out, err) = run(gvmi(config.path()).args(["snippet", &alpine()]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("image_url: \"https://cfg.example.com/gvmi/alpine.gvmi\""));
    assert!(out.contains("min_cpu_threads: 6"));
    // A flag beats the config.
    let (_, out, _) =
        run(gvmi(config.path()).args(["snippet", &alpine(), "--min-cpu-threads", "2"]));
    assert!(out.contains("min_cpu_threads: 2"));
}

#[test]
fn broken_config_is_named_with_its_line() {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("gvmi")).unwrap();
    std::fs::write(config.path().join("gvmi/config.toml"), "\n\nbad = = 1\n").unwrap();
    let (code, _, err) = run(gvmi(config.path()).args(["snippet", "--hash", ALPINE_HASH]));
    assert_eq!(code, 2);
    assert!(err.contains("gvmi/config.toml:3:"), "{err}");
}

#[test]
fn user_templates_override_the_builtin_ones() {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("gvmi/snippets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("yapapi.py"), "IMAGE = {{image_hash}}\n").unwrap();
    let (code, out, _) = run(gvmi(config.path()).args(["snippet", "--hash", ALPINE_HASH]));
    assert_eq!(code, 0);
    assert_eq!(out, format!("IMAGE = \"{ALPINE_HASH}\"\n"));
}

#[test]
fn copy_without_a_clipboard_says_so_and_still_prints() {
    let args = [
        "--hash",
        ALPINE_HASH,
        "--url",
        "https://e.com/image.gvmi",
        "--copy",
    ];
    let (code, out, err) = snippet(&args);
    assert_eq!(code, 0);
    assert!(out.contains("vm.repo("));
    assert!(
        err.starts_with("gvmi: warning: no clipboard available (")
            && err.trim_end().ends_with("the snippet is only printed"),
        "{err}"
    );
}

#[test]
fn the_serve_subcommand_is_hidden_from_help_completions_and_man() {
    let config = tempfile::tempdir().unwrap();
    let (_, out, _) = run(gvmi(config.path()).arg("--help"));
    assert!(out.contains("snippet"));
    assert!(!out.contains("__clipboard-serve"));
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(gvmi(config.path()).args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains("snippet"), "{shell}");
        assert!(
            !out.contains("clipboard-serve"),
            "{shell} lists the hidden subcommand"
        );
    }
    let (_, out, _) = run(gvmi(config.path()).arg("man"));
    assert!(!out.contains("clipboard"), "{out}");
}

#[test]
fn completions_help_says_how_to_install_them() {
    let config = tempfile::tempdir().unwrap();
    let (code, out, _) = run(gvmi(config.path()).args(["completions", "--help"]));
    assert_eq!(code, 0);
    for line in [
        "gvmi completions bash > ~/.local/share/bash-completion/completions/gvmi",
        "gvmi completions zsh > ~/.zfunc/_gvmi",
        "gvmi completions fish > ~/.config/fish/completions/gvmi.fish",
    ] {
        assert!(out.contains(line), "{line:?} not in:\n{out}");
    }
}

#[test]
fn man_prints_roff_for_gvmi_and_each_subcommand() {
    let config = tempfile::tempdir().unwrap();
    let (code, out, _) = run(gvmi(config.path()).arg("man"));
    assert_eq!(code, 0);
    assert!(out.contains(".TH gvmi 1"), "{out}");
    assert!(
        out.contains("gvmi\\-hash(1)"),
        "subcommands are listed:\n{out}"
    );
    let (code, out, _) = run(gvmi(config.path()).args(["man", "hash"]));
    assert_eq!(code, 0);
    assert!(out.contains(".TH gvmi-hash 1"), "{out}");
    assert!(
        out.contains("\\fB\\-\\-tag\\fR"),
        "the options are documented:\n{out}"
    );
    let (code, _, err) = run(gvmi(config.path()).args(["man", "nope"]));
    assert_eq!(code, 2);
    assert!(err.contains("no manual page for \"nope\""), "{err}");
}

#[test]
fn a_mistyped_subcommand_is_an_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(gvmi(dir.path()).args(["hsah", "x"]).current_dir(dir.path()));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("`hsah` is neither a file nor a folder; did you mean `hash`?"),
        "{err}"
    );
    for (typo, want) in [
        ("chekc", "check"),
        ("snipet", "snippet"),
        ("inspcet", "inspect"),
    ] {
        let (code, _, err) = run(gvmi(dir.path()).arg(typo).current_dir(dir.path()));
        assert_eq!(code, 2, "{typo}");
        assert!(
            err.contains(&format!("did you mean `{want}`?")),
            "{typo}: {err}"
        );
    }
    // A folder that exists under that name is opened, not second-guessed
    // (here the workbench then refuses a non-terminal stdout).
    std::fs::create_dir(dir.path().join("hsah")).unwrap();
    let (code, _, err) = run(gvmi(dir.path()).arg("hsah").current_dir(dir.path()));
    assert_eq!(code, 2);
    assert!(!err.contains("did you mean"), "{err}");
    assert!(err.contains("gvmi hash"), "{err}");
}

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
    assert_eq!(objects[1]["hash"], ALPINE_HASH);
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
    for target in ["golem-core", "dapp-runner", "task-package"] {
        let (code, out, err) = snippet(&["--hash", ALPINE_HASH, "--full", "-t", target]);
        assert_eq!((code, out.as_str()), (2, ""), "{target}");
        assert!(err.contains("no whole-program form"), "{err}");
    }
}
