//! Does a URL serve the image? What yapapi, golem-core and a provider will
//! do, in their order: HEAD (redirects followed; anything but 200 is fatal
//! to yapapi and golem-core), compare Content-Length with the local size,
//! then GET and SHA3-224 the body as it streams (never held in memory).
//!
//! Every wait is bounded: connecting (`connect_timeout`), each silence while
//! waiting for an answer or for body bytes (`read_timeout`), and the whole
//! check of one URL (its deadline, see [`Options::deadline_for`]), which ends
//! servers that drip a byte a second. The body is never read past the size
//! expected plus one byte. Redirects are followed here, each target checked
//! first (`image_url::check_http`), so no URL can reach ureq's panics.
//!
//! Blocking, with the shared client (`crate::http`): it runs on a CLI
//! thread or a workbench worker thread. The
//! requests themselves run on a helper thread (`fetch`) watched by this one
//! (`watch`): ureq cannot bound both each read and the whole request.

mod classify;
pub(crate) mod failure;
mod fetch;
pub mod stream;
mod watch;

use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
pub use failure::{exit, Failure};
pub use fetch::Opener;
pub use stream::Stream;

/// ureq's error for a `method` request to `url`, in `gvmi verify`'s words
/// (its default limits): for another module's request (`publish`'s check).
pub(crate) fn failure_of(e: ureq::Error, url: &str, method: &'static str) -> Failure {
    classify::error(e, url, &Options::default(), method)
}

/// Network limits; the defaults suit a CDN or a home server alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub connect_timeout: Duration,
    /// Longest silence while waiting for an answer or for body bytes.
    pub read_timeout: Duration,
    /// The whole check of one URL; `None`: [`Options::deadline_for`]'s default.
    pub deadline: Option<Duration>,
    pub max_redirects: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            deadline: None,
            max_redirects: 10,
        }
    }
}

/// The slowest link the default deadline allows for: 256 KiB/s (2 Mbit/s).
pub(crate) const SLOW_LINK_BYTES_PER_SEC: u64 = crate::http::SLOW_LINK_BYTES_PER_SEC;
/// The default deadline's allowance when the size is not known at all.
pub(crate) const UNKNOWN_SIZE_ALLOWANCE: Duration = Duration::from_secs(3600);

impl Options {
    /// How long checking one URL may take: `deadline` if set, else four read
    /// timeouts (HEAD, GET, redirects, slow starts) plus the time `size` bytes
    /// take at [`SLOW_LINK_BYTES_PER_SEC`] (an hour when the size is unknown).
    pub(crate) fn deadline_for(&self, size: Option<u64>) -> Duration {
        if let Some(deadline) = self.deadline {
            return deadline;
        }
        let transfer = match size {
            Some(bytes) => Duration::from_secs_f64(bytes as f64 / SLOW_LINK_BYTES_PER_SEC as f64),
            None => UNKNOWN_SIZE_ALLOWANCE,
        };
        self.read_timeout.saturating_mul(4).saturating_add(transfer)
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

/// Runs the three checks against `url`. Cancellation is seen within a
/// fraction of a second and reported as a network failure (callers drop
/// the result).
pub fn verify(
    url: &str,
    expected: Expected,
    opts: &Options,
    cancel: &CancelToken,
    progress: impl FnMut(Stage),
) -> Result<Verified, Failure> {
    if let Err(e) = crate::image_url::check_http(url) {
        return Err(Failure::InvalidUrl {
            url: url.to_string(),
            detail: e.to_string(),
        });
    }
    let mode = fetch::Mode::Verify(expected.digest);
    let (watch, rx, stop) = start(url, expected.size, mode, opts, cancel)?;
    let result = watch.run(&rx, progress);
    // A stalled helper sees this at its next read and ends by the deadline
    // at the latest (its socket waits are bounded by it).
    stop.cancel();
    result
}

/// Starts the helper thread of one check or stream and the watcher that
/// oversees it; the token stops the helper.
fn start(
    url: &str,
    size: Option<u64>,
    mode: fetch::Mode,
    opts: &Options,
    cancel: &CancelToken,
) -> Result<(watch::Watch, Receiver<fetch::Msg>, CancelToken), Failure> {
    let started = Instant::now();
    let (tx, rx) = crossbeam_channel::unbounded();
    let job = fetch::Job {
        url: url.to_string(),
        size,
        opts: *opts,
        started,
        cancel: cancel.child(),
    };
    let stop = job.cancel.clone();
    let spawned = std::thread::Builder::new()
        .name("gvmi-fetch".into())
        .spawn(move || fetch::run(job, mode, &tx));
    if let Err(e) = spawned {
        return Err(Failure::Internal {
            url: url.to_string(),
            detail: format!("cannot start a thread: {}", crate::io_error::message(&e)),
        });
    }
    let watch = watch::Watch::new(url, size, opts, started, cancel);
    Ok((watch, rx, stop))
}
