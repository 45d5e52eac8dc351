//! One Keccak state in AVX-512 registers, for one stream (x86-64 only).
//!
//! Row `y` of the 5 × 5 state (lanes `A[0..5][y]`) is elements 0-4 of
//! register `y` (elements 5-7 carry junk that no step moves into 0-4).
//! Theta is two three-way XORs (`vpternlogq`) for the column parities and
//! two lane rotations (`vpermq`); rho is one variable rotate per row
//! (`vprolvq`); pi moves lane `A[(x + 3y) % 5][x]` to row `y`: the
//! elements of each new row sit in different old rows but at distinct
//! columns, so four masked blends gather them (column `c` from old row
//! `(c - k) % 5` for `k = 3y % 5`) and one `vpermq` puts them in place;
//! chi takes the new row and its rotations by one and two, three `vpermq`
//! from the same blend, into one `vpternlogq` (0xD2). About 50 vector
//! instructions a round against the scalar sponge's ~100, with a shorter
//! dependency chain: whether that wins depends on the CPU (AVX-512 at full
//! width, or executed as two 256-bit halves), so `Backend::one_stream`
//! measures it against the BMI sponge at start and keeps it only when it
//! is at least 10% faster.

use std::arch::x86_64::*;

use super::avx512::Avx512;
use super::keccak::{RATE, RC};

impl Avx512 {
    /// Absorbs whole blocks (`blocks.len()` a multiple of [`RATE`]; a
    /// tail is ignored, as in `keccak::absorb_blocks`) into `state`.
    pub(super) fn absorb_one(self, state: &mut [u64; 25], blocks: &[u8]) {
        // SAFETY: an `Avx512` exists only after the CPU reported AVX-512F,
        // the one feature the function is compiled with; it reads whole
        // blocks of `blocks` only and the 25 words of `state`.
        unsafe { absorb_x1(state, blocks) }
    }
}

/// Element `x` is `(x + s) % 5` for `x < 5`: `vpermq` by it moves element
/// `(x + s) % 5` to `x` (rotates a row left by `s` lanes).
#[inline]
#[target_feature(enable = "avx512f")]
fn rotate_index(s: i64) -> __m512i {
    _mm512_setr_epi64(
        s % 5,
        (1 + s) % 5,
        (2 + s) % 5,
        (3 + s) % 5,
        (4 + s) % 5,
        5,
        6,
        7,
    )
}

/// rho's offsets, row by row (`r[x][y]` of FIPS 202, x across).
const RHO: [[i64; 5]; 5] = [
    [0, 1, 62, 28, 27],
    [36, 44, 6, 55, 20],
    [3, 10, 43, 25, 39],
    [41, 45, 15, 21, 8],
    [18, 2, 61, 56, 14],
];

/// # Safety
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
unsafe fn absorb_x1(state: &mut [u64; 25], blocks: &[u8]) {
    const ROW: __mmask8 = 0b1_1111;
    let rho = RHO.map(|r| _mm512_setr_epi64(r[0], r[1], r[2], r[3], r[4], 0, 0, 0));
    let rot = [0, 1, 2, 3, 4].map(|s| rotate_index(s));
    let mut r = [_mm512_setzero_si512(); 5];
    for (y, reg) in r.iter_mut().enumerate() {
        // SAFETY: the mask reads words 5y .. 5y + 5 of the 25.
        *reg = unsafe { _mm512_maskz_loadu_epi64(ROW, state.as_ptr().add(5 * y).cast()) };
    }
    for block in blocks.chunks_exact(RATE) {
        let p = block.as_ptr();
        // SAFETY: the masks read bytes 0..40, 40..80, 80..120 and 120..144
        // of this 144-byte block.
        unsafe {
            r[0] = _mm512_xor_si512(r[0], _mm512_maskz_loadu_epi64(ROW, p.cast()));
            r[1] = _mm512_xor_si512(r[1], _mm512_maskz_loadu_epi64(ROW, p.add(40).cast()));
            r[2] = _mm512_xor_si512(r[2], _mm512_maskz_loadu_epi64(ROW, p.add(80).cast()));
            r[3] = _mm512_xor_si512(r[3], _mm512_maskz_loadu_epi64(0b111, p.add(120).cast()));
        }
        for rc in RC {
            round(&mut r, &rho, &rot, rc);
        }
    }
    for (y, reg) in r.iter().enumerate() {
        // SAFETY: the mask writes words 5y .. 5y + 5 of the 25.
        unsafe { _mm512_mask_storeu_epi64(state.as_mut_ptr().add(5 * y).cast(), ROW, *reg) };
    }
}

/// One round on the rows `r`.
#[inline]
#[target_feature(enable = "avx512f")]
fn round(r: &mut [__m512i; 5], rho: &[__m512i; 5], rot: &[__m512i; 5], rc: u64) {
    // theta: C[x] = column parity; A[x][y] ^= C[x - 1] ^ rot(C[x + 1], 1).
    let c = _mm512_ternarylogic_epi64::<0x96>(r[0], r[1], r[2]);
    let c = _mm512_ternarylogic_epi64::<0x96>(c, r[3], r[4]);
    let left = _mm512_permutexvar_epi64(rot[4], c);
    let right = _mm512_rol_epi64::<1>(_mm512_permutexvar_epi64(rot[1], c));
    // theta's XOR, then rho.
    let a = [0, 1, 2, 3, 4].map(|y| {
        let t = _mm512_ternarylogic_epi64::<0x96>(r[y], left, right);
        _mm512_rolv_epi64(t, rho[y])
    });
    // pi and chi, new row by new row: y' = 0..5 takes k = 3y' % 5.
    for (y, k) in [0usize, 3, 1, 4, 2].into_iter().enumerate() {
        let h = gather(&a, k);
        let b0 = _mm512_permutexvar_epi64(rot[k], h);
        let b1 = _mm512_permutexvar_epi64(rot[(k + 1) % 5], h);
        let b2 = _mm512_permutexvar_epi64(rot[(k + 2) % 5], h);
        r[y] = _mm512_ternarylogic_epi64::<0xD2>(b0, b1, b2);
    }
    // iota
    r[0] = _mm512_xor_si512(r[0], _mm512_maskz_set1_epi64(1, rc as i64));
}

/// Column `c` of old row `(c - k) % 5`, for every `c`: four blends, two deep.
#[inline]
#[target_feature(enable = "avx512f")]
fn gather(a: &[__m512i; 5], k: usize) -> __m512i {
    let from = |c: usize| a[(c + 5 - k) % 5];
    let t01 = _mm512_mask_blend_epi64(0b00010, from(0), from(1));
    let t23 = _mm512_mask_blend_epi64(0b01000, from(2), from(3));
    let t = _mm512_mask_blend_epi64(0b01100, t01, t23);
    _mm512_mask_blend_epi64(0b10000, t, from(4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keccak;

    #[test]
    fn the_permutation_equals_the_scalar_one_block_by_block() {
        let Some(avx) = Avx512::detect() else {
            eprintln!("SKIPPED: avx512x1 needs AVX-512F, which this CPU lacks or hides");
            return;
        };
        let blocks: Vec<u8> = (0..8 * RATE as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        let mut want = [0u64; 25];
        let mut got = [0u64; 25];
        for (i, w) in want.iter_mut().enumerate() {
            *w = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        got.copy_from_slice(&want);
        for n in [1, 2, 7] {
            keccak::absorb_blocks(&mut want, &blocks[..n * RATE]);
            avx.absorb_one(&mut got, &blocks[..n * RATE + 5]);
            assert_eq!(got, want, "{n} block(s)");
        }
    }
}
