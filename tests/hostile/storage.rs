//! Hostile storage endpoints (issue "Hostile inputs II"): a fake S3 on
//! loopback answers `gvmi publish` with huge, endless and dripping bodies,
//! redirects to another origin, echoed secrets; and credentials or
//! endpoints carrying what they should not. Each run is under a 512 MiB
//! address-space limit and a deadline; each test asserts the exit code,
//! a clear, clean, short message, the time and the peak memory, and
//! prints the figures (`cargo test --test hostile storage -- --nocapture`).

mod bodies;
mod interrupt;
mod secrets;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::network::assert_clean;
use crate::support::fake_s3::{padded_image, FakeS3};
use crate::support::*;

pub(super) const KEY_ID: &str = "AKIAGVMIHOSTILE";
pub(super) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/hostileSECRETkey";
pub(super) const TOKEN: &str = "FwoGZXIvYXdzEhostileSESSIONtoken0123456789";
pub(super) const GIB: u64 = 1 << 30;
/// Bigger than one part (8 MiB): a multipart upload of two parts.
pub(super) const LARGE: usize = 9 << 20;

/// What one run came to.
pub(super) struct Ran {
    code: i32,
    err: String,
    secs: f64,
    rss_mib: f64,
}

/// `gvmi publish IMAGE --to s3://bkt --endpoint <fake> ARGS`, with keys and
/// a session token in the environment, `--timeout 1` (so stalls end in
/// seconds), no public check, under 512 MiB of address space.
pub(super) fn publish(s3: &FakeS3, image: &Path, args: &[&str], env: &[(&str, &str)]) -> Ran {
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
pub(super) fn clean_aws(home: &Path) -> Vec<(&'static str, String)> {
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

pub(super) fn started(run: Run) -> Ran {
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
pub(super) fn expect(what: &str, ran: &Ran, code: i32, words: &str, secs: f64) {
    eprintln!(
        "attack: {what}: exit {}, {:.2} s, peak RSS {:.0} MiB (0: ended before a sample)",
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

pub(super) fn small() -> PathBuf {
    fixture("self-test.gvmi")
}

pub(super) fn large(dir: &Path) -> PathBuf {
    let image = padded_image(dir, "large.gvmi", LARGE);
    let (code, _, err) = run(gvmi(["inspect"]).arg(&image));
    assert_eq!(code, 0, "the padded image is not valid: {err}");
    image
}

pub(super) fn error_start(code: &str) -> String {
    format!("<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>")
}
