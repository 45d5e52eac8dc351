//! The two ways bytes reach Keccak give python3's hash at every size that
//! matters: mapped (`hasher::mapped`, files from `MAP_MIN` up) and read
//! (smaller files, and everything under `GVMI_MMAP=off`), around the
//! 144-byte block, the mapping threshold, a lane's round and the step at
//! which mapped pages are dropped behind the reader; in lanes and alone,
//! on every backend. And a file truncated while mapped costs its row
//! ("changed while being hashed"), never the process.

use crate::keccak_paths::drain_finished;
use crate::support::*;
use gvmi_core::cancel::CancelToken;
use gvmi_core::engine::{Engine, Job};
use gvmi_core::event::JobEvent;
use gvmi_core::fsmeta::mapped::RELEASE_STEP;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::mapped::{MAP_MIN, MMAP_ENV};
use gvmi_core::hasher::{self, HashFailure};
use gvmi_core::sha3_fast::{hash_with, Backend, BACKEND_ENV};

/// A lane's round: `engine::feed::LANE_BUF`.
const ROUND: u64 = 144 * 1820;

fn feeding_sizes() -> Vec<u64> {
    let (m, step) = (MAP_MIN, RELEASE_STEP as u64);
    let mut v = vec![m - 145, m - 144, m - 1, m, m + 1, m + 143, m + 144, m + 145];
    v.extend([ROUND - 1, ROUND, ROUND + 1, 2 * ROUND + 7]);
    v.extend([3 * step + 5 * 144, 3 * step - 1, (4 << 20) + 1]);
    v
}

fn write_sizes(dir: &std::path::Path) -> Vec<String> {
    let mut want = Vec::new();
    for (i, size) in feeding_sizes().into_iter().enumerate() {
        let path = dir.join(format!("f{i:02}.gvmi"));
        write_prng_file(&path, size, 500 + i as u64);
        want.push(format!("{}  ./f{i:02}.gvmi", python_sha3_224(&path)));
    }
    want
}

#[test]
fn mapped_and_read_files_equal_python_in_lanes_and_alone_on_every_backend() {
    if !require_tool("python3") {
        return;
    }
    let dir = tempdir();
    let want = write_sizes(dir.path());
    for b in Backend::supported() {
        for mmap in ["on", "off"] {
            // One worker: every file through its lanes, the last alone;
            // two: shared.
            for jobs in ["1", "2"] {
                let out = gvmi(["hash", "--no-cache", "--jobs", jobs, "."])
                    .env(BACKEND_ENV, b.name())
                    .env(MMAP_ENV, mmap)
                    .cwd(dir.path())
                    .run();
                out.assert_code(0);
                assert_eq!(
                    out.stdout_lines(),
                    want,
                    "{b:?}, mmap {mmap}, --jobs {jobs}"
                );
            }
        }
    }
}

#[test]
fn one_file_mapped_equals_the_reference_with_progress_to_its_size() {
    let dir = tempdir();
    for (i, size) in feeding_sizes().into_iter().enumerate() {
        let path = dir.path().join(format!("one{i}.gvmi"));
        write_prng_file(&path, size, 700 + i as u64);
        let mut last = 0;
        let got = hasher::hash_file(&path, &CancelToken::new(), |n| last = n).unwrap();
        let want = hash_with(Backend::Reference, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(got.digest, want, "{size} bytes");
        assert_eq!(last, size, "{size} bytes: progress ends at the size");
    }
}

/// A truncated file under a mapping raises SIGBUS on the next read of a
/// page past its new end: gvmi's handler must turn it into that row's
/// `Changed` while every other file is hashed. Run on the one-file-at-a-
/// time engine (scalar) and, where the CPU has lanes, in lanes.
#[test]
fn a_file_truncated_while_mapped_is_changed_and_the_batch_goes_on() {
    let dir = tempdir();
    let jobs: Vec<Job> = (0..4)
        .map(|i| {
            let path = dir.path().join(format!("t{i}.gvmi"));
            write_prng_file(&path, 8 << 20, 900 + i as u64);
            let stamp = FileStamp::of(&std::fs::metadata(&path).unwrap());
            Job {
                id: i,
                path,
                stamp: Some(stamp),
            }
        })
        .collect();
    let want: Vec<_> = jobs
        .iter()
        .map(|j| hash_with(Backend::Reference, &std::fs::read(&j.path).unwrap()).unwrap())
        .collect();
    let wide = [Backend::Avx2, Backend::Avx512Vl, Backend::Avx512]
        .into_iter()
        .find(|b| b.is_supported());
    cpu_has(wide.is_some(), "truncation under a mapped lane", "AVX2");
    let victim = jobs[2].path.clone();
    for b in std::iter::once(Backend::Portable).chain(wide) {
        let caught = gvmi_core::fsmeta::sigbus::faults_caught();
        // A rendezvous channel: the worker waits at each event until it is
        // taken, so the file shrinks while its mapping is being read.
        let (tx, rx) = crossbeam_channel::bounded(0);
        let engine = Engine::with_backend(Some(1), tx, b).unwrap();
        engine.submit(jobs.clone(), &engine.batch_token());
        let mut cut = false;
        let results = drain_finished(engine, &rx, jobs.len(), |event| {
            if let JobEvent::Progress { id: 2, done } = event {
                if !cut && *done < 4 << 20 {
                    let f = std::fs::OpenOptions::new().write(true).open(&victim);
                    f.unwrap().set_len(1 << 20).unwrap();
                    cut = true;
                }
            }
        });
        assert!(cut, "{b:?}: the victim reported progress mid-way");
        for (i, r) in results.iter().enumerate() {
            match i {
                2 => assert_eq!(r, &Err(HashFailure::Changed), "{b:?}"),
                _ => assert_eq!(r.as_ref().unwrap().digest, want[i], "{b:?} file {i}"),
            }
        }
        assert!(
            gvmi_core::fsmeta::sigbus::faults_caught() > caught,
            "{b:?}: the read past the new end faulted and was caught"
        );
        assert_eq!(
            HashFailure::Changed.to_string(),
            "changed while being hashed; no hash given"
        );
        write_prng_file(&victim, 8 << 20, 902); // as before, for the next backend
    }
}

/// `gvmi __keccak-rates` (what `benches/compare.sh` divides by): the
/// backend in force, its lanes, and positive in-memory rates.
#[test]
fn keccak_rates_names_the_backend_in_force_and_measures_it() {
    for b in Backend::supported() {
        let out = gvmi(["__keccak-rates"]).env(BACKEND_ENV, b.name()).run();
        out.assert_code(0);
        let line = out.stdout_lines().join("\n");
        let field = |key: &str| {
            line.split(' ')
                .find_map(|w| w.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("{key} in {line:?}"))
                .to_string()
        };
        assert_eq!(field("backend"), b.name(), "{line}");
        assert_eq!(field("lanes"), b.lanes().to_string(), "{line}");
        // The one-stream sponge is measured per process (it may differ
        // from this one's near the margin): one this CPU runs.
        let scalar = Backend::from_name(&field("scalar")).expect("a backend");
        assert!(scalar.is_supported() && scalar.lanes() == 1, "{line}");
        if b.lanes() == 1 {
            assert_eq!(scalar, b, "{line}");
        }
        assert!(field("scalar_rate").parse::<f64>().unwrap() > 0.0, "{line}");
        match b.lanes() {
            1 => assert_eq!(field("lane_rate"), "-", "{line}"),
            _ => assert!(field("lane_rate").parse::<f64>().unwrap() > 0.0, "{line}"),
        }
    }
}
