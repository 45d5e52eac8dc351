//! The one HTTP client, for `verify` and `publish` alike: ureq (blocking,
//! rustls with ring and the webpki roots), one policy. The client never
//! follows a redirect itself: `verify` follows them by hand after checking
//! each target, and S3 requests follow none (signed requests must never
//! carry their credentials to another origin). Every wait is bounded:
//! connecting, each silence while sending or receiving, and each request
//! as a whole (its own deadline, given per request). Every body gvmi keeps
//! is read through [`read_capped`]: at most a cap fitting its purpose, and
//! no later than a deadline.

use std::io::{self, Read};
use std::time::{Duration, Instant};

/// What gvmi says it is.
pub(crate) const USER_AGENT: &str = concat!("gvmi/", env!("CARGO_PKG_VERSION"));

/// The slowest link a default deadline allows for: 256 KiB/s (2 Mbit/s).
pub(crate) const SLOW_LINK_BYTES_PER_SEC: u64 = 256 * 1024;

/// Timeouts of one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) connect: Duration,
    /// The longest silence while sending a request or waiting for bytes.
    pub(crate) silence: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect: Duration::from_secs(10),
            silence: Duration::from_secs(30),
        }
    }
}

impl Limits {
    /// How long one request moving `bytes` (sent or received) may take:
    /// four silences (connect, answer, slow starts) plus the bytes at
    /// [`SLOW_LINK_BYTES_PER_SEC`].
    pub(crate) fn deadline_for(&self, bytes: u64) -> Duration {
        let transfer = Duration::from_secs_f64(bytes as f64 / SLOW_LINK_BYTES_PER_SEC as f64);
        self.silence.saturating_mul(4).saturating_add(transfer)
    }
}

/// A client with `limits`, following no redirect.
pub(crate) fn agent(limits: &Limits) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(limits.connect)
        .timeout_read(limits.silence)
        .timeout_write(limits.silence)
        .redirects(0)
        .user_agent(USER_AGENT)
        .build()
}

/// Why [`read_capped`] stopped.
#[derive(Debug)]
pub(crate) enum End {
    /// The body ended: everything is in `bytes`.
    Whole,
    /// More than the cap was there; the rest was left unread.
    Capped,
    /// The deadline came first.
    Late,
    /// Reading failed (a timeout, a reset).
    Failed(io::Error),
}

/// A body read with [`read_capped`].
#[derive(Debug)]
pub(crate) struct Capped {
    pub(crate) bytes: Vec<u8>,
    pub(crate) end: End,
}

impl Capped {
    #[cfg(test)]
    fn is_whole(&self) -> bool {
        matches!(self.end, End::Whole)
    }

    /// The bytes as text, for XML and messages.
    pub(crate) fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// Reads at most `cap` bytes of `body`, and no later than `until` (checked
/// between reads; each read is bounded by the client's silence timeout).
/// Memory is bounded by `cap` whatever the server sends; the caller drops
/// the rest with the connection.
pub(crate) fn read_capped(mut body: impl Read, cap: usize, until: Instant) -> Capped {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if Instant::now() >= until {
            return Capped {
                bytes,
                end: End::Late,
            };
        }
        let want = (cap + 1 - bytes.len()).min(buf.len());
        match body.read(&mut buf[..want]) {
            Ok(0) => {
                return Capped {
                    bytes,
                    end: End::Whole,
                }
            }
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Capped {
                    bytes,
                    end: End::Failed(e),
                }
            }
        }
        if bytes.len() > cap {
            bytes.truncate(cap);
            return Capped {
                bytes,
                end: End::Capped,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_read_whole_up_to_the_cap_and_no_further() {
        let until = Instant::now() + Duration::from_secs(5);
        let whole = read_capped(&b"hello"[..], 5, until);
        assert!(whole.is_whole());
        assert_eq!(whole.bytes, b"hello");
        let endless = io::repeat(b'x');
        let capped = read_capped(endless, 100_000, until);
        assert!(matches!(capped.end, End::Capped));
        assert_eq!(capped.bytes.len(), 100_000);
    }

    #[test]
    fn a_body_past_its_deadline_stops() {
        let late = read_capped(io::repeat(b'x'), usize::MAX - 1, Instant::now());
        assert!(matches!(late.end, End::Late));
    }

    #[test]
    fn the_default_deadline_allows_four_silences_and_a_slow_link() {
        let limits = Limits::default();
        assert_eq!(limits.deadline_for(0), Duration::from_secs(120));
        assert_eq!(limits.deadline_for(8 << 20), Duration::from_secs(152));
    }
}
