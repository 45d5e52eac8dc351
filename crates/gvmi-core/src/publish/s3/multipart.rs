//! A multipart upload in progress: the caller fills a part while
//! `in_flight` threads send the parts before it. Memory is bounded by
//! `in_flight + 1` part buffers, reused. The threads hand each part's ETag
//! (or its failure) back; the first failure ends the upload, and the caller
//! aborts it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, SendTimeoutError, Sender};
use rusty_s3::actions::{AbortMultipartUpload, CompleteMultipartUpload};

use super::request::{Call, Client};
use super::{url_of, S3};
use crate::cancel::CancelToken;
use crate::publish::error::{Fault, PublishError};

/// How often waits look at the cancel flag.
const POLL: Duration = Duration::from_millis(100);
/// How long an abort waits for parts still being sent before it tells S3.
const SETTLE: Duration = Duration::from_secs(2);

struct Part {
    number: u16,
    bytes: Vec<u8>,
}

struct Sent {
    number: u16,
    etag: Result<String, Fault>,
    /// The buffer back, for the next part.
    bytes: Vec<u8>,
}

/// An upload in progress; see the module's words.
pub(crate) struct Multipart<'a> {
    s3: &'a S3,
    key: Arc<str>,
    upload_id: Arc<str>,
    part_size: usize,
    filling: Vec<u8>,
    spare: Vec<Vec<u8>>,
    next: u16,
    jobs: Option<Sender<Part>>,
    sent: Receiver<Sent>,
    /// Parts handed to the threads and not yet back.
    out: usize,
    etags: Vec<(u16, String)>,
    /// Stops the threads' retries once the upload is given up.
    stop: CancelToken,
}

impl<'a> Multipart<'a> {
    pub(super) fn start(
        s3: &'a S3,
        key: String,
        upload_id: String,
        part_size: usize,
        in_flight: usize,
    ) -> Multipart<'a> {
        let (jobs, queue) = crossbeam_channel::bounded::<Part>(0);
        let (done, sent) = crossbeam_channel::unbounded();
        let (key, upload_id): (Arc<str>, Arc<str>) = (key.into(), upload_id.into());
        let stop = CancelToken::new();
        for n in 0..in_flight.max(1) {
            let (client, queue, done) = (Arc::clone(&s3.client), queue.clone(), done.clone());
            let (key, id, stop) = (Arc::clone(&key), Arc::clone(&upload_id), stop.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("gvmi-part-{n}"))
                .spawn(move || send_parts(&client, &key, &id, &queue, &done, &stop));
            // Fewer threads still work; none at all shows as a failed first part.
            drop(spawned);
        }
        Multipart {
            s3,
            key,
            upload_id,
            part_size,
            filling: Vec::with_capacity(part_size),
            spare: Vec::new(),
            next: 1,
            jobs: Some(jobs),
            sent,
            out: 0,
            etags: Vec::new(),
            stop,
        }
    }

    /// Adds `bytes` to the upload; a full part is handed to a thread,
    /// waiting while all are busy: this is what bounds memory.
    pub(crate) fn write(
        &mut self,
        mut bytes: &[u8],
        cancel: &CancelToken,
    ) -> Result<(), PublishError> {
        while !bytes.is_empty() {
            let take = (self.part_size - self.filling.len()).min(bytes.len());
            self.filling.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.filling.len() == self.part_size {
                self.ship(cancel)?;
            }
        }
        Ok(())
    }

    fn ship(&mut self, cancel: &CancelToken) -> Result<(), PublishError> {
        let fresh = (self.spare.pop()).unwrap_or_else(|| Vec::with_capacity(self.part_size));
        let bytes = std::mem::replace(&mut self.filling, fresh);
        let Some(jobs) = self.jobs.clone() else {
            return Err(PublishError::Upload(
                "the upload was already finished".into(),
            ));
        };
        if self.next == u16::MAX || self.next > 10_000 {
            return Err(PublishError::Upload("more than 10,000 parts".into()));
        }
        let mut part = Part {
            number: self.next,
            bytes,
        };
        loop {
            self.collect()?;
            match jobs.send_timeout(part, POLL) {
                Ok(()) => break,
                Err(SendTimeoutError::Timeout(p)) if !cancel.is_cancelled() => part = p,
                Err(SendTimeoutError::Timeout(_)) => return Err(PublishError::Interrupted),
                Err(SendTimeoutError::Disconnected(_)) => {
                    return Err(PublishError::Upload(
                        "cannot start the upload threads".into(),
                    ))
                }
            }
        }
        self.next += 1;
        self.out += 1;
        Ok(())
    }

    /// Takes in the parts sent so far; the first failure is returned.
    fn collect(&mut self) -> Result<(), PublishError> {
        while let Ok(sent) = self.sent.try_recv() {
            self.took(sent)?;
        }
        Ok(())
    }

    fn took(&mut self, sent: Sent) -> Result<(), PublishError> {
        self.out -= 1;
        let mut bytes = sent.bytes;
        bytes.clear();
        self.spare.push(bytes);
        match sent.etag {
            Ok(etag) => {
                self.etags.push((sent.number, etag));
                Ok(())
            }
            Err(Fault::Cancelled) => Err(PublishError::Interrupted),
            Err(fault) => Err(self.s3.fail(&fault)),
        }
    }

    /// Sends the last part, waits for every part, then completes the
    /// upload; on any failure (or cancellation) the upload is aborted.
    pub(crate) fn finish(mut self, cancel: &CancelToken) -> Result<(), PublishError> {
        let done = self.complete(cancel);
        if done.is_err() {
            let _ = self.abort_now();
        }
        done
    }

    fn complete(&mut self, cancel: &CancelToken) -> Result<(), PublishError> {
        if !self.filling.is_empty() || self.next == 1 {
            self.ship(cancel)?;
        }
        self.jobs = None;
        while self.out > 0 {
            match self.sent.recv_timeout(POLL) {
                Ok(sent) => self.took(sent)?,
                Err(RecvTimeoutError::Timeout) if !cancel.is_cancelled() => {}
                Err(RecvTimeoutError::Timeout) => return Err(PublishError::Interrupted),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PublishError::Upload("a part's thread ended".into()))
                }
            }
        }
        self.etags.sort();
        let etags: Vec<String> = self.etags.iter().map(|(_, e)| e.clone()).collect();
        let (key, id) = (Arc::clone(&self.key), Arc::clone(&self.upload_id));
        if cancel.is_cancelled() {
            return Err(PublishError::Interrupted);
        }
        // Once sent, the completion is the storage's to finish: waited for
        // (its deadline bounds it), never abandoned, so gvmi knows whether
        // the object is there (`upload::upload_file` says what it came to).
        self.s3.run(&CancelToken::new(), move |c, cancel| {
            let tags = etags.iter().map(String::as_str);
            let action = CompleteMultipartUpload::new(&c.bucket, None, &key, &id, tags);
            let url = url_of(action.clone());
            let body = action.body();
            let call = Call {
                op: "CompleteMultipartUpload",
                method: "POST",
                url,
                headers: &[],
                body: body.as_bytes(),
            };
            let reply = c.send(&call, cancel)?;
            // S3 answers 200 at once and may still fail: then the body is an <Error>.
            super::request::error_inside("CompleteMultipartUpload", &reply.body)
        })
    }

    /// Aborts the upload (AbortMultipartUpload): S3 drops the parts sent.
    /// Runs even after Ctrl-C; parts still being sent get a moment to end
    /// first, and the request is bounded by its deadline.
    pub(crate) fn abort(mut self) -> Result<(), PublishError> {
        self.abort_now()
    }

    fn abort_now(&mut self) -> Result<(), PublishError> {
        self.stop.cancel();
        self.jobs = None;
        let settle = Instant::now() + SETTLE;
        while self.out > 0 {
            match self.sent.recv_deadline(settle) {
                Ok(_) => self.out -= 1,
                Err(_) => break,
            }
        }
        let c = &self.s3.client;
        let action = AbortMultipartUpload::new(&c.bucket, None, &self.key, &self.upload_id);
        let call = Call {
            op: "AbortMultipartUpload",
            method: "DELETE",
            url: url_of(action),
            headers: &[],
            body: &[],
        };
        match c.send(&call, &CancelToken::new()) {
            Ok(_) | Err(Fault::Status { status: 404, .. }) => Ok(()),
            Err(fault) => Err(self.s3.fail(&fault)),
        }
    }
}

/// One thread's work: send each part it is handed until the queue closes.
fn send_parts(
    c: &Client,
    key: &str,
    upload_id: &str,
    queue: &Receiver<Part>,
    done: &Sender<Sent>,
    stop: &CancelToken,
) {
    for part in queue {
        let call = Call {
            op: "UploadPart",
            method: "PUT",
            url: url_of(c.bucket.upload_part(None, key, part.number, upload_id)),
            headers: &[],
            body: &part.bytes,
        };
        let etag = crate::caught::catch(|| c.send(&call, stop))
            .unwrap_or_else(|panic| {
                Err(Fault::Answer {
                    op: "UploadPart",
                    detail: panic.to_string(),
                })
            })
            .and_then(|reply| match reply.header("etag") {
                Some(etag) if !etag.is_empty() => Ok(etag.to_string()),
                _ => Err(Fault::Answer {
                    op: "UploadPart",
                    detail: "the answer has no ETag".into(),
                }),
            });
        let sent = Sent {
            number: part.number,
            etag,
            bytes: part.bytes,
        };
        if done.send(sent).is_err() {
            return;
        }
    }
}
