//! Every Keccak dispatch path (`sha3_fast::Backend`) and both read paths
//! (inline, read-ahead) give python3's `hashlib.sha3_224`, byte for byte.
//! Under `CI=true` a missing python3 fails instead of skipping; a backend
//! this CPU cannot run is a visible SKIPPED line, under CI too, and every
//! one it can run is tested (`GVMI_CPU_WITHOUT` hides features, so the
//! whole suite also runs as on a CPU without AVX-512 or AVX2).

use std::io::{self, Read};
use std::time::{Duration, Instant};

use crate::support::*;
use gvmi_core::cancel::CancelToken;
use gvmi_core::hasher::readahead::{self, hash_reader_overlapped};
use gvmi_core::hasher::{self, HashFailure};
use gvmi_core::sha3_fast::{hash_with, Backend, Sha3_224, BACKEND_ENV};

const MIB: usize = 1 << 20;

/// Boundary sizes (the 144-byte rate, the 1 MiB read buffer, the
/// read-ahead threshold) and a few pseudo-random ones.
fn sizes() -> Vec<usize> {
    let mut v = vec![0, 1, 143, 144, 145, 287, 288, 289, MIB - 1, MIB, MIB + 1];
    let mut prng = Prng::new(7);
    for _ in 0..4 {
        v.push((prng.next_u64() % (3 * MIB as u64)) as usize);
    }
    v.push(readahead::READAHEAD_MIN as usize + 4321);
    v
}

fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut v = vec![0u8; len];
    Prng::new(seed).fill(&mut v);
    v
}

/// Every backend this CPU runs; each one it cannot is said (SKIPPED).
fn backends() -> Vec<Backend> {
    #[cfg(target_arch = "x86_64")]
    for b in [
        Backend::Bmi,
        Backend::Avx2,
        Backend::Avx512Vl,
        Backend::Avx512,
        Backend::Avx512x1,
    ] {
        let subject = format!("the {} Keccak path", b.name());
        cpu_has(b.is_supported(), &subject, needs(b));
    }
    Backend::supported().collect()
}

/// What a backend needs of the CPU, in words.
#[cfg(target_arch = "x86_64")]
fn needs(b: Backend) -> &'static str {
    match b {
        Backend::Bmi => "BMI1 and BMI2",
        Backend::Avx2 => "AVX2",
        Backend::Avx512Vl => "AVX-512F and AVX-512VL",
        Backend::Avx512 | Backend::Avx512x1 => "AVX-512F",
        Backend::Reference | Backend::Portable => "nothing special",
    }
}

/// Whether the CPU itself has what `b` needs, asked without gvmi's
/// detection (and so without `GVMI_CPU_WITHOUT`).
#[cfg(target_arch = "x86_64")]
fn cpu_runs(b: Backend) -> bool {
    use std::arch::is_x86_feature_detected as has;
    match b {
        Backend::Reference | Backend::Portable => true,
        Backend::Bmi => has!("bmi1") && has!("bmi2"),
        Backend::Avx2 => has!("avx2"),
        Backend::Avx512Vl => has!("avx512f") && has!("avx512vl"),
        Backend::Avx512 | Backend::Avx512x1 => has!("avx512f"),
    }
}

/// The feature `GVMI_CPU_WITHOUT` names to hide `b`.
#[cfg(target_arch = "x86_64")]
fn feature_of(b: Backend) -> Option<gvmi_core::sha3_fast::cpu::Feature> {
    use gvmi_core::sha3_fast::cpu::Feature;
    match b {
        Backend::Reference | Backend::Portable => None,
        Backend::Bmi => Some(Feature::Bmi),
        Backend::Avx2 => Some(Feature::Avx2),
        Backend::Avx512Vl | Backend::Avx512 | Backend::Avx512x1 => Some(Feature::Avx512),
    }
}

/// python3's answer for `bytes`, through a file (as the other oracles).
fn python_of(dir: &std::path::Path, bytes: &[u8]) -> String {
    let path = dir.join("x.bin");
    std::fs::write(&path, bytes).unwrap();
    python_sha3_224(&path)
}

#[test]
fn every_backend_equals_python_whole_and_streamed_in_odd_pieces() {
    if !require_tool("python3") {
        return;
    }
    let backends = backends();
    assert!(backends.contains(&Backend::Portable) && backends.contains(&Backend::Reference));
    let dir = tempdir();
    let mut prng = Prng::new(99);
    for (i, len) in sizes().into_iter().enumerate() {
        let bytes = data(len, i as u64);
        let want = python_of(dir.path(), &bytes);
        for &b in &backends {
            assert_eq!(
                hash_with(b, &bytes).unwrap().to_hex(),
                want,
                "{b:?}, {len} bytes"
            );
            // Streamed: pieces of odd sizes, some crossing block edges, some empty.
            let mut h = Sha3_224::with_backend(b).unwrap();
            assert_eq!(h.backend(), b.scalar());
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let pick = [0, 1, 7, 143, 145, 1000, 65_537][(prng.next_u64() % 7) as usize];
                let (piece, tail) = rest.split_at(pick.min(rest.len()));
                h.update(piece);
                rest = tail;
            }
            assert_eq!(h.finalize().to_hex(), want, "{b:?} streamed, {len} bytes");
        }
    }
}

#[test]
fn gvmi_hash_under_each_forced_backend_equals_python() {
    if !require_tool("python3") {
        return;
    }
    let dir = tempdir();
    // One small file (inline read) and one read-ahead file.
    let small = dir.path().join("small.gvmi");
    let big = dir.path().join("big.gvmi");
    write_prng_file(&small, 12_345, 1);
    write_prng_file(&big, readahead::READAHEAD_MIN + 999, 2);
    let want = vec![
        format!("{}  ./big.gvmi", python_sha3_224(&big)),
        format!("{}  ./small.gvmi", python_sha3_224(&small)),
    ];
    // --no-cache: every run must really hash, under its own backend.
    for b in backends() {
        let out = gvmi(["hash", "--no-cache", "."])
            .env(BACKEND_ENV, b.name())
            .cwd(dir.path())
            .run();
        out.assert_code(0);
        assert!(out.stderr.is_empty(), "{b:?}: {}", out.stderr());
        assert_eq!(out.stdout_lines(), want, "{b:?}");
    }
    // A name gvmi does not know is said, then ignored.
    let out = gvmi(["hash", "--no-cache", "."])
        .env(BACKEND_ENV, "avx9000")
        .cwd(dir.path())
        .run();
    out.assert_code(0);
    assert!(out.stderr().contains("GVMI_KECCAK"), "{}", out.stderr());
    assert_eq!(out.stdout_lines(), want);
}

/// Hands out `data` in pieces of varying size, as a pipe or slow disk might.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.step = (self.step * 7 + 3) % 200_003;
        let n = self.data.len().min(buf.len()).min(self.step + 1);
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn read_ahead_gives_what_the_inline_path_gives() {
    let none = CancelToken::new();
    for len in [0, 1, 145, MIB - 1, MIB + 1, 5 * MIB + 3] {
        let bytes = data(len, len as u64);
        let inline = hasher::hash_reader(&bytes[..], &none, |_| {}).unwrap();
        let mut seen = Vec::new();
        let ahead =
            hash_reader_overlapped(&bytes[..], Sha3_224::new(), &none, |n| seen.push(n)).unwrap();
        assert_eq!(ahead, inline, "{len} bytes");
        assert_eq!(inline.0, hash_with(Backend::Reference, &bytes).unwrap());
        assert_eq!(seen.last().copied().unwrap_or(0), len as u64);
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "running totals");
        let trickled = hash_reader_overlapped(
            Trickle {
                data: &bytes,
                step: 1,
            },
            Sha3_224::new(),
            &none,
            |_| {},
        );
        assert_eq!(trickled.unwrap(), inline, "{len} bytes in pieces");
    }
}

/// Endless input: only cancellation can end a read of it.
struct Endless;

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        buf.fill(0x5a);
        Ok(buf.len())
    }
}

#[test]
fn read_ahead_stops_on_cancel_and_its_reader_thread_ends() {
    let token = CancelToken::new();
    let start = Instant::now();
    let r = hash_reader_overlapped(Endless, Sha3_224::new(), &token, |done| {
        if done >= 3 * MIB as u64 {
            token.cancel();
        }
    });
    assert_eq!(r, Err(HashFailure::Cancelled));
    // Returning at all proves the reader thread was joined (it never ends
    // on its own); it must also be prompt.
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_big_file_with_a_cancelled_token_is_cancelled_not_hashed() {
    let dir = tempdir();
    let path = dir.path().join("big.gvmi");
    write_prng_file(&path, readahead::READAHEAD_MIN * 2, 3);
    let token = CancelToken::new();
    token.cancel();
    let r = hasher::hash_file(&path, &token, |_| {});
    assert_eq!(r.unwrap_err(), HashFailure::Cancelled);
    let ok = hasher::hash_file(&path, &CancelToken::new(), |_| {}).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(ok.digest, hash_with(Backend::Reference, &bytes).unwrap());
}

/// The Keccak team's SHA3-224 known answers (tests/data, with provenance).
fn known_answers() -> Vec<(Vec<u8>, String)> {
    let text = include_str!("../data/sha3_224_short_msg_kat.txt");
    let mut out = Vec::new();
    let (mut len, mut msg) = (None, None);
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("Len = ") {
            len = Some(v.parse::<usize>().unwrap() / 8);
        } else if let Some(v) = line.strip_prefix("Msg = ") {
            let bytes: Vec<u8> = (0..v.len() / 2)
                .map(|i| u8::from_str_radix(&v[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            msg = Some(bytes[..len.unwrap()].to_vec());
        } else if let Some(v) = line.strip_prefix("MD = ") {
            out.push((msg.take().unwrap(), v.to_ascii_lowercase()));
        }
    }
    out
}

#[test]
fn every_backend_gives_the_known_answers_alone_and_side_by_side_in_lanes() {
    let kat = known_answers();
    assert_eq!(kat.len(), 256, "0 to 255 bytes");
    for &b in &backends() {
        for (msg, md) in &kat {
            let got = hash_with(b, msg).unwrap().to_hex();
            assert_eq!(&got, md, "{b:?}, {} bytes", msg.len());
        }
        // Lanes of different lengths in one sponge set: no lane may leak
        // into another, whatever each one's length.
        for group in kat.chunks(b.lanes().max(2)).filter(|_| b.lanes() > 1) {
            let msgs: Vec<&[u8]> = group.iter().map(|(m, _)| &m[..]).collect();
            let got =
                gvmi_core::sha3_fast::hash_lanes(b, &msgs[..b.lanes().min(msgs.len())]).unwrap();
            for ((_, md), d) in group.iter().zip(got) {
                assert_eq!(&d.to_hex(), md, "{b:?} in lanes");
            }
        }
    }
}

/// A backend is skipped only when the CPU lacks its feature or
/// `GVMI_CPU_WITHOUT` hides it: never because detection went wrong.
#[test]
#[cfg(target_arch = "x86_64")]
fn every_backend_the_cpu_has_is_tested_unless_hidden() {
    use gvmi_core::sha3_fast::cpu;
    let tested = backends();
    for b in Backend::ALL {
        let hidden = feature_of(b).is_some_and(cpu::hidden);
        let want = cpu_runs(b) && !hidden;
        assert_eq!(tested.contains(&b), want, "{b:?}: hidden {hidden}");
    }
}

/// `GVMI_CPU_WITHOUT` makes the binary run as on a CPU without the
/// feature: detection says no, `GVMI_KECCAK` cannot force it, hashes
/// stay right, and `gvmi hash -v` says what ran and what was hidden.
#[test]
#[cfg(target_arch = "x86_64")]
fn hidden_cpu_features_are_not_run_and_hashes_stay_right() {
    use gvmi_core::sha3_fast::cpu::HIDE_ENV;
    let dir = tempdir();
    let file = dir.path().join("x.gvmi");
    write_prng_file(&file, 3 * 144 + 5, 21);
    let want = format!(
        "{}  x.gvmi",
        hash_with(Backend::Reference, &std::fs::read(&file).unwrap())
            .unwrap()
            .to_hex()
    );
    let hides: [(&str, &[Backend]); 4] = [
        ("", &[]),
        (
            "avx512",
            &[Backend::Avx512, Backend::Avx512Vl, Backend::Avx512x1],
        ),
        (
            "avx2",
            &[
                Backend::Avx2,
                Backend::Avx512Vl,
                Backend::Avx512,
                Backend::Avx512x1,
            ],
        ),
        (
            "bmi,avx2",
            &[
                Backend::Bmi,
                Backend::Avx2,
                Backend::Avx512Vl,
                Backend::Avx512,
                Backend::Avx512x1,
            ],
        ),
    ];
    for (hide, gone) in hides {
        let runs: Vec<&str> = Backend::ALL
            .into_iter()
            .filter(|b| cpu_runs(*b) && !gone.contains(b))
            .map(Backend::name)
            .collect();
        let out = gvmi(["hash", "-v", "--no-cache", "x.gvmi"])
            .env(HIDE_ENV, hide)
            .cwd(dir.path())
            .run();
        out.assert_code(0);
        assert_eq!(out.stdout_lines(), std::slice::from_ref(&want), "{hide:?}");
        let said = format!("this CPU runs {}", runs.join(", "));
        assert!(out.stderr().contains(&said), "{hide:?}: {}", out.stderr());
        let hidden_said = format!("{HIDE_ENV} hides");
        assert_eq!(out.stderr().contains(&hidden_said), !hide.is_empty());
        for b in gone {
            let forced = gvmi(["hash", "--no-cache", "x.gvmi"])
                .env(HIDE_ENV, hide)
                .env(BACKEND_ENV, b.name())
                .cwd(dir.path())
                .run();
            forced.assert_code(0);
            assert_eq!(
                forced.stdout_lines(),
                std::slice::from_ref(&want),
                "{hide:?} {b:?}"
            );
            let refused = format!("{BACKEND_ENV}={} is not supported by this CPU", b.name());
            assert!(forced.stderr().contains(&refused), "{}", forced.stderr());
        }
    }
    // A name it does not know is said, then ignored.
    let out = gvmi(["hash", "--no-cache", "x.gvmi"])
        .env(HIDE_ENV, "avx9000")
        .cwd(dir.path())
        .run();
    out.assert_code(0);
    assert!(out.stderr().contains("avx9000"), "{}", out.stderr());
}

/// Sizes for one batch in lanes: every edge of the 144-byte block, then
/// pseudo-random ones up to 9 MiB, 64 files in all.
fn lane_batch_sizes() -> Vec<usize> {
    let mut v = vec![0, 1, 143, 144, 145, 287, 288, 289];
    let mut prng = Prng::new(64);
    while v.len() < 64 {
        let big = v.len() % 8 == 0;
        let cap = if big { 9 * MIB } else { 300_000 };
        v.push((prng.next_u64() % cap as u64) as usize);
    }
    v
}

#[test]
fn sixty_four_files_in_lanes_equal_python_under_every_backend() {
    if !require_tool("python3") {
        return;
    }
    let dir = tempdir();
    for (i, len) in lane_batch_sizes().into_iter().enumerate() {
        write_prng_file(
            &dir.path().join(format!("f{i:02}.gvmi")),
            len as u64,
            i as u64,
        );
    }
    let want: Vec<String> = {
        let script = "import hashlib,os,sys\nfor n in sorted(os.listdir(sys.argv[1])):\n print(hashlib.sha3_224(open(os.path.join(sys.argv[1],n),'rb').read()).hexdigest()+'  ./'+n)";
        let out = tool("python3", ["-c", script]).arg(dir.path()).run();
        out.assert_code(0).stdout_lines()
    };
    assert_eq!(want.len(), 64);
    for b in backends() {
        // One worker: all 64 files go through its lanes; two: shared.
        for jobs in ["1", "2"] {
            let out = gvmi(["hash", "--no-cache", "--jobs", jobs, "."])
                .env(BACKEND_ENV, b.name())
                .cwd(dir.path())
                .run();
            out.assert_code(0);
            assert_eq!(out.stdout_lines(), want, "{b:?}, --jobs {jobs}");
        }
    }
}

/// 8 files of 8 MiB as engine jobs, with the stamps discovery would give.
fn engine_batch(dir: &std::path::Path) -> Vec<gvmi_core::engine::Job> {
    (0..8)
        .map(|i| {
            let path = dir.join(format!("lane{i}.gvmi"));
            write_prng_file(&path, 8 * MIB as u64, 100 + i as u64);
            let stamp = gvmi_core::fsmeta::FileStamp::of(&std::fs::metadata(&path).unwrap());
            gvmi_core::engine::Job {
                id: i,
                path,
                stamp: Some(stamp),
            }
        })
        .collect()
}

/// Every job's `Finished`, then proof that every worker is gone: once the
/// engine is dropped the channel disconnects only when no worker holds it.
pub(crate) fn drain_finished(
    engine: gvmi_core::engine::Engine,
    rx: &crossbeam_channel::Receiver<gvmi_core::event::JobEvent>,
    jobs: usize,
    mut on_event: impl FnMut(&gvmi_core::event::JobEvent),
) -> Vec<Result<gvmi_core::hasher::Hashed, HashFailure>> {
    let mut results = vec![None; jobs];
    let deadline = Instant::now() + Duration::from_secs(120);
    while results.iter().any(Option::is_none) {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = rx.recv_timeout(left).expect("every job finishes");
        on_event(&event);
        if let gvmi_core::event::JobEvent::Finished { id, result } = event {
            assert!(results[id].is_none(), "job {id} finished twice");
            results[id] = Some(result);
        }
    }
    drop(engine);
    while let Ok(event) = rx.recv_timeout(Duration::from_secs(60)) {
        assert!(
            !matches!(event, gvmi_core::event::JobEvent::Finished { .. }),
            "a Finished after all jobs had finished"
        );
    }
    results.into_iter().map(Option::unwrap).collect()
}

#[test]
fn a_file_changed_in_one_lane_fails_alone_and_the_others_are_hashed() {
    let dir = tempdir();
    let jobs = engine_batch(dir.path());
    let victim = jobs[3].path.clone();
    let want: Vec<_> = jobs
        .iter()
        .map(|j| hash_with(Backend::Reference, &std::fs::read(&j.path).unwrap()).unwrap())
        .collect();
    for b in backends() {
        // A rendezvous channel: the worker waits at each event until it is
        // taken, so the file is changed while its lane is mid-way.
        let (tx, rx) = crossbeam_channel::bounded(0);
        let engine = gvmi_core::engine::Engine::with_backend(Some(1), tx, b).unwrap();
        engine.submit(jobs.clone(), &engine.batch_token());
        let mut changed = false;
        let results = drain_finished(engine, &rx, jobs.len(), |event| {
            if let gvmi_core::event::JobEvent::Progress { id: 3, done } = event {
                if !changed && *done < 4 * MIB as u64 {
                    use std::io::{Seek, SeekFrom, Write};
                    let mut f = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&victim)
                        .unwrap();
                    f.seek(SeekFrom::Start(6 * MIB as u64)).unwrap();
                    f.write_all(b"rebuilt").unwrap();
                    changed = true;
                }
            }
        });
        assert!(changed, "{b:?}: the victim reported progress mid-way");
        for (i, r) in results.iter().enumerate() {
            match i {
                3 => assert_eq!(r, &Err(HashFailure::Changed), "{b:?}"),
                _ => assert_eq!(r.as_ref().unwrap().digest, want[i], "{b:?} lane {i}"),
            }
        }
        write_prng_file(&victim, 8 * MIB as u64, 103); // as before, for the next backend
    }
}

#[test]
fn cancelling_mid_batch_finishes_every_job_and_ends_every_worker() {
    let dir = tempdir();
    let jobs = engine_batch(dir.path());
    for b in backends() {
        let (tx, rx) = crossbeam_channel::bounded(0);
        let engine = gvmi_core::engine::Engine::with_backend(Some(2), tx, b).unwrap();
        let token = engine.batch_token();
        engine.submit(jobs.clone(), &token);
        let results = drain_finished(engine, &rx, jobs.len(), |event| {
            if matches!(event, gvmi_core::event::JobEvent::Progress { .. }) {
                token.cancel();
            }
        });
        assert!(
            results.iter().any(|r| r == &Err(HashFailure::Cancelled)),
            "{b:?}: {results:?}"
        );
    }
}
