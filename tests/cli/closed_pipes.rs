//! A reader that closed gvmi's stdout or stderr (`gvmi hash … | head`,
//! `… 2>&1 | true`) ends gvmi quietly with status 141, as SIGPIPE ends Perl's
//! `sha3sum` and coreutils: never status 0 (which hid the failure already
//! said on stderr), never a panic (`eprintln!` on a closed stderr).

use std::path::Path;

use crate::support::http_server::{Route, Server};
use crate::support::{fixture, gvmi, put, require_tool, tempdir, tool, Closed};

/// 128 + SIGPIPE: what a shell shows for a process SIGPIPE killed.
const CLOSED: i32 = 141;

/// A folder `imgs` with one image, and the name of one that is missing.
fn images(dir: &Path) -> (String, String) {
    let imgs = dir.join("imgs");
    put(&imgs, "a.gvmi", b"image a\n");
    (
        imgs.to_str().unwrap().to_owned(),
        dir.join("nope.gvmi").to_str().unwrap().to_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_hash_inspect_and_check_with_141_after_naming_the_failure() {
    let dir = tempdir();
    let (imgs, nope) = images(dir.path());
    let list = put(
        dir.path(),
        "list",
        format!("{}  {imgs}/a.gvmi\n", "0".repeat(56)),
    );
    let alpine = fixture("alpine.gvmi");
    let cases: [Vec<&str>; 4] = [
        vec!["hash", &nope, &imgs],
        vec!["-a", "224", &nope, &imgs],
        vec!["inspect", &nope, alpine.to_str().unwrap()],
        vec!["check", list.to_str().unwrap()],
    ];
    for args in cases {
        let (code, stderr) = gvmi(&args).run_closed(Closed::Stdout);
        let stderr = String::from_utf8_lossy(&stderr);
        assert_eq!(code, CLOSED, "gvmi {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "gvmi {args:?}: {stderr}");
    }
    let (_, stderr) = gvmi(["hash", &nope, &imgs]).run_closed(Closed::Stdout);
    assert!(
        String::from_utf8_lossy(&stderr).contains("nope.gvmi"),
        "the failure is still named: {}",
        String::from_utf8_lossy(&stderr)
    );
}

#[test]
fn a_closed_stderr_ends_gvmi_with_141_not_a_panic() {
    let dir = tempdir();
    let (imgs, nope) = images(dir.path());
    let sub = format!("{imgs}/sub");
    std::fs::create_dir(&sub).unwrap();
    for args in [
        vec!["hash", nope.as_str(), imgs.as_str()],
        vec!["snippet", sub.as_str()],
        vec!["inspect", nope.as_str()],
        vec!["cache", "path"],
    ] {
        let (code, _) = gvmi(&args).run_closed(Closed::Both);
        assert_eq!(code, CLOSED, "gvmi {args:?}");
    }
}

#[test]
fn publish_json_into_a_closed_stdout_is_141_not_0() {
    let home = tempdir();
    let web = tempdir();
    let image = put(home.path(), "app.gvmi", b"image one\n");
    let server = Server::start(vec![("/other", Route::Status(404))]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let to = format!("file://{}", web.path().display());
    let (code, stderr) = gvmi([
        "publish",
        "--allow-invalid",
        "--json",
        image.to_str().unwrap(),
        "--to",
        &to,
        "--public-base-url",
        &base,
    ])
    .env("XDG_STATE_HOME", home.path().join("state"))
    .run_closed(Closed::Stdout);
    assert_eq!(code, CLOSED, "{}", String::from_utf8_lossy(&stderr));
}

/// The sha3sum form's drop-in promise holds with a closed pipe too: the
/// status a shell sees is Perl `sha3sum`'s.
#[test]
fn the_sha3sum_form_ends_as_perl_sha3sum_does_on_a_closed_pipe() {
    if !require_tool("sha3sum") {
        return;
    }
    let dir = tempdir();
    let (imgs, nope) = images(dir.path());
    let file = format!("{imgs}/a.gvmi");
    for closed in [Closed::Stdout, Closed::Both] {
        for files in [vec![file.as_str()], vec![nope.as_str(), file.as_str()]] {
            let args: Vec<&str> = ["-a", "224"].iter().copied().chain(files).collect();
            let (perl, _) = tool("sha3sum", &args).run_closed(closed);
            let (ours, _) = gvmi(&args).run_closed(closed);
            assert_eq!(ours, perl, "{closed:?} {args:?}: gvmi vs sha3sum");
            assert_eq!(ours, CLOSED, "{closed:?} {args:?}");
        }
    }
}
