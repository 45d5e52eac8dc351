//! Eight Keccak sponges at once in AVX-512 registers (x86-64 only).
//!
//! State word `w` of lane `l` is element `l` of register `w`. Chi is one
//! `vpternlogq` (imm 0xD2 = `x ^ (!y & z)`), the theta parities two (0x96 =
//! three-way xor), rotations are `vprolq`. Blocks are brought into that
//! layout with an 8 × 8 transpose of 64-bit words (unpack, then two rounds of
//! `vpermt2q`), never with gathers.

use std::arch::x86_64::*;

use super::avx2::PREFETCH_DISTANCE;
use super::cpu::{hidden, Feature};
use super::keccak::RATE;
use super::rounds::{keccak_f1600_wide, Words, MAX_LANES};

/// Proof that this CPU has AVX-512F. Only [`Avx512::detect`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Avx512(());

impl Avx512 {
    pub(super) fn detect() -> Option<Avx512> {
        let shown = !hidden(Feature::Avx512);
        (shown && is_x86_feature_detected!("avx512f")).then_some(Avx512(()))
    }

    /// Absorbs `blocks` whole blocks from each of the 8 `lanes` (each at
    /// least `blocks * RATE` bytes long) into `state`.
    pub(super) fn absorb(self, state: &mut Words, lanes: [&[u8]; MAX_LANES], blocks: usize) {
        for lane in lanes {
            assert!(
                lane.len() >= blocks * RATE,
                "a lane is shorter than the blocks asked for"
            );
        }
        // SAFETY: an `Avx512` exists only after the CPU reported AVX-512F,
        // the one feature this function is compiled with; the assertion
        // above keeps every load inside its slice.
        unsafe { absorb_avx512(state, &lanes, blocks) }
    }
}

#[inline]
#[target_feature(enable = "avx512f")]
fn xor(x: __m512i, y: __m512i) -> __m512i {
    _mm512_xor_si512(x, y)
}

#[inline]
#[target_feature(enable = "avx512f")]
fn xor3(x: __m512i, y: __m512i, z: __m512i) -> __m512i {
    _mm512_ternarylogic_epi64::<0x96>(x, y, z)
}

#[inline]
#[target_feature(enable = "avx512f")]
fn chi(x: __m512i, y: __m512i, z: __m512i) -> __m512i {
    _mm512_ternarylogic_epi64::<0xD2>(x, y, z)
}

#[inline]
#[target_feature(enable = "avx512f")]
fn splat(c: i64) -> __m512i {
    _mm512_set1_epi64(c)
}

macro_rules! rol {
    ($x:expr, $n:literal) => {
        _mm512_rol_epi64::<$n>($x)
    };
}

/// # Safety
/// The CPU must support AVX-512F, and every lane must hold at least
/// `blocks * RATE` bytes.
#[target_feature(enable = "avx512f")]
unsafe fn absorb_avx512(state: &mut Words, lanes: &[&[u8]; MAX_LANES], blocks: usize) {
    let mut a = [_mm512_setzero_si512(); 25];
    for (reg, words) in a.iter_mut().zip(state.iter()) {
        *reg = _mm512_loadu_si512(words.as_ptr().cast());
    }
    for block in 0..blocks {
        let at = block * RATE;
        let mut ptrs = [std::ptr::null::<u8>(); 8];
        for (ptr, lane) in ptrs.iter_mut().zip(lanes) {
            *ptr = lane.as_ptr().add(at);
        }
        prefetch_ahead(&ptrs);
        let low = transpose8(&ptrs, 0);
        let mid = transpose8(&ptrs, 64);
        let (w16, w17) = last_two_words(&ptrs);
        for w in 0..8 {
            a[w] = xor(a[w], low[w]);
            a[8 + w] = xor(a[8 + w], mid[w]);
        }
        a[16] = xor(a[16], w16);
        a[17] = xor(a[17], w17);
        keccak_f1600_wide!(a, xor, xor3, rol, chi, splat);
    }
    for (reg, words) in a.iter().zip(state.iter_mut()) {
        _mm512_storeu_si512(words.as_mut_ptr().cast(), *reg);
    }
}

/// As `avx2::prefetch_ahead`, for 8 lanes.
#[inline]
#[target_feature(enable = "avx512f")]
fn prefetch_ahead(p: &[*const u8; 8]) {
    for &ptr in p {
        let ahead = ptr.wrapping_add(PREFETCH_DISTANCE);
        _mm_prefetch::<_MM_HINT_T0>(ahead.cast());
        _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(64).cast());
        _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(128).cast());
    }
}

/// Words `off/8 .. off/8 + 8` of the 8 lanes' blocks, one register per word.
///
/// # Safety
/// AVX-512F; each pointer readable for `off + 64` bytes.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn transpose8(p: &[*const u8; 8], off: usize) -> [__m512i; 8] {
    let mut r = [_mm512_setzero_si512(); 8];
    for (row, ptr) in r.iter_mut().zip(p) {
        *row = _mm512_loadu_si512(ptr.add(off).cast());
    }
    // Pairs of rows: [r0[0] r1[0] r0[2] r1[2] r0[4] r1[4] r0[6] r1[6]] etc.
    let t0 = _mm512_unpacklo_epi64(r[0], r[1]);
    let t1 = _mm512_unpackhi_epi64(r[0], r[1]);
    let t2 = _mm512_unpacklo_epi64(r[2], r[3]);
    let t3 = _mm512_unpackhi_epi64(r[2], r[3]);
    let t4 = _mm512_unpacklo_epi64(r[4], r[5]);
    let t5 = _mm512_unpackhi_epi64(r[4], r[5]);
    let t6 = _mm512_unpacklo_epi64(r[6], r[7]);
    let t7 = _mm512_unpackhi_epi64(r[6], r[7]);
    // Quads of rows: words (0, 4), (2, 6), (1, 5), (3, 7) of four lanes.
    let even = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13);
    let odd = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
    let u0 = _mm512_permutex2var_epi64(t0, even, t2);
    let u2 = _mm512_permutex2var_epi64(t0, odd, t2);
    let u1 = _mm512_permutex2var_epi64(t1, even, t3);
    let u3 = _mm512_permutex2var_epi64(t1, odd, t3);
    let u4 = _mm512_permutex2var_epi64(t4, even, t6);
    let u6 = _mm512_permutex2var_epi64(t4, odd, t6);
    let u5 = _mm512_permutex2var_epi64(t5, even, t7);
    let u7 = _mm512_permutex2var_epi64(t5, odd, t7);
    // All eight lanes: low halves give words 0-3, high halves 4-7.
    let lo = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);
    let hi = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
    [
        _mm512_permutex2var_epi64(u0, lo, u4),
        _mm512_permutex2var_epi64(u1, lo, u5),
        _mm512_permutex2var_epi64(u2, lo, u6),
        _mm512_permutex2var_epi64(u3, lo, u7),
        _mm512_permutex2var_epi64(u0, hi, u4),
        _mm512_permutex2var_epi64(u1, hi, u5),
        _mm512_permutex2var_epi64(u2, hi, u6),
        _mm512_permutex2var_epi64(u3, hi, u7),
    ]
}

/// Words 16 and 17 (bytes 128..144) of the 8 lanes' blocks.
///
/// # Safety
/// AVX-512F; each pointer readable for 144 bytes.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn last_two_words(p: &[*const u8; 8]) -> (__m512i, __m512i) {
    // [l0w16 l0w17 l1w16 l1w17 l2w16 l2w17 l3w16 l3w17], then lanes 4-7.
    let (v0, v1) = (quad(p, 0), quad(p, 4));
    let w16 = _mm512_permutex2var_epi64(v0, _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), v1);
    let w17 = _mm512_permutex2var_epi64(v0, _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15), v1);
    (w16, w17)
}

/// Bytes 128..144 of lanes `l .. l + 4`, side by side.
///
/// # Safety
/// AVX-512F; those pointers readable for 144 bytes.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn quad(p: &[*const u8; 8], l: usize) -> __m512i {
    let pair = |i: usize| _mm_loadu_si128(p[l + i].add(128).cast());
    let v = _mm512_castsi128_si512(pair(0));
    let v = _mm512_inserti32x4::<1>(v, pair(1));
    let v = _mm512_inserti32x4::<2>(v, pair(2));
    _mm512_inserti32x4::<3>(v, pair(3))
}
