//! `gvmi snippet URL` against a static server on 127.0.0.1: the snippet
//! names the URL and the hash of the bytes it serves (python3's), with no
//! local copy; `--hash` checks instead and refuses other bytes, naming the
//! URL, the hash expected and the one served.

use crate::support::http_server::Server;
use crate::support::{gvmi_in, python_sha3_224, require_tool, write_prng_file};

#[test]
fn a_url_gets_the_snippet_for_its_own_bytes() {
    if !require_tool("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("my app.gvmi");
    write_prng_file(&image, 1_000_003, 22);
    let hex = python_sha3_224(&image);
    let server = Server::folder(dir.path(), vec![]);
    let url = server.url("/my%20app.gvmi");
    let home = tempfile::tempdir().unwrap();
    let out = gvmi_in(home.path())
        .args(["snippet", "--target", "golem-core", &url])
        .run();
    out.assert_code(0);
    let text = out.stdout();
    assert!(text.contains(&hex), "{text}");
    assert!(text.contains(&url), "{text}");
    assert!(
        text.contains("my app.gvmi"),
        "named by the URL's file name: {text}"
    );

    // --hash with the right hash: the same snippet.
    let checked = gvmi_in(home.path())
        .args(["snippet", "--target", "golem-core", &url, "--hash", &hex])
        .run();
    checked.assert_code(0);
    assert_eq!(checked.stdout(), text);

    // --json: one record naming the URL and the hash.
    let json = gvmi_in(home.path()).args(["snippet", "--json", &url]).run();
    json.assert_code(0);
    let record: serde_json::Value = serde_json::from_str(json.stdout().trim()).unwrap();
    assert_eq!(record["url"], url.as_str());
    assert_eq!(record["hash"], hex.as_str());
}

#[test]
fn hash_refuses_a_url_serving_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("a.gvmi");
    write_prng_file(&image, 5000, 7);
    let served = crate::support::sha3(&image);
    let wrong = "8edadf4a077c9de16e9d3a6c1883070625081644ca255101012e2aa9";
    let server = Server::folder(dir.path(), vec![]);
    let url = server.url("/a.gvmi");
    let home = tempfile::tempdir().unwrap();
    let out = gvmi_in(home.path())
        .args(["snippet", &url, "--hash", wrong])
        .run();
    out.assert_code(1);
    assert_eq!(out.stdout(), "", "no snippet for a mismatch");
    let err = out.stderr();
    assert!(
        err.contains(&url) && err.contains(wrong) && err.contains(&served),
        "names the URL, the hash expected and the one served: {err}"
    );

    // A URL that cannot be downloaded: named, exit 1; the others printed.
    let gone = server.url("/gone.gvmi");
    let out = gvmi_in(home.path()).args(["snippet", &gone, &url]).run();
    out.assert_code(1);
    assert!(out.stdout().contains(&served), "{}", out.stdout());
    assert!(
        out.stderr().contains(&format!("{gone}: ")),
        "{}",
        out.stderr()
    );

    // Usage: URLs and local images are not mixed; --url is for local images.
    let mixed = gvmi_in(home.path())
        .args(["snippet", &url])
        .arg(&image)
        .run();
    assert_ne!(mixed.code, Some(0));
    assert!(mixed.stderr().contains("not both"), "{}", mixed.stderr());
    let with_url = gvmi_in(home.path())
        .args(["snippet", &url, "--url", &url])
        .run();
    assert_ne!(with_url.code, Some(0));
}
