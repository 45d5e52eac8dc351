//! The command line's manners: hidden subcommands stay hidden, completions
//! and the man page, a mistyped subcommand.

use std::fs;

use crate::support::*;

#[test]
fn the_serve_subcommand_is_hidden_from_help_completions_and_man() {
    let config = tempfile::tempdir().unwrap();
    let (_, out, _) = run(gvmi_in(config.path()).arg("--help"));
    assert!(out.contains("snippet"));
    assert!(!out.contains("__clipboard-serve"));
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(gvmi_in(config.path()).args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains("snippet"), "{shell}");
        assert!(
            !out.contains("clipboard-serve"),
            "{shell} lists the hidden subcommand"
        );
    }
    let (_, out, _) = run(gvmi_in(config.path()).arg("man"));
    assert!(!out.contains("clipboard"), "{out}");
}

#[test]
fn completions_help_says_how_to_install_them() {
    let config = tempfile::tempdir().unwrap();
    let (code, out, _) = run(gvmi_in(config.path()).args(["completions", "--help"]));
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
    let (code, out, _) = run(gvmi_in(config.path()).arg("man"));
    assert_eq!(code, 0);
    assert!(out.contains(".TH gvmi 1"), "{out}");
    assert!(
        out.contains("gvmi\\-hash(1)"),
        "subcommands are listed:\n{out}"
    );
    let (code, out, _) = run(gvmi_in(config.path()).args(["man", "hash"]));
    assert_eq!(code, 0);
    assert!(out.contains(".TH gvmi-hash 1"), "{out}");
    assert!(
        out.contains("\\fB\\-\\-tag\\fR"),
        "the options are documented:\n{out}"
    );
    let (code, _, err) = run(gvmi_in(config.path()).args(["man", "nope"]));
    assert_eq!(code, 2);
    assert!(err.contains("no manual page for \"nope\""), "{err}");
}

/// Each page's synopsis is `--help`'s usage: `[PATH]...` where the command
/// takes many paths (clap_mangen's own synopsis said `[PATH]`).
#[test]
fn each_man_synopsis_is_the_help_usage() {
    let config = tempfile::tempdir().unwrap();
    let gvmi = |args: &[&str]| run(gvmi_in(config.path()).args(args)).1;
    for page in [
        "", "hash", "check", "snippet", "verify", "publish", "inspect", "cache",
    ] {
        let page: Vec<&str> = [page].into_iter().filter(|p| !p.is_empty()).collect();
        let help = gvmi(&[&page[..], &["--help"]].concat());
        let usage: Vec<String> = help
            .lines()
            .skip_while(|l| !l.starts_with("Usage: "))
            .take_while(|l| !l.is_empty())
            .map(|l| l.trim_start_matches("Usage: ").trim().replace('-', "\\-"))
            .collect();
        let man = gvmi(&[&["man"], &page[..]].concat());
        let synopsis: Vec<String> = man
            .lines()
            .skip_while(|l| *l != ".SH SYNOPSIS")
            .skip(1)
            .take_while(|l| !l.starts_with(".SH"))
            .filter(|l| *l != ".br")
            .map(|l| l.replace("\\fB", "").replace("\\fR", ""))
            .collect();
        assert_eq!(synopsis, usage, "{page:?}:\n{man}");
    }
    let man = gvmi(&["man"]);
    assert!(man.contains("[PATH]..."), "{man}");
}

#[test]
fn a_mistyped_subcommand_is_an_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(gvmi_in(dir.path()).args(["hsah", "x"]).cwd(dir.path()));
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
        let (code, _, err) = run(gvmi_in(dir.path()).arg(typo).cwd(dir.path()));
        assert_eq!(code, 2, "{typo}");
        assert!(
            err.contains(&format!("did you mean `{want}`?")),
            "{typo}: {err}"
        );
    }
    // Whatever follows the typo: clap's own complaint about `--to` (a
    // publish flag the workbench lacks) would hide it behind "use -- --to".
    for args in [
        &["pubish", "imgs/", "--to", "s3://x"][..],
        &["-L", "pubish", "--to=s3://x", "imgs/"],
        &["verfy", "--url", "https://example.com/x.gvmi", "x.gvmi"],
    ] {
        let (code, out, err) = run(gvmi_in(dir.path()).args(args).cwd(dir.path()));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        let want = if args.contains(&"verfy") {
            "verify"
        } else {
            "publish"
        };
        assert!(
            err.contains(&format!("did you mean `{want}`?")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("-- --"), "{args:?}: {err}");
    }
    // A folder that exists under that name is opened, not second-guessed
    // (here the workbench then refuses a non-terminal stdout).
    std::fs::create_dir(dir.path().join("hsah")).unwrap();
    let (code, _, err) = run(gvmi_in(dir.path()).arg("hsah").cwd(dir.path()));
    assert_eq!(code, 2);
    assert!(!err.contains("did you mean"), "{err}");
    assert!(err.contains("gvmi hash"), "{err}");
}

#[test]
fn the_workbench_names_a_missing_path_before_minding_the_terminal() {
    // `gvmi /nonexistent | cat`: the path is the problem, not the pipe.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("here")).unwrap();
    let (code, out, err) = run(gvmi_in(dir.path())
        .args(["here", "gone/x.gvmi", "also-gone"])
        .cwd(dir.path()));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("gvmi: gone/x.gvmi: No such file or directory"),
        "{err}"
    );
    assert!(
        err.contains("gvmi: also-gone: No such file or directory"),
        "{err}"
    );
    assert!(
        !err.contains("here"),
        "an existing path is not named: {err}"
    );
    assert!(!err.contains("not a terminal"), "{err}");
    // With every path there, the pipe is what is refused.
    let (code, _, err) = run(gvmi_in(dir.path()).arg("here").cwd(dir.path()));
    assert_eq!(code, 2);
    assert!(err.contains("standard output is not a terminal"), "{err}");
}
