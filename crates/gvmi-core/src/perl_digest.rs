//! The digests Perl's `sha3sum` 1.05 (Digest::SHA3) computes for a line of a
//! checksum list it is asked to verify: SHA3-224/256/384/512 and
//! SHAKE128/256, read in the line's mode (`*` or ` ` bytes, `U` universal
//! newlines, `^` BITS). gvmi hashes images with SHA3-224 of their bytes
//! only; this is what `gvmi -a 224 -c` needs to check a list written by
//! sha3sum with any of its options, as sha3sum itself would.
//!
//! SHA3-224 of bytes stays on gvmi's fast backends (`sha3_fast`); the rest
//! runs on a plain sponge over the `keccak` crate's permutation (the `sha3`
//! crate has neither SHAKE nor messages that end inside a byte).

use std::io::{self, Read};

use crate::sha3_fast::Sha3_224;

pub mod text;

/// The algorithms `sha3sum -a` names (`$isAlg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha3_224,
    Sha3_256,
    Sha3_384,
    Sha3_512,
    Shake128,
    Shake256,
}

impl Algorithm {
    /// `sha3sum -a N`'s numbers, as the exact text sha3sum's `%isAlg` keys
    /// are: `224`, `256`, `384`, `512`, `128000`, `256000`.
    pub(crate) fn from_number(text: &[u8]) -> Option<Self> {
        Some(match text {
            b"224" => Self::Sha3_224,
            b"256" => Self::Sha3_256,
            b"384" => Self::Sha3_384,
            b"512" => Self::Sha3_512,
            b"128000" => Self::Shake128,
            b"256000" => Self::Shake256,
            _ => return None,
        })
    }

    /// The algorithm a line's hex length names (`%len2alg`).
    pub(crate) fn from_hex_len(len: usize) -> Option<Self> {
        Some(match len {
            56 => Self::Sha3_224,
            64 => Self::Sha3_256,
            96 => Self::Sha3_384,
            128 => Self::Sha3_512,
            336 => Self::Shake128,
            272 => Self::Shake256,
            _ => return None,
        })
    }

    /// Bytes absorbed per permutation.
    fn rate(self) -> usize {
        match self {
            Self::Sha3_224 => 144,
            Self::Sha3_256 | Self::Shake256 => 136,
            Self::Sha3_384 => 104,
            Self::Sha3_512 => 72,
            Self::Shake128 => 168,
        }
    }

    /// The domain bits and the first padding bit, from bit 0 up: SHA-3's
    /// `01` + `1`, SHAKE's `1111` + `1` (FIPS 202).
    fn suffix(self) -> u16 {
        match self {
            Self::Shake128 | Self::Shake256 => 0x1f,
            _ => 0x06,
        }
    }

    /// Digest bytes: for SHAKE, what Digest::SHA3's `hexdigest` squeezes
    /// (one block).
    pub(crate) fn output_len(self) -> usize {
        match self {
            Self::Sha3_224 => 28,
            Self::Sha3_256 => 32,
            Self::Sha3_384 => 48,
            Self::Sha3_512 => 64,
            Self::Shake128 => 168,
            Self::Shake256 => 136,
        }
    }
}

/// How sha3sum reads a file for a line's mode character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// ` ` (text) or `*` (binary): the same bytes on Unix.
    Bytes,
    /// `U`: a file Perl's `-T` calls text has CRLF and lone CR read as LF.
    Universal,
    /// `^`: only the characters `0` and `1` count, each one bit.
    Bits,
}

impl Mode {
    pub(crate) fn from_marker(marker: u8) -> Option<Self> {
        match marker {
            b' ' | b'*' => Some(Self::Bytes),
            b'U' => Some(Self::Universal),
            b'^' => Some(Self::Bits),
            _ => None,
        }
    }
}

/// A Keccak sponge for any of [`Algorithm`], taking whole bytes and, at
/// the end, up to 7 more bits.
pub(crate) struct Sponge {
    algorithm: Algorithm,
    state: [u64; 25],
    block: [u8; 168],
    filled: usize,
    keccak: keccak::Keccak,
}

impl Sponge {
    pub(crate) fn new(algorithm: Algorithm) -> Self {
        Sponge {
            algorithm,
            state: [0; 25],
            block: [0; 168],
            filled: 0,
            keccak: keccak::Keccak::new(),
        }
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        let rate = self.algorithm.rate();
        while !data.is_empty() {
            let n = (rate - self.filled).min(data.len());
            self.block[self.filled..self.filled + n].copy_from_slice(&data[..n]);
            self.filled += n;
            data = &data[n..];
            if self.filled == rate {
                self.absorb_block();
            }
        }
    }

    fn absorb_block(&mut self) {
        let rate = self.algorithm.rate();
        for (lane, bytes) in self
            .state
            .iter_mut()
            .zip(self.block[..rate].chunks_exact(8))
        {
            *lane ^= u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        }
        let state = &mut self.state;
        self.keccak.with_f1600(|f1600| f1600(state));
        self.filled = 0;
        self.block = [0; 168];
    }

    /// The digest of the bytes so far followed by the low `bits` (0..=7)
    /// bits of `last`: Digest::SHA3's `add_bits` puts a partial last byte's
    /// bits there (a bit string `0001100` is the byte 12, 7 bits).
    pub(crate) fn finish_bits(mut self, last: u8, bits: u32) -> Vec<u8> {
        debug_assert!(bits < 8);
        let rate = self.algorithm.rate();
        let tail = u16::from(last & ((1u16 << bits) - 1) as u8) | (self.algorithm.suffix() << bits);
        self.block[self.filled] ^= tail as u8;
        if tail >> 8 != 0 {
            // The suffix spilled past this byte; the block may end here.
            if self.filled + 1 == rate {
                self.absorb_block();
                self.block[0] ^= (tail >> 8) as u8;
            } else {
                self.block[self.filled + 1] ^= (tail >> 8) as u8;
            }
        }
        self.block[rate - 1] ^= 0x80;
        self.filled = rate;
        self.absorb_block();
        let mut out = Vec::with_capacity(self.algorithm.output_len());
        while out.len() < self.algorithm.output_len() {
            for lane in &self.state[..rate / 8] {
                out.extend_from_slice(&lane.to_le_bytes());
            }
            if out.len() < self.algorithm.output_len() {
                let state = &mut self.state;
                self.keccak.with_f1600(|f1600| f1600(state));
            }
        }
        out.truncate(self.algorithm.output_len());
        out
    }
}

/// SHA3-224 on gvmi's backends, the others on [`Sponge`].
enum Hasher {
    Fast(Box<Sha3_224>),
    Sponge(Box<Sponge>),
}

impl Hasher {
    fn new(algorithm: Algorithm, mode: Mode) -> Self {
        match (algorithm, mode) {
            (Algorithm::Sha3_224, Mode::Bytes | Mode::Universal) => {
                Self::Fast(Box::new(Sha3_224::new()))
            }
            _ => Self::Sponge(Box::new(Sponge::new(algorithm))),
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Self::Fast(h) => h.update(data),
            Self::Sponge(s) => s.update(data),
        }
    }

    fn finish_bits(self, last: u8, bits: u32) -> Vec<u8> {
        match self {
            Self::Fast(h) => h.finalize().0.to_vec(),
            Self::Sponge(s) => s.finish_bits(last, bits),
        }
    }
}

/// Buffer of one read: as PerlIO's, so the first read is the block Perl's
/// `-T` looks at.
const READ: usize = 8192;

/// The lowercase hex digest sha3sum computes for `reader` in `mode`.
pub fn hex_digest(algorithm: Algorithm, mode: Mode, mut reader: impl Read) -> io::Result<String> {
    let mut hasher = Hasher::new(algorithm, mode);
    let mut buf = vec![0u8; READ];
    let first = read_some(&mut reader, &mut buf)?;
    let digest = match mode {
        Mode::Universal if text::looks_like_text(&buf[..first.min(text::BLOCK)]) => {
            let mut newlines = Universal::default();
            let mut n = first;
            let mut out = Vec::with_capacity(READ + 1);
            while n > 0 {
                newlines.convert(&buf[..n], &mut out);
                hasher.update(&out);
                n = read_some(&mut reader, &mut buf)?;
            }
            out.clear();
            newlines.finish(&mut out);
            hasher.update(&out);
            hasher.finish_bits(0, 0)
        }
        Mode::Bits => {
            let mut bits = Bits::default();
            let mut n = first;
            let mut out = Vec::with_capacity(READ / 8 + 1);
            while n > 0 {
                bits.convert(&buf[..n], &mut out);
                hasher.update(&out);
                n = read_some(&mut reader, &mut buf)?;
            }
            hasher.finish_bits(bits.acc, bits.count)
        }
        Mode::Bytes | Mode::Universal => {
            let mut n = first;
            while n > 0 {
                hasher.update(&buf[..n]);
                n = read_some(&mut reader, &mut buf)?;
            }
            hasher.finish_bits(0, 0)
        }
    };
    Ok(hex(&digest))
}

fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Digest::SHA3's `_addfileuniv`: CRLF and a lone CR become LF, across reads.
#[derive(Default)]
struct Universal {
    cr: bool,
}

impl Universal {
    fn convert(&mut self, input: &[u8], out: &mut Vec<u8>) {
        out.clear();
        for &c in input {
            match (self.cr, c) {
                (false, b'\r') => self.cr = true,
                (false, c) => out.push(c),
                (true, b'\r') => out.push(b'\n'),
                (true, b'\n') => {
                    out.push(b'\n');
                    self.cr = false;
                }
                (true, c) => {
                    out.extend_from_slice(&[b'\n', c]);
                    self.cr = false;
                }
            }
        }
    }

    fn finish(self, out: &mut Vec<u8>) {
        if self.cr {
            out.push(b'\n');
        }
    }
}

/// BITS mode: `0` and `1` are bits, most significant first in each byte
/// (`pack "B*"`); everything else is ignored.
#[derive(Default)]
struct Bits {
    acc: u8,
    count: u32,
}

impl Bits {
    fn convert(&mut self, input: &[u8], out: &mut Vec<u8>) {
        out.clear();
        for &c in input {
            if c != b'0' && c != b'1' {
                continue;
            }
            self.acc = (self.acc << 1) | (c - b'0');
            self.count += 1;
            if self.count == 8 {
                out.push(self.acc);
                self.acc = 0;
                self.count = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests;
