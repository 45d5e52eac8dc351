//! Keccak-f[1600] and the block absorber, written once and compiled into
//! each dispatch path: every function here is `#[inline(always)]`, so a
//! caller inside `#[target_feature(enable = "bmi1,bmi2")]` gets its own copy
//! built with `andn` (chi) and `rorx` (rho, theta), and the plain caller
//! gets baseline x86-64 code. Nothing here is ever called on its own.

/// SHA3-224's rate: 1600 − 2 × 224 bits, in bytes.
pub const RATE: usize = 144;
const RATE_LANES: usize = RATE / 8;

/// Iota's round constants (FIPS 202, 3.2.5).
pub(crate) const RC: [u64; 24] = [
    0x0000_0000_0000_0001,
    0x0000_0000_0000_8082,
    0x8000_0000_0000_808a,
    0x8000_0000_8000_8000,
    0x0000_0000_0000_808b,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8009,
    0x0000_0000_0000_008a,
    0x0000_0000_0000_0088,
    0x0000_0000_8000_8009,
    0x0000_0000_8000_000a,
    0x0000_0000_8000_808b,
    0x8000_0000_0000_008b,
    0x8000_0000_0000_8089,
    0x8000_0000_0000_8003,
    0x8000_0000_0000_8002,
    0x8000_0000_0000_0080,
    0x0000_0000_0000_800a,
    0x8000_0000_8000_000a,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8080,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8008,
];

/// chi on one row of five lanes: `a = b ^ (!b[x+1] & b[x+2])`; the
/// `!x & y` form is exactly BMI1's `andn`.
macro_rules! chi_row {
    ($a:ident, $b:ident, $y:literal) => {
        let r = $y * 5;
        $a[r] = $b[r] ^ (!$b[r + 1] & $b[r + 2]);
        $a[r + 1] = $b[r + 1] ^ (!$b[r + 2] & $b[r + 3]);
        $a[r + 2] = $b[r + 2] ^ (!$b[r + 3] & $b[r + 4]);
        $a[r + 3] = $b[r + 3] ^ (!$b[r + 4] & $b[r]);
        $a[r + 4] = $b[r + 4] ^ (!$b[r] & $b[r + 1]);
    };
}

/// The permutation. Lane (x, y) is `a[x + 5y]`. Fully unrolled within a
/// round (constant indices, so the state lives in registers and spill
/// slots, never bounds-checked); the 24 rounds stay a loop, which keeps the
/// body in the µop cache.
#[inline(always)]
pub(crate) fn f1600(a: &mut [u64; 25]) {
    for rc in RC {
        // theta: column parities, each column mixed with its neighbours.
        let c = [
            a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20],
            a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21],
            a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22],
            a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23],
            a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24],
        ];
        let d = [
            c[4] ^ c[1].rotate_left(1),
            c[0] ^ c[2].rotate_left(1),
            c[1] ^ c[3].rotate_left(1),
            c[2] ^ c[4].rotate_left(1),
            c[3] ^ c[0].rotate_left(1),
        ];
        // theta applied, then rho (rotate) and pi (move):
        // B[y, 2x + 3y] = rot(A[x, y] ^ D[x], r[x, y]).
        let mut b = [0u64; 25];
        b[0] = a[0] ^ d[0];
        b[10] = (a[1] ^ d[1]).rotate_left(1);
        b[20] = (a[2] ^ d[2]).rotate_left(62);
        b[5] = (a[3] ^ d[3]).rotate_left(28);
        b[15] = (a[4] ^ d[4]).rotate_left(27);
        b[16] = (a[5] ^ d[0]).rotate_left(36);
        b[1] = (a[6] ^ d[1]).rotate_left(44);
        b[11] = (a[7] ^ d[2]).rotate_left(6);
        b[21] = (a[8] ^ d[3]).rotate_left(55);
        b[6] = (a[9] ^ d[4]).rotate_left(20);
        b[7] = (a[10] ^ d[0]).rotate_left(3);
        b[17] = (a[11] ^ d[1]).rotate_left(10);
        b[2] = (a[12] ^ d[2]).rotate_left(43);
        b[12] = (a[13] ^ d[3]).rotate_left(25);
        b[22] = (a[14] ^ d[4]).rotate_left(39);
        b[23] = (a[15] ^ d[0]).rotate_left(41);
        b[8] = (a[16] ^ d[1]).rotate_left(45);
        b[18] = (a[17] ^ d[2]).rotate_left(15);
        b[3] = (a[18] ^ d[3]).rotate_left(21);
        b[13] = (a[19] ^ d[4]).rotate_left(8);
        b[14] = (a[20] ^ d[0]).rotate_left(18);
        b[24] = (a[21] ^ d[1]).rotate_left(2);
        b[9] = (a[22] ^ d[2]).rotate_left(61);
        b[19] = (a[23] ^ d[3]).rotate_left(56);
        b[4] = (a[24] ^ d[4]).rotate_left(14);
        chi_row!(a, b, 0);
        chi_row!(a, b, 1);
        chi_row!(a, b, 2);
        chi_row!(a, b, 3);
        chi_row!(a, b, 4);
        // iota
        a[0] ^= rc;
    }
}

/// XORs one rate-sized block into the state (little-endian lanes).
#[inline(always)]
pub(crate) fn xor_block(a: &mut [u64; 25], block: &[u8; RATE]) {
    for i in 0..RATE_LANES {
        let lane: [u8; 8] = block[i * 8..i * 8 + 8].try_into().expect("8 bytes");
        a[i] ^= u64::from_le_bytes(lane);
    }
}

/// Absorbs whole blocks; `blocks.len()` is a multiple of [`RATE`] (a tail
/// is ignored: the caller buffers it). The loop sits here, not in the
/// caller, so one call per read chunk enters the fast path once.
#[inline(always)]
pub(crate) fn absorb_blocks(a: &mut [u64; 25], blocks: &[u8]) {
    for block in blocks.chunks_exact(RATE) {
        xor_block(a, block.try_into().expect("RATE bytes"));
        f1600(a);
    }
}
