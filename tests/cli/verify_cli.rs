//! `gvmi verify` against a real HTTP server on 127.0.0.1: every way a
//! published URL goes wrong gets its own message and exit code.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::http_server::{closed_port, Route, Server};
use crate::support::{fixture, gvmi_in, run, ALPINE_HASH};

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
        // moto with a GetObject-only policy, some CDNs: 403 to HEAD only.
        ("/headonly-403.gvmi", Route::HeadStatus(403, b.clone())),
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

/// Runs `gvmi verify --quiet <args>`; returns (exit code, stdout, stderr).
fn verify(args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    run(gvmi_in(home.path()).arg("verify").arg("--quiet").args(args))
}

/// An argument of a [`Case`], resolved against the test server.
#[derive(Clone, Copy, Debug)]
enum Arg {
    /// The local image, `tests/fixtures/self-test.gvmi`.
    Image,
    /// `--url` and this path on the test server.
    Url(&'static str),
    /// `--url` and this path on the test server, over https (it speaks HTTP).
    Https(&'static str),
    /// `--url` to a port nothing listens on.
    ClosedPort,
    /// Itself.
    Lit(&'static str),
}

/// One `gvmi verify` run: every way a published URL goes wrong has its
/// exit code and its words.
struct Case {
    args: &'static [Arg],
    code: i32,
    /// Fragments stdout must hold.
    out: &'static [&'static str],
    /// Fragments stderr must hold (`{SELF_TEST_HASH}`, `{ALPINE_HASH}` are
    /// replaced by those hashes).
    err: &'static [&'static str],
    /// The run must end within this (a timeout honoured).
    within: Option<Duration>,
}

const fn case(args: &'static [Arg], code: i32, err: &'static [&'static str]) -> Case {
    Case {
        args,
        code,
        out: &[],
        err,
        within: None,
    }
}

use Arg::*;

const CASES: &[Case] = &[
    Case {
        out: &[": OK: serves the image (4741 bytes, SHA3-224 dc1bd040"],
        ..case(&[Image, Url("/good.gvmi")], 0, &[])
    },
    // One byte different: both hashes and the providers' words.
    case(
        &[Image, Url("/onebyte.gvmi")],
        1,
        &[
            "expected SHA3-224 {SELF_TEST_HASH}",
            "served   SHA3-224 ",
            "Incorrect hash provided or downloaded image is corrupted: calculated hash",
        ],
    ),
    // A wrong Content-Length is a size mismatch before any download.
    case(
        &[Image, Url("/wronglen.gvmi")],
        3,
        &["Content-Length is 4751 bytes but the local image is 4741"],
    ),
    case(
        &[Image, Url("/truncated.gvmi")],
        4,
        &["truncated body: the connection closed after 3000 of 4741 bytes"],
    ),
    // 404 names the HEAD request and the SDKs that refuse.
    case(
        &[Image, Url("/missing.gvmi")],
        5,
        &[
            "HEAD http://127.0.0.1",
            "answered 404 Not Found",
            "yapapi and golem-core",
            "golem-js does not check",
        ],
    ),
    case(
        &[Image, Url("/forbidden.gvmi")],
        6,
        &[
            "answered 403 Forbidden: access denied",
            "GET does not serve the image either",
        ],
    ),
    // 403 to HEAD while GET serves the image: not "private"; yapapi's exit.
    case(
        &[Image, Url("/headonly-403.gvmi")],
        7,
        &[
            "answered 403 Forbidden but GET serves the image: providers (GET) would \
             download it; yapapi and golem-core (HEAD) would refuse it",
            "Allow HEAD wherever GET is allowed",
        ],
    ),
    // HEAD 405 fails even though GET works.
    case(
        &[Image, Url("/nohead.gvmi")],
        7,
        &[
            "405 Method Not Allowed",
            "does not allow HEAD requests",
            "will refuse this URL",
            "GET does serve the image, so only golem-js",
        ],
    ),
    case(
        &[Image, Url("/nohead-wrong.gvmi")],
        7,
        &["GET does not serve the image either"],
    ),
    // GET failing after a good HEAD is named.
    case(
        &[Image, Url("/broken-get.gvmi")],
        8,
        &["GET http://127.0.0.1", "although HEAD answered 200"],
    ),
    // A redirect chain is followed and reported...
    Case {
        out: &["redirected to http://127.0.0.1", "/good.gvmi"],
        ..case(&[Image, Url("/r1")], 0, &[])
    },
    // ...and is too long under a limit of 2.
    case(
        &[Image, Url("/r1"), Lit("--max-redirects"), Lit("2")],
        9,
        &[],
    ),
    case(
        &[Image, Url("/loop-a")],
        9,
        &["more than 10 redirects", "redirect loop"],
    ),
    // A slow server hits the read timeout, and the timeout is honoured.
    Case {
        within: Some(Duration::from_secs(4)),
        ..case(
            &[Image, Url("/slow.gvmi"), Lit("--timeout"), Lit("1")],
            10,
            &["timed out reading the body of", "nothing arrived for 1s"],
        )
    },
    case(
        &[Image, Url("/silent.gvmi"), Lit("--timeout"), Lit("1")],
        10,
        &["timed out waiting for the answer to HEAD"],
    ),
    case(&[Image, ClosedPort], 12, &["connection refused"]),
    // RFC 6761: .invalid never resolves.
    case(
        &[Image, Lit("--url"), Lit("http://gvmi-test.invalid/x.gvmi")],
        11,
        &["DNS failure: the host name gvmi-test.invalid does not resolve"],
    ),
    // https to a plain-HTTP server: the handshake fails.
    case(
        &[Image, Https("/good.gvmi")],
        13,
        &["TLS error talking to https://127.0.0.1"],
    ),
    case(
        &[Image, Lit("--url"), Lit("ftp://example.com/x.gvmi")],
        14,
        &["invalid URL"],
    ),
    // A hash and a URL without a local file (the hash in upper case).
    case(
        &[
            Lit("--hash"),
            Lit("DC1BD040D36732728248DEB4BDEC9585A6B0B5AFC7F2CFD1925EC8F1"),
            Url("/good.gvmi"),
        ],
        0,
        &[],
    ),
    case(
        &[Lit("--hash"), Lit(ALPINE_HASH), Url("/good.gvmi")],
        1,
        &["expected SHA3-224 {ALPINE_HASH}"],
    ),
    // Usage errors and an unreadable image exit 2.
    case(&[Lit("--hash"), Lit(ALPINE_HASH)], 2, &[]),
    case(
        &[
            Lit("/nonexistent/x.gvmi"),
            Lit("--url"),
            Lit("http://127.0.0.1:9/x"),
        ],
        2,
        &["No such file"],
    ),
    case(&[Image], 2, &["no URL: give --url or --base-url"]),
    case(&[Lit("--timeout"), Lit("0"), Image], 2, &[]),
];

/// The command line of `case` against `server`.
fn resolve(case: &Case, server: &Server) -> Vec<String> {
    let image = image().to_str().unwrap().to_string();
    let https = |path: &str| format!("https://127.0.0.1:{}{path}", server.port);
    let closed = || format!("http://127.0.0.1:{}/x.gvmi", closed_port());
    case.args
        .iter()
        .flat_map(|arg| match *arg {
            Image => vec![image.clone()],
            Url(path) => vec!["--url".into(), server.url(path)],
            Https(path) => vec!["--url".into(), https(path)],
            ClosedPort => vec!["--url".into(), closed()],
            Lit(text) => vec![text.to_string()],
        })
        .collect()
}

/// What is wrong with `case`'s run, if anything.
fn check(case: &Case, server: &Server) -> Option<String> {
    let args = resolve(case, server);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let (code, out, err) = verify(&args);
    let took = started.elapsed();
    let want = |f: &str| {
        f.replace("{SELF_TEST_HASH}", SELF_TEST_HASH)
            .replace("{ALPINE_HASH}", ALPINE_HASH)
    };
    let mut wrong = Vec::new();
    if code != case.code {
        wrong.push(format!("exit code {code}, not {}", case.code));
    }
    for (stream, text, fragments) in [("stdout", &out, case.out), ("stderr", &err, case.err)] {
        for fragment in fragments.iter().map(|f| want(f)) {
            if !text.contains(&fragment) {
                wrong.push(format!("{stream} lacks {fragment:?}"));
            }
        }
    }
    if case.within.is_some_and(|limit| took >= limit) {
        wrong.push(format!("took {took:?}: the timeout was not honoured"));
    }
    (!wrong.is_empty()).then(|| {
        format!(
            "gvmi verify --quiet {args:?}: {}\n--- stdout:\n{out}--- stderr:\n{err}",
            wrong.join("; ")
        )
    })
}

/// Every case, a few at a time (most of them wait on the network; all at
/// once would starve the timed ones on a busy machine), every failure
/// reported together.
#[test]
fn every_way_a_url_goes_wrong_has_its_exit_code_and_words() {
    let server = server();
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut failures = Vec::new();
        while let Some(case) = CASES.get(next.fetch_add(1, Ordering::Relaxed)) {
            failures.extend(check(case, &server));
        }
        failures
    };
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4).map(|_| scope.spawn(worker)).collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
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
    // Paths as `gvmi hash .` prints them.
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = run(gvmi_in(home.path())
        .args(["verify", "--quiet", ".", "--base-url", &base, "-j", "3"])
        .cwd(dir.path()));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}\n{err}");
    assert!(lines[0].starts_with("./a.gvmi: OK http://"), "{out}");
    assert!(
        lines[1].starts_with("./b.gvmi: FAILED (hash mismatch)"),
        "{out}"
    );
    assert!(lines[2].starts_with("./c.gvmi: FAILED (HEAD 404)"), "{out}");
    assert!(
        lines[3].starts_with("./sub/d e.gvmi: OK") && lines[3].ends_with("/sub/d%20e.gvmi"),
        "{out}"
    );
    assert_eq!(code, 1, "the first failure's code (hash mismatch): {err}");
    assert!(
        err.contains("./b.gvmi: the URL serves different bytes"),
        "{err}"
    );
    let hashed = run(gvmi_in(home.path()).args(["hash", "."]).cwd(dir.path())).1;
    assert!(hashed.contains("  ./a.gvmi\n"), "{hashed}");
}

/// A folder without images gets the words `hash`, `inspect` and `snippet`
/// use, and exit 2.
#[test]
fn a_folder_without_images_says_so_as_hash_does() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().to_str().unwrap();
    let (code, out, err) = verify(&[folder, "--base-url", "http://127.0.0.1:9/"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(
        err,
        format!("gvmi: {folder}: no *.gvmi images found in this folder\n")
    );
    let (_, _, hash_err) = run(gvmi_in(dir.path()).args(["hash", folder]));
    assert_eq!(err, hash_err);
}

/// A folder is searched as `gvmi hash` searches it: `-L` follows links,
/// `-d N` stops N levels down.
#[cfg(unix)]
#[test]
fn folders_are_walked_as_hash_walks_them() {
    let b = bytes();
    let s = Server::start(vec![
        ("/base/sub/a.gvmi", Route::Bytes(b.clone())),
        ("/base/l.gvmi", Route::Bytes(b.clone())),
    ]);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/a.gvmi", &b);
    std::os::unix::fs::symlink(image(), dir.path().join("l.gvmi")).unwrap();
    let (d, base) = (dir.path().to_str().unwrap(), s.url("/base/"));
    let oks = |out: &str| out.lines().filter(|l| l.contains(": OK ")).count();
    let (code, out, err) = verify(&[d, "--base-url", &base]);
    assert_eq!((code, oks(&out)), (0, 1), "{out}\n{err}");
    let (code, out, err) = verify(&[d, "-L", "--base-url", &base]);
    assert_eq!((code, oks(&out)), (0, 2), "{out}\n{err}");
    let (code, out, err) = verify(&[d, "-d", "0", "--base-url", &base]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
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
    let (code, out, err) = run(gvmi_in(home.path())
        .args(["verify", "--quiet"])
        .arg(images.join("x.gvmi")));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/cdn/x.gvmi: OK"), "{out}");
    let (code, out, err) = run(gvmi_in(home.path())
        .args(["verify", "--quiet"])
        .arg(&images));
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
