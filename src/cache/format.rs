//! The cache file, byte by byte (all integers little-endian):
//!
//! ```text
//! "GVMIHASH"  magic, 8 bytes
//! u32         format version (FORMAT_VERSION)
//! u64         entry count
//! entries     in path order: u16 bytes shared with the previous path,
//!             u32 length of the rest, the rest; u64 dev, u64 inode, u64 size,
//!             i64 mtime ns, i64 ctime ns (i64::MIN: unknown), 28-byte SHA3-224
//! 28 bytes    SHA3-224 of everything before it
//! ```
//!
//! A plain versioned file rather than an embedded database: the cache is
//! read whole once at start and replaced whole (temp file + rename), so it
//! needs no page cache, WAL or extra dependency, and a torn or foreign file
//! is detected by the trailer and version and simply rebuilt. Paths are
//! prefix-compressed (images sit in few folders), which halves the file.

use std::collections::HashMap;
use std::path::PathBuf;

use sha3::{Digest, Sha3_224};

use super::Entry;
use crate::digest::{Sha3Digest, DIGEST_LEN};
use crate::sumline::{bytes_path, path_bytes};

pub const MAGIC: &[u8; 8] = b"GVMIHASH";
/// Bump on any layout change: an old gvmi then rebuilds instead of misreading.
pub const FORMAT_VERSION: u32 = 1;
const HEADER: usize = 8 + 4 + 8;
const FIXED: usize = 8 * 5 + DIGEST_LEN;

/// Why a cache file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    NotACache,
    Version(u32),
    Truncated,
    Checksum,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotACache => f.write_str("not a gvmi hash cache"),
            Self::Version(v) => write!(
                f,
                "written in format v{v} by another gvmi version (this one reads v{FORMAT_VERSION})"
            ),
            Self::Truncated => f.write_str("truncated"),
            Self::Checksum => f.write_str("corrupt (checksum mismatch)"),
        }
    }
}

pub fn encode(entries: &HashMap<PathBuf, Entry>) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + entries.len() * (FIXED + 64) + DIGEST_LEN);
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
    let sum: [u8; DIGEST_LEN] = Sha3_224::digest(&out).into();
    out.extend_from_slice(&sum);
    out
}

pub fn decode(bytes: &[u8]) -> Result<HashMap<PathBuf, Entry>, DecodeError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(DecodeError::NotACache);
    }
    if bytes.len() < HEADER + DIGEST_LEN {
        return Err(DecodeError::Truncated);
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
    if version != FORMAT_VERSION {
        return Err(DecodeError::Version(version));
    }
    let (body, sum) = bytes.split_at(bytes.len() - DIGEST_LEN);
    let expected: [u8; DIGEST_LEN] = Sha3_224::digest(body).into();
    if sum != expected {
        // A short file fails here too; call it what it most likely is.
        return Err(DecodeError::Checksum);
    }
    let count = u64::from_le_bytes(body[12..20].try_into().unwrap());
    let mut reader = Reader {
        bytes: body,
        at: HEADER,
    };
    // The count is only a hint for the allocation: never trust it for more.
    let mut entries = HashMap::with_capacity(count.min(1 << 20) as usize);
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let shared = u16::from_le_bytes(reader.take(2)?.try_into().unwrap()) as usize;
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
            digest: Sha3Digest(reader.take(DIGEST_LEN)?.try_into().unwrap()),
        };
        entries.insert(path, entry);
    }
    if reader.at != body.len() {
        return Err(DecodeError::Checksum);
    }
    Ok(entries)
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

    fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
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
