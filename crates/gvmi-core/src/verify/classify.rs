//! ureq's errors, sorted into the failures a user can act on.

use std::error::Error as _;
use std::io;

use super::{Failure, Options};

/// The first `io::Error` in an error's source chain, if any.
fn io_source<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a io::Error> {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            return Some(io);
        }
        current = err.source();
    }
    None
}

fn is_timeout(e: &io::Error) -> bool {
    // A socket read timeout is EAGAIN (WouldBlock) on Unix, TimedOut elsewhere.
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

/// The words of the innermost cause, which say the most (e.g. rustls' reason).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = e;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

pub(super) fn error(e: ureq::Error, url: &str, opts: &Options, method: &'static str) -> Failure {
    let url_s = url.to_string();
    let transport = match e {
        ureq::Error::Status(status, response) => {
            let text = response.status_text().to_string();
            // The URL that answered, after redirects, is the one to fix.
            let url = response.get_url().to_string();
            return match method {
                "HEAD" => Failure::HeadStatus {
                    url,
                    status,
                    text,
                    get_serves_image: None,
                },
                _ => Failure::GetStatus { url, status, text },
            };
        }
        ureq::Error::Transport(t) => t,
    };
    let message = transport.message().unwrap_or_default().to_string();
    let io = transport.source().and_then(|s| io_source(s));
    let detail = transport
        .source()
        .map(root_cause)
        .unwrap_or_else(|| transport.to_string());
    use ureq::ErrorKind as K;
    match transport.kind() {
        K::InvalidUrl | K::UnknownScheme => Failure::InvalidUrl {
            url: url_s,
            detail: message,
        },
        K::Dns => Failure::Dns {
            host: (transport.url())
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or(url_s),
        },
        K::TooManyRedirects => Failure::TooManyRedirects {
            url: url_s,
            limit: opts.max_redirects,
        },
        K::ConnectionFailed if message.contains("tls") => Failure::Tls { url: url_s, detail },
        K::ConnectionFailed if io.is_some_and(is_timeout) => Failure::Timeout {
            url: url_s,
            timeout: opts.connect_timeout,
            during: "connecting to",
        },
        K::ConnectionFailed => Failure::Refused {
            url: url_s,
            detail: if io.is_some_and(|e| e.kind() == io::ErrorKind::ConnectionRefused) {
                "connection refused: nothing is listening at that host and port".into()
            } else {
                detail
            },
        },
        _ if io.is_some_and(is_timeout) => Failure::Timeout {
            url: url_s,
            timeout: opts.read_timeout,
            during: if method == "HEAD" {
                "waiting for the answer to HEAD"
            } else {
                "waiting for the answer to GET"
            },
        },
        K::BadStatus | K::BadHeader => Failure::Network {
            url: url_s,
            detail: format!("the answer is not valid HTTP ({detail})"),
        },
        _ => Failure::Network {
            url: url_s,
            detail: format!("{method}: {detail}"),
        },
    }
}

/// A failure while the body streams in.
pub(super) fn body_error(e: &io::Error, url: &str, opts: &Options) -> Failure {
    if is_timeout(e) {
        return Failure::Timeout {
            url: url.to_string(),
            timeout: opts.read_timeout,
            during: "reading the body of",
        };
    }
    Failure::Network {
        url: url.to_string(),
        detail: format!("reading the body: {}", crate::io_error::message(e)),
    }
}
