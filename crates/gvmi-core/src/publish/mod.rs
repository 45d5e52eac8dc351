//! `gvmi publish`: put images where providers can fetch them, and prove it.
//!
//! - `dest`: `--to` (`s3://BUCKET[/PREFIX]`, `file:///DIR`), keys, public URLs
//! - `credentials`: the AWS profile files (`--profile`, `AWS_PROFILE`)
//! - `s3`: the bucket: S3 requests signed here, URLs and XML by `rusty-s3`, sent with `crate::http`
//! - `job`: one image to a connected destination (skip, upload, prove)
//! - `upload`: one image to S3, hashed as it streams (each byte read once)
//! - `folder`: one image into a folder, atomically, with its hash sidecar
//! - `public`: the anonymous check of the URL, and the fix when it fails
//! - `state`: the URLs images were published at (for snippet and verify)
//! - `error`: failures and exit codes

pub(crate) mod credentials;
pub mod dest;
pub(crate) mod error;
pub(crate) mod folder;
pub(crate) mod job;
pub mod public;
pub(crate) mod s3;
pub mod state;
pub(crate) mod upload;

pub use credentials::ProfileError;
pub use dest::Dest;
pub use error::{exit, PublishError};
pub use job::{Action, Destination, Outcome};

use serde::{Deserialize, Serialize};

use public::VerifyMode;

/// Where to publish and the storage's settings, as `gvmi publish`'s flags
/// and a `[[publish]]` of config.toml both say it; resolved with the
/// environment and the profile files by [`s3_settings`]. Credentials are
/// never part of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// `s3://BUCKET[/PREFIX]` or `file:///DIR` (`dest::Dest::parse`).
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<String>,
    /// Plain http to an endpoint not on this machine (`--allow-http`): a
    /// choice made for one run, never kept in a file.
    #[serde(skip)]
    pub allow_http: bool,
    /// `--timeout`: to connect, and the longest silence of the storage (one
    /// run's choice, like `allow_http`).
    #[serde(skip)]
    pub timeout: Option<std::time::Duration>,
}

/// How one run publishes (`gvmi publish`'s flags; the workbench's `p` takes
/// the defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// The hash's first 12 hex digits in each key.
    pub content_addressed: bool,
    pub verify: VerifyMode,
    /// Say what would be uploaded; upload nothing.
    pub dry_run: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            content_addressed: false,
            verify: VerifyMode::Head,
            dry_run: false,
        }
    }
}

/// A problem found before anything is uploaded; [`SetupError::exit_code`]
/// is the exit status it gets.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Destination(#[from] dest::DestError),
    #[error("--public-base-url {url}: {why}")]
    PublicBaseUrl {
        url: String,
        why: crate::image_url::UrlError,
    },
    /// The profile files could not be used.
    #[error(transparent)]
    Profile(#[from] credentials::ProfileError),
    #[error(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or keep them in \
         ~/.aws/credentials (--profile NAME or AWS_PROFILE picks a profile)"
    )]
    NoCredentials,
    #[error(
        "endpoint {0}: gvmi cannot know where providers download objects of a custom \
         endpoint; give --public-base-url (e.g. https://pub-….r2.dev/, your CDN or custom domain)"
    )]
    NoPublicBaseUrl(String),
    #[error("--endpoint {endpoint}: {why}")]
    EndpointUrl {
        endpoint: String,
        why: url::ParseError,
    },
    #[error(
        "--endpoint {0}: plain http sends the upload unencrypted; \
         use https, or --allow-http if you mean it"
    )]
    PlainHttp(String),
    #[error("--endpoint {endpoint}: unsupported scheme `{scheme}` (http or https)")]
    EndpointScheme { endpoint: String, scheme: String },
    /// `user:password@` in the endpoint (shown without the password).
    #[error(
        "the endpoint {0}: a user name or password in it is not used (requests are signed \
         with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile); remove it"
    )]
    EndpointUserinfo(String),
    /// The client could not be started.
    #[error("{0}")]
    Connect(PublishError),
}

impl SetupError {
    pub fn exit_code(&self) -> u8 {
        match self {
            SetupError::Profile(_) | SetupError::NoCredentials => exit::CREDENTIALS,
            SetupError::Connect(e) => e.exit_code(),
            _ => exit::USAGE,
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The S3 settings: `--profile` wins; else `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY`; else the profile files (`AWS_PROFILE`, else
/// `default`). Region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the
/// profile, `us-east-1`. Endpoint: `--endpoint`, `AWS_ENDPOINT_URL_S3`,
/// `AWS_ENDPOINT_URL`, the profile's `endpoint_url`. Publishing to a
/// custom endpoint needs a public base URL too.
pub(crate) fn s3_settings(w: &Spec, bucket: &str) -> Result<s3::Settings, SetupError> {
    let settings = s3_access(w, bucket)?;
    if let (Some(e), None) = (&settings.endpoint, &w.public_base_url) {
        return Err(SetupError::NoPublicBaseUrl(s3::shown_endpoint(e)));
    }
    Ok(settings)
}

/// [`s3_settings`] for reading a bucket, which needs no public base URL.
pub(crate) fn s3_access(w: &Spec, bucket: &str) -> Result<s3::Settings, SetupError> {
    let from_env = w.profile.is_none() && env("AWS_ACCESS_KEY_ID").is_some();
    let profile = match from_env {
        true => credentials::Profile::default(),
        false => credentials::load_profile(w.profile.as_deref()).map_err(SetupError::Profile)?,
    };
    let (id, secret, token) = match from_env {
        true => (
            env("AWS_ACCESS_KEY_ID"),
            env("AWS_SECRET_ACCESS_KEY"),
            env("AWS_SESSION_TOKEN"),
        ),
        false => (
            profile.access_key_id.clone(),
            profile.secret_access_key.clone(),
            profile.session_token.clone(),
        ),
    };
    let (Some(access_key_id), Some(secret_access_key)) = (id, secret) else {
        return Err(SetupError::NoCredentials);
    };
    let region = (w.region.clone())
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or(profile.region)
        .unwrap_or_else(|| "us-east-1".into());
    let endpoint = (w.endpoint.clone())
        .or_else(|| env("AWS_ENDPOINT_URL_S3"))
        .or_else(|| env("AWS_ENDPOINT_URL"))
        .or(profile.endpoint_url);
    let allow_http = match &endpoint {
        Some(e) => http_allowed(e, w.allow_http)?,
        None => false,
    };
    Ok(s3::Settings {
        bucket: bucket.to_string(),
        region,
        endpoint,
        allow_http,
        access_key_id,
        secret_access_key,
        session_token: token,
        acl: w.acl.clone(),
        limits: match w.timeout {
            Some(t) => crate::http::Limits {
                connect: t,
                silence: t,
            },
            None => crate::http::Limits::default(),
        },
    })
}

/// Plain http only to this machine (a test server, a local MinIO) unless
/// `--allow-http`: credentials-signed uploads in the clear are a choice.
/// A user name or password in the endpoint is refused, and never shown.
fn http_allowed(endpoint: &str, allow: bool) -> Result<bool, SetupError> {
    let url = url::Url::parse(endpoint);
    let endpoint = s3::shown_endpoint(endpoint);
    let url = url.map_err(|why| SetupError::EndpointUrl {
        endpoint: endpoint.clone(),
        why,
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SetupError::EndpointUserinfo(endpoint));
    }
    match url.scheme() {
        "https" => Ok(false),
        "http" if allow || is_loopback(&url) => Ok(true),
        "http" => Err(SetupError::PlainHttp(endpoint)),
        other => Err(SetupError::EndpointScheme {
            endpoint,
            scheme: other.into(),
        }),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        assert!(http_allowed("http://127.0.0.1:9000", false).unwrap());
        assert!(http_allowed("http://localhost:9000", false).unwrap());
        assert!(!http_allowed("https://s3.example.com", false).unwrap());
        assert!(http_allowed("http://s3.example.com", false).is_err());
        assert!(http_allowed("http://s3.example.com", true).unwrap());
        assert!(http_allowed("ftp://x", true).is_err());
    }

    #[test]
    fn setup_errors_say_what_to_do_and_get_their_exit_code() {
        let plain = http_allowed("http://s3.example.com", false).unwrap_err();
        assert_eq!(plain.exit_code(), exit::USAGE);
        assert!(plain
            .to_string()
            .starts_with("--endpoint http://s3.example.com: plain http"));
        assert_eq!(SetupError::NoCredentials.exit_code(), exit::CREDENTIALS);
        let bad_to = SetupError::from(Dest::parse("s3://A").unwrap_err());
        assert_eq!(bad_to.exit_code(), exit::USAGE);
        assert!(bad_to
            .to_string()
            .starts_with("s3://A: `A` is not a bucket name"));
    }
}
