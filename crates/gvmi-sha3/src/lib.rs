//! SHA3-224 at the CPU's speed, without raising the binary's minimum CPU.
//!
//! One file's hash is sequential, so a single image is hashed by one core
//! at the speed of the Keccak permutation; a batch of files is hashed
//! several per core, one per SIMD lane. Five backends:
//!
//! - `reference`: the RustCrypto `sha3` crate, the known-good path and the
//!   scalar default wherever `bmi` cannot run (other CPUs, architectures);
//! - `portable`: our own small sponge, baseline instructions: the same
//!   source as `bmi`, kept so tests and benchmarks can tell the sponge's
//!   correctness and speed apart from the instruction set's;
//! - `bmi`: that sponge compiled with BMI1 + BMI2 (`andn` for chi, `rorx`
//!   for the rotations), entered only when the CPU has them;
//! - `avx512x1`: one state in five AVX-512 registers (`avx512x1.rs`), used
//!   for one stream only where [`Backend::one_stream`] measures it at least
//!   10% faster than `bmi`;
//! - `avx2`, `avx512vl`, `avx512`: [`WideSponge`], 4, 4 or 8 independent
//!   sponges in the lanes of vector registers (`rounds.rs` holds the
//!   permutation once, `avx2.rs` (two builds) and `avx512.rs` expand it; blocks enter through a
//!   transpose, never a gather). They absorb whole blocks only: the engine's
//!   lane scheduler finishes each file's last block on the scalar sponge
//!   ([`Backend::scalar`]), and a lone stream uses that sponge throughout.
//!
//! Every fast path is compiled inside a `#[target_feature]` function and
//! entered only through a token type that exists only after run-time
//! detection said the CPU has the feature, so dispatch is safe by
//! construction. [`Backend::active`] picks the fastest supported backend
//! once; `GVMI_KECCAK=reference|portable|bmi|avx512x1|avx2|avx512vl|avx512` forces one,
//! and `GVMI_CPU_WITHOUT=avx512|avx2|bmi` ([`cpu`]) makes detection say no,
//! as on a CPU without the feature.
//!
//! The `sha3` crate cannot serve the fast path: `keccak` 0.2 hands its
//! permutation out as a function pointer (`Keccak::with_f1600`), which LLVM
//! does not inline into a `#[target_feature]` caller (tried: no `andn` or
//! `rorx` in the binary, same speed).
//!
//! A crate of its own so that test builds compile it optimized (the root
//! Cargo.toml's profile override): unoptimized SIMD intrinsics run ~100×
//! slower, which would make every test that hashes crawl.

mod backend;
pub mod cpu;
mod keccak;
pub mod rates;
mod rounds;
mod wide;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(target_arch = "x86_64")]
mod avx512x1;
#[cfg(target_arch = "x86_64")]
mod bmi;

pub mod digest;

pub use wide::{hash_lanes, WideSponge};

/// Elsewhere there is no BMI path: an uninhabited token, never made.
#[cfg(not(target_arch = "x86_64"))]
mod bmi {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Bmi {}

    impl Bmi {
        pub(super) fn detect() -> Option<Bmi> {
            None
        }

        pub(super) fn absorb_blocks(self, _: &mut [u64; 25], _: &[u8]) {
            match self {}
        }
    }
}

use std::sync::OnceLock;

use sha3::Digest as _;

use crate::digest::{Sha3Digest, DIGEST_LEN};
pub use backend::{Backend, BACKEND_ENV, ONE_STREAM_MARGIN};
use bmi::Bmi;
pub use keccak::RATE;

/// A streaming SHA3-224 hasher on a chosen backend.
#[derive(Clone)]
pub struct Sha3_224 {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Reference(sha3::Sha3_224),
    Own(Sponge),
}

impl Default for Sha3_224 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha3_224 {
    /// A hasher on [`Backend::active`].
    pub fn new() -> Self {
        Self::with_backend(Backend::active()).expect("the active backend is supported")
    }

    /// A hasher on `backend`, or `None` when this CPU cannot run it.
    pub fn with_backend(backend: Backend) -> Option<Self> {
        if !backend.is_supported() {
            return None;
        }
        let inner = match backend.scalar() {
            Backend::Reference => Inner::Reference(sha3::Sha3_224::new()),
            b => Inner::Own(Sponge::new(OneStream::of(b))),
        };
        Some(Sha3_224 { inner })
    }

    /// A hasher that goes on from a sponge state after whole blocks (a
    /// [`WideSponge`] lane), on the fastest scalar sponge.
    pub(crate) fn resume(state: [u64; 25]) -> Self {
        let mut sponge = Sponge::new(OneStream::of(Backend::one_stream()));
        sponge.state = state;
        Sha3_224 {
            inner: Inner::Own(sponge),
        }
    }

    /// The one-stream backend this hasher runs on.
    pub fn backend(&self) -> Backend {
        match &self.inner {
            Inner::Reference(_) => Backend::Reference,
            Inner::Own(s) => s.engine.backend(),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            Inner::Reference(h) => h.update(data),
            Inner::Own(s) => s.update(data),
        }
    }

    pub fn finalize(self) -> Sha3Digest {
        match self.inner {
            Inner::Reference(h) => Sha3Digest(h.finalize().into()),
            Inner::Own(s) => Sha3Digest(s.finalize()),
        }
    }
}

/// SHA3-224 of `data` on `backend`; `None` when this CPU cannot run it.
/// A multi-lane backend hashes `data` in lane 0 of a [`WideSponge`].
pub fn hash_with(backend: Backend, data: &[u8]) -> Option<Sha3Digest> {
    if backend.lanes() > 1 {
        return hash_lanes(backend, &[data]).map(|d| d[0]);
    }
    let mut h = Sha3_224::with_backend(backend)?;
    h.update(data);
    Some(h.finalize())
}

/// Which build of the absorber a [`Sponge`] runs, each entered only
/// through its CPU token.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OneStream {
    Portable,
    Bmi(Bmi),
    #[cfg(target_arch = "x86_64")]
    Avx512(avx512::Avx512),
}

impl OneStream {
    /// The absorber for a one-stream `backend` (`portable` for any this
    /// CPU cannot run, which callers have ruled out).
    pub(crate) fn of(backend: Backend) -> OneStream {
        match backend {
            Backend::Bmi => Bmi::detect().map_or(OneStream::Portable, OneStream::Bmi),
            Backend::Avx512x1 => OneStream::avx512().unwrap_or(OneStream::Portable),
            _ => OneStream::Portable,
        }
    }

    /// The AVX-512 single-state absorber, where the CPU has AVX-512F.
    pub(crate) fn avx512() -> Option<OneStream> {
        #[cfg(target_arch = "x86_64")]
        return avx512::Avx512::detect().map(OneStream::Avx512);
        #[cfg(not(target_arch = "x86_64"))]
        None
    }

    fn backend(self) -> Backend {
        match self {
            OneStream::Portable => Backend::Portable,
            OneStream::Bmi(_) => Backend::Bmi,
            #[cfg(target_arch = "x86_64")]
            OneStream::Avx512(_) => Backend::Avx512x1,
        }
    }

    pub(crate) fn absorb(self, state: &mut [u64; 25], blocks: &[u8]) {
        match self {
            OneStream::Portable => absorb_portable(state, blocks),
            OneStream::Bmi(bmi) => bmi.absorb_blocks(state, blocks),
            #[cfg(target_arch = "x86_64")]
            OneStream::Avx512(avx) => avx.absorb_one(state, blocks),
        }
    }
}

/// The Keccak sponge for SHA3-224: rate 144 bytes, FIPS 202 padding.
#[derive(Clone)]
struct Sponge {
    state: [u64; 25],
    /// A partial block: input not yet a whole `RATE`.
    buf: [u8; RATE],
    len: usize,
    engine: OneStream,
}

impl Sponge {
    fn new(engine: OneStream) -> Self {
        Sponge {
            state: [0; 25],
            buf: [0; RATE],
            len: 0,
            engine,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        if self.len > 0 {
            let take = (RATE - self.len).min(data.len());
            self.buf[self.len..self.len + take].copy_from_slice(&data[..take]);
            self.len += take;
            data = &data[take..];
            if self.len < RATE {
                return;
            }
            self.engine.absorb(&mut self.state, &self.buf);
            self.len = 0;
        }
        let whole = data.len() - data.len() % RATE;
        self.engine.absorb(&mut self.state, &data[..whole]);
        let tail = &data[whole..];
        self.buf[..tail.len()].copy_from_slice(tail);
        self.len = tail.len();
    }

    fn finalize(mut self) -> [u8; DIGEST_LEN] {
        // FIPS 202 SHA3 padding: domain bits 01, then pad10*1, i.e. 0x06
        // after the message and 0x80 in the block's last byte (one 0x86
        // byte when the message leaves exactly one byte free).
        let mut last = [0u8; RATE];
        last[..self.len].copy_from_slice(&self.buf[..self.len]);
        last[self.len] ^= 0x06;
        last[RATE - 1] ^= 0x80;
        self.engine.absorb(&mut self.state, &last);
        let mut out = [0u8; DIGEST_LEN];
        for (bytes, lane) in out.chunks_mut(8).zip(self.state) {
            bytes.copy_from_slice(&lane.to_le_bytes()[..bytes.len()]);
        }
        out
    }
}

/// The baseline build of the absorber: one copy, not inlined everywhere.
#[inline(never)]
fn absorb_portable(state: &mut [u64; 25], blocks: &[u8]) {
    keccak::absorb_blocks(state, blocks);
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7";
    const ABC: &str = "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf";

    fn supported() -> impl Iterator<Item = Backend> {
        Backend::ALL.into_iter().filter(|b| b.is_supported())
    }

    #[test]
    fn known_answers_on_every_supported_backend() {
        for b in supported() {
            assert_eq!(hash_with(b, b"").unwrap().to_hex(), EMPTY, "{b:?}");
            assert_eq!(hash_with(b, b"abc").unwrap().to_hex(), ABC, "{b:?}");
        }
    }

    #[test]
    fn backends_agree_around_the_rate_and_on_split_input() {
        let data: Vec<u8> = (0..3 * RATE as u32 + 7)
            .map(|i| (i * 31 + 7) as u8)
            .collect();
        for len in 0..data.len() {
            let want = hash_with(Backend::Reference, &data[..len]).unwrap();
            for b in supported() {
                assert_eq!(hash_with(b, &data[..len]).unwrap(), want, "{b:?} {len}");
                let mut h = Sha3_224::with_backend(b).unwrap();
                let (x, y) = data[..len].split_at(len / 3);
                h.update(x);
                h.update(&[]);
                h.update(y);
                assert_eq!(h.finalize(), want, "{b:?} split {len}");
            }
        }
    }

    #[test]
    fn names_round_trip_and_the_portable_paths_always_run() {
        for b in Backend::ALL {
            assert_eq!(Backend::from_name(b.name()), Some(b));
        }
        assert_eq!(Backend::from_name("avx"), None);
        assert!(Backend::Reference.is_supported() && Backend::Portable.is_supported());
        assert!(Backend::fastest().is_supported());
        let h = Sha3_224::with_backend(Backend::fastest()).unwrap();
        assert_eq!(h.backend(), Backend::fastest().scalar());
    }
}
