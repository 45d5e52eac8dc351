//! The requests of one check, on a helper thread that `watch` oversees:
//! HEAD, GET, redirects (each target checked before it is followed), and
//! the body hashed as it arrives, never read past the expected size.
//!
//! ureq's own deadline (the check's deadline plus a grace second) bounds
//! every socket wait here, so even a helper left behind by a watcher that
//! gave up ends by then; the cancel flag stops it at its next read.

use std::cell::Cell;
use std::io::Read;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use super::{classify, Expected, Failure, Options, Verified};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::image_url::{check_http, has_scheme};
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
    /// The failure to report if the rest (the GET after a HEAD 405) runs out of time.
    Pending(Failure),
    Done(Result<Verified, Failure>),
}

pub(super) struct Job {
    pub(crate) url: String,
    pub(crate) expected: Expected,
    pub(crate) opts: Options,
    pub(crate) started: Instant,
    pub(crate) cancel: CancelToken,
}

/// Bytes read from the body per call; bounds memory whatever the image size.
const BUFFER: usize = 64 * 1024;
/// The helper's own deadline is this much after the watcher's, so the
/// watcher (which knows what was going on) always reports first.
const GRACE: Duration = Duration::from_secs(1);

pub(super) fn run(job: Job, tx: &Sender<Msg>) {
    let result = crate::caught::catch(|| Fetch::new(&job, tx).verify()).unwrap_or_else(|panic| {
        Err(Failure::Internal {
            url: job.url.clone(),
            detail: panic.message().to_string(),
        })
    });
    let _ = tx.send(Msg::Done(result));
}

struct Fetch<'a> {
    job: &'a Job,
    tx: &'a Sender<Msg>,
    agent: ureq::Agent,
    deadline: Cell<Instant>,
}

impl<'a> Fetch<'a> {
    fn new(job: &'a Job, tx: &'a Sender<Msg>) -> Self {
        // The shared client follows no redirect: `request` does, after
        // checking where each leads.
        let agent = crate::http::agent(&crate::http::Limits {
            connect: job.opts.connect_timeout,
            silence: job.opts.read_timeout,
        });
        let deadline = job.started + job.opts.deadline_for(job.expected.size);
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

    /// A Content-Length sets the default deadline when there is no local size.
    fn announce(&self, length: u64) {
        self.send(Msg::Length(length));
        if self.job.expected.size.is_none() {
            let limit = self.job.opts.deadline_for(Some(length));
            self.deadline.set(self.job.started + limit);
        }
    }

    fn verify(&self) -> Result<Verified, Failure> {
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
                    let serves = self.get_and_hash(url).is_ok();
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
            if let Some(local) = self.job.expected.size.filter(|&l| l != served) {
                return Err(Failure::SizeMismatch { served, local });
            }
        }
        self.get_and_hash(url)
    }

    /// One request, following redirects (up to the limit) to checked targets.
    fn request(&self, method: &'static str, url: &str) -> Result<ureq::Response, Failure> {
        let mut current = url.to_string();
        let mut followed = 0;
        loop {
            self.send(Msg::Waiting(method));
            let timeout = self
                .deadline
                .get()
                .saturating_duration_since(Instant::now())
                + GRACE;
            let response = (self.agent.request(method, &current))
                .timeout(timeout)
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

    /// Steps 2 (on GET's Content-Length) and 3: download, hash, compare.
    fn get_and_hash(&self, url: &str) -> Result<Verified, Failure> {
        let get = self.request("GET", url)?;
        if get.status() != 200 {
            return Err(Failure::GetStatus {
                url: get.get_url().to_string(),
                status: get.status(),
                text: get.status_text().to_string(),
            });
        }
        let final_url = get.get_url().to_string();
        let total = content_length(&get);
        if let Some(served) = total {
            self.announce(served);
            if let Some(local) = self.job.expected.size.filter(|&l| l != served) {
                return Err(Failure::SizeMismatch { served, local });
            }
        }
        let limit = self.job.expected.size.or(total);
        let (served, bytes) = self.hash_body(get.into_reader(), &final_url, total, limit)?;
        if let Some(expected_len) = total.filter(|&t| bytes < t) {
            return Err(Failure::Truncated {
                received: bytes,
                expected: expected_len,
            });
        }
        let expected = self.job.expected.digest;
        if served != expected {
            return Err(Failure::HashMismatch {
                expected,
                served,
                bytes,
            });
        }
        Ok(Verified { final_url, bytes })
    }

    /// SHA3-224 of the body as it arrives, with a fixed buffer, reading at
    /// most `limit + 1` bytes (the extra byte proves the body is too long).
    fn hash_body(
        &self,
        mut body: impl Read,
        url: &str,
        total: Option<u64>,
        limit: Option<u64>,
    ) -> Result<(Sha3Digest, u64), Failure> {
        let mut hasher = Sha3_224::new();
        let mut buf = vec![0u8; BUFFER];
        let mut done = 0u64;
        self.send(Msg::Body { done, total });
        loop {
            if self.job.cancel.is_cancelled() {
                return Err(Failure::Network {
                    url: url.to_string(),
                    detail: "cancelled".into(),
                });
            }
            let want = limit.map_or(BUFFER, |l| (l + 1 - done).min(BUFFER as u64) as usize);
            let n = match body.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    // ureq's body reader says so when fewer than Content-Length bytes came.
                    return Err(Failure::Truncated {
                        received: done,
                        expected: total.unwrap_or(done),
                    });
                }
                Err(e) => return Err(classify::body_error(&e, url, &self.job.opts)),
            };
            done += n as u64;
            if let Some(expected) = limit.filter(|&l| done > l) {
                return Err(Failure::Oversized { expected });
            }
            hasher.update(&buf[..n]);
            self.send(Msg::Body { done, total });
        }
        Ok((hasher.finalize(), done))
    }
}

fn content_length(response: &ureq::Response) -> Option<u64> {
    response.header("content-length")?.trim().parse().ok()
}

/// Where a redirect from `current` to `location` leads, if gvmi may go there:
/// http or https with a host. An absolute or scheme-relative Location is
/// checked as written, since URL parsers repair `http:///x` into host `x`.
fn redirect_target(current: &str, location: &str) -> Result<String, Failure> {
    let bad = |reason: String| Failure::BadRedirect {
        from: current.to_string(),
        location: location.to_string(),
        reason,
    };
    if location.chars().any(char::is_control) {
        return Err(bad("the Location holds a control character".into()));
    }
    let base = url::Url::parse(current).map_err(|e| bad(e.to_string()))?;
    let written = match location.strip_prefix("//") {
        Some(_) => format!("{}:{location}", base.scheme()),
        None => location.to_string(),
    };
    if has_scheme(&written) {
        check_http(&written).map_err(|e| bad(e.to_string()))?;
    }
    let target = base.join(location).map_err(|e| bad(e.to_string()))?;
    check_http(target.as_str()).map_err(|e| bad(e.to_string()))?;
    Ok(target.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(location: &str) -> String {
        match redirect_target("http://127.0.0.1:8/a/b.gvmi", location) {
            Err(Failure::BadRedirect { reason, .. }) => reason,
            other => panic!("{location}: {other:?}"),
        }
    }

    #[test]
    fn relative_and_absolute_http_targets_are_followed() {
        let to = |l| redirect_target("http://127.0.0.1:8/a/b.gvmi", l).unwrap();
        assert_eq!(to("/x.gvmi"), "http://127.0.0.1:8/x.gvmi");
        assert_eq!(to("c.gvmi"), "http://127.0.0.1:8/a/c.gvmi");
        assert_eq!(
            to("https://cdn.example/i.gvmi"),
            "https://cdn.example/i.gvmi"
        );
        assert_eq!(to("//cdn.example/i.gvmi"), "http://cdn.example/i.gvmi");
    }

    #[test]
    fn other_schemes_and_hostless_targets_are_refused() {
        assert!(reason("file:///etc/passwd").contains("\"file\""));
        assert!(reason("data:,x").contains("\"data\""));
        assert!(reason("mailto:a@b").contains("\"mailto\""));
        assert_eq!(reason("http:///x"), "the URL has no host");
        assert_eq!(reason("///x"), "the URL has no host");
        assert!(reason("/a\x1b[31m").contains("control character"));
    }
}
