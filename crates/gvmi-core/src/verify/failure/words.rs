//! What each failure says: the words users know from yapapi, golem-core
//! and providers, every outside value through `visible`.

use std::fmt;

use super::Failure;
use crate::visible::visible;

/// HEAD refused (401/403) while GET serves the object: what each client does.
pub(crate) const HEAD_ONLY_REFUSED: &str =
    "providers (GET) would download it; yapapi and golem-core (HEAD) would refuse it";

const SDKS_REFUSE: &str =
    "yapapi and golem-core send this HEAD request before using an image URL and will \
     refuse this URL (golem-js does not check)";

/// Every string a server or a URL provides (URLs, reason phrases, error
/// details) goes through `visible`: a reason phrase may hold escape sequences.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::HashMismatch {
                expected,
                served,
                bytes,
            } => write!(
                f,
                "the URL serves different bytes ({bytes} bytes):\n  \
                 expected SHA3-224 {expected}\n  \
                 served   SHA3-224 {served}\n\
                 A provider will fail the deployment with: \"Incorrect hash provided or \
                 downloaded image is corrupted: calculated hash {served} differs from the \
                 expected one {expected}\". Upload the file you hashed again (or purge the CDN cache)."
            ),
            Self::SizeMismatch { served, local } => write!(
                f,
                "the server's Content-Length is {served} bytes but the local image is \
                 {local} bytes: the URL serves a different file (a stale or partial upload?); \
                 providers would fail with a hash mismatch"
            ),
            Self::Oversized { expected } => write!(
                f,
                "the URL serves more than the {expected} bytes expected (reading stopped there): \
                 it is a different or endless file; providers would fail with a hash mismatch"
            ),
            Self::Truncated { received, expected } => write!(
                f,
                "truncated body: the connection closed after {received} of {expected} bytes \
                 (Content-Length); providers downloading it would get a corrupted image"
            ),
            Self::HeadStatus {
                url,
                status,
                text,
                get_serves_image,
            } => {
                if matches!(status, 401 | 403) && *get_serves_image == Some(true) {
                    return write!(
                        f,
                        "HEAD {} answered {status} {} but GET serves the image: \
                         {HEAD_ONLY_REFUSED}. Allow HEAD wherever GET is allowed \
                         (a CDN's allowed methods, the storage's access rules)",
                        visible(url),
                        visible(text)
                    );
                }
                let what = match status {
                    404 | 410 => "not found",
                    401 | 403 => "access denied (is the file public?)",
                    405 | 501 => "the server does not allow HEAD requests",
                    300..=399 => "a redirect without a usable Location header",
                    _ => "not 200 OK",
                };
                write!(
                    f,
                    "HEAD {} answered {status} {}: {what}; {SDKS_REFUSE}",
                    visible(url),
                    visible(text)
                )?;
                match get_serves_image {
                    Some(true) => f.write_str(
                        ". GET does serve the image, so only golem-js could use this URL as it is: \
                         allow HEAD on the server",
                    ),
                    Some(false) => f.write_str(". GET does not serve the image either"),
                    None => Ok(()),
                }
            }
            Self::GetStatus { url, status, text } => write!(
                f,
                "GET {} answered {status} {} although HEAD answered 200: \
                 providers will fail to download the image",
                visible(url),
                visible(text)
            ),
            Self::Status { url, status, text } => {
                let what = match status {
                    404 | 410 => ": not found",
                    401 | 403 => ": access denied (is the file public?)",
                    _ => "",
                };
                write!(
                    f,
                    "GET {} answered {status} {}{what}",
                    visible(url),
                    visible(text)
                )
            }
            Self::Storage { name, detail } => {
                write!(f, "{}: {}", visible(name), visible(detail))
            }
            Self::TooManyRedirects { url, limit } => write!(
                f,
                "more than {limit} redirects starting at {} (a redirect loop?); \
                 yapapi's HEAD request and providers' downloads will fail too",
                visible(url)
            ),
            Self::BadRedirect {
                from,
                location,
                reason,
            } => write!(
                f,
                "{} redirects to \"{}\", which gvmi does not follow: {}; \
                 providers need an http or https URL with a host",
                visible(from),
                visible(location),
                visible(reason)
            ),
            Self::Timeout {
                url,
                timeout,
                during,
            } => {
                // While waiting for an answer, bytes may drip in yet never make one.
                let what = if during.starts_with("waiting") {
                    "no complete answer within"
                } else {
                    "nothing arrived for"
                };
                write!(
                    f,
                    "timed out {during} {}: {what} {}s (change with --timeout)",
                    visible(url),
                    timeout.as_secs_f64()
                )
            }
            Self::Deadline {
                url,
                limit,
                during,
                received,
            } => write!(
                f,
                "timed out {during} {}: the check did not finish within its deadline of {:.1}s \
                 ({received} body bytes had arrived; a server dripping bytes?) \
                 (change with --deadline)",
                visible(url),
                limit.as_secs_f64()
            ),
            Self::Dns { host } => write!(
                f,
                "DNS failure: the host name {} does not resolve; providers cannot reach it either",
                visible(host)
            ),
            Self::Refused { url, detail } => {
                write!(f, "could not connect to {}: {}", visible(url), visible(detail))
            }
            Self::Tls { url, detail } => write!(
                f,
                "TLS error talking to {}: {}; providers check certificates too",
                visible(url),
                visible(detail)
            ),
            Self::InvalidUrl { url, detail } => {
                write!(f, "invalid URL \"{}\": {}", visible(url), visible(detail))
            }
            Self::Network { url, detail } => {
                write!(f, "network error with {}: {}", visible(url), visible(detail))
            }
            Self::Internal { url, detail } => write!(
                f,
                "internal error while checking {}: {} (a bug in gvmi: please report it)",
                visible(url),
                visible(detail)
            ),
        }
    }
}
