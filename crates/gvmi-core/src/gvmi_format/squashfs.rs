//! The squashfs 4.0 superblock at offset 0: the filesystem the VM boots.

use serde::Serialize;

use super::defect::Defect;

/// Bytes in a squashfs 4.0 superblock.
pub(crate) const SUPERBLOCK_LEN: usize = 96;
pub(crate) const MAGIC: &[u8; 4] = b"hsqs";

/// The superblock fields a user cares about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Superblock {
    pub version: String,
    pub compressor: String,
    pub(crate) compressor_id: u16,
    pub block_size: u32,
    pub inode_count: u32,
    /// Where the filesystem ends; the rest of the file is padding and metadata.
    pub bytes_used: u64,
    /// Seconds since the epoch, as mksquashfs recorded it.
    pub(crate) modified: u32,
}

/// Squashfs' compressor ids (squashfs_fs.h).
pub(crate) fn compressor_name(id: u16) -> Option<&'static str> {
    Some(match id {
        1 => "gzip",
        2 => "lzma",
        3 => "lzo",
        4 => "xz",
        5 => "lz4",
        6 => "zstd",
        _ => return None,
    })
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// Parses the head of a file of `size` bytes (`head` holds its first bytes,
/// up to `SUPERBLOCK_LEN`). Returns the superblock when it could be read,
/// and the defects found in it.
pub(crate) fn parse(head: &[u8], size: u64) -> (Option<Superblock>, Vec<Defect>) {
    if head.len() < MAGIC.len() {
        let mut magic = [0u8; 4];
        magic[..head.len()].copy_from_slice(head);
        return (None, vec![Defect::NotSquashfs { magic }]);
    }
    if &head[..4] != MAGIC {
        let magic = [head[0], head[1], head[2], head[3]];
        return (None, vec![Defect::NotSquashfs { magic }]);
    }
    if head.len() < SUPERBLOCK_LEN {
        return (None, vec![Defect::SuperblockTruncated { size }]);
    }
    let mut defects = Vec::new();
    let (major, minor) = (u16_at(head, 28), u16_at(head, 30));
    if (major, minor) != (4, 0) {
        defects.push(Defect::SquashfsVersion { major, minor });
    }
    let compressor_id = u16_at(head, 20);
    let compressor = match compressor_name(compressor_id) {
        Some(name) => name.to_string(),
        None => {
            defects.push(Defect::UnknownCompressor { id: compressor_id });
            format!("unknown ({compressor_id})")
        }
    };
    let block_size = u32_at(head, 12);
    let block_log = u16_at(head, 22);
    let sane = block_size.is_power_of_two()
        && (4096..=1 << 20).contains(&block_size)
        && u32::from(block_log) == block_size.trailing_zeros();
    if !sane {
        defects.push(Defect::BadBlockSize {
            block_size,
            block_log,
        });
    }
    let bytes_used = u64_at(head, 40);
    if bytes_used > size {
        defects.push(Defect::Truncated {
            squashfs_bytes: bytes_used,
            size,
        });
    }
    let sb = Superblock {
        version: format!("{major}.{minor}"),
        compressor,
        compressor_id,
        block_size,
        inode_count: u32_at(head, 4),
        bytes_used,
        modified: u32_at(head, 8),
    };
    (Some(sb), defects)
}
