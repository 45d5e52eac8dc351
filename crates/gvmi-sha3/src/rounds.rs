//! Keccak-f[1600] written once for vectors of lanes: each state word is a
//! SIMD register holding that word of N independent sponges (one per
//! file). The instruction set supplies five operations; `avx512.rs` and
//! `avx2.rs` expand this macro inside their `#[target_feature]` functions.
//!
//! The lanes' layout lives here too, below both the backends and `wide.rs`
//! (which picks a backend and owns the state), so those import downwards only.

/// The most lanes any backend has (AVX-512: 8 × 64-bit words per register).
pub(super) const MAX_LANES: usize = 8;

/// The lanes' states, word-major: `words[w][l]` is word `w` of lane `l`, the
/// layout a vector register load wants.
pub(super) type Words = [[u64; MAX_LANES]; 25];

/// One permutation of the 25 vector words in `$a`.
///
/// - `$xor(x, y)`, `$xor3(x, y, z)`: exclusive or;
/// - `$rol!(x, n)`: rotate every 64-bit lane left by the literal `n`;
/// - `$chi(x, y, z)`: `x ^ (!y & z)`;
/// - `$splat(c)`: `c` in every lane.
///
/// Lane (x, y) is `$a[x + 5y]`, as in `keccak.rs`; the rotation offsets and
/// the pi permutation are the same table, so the scalar path is the
/// reference for the order of every step.
macro_rules! keccak_f1600_wide {
    ($a:ident, $xor:ident, $xor3:ident, $rol:ident, $chi:ident, $splat:ident) => {
        for rc in $crate::keccak::RC {
            let c0 = $xor($xor3($a[0], $a[5], $a[10]), $xor($a[15], $a[20]));
            let c1 = $xor($xor3($a[1], $a[6], $a[11]), $xor($a[16], $a[21]));
            let c2 = $xor($xor3($a[2], $a[7], $a[12]), $xor($a[17], $a[22]));
            let c3 = $xor($xor3($a[3], $a[8], $a[13]), $xor($a[18], $a[23]));
            let c4 = $xor($xor3($a[4], $a[9], $a[14]), $xor($a[19], $a[24]));
            let d0 = $xor(c4, $rol!(c1, 1));
            let d1 = $xor(c0, $rol!(c2, 1));
            let d2 = $xor(c1, $rol!(c3, 1));
            let d3 = $xor(c2, $rol!(c4, 1));
            let d4 = $xor(c3, $rol!(c0, 1));
            let b0 = $xor($a[0], d0);
            let b10 = $rol!($xor($a[1], d1), 1);
            let b20 = $rol!($xor($a[2], d2), 62);
            let b5 = $rol!($xor($a[3], d3), 28);
            let b15 = $rol!($xor($a[4], d4), 27);
            let b16 = $rol!($xor($a[5], d0), 36);
            let b1 = $rol!($xor($a[6], d1), 44);
            let b11 = $rol!($xor($a[7], d2), 6);
            let b21 = $rol!($xor($a[8], d3), 55);
            let b6 = $rol!($xor($a[9], d4), 20);
            let b7 = $rol!($xor($a[10], d0), 3);
            let b17 = $rol!($xor($a[11], d1), 10);
            let b2 = $rol!($xor($a[12], d2), 43);
            let b12 = $rol!($xor($a[13], d3), 25);
            let b22 = $rol!($xor($a[14], d4), 39);
            let b23 = $rol!($xor($a[15], d0), 41);
            let b8 = $rol!($xor($a[16], d1), 45);
            let b18 = $rol!($xor($a[17], d2), 15);
            let b3 = $rol!($xor($a[18], d3), 21);
            let b13 = $rol!($xor($a[19], d4), 8);
            let b14 = $rol!($xor($a[20], d0), 18);
            let b24 = $rol!($xor($a[21], d1), 2);
            let b9 = $rol!($xor($a[22], d2), 61);
            let b19 = $rol!($xor($a[23], d3), 56);
            let b4 = $rol!($xor($a[24], d4), 14);
            $a[0] = $xor($chi(b0, b1, b2), $splat(rc as i64));
            $a[1] = $chi(b1, b2, b3);
            $a[2] = $chi(b2, b3, b4);
            $a[3] = $chi(b3, b4, b0);
            $a[4] = $chi(b4, b0, b1);
            $a[5] = $chi(b5, b6, b7);
            $a[6] = $chi(b6, b7, b8);
            $a[7] = $chi(b7, b8, b9);
            $a[8] = $chi(b8, b9, b5);
            $a[9] = $chi(b9, b5, b6);
            $a[10] = $chi(b10, b11, b12);
            $a[11] = $chi(b11, b12, b13);
            $a[12] = $chi(b12, b13, b14);
            $a[13] = $chi(b13, b14, b10);
            $a[14] = $chi(b14, b10, b11);
            $a[15] = $chi(b15, b16, b17);
            $a[16] = $chi(b16, b17, b18);
            $a[17] = $chi(b17, b18, b19);
            $a[18] = $chi(b18, b19, b15);
            $a[19] = $chi(b19, b15, b16);
            $a[20] = $chi(b20, b21, b22);
            $a[21] = $chi(b21, b22, b23);
            $a[22] = $chi(b22, b23, b24);
            $a[23] = $chi(b23, b24, b20);
            $a[24] = $chi(b24, b20, b21);
        }
    };
}

pub(super) use keccak_f1600_wide;
