//! `gvmi hash URL…` against a static server on 127.0.0.1: each URL's
//! SHA3-224 is python3's of the same bytes (sizes around the 144-byte
//! block), lines come in argument order among local files, failures name
//! the URL and set exit 1, and memory stays bounded whatever the bodies'
//! sizes and number.

use std::path::Path;

use crate::support::http_server::{pattern, Route, Server};
use crate::support::{gvmi_in, python_sha3_224, require_tool, write_prng_file};

/// Sizes around the rate (144 bytes) and a body spanning many buffers.
const SIZES: [u64; 9] = [0, 1, 143, 144, 145, 287, 288, 1000, 3_000_017];

fn folder(dir: &Path) -> Vec<String> {
    SIZES
        .iter()
        .enumerate()
        .map(|(i, &size)| {
            let name = format!("img {i}.gvmi");
            write_prng_file(&dir.join(&name), size, 0x5eed + i as u64);
            name
        })
        .collect()
}

#[test]
fn each_url_hashes_to_the_oracle_in_argument_order() {
    if !require_tool("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let names = folder(dir.path());
    let server = Server::folder(dir.path(), vec![]);
    let home = tempfile::tempdir().unwrap();
    let local = dir.path().join(&names[2]);
    let mut cmd = gvmi_in(home.path()).arg("hash");
    let mut expected = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let url = server.url(&format!("/{}", name.replace(' ', "%20")));
        cmd = cmd.arg(&url);
        let hex = python_sha3_224(&dir.path().join(name));
        expected.push(format!("{hex}  {url}"));
        if i == 4 {
            // A local file among the URLs keeps its place.
            cmd = cmd.arg(&local);
            expected.push(format!("{}  {}", python_sha3_224(&local), local.display()));
        }
    }
    let out = cmd.arg("-j").arg("3").run();
    out.assert_code(0);
    assert_eq!(out.stdout_lines(), expected, "{}", out.stderr());
}

/// The same URLs on every Keccak path this CPU runs: scalar (a thread per
/// download) and each multi-lane one (downloads in SIMD lanes).
#[test]
fn every_keccak_path_hashes_urls_alike() {
    let dir = tempfile::tempdir().unwrap();
    let names = folder(dir.path());
    let server = Server::folder(dir.path(), vec![]);
    let home = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (names.iter())
        .map(|n| server.url(&format!("/{}", n.replace(' ', "%20"))))
        .collect();
    let expected: Vec<String> = (names.iter().zip(&urls))
        .map(|(n, u)| format!("{}  {u}", crate::support::sha3(&dir.path().join(n))))
        .collect();
    for backend in gvmi_core::sha3_fast::Backend::supported() {
        let out = gvmi_in(home.path())
            .arg("hash")
            .args(&urls)
            .env("GVMI_KECCAK", backend.name())
            .run();
        out.assert_code(0);
        assert_eq!(out.stdout_lines(), expected, "{}", backend.name());
    }
}

#[test]
fn a_failed_url_is_named_the_rest_printed_and_the_exit_is_1() {
    let dir = tempfile::tempdir().unwrap();
    let names = folder(dir.path());
    let body = std::fs::read(dir.path().join(&names[8])).unwrap();
    let server = Server::folder(
        dir.path(),
        vec![("/short.gvmi", Route::Truncated(body, 5000))],
    );
    let home = tempfile::tempdir().unwrap();
    let (good, gone, short) = (
        server.url("/img%201.gvmi"),
        server.url("/gone.gvmi"),
        server.url("/short.gvmi"),
    );
    let out = gvmi_in(home.path())
        .args([
            "hash",
            &gone,
            &good,
            &short,
            "s3://a-bucket/v1",
            "http:///x",
        ])
        .run();
    out.assert_code(1);
    let lines = out.stdout_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].ends_with(&format!("  {good}")), "{lines:?}");
    let err = out.stderr();
    assert!(
        err.contains(&format!("gvmi: {gone}: ")) && err.contains("answered 404"),
        "{err}"
    );
    assert!(
        err.contains(&format!("gvmi: {short}: "))
            && err.contains("5000")
            && err.contains("3000017"),
        "a truncated body says how much came of how much: {err}"
    );
    assert!(
        err.contains("gvmi check s3://BUCKET[/PREFIX]"),
        "a bucket is pointed to check: {err}"
    );
    assert!(err.contains("the URL has no host"), "{err}");
}

#[test]
fn json_gives_each_url_its_hash_size_or_error() {
    let dir = tempfile::tempdir().unwrap();
    let names = folder(dir.path());
    let server = Server::folder(dir.path(), vec![]);
    let home = tempfile::tempdir().unwrap();
    let (good, gone) = (server.url("/img%208.gvmi"), server.url("/gone.gvmi"));
    let out = gvmi_in(home.path())
        .args(["hash", "--json", &good, &gone])
        .run();
    out.assert_code(1);
    let records: Vec<serde_json::Value> = (out.stdout_lines().iter())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0]["url"], good.as_str());
    assert_eq!(records[0]["size"], SIZES[8]);
    let hex = crate::support::sha3(&dir.path().join(&names[8]));
    assert_eq!(records[0]["sha3_224"], hex.as_str());
    assert_eq!(records[1]["url"], gone.as_str());
    assert!(records[1]["sha3_224"].is_null());
    assert!(
        records[1]["error"].as_str().unwrap().contains("404"),
        "{records:?}"
    );
}

/// The library's hash of a [`Route::Pattern`] body of `len` bytes.
fn pattern_hash(len: u64) -> String {
    struct Pattern(u64, u64);
    impl std::io::Read for Pattern {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min((self.1 - self.0) as usize);
            for (i, b) in buf[..n].iter_mut().enumerate() {
                *b = pattern(self.0 + i as u64);
            }
            self.0 += n as u64;
            Ok(n)
        }
    }
    let token = gvmi_core::cancel::CancelToken::new();
    let (digest, read) = gvmi_core::hasher::hash_reader(Pattern(0, len), &token, |_| {}).unwrap();
    assert_eq!(read, len);
    digest.to_hex()
}

#[test]
fn memory_stays_bounded_whatever_the_bodies_size_and_number() {
    const LEN: u64 = 128 << 20;
    let routes: Vec<(String, Route)> = (0..4)
        .map(|i| (format!("/big{i}.gvmi"), Route::Pattern(LEN)))
        .collect();
    let server = Server::start(
        routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    let home = tempfile::tempdir().unwrap();
    let urls: Vec<String> = routes.iter().map(|(p, _)| server.url(p)).collect();
    let out = gvmi_in(home.path())
        .arg("hash")
        .args(&urls)
        .args(["-j", "4"])
        .timeout(std::time::Duration::from_secs(300))
        .run();
    out.assert_code(0);
    let hex = pattern_hash(LEN);
    let expected: Vec<String> = urls.iter().map(|u| format!("{hex}  {u}")).collect();
    assert_eq!(out.stdout_lines(), expected);
    let rss = out.max_rss;
    assert!(
        rss.is_some() || !cfg!(target_os = "linux"),
        "the peak is read on Linux"
    );
    let rss = rss.unwrap_or(0);
    assert!(
        rss <= 64 << 20,
        "4 × 128 MiB at once peaked at {} MiB",
        rss >> 20
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_downloads_in_flight_at_once() {
    use std::time::{Duration, Instant};
    let body: Vec<u8> = (0..1u32 << 20).map(|i| i as u8).collect();
    let stall = Route::Stall(body, Duration::from_secs(20));
    let server = Server::start(vec![("/a.gvmi", stall.clone()), ("/b.gvmi", stall)]);
    let home = tempfile::tempdir().unwrap();
    let mut running = gvmi_in(home.path())
        .args(["hash", &server.url("/a.gvmi"), &server.url("/b.gvmi")])
        .timeout(Duration::from_secs(30))
        .start();
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        !running.exited(),
        "both downloads stall: gvmi is still waiting"
    );
    let pid = running.pid() as libc::pid_t;
    // SAFETY: kill(2) on the child this test started.
    let sent = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(sent, 0);
    let sent = Instant::now();
    let out = running.wait();
    let took = sent.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?} after Ctrl-C");
    assert_ne!(out.code, Some(0), "{}", out.stderr());
    assert_eq!(out.stdout(), "", "no hash for a download cut short");
}
