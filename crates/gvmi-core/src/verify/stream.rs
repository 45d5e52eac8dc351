//! A URL's body as a reader, fetched as a provider fetches it (one GET,
//! redirects followed after `image_url::check_http`), bounded as `verify`
//! bounds a check: the answer and every silence (`read_timeout`), the
//! whole download (its deadline), the body never read past the size
//! expected (or Content-Length) plus one byte, a short body told from a
//! whole one. The requests run on a helper thread (`fetch`); the reader's
//! thread watches it (`watch`) as it reads. Memory is `fetch::BUFFERS` ×
//! `fetch::CHUNK` (1 MiB) per stream whatever the body's size.
//!
//! A read that fails says why in an `io::Error` whose inner error is the
//! [`Failure`] (see [`failure_of`]); [`Stream::failure`] keeps it too.

use std::io::{self, Read};

use crossbeam_channel::{Receiver, Sender};

use super::fetch::{Mode, Msg, Opener};
use super::watch::{Step, Watch};
use super::{Failure, Options, Verified};
use crate::cancel::CancelToken;

/// One body streaming in. Dropping it stops the helper at its next read.
pub struct Stream {
    watch: Option<(Watch, Receiver<Msg>)>,
    recycle: Sender<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
    stop: CancelToken,
    /// How the download ended, once it has.
    end: Option<Result<Verified, Failure>>,
    received: u64,
}

impl Stream {
    /// Starts downloading `url`; `size`, when known (a listing's), is what
    /// the body must be. Nothing blocks here: the first read waits.
    pub fn open(url: &str, size: Option<u64>, opts: &Options, cancel: &CancelToken) -> Stream {
        if let Err(e) = crate::image_url::check_http(url) {
            let failure = Failure::InvalidUrl {
                url: url.to_string(),
                detail: e.to_string(),
            };
            return Stream::ended(Err(failure));
        }
        Stream::start(url, size, None, opts, cancel)
    }

    /// Starts a download whose GET `opener` sends (a signed S3 request: no
    /// redirect is followed); `name` is what messages call it.
    pub fn open_with(
        name: &str,
        size: Option<u64>,
        opener: Opener,
        opts: &Options,
        cancel: &CancelToken,
    ) -> Stream {
        Stream::start(name, size, Some(opener), opts, cancel)
    }

    fn start(
        url: &str,
        size: Option<u64>,
        opener: Option<Opener>,
        opts: &Options,
        cancel: &CancelToken,
    ) -> Stream {
        let (recycle, taken) = crossbeam_channel::unbounded();
        let mode = Mode::Stream {
            recycle: taken,
            opener,
        };
        match super::start(url, size, mode, opts, cancel) {
            Ok((watch, rx, stop)) => Stream {
                watch: Some((watch, rx)),
                recycle,
                current: Vec::new(),
                pos: 0,
                stop,
                end: None,
                received: 0,
            },
            Err(failure) => Stream::ended(Err(failure)),
        }
    }

    fn ended(end: Result<Verified, Failure>) -> Stream {
        Stream {
            watch: None,
            recycle: crossbeam_channel::unbounded().0,
            current: Vec::new(),
            pos: 0,
            stop: CancelToken::new(),
            end: Some(end),
            received: 0,
        }
    }

    /// Why the download failed, once it has.
    pub fn failure(&self) -> Option<&Failure> {
        self.end.as_ref().and_then(|e| e.as_ref().err())
    }

    /// Where the download ended and its size, once the body ended whole.
    pub fn verified(&self) -> Option<&Verified> {
        self.end.as_ref().and_then(|e| e.as_ref().ok())
    }

    /// Whether a read would return at once: bytes are buffered, or the
    /// next buffer or the end has come (taken in here, without waiting).
    pub fn ready(&mut self) -> bool {
        if self.pos < self.current.len() || self.watch.is_none() {
            return true;
        }
        let Some((watch, rx)) = self.watch.as_mut() else {
            return true;
        };
        match watch.try_next(rx) {
            Some(step) => {
                self.take(step);
                true
            }
            None => false,
        }
    }

    /// Body bytes handed out so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next buffer, or the end (`false`).
    fn refill(&mut self) -> bool {
        let Some((watch, rx)) = self.watch.as_mut() else {
            return false;
        };
        let step = watch.next(rx, &mut |_| {});
        self.take(step)
    }

    /// Takes in a step of the download: a buffer (`true`), or its end.
    fn take(&mut self, step: Step) -> bool {
        match step {
            Step::Chunk(bytes) => {
                let old = std::mem::replace(&mut self.current, bytes);
                self.pos = 0;
                // The helper may be gone; the buffer then is just dropped.
                let _ = self.recycle.send(old);
                true
            }
            Step::Done(result) => {
                self.end = Some(result);
                self.watch = None;
                self.stop.cancel();
                false
            }
        }
    }
}

impl Read for Stream {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.current.len() {
            if !self.refill() {
                return match &self.end {
                    Some(Err(failure)) => Err(io::Error::other(failure.clone())),
                    _ => Ok(0),
                };
            }
        }
        let n = out.len().min(self.current.len() - self.pos);
        out[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        self.received += n as u64;
        Ok(n)
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// The [`Failure`] inside an error a [`Stream`] returned, if it is one.
pub fn failure_of(e: &io::Error) -> Option<&Failure> {
    e.get_ref()?.downcast_ref::<Failure>()
}
