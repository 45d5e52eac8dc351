//! A response body read in bounded pieces: never past the expected size,
//! a short one told from a whole one.

use std::io::Read;

use super::{Fetch, BUFFER};
use crate::verify::{classify, Failure};

/// A body as it arrives: never read past `limit + 1` bytes (the extra byte
/// proves it too long), a short one told from a whole one.
pub(super) struct Body<'u, R> {
    reader: R,
    url: &'u str,
    total: Option<u64>,
    limit: Option<u64>,
    pub(super) done: u64,
}

impl<'u, R: Read> Body<'u, R> {
    pub(super) fn new(reader: R, url: &'u str, total: Option<u64>, limit: Option<u64>) -> Self {
        Body {
            reader,
            url,
            total,
            limit,
            done: 0,
        }
    }

    /// The next bytes into `buf`: `None` at the end of the body.
    pub(super) fn read(
        &mut self,
        buf: &mut [u8],
        fetch: &Fetch<'_>,
    ) -> Result<Option<usize>, Failure> {
        loop {
            if fetch.job.cancel.is_cancelled() {
                return Err(fetch.cancelled());
            }
            let room = buf.len().min(BUFFER);
            let want = (self.limit).map_or(room, |l| (l + 1 - self.done).min(room as u64) as usize);
            let n = match self.reader.read(&mut buf[..want]) {
                Ok(0) => return Ok(None),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    // ureq's body reader says so when fewer than Content-Length bytes came.
                    return Err(Failure::Truncated {
                        received: self.done,
                        expected: self.total.unwrap_or(self.done),
                    });
                }
                Err(e) => return Err(classify::body_error(&e, self.url, &fetch.job.opts)),
            };
            self.done += n as u64;
            if let Some(expected) = self.limit.filter(|&l| self.done > l) {
                return Err(Failure::Oversized { expected });
            }
            return Ok(Some(n));
        }
    }

    /// The byte count of a body that ended: short of Content-Length is truncated.
    pub(super) fn end(&self) -> Result<u64, Failure> {
        match self.total.filter(|&t| self.done < t) {
            Some(expected) => Err(Failure::Truncated {
                received: self.done,
                expected,
            }),
            None => Ok(self.done),
        }
    }
}

pub(super) fn content_length(response: &ureq::Response) -> Option<u64> {
    response.header("content-length")?.trim().parse().ok()
}
