//! The core's remote reader (`gvmi_core::remote::Stream`) against a server
//! on 127.0.0.1: the bytes whole and in order whatever the read sizes, a
//! short or long body refused with its words, cancellation seen at once.

use std::io::Read;
use std::time::{Duration, Instant};

use crate::support::http_server::{Route, Server};
use gvmi_core::cancel::CancelToken;
use gvmi_core::remote::{failure_of, Failure, Options, Stream};

fn body(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

fn read_all(stream: &mut Stream) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    // Odd read sizes: the reader hands out its buffers in any pieces.
    let mut buf = vec![0u8; 7919];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return Err(failure_of(&e).expect("a stream failure").clone()),
        }
    }
}

#[test]
fn a_body_arrives_whole_across_its_buffers_and_redirects() {
    let big = body(3 << 20);
    let server = Server::start(vec![
        ("/big.gvmi", Route::Bytes(big.clone())),
        ("/moved", Route::Redirect("/big.gvmi".into())),
        ("/empty.gvmi", Route::Bytes(Vec::new())),
    ]);
    let opts = Options::default();
    for path in ["/big.gvmi", "/moved"] {
        let mut stream = Stream::open(&server.url(path), None, &opts, &CancelToken::new());
        assert!(read_all(&mut stream).unwrap() == big, "{path}");
        assert_eq!(stream.received(), big.len() as u64);
        let verified = stream.verified().expect("ended whole");
        assert!(verified.final_url.ends_with("/big.gvmi"));
    }
    let mut empty = Stream::open(&server.url("/empty.gvmi"), None, &opts, &CancelToken::new());
    assert_eq!(read_all(&mut empty).unwrap(), b"");
}

#[test]
fn short_long_and_refused_bodies_fail_with_their_words() {
    let b = body(100_000);
    let server = Server::start(vec![
        ("/short.gvmi", Route::Truncated(b.clone(), 3000)),
        ("/a.gvmi", Route::Bytes(b.clone())),
        ("/gone.gvmi", Route::Status(404)),
    ]);
    let opts = Options::default();
    let token = CancelToken::new();
    let failure = |path: &str, size| {
        let mut stream = Stream::open(&server.url(path), size, &opts, &token);
        read_all(&mut stream).unwrap_err()
    };
    assert!(matches!(
        failure("/short.gvmi", None),
        Failure::Truncated {
            received: 3000,
            expected: 100_000
        }
    ));
    // A listing said 5000 bytes: the server's Content-Length disagrees.
    assert!(matches!(
        failure("/a.gvmi", Some(5000)),
        Failure::SizeMismatch { .. }
    ));
    let gone = failure("/gone.gvmi", None);
    assert_eq!(gone.status(), Some(404));
    assert!(gone.to_string().contains("answered 404"), "{gone}");
    assert!(
        !gone.to_string().contains("HEAD"),
        "no HEAD was sent: {gone}"
    );
}

#[test]
fn cancelling_stops_a_stalled_download_at_once() {
    let b = body(1 << 20);
    let server = Server::start(vec![(
        "/stall.gvmi",
        Route::Stall(b, Duration::from_secs(8)),
    )]);
    let token = CancelToken::new();
    let mut stream = Stream::open(
        &server.url("/stall.gvmi"),
        None,
        &Options::default(),
        &token,
    );
    let canceller = token.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        canceller.cancel();
    });
    let started = Instant::now();
    let failure = read_all(&mut stream).unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(failure.to_string().contains("cancelled"), "{failure}");
}

/// Downloads in SIMD lanes (`remote::lanes`): every body's hash is the
/// library's of its bytes, and a server that stalls one body holds no
/// other back (its lane goes on alone).
#[test]
fn lanes_hash_every_body_and_a_stall_holds_no_other_back() {
    use gvmi_core::remote::lanes::{self, Opener, Report};
    use std::sync::Mutex;
    if !crate::support::cpu_has(lanes::available(), "downloads in lanes", "AVX2") {
        return;
    }
    let bodies: Vec<Vec<u8>> = [0usize, 143, 144, 1000, 3 << 20, 5_000_017]
        .iter()
        .map(|&n| body(n))
        .collect();
    let mut routes: Vec<(String, Route)> = (bodies.iter().enumerate())
        .map(|(i, b)| (format!("/b{i}.gvmi"), Route::Bytes(b.clone())))
        .collect();
    routes.push((
        "/stall.gvmi".into(),
        Route::Stall(body(1 << 20), Duration::from_secs(3)),
    ));
    let server = Server::start(
        routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    let opts = Options {
        read_timeout: Duration::from_secs(2),
        ..Options::default()
    };
    let urls: Vec<String> = routes.iter().map(|(p, _)| server.url(p)).collect();
    // The stalled body first: the others share lanes with it.
    let order: Vec<usize> = std::iter::once(urls.len() - 1)
        .chain(0..urls.len() - 1)
        .collect();
    let jobs = order.iter().map(|&i| {
        let (url, opts) = (urls[i].clone(), opts);
        let open: Opener = Box::new(move |cancel| Stream::open(&url, None, &opts, cancel));
        (i, open)
    });
    let started = Instant::now();
    let done = Mutex::new(Vec::new());
    let report = |r: Report| {
        if let Report::Done(id, result) = r {
            done.lock().unwrap().push((id, result, started.elapsed()));
        }
    };
    lanes::hash_in_lanes(jobs, 8, &CancelToken::new(), &report);
    let done = done.into_inner().unwrap();
    assert_eq!(done.len(), urls.len());
    for (id, result, took) in &done {
        if *id == urls.len() - 1 {
            assert!(result.is_err(), "a stalled body has no hash");
            continue;
        }
        let token = CancelToken::new();
        let want = gvmi_core::hasher::hash_reader(&bodies[*id][..], &token, |_| {}).unwrap();
        assert_eq!(result.as_ref().unwrap(), &want, "body {id}");
        assert!(
            *took < Duration::from_millis(1500),
            "body {id} took {took:?}: held back by the stalled one"
        );
    }
}
