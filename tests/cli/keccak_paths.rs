//! Every Keccak dispatch path (`sha3_fast::Backend`) and both read paths
//! (inline, read-ahead) give python3's `hashlib.sha3_224`, byte for byte.
//! Under `CI=true` a missing python3, or a CPU without BMI1/BMI2 (which
//! would leave the `bmi` path untested), fails instead of skipping.


use std::io::{self, Read};
use std::time::{Duration, Instant};

use crate::cli_support::*;
use gvmi::cancel::CancelToken;
use gvmi::hasher::{self, HashFailure};
use gvmi::readahead::{self, hash_reader_overlapped};
use gvmi::sha3_fast::{hash_with, Backend, Sha3_224, BACKEND_ENV};

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

/// Every backend, with the CPU's support checked: `bmi` must run here under CI.
fn backends() -> Vec<Backend> {
    #[cfg(target_arch = "x86_64")]
    prerequisite(
        Backend::Bmi.is_supported(),
        "a CPU with BMI1 and BMI2 (for the bmi Keccak path)",
    );
    Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .collect()
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
            assert_eq!(h.backend(), b);
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
        let ahead = hash_reader_overlapped(&bytes[..], &none, |n| seen.push(n)).unwrap();
        assert_eq!(ahead, inline, "{len} bytes");
        assert_eq!(inline.0, hash_with(Backend::Reference, &bytes).unwrap());
        assert_eq!(seen.last().copied().unwrap_or(0), len as u64);
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "running totals");
        let trickled = hash_reader_overlapped(
            Trickle {
                data: &bytes,
                step: 1,
            },
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
    let r = hash_reader_overlapped(Endless, &token, |done| {
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
