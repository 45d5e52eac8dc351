//! What `gvmi publish` says when the URL providers will use cannot work:
//! a public server that is down (one line: what failed in plain words, and
//! what to do), a public base URL providers cannot reach (loopback,
//! private: warned of by the rule `snippet` warns by, `image_url`).

use crate::publish::publish;
use crate::support::http_server::closed_port;
use crate::support::{fixture, gvmi, put, tempdir};

#[test]
fn a_public_server_that_is_down_is_one_plain_line_with_what_to_do() {
    let home = tempdir();
    let web = tempdir();
    let image = put(home.path(), "app.gvmi", b"image one\n");
    let base = format!("http://127.0.0.1:{}/pub/", closed_port());
    let to = format!("file://{}", web.path().display());
    for verify in ["head", "full"] {
        let out = publish(
            home.path(),
            &[
                image.to_str().unwrap(),
                "--to",
                &to,
                "--public-base-url",
                &base,
                "--verify",
                verify,
            ],
        );
        out.assert_code(4);
        let err = out.stderr();
        let url = format!("{base}app.gvmi");
        let problems: Vec<_> = err.lines().filter(|l| !l.contains("warning:")).collect();
        assert_eq!(problems.len(), 1, "{verify}: {err}");
        let line = problems[0];
        assert_eq!(line.matches(&url).count(), 1, "{verify}: {line}");
        assert!(
            line.contains("not reachable") && line.contains("connection refused"),
            "{line}"
        );
        let dir = web.path().display().to_string();
        assert!(
            line.contains(&format!("start the web server that serves {dir}")),
            "{line}"
        );
        assert!(line.contains("check --public-base-url"), "{line}");
        for raw in ["os error", "Connection Failed", "Connect error"] {
            assert!(!line.contains(raw), "{verify}: {line}");
        }
    }
}

/// A public base URL providers cannot reach is warned of with the words
/// `gvmi snippet` uses for such a URL (one rule: `image_url`); a public
/// host is not.
#[test]
fn a_public_base_url_providers_cannot_reach_is_warned_of() {
    let home = tempdir();
    let web = tempdir();
    let image = home.path().join("app.gvmi");
    std::fs::copy(fixture("self-test.gvmi"), &image).unwrap();
    let to = format!("file://{}", web.path().display());
    for (base, words) in [
        (
            "http://127.0.0.1:8080/pub/",
            "127.0.0.1 is a loopback address",
        ),
        ("http://10.0.0.2/pub/", "10.0.0.2 is a private address"),
        ("http://localhost/pub/", "host localhost is this machine"),
        ("https://cdn.example.com/pub/", ""),
    ] {
        let args = [image.to_str().unwrap(), "--to", &to, "--dry-run"];
        let out = publish(
            home.path(),
            &[&args[..], &["--public-base-url", base]].concat(),
        );
        out.assert_code(0);
        let err = out.stderr();
        if words.is_empty() {
            assert_eq!(err, "", "{base}");
            continue;
        }
        let snippet = gvmi(["snippet", "--hash", &"0".repeat(56), "--url"])
            .arg(format!("{base}app.gvmi"))
            .run();
        let said = snippet.stderr();
        let rule = said
            .lines()
            .find(|l| l.contains(words))
            .expect("snippet warns");
        let rule = rule.trim_start_matches("gvmi: warning: ");
        assert_eq!(
            err,
            format!("gvmi: warning: --public-base-url {base}: {rule}\n"),
            "{base}"
        );
    }
}
