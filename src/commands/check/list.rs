//! A checksum list as a stream of lines: opened like an operand (a pipe
//! works), read a line at a time, memory bounded however long a line is.

use std::fs;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use gvmi_core::fsmeta::{not_regular, FileKind};

/// Bytes of a line kept from its start, and from its end when it is longer.
/// A longer line cannot be a checksum line that names an openable file
/// (names stop at PATH_MAX, 4096 bytes, at most doubled by escapes).
pub const MAX_LINE: usize = 64 * 1024;

/// The list as a stream. Named lists are operands, read like standard input:
/// a pipe (`gvmi check <(…)`) works, and nothing is held whole. In gvmi's
/// own manner a folder is refused; in the sha3sum form it opens, as
/// `sysopen` opens it for sha3sum, and reads as an empty list.
pub fn open(list: &Path, form: bool) -> io::Result<Box<dyn BufRead>> {
    if list.as_os_str() == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    let file = fs::File::open(list)?;
    if !form && file.metadata()?.is_dir() {
        return Err(not_regular(FileKind::Directory));
    }
    Ok(Box::new(BufReader::with_capacity(64 * 1024, file)))
}

/// One line read by [`Lines::next`].
pub struct Line<'a> {
    /// The line without its `\n`, or for a line longer than [`MAX_LINE`]
    /// its first and last [`MAX_LINE`] bytes.
    pub bytes: &'a [u8],
    /// False for a longer line (its middle was skipped unkept).
    pub whole: bool,
}

#[derive(Default)]
pub struct Lines {
    head: Vec<u8>,
    tail: Vec<u8>,
    joined: Vec<u8>,
}

impl Lines {
    /// The next line; `Ok(None)` at the end.
    pub fn next(&mut self, reader: &mut dyn BufRead) -> io::Result<Option<Line<'_>>> {
        self.head.clear();
        self.tail.clear();
        let (mut any, mut whole) = (false, true);
        loop {
            let chunk = match reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (part, used, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], i + 1, true),
                None => (chunk, chunk.len(), false),
            };
            let room = MAX_LINE.saturating_sub(self.head.len());
            self.head.extend_from_slice(&part[..part.len().min(room)]);
            if part.len() > room {
                whole = false;
                self.tail.extend_from_slice(&part[room..]);
                if self.tail.len() > 2 * MAX_LINE {
                    self.tail.drain(..self.tail.len() - MAX_LINE);
                }
            }
            reader.consume(used);
            if end {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if whole {
            return Ok(Some(Line {
                bytes: &self.head,
                whole,
            }));
        }
        let keep = self.tail.len().min(MAX_LINE);
        self.joined.clear();
        self.joined.extend_from_slice(&self.head);
        self.joined
            .extend_from_slice(&self.tail[self.tail.len() - keep..]);
        Ok(Some(Line {
            bytes: &self.joined,
            whole,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_keep_their_ends_and_the_next_line_is_whole() {
        let mut text = b"x".repeat(3 * MAX_LINE);
        text.extend_from_slice(b"END\nnext\nlast");
        let mut reader = io::BufReader::with_capacity(1000, &text[..]);
        let mut lines = Lines::default();
        let long = lines.next(&mut reader).unwrap().unwrap();
        assert!(!long.whole);
        assert_eq!(long.bytes.len(), 2 * MAX_LINE);
        assert!(long.bytes.ends_with(b"xEND"));
        let next = lines.next(&mut reader).unwrap().unwrap();
        assert!(next.whole && next.bytes == b"next");
        assert_eq!(lines.next(&mut reader).unwrap().unwrap().bytes, b"last");
        assert!(lines.next(&mut reader).unwrap().is_none());
    }
}
