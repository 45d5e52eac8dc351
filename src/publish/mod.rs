//! `gvmi publish`: put images where providers can fetch them, and prove it.
//!
//! - `dest`: `--to` (`s3://BUCKET[/PREFIX]`, `file:///DIR`), keys, public URLs
//! - `credentials`: the AWS profile files (`--profile`, `AWS_PROFILE`)
//! - `s3`: the bucket: S3 requests signed by `rusty-s3`, sent with `crate::http`
//! - `job`: one image to a connected destination (skip, upload, prove)
//! - `upload`: one image to S3, hashed as it streams (each byte read once)
//! - `folder`: one image into a folder, atomically, with its hash sidecar
//! - `public`: the anonymous check of the URL, and the fix when it fails
//! - `state`: the URLs images were published at (for snippet and verify)
//! - `error`: failures and exit codes

pub mod credentials;
pub mod dest;
pub mod error;
pub mod folder;
pub mod job;
pub mod public;
pub mod s3;
pub mod state;
pub mod upload;

pub use dest::Dest;
pub use error::{exit, PublishError};
pub use job::{Action, Destination, Outcome};

/// What the command line says about the storage; resolved with the
/// environment and the profile files by [`s3_settings`].
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub allow_http: bool,
    pub acl: Option<String>,
    pub public_base_url: Option<String>,
    /// `--timeout`: to connect, and the longest silence of the storage.
    pub timeout: Option<std::time::Duration>,
}

/// A problem found before anything is uploaded, with its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: u8,
    pub message: String,
}

fn refuse(code: u8, message: String) -> Refusal {
    Refusal { code, message }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The S3 settings: `--profile` wins; else `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY`; else the profile files (`AWS_PROFILE`, else
/// `default`). Region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the
/// profile, `us-east-1`. Endpoint: `--endpoint`, `AWS_ENDPOINT_URL_S3`,
/// `AWS_ENDPOINT_URL`, the profile's `endpoint_url`.
pub fn s3_settings(w: &Wanted) -> Result<s3::Settings, Refusal> {
    let from_env = w.profile.is_none() && env("AWS_ACCESS_KEY_ID").is_some();
    let profile = match from_env {
        true => credentials::Profile::default(),
        false => credentials::load_profile(w.profile.as_deref())
            .map_err(|m| refuse(exit::CREDENTIALS, m))?,
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
        return Err(refuse(
            exit::CREDENTIALS,
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or keep them in \
             ~/.aws/credentials (--profile NAME or AWS_PROFILE picks a profile)"
                .into(),
        ));
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
    if let (Some(e), None) = (&endpoint, &w.public_base_url) {
        let e = s3::shown_endpoint(e);
        return Err(refuse(
            exit::USAGE,
            format!(
                "endpoint {e}: gvmi cannot know where providers download objects of a custom \
                 endpoint; give --public-base-url (e.g. https://pub-….r2.dev/, your CDN or custom domain)"
            ),
        ));
    }
    Ok(s3::Settings {
        bucket: w.bucket.clone(),
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
/// A user name or password in the endpoint is refused: S3 requests are
/// signed with the keys, and every message would have to hide it.
fn http_allowed(endpoint: &str, allow: bool) -> Result<bool, Refusal> {
    let url = url::Url::parse(endpoint);
    let shown = s3::shown_endpoint(endpoint);
    let endpoint = shown.as_str();
    let url = url.map_err(|e| refuse(exit::USAGE, format!("--endpoint {endpoint}: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            exit::USAGE,
            format!(
                "the endpoint {endpoint}: a user name or password in it is not used \
                 (requests are signed with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the \
                 profile); remove it"
            ),
        ));
    }
    match url.scheme() {
        "https" => Ok(false),
        "http" if allow || is_loopback(&url) => Ok(true),
        "http" => Err(refuse(
            exit::USAGE,
            format!(
                "--endpoint {endpoint}: plain http sends the upload unencrypted; \
                 use https, or --allow-http if you mean it"
            ),
        )),
        other => Err(refuse(
            exit::USAGE,
            format!("--endpoint {endpoint}: unsupported scheme `{other}` (http or https)"),
        )),
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
        assert_eq!(http_allowed("http://127.0.0.1:9000", false), Ok(true));
        assert_eq!(http_allowed("http://localhost:9000", false), Ok(true));
        assert_eq!(http_allowed("https://s3.example.com", false), Ok(false));
        assert!(http_allowed("http://s3.example.com", false).is_err());
        assert_eq!(http_allowed("http://s3.example.com", true), Ok(true));
        assert!(http_allowed("ftp://x", true).is_err());
    }
}
