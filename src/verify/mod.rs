//! Does a URL serve the image? What yapapi, golem-core and a provider will
//! do, in their order: HEAD (redirects followed; anything but 200 is fatal
//! to yapapi and golem-core), compare Content-Length with the local size,
//! then GET and SHA3-224 the body as it streams (never held in memory).
//!
//! Blocking (ureq): it runs on a CLI thread or a workbench worker thread.

mod classify;
pub mod failure;

use std::io::Read;
use std::time::Duration;

use crate::sha3_fast::Sha3_224;

use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
pub use failure::{exit, Failure};

/// Network limits; the defaults suit a CDN or a home server alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub connect_timeout: Duration,
    /// Longest silence while waiting for headers or body bytes.
    pub read_timeout: Duration,
    pub max_redirects: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_redirects: 10,
        }
    }
}

/// What the URL must serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub digest: Sha3Digest,
    /// The local file's size, when there is a local file.
    pub size: Option<u64>,
}

/// A URL that serves exactly the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Where the redirects ended.
    pub final_url: String,
    pub bytes: u64,
}

/// Where a verification is, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Head,
    /// Body bytes hashed so far, of the announced total if any.
    Get {
        done: u64,
        total: Option<u64>,
    },
}

/// Bytes read from the body per call; bounds memory whatever the image size.
const BUFFER: usize = 64 * 1024;

pub fn agent(opts: &Options) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(opts.connect_timeout)
        .timeout_read(opts.read_timeout)
        .redirects(opts.max_redirects)
        .user_agent(concat!("gvmi/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Runs the three checks against `url`. Cancellation is seen between body
/// chunks and reported as a network failure (callers drop the result).
pub fn verify(
    url: &str,
    expected: Expected,
    opts: &Options,
    cancel: &CancelToken,
    mut progress: impl FnMut(Stage),
) -> Result<Verified, Failure> {
    let agent = agent(opts);
    progress(Stage::Head);
    let head = match agent.head(url).call() {
        Ok(head) => head,
        Err(e) => {
            let mut failure = classify::error(e, url, opts, "HEAD");
            if let Failure::HeadStatus {
                status: 405 | 501,
                get_serves_image,
                ..
            } = &mut failure
            {
                // Tell the user whether fixing HEAD is all it takes.
                let get = get_and_hash(&agent, url, expected, opts, cancel, &mut progress);
                *get_serves_image = Some(get.is_ok());
            }
            return Err(failure);
        }
    };
    if head.status() != 200 {
        // ureq returns 2xx and unfollowed 3xx here; yapapi wants exactly 200.
        return Err(Failure::HeadStatus {
            url: url.to_string(),
            status: head.status(),
            text: head.status_text().to_string(),
            get_serves_image: None,
        });
    }
    if let (Some(served), Some(local)) = (content_length(&head), expected.size) {
        if served != local {
            return Err(Failure::SizeMismatch { served, local });
        }
    }
    get_and_hash(&agent, url, expected, opts, cancel, &mut progress)
}

/// Steps 2 (on GET's Content-Length) and 3: download, hash, compare.
fn get_and_hash(
    agent: &ureq::Agent,
    url: &str,
    expected: Expected,
    opts: &Options,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(Stage),
) -> Result<Verified, Failure> {
    let get = agent
        .get(url)
        .call()
        .map_err(|e| classify::error(e, url, opts, "GET"))?;
    if get.status() != 200 {
        return Err(Failure::GetStatus {
            url: url.to_string(),
            status: get.status(),
            text: get.status_text().to_string(),
        });
    }
    let final_url = get.get_url().to_string();
    let total = content_length(&get);
    if let (Some(served), Some(local)) = (total, expected.size) {
        if served != local {
            return Err(Failure::SizeMismatch { served, local });
        }
    }
    let (served, bytes) = hash_body(get.into_reader(), url, opts, total, cancel, |done| {
        progress(Stage::Get { done, total })
    })?;
    if let Some(expected_len) = total.filter(|&t| bytes < t) {
        return Err(Failure::Truncated {
            received: bytes,
            expected: expected_len,
        });
    }
    if served != expected.digest {
        return Err(Failure::HashMismatch {
            expected: expected.digest,
            served,
            bytes,
        });
    }
    Ok(Verified { final_url, bytes })
}

fn content_length(response: &ureq::Response) -> Option<u64> {
    response.header("content-length")?.trim().parse().ok()
}

/// SHA3-224 of the body as it arrives, with a fixed buffer.
fn hash_body(
    mut body: impl Read,
    url: &str,
    opts: &Options,
    total: Option<u64>,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> Result<(Sha3Digest, u64), Failure> {
    let mut hasher = Sha3_224::new();
    let mut buf = vec![0u8; BUFFER];
    let mut done = 0u64;
    loop {
        if cancel.is_cancelled() {
            return Err(Failure::Network {
                url: url.to_string(),
                detail: "cancelled".into(),
            });
        }
        let n = match body.read(&mut buf) {
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
            Err(e) => return Err(classify::body_error(&e, url, opts)),
        };
        hasher.update(&buf[..n]);
        done += n as u64;
        progress(done);
    }
    Ok((hasher.finalize(), done))
}
