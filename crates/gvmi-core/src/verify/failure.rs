//! Why a published URL would not work, each with its own exit code and the
//! words a user will recognise from yapapi, golem-core or a provider.

use std::time::Duration;

mod words;

pub(crate) use words::HEAD_ONLY_REFUSED;

use crate::digest::Sha3Digest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The URL serves other bytes than the image: a provider fails the deployment.
    HashMismatch {
        expected: Sha3Digest,
        served: Sha3Digest,
        bytes: u64,
    },
    /// `Content-Length` differs from the local file's size.
    SizeMismatch {
        served: u64,
        local: u64,
    },
    /// The body went on past the size expected (the local file's, or
    /// `Content-Length`); reading stopped one byte after it.
    Oversized {
        expected: u64,
    },
    /// The body ended before `Content-Length` bytes arrived.
    Truncated {
        received: u64,
        expected: u64,
    },
    /// HEAD (which yapapi and golem-core send first) did not answer 200.
    HeadStatus {
        url: String,
        status: u16,
        text: String,
        /// For a server that refuses HEAD (405, 501): whether GET serves the image.
        get_serves_image: Option<bool>,
    },
    /// HEAD was fine but GET was not.
    GetStatus {
        url: String,
        status: u16,
        text: String,
    },
    /// A download (GET only, as a provider fetches) did not answer 200.
    Status {
        url: String,
        status: u16,
        text: String,
    },
    /// The storage refused or failed a signed request (its words, secrets removed).
    Storage {
        name: String,
        detail: String,
    },
    TooManyRedirects {
        url: String,
        limit: u32,
    },
    /// A redirect to something that is not an http(s) URL with a host.
    BadRedirect {
        from: String,
        location: String,
        reason: String,
    },
    /// Nothing arrived for `timeout` (connecting, the answer, the next body bytes).
    Timeout {
        url: String,
        timeout: Duration,
        during: &'static str,
    },
    /// The whole check of the URL took longer than its deadline (a drip).
    Deadline {
        url: String,
        limit: Duration,
        during: &'static str,
        received: u64,
    },
    Dns {
        host: String,
    },
    Refused {
        url: String,
        detail: String,
    },
    Tls {
        url: String,
        detail: String,
    },
    InvalidUrl {
        url: String,
        detail: String,
    },
    /// Anything else on the wire (bad status line, reset connection, …).
    Network {
        url: String,
        detail: String,
    },
    /// A bug in gvmi (a panic while checking), caught at the thread boundary.
    Internal {
        url: String,
        detail: String,
    },
}

/// The exit codes, documented in README's table.
pub mod exit {
    pub const OK: u8 = 0;
    pub(crate) const HASH_MISMATCH: u8 = 1;
    /// Usage errors and unreadable local images, as in every gvmi command.
    pub const USAGE: u8 = 2;
    pub(crate) const SIZE_MISMATCH: u8 = 3;
    pub(crate) const TRUNCATED: u8 = 4;
    pub(crate) const NOT_FOUND: u8 = 5;
    pub(crate) const FORBIDDEN: u8 = 6;
    pub(crate) const HEAD_NOT_ALLOWED: u8 = 7;
    pub(crate) const OTHER_STATUS: u8 = 8;
    pub(crate) const REDIRECTS: u8 = 9;
    pub(crate) const TIMEOUT: u8 = 10;
    pub(crate) const DNS: u8 = 11;
    pub(crate) const REFUSED: u8 = 12;
    pub(crate) const TLS: u8 = 13;
    pub(crate) const INVALID_URL: u8 = 14;
    pub(crate) const NETWORK: u8 = 15;
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::HashMismatch { .. } => exit::HASH_MISMATCH,
            Self::SizeMismatch { .. } | Self::Oversized { .. } => exit::SIZE_MISMATCH,
            Self::Truncated { .. } => exit::TRUNCATED,
            // Refused to HEAD only: what yapapi refuses, though providers would not.
            Self::HeadStatus {
                get_serves_image: Some(true),
                ..
            } => exit::HEAD_NOT_ALLOWED,
            Self::HeadStatus { status, .. }
            | Self::GetStatus { status, .. }
            | Self::Status { status, .. } => match status {
                404 | 410 => exit::NOT_FOUND,
                401 | 403 => exit::FORBIDDEN,
                405 | 501 if matches!(self, Self::HeadStatus { .. }) => exit::HEAD_NOT_ALLOWED,
                _ => exit::OTHER_STATUS,
            },
            Self::TooManyRedirects { .. } | Self::BadRedirect { .. } => exit::REDIRECTS,
            Self::Timeout { .. } | Self::Deadline { .. } => exit::TIMEOUT,
            Self::Dns { .. } => exit::DNS,
            Self::Refused { .. } => exit::REFUSED,
            Self::Tls { .. } => exit::TLS,
            Self::InvalidUrl { .. } => exit::INVALID_URL,
            Self::Network { .. } | Self::Internal { .. } | Self::Storage { .. } => exit::NETWORK,
        }
    }

    /// A stable name for `--json`'s `outcome`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::HashMismatch { .. } => "hash_mismatch",
            Self::SizeMismatch { .. } => "size_mismatch",
            Self::Oversized { .. } => "oversized",
            Self::Truncated { .. } => "truncated",
            Self::HeadStatus { .. } => "head_status",
            Self::GetStatus { .. } => "get_status",
            Self::Status { .. } => "status",
            Self::Storage { .. } => "storage",
            Self::TooManyRedirects { .. } => "too_many_redirects",
            Self::BadRedirect { .. } => "bad_redirect",
            Self::Timeout { .. } => "timeout",
            Self::Deadline { .. } => "deadline",
            Self::Dns { .. } => "dns",
            Self::Refused { .. } => "refused",
            Self::Tls { .. } => "tls",
            Self::InvalidUrl { .. } => "invalid_url",
            Self::Network { .. } => "network",
            Self::Internal { .. } => "internal",
        }
    }

    /// The HTTP status the server answered, when that is the failure.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::HeadStatus { status, .. }
            | Self::GetStatus { status, .. }
            | Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// At most 9 characters, for the workbench table's state column.
    pub fn tag(&self) -> String {
        match self {
            Self::HashMismatch { .. } => "mismatch".into(),
            Self::SizeMismatch { .. } | Self::Oversized { .. } => "size".into(),
            Self::Truncated { .. } => "truncated".into(),
            Self::HeadStatus {
                status,
                get_serves_image,
                ..
            } if *status == 405 || *get_serves_image == Some(true) => format!("HEAD {status}"),
            Self::HeadStatus { status, .. }
            | Self::GetStatus { status, .. }
            | Self::Status { status, .. } => format!("HTTP {status}"),
            Self::Storage { .. } => "storage".into(),
            Self::TooManyRedirects { .. } | Self::BadRedirect { .. } => "redirects".into(),
            Self::Timeout { .. } | Self::Deadline { .. } => "timeout".into(),
            Self::Dns { .. } => "DNS".into(),
            Self::Refused { .. } => "refused".into(),
            Self::Tls { .. } => "TLS".into(),
            Self::InvalidUrl { .. } => "bad URL".into(),
            Self::Network { .. } => "network".into(),
            Self::Internal { .. } => "bug".into(),
        }
    }

    /// A short name for one-line batch output and the workbench table.
    pub fn short(&self) -> String {
        match self {
            Self::HashMismatch { .. } => "hash mismatch".into(),
            Self::SizeMismatch { .. } => "size mismatch".into(),
            Self::Oversized { .. } => "body too long".into(),
            Self::Truncated { .. } => "truncated body".into(),
            Self::HeadStatus { status, .. } => format!("HEAD {status}"),
            Self::GetStatus { status, .. } | Self::Status { status, .. } => {
                format!("GET {status}")
            }
            Self::Storage { .. } => "storage error".into(),
            Self::TooManyRedirects { .. } => "too many redirects".into(),
            Self::BadRedirect { .. } => "bad redirect".into(),
            Self::Timeout { .. } => "timeout".into(),
            Self::Deadline { .. } => "deadline".into(),
            Self::Dns { .. } => "DNS failure".into(),
            Self::Refused { .. } => "connection refused".into(),
            Self::Tls { .. } => "TLS error".into(),
            Self::InvalidUrl { .. } => "invalid URL".into(),
            Self::Network { .. } => "network error".into(),
            Self::Internal { .. } => "internal error".into(),
        }
    }
}

impl std::error::Error for Failure {}
