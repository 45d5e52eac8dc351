//! Why publishing an image failed, in storage terms, with an exit code each.

/// One failure; `exit_code` tells a script which kind. Each reads as the
/// words it carries (made where the failure was understood).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// The local image could not be read, or changed while it was read.
    #[error("{0}")]
    Local(String),
    /// No credentials, or the storage rejected them or their permissions.
    #[error("{0}")]
    Credentials(String),
    /// The endpoint could not be reached at all (DNS, refused, timeout).
    #[error("{0}")]
    Unreachable(String),
    /// The bucket does not exist at the endpoint.
    #[error("{0}")]
    NoBucket(String),
    /// The storage answered but the upload failed (a server error, the
    /// connection dropped mid-upload).
    #[error("{0}")]
    Upload(String),
    /// Ctrl-C or SIGTERM before the last request: the upload was stopped
    /// and cleaned up (during it: `job`'s words, the image is there).
    #[error("interrupted; the upload was aborted")]
    Interrupted,
}

/// Exit codes of `gvmi publish` (README: Publish).
pub mod exit {
    pub const OK: u8 = 0;
    pub const LOCAL: u8 = 1;
    pub const USAGE: u8 = 2;
    pub(crate) const UPLOAD: u8 = 3;
    pub(crate) const NOT_PUBLIC: u8 = 4;
    pub(crate) const CREDENTIALS: u8 = 5;
    pub(crate) const UNREACHABLE: u8 = 6;
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
    pub(crate) fn is_fatal(&self) -> bool {
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

impl From<std::io::Error> for PublishError {
    fn from(e: std::io::Error) -> Self {
        PublishError::Local(crate::io_error::message(&e))
    }
}

/// What kept a request from succeeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// The storage answered with a status that is not success (or a 200
    /// whose body is an `<Error>`): its code and message when it sent them.
    Status {
        op: &'static str,
        status: u16,
        reason: String,
        code: Option<String>,
        message: Option<String>,
        /// Where S3 says the bucket lives (`x-amz-bucket-region`), for a 301.
        region: Option<String>,
    },
    /// No answer: the connection failed or stalled.
    Transport {
        op: &'static str,
        trouble: Trouble,
        detail: String,
    },
    /// A success whose body is not what S3 sends.
    Answer { op: &'static str, detail: String },
    /// Cancelled (Ctrl-C, SIGTERM) between attempts or while waiting.
    Cancelled,
}

/// The kinds of no-answer, as a user acts on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trouble {
    Dns,
    Refused,
    ConnectTimeout,
    /// The answer, or the request's sending, stalled past its limit.
    Stalled,
    Tls,
    /// The connection dropped mid-request.
    Dropped,
    /// The answer is not HTTP.
    NotHttp,
    Other,
}

/// What a message about the storage may name, and what it must never show.
#[derive(Clone, Default)]
pub(crate) struct Context {
    pub(crate) bucket: String,
    /// The endpoint given (`--endpoint`…), as shown: without a password.
    pub(crate) endpoint: Option<String>,
    /// Every secret of the settings (keys, token, the endpoint's password):
    /// scrubbed from whatever the server sends back.
    secrets: Vec<String>,
}

impl Context {
    /// `secrets` (keys, token) and the endpoint's password are never shown.
    pub(crate) fn new(bucket: &str, endpoint: Option<&str>, secrets: &[&str]) -> Context {
        let mut secrets: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
        let password = endpoint.and_then(|e| url::Url::parse(e).ok());
        secrets.extend(password.and_then(|u| u.password().map(str::to_string)));
        secrets.retain(|v| v.len() >= 4);
        Context {
            bucket: bucket.to_string(),
            endpoint: endpoint.map(without_password),
            secrets,
        }
    }

    /// `text` with every secret replaced by `…`, then made safe for a
    /// terminal and cut to one short line.
    pub(crate) fn shown(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in &self.secrets {
            text = text.replace(secret.as_str(), "…");
        }
        let line = text.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        let mut shown = crate::visible::visible(&line).into_owned();
        if shown.chars().count() > MESSAGE_CHARS {
            shown = shown.chars().take(MESSAGE_CHARS).collect::<String>() + "…";
        }
        shown
    }
}

/// The most of a server's words a message repeats.
const MESSAGE_CHARS: usize = 300;

/// `url` with the password of its `user:password@` (if any) replaced by `…`.
pub(crate) fn without_password(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let authority = &url[start..authority_end];
    match authority
        .rfind('@')
        .and_then(|at| authority[..at].find(':').map(|c| (c, at)))
    {
        Some((colon, at)) => format!("{}…{}", &url[..start + colon + 1], &url[start + at..]),
        None => url.to_string(),
    }
}

/// Sorts a failed request into its kind, in words a user can act on; the
/// server's words are scrubbed of secrets, escaped and cut short.
pub(crate) fn classify(fault: &Fault, ctx: &Context) -> PublishError {
    let bucket = &ctx.bucket;
    match fault {
        Fault::Cancelled => PublishError::Interrupted,
        Fault::Status {
            op,
            status,
            reason,
            code,
            message,
            region,
        } => {
            let said = said(op, *status, reason, code, message, ctx);
            let code = code.as_deref().unwrap_or("");
            if is_credentials(code) {
                return PublishError::Credentials(format!(
                    "the storage rejected the credentials (check AWS_ACCESS_KEY_ID / \
                     AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN or the profile): {said}"
                ));
            }
            if code == "NoSuchBucket" {
                let flag = (ctx.endpoint.as_deref())
                    .map(|e| format!(" --endpoint-url {}", ctx.shown(e)))
                    .unwrap_or_default();
                return PublishError::NoBucket(format!(
                    "bucket `{bucket}` does not exist at this endpoint (create it first, e.g. \
                     `aws s3 mb s3://{bucket}{flag}`)"
                ));
            }
            if *status == 301
                || code == "PermanentRedirect"
                || code == "AuthorizationHeaderMalformed"
            {
                let hint = match region {
                    Some(r) => format!("give --region {}", ctx.shown(r)),
                    None => "give its --region".to_string(),
                };
                return PublishError::NoBucket(format!(
                    "bucket `{bucket}` is in another region: {hint} ({said})"
                ));
            }
            match status {
                300..=399 => PublishError::Upload(format!(
                    "{said}: a redirect, which gvmi does not follow for signed requests \
                     (check --endpoint)"
                )),
                401 | 403 => PublishError::Credentials(format!(
                    "access denied: check the secret key, and that these credentials may use \
                     bucket `{bucket}` (s3:GetObject, s3:PutObject, s3:AbortMultipartUpload): \
                     {said}"
                )),
                _ => PublishError::Upload(said),
            }
        }
        Fault::Transport {
            op,
            trouble,
            detail,
        } => {
            let detail = ctx.shown(detail);
            let at = ctx.endpoint.as_deref().unwrap_or("S3");
            let unreachable = |why: String| {
                PublishError::Unreachable(format!(
                    "cannot reach the storage endpoint ({at}): {why}"
                ))
            };
            match trouble {
                Trouble::Dns => unreachable(format!("its name does not resolve ({detail})")),
                Trouble::Refused => unreachable(detail),
                Trouble::ConnectTimeout => unreachable(format!("connecting timed out ({detail})")),
                Trouble::Tls => unreachable(format!("TLS failed: {detail}")),
                Trouble::Stalled => PublishError::Upload(format!(
                    "{op}: the storage stalled; no complete answer within its limit \
                     (--timeout) ({detail})"
                )),
                Trouble::NotHttp => {
                    PublishError::Upload(format!("{op}: the answer is not valid HTTP ({detail})"))
                }
                Trouble::Dropped | Trouble::Other => {
                    PublishError::Upload(format!("{op}: the connection failed ({detail})"))
                }
            }
        }
        Fault::Answer { op, detail } => {
            PublishError::Upload(format!("{op}: {}", ctx.shown(detail)))
        }
    }
}

fn is_credentials(code: &str) -> bool {
    matches!(
        code,
        "InvalidAccessKeyId"
            | "SignatureDoesNotMatch"
            | "ExpiredToken"
            | "InvalidToken"
            | "TokenRefreshRequired"
            | "AuthorizationQueryParametersError"
            | "RequestTimeTooSkewed"
    )
}

/// "the storage answered 403 Forbidden to PutObject (AccessDenied: …)".
fn said(
    op: &str,
    status: u16,
    reason: &str,
    code: &Option<String>,
    message: &Option<String>,
    ctx: &Context,
) -> String {
    let mut text = format!(
        "the storage answered {status} {} to {op}",
        ctx.shown(reason)
    );
    match (code, message) {
        (Some(c), Some(m)) => text += &format!(" ({}: {})", ctx.shown(c), ctx.shown(m)),
        (Some(c), None) => text += &format!(" ({})", ctx.shown(c)),
        (None, Some(m)) => text += &format!(" ({})", ctx.shown(m)),
        (None, None) => {}
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publish_error_is_an_error_that_reads_as_its_words() {
        let e = PublishError::Upload("answered 503 to PutObject".into());
        let as_error: &dyn std::error::Error = &e;
        assert_eq!(as_error.to_string(), "answered 503 to PutObject");
        assert_eq!(
            PublishError::Interrupted.to_string(),
            "interrupted; the upload was aborted"
        );
    }

    fn ctx() -> Context {
        Context {
            bucket: "bkt".into(),
            endpoint: Some("http://u:…@127.0.0.1:9".into()),
            secrets: vec!["SECRETKEY".into(), "TOKEN123".into()],
        }
    }

    #[test]
    fn passwords_are_cut_from_urls_parseable_or_not() {
        assert_eq!(
            without_password("http://user:PASS@host:9/x"),
            "http://user:…@host:9/x"
        );
        assert_eq!(without_password("http://host/x@y"), "http://host/x@y");
        assert_eq!(without_password("http://user@host/"), "http://user@host/");
        assert_eq!(
            without_password("http://user:PASS@ho st/"),
            "http://user:…@ho st/"
        );
    }

    #[test]
    fn echoed_secrets_are_scrubbed_escaped_and_cut() {
        let fault = Fault::Status {
            op: "PutObject",
            status: 400,
            reason: "Bad\x1b[31m".into(),
            code: Some("InvalidArgument".into()),
            message: Some(format!("token TOKEN123 key SECRETKEY {}", "x".repeat(5000))),
            region: None,
        };
        let text = classify(&fault, &ctx()).to_string();
        assert!(
            !text.contains("TOKEN123") && !text.contains("SECRETKEY"),
            "{text}"
        );
        assert!(text.contains("Bad\\e[31m"), "{text}");
        assert!(text.len() < 1000, "{}", text.len());
    }

    #[test]
    fn a_missing_bucket_hint_names_the_endpoint() {
        let fault = Fault::Status {
            op: "PutObject",
            status: 404,
            reason: "Not Found".into(),
            code: Some("NoSuchBucket".into()),
            message: None,
            region: None,
        };
        let text = classify(&fault, &ctx()).to_string();
        assert!(
            text.contains("aws s3 mb s3://bkt --endpoint-url http://u:…@127.0.0.1:9"),
            "{text}"
        );
    }
}
