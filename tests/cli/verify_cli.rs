//! `gvmi verify` against a real HTTP server on 127.0.0.1: every way a
//! published URL goes wrong gets its own message and exit code.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::http_server::{closed_port, Route, Server};
use crate::common::{fixture, gvmi, run, ALPINE_HASH};

const SELF_TEST_HASH: &str = "dc1bd040d36732728248deb4bdec9585a6b0b5afc7f2cfd1925ec8f1";

fn image() -> PathBuf {
    fixture("self-test.gvmi")
}

fn bytes() -> Vec<u8> {
    std::fs::read(image()).unwrap()
}

fn one_byte_different() -> Vec<u8> {
    let mut b = bytes();
    b[2000] ^= 1;
    b
}

/// A server with one route per case.
fn server() -> Server {
    let b = bytes();
    Server::start(vec![
        ("/good.gvmi", Route::Bytes(b.clone())),
        ("/onebyte.gvmi", Route::Bytes(one_byte_different())),
        ("/forbidden.gvmi", Route::Status(403)),
        ("/nohead.gvmi", Route::HeadStatus(405, b.clone())),
        (
            "/nohead-wrong.gvmi",
            Route::HeadStatus(405, one_byte_different()),
        ),
        ("/broken-get.gvmi", Route::GetStatus(500, b.clone())),
        ("/r1", Route::Redirect("/r2".into())),
        ("/r2", Route::Redirect("/r3".into())),
        ("/r3", Route::Redirect("/good.gvmi".into())),
        ("/loop-a", Route::Redirect("/loop-b".into())),
        ("/loop-b", Route::Redirect("/loop-a".into())),
        ("/truncated.gvmi", Route::Truncated(b.clone(), 3000)),
        (
            "/wronglen.gvmi",
            Route::WrongLength(b.clone(), b.len() as u64 + 10),
        ),
        (
            "/slow.gvmi",
            Route::Stall(b.clone(), Duration::from_secs(4)),
        ),
        ("/silent.gvmi", Route::Silent(Duration::from_secs(4))),
    ])
}

/// Runs `gvmi verify <args>`; returns (exit code, stdout, stderr).
fn verify(args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    run(gvmi(home.path()).arg("verify").arg("--quiet").args(args))
}

fn verify_image(url: &str, extra: &[&str]) -> (i32, String, String) {
    let image = image();
    let mut args = vec![image.to_str().unwrap(), "--url", url];
    args.extend_from_slice(extra);
    verify(&args)
}

#[test]
fn correct_file_exits_0_and_says_ok() {
    let s = server();
    let (code, out, err) = verify_image(&s.url("/good.gvmi"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(": OK: serves the image (4741 bytes, SHA3-224 dc1bd040"),
        "{out}"
    );
}

#[test]
fn one_byte_different_shows_both_hashes_and_the_providers_words() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/onebyte.gvmi"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("expected SHA3-224 {SELF_TEST_HASH}")),
        "{err}"
    );
    assert!(err.contains("served   SHA3-224 "), "{err}");
    assert!(
        err.contains("Incorrect hash provided or downloaded image is corrupted: calculated hash"),
        "{err}"
    );
}

#[test]
fn wrong_content_length_is_a_size_mismatch_before_any_download() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/wronglen.gvmi"), &[]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("Content-Length is 4751 bytes but the local image is 4741"),
        "{err}"
    );
}

#[test]
fn truncated_body_is_named() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/truncated.gvmi"), &[]);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("truncated body: the connection closed after 3000 of 4741 bytes"),
        "{err}"
    );
}

#[test]
fn not_found_names_the_head_request_and_the_sdks_that_refuse() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/missing.gvmi"), &[]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("HEAD http://127.0.0.1"), "{err}");
    assert!(err.contains("answered 404 Not Found"), "{err}");
    assert!(err.contains("yapapi and golem-core"), "{err}");
    assert!(err.contains("golem-js does not check"), "{err}");
}

#[test]
fn forbidden_is_its_own_case() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/forbidden.gvmi"), &[]);
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains("answered 403 Forbidden: access denied"),
        "{err}"
    );
}

#[test]
fn head_405_fails_even_though_get_works() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/nohead.gvmi"), &[]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("405 Method Not Allowed"), "{err}");
    assert!(err.contains("does not allow HEAD requests"), "{err}");
    assert!(err.contains("will refuse this URL"), "{err}");
    assert!(
        err.contains("GET does serve the image, so only golem-js"),
        "{err}"
    );
    let (code, _, err) = verify_image(&s.url("/nohead-wrong.gvmi"), &[]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("GET does not serve the image either"), "{err}");
}

#[test]
fn get_failing_after_a_good_head_is_named() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/broken-get.gvmi"), &[]);
    assert_eq!(code, 8, "{err}");
    assert!(err.contains("GET http://127.0.0.1"), "{err}");
    assert!(err.contains("although HEAD answered 200"), "{err}");
}

#[test]
fn redirect_chain_is_followed_and_reported() {
    let s = server();
    let (code, out, err) = verify_image(&s.url("/r1"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("redirected to http://127.0.0.1"), "{out}");
    assert!(out.contains("/good.gvmi"), "{out}");
    // The same chain is too long under a limit of 2.
    let (code, _, err) = verify_image(&s.url("/r1"), &["--max-redirects", "2"]);
    assert_eq!(code, 9, "{err}");
}

#[test]
fn redirect_loop_is_stopped() {
    let s = server();
    let (code, _, err) = verify_image(&s.url("/loop-a"), &[]);
    assert_eq!(code, 9, "{err}");
    assert!(err.contains("more than 10 redirects"), "{err}");
    assert!(err.contains("redirect loop"), "{err}");
}

#[test]
fn slow_server_hits_the_read_timeout() {
    let s = server();
    let started = Instant::now();
    let (code, _, err) = verify_image(&s.url("/slow.gvmi"), &["--timeout", "1"]);
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("timed out reading the body of"), "{err}");
    assert!(err.contains("nothing arrived for 1s"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the timeout was not honoured"
    );
    let (code, _, err) = verify_image(&s.url("/silent.gvmi"), &["--timeout", "1"]);
    assert_eq!(code, 10, "{err}");
    assert!(
        err.contains("timed out waiting for the answer to HEAD"),
        "{err}"
    );
}

#[test]
fn refused_connection_dns_failure_tls_error_and_bad_scheme() {
    let url = format!("http://127.0.0.1:{}/x.gvmi", closed_port());
    let (code, _, err) = verify_image(&url, &[]);
    assert_eq!(code, 12, "{err}");
    assert!(err.contains("connection refused"), "{err}");

    // RFC 6761: .invalid never resolves.
    let (code, _, err) = verify_image("http://gvmi-test.invalid/x.gvmi", &[]);
    assert_eq!(code, 11, "{err}");
    assert!(
        err.contains("DNS failure: the host name gvmi-test.invalid does not resolve"),
        "{err}"
    );

    // https to a plain-HTTP server: the handshake fails.
    let s = server();
    let url = format!("https://127.0.0.1:{}/good.gvmi", s.port);
    let (code, _, err) = verify_image(&url, &[]);
    assert_eq!(code, 13, "{err}");
    assert!(
        err.contains("TLS error talking to https://127.0.0.1"),
        "{err}"
    );

    let (code, _, err) = verify_image("ftp://example.com/x.gvmi", &[]);
    assert_eq!(code, 14, "{err}");
    assert!(err.contains("invalid URL"), "{err}");
}

#[test]
fn hash_and_url_without_a_local_file() {
    let s = server();
    let good = s.url("/good.gvmi");
    let (code, _, err) = verify(&["--hash", &SELF_TEST_HASH.to_uppercase(), "--url", &good]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = verify(&["--hash", ALPINE_HASH, "--url", &good]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("expected SHA3-224 {ALPINE_HASH}")),
        "{err}"
    );
    let (code, _, err) = verify(&["--hash", ALPINE_HASH]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn usage_errors_and_unreadable_image_exit_2() {
    let (code, _, err) = verify(&["/nonexistent/x.gvmi", "--url", "http://127.0.0.1:9/x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("No such file"), "{err}");
    let (code, _, err) = verify(&[image().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no URL: give --url or --base-url"), "{err}");
    let (code, _, _) = verify(&["--timeout", "0", image().to_str().unwrap()]);
    assert_eq!(code, 2);
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn folder_batch_prints_one_line_per_image_in_order() {
    let b = bytes();
    let s = Server::start(vec![
        ("/base/a.gvmi", Route::Bytes(b.clone())),
        ("/base/b.gvmi", Route::Bytes(one_byte_different())),
        ("/base/sub/d%20e.gvmi", Route::Bytes(b.clone())),
    ]);
    let dir = tempfile::tempdir().unwrap();
    for rel in ["a.gvmi", "b.gvmi", "c.gvmi", "sub/d e.gvmi"] {
        write(dir.path(), rel, &b);
    }
    let base = s.url("/base/");
    let (code, out, err) = verify(&[dir.path().to_str().unwrap(), "--base-url", &base, "-j", "3"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}\n{err}");
    assert!(lines[0].starts_with("a.gvmi: OK http://"), "{out}");
    assert!(
        lines[1].starts_with("b.gvmi: FAILED (hash mismatch)"),
        "{out}"
    );
    assert!(lines[2].starts_with("c.gvmi: FAILED (HEAD 404)"), "{out}");
    assert!(
        lines[3].starts_with("sub/d e.gvmi: OK") && lines[3].ends_with("/sub/d%20e.gvmi"),
        "{out}"
    );
    assert_eq!(code, 1, "the first failure's code (hash mismatch): {err}");
    assert!(
        err.contains("b.gvmi: the URL serves different bytes"),
        "{err}"
    );
}

#[test]
fn config_base_url_is_used_when_no_url_is_given() {
    let s = Server::start(vec![("/cdn/x.gvmi", Route::Bytes(bytes()))]);
    let home = tempfile::tempdir().unwrap();
    let images = home.path().join("images");
    write(&images, "x.gvmi", &bytes());
    std::fs::create_dir_all(home.path().join("gvmi")).unwrap();
    let config = format!(
        "[[base_url]]\nfolder = {:?}\nurl = {:?}\n",
        images.to_str().unwrap(),
        s.url("/cdn/")
    );
    std::fs::write(home.path().join("gvmi/config.toml"), config).unwrap();
    let (code, out, err) = run(gvmi(home.path())
        .args(["verify", "--quiet"])
        .arg(images.join("x.gvmi")));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/cdn/x.gvmi: OK"), "{out}");
    let (code, out, err) = run(gvmi(home.path()).args(["verify", "--quiet"]).arg(&images));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn json_is_one_object_per_image_with_the_documented_fields() {
    let b = bytes();
    let s = Server::start(vec![
        ("/base/a.gvmi", Route::Bytes(b.clone())),
        ("/base/b.gvmi", Route::Bytes(one_byte_different())),
    ]);
    let dir = tempfile::tempdir().unwrap();
    for rel in ["a.gvmi", "b.gvmi", "c.gvmi"] {
        write(dir.path(), rel, &b);
    }
    let base = s.url("/base/");
    let (code, out, err) = verify(&[dir.path().to_str().unwrap(), "--base-url", &base, "--json"]);
    assert_eq!(code, 1, "the first failure's code: {err}");
    assert!(err.is_empty(), "{err}");
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 3, "{out}");
    let a = &objects[0];
    assert!(a["path"].as_str().unwrap().ends_with("a.gvmi"), "{a}");
    assert_eq!(a["url"], s.url("/base/a.gvmi").as_str());
    assert_eq!(a["final_url"], s.url("/base/a.gvmi").as_str());
    assert_eq!(a["sha3_224"], SELF_TEST_HASH);
    assert_eq!(a["ok"], true);
    assert_eq!(a["bytes"], 4741);
    assert_eq!(a["outcome"], "ok");
    assert_eq!(a["status"], serde_json::Value::Null);
    assert_eq!(a["exit_code"], 0);
    assert_eq!(a["message"], serde_json::Value::Null);
    assert_eq!(objects[1]["outcome"], "hash_mismatch");
    assert_eq!(objects[1]["exit_code"], 1);
    assert!(objects[1]["message"]
        .as_str()
        .unwrap()
        .contains("the URL serves different bytes"));
    assert_eq!(objects[2]["outcome"], "head_status");
    assert_eq!(objects[2]["status"], 404);
    assert_eq!(objects[2]["exit_code"], 5);

    // No local file: path is null, the hash is the one given.
    let (code, out, _) = verify(&[
        "--hash",
        ALPINE_HASH,
        "--url",
        &s.url("/base/a.gvmi"),
        "--json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["path"], serde_json::Value::Null);
    assert_eq!(v["sha3_224"], ALPINE_HASH);
    assert_eq!(v["outcome"], "hash_mismatch");
    // An image with no URL is an object too (exit 2).
    let (code, out, _) = verify(&[image().to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["outcome"], "no_url");
    assert!(v["message"].as_str().unwrap().contains("no URL"));
}
