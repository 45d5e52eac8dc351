//! Hostile servers on loopback: reason phrases with escapes, redirects to
//! other schemes, endless and dripping bodies and headers. Each test runs
//! `gvmi verify` against one and asserts the exact exit code, a clear
//! message, nothing raw on the terminal, and a bounded time (at most twice
//! the limit that should end it), under a 512 MiB address-space limit.

use std::io::{self, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::http_server::{drip, hostile, Request, Server};
use crate::support::{fixture, gvmi_in, run};

/// An ASCII reason phrase that would recolour the terminal, write the
/// clipboard (OSC 52) and make the terminal answer into the shell (DSR).
const EVIL: &str = "Not\x1b[31mFound\x1b]52;c;aGVsbG8=\x07\x1b[6n\x7f";

fn image() -> PathBuf {
    fixture("self-test.gvmi")
}

fn image_len() -> usize {
    std::fs::metadata(image()).unwrap().len() as usize
}

fn status(s: &mut TcpStream, code: u16, reason: &str, extra: &str) -> io::Result<()> {
    write!(
        s,
        "HTTP/1.1 {code} {reason}\r\nContent-Length: 0\r\n{extra}Connection: close\r\n\r\n"
    )
}

fn good_head(s: &mut TcpStream) -> io::Result<()> {
    let len = image_len();
    write!(
        s,
        "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    )
}

fn chunked_head(s: &mut TcpStream) -> io::Result<()> {
    write!(
        s,
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
}

/// Chunks of 4 KiB as fast as the client takes them, up to 64 MiB.
fn endless_chunks(s: &mut TcpStream) -> io::Result<()> {
    let chunk = vec![b'x'; 4096];
    for _ in 0..16_384 {
        write!(s, "1000\r\n")?;
        s.write_all(&chunk)?;
        write!(s, "\r\n")?;
    }
    Ok(())
}

const SECOND: Duration = Duration::from_secs(1);

/// Every way a server misbehaves, by path. Loops are bounded: a drip stops
/// after 40 bytes, an endless body after 64 MiB, and both as soon as gvmi hangs up.
fn evil(req: &Request, s: &mut TcpStream) -> io::Result<()> {
    let head = req.method == "HEAD";
    match req.path.as_str() {
        "/head404" => status(s, 404, EVIL, ""),
        "/head500" => status(s, 500, EVIL, ""),
        "/get500" if head => good_head(s),
        "/get500" => status(s, 500, EVIL, ""),
        "/not-ascii" => status(s, 404, "Not\u{202e}Found\u{200b}\u{9b}6n", ""),
        "/to-file" => status(s, 302, "Found", "Location: file:///etc/passwd\r\n"),
        "/to-data" => status(s, 302, "Found", "Location: data:,x\r\n"),
        "/to-mailto" => status(s, 302, "Found", "Location: mailto:a@b\r\n"),
        "/to-nohost" => status(s, 302, "Found", "Location: http:///x\r\n"),
        "/drip-body" if head => good_head(s),
        "/drip-body" => {
            good_head(s)?;
            drip(s, b"x", SECOND, 40)
        }
        "/drip-headers" => {
            write!(s, "HTTP/1.1 200 OK\r\n")?;
            drip(s, b"X-Drip: a\r\n", SECOND, 40)
        }
        "/endless-chunked" if head => good_head(s),
        "/endless-chunked" => {
            chunked_head(s)?;
            endless_chunks(s)
        }
        "/drip-chunked" if head => good_head(s),
        "/drip-chunked" => {
            chunked_head(s)?;
            drip(s, b"1\r\nx\r\n", Duration::from_millis(200), 200)
        }
        "/never-closes" if head => good_head(s),
        "/never-closes" => {
            // No length: the body would end only when the server closes.
            write!(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")?;
            s.write_all(&std::fs::read(image()).unwrap())?;
            s.flush()?;
            std::thread::sleep(Duration::from_secs(20));
            Ok(())
        }
        "/405-endless" if head => status(s, 405, "Method Not Allowed", ""),
        "/405-endless" => {
            chunked_head(s)?;
            endless_chunks(s)
        }
        "/405-drip" if head => status(s, 405, "Method Not Allowed", ""),
        "/405-drip" => {
            chunked_head(s)?;
            drip(s, b"1\r\nx\r\n", Duration::from_millis(200), 200)
        }
        _ => status(s, 404, "Not Found", ""),
    }
}

fn server() -> Server {
    hostile(Duration::from_secs(60), evil)
}

/// `gvmi verify self-test.gvmi --url URL ARGS`: (exit code, stderr, seconds).
fn verify(url: &str, args: &[&str]) -> (i32, String, f64) {
    let (code, _, err, secs) = bounded(|cmd| {
        cmd.args(["verify", "--quiet"])
            .arg(image())
            .args(["--url", url])
            .args(args)
    });
    (code, err, secs)
}

/// gvmi with the arguments `args` adds, in a fresh home, under a 512 MiB
/// address-space limit (an unbounded read would fail there): (exit code,
/// stdout, stderr, seconds); nothing raw reached the terminal, no panic.
fn bounded(
    args: impl FnOnce(crate::support::Run) -> crate::support::Run,
) -> (i32, String, String, f64) {
    let home = tempfile::tempdir().unwrap();
    let cmd = args(gvmi_in(home.path())).memory_limit(512 << 20);
    let started = Instant::now();
    let (code, out, err) = run(cmd);
    let secs = started.elapsed().as_secs_f64();
    assert_clean(&out);
    assert_clean(&err);
    assert_ne!(code, 101, "gvmi panicked: {err}");
    (code, out, err, secs)
}

/// Nothing that a terminal would act on: C0 controls (but newline and tab),
/// DEL, C1 controls, the right-to-left override and the zero-width space.
pub(crate) fn assert_clean(text: &str) {
    for c in text.chars() {
        let bad = (c < ' ' && c != '\n' && c != '\t')
            || ('\x7f'..='\u{9f}').contains(&c)
            || c == '\u{202e}'
            || c == '\u{200b}';
        assert!(!bad, "raw {:?} reached the terminal in:\n{text}", c);
    }
}

fn assert_within(secs: f64, limit: f64, what: &str) {
    assert!(
        secs <= 2.0 * limit,
        "{what} took {secs:.1}s, more than twice its limit of {limit}s"
    );
}

#[test]
fn reason_phrases_are_shown_escaped_for_head_5xx_and_get() {
    let s = server();
    let (code, err, _) = verify(&s.url("/head404"), &[]);
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("answered 404 Not\\e[31mFound\\e]52;c;aGVsbG8=\\x07\\e[6n\\x7f: not found"),
        "{err}"
    );
    let (code, err, _) = verify(&s.url("/head500"), &[]);
    assert_eq!(code, 8, "{err}");
    assert!(err.contains("answered 500 Not\\e[31mFound"), "{err}");
    let (code, err, _) = verify(&s.url("/get500"), &[]);
    assert_eq!(code, 8, "{err}");
    assert!(
        err.contains("GET http://127.0.0.1") && err.contains("answered 500 Not\\e[31m"),
        "{err}"
    );
    assert!(err.contains("although HEAD answered 200"), "{err}");
    // A status line that is not ASCII is not HTTP at all.
    let (code, err, _) = verify(&s.url("/not-ascii"), &[]);
    assert_eq!(code, 15, "{err}");
    assert!(err.contains("not valid HTTP"), "{err}");
}

#[test]
fn json_carries_the_outcome_and_a_sanitized_message() {
    let s = server();
    let home = tempfile::tempdir().unwrap();
    let url = s.url("/head404");
    let (code, out, err) = run(gvmi_in(home.path())
        .args(["verify", "--json"])
        .arg(image())
        .args(["--url", &url]));
    assert_eq!(code, 5, "{err}");
    assert!(err.is_empty(), "--json says it all on stdout: {err}");
    let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(value["ok"], false);
    assert_eq!(value["outcome"], "head_status");
    assert_eq!(value["status"], 404);
    assert_eq!(value["exit_code"], 5);
    assert_eq!(value["url"], url.as_str());
    assert_eq!(value["path"], image().to_str().unwrap());
    assert_eq!(
        value["sha3_224"],
        "dc1bd040d36732728248deb4bdec9585a6b0b5afc7f2cfd1925ec8f1"
    );
    let message = value["message"].as_str().unwrap();
    assert!(message.contains("Not\\e[31mFound"), "{message}");
    assert_clean(message);
}

#[test]
fn redirects_to_other_schemes_are_refused_without_a_panic() {
    let s = server();
    for (path, reason) in [
        ("/to-file", "scheme \"file\" is not supported"),
        ("/to-data", "scheme \"data\" is not supported"),
        ("/to-mailto", "scheme \"mailto\" is not supported"),
        ("/to-nohost", "the URL has no host"),
    ] {
        let (code, err, _) = verify(&s.url(path), &[]);
        assert_eq!(code, 9, "{path}: {err}");
        assert!(err.contains("which gvmi does not follow"), "{path}: {err}");
        assert!(err.contains(reason), "{path}: {err}");
        assert!(!err.contains("does not resolve"), "{path}: {err}");
    }
    // The URL given, too: no host is said as such, not as a DNS failure.
    let (code, err, _) = verify("http:///x.gvmi", &[]);
    assert_eq!(code, 14, "{err}");
    assert!(err.contains("the URL has no host"), "{err}");
}

#[test]
fn a_dripping_body_ends_at_the_deadline() {
    let s = server();
    let (code, err, secs) = verify(&s.url("/drip-body"), &["--timeout", "2", "--deadline", "3"]);
    assert_eq!(code, 10, "{err}");
    assert!(
        err.contains("timed out reading the body of")
            && err.contains("did not finish within its deadline of 3.0s"),
        "{err}"
    );
    assert_within(secs, 3.0, "a 1 byte/s body");
}

#[test]
fn the_default_deadline_follows_the_timeout() {
    // Documented default: 4 read timeouts + 1 s per 256 KiB (4741 bytes: 0.02 s).
    let s = server();
    let (code, err, secs) = verify(&s.url("/drip-body"), &["--timeout", "1.5"]);
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("deadline of 6.0s"), "{err}");
    assert_within(secs, 6.0, "a 1 byte/s body under --timeout 1.5");
}

#[test]
fn dripping_headers_end_at_the_answer_timeout() {
    let s = server();
    let (code, err, secs) = verify(&s.url("/drip-headers"), &["--timeout", "1.5"]);
    assert_eq!(code, 10, "{err}");
    assert!(
        err.contains("timed out waiting for the answer to HEAD")
            && err.contains("no complete answer within 3s"),
        "{err}"
    );
    assert_within(secs, 3.0, "1 byte/s of headers");
}

#[test]
fn an_endless_chunked_body_stops_one_byte_past_the_image() {
    let s = server();
    let (code, err, secs) = verify(&s.url("/endless-chunked"), &["--deadline", "10"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains(&format!(
            "serves more than the {} bytes expected",
            image_len()
        )),
        "{err}"
    );
    assert_within(secs, 10.0, "an endless chunked body");
    // Dripped instead, it ends at the deadline.
    let (code, err, secs) = verify(
        &s.url("/drip-chunked"),
        &["--timeout", "2", "--deadline", "3"],
    );
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("deadline of 3.0s"), "{err}");
    assert_within(secs, 3.0, "a dripping chunked body");
}

#[test]
fn a_body_that_never_closes_ends_at_the_read_timeout() {
    let s = server();
    let (code, err, secs) = verify(&s.url("/never-closes"), &["--timeout", "1.5"]);
    assert_eq!(code, 10, "{err}");
    assert!(
        err.contains("timed out reading the body of") && err.contains("nothing arrived for 1.5s"),
        "{err}"
    );
    assert_within(secs, 1.5, "a body that never closes");
}

#[test]
fn head_405_then_an_endless_or_dripping_get_ends() {
    let s = server();
    let (code, err, secs) = verify(&s.url("/405-endless"), &["--deadline", "10"]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("GET does not serve the image either"), "{err}");
    assert_within(secs, 10.0, "405 then an endless GET");
    let (code, err, secs) = verify(&s.url("/405-drip"), &["--timeout", "2", "--deadline", "3"]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("does not allow HEAD requests"), "{err}");
    assert_within(secs, 3.0, "405 then a dripping GET");
}

#[test]
fn redirect_targets_are_checked_before_anything_is_fetched() {
    use gvmi_core::image_url::{check_http, UrlError};
    assert_eq!(check_http("https://cdn.example/x.gvmi"), Ok(()));
    assert_eq!(check_http("http:///x"), Err(UrlError::NoHost));
    assert_eq!(
        check_http("file:///etc/passwd"),
        Err(UrlError::Scheme("file".into()))
    );
    assert_eq!(check_http("data:,x"), Err(UrlError::Scheme("data".into())));
    assert_eq!(
        check_http("mailto:a@b"),
        Err(UrlError::Scheme("mailto".into()))
    );
    assert_eq!(
        check_http("http://a/\x1b]52"),
        Err(UrlError::ControlCharacter)
    );
}

/// `gvmi hash URL ARGS` (a download, as a provider makes it): (exit code,
/// stderr, seconds), bounded like `verify`.
fn hash_url(url: &str, args: &[&str]) -> (i32, String, f64) {
    let (code, out, err, secs) = bounded(|cmd| cmd.args(["hash", url]).args(args));
    assert_eq!(out, "", "no hash for a body that did not end whole");
    (code, err, secs)
}

#[test]
fn hash_url_bounds_dripping_endless_and_unclosed_bodies() {
    let s = server();
    let (code, err, secs) = hash_url(&s.url("/drip-body"), &["--timeout", "2", "--deadline", "3"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("did not finish within its deadline of 3.0s"),
        "{err}"
    );
    assert_within(secs, 3.0, "hash URL of a 1 byte/s body");

    // No length announced: 64 MiB as fast as taken (then a broken chunk)
    // under the address-space limit; dripped, the deadline ends it.
    let (code, err, secs) = hash_url(&s.url("/endless-chunked"), &["--deadline", "10"]);
    assert_eq!(code, 1, "{err}");
    assert_within(secs, 10.0, "hash URL of an endless chunked body");
    let (code, err, secs) = hash_url(
        &s.url("/drip-chunked"),
        &["--timeout", "2", "--deadline", "3"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("deadline of 3.0s"), "{err}");
    assert_within(secs, 3.0, "hash URL of a dripping chunked body");

    let (code, err, secs) = hash_url(&s.url("/never-closes"), &["--timeout", "1.5"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("nothing arrived for 1.5s"), "{err}");
    assert_within(secs, 1.5, "hash URL of a body that never closes");

    let (code, err, _) = hash_url(&s.url("/head404"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("answered 404"), "{err}");
    let (code, err, _) = hash_url(&s.url("/to-file"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("file:///etc/passwd") || err.contains("redirect"),
        "{err}"
    );
}
