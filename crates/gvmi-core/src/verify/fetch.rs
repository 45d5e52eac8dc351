//! The requests of one check, on a helper thread that `watch` oversees:
//! HEAD, GET, redirects (each target checked before it is followed), and
//! the body hashed as it arrives (verify) or handed over in chunks
//! (`stream`), never read past the expected size.
//!
//! ureq's own deadline (the check's deadline plus a grace second) bounds
//! every socket wait here, so even a helper left behind by a watcher that
//! gave up ends by then; the cancel flag stops it at its next read.

use std::cell::Cell;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

mod body;
mod redirect;

use body::{content_length, Body};
use redirect::redirect_target;

use super::{classify, Failure, Options, Verified};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::sha3_fast::Sha3_224;

/// What the helper tells its watcher.
pub(super) enum Msg {
    /// A request went out; its answer is awaited.
    Waiting(&'static str),
    /// An answer announced this Content-Length (the default deadline uses it).
    Length(u64),
    /// Body bytes hashed so far.
    Body {
        done: u64,
        total: Option<u64>,
    },
    /// Stream mode: body bytes, in one of the stream's buffers (`done`
    /// counts them in).
    Chunk {
        bytes: Vec<u8>,
        done: u64,
        total: Option<u64>,
    },
    /// The failure to report if the rest (the GET after a HEAD 405) runs out of time.
    Pending(Failure),
    Done(Result<Verified, Failure>),
}

/// Sends a GET somewhere other than a plain URL (a signed S3 request),
/// with ureq's whole-request timeout; follows no redirect.
pub type Opener = Box<dyn FnOnce(Duration) -> Result<ureq::Response, Failure> + Send>;

/// What a helper does.
pub(super) enum Mode {
    /// HEAD, then GET hashed here and compared with this digest.
    Verify(Sha3Digest),
    /// GET only, as a provider downloads; the body goes to the watcher in
    /// at most `buffers` buffers, taken back on `recycle`.
    Stream {
        recycle: Receiver<Vec<u8>>,
        opener: Option<Opener>,
    },
}

pub(super) struct Job {
    /// The URL (stream mode with an opener: what messages call the object).
    pub url: String,
    /// The size expected (a local file's, a listing's), if known.
    pub size: Option<u64>,
    pub opts: Options,
    pub started: Instant,
    pub cancel: CancelToken,
}

/// Bytes read from the body per call; bounds memory whatever the image size.
const BUFFER: usize = 64 * 1024;
/// Stream mode: a stream's buffers, each [`CHUNK`] bytes: memory per
/// stream is bounded by their product whatever the object's size.
pub(super) const BUFFERS: usize = 4;
pub(super) const CHUNK: usize = 256 * 1024;
/// Stream mode: a buffer not yet full goes out after this long, so a slow
/// body still shows progress (and a drip is seen as one, not as silence).
const FLUSH: Duration = Duration::from_millis(50);
/// The helper's own deadline is this much after the watcher's, so the
/// watcher (which knows what was going on) always reports first.
const GRACE: Duration = Duration::from_secs(1);

pub(super) fn run(job: Job, mode: Mode, tx: &Sender<Msg>) {
    let url = job.url.clone();
    let result = crate::caught::catch(move || {
        let fetch = Fetch::new(job, tx);
        match mode {
            Mode::Verify(digest) => fetch.verify(digest),
            Mode::Stream { recycle, opener } => fetch.stream(&recycle, opener),
        }
    })
    .unwrap_or_else(|panic| {
        Err(Failure::Internal {
            url,
            detail: panic.message().to_string(),
        })
    });
    let _ = tx.send(Msg::Done(result));
}

struct Fetch<'a> {
    job: Job,
    tx: &'a Sender<Msg>,
    agent: ureq::Agent,
    deadline: Cell<Instant>,
}

impl<'a> Fetch<'a> {
    fn new(job: Job, tx: &'a Sender<Msg>) -> Self {
        // The shared client follows no redirect: `request` does, after
        // checking where each leads.
        let agent = crate::http::agent(&crate::http::Limits {
            connect: job.opts.connect_timeout,
            silence: job.opts.read_timeout,
        });
        let deadline = job.started + job.opts.deadline_for(job.size);
        Fetch {
            job,
            tx,
            agent,
            deadline: Cell::new(deadline),
        }
    }

    fn send(&self, msg: Msg) {
        // A watcher that gave up has cancelled us; nothing to tell it.
        let _ = self.tx.send(msg);
    }

    /// A Content-Length sets the default deadline when no size was expected.
    fn announce(&self, length: u64) {
        self.send(Msg::Length(length));
        if self.job.size.is_none() {
            let limit = self.job.opts.deadline_for(Some(length));
            self.deadline.set(self.job.started + limit);
        }
    }

    /// ureq's whole-request timeout: the deadline left, plus the grace.
    fn timeout(&self) -> Duration {
        (self.deadline.get()).saturating_duration_since(Instant::now()) + GRACE
    }

    fn verify(&self, digest: Sha3Digest) -> Result<Verified, Failure> {
        let url = &self.job.url;
        let head = match self.request("HEAD", url) {
            Ok(head) => head,
            Err(mut failure) => {
                if let Failure::HeadStatus {
                    status: 401 | 403 | 405 | 501,
                    ..
                } = failure
                {
                    // Tell the user whether fixing HEAD is all it takes (a
                    // 403 to HEAD only: moto, some CDNs, GET-only policies).
                    self.send(Msg::Pending(failure.clone()));
                    let serves = self.get_and_hash(url, digest).is_ok();
                    if let Failure::HeadStatus {
                        get_serves_image, ..
                    } = &mut failure
                    {
                        *get_serves_image = Some(serves);
                    }
                }
                return Err(failure);
            }
        };
        if head.status() != 200 {
            // 2xx other than 200, or a 3xx without Location: yapapi wants exactly 200.
            return Err(Failure::HeadStatus {
                url: head.get_url().to_string(),
                status: head.status(),
                text: head.status_text().to_string(),
                get_serves_image: None,
            });
        }
        if let Some(served) = content_length(&head) {
            self.announce(served);
            if let Some(local) = self.job.size.filter(|&l| l != served) {
                return Err(Failure::SizeMismatch { served, local });
            }
        }
        self.get_and_hash(url, digest)
    }

    /// One request, following redirects (up to the limit) to checked targets.
    fn request(&self, method: &'static str, url: &str) -> Result<ureq::Response, Failure> {
        let mut current = url.to_string();
        let mut followed = 0;
        loop {
            self.send(Msg::Waiting(method));
            let response = (self.agent.request(method, &current))
                .timeout(self.timeout())
                .call()
                .map_err(|e| classify::error(e, &current, &self.job.opts, method))?;
            let location = match (response.status(), response.header("location")) {
                (301 | 302 | 303 | 307 | 308, Some(location)) => location.to_string(),
                _ => return Ok(response),
            };
            if followed == self.job.opts.max_redirects {
                return Err(Failure::TooManyRedirects {
                    url: url.to_string(),
                    limit: self.job.opts.max_redirects,
                });
            }
            followed += 1;
            current = redirect_target(&current, &location)?;
        }
    }

    /// The GET both modes start with: 200 only, its Content-Length against
    /// the size expected. Returns the answer, where it came from, its length.
    fn get(
        &self,
        url: &str,
        opener: Option<Opener>,
        no_head: bool,
    ) -> Result<(ureq::Response, String, Option<u64>), Failure> {
        let get = match opener {
            Some(open) => {
                self.send(Msg::Waiting("GET"));
                open(self.timeout())?
            }
            None => self.request("GET", url).map_err(|failure| match failure {
                // No HEAD went first: the words must not say it answered.
                Failure::GetStatus { url, status, text } if no_head => {
                    Failure::Status { url, status, text }
                }
                other => other,
            })?,
        };
        if get.status() != 200 {
            let (url, status) = (get.get_url().to_string(), get.status());
            let text = get.status_text().to_string();
            return Err(match no_head {
                true => Failure::Status { url, status, text },
                false => Failure::GetStatus { url, status, text },
            });
        }
        let final_url = get.get_url().to_string();
        let total = content_length(&get);
        if let Some(served) = total {
            self.announce(served);
            if let Some(expected) = self.job.size.filter(|&l| l != served) {
                return Err(Failure::SizeMismatch {
                    served,
                    local: expected,
                });
            }
        }
        Ok((get, final_url, total))
    }

    /// Steps 2 (on GET's Content-Length) and 3: download, hash, compare.
    fn get_and_hash(&self, url: &str, expected: Sha3Digest) -> Result<Verified, Failure> {
        let (get, final_url, total) = self.get(url, None, false)?;
        let mut hasher = Sha3_224::new();
        let mut buf = vec![0u8; BUFFER];
        let mut body = Body::new(
            get.into_reader(),
            &final_url,
            total,
            self.job.size.or(total),
        );
        self.send(Msg::Body { done: 0, total });
        while let Some(n) = body.read(&mut buf, self)? {
            hasher.update(&buf[..n]);
            self.send(Msg::Body {
                done: body.done,
                total,
            });
        }
        let (served, bytes) = (hasher.finalize(), body.end()?);
        if served != expected {
            return Err(Failure::HashMismatch {
                expected,
                served,
                bytes,
            });
        }
        Ok(Verified { final_url, bytes })
    }

    /// Stream mode: GET, and the body handed over in the stream's buffers,
    /// each sent when full, at the end, or [`FLUSH`] after its first byte.
    fn stream(
        &self,
        recycle: &Receiver<Vec<u8>>,
        opener: Option<Opener>,
    ) -> Result<Verified, Failure> {
        let (get, final_url, total) = self.get(&self.job.url, opener, true)?;
        let mut body = Body::new(
            get.into_reader(),
            &final_url,
            total,
            self.job.size.or(total),
        );
        let mut made = 0;
        self.send(Msg::Body { done: 0, total });
        loop {
            let mut buf = self.buffer(recycle, &mut made)?;
            let (mut filled, since) = (0, Instant::now());
            let mut ended = false;
            while filled < buf.len() && (filled == 0 || since.elapsed() < FLUSH) {
                match body.read(&mut buf[filled..], self)? {
                    Some(n) => filled += n,
                    None => {
                        ended = true;
                        break;
                    }
                }
            }
            buf.truncate(filled);
            let done = body.done;
            if filled > 0 {
                self.send(Msg::Chunk {
                    bytes: buf,
                    done,
                    total,
                });
            }
            if ended {
                let bytes = body.end()?;
                return Ok(Verified { final_url, bytes });
            }
        }
    }

    /// A buffer to fill: a new one while fewer than [`BUFFERS`] exist, else
    /// one the watcher's side gave back (waiting for it, cancellably).
    fn buffer(&self, recycle: &Receiver<Vec<u8>>, made: &mut usize) -> Result<Vec<u8>, Failure> {
        let mut buf = match recycle.try_recv() {
            Ok(buf) => buf,
            Err(_) if *made < BUFFERS => {
                *made += 1;
                Vec::with_capacity(CHUNK)
            }
            Err(_) => loop {
                match recycle.recv_timeout(Duration::from_millis(100)) {
                    Ok(buf) => break buf,
                    Err(RecvTimeoutError::Timeout) if !self.job.cancel.is_cancelled() => {}
                    Err(_) => return Err(self.cancelled()),
                }
            },
        };
        buf.resize(CHUNK, 0);
        Ok(buf)
    }

    fn cancelled(&self) -> Failure {
        Failure::Network {
            url: self.job.url.clone(),
            detail: "cancelled".into(),
        }
    }
}
