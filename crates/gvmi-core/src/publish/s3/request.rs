//! One S3 request on the wire: signed afresh for each attempt (SigV4 in
//! the `Authorization` header, `sign`), sent with the shared HTTP client,
//! retried when the storage was briefly unavailable, and answered with a
//! bounded body. A failure is a [`Fault`]: what happened in words, never
//! a request's headers (they carry the credential and the session token).

use std::time::{Duration, Instant};

use rusty_s3::Bucket;
use url::Url;

use super::sign::{amz_date_now, Signer};
use crate::cancel::CancelToken;
use crate::http::{self, End, Limits};
use crate::publish::error::{Fault, Trouble};

/// A success body kept for its XML (UploadId, ETags, a copy's result).
pub(super) const ANSWER_CAP: usize = 64 << 10;
/// An error body: S3's `<Error>` is a few hundred bytes.
const ERROR_CAP: usize = 8 << 10;
/// How long an error body may take to arrive; the rest is dropped.
const ERROR_TIME: Duration = Duration::from_secs(5);
/// Attempts of one request, and the pauses between them.
const BACKOFF: [Duration; 2] = [Duration::from_millis(300), Duration::from_secs(1)];

/// The answer headers gvmi reads; the others are never kept.
const KEPT: [&str; 4] = [
    "content-length",
    "etag",
    "x-amz-meta-sha3-224",
    "x-amz-bucket-region",
];

/// The bucket, the keys and the client: everything a request needs.
pub(super) struct Client {
    pub(crate) agent: ureq::Agent,
    pub(crate) bucket: Bucket,
    pub(crate) signer: Signer,
    pub(crate) limits: Limits,
}

/// One request, before signing.
pub(super) struct Call<'a> {
    /// The S3 operation, as messages name it (`PutObject`, `UploadPart`…).
    pub(crate) op: &'static str,
    pub(crate) method: &'static str,
    pub(crate) url: Url,
    /// Sent and signed (lowercase names).
    pub(crate) headers: &'a [(&'static str, String)],
    pub(crate) body: &'a [u8],
}

/// A 2xx answer: the headers gvmi reads and the body, whole.
pub(super) struct Reply {
    headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(n, _)| *n == name);
        found.map(|(_, v)| v.as_str())
    }
}

impl Client {
    /// Sends `call`, retrying a dropped connection or a 500/502/503/504
    /// (never a stall: its deadline is spent), until `cancel`.
    pub(crate) fn send(&self, call: &Call<'_>, cancel: &CancelToken) -> Result<Reply, Fault> {
        self.send_capped(call, ANSWER_CAP, cancel)
    }

    /// [`Client::send`] keeping a success body of up to `cap` bytes.
    pub(crate) fn send_capped(
        &self,
        call: &Call<'_>,
        cap: usize,
        cancel: &CancelToken,
    ) -> Result<Reply, Fault> {
        let limit = self.limits.deadline_for(call.body.len() as u64);
        retried(cancel, || {
            let until = Instant::now() + limit;
            let (response, reply) = self.respond(call, limit)?;
            read_answer(call.op, response, reply, cap, until, limit)
        })
    }

    /// Sends `call` (retried as [`Client::send`]) and hands back a success
    /// unread, for a body streamed by the caller within `limit` in all.
    pub(crate) fn open(
        &self,
        call: &Call<'_>,
        limit: Duration,
        cancel: &CancelToken,
    ) -> Result<ureq::Response, Fault> {
        retried(cancel, || {
            self.respond(call, limit).map(|(response, _)| response)
        })
    }

    /// One attempt, up to its answer: a success is handed back unread with
    /// the headers gvmi keeps; anything else is a fault, its body capped.
    fn respond(&self, call: &Call<'_>, limit: Duration) -> Result<(ureq::Response, Reply), Fault> {
        let until = Instant::now() + limit;
        let signed = (self.signer).sign(
            call.method,
            &call.url,
            call.headers,
            call.body,
            &amz_date_now(),
        );
        let mut request = self
            .agent
            .request_url(call.method, &call.url)
            .timeout(limit);
        for (name, value) in call.headers.iter().chain(&signed) {
            request = request.set(name, value);
        }
        let sent = match call.method {
            "PUT" | "POST" => request.send_bytes(call.body),
            _ => request.call(),
        };
        let response = match sent {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(ureq::Error::Transport(t)) => return Err(transport(call.op, &t)),
        };
        let status = response.status();
        let reason = response.status_text().to_string();
        let headers = KEPT
            .iter()
            .filter_map(|&n| response.header(n).map(|v| (n, v.to_string())))
            .collect::<Vec<_>>();
        let reply = Reply {
            headers,
            body: Vec::new(),
        };
        if !(200..300).contains(&status) {
            let soon = until.min(Instant::now() + ERROR_TIME);
            let body = http::read_capped(response.into_reader(), ERROR_CAP, soon);
            let text = body.text();
            return Err(Fault::Status {
                op: call.op,
                status,
                reason,
                code: tag(&text, "Code"),
                message: tag(&text, "Message"),
                region: reply.header("x-amz-bucket-region").map(str::to_string),
            });
        }
        Ok((response, reply))
    }
}

/// Runs `attempt` until it succeeds, fails for good, or its retries
/// ([`BACKOFF`]) are spent; never after `cancel`.
fn retried<T>(
    cancel: &CancelToken,
    mut attempt: impl FnMut() -> Result<T, Fault>,
) -> Result<T, Fault> {
    let mut tries = 0;
    loop {
        if cancel.is_cancelled() {
            return Err(Fault::Cancelled);
        }
        let result = attempt();
        match &result {
            Err(fault) if tries < BACKOFF.len() && is_passing(fault) => {
                std::thread::sleep(BACKOFF[tries]);
                tries += 1;
            }
            _ => return result,
        }
    }
}

/// A success's body, whole, at most `cap` bytes, by `until`.
fn read_answer(
    op: &'static str,
    response: ureq::Response,
    reply: Reply,
    cap: usize,
    until: Instant,
    limit: Duration,
) -> Result<Reply, Fault> {
    let body = http::read_capped(response.into_reader(), cap, until);
    let detail = match body.end {
        End::Whole => {
            return Ok(Reply {
                body: body.bytes,
                ..reply
            })
        }
        End::Capped => format!("the answer's body is over {} KiB", cap >> 10),
        // The same stall ureq's own deadline reports, seen between reads.
        End::Late => {
            return Err(Fault::Transport {
                op,
                trouble: Trouble::Stalled,
                detail: format!("the answer's body took over {}s", limit.as_secs()),
            })
        }
        End::Failed(e) => return Err(io_fault(op, &e, "reading the answer")),
    };
    Err(Fault::Answer { op, detail })
}

/// Worth another attempt: the storage was briefly away, not refusing.
fn is_passing(fault: &Fault) -> bool {
    match fault {
        Fault::Status { status, .. } => matches!(status, 500 | 502 | 503 | 504),
        Fault::Transport { trouble, .. } => matches!(trouble, Trouble::Refused | Trouble::Dropped),
        _ => false,
    }
}

/// Sorts ureq's transport error, keeping only its causes' words: its own
/// `Display` starts with the URL, which is signed.
fn transport(op: &'static str, t: &ureq::Transport) -> Fault {
    use std::error::Error as _;
    let mut io = None;
    let mut root = None;
    let mut source = t.source();
    while let Some(s) = source {
        io = io.or_else(|| s.downcast_ref::<std::io::Error>());
        root = Some(s.to_string());
        source = s.source();
    }
    let message = t.message().unwrap_or_default().to_string();
    let detail = root.unwrap_or_else(|| message.clone());
    use ureq::ErrorKind as K;
    let trouble = match t.kind() {
        K::Dns => Trouble::Dns,
        K::ConnectionFailed if message.contains("tls") => Trouble::Tls,
        K::ConnectionFailed if io.is_some_and(is_timeout) => Trouble::ConnectTimeout,
        K::ConnectionFailed => Trouble::Refused,
        K::BadStatus | K::BadHeader => Trouble::NotHttp,
        _ if io.is_some_and(is_timeout) => Trouble::Stalled,
        K::Io => Trouble::Dropped,
        _ => Trouble::Other,
    };
    Fault::Transport {
        op,
        trouble,
        detail,
    }
}

fn io_fault(op: &'static str, e: &std::io::Error, during: &str) -> Fault {
    let trouble = if is_timeout(e) {
        Trouble::Stalled
    } else {
        Trouble::Dropped
    };
    Fault::Transport {
        op,
        trouble,
        detail: format!("{during}: {}", crate::io_error::message(e)),
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    // A socket timeout is EAGAIN (WouldBlock) on Unix, TimedOut elsewhere.
    use std::io::ErrorKind as K;
    matches!(e.kind(), K::TimedOut | K::WouldBlock)
}

/// A 200 whose body is an S3 `<Error>` (CopyObject and
/// CompleteMultipartUpload answer early and may fail after): a fault.
pub(super) fn error_inside(op: &'static str, body: &[u8]) -> Result<(), Fault> {
    let text = String::from_utf8_lossy(body);
    match tag(&text, "Code") {
        Some(code) if text.contains("<Error>") => Err(Fault::Status {
            op,
            status: 200,
            reason: "OK".into(),
            code: Some(code),
            message: tag(&text, "Message"),
            region: None,
        }),
        _ => Ok(()),
    }
}

/// A success whose body lacks what it must hold.
pub(super) fn unexpected(op: &'static str, body: &str) -> Fault {
    let start: String = body.chars().take(80).collect();
    Fault::Answer {
        op,
        detail: format!("the answer is not what S3 sends ({start:?}…)"),
    }
}

/// The text of the first `<name>` element of an S3 XML body (error
/// `Code`/`Message`, `UploadId`…), entities decoded; `None` when absent
/// or cut off. S3's XML is flat enough that this is all gvmi needs.
pub(super) fn tag(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    let raw = &xml[start..end];
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_decoded_or_not_at_all() {
        let xml = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code>\
                   <Message>a &amp; b &lt;c&gt;</Message></Error>";
        assert_eq!(tag(xml, "Code").as_deref(), Some("NoSuchBucket"));
        assert_eq!(tag(xml, "Message").as_deref(), Some("a & b <c>"));
        assert_eq!(tag(xml, "UploadId"), None);
        assert_eq!(tag("<Code>cut off", "Code"), None);
    }
}
