//! The cache file, byte by byte (all integers little-endian):
//!
//! ```text
//! "GVMIHASH"  magic, 8 bytes
//! u32         format version (FORMAT_VERSION)
//! u64         entry count
//! entries     in path order: u16 bytes shared with the previous path,
//!             u32 length of the rest, the rest; u64 dev, u64 inode, u64 size,
//!             i64 mtime ns, i64 ctime ns (i64::MIN: unknown), 28-byte SHA3-224
//! u64         checksum of everything before it (see `checksum`)
//! ```
//!
//! A plain versioned file rather than an embedded database: the cache is
//! read whole once at start and replaced whole (temp file + rename), so it
//! needs no page cache, WAL or extra dependency, and a torn or foreign file
//! is detected by the trailer and version and simply rebuilt. Paths are
//! prefix-compressed (images sit in few folders), which halves the file.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Entry;
use crate::digest::{Sha3Digest, DIGEST_LEN};
use crate::sumline::{bytes_path, path_bytes};

pub(crate) const MAGIC: &[u8; 8] = b"GVMIHASH";
/// Bump on any layout change: an old gvmi then rebuilds instead of misreading.
pub(crate) const FORMAT_VERSION: u32 = 1;
const HEADER: usize = 8 + 4 + 8;
const FIXED: usize = 8 * 5 + DIGEST_LEN;
const TRAILER: usize = 8;

/// Why a cache file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DecodeError {
    #[error("not a gvmi hash cache")]
    NotACache,
    #[error("written in format v{0} by another gvmi version (this one reads v{FORMAT_VERSION})")]
    Version(u32),
    #[error("truncated")]
    Truncated,
    #[error("corrupt (checksum mismatch)")]
    Checksum,
}

pub(crate) fn encode(entries: &HashMap<PathBuf, Entry>) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + entries.len() * (FIXED + 64) + TRAILER);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    let mut sorted: Vec<(std::borrow::Cow<[u8]>, &Entry)> =
        entries.iter().map(|(p, e)| (path_bytes(p), e)).collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut previous: &[u8] = &[];
    for (bytes, e) in &sorted {
        let shared = previous
            .iter()
            .zip(bytes.iter())
            .take_while(|(a, b)| a == b)
            .count()
            .min(u16::MAX as usize);
        out.extend_from_slice(&(shared as u16).to_le_bytes());
        out.extend_from_slice(&((bytes.len() - shared) as u32).to_le_bytes());
        out.extend_from_slice(&bytes[shared..]);
        previous = bytes;
        for n in [e.dev, e.ino, e.size] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for t in [e.mtime_ns, e.ctime_ns] {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend_from_slice(&e.digest.0);
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

pub(crate) fn decode(bytes: &[u8]) -> Result<HashMap<PathBuf, Entry>, DecodeError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(DecodeError::NotACache);
    }
    if bytes.len() < HEADER + TRAILER {
        return Err(DecodeError::Truncated);
    }
    let version = u32::from_le_bytes(array_at(bytes, 8)?);
    if version != FORMAT_VERSION {
        return Err(DecodeError::Version(version));
    }
    let (body, sum) = bytes.split_at(bytes.len() - TRAILER);
    if u64::from_le_bytes(array_at(sum, 0)?) != checksum(body) {
        // A short file fails here too; call it what it most likely is.
        return Err(DecodeError::Checksum);
    }
    let count = u64::from_le_bytes(array_at(body, 12)?);
    let mut reader = Reader {
        bytes: body,
        at: HEADER,
    };
    // The count is only a hint for the allocation: never trust it for more.
    let mut entries = HashMap::with_capacity(count.min(1 << 20) as usize);
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let shared = u16::from_le_bytes(reader.array()?) as usize;
        let len = reader.u32()? as usize;
        if shared > previous.len() {
            return Err(DecodeError::Checksum);
        }
        previous.truncate(shared);
        previous.extend_from_slice(reader.take(len)?);
        let path = bytes_path(&previous);
        let entry = Entry {
            dev: reader.u64()?,
            ino: reader.u64()?,
            size: reader.u64()?,
            mtime_ns: reader.u64()? as i64,
            ctime_ns: reader.u64()? as i64,
            digest: Sha3Digest(reader.array()?),
        };
        entries.insert(path, entry);
    }
    if reader.at != body.len() {
        return Err(DecodeError::Checksum);
    }
    Ok(entries)
}

/// A fast 64-bit checksum (xxHash64's round and finish) for telling a
/// damaged file from a whole one, not for security. Every step is a
/// bijection of the running state for a fixed input word, so any change
/// confined to one 8-byte word always changes the result; the length is
/// mixed in, so truncation does too. SHA3 over a 100,000-entry cache cost
/// about half its load time; this costs a few milliseconds.
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const P3: u64 = 0x1656_67B1_9E37_79F9;
    let round = |acc: u64, word: u64| {
        acc.wrapping_add(word.wrapping_mul(P2))
            .rotate_left(31)
            .wrapping_mul(P1)
    };
    // Four independent lanes keep the CPU's multipliers busy.
    let mut lanes = [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)];
    let (stripes, tail) = bytes.as_chunks::<32>();
    for stripe in stripes {
        let (words, _) = stripe.as_chunks::<8>();
        for (lane, word) in lanes.iter_mut().zip(words) {
            *lane = round(*lane, u64::from_le_bytes(*word));
        }
    }
    let mut h = lanes[0]
        .rotate_left(1)
        .wrapping_add(lanes[1].rotate_left(7))
        .wrapping_add(lanes[2].rotate_left(12))
        .wrapping_add(lanes[3].rotate_left(18))
        .wrapping_add(bytes.len() as u64);
    let (words, rest) = tail.as_chunks::<8>();
    for w in words {
        h = (h ^ round(0, u64::from_le_bytes(*w)))
            .rotate_left(27)
            .wrapping_mul(P1)
            .wrapping_add(P3);
    }
    for &b in rest {
        h = (h ^ u64::from(b).wrapping_mul(P3))
            .rotate_left(11)
            .wrapping_mul(P1);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(n).ok_or(DecodeError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(DecodeError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    /// The next `N` bytes as an array (fixed-size fields: no length to get wrong).
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let array = array_at(self.bytes, self.at)?;
        self.at += N;
        Ok(array)
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        self.array().map(u64::from_le_bytes)
    }
}

/// The `N` bytes of `bytes` at `at`, or `Truncated` when they run out.
fn array_at<const N: usize>(bytes: &[u8], at: usize) -> Result<[u8; N], DecodeError> {
    bytes
        .get(at..)
        .and_then(|b| b.first_chunk::<N>())
        .copied()
        .ok_or(DecodeError::Truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> HashMap<PathBuf, Entry> {
        let mut m = HashMap::new();
        for i in 0..3u8 {
            m.insert(
                PathBuf::from(format!("/img/a b\n{i}.gvmi")),
                Entry {
                    dev: 1,
                    ino: i.into(),
                    size: 10,
                    mtime_ns: -5,
                    ctime_ns: i64::MIN,
                    digest: Sha3Digest([i; DIGEST_LEN]),
                },
            );
        }
        m
    }

    #[test]
    fn round_trips() {
        let m = sample();
        assert_eq!(decode(&encode(&m)).unwrap(), m);
    }

    #[test]
    fn every_truncation_and_bit_flip_is_refused() {
        let bytes = encode(&sample());
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "truncated to {len}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x40;
            assert!(decode(&b).is_err(), "bit flip at {i}");
        }
    }

    #[test]
    fn another_version_is_named() {
        let mut bytes = encode(&sample());
        bytes[8..12].copy_from_slice(&2u32.to_le_bytes());
        assert_eq!(decode(&bytes), Err(DecodeError::Version(2)));
    }
}
