//! Reading a `.gvmi` the way ya-runtime-vm does, to name its defects first.
//!
//! Layout (gvmkit-build writes it): `[squashfs][u32 LE CRC32 of JSON][JSON]
//! [8 ASCII digits: JSON length]`. It is read from the end; only the first
//! 96 bytes and the trailer are read, never the whole file, and every
//! offset is computed with checked arithmetic so no input can panic us.

pub(crate) mod defect;
pub(crate) mod metadata;
pub mod report;
pub(crate) mod squashfs;

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use serde::Serialize;

pub(crate) use defect::Defect;
pub(crate) use metadata::ContainerConfig;
pub(crate) use squashfs::Superblock;

/// Digits in the metadata length field.
pub(crate) const LENGTH_DIGITS: usize = 8;
/// Bytes of the stored CRC32.
pub(crate) const CRC_LEN: u64 = 4;
/// Real configs are a few KiB; refusing more bounds what one inspection allocates.
pub(crate) const MAX_METADATA: u64 = 16 << 20;
/// gvmkit-build pads the squashfs to this boundary before the metadata.
const SQUASHFS_PADDING: u64 = 4096;

/// What an image is made of, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub size: u64,
    pub squashfs: Option<Superblock>,
    /// The JSON's length, from the 8-digit field.
    pub metadata_length: Option<u64>,
    /// Where the CRC32 + JSON start.
    pub metadata_offset: Option<u64>,
    pub(crate) crc32: Option<u32>,
    pub config: Option<ContainerConfig>,
    #[serde(serialize_with = "serialize_defects")]
    pub defects: Vec<Defect>,
}

impl Inspection {
    fn new(size: u64) -> Self {
        Inspection {
            size,
            squashfs: None,
            metadata_length: None,
            metadata_offset: None,
            crc32: None,
            config: None,
            defects: Vec::new(),
        }
    }

    /// Valid means a provider's runtime will accept the file's structure.
    pub fn is_valid(&self) -> bool {
        self.defects.is_empty()
    }
}

fn serialize_defects<S: serde::Serializer>(d: &[Defect], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Named {
        code: &'static str,
        message: String,
    }
    let named: Vec<Named> = d
        .iter()
        .map(|d| Named {
            code: d.code(),
            message: d.to_string(),
        })
        .collect();
    named.serialize(s)
}

/// Random access to a file's bytes, so the same logic serves files and memory.
pub(crate) trait ReadAt {
    /// Exactly `len` bytes at `offset`, or an error.
    fn read_at(&mut self, offset: u64, len: usize) -> io::Result<Vec<u8>>;
}

impl ReadAt for &[u8] {
    fn read_at(&mut self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let start = usize::try_from(offset).map_err(|_| io::ErrorKind::UnexpectedEof)?;
        let end = start.checked_add(len).ok_or(io::ErrorKind::UnexpectedEof)?;
        self.get(start..end)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
    }
}

impl ReadAt for File {
    fn read_at(&mut self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.seek(SeekFrom::Start(offset))?;
        let mut buf = vec![0u8; len];
        self.read_exact(&mut buf)?;
        Ok(buf)
    }
}

/// Inspects an image held in memory (tests, the fuzzer).
pub fn inspect_bytes(bytes: &[u8]) -> Inspection {
    let mut source = bytes;
    // In-memory reads are bounds-checked against the same size, so this
    // cannot fail; if it ever did, the image must not pass as valid.
    let size = bytes.len() as u64;
    inspect(&mut source, size).unwrap_or_else(|e| {
        let mut out = Inspection::new(size);
        out.defects.push(Defect::ReadFailed {
            error: e.to_string(),
        });
        out
    })
}

/// Inspects the regular file at `path` (never opens a FIFO or device).
pub fn inspect_file(path: &Path) -> io::Result<Inspection> {
    let (mut file, meta) = crate::fsmeta::open_regular(path)?;
    inspect(&mut file, meta.len())
}

/// Inspects `size` bytes of `source`. Errors are I/O failures only;
/// everything wrong with the content is a `Defect` in the result.
pub(crate) fn inspect(source: &mut impl ReadAt, size: u64) -> io::Result<Inspection> {
    let mut out = Inspection::new(size);
    if size == 0 {
        out.defects.push(Defect::Empty);
        return Ok(out);
    }
    let head_len = size.min(squashfs::SUPERBLOCK_LEN as u64) as usize;
    let head = source.read_at(0, head_len)?;
    let (sb, defects) = squashfs::parse(&head, size);
    out.defects.extend(defects);
    let squashfs_whole = sb
        .as_ref()
        .filter(|s| s.bytes_used <= size)
        .map(|s| s.bytes_used);
    out.squashfs = sb;

    let tail_len = size.min(LENGTH_DIGITS as u64);
    let tail = source.read_at(size - tail_len, tail_len as usize)?;
    let Some(length) = parse_length(&tail) else {
        let nothing_after = squashfs_whole
            .is_some_and(|end| size <= end.div_ceil(SQUASHFS_PADDING) * SQUASHFS_PADDING);
        out.defects.push(if nothing_after {
            Defect::RawSquashfs
        } else {
            Defect::LengthNotDigits { tail }
        });
        return Ok(out);
    };
    out.metadata_length = Some(length);
    let Some(offset) = (length.checked_add(CRC_LEN + LENGTH_DIGITS as u64))
        .and_then(|trailer| size.checked_sub(trailer))
    else {
        out.defects.push(Defect::LengthTooLarge { length, size });
        return Ok(out);
    };
    if length > MAX_METADATA {
        out.defects.push(Defect::MetadataTooLarge { length });
        return Ok(out);
    }
    out.metadata_offset = Some(offset);
    if let Some(end) = squashfs_whole.filter(|&end| end > offset) {
        out.defects.push(Defect::MetadataOverlapsSquashfs {
            squashfs_end: end,
            metadata_start: offset,
        });
    }
    // Both fit in memory: length ≤ MAX_METADATA.
    let crc_bytes = source.read_at(offset, CRC_LEN as usize)?;
    let json = source.read_at(offset + CRC_LEN, length as usize)?;
    let stored = u32::from_le_bytes([crc_bytes[0], crc_bytes[1], crc_bytes[2], crc_bytes[3]]);
    out.crc32 = Some(stored);
    let computed = crc32fast::hash(&json);
    if stored != computed {
        out.defects.push(Defect::CrcMismatch { stored, computed });
    }
    let (config, defects) = metadata::parse(&json);
    out.config = config;
    out.defects.extend(defects);
    Ok(out)
}

/// The length field: exactly 8 ASCII digits (ya-runtime-vm parses them as decimal).
fn parse_length(tail: &[u8]) -> Option<u64> {
    if tail.len() != LENGTH_DIGITS || !tail.iter().all(u8::is_ascii_digit) {
        return None;
    }
    tail.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}
