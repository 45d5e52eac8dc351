//! Why publishing an image failed, in storage terms, with an exit code each.

use std::fmt;

/// One failure; `exit_code` tells a script which kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishError {
    /// The local image could not be read, or changed while it was read.
    Local(String),
    /// No credentials, or the storage rejected them or their permissions.
    Credentials(String),
    /// The endpoint could not be reached at all (DNS, refused, timeout).
    Unreachable(String),
    /// The bucket does not exist at the endpoint.
    NoBucket(String),
    /// The storage answered but the upload failed (a server error, the
    /// connection dropped mid-upload).
    Upload(String),
    /// Ctrl-C or SIGTERM: the upload was stopped and cleaned up.
    Interrupted,
}

/// Exit codes of `gvmi publish` (README: Publish).
pub mod exit {
    pub const OK: u8 = 0;
    pub const LOCAL: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const UPLOAD: u8 = 3;
    pub const NOT_PUBLIC: u8 = 4;
    pub const CREDENTIALS: u8 = 5;
    pub const UNREACHABLE: u8 = 6;
}

impl PublishError {
    pub fn exit_code(&self) -> u8 {
        match self {
            PublishError::Local(_) => exit::LOCAL,
            PublishError::Credentials(_) => exit::CREDENTIALS,
            PublishError::Unreachable(_) => exit::UNREACHABLE,
            PublishError::NoBucket(_) | PublishError::Upload(_) | PublishError::Interrupted => {
                exit::UPLOAD
            }
        }
    }

    /// True when every other image would fail the same way: the run stops.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, PublishError::Local(_) | PublishError::Upload(_))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            PublishError::Local(_) => "unreadable",
            PublishError::Credentials(_) => "credentials",
            PublishError::Unreachable(_) => "unreachable",
            PublishError::NoBucket(_) => "no_bucket",
            PublishError::Upload(_) => "upload_failed",
            PublishError::Interrupted => "interrupted",
        }
    }
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::Local(m)
            | PublishError::Credentials(m)
            | PublishError::Unreachable(m)
            | PublishError::NoBucket(m)
            | PublishError::Upload(m) => f.write_str(m),
            PublishError::Interrupted => f.write_str("interrupted; the upload was aborted"),
        }
    }
}

impl From<std::io::Error> for PublishError {
    fn from(e: std::io::Error) -> Self {
        PublishError::Local(crate::io_error::message(&e))
    }
}

/// Sorts a storage error into its kind, in words a user can act on.
/// `bucket` names the bucket; `secret` is scrubbed from the text in case a
/// server ever echoes it.
pub fn classify(e: &object_store::Error, bucket: &str, secret: &str) -> PublishError {
    use object_store::Error as E;
    let text = scrub(&chain(e), secret);
    let has = |needle: &str| text.contains(needle);
    if has("InvalidAccessKeyId")
        || has("SignatureDoesNotMatch")
        || has("ExpiredToken")
        || has("InvalidToken")
    {
        return PublishError::Credentials(format!(
            "the storage rejected the credentials (check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile): {}",
            first_line(&text)
        ));
    }
    if has("NoSuchBucket") {
        return PublishError::NoBucket(format!(
            "bucket `{bucket}` does not exist at this endpoint (create it first, e.g. `aws s3 mb s3://{bucket}`)"
        ));
    }
    match e {
        E::PermissionDenied { .. } | E::Unauthenticated { .. } => {
            PublishError::Credentials(format!(
                "access denied: these credentials may not write to bucket `{bucket}` (s3:PutObject, s3:AbortMultipartUpload): {}",
                first_line(&text)
            ))
        }
        _ if is_unreachable(&text) => PublishError::Unreachable(format!(
            "cannot reach the storage endpoint: {}",
            first_line(&text)
        )),
        _ => PublishError::Upload(first_line(&text).to_string()),
    }
}

fn is_unreachable(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "connection refused",
        "error trying to connect",
        "dns error",
        "failed to lookup",
        "tcp connect error",
        "timed out",
        "client error (connect)",
    ]
    .iter()
    .any(|n| lower.contains(n))
}

/// The error and its sources, one sentence.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

pub fn scrub(text: &str, secret: &str) -> String {
    if secret.len() < 4 {
        return text.to_string();
    }
    text.replace(secret, "…")
}
