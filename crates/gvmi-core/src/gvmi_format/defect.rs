//! Everything that can be wrong with a `.gvmi`, each in plain words.

use std::fmt;

use crate::visible::visible_bytes;

/// One defect of an image. An image with none is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defect {
    /// Zero bytes: an upload or copy that never happened.
    Empty,
    /// The file does not start with a squashfs superblock.
    NotSquashfs { magic: [u8; 4] },
    /// Starts like a squashfs but ends before its 96-byte superblock does.
    SuperblockTruncated { size: u64 },
    /// A squashfs of a version other than 4.0, which the VM's kernel cannot mount.
    SquashfsVersion { major: u16, minor: u16 },
    /// A compressor id squashfs does not define.
    UnknownCompressor { id: u16 },
    /// Block size not a power of two in 4 KiB..=1 MiB, or disagreeing with its log.
    BadBlockSize { block_size: u32, block_log: u16 },
    /// The squashfs says it is longer than the file: cut off in transit.
    Truncated { squashfs_bytes: u64, size: u64 },
    /// A whole squashfs with nothing after it: gvmkit-build's output before
    /// the metadata was appended, or a plain `mksquashfs` image.
    RawSquashfs,
    /// The last 8 bytes are not ASCII digits, so there is no metadata length.
    LengthNotDigits { tail: Vec<u8> },
    /// The metadata length (plus CRC and length field) exceeds the file.
    LengthTooLarge { length: u64, size: u64 },
    /// The metadata is bigger than gvmi is willing to read.
    MetadataTooLarge { length: u64 },
    /// The metadata would start inside the squashfs.
    MetadataOverlapsSquashfs {
        squashfs_end: u64,
        metadata_start: u64,
    },
    /// The CRC32 stored before the JSON is not the CRC32 of the JSON.
    CrcMismatch { stored: u32, computed: u32 },
    /// The metadata is not JSON at all.
    JsonInvalid { error: String },
    /// Valid JSON, but not the object a container config is.
    JsonNotObject { kind: &'static str },
    /// A container config field of the wrong JSON type.
    FieldType {
        field: &'static str,
        expected: &'static str,
    },
    /// A read failed part-way (in memory: a bug; never reported as valid).
    ReadFailed { error: String },
}

impl Defect {
    /// A stable machine name, for `--json` and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::NotSquashfs { .. } => "not-squashfs",
            Self::SuperblockTruncated { .. } => "superblock-truncated",
            Self::SquashfsVersion { .. } => "squashfs-version",
            Self::UnknownCompressor { .. } => "unknown-compressor",
            Self::BadBlockSize { .. } => "bad-block-size",
            Self::Truncated { .. } => "truncated",
            Self::RawSquashfs => "raw-squashfs",
            Self::LengthNotDigits { .. } => "length-not-digits",
            Self::LengthTooLarge { .. } => "length-too-large",
            Self::MetadataTooLarge { .. } => "metadata-too-large",
            Self::MetadataOverlapsSquashfs { .. } => "metadata-overlaps-squashfs",
            Self::CrcMismatch { .. } => "crc-mismatch",
            Self::JsonInvalid { .. } => "json-invalid",
            Self::JsonNotObject { .. } => "json-not-object",
            Self::FieldType { .. } => "field-type",
            Self::ReadFailed { .. } => "read-failed",
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the file is empty (0 bytes)"),
            Self::NotSquashfs { magic } => write!(
                f,
                "not a squashfs: the file starts with \"{}\", not \"hsqs\"; this is not a VM image",
                visible_bytes(magic)
            ),
            Self::SuperblockTruncated { size } => write!(
                f,
                "truncated: only {size} bytes, less than the 96-byte squashfs superblock"
            ),
            Self::SquashfsVersion { major, minor } => write!(
                f,
                "squashfs version {major}.{minor}; VM images must be squashfs 4.0"
            ),
            Self::UnknownCompressor { id } => {
                write!(f, "unknown squashfs compressor id {id} (known: 1 to 6)")
            }
            Self::BadBlockSize {
                block_size,
                block_log,
            } => write!(
                f,
                "invalid squashfs block size {block_size} (log2 field {block_log})"
            ),
            Self::Truncated {
                squashfs_bytes,
                size,
            } => write!(
                f,
                "truncated: the squashfs alone is {squashfs_bytes} bytes but the file has only {size}"
            ),
            Self::RawSquashfs => f.write_str(
                "a squashfs without gvmi metadata: the container config trailer \
                 (CRC32, JSON, 8-digit length) that gvmkit-build appends is missing",
            ),
            Self::LengthNotDigits { tail } => write!(
                f,
                "no metadata trailer: the last 8 bytes (\"{}\") are not the 8-digit metadata \
                 length (truncated, or not written by gvmkit-build)",
                visible_bytes(tail)
            ),
            Self::LengthTooLarge { length, size } => write!(
                f,
                "metadata length {length} is larger than the file ({size} bytes) allows; \
                 truncated or corrupt"
            ),
            Self::MetadataTooLarge { length } => write!(
                f,
                "metadata length {length} bytes is implausibly large for a container config"
            ),
            Self::MetadataOverlapsSquashfs {
                squashfs_end,
                metadata_start,
            } => write!(
                f,
                "the metadata (from byte {metadata_start}) overlaps the squashfs \
                 (which ends at byte {squashfs_end})"
            ),
            Self::CrcMismatch { stored, computed } => write!(
                f,
                "metadata CRC32 mismatch: stored {stored:08x}, computed {computed:08x}; \
                 ya-runtime-vm will refuse it (\"Invalid ContainerConfig crc32 sum\")"
            ),
            Self::JsonInvalid { error } => write!(f, "the metadata is not valid JSON: {error}"),
            Self::JsonNotObject { kind } => write!(
                f,
                "the metadata is JSON {kind}, not the object a container config is"
            ),
            Self::FieldType { field, expected } => {
                write!(f, "container config field {field} is not {expected}")
            }
            Self::ReadFailed { error } => write!(f, "could not be read: {error}"),
        }
    }
}
