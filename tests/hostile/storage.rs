//! Hostile storage endpoints (issue "Hostile inputs II"): a fake S3 on
//! loopback answers `gvmi publish` with huge, endless and dripping bodies,
//! redirects to another origin, echoed secrets; and credentials or
//! endpoints carrying what they should not. Each run is under a 512 MiB
//! address-space limit and a deadline; each test asserts the exit code,
//! a clear, clean, short message, the time and the peak memory, and
//! prints the figures (`cargo test --test hostile storage -- --nocapture`).

use std::io::{self, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::network::assert_clean;
use crate::support::fake_s3::{chunked, padded_image, reply, FakeS3, Op, Seen};
use crate::support::http_server::drip;
use crate::support::*;

const KEY_ID: &str = "AKIAGVMIHOSTILE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/hostileSECRETkey";
const TOKEN: &str = "FwoGZXIvYXdzEhostileSESSIONtoken0123456789";
const GIB: u64 = 1 << 30;
/// Bigger than one part (8 MiB): a multipart upload of two parts.
const LARGE: usize = 9 << 20;

/// What one run came to.
struct Ran {
    code: i32,
    err: String,
    secs: f64,
    rss_mib: f64,
}

/// `gvmi publish IMAGE --to s3://bkt --endpoint <fake> ARGS`, with keys and
/// a session token in the environment, `--timeout 1` (so stalls end in
/// seconds), no public check, under 512 MiB of address space.
fn publish(s3: &FakeS3, image: &Path, args: &[&str], env: &[(&str, &str)]) -> Ran {
    let home = tempdir();
    let base = format!("{}/bkt/", s3.endpoint());
    let mut run = gvmi_in(home.path())
        .args([
            "publish",
            "--no-cache",
            "--verify",
            "none",
            "--timeout",
            "1",
        ])
        .arg(image)
        .args(["--to", "s3://bkt", "--endpoint", &s3.endpoint()])
        .args(["--public-base-url", &base])
        .args(args);
    for (k, v) in clean_aws(home.path()) {
        run = run.env(k, v);
    }
    for (k, v) in env {
        run = run.env(k, v);
    }
    started(run)
}

/// The AWS variables a run starts from: keys and a token, nothing else.
fn clean_aws(home: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("HOME", home.display().to_string()),
        ("XDG_STATE_HOME", home.join("state").display().to_string()),
        ("AWS_ACCESS_KEY_ID", KEY_ID.into()),
        ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
        ("AWS_SESSION_TOKEN", TOKEN.into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_DEFAULT_REGION", String::new()),
        ("AWS_PROFILE", String::new()),
        ("AWS_ENDPOINT_URL", String::new()),
        ("AWS_ENDPOINT_URL_S3", String::new()),
    ]
}

fn started(run: Run) -> Ran {
    let run = run.memory_limit(512 << 20).timeout(Duration::from_secs(60));
    let began = Instant::now();
    let out = run.run();
    let secs = began.elapsed().as_secs_f64();
    let (stdout, err) = (out.stdout(), out.stderr());
    assert_clean(&stdout);
    assert_clean(&err);
    let code = out.code.unwrap_or(-1);
    assert_ne!(code, 101, "gvmi panicked: {err}");
    for secret in [SECRET, TOKEN, "PASS-w0rd"] {
        assert!(!err.contains(secret) && !stdout.contains(secret), "{err}");
    }
    let rss_mib = out.max_rss.unwrap_or(0) as f64 / (1 << 20) as f64;
    Ran {
        code,
        err,
        secs,
        rss_mib,
    }
}

/// Asserts the outcome and prints the figures for the report.
fn expect(what: &str, ran: &Ran, code: i32, words: &str, secs: f64) {
    eprintln!(
        "attack: {what}: exit {}, {:.1} s, peak RSS {:.0} MiB",
        ran.code, ran.secs, ran.rss_mib
    );
    assert_eq!(ran.code, code, "{what}: {}", ran.err);
    assert!(ran.err.contains(words), "{what}: {}", ran.err);
    assert!(
        ran.secs <= secs,
        "{what} took {:.1}s (limit {secs}s)",
        ran.secs
    );
    assert!(
        ran.rss_mib < 128.0,
        "{what}: peak RSS {:.0} MiB",
        ran.rss_mib
    );
    let longest = ran.err.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 2000, "{what}: a {longest}-byte line on stderr");
}

fn small() -> PathBuf {
    fixture("self-test.gvmi")
}

fn large(dir: &Path) -> PathBuf {
    let image = padded_image(dir, "large.gvmi", LARGE);
    let (code, _, err) = run(gvmi(["inspect"]).arg(&image));
    assert_eq!(code, 0, "the padded image is not valid: {err}");
    image
}

fn error_start(code: &str) -> String {
    format!("<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>")
}

#[test]
fn a_gibibyte_error_body_to_put_is_cut_at_a_few_kib() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Put)
            .then(|| chunked(s, "400 Bad Request", &error_start("InvalidArgument"), GIB))
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "PUT answered 400 with a 1 GiB chunked body",
        &ran,
        3,
        "the storage answered 400 Bad Request to PutObject (InvalidArgument)",
        10.0,
    );
}

#[test]
fn a_gibibyte_body_to_create_multipart_upload_is_refused() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Create).then(|| chunked(s, "200 OK", "<Initiate", GIB))
    }
    let s3 = FakeS3::start(attack);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect(
        "CreateMultipartUpload answered 200 with a 1 GiB body",
        &ran,
        3,
        "CreateMultipartUpload: the answer's body is over 64 KiB",
        10.0,
    );
    assert_eq!(s3.count(Op::Part), 0);
}

#[test]
fn huge_5xx_bodies_to_upload_part_are_retried_capped_then_the_upload_aborted() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        let body = error_start("InternalError");
        (seen.op == Op::Part).then(|| chunked(s, "500 Internal Server Error", &body, GIB))
    }
    let s3 = FakeS3::start(attack);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect(
        "UploadPart answered 500 with 1 GiB bodies",
        &ran,
        3,
        "answered 500 Internal Server Error to UploadPart (InternalError",
        20.0,
    );
    // Each part was tried three times at most, and the upload was aborted.
    assert!(s3.count(Op::Part) <= 6, "{:?}", s3.count(Op::Part));
    assert_eq!(s3.count(Op::Abort), 1);
    assert_eq!(s3.count(Op::Complete), 0);
}

#[test]
fn a_dripping_error_body_ends_within_the_request_deadline() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Put).then(|| {
            write!(s, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")?;
            drip(s, b"<Error> ", Duration::from_millis(100), 600)
        })
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "PUT answered 400 with a body dripping 10 bytes/s",
        &ran,
        3,
        "the storage answered 400 Bad Request to PutObject",
        8.0,
    );
}

#[test]
fn complete_dripping_whitespace_forever_ends_at_its_deadline_and_aborts() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Complete).then(|| {
            write!(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")?;
            drip(s, b" ", Duration::from_millis(200), 200)
        })
    }
    let s3 = FakeS3::start(attack);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect(
        "CompleteMultipartUpload answered 200 then dripped spaces",
        &ran,
        3,
        "CompleteMultipartUpload: the storage stalled",
        12.0,
    );
    assert_eq!(s3.count(Op::Abort), 1);
}

#[test]
fn dripping_headers_to_head_end_at_the_request_deadline() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Head).then(|| {
            write!(s, "HTTP/1.1 200 OK\r\n")?;
            drip(s, b"X-Drip: a\r\n", Duration::from_millis(200), 200)
        })
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "HEAD answered with headers dripping 5 bytes/s",
        &ran,
        3,
        "HeadObject: the storage stalled",
        10.0,
    );
    assert_eq!(s3.count(Op::Put), 0);
}

#[test]
fn a_body_after_head_is_never_read() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Head).then(|| {
            write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: {GIB}\r\nConnection: close\r\n\r\n"
            )?;
            let chunk = vec![b'x'; 64 << 10];
            for _ in 0..GIB / chunk.len() as u64 {
                s.write_all(&chunk)?;
            }
            Ok(())
        })
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    // A different size there: the image is uploaded over it.
    expect("HEAD answered with a 1 GiB body", &ran, 0, "", 10.0);
    assert_eq!(s3.count(Op::Put), 1);
}

#[test]
fn echoed_secrets_are_scrubbed_from_every_message() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        let echo = format!(
            "{}token {TOKEN} secret {SECRET} \x1b]52;c;aGk=\x07</Message></Error>",
            error_start("InvalidToken")
        );
        (seen.op == Op::Put).then(|| reply(s, "400 Bad Request", "", &echo))
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &["--json"], &[]);
    expect(
        "PUT answered 400 echoing the session token and the secret key",
        &ran,
        5,
        "",
        10.0,
    );
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "the same, human output",
        &ran,
        5,
        "InvalidToken: token … secret … \\e]52;c;aGk=\\x07",
        10.0,
    );
}

#[test]
fn a_redirect_to_another_origin_is_not_followed_with_the_credentials() {
    let other = FakeS3::start(|_, _| None);
    let port = other.port;
    let attack = move |seen: &Seen, s: &mut TcpStream| {
        let to = format!("Location: http://127.0.0.1:{port}{}\r\n", seen.target);
        matches!(seen.op, Op::Head | Op::Put).then(|| reply(s, "307 Temporary Redirect", &to, ""))
    };
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "HEAD answered 307 to another origin",
        &ran,
        3,
        "a redirect, which gvmi does not follow for signed requests",
        10.0,
    );
    assert!(other.seen().is_empty(), "{:?}", other.seen());
    // The HEAD carried the token (and the signature) to the endpoint only.
    let sent = s3.seen();
    assert_eq!(sent[0].header("x-amz-security-token"), Some(TOKEN));
    assert!(sent[0].header("authorization").is_some());
}

#[test]
fn a_password_in_the_endpoint_is_refused_and_never_printed() {
    let s3 = FakeS3::start(|_, _| None);
    let home = tempdir();
    let endpoint = format!("http://user:PASS-w0rd@127.0.0.1:{}", s3.port);
    let shown = format!("http://user:…@127.0.0.1:{}", s3.port);
    for (flag, env) in [
        (true, ""),
        (false, "AWS_ENDPOINT_URL"),
        (false, "AWS_ENDPOINT_URL_S3"),
    ] {
        let mut run = gvmi_in(home.path())
            .args(["publish", "--verify", "none"])
            .arg(small())
            .args(["--to", "s3://bkt"]);
        for (k, v) in clean_aws(home.path()) {
            run = run.env(k, v);
        }
        run = match flag {
            true => run.args(["--endpoint", &endpoint]),
            false => run.env(env, &endpoint),
        };
        let ran = started(run);
        expect(
            &format!(
                "a password in the endpoint ({})",
                if flag { "--endpoint" } else { env }
            ),
            &ran,
            2,
            &format!("the endpoint {shown}: a user name or password in it is not used"),
            5.0,
        );
    }
    assert!(s3.seen().is_empty());
}

#[test]
fn a_control_character_in_a_credential_or_the_region_is_exit_5() {
    let s3 = FakeS3::start(|_, _| None);
    let cases = [
        ("AWS_ACCESS_KEY_ID", "AKIA\x1b[31mX", "the access key id"),
        ("AWS_SECRET_ACCESS_KEY", "secret\x07key", "the secret key"),
        ("AWS_SESSION_TOKEN", "tok\nen", "the session token"),
        (
            "AWS_REGION",
            "us-east-1\x1b]52;c;aGk=\x07",
            "region `us-east-1\\e]52",
        ),
    ];
    for (var, value, words) in cases {
        let ran = publish(&s3, &small(), &[], &[(var, value)]);
        expect(
            &format!("a control character in {var}"),
            &ran,
            5,
            words,
            5.0,
        );
    }
    // The same from ~/.aws/credentials.
    let home = tempdir();
    put(
        home.path(),
        ".aws/credentials",
        format!("[default]\naws_access_key_id = AK\x01IA\naws_secret_access_key = {SECRET}\n"),
    );
    let mut run = gvmi_in(home.path())
        .args(["publish", "--verify", "none"])
        .arg(small())
        .args(["--to", "s3://bkt", "--endpoint", &s3.endpoint()])
        .args(["--public-base-url", &format!("{}/bkt/", s3.endpoint())]);
    for (k, v) in clean_aws(home.path()) {
        run = run.env(k, v);
    }
    let run = run
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_SESSION_TOKEN", "");
    let ran = started(run);
    expect(
        "a control character in ~/.aws/credentials",
        &ran,
        5,
        "the access key id",
        5.0,
    );
    assert!(s3.seen().is_empty());
}

#[test]
fn a_missing_bucket_hint_carries_the_endpoint() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        let body = format!(
            "{}The bucket does not exist</Message></Error>",
            error_start("NoSuchBucket")
        );
        (seen.op == Op::Put).then(|| reply(s, "404 Not Found", "", &body))
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    let hint = format!("aws s3 mb s3://bkt --endpoint-url {}", s3.endpoint());
    expect("PUT answered NoSuchBucket", &ran, 3, &hint, 5.0);
}

#[test]
fn a_multipart_upload_to_the_fake_endpoint_goes_through_staging_and_copy() {
    let s3 = FakeS3::start(|_, _| None);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect("a well-behaved endpoint", &ran, 0, "", 20.0);
    let ops: Vec<Op> = s3.seen().iter().map(|s| s.op).collect();
    assert_eq!(
        ops.iter().filter(|o| **o != Op::Part).collect::<Vec<_>>(),
        [
            &Op::Head,
            &Op::Create,
            &Op::Complete,
            &Op::Copy,
            &Op::Delete
        ],
        "{ops:?}"
    );
    let parts: usize = (s3.seen().iter())
        .filter(|s| s.op == Op::Part)
        .map(|s| s.body_len)
        .sum();
    assert_eq!(parts, LARGE);
    let copy = s3.seen().into_iter().find(|s| s.op == Op::Copy).unwrap();
    assert_eq!(copy.header("x-amz-metadata-directive"), Some("REPLACE"));
    assert!(copy
        .header("x-amz-copy-source")
        .unwrap()
        .starts_with("/bkt/large.gvmi.gvmi-partial-"));
    let hash = sha3(&dir.path().join("large.gvmi"));
    assert_eq!(copy.header("x-amz-meta-sha3-224"), Some(hash.as_str()));
}
