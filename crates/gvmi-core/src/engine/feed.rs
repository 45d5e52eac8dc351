//! Where a lane's bytes come from: the file mapped (`hasher::mapped`: no
//! copy, nothing to wait for between rounds) or, for small files and where
//! mapping is off or fails, read into a buffer of the lane's own.

use std::fs::File;
use std::io::{ErrorKind, Read};

use crate::fsmeta::Mapping;
use crate::hasher::{mapped, HashFailure, Opened};
use crate::sha3_fast::RATE;

/// Bytes buffered per read lane: a whole number of blocks, about 256 KiB.
/// Also the most a lane gives to one round, mapped or not, so progress and
/// cancellation keep their grain.
pub(super) const LANE_BUF: usize = RATE * 1820;

pub(super) enum Feed {
    /// Read into a reused buffer: `buf[start..end]` is read, not absorbed;
    /// `read` bytes have come from the file.
    Read {
        buf: Vec<u8>,
        start: usize,
        end: usize,
        read: u64,
        eof: bool,
    },
    /// The whole file mapped; its first `pos` bytes are absorbed.
    Mapped { map: Mapping, pos: usize },
}

impl Feed {
    /// The mapping if `opened` is to be mapped, else a read buffer (one of
    /// `spare`, or a new one).
    pub(super) fn for_file(opened: &Opened, spare: &mut Vec<Vec<u8>>) -> Feed {
        match mapped::map(opened) {
            Some(map) => Feed::Mapped { map, pos: 0 },
            None => Feed::Read {
                buf: spare.pop().unwrap_or_else(|| vec![0u8; LANE_BUF]),
                start: 0,
                end: 0,
                read: 0,
                eof: false,
            },
        }
    }

    /// The bytes not yet absorbed (for a mapping, all the rest of the file).
    pub(super) fn pending(&self) -> &[u8] {
        match self {
            Feed::Read {
                buf, start, end, ..
            } => &buf[*start..*end],
            Feed::Mapped { map, pos } => &map.bytes()[*pos..],
        }
    }

    /// Bytes absorbed so far.
    pub(super) fn hashed(&self) -> u64 {
        match self {
            Feed::Read {
                start, end, read, ..
            } => read - (end - start) as u64,
            Feed::Mapped { pos, .. } => *pos as u64,
        }
    }

    /// Bytes taken from the file: what [`crate::hasher::confirm`] compares
    /// with its size.
    pub(super) fn taken(&self) -> u64 {
        match self {
            Feed::Read { read, .. } => *read,
            Feed::Mapped { map, .. } => map.bytes().len() as u64,
        }
    }

    /// Whether every byte is in and less than a block is pending.
    pub(super) fn ended(&self) -> bool {
        let short = self.pending().len() < RATE;
        match self {
            Feed::Read { eof, .. } => *eof && short,
            Feed::Mapped { .. } => short,
        }
    }

    /// `n` pending bytes were absorbed.
    pub(super) fn consume(&mut self, n: usize) {
        match self {
            Feed::Read { start, .. } => *start += n,
            Feed::Mapped { map, pos } => {
                *pos += n;
                map.done_with(*pos);
            }
        }
    }

    /// Whether what was hashed is not the file: a mapped page vanished.
    pub(super) fn faulted(&self) -> bool {
        match self {
            Feed::Read { .. } => false,
            Feed::Mapped { map, .. } => map.faulted(),
        }
    }

    /// A read lane with less than a block pending reads until its buffer
    /// is full or the file ends; a mapping has everything already.
    pub(super) fn top_up(&mut self, mut file: &File) -> Result<(), HashFailure> {
        let Feed::Read {
            buf,
            start,
            end,
            read,
            eof,
        } = self
        else {
            return Ok(());
        };
        if *eof || *end - *start >= RATE {
            return Ok(());
        }
        buf.copy_within(*start..*end, 0);
        *end -= *start;
        *start = 0;
        while *end < buf.len() {
            match file.read(&mut buf[*end..]) {
                Ok(0) => {
                    *eof = true;
                    break;
                }
                Ok(n) => {
                    *end += n;
                    *read += n as u64;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The read buffer, for the next file's lane.
    pub(super) fn into_buffer(self) -> Option<Vec<u8>> {
        match self {
            Feed::Read { buf, .. } => Some(buf),
            Feed::Mapped { .. } => None,
        }
    }
}
