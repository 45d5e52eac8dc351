//! Four Keccak sponges at once in 256-bit registers (x86-64 only), in two
//! builds of one source: AVX2, and AVX-512VL (the same ymm registers with
//! AVX-512's `vprolq` and `vpternlogq`).
//!
//! The same layout as `avx512.rs` with four lanes: state word `w` of lane
//! `l` is element `l` of register `w`. AVX2 has no rotate and no three-input
//! logic, so there rotations are two shifts and an or, chi is `vpandn` + xor.
//! Blocks are transposed 4 × 4 (unpack, then 128-bit permutes).
//!
//! Why a 4-lane AVX-512 build beside the 8-lane one: where 512-bit
//! instructions run at half rate (AMD Zen 4), 4 lanes in ymm cost half of
//! 8 in zmm, so a worker with 4 files or fewer hashes them faster so.

use std::arch::x86_64::*;

use super::cpu::{hidden, Feature};
use super::keccak::RATE;
use super::rounds::{keccak_f1600_wide, Words, MAX_LANES};

/// How many sponges one register holds here.
pub(super) const LANES: usize = 4;

/// Proof that this CPU has AVX2. Only [`Avx2::detect`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Avx2(());

impl Avx2 {
    pub(super) fn detect() -> Option<Avx2> {
        let shown = !hidden(Feature::Avx2);
        (shown && is_x86_feature_detected!("avx2")).then_some(Avx2(()))
    }

    /// Absorbs `blocks` whole blocks from each of the first 4 `lanes` (each
    /// at least `blocks * RATE` bytes long) into `state`'s first 4 lanes.
    pub(super) fn absorb(self, state: &mut Words, lanes: [&[u8]; MAX_LANES], blocks: usize) {
        check_lengths(&lanes, blocks);
        // SAFETY: an `Avx2` exists only after the CPU reported AVX2, the one
        // feature this function is compiled with; the assertion above keeps
        // every load inside its slice.
        unsafe { absorb_avx2(state, &lanes, blocks) }
    }
}

/// Proof that this CPU has AVX-512F and AVX-512VL. Only
/// [`Avx512Vl::detect`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Avx512Vl(());

impl Avx512Vl {
    pub(super) fn detect() -> Option<Avx512Vl> {
        let shown = !hidden(Feature::Avx512);
        (shown && is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vl"))
            .then_some(Avx512Vl(()))
    }

    /// As [`Avx2::absorb`], with AVX-512VL's rotate and ternary logic.
    pub(super) fn absorb(self, state: &mut Words, lanes: [&[u8]; MAX_LANES], blocks: usize) {
        check_lengths(&lanes, blocks);
        // SAFETY: an `Avx512Vl` exists only after the CPU reported AVX-512F
        // and AVX-512VL (which imply AVX2), the features this function is
        // compiled with; `check_lengths` keeps every load inside its slice.
        unsafe { absorb_avx512vl(state, &lanes, blocks) }
    }
}

fn check_lengths(lanes: &[&[u8]; MAX_LANES], blocks: usize) {
    for lane in &lanes[..LANES] {
        assert!(
            lane.len() >= blocks * RATE,
            "a lane is shorter than the blocks asked for"
        );
    }
}

#[inline]
#[target_feature(enable = "avx2")]
fn xor(x: __m256i, y: __m256i) -> __m256i {
    _mm256_xor_si256(x, y)
}

#[inline]
#[target_feature(enable = "avx2")]
fn xor3(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
    _mm256_xor_si256(_mm256_xor_si256(x, y), z)
}

#[inline]
#[target_feature(enable = "avx2")]
fn chi(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
    _mm256_xor_si256(x, _mm256_andnot_si256(y, z))
}

#[inline]
#[target_feature(enable = "avx2")]
fn splat(c: i64) -> __m256i {
    _mm256_set1_epi64x(c)
}

macro_rules! rol {
    ($x:expr, $n:literal) => {{
        let x = $x;
        _mm256_or_si256(
            _mm256_slli_epi64::<$n>(x),
            _mm256_srli_epi64::<{ 64 - $n }>(x),
        )
    }};
}

#[inline]
#[target_feature(enable = "avx512f,avx512vl")]
fn xor3_vl(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
    _mm256_ternarylogic_epi64::<0x96>(x, y, z)
}

#[inline]
#[target_feature(enable = "avx512f,avx512vl")]
fn chi_vl(x: __m256i, y: __m256i, z: __m256i) -> __m256i {
    _mm256_ternarylogic_epi64::<0xD2>(x, y, z)
}

macro_rules! rol_vl {
    ($x:expr, $n:literal) => {
        _mm256_rol_epi64::<$n>($x)
    };
}

/// The absorber, once for each instruction set: `$features` to compile
/// with, and the three operations that differ.
macro_rules! absorb4 {
    ($name:ident, $features:literal, $xor3:ident, $rol:ident, $chi:ident) => {
        /// # Safety
        /// The CPU must support `$features`, and each of the first 4 lanes
        /// must hold at least `blocks * RATE` bytes.
        #[target_feature(enable = $features)]
        unsafe fn $name(state: &mut Words, lanes: &[&[u8]; MAX_LANES], blocks: usize) {
            let mut a = [_mm256_setzero_si256(); 25];
            for (reg, words) in a.iter_mut().zip(state.iter()) {
                *reg = _mm256_loadu_si256(words.as_ptr().cast());
            }
            for block in 0..blocks {
                let at = block * RATE;
                let mut p = [std::ptr::null::<u8>(); LANES];
                for (ptr, lane) in p.iter_mut().zip(lanes) {
                    *ptr = lane.as_ptr().add(at);
                }
                prefetch_ahead(&p);
                for q in 0..4 {
                    let words = transpose4(&p, q * 32);
                    for (w, v) in words.into_iter().enumerate() {
                        a[q * 4 + w] = xor(a[q * 4 + w], v);
                    }
                }
                // Words 16 and 17: lanes (0, 2) and (1, 3) side by side, so
                // that the in-half unpacks put the four lanes in order.
                let pair = |l: usize| _mm_loadu_si128(p[l].add(128).cast());
                let v02 = _mm256_set_m128i(pair(2), pair(0));
                let v13 = _mm256_set_m128i(pair(3), pair(1));
                a[16] = xor(a[16], _mm256_unpacklo_epi64(v02, v13));
                a[17] = xor(a[17], _mm256_unpackhi_epi64(v02, v13));
                keccak_f1600_wide!(a, xor, $xor3, $rol, $chi, splat);
            }
            for (reg, words) in a.iter().zip(state.iter_mut()) {
                _mm256_storeu_si256(words.as_mut_ptr().cast(), *reg);
            }
        }
    };
}

absorb4!(absorb_avx2, "avx2", xor3, rol, chi);
absorb4!(absorb_avx512vl, "avx512f,avx512vl", xor3_vl, rol_vl, chi_vl);

/// Asks for the lines a few blocks ahead of each lane: a mapped file is
/// read straight from memory, where a demand miss at every block (the
/// hardware prefetcher stops at each 4 KiB page) stalls the permutation.
/// A prefetch never faults, so addresses past a lane's end are harmless
/// (computed with `wrapping_add`, never dereferenced).
#[inline]
#[target_feature(enable = "avx2")]
fn prefetch_ahead(p: &[*const u8; LANES]) {
    for &ptr in p {
        let ahead = ptr.wrapping_add(PREFETCH_DISTANCE);
        _mm_prefetch::<_MM_HINT_T0>(ahead.cast());
        _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(64).cast());
        _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(128).cast());
    }
}

/// How far ahead of a lane's block [`prefetch_ahead`] reaches, in bytes.
pub(super) const PREFETCH_DISTANCE: usize = 4 * RATE;

/// Words `off/8 .. off/8 + 4` of the 4 lanes' blocks, one register per word.
///
/// # Safety
/// AVX2; each pointer readable for `off + 32` bytes.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn transpose4(p: &[*const u8; LANES], off: usize) -> [__m256i; 4] {
    let r0 = _mm256_loadu_si256(p[0].add(off).cast());
    let r1 = _mm256_loadu_si256(p[1].add(off).cast());
    let r2 = _mm256_loadu_si256(p[2].add(off).cast());
    let r3 = _mm256_loadu_si256(p[3].add(off).cast());
    let t0 = _mm256_unpacklo_epi64(r0, r1); // r0[0] r1[0] r0[2] r1[2]
    let t1 = _mm256_unpackhi_epi64(r0, r1); // r0[1] r1[1] r0[3] r1[3]
    let t2 = _mm256_unpacklo_epi64(r2, r3);
    let t3 = _mm256_unpackhi_epi64(r2, r3);
    [
        _mm256_permute2x128_si256::<0x20>(t0, t2),
        _mm256_permute2x128_si256::<0x20>(t1, t3),
        _mm256_permute2x128_si256::<0x31>(t0, t2),
        _mm256_permute2x128_si256::<0x31>(t1, t3),
    ]
}
