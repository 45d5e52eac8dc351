//! The S3 side of publishing, the one place gvmi speaks S3: URLs, keys and
//! XML come from `rusty-s3` (a sans-IO crate), each request is signed here
//! (`sign`: SigV4 in the `Authorization` header) and sent with the shared
//! blocking HTTP client (`crate::http`, ureq), which follows no redirect,
//! so signed requests never reach another origin.
//! Every answer body is read with a cap (`request`), every request has a
//! deadline, and a wait for one gives up within 100 ms of cancellation.
//! A multipart upload's parts go out from a few threads (`multipart`).

mod multipart;
mod read;
mod request;
mod sign;

use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rusty_s3::actions::{CreateMultipartUpload, S3Action};
use rusty_s3::{Bucket, UrlStyle};

use super::error::{classify, Context, Fault, PublishError};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::http::{self, Limits};
pub(crate) use multipart::Multipart;
use request::{Call, Client};

const HASH_HEADER: &str = "x-amz-meta-sha3-224";

/// Everything needed to talk to one bucket. `Debug` hides the secrets.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) bucket: String,
    pub(crate) region: String,
    pub(crate) endpoint: Option<String>,
    pub(crate) allow_http: bool,
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: String,
    pub(crate) session_token: Option<String>,
    /// `--acl`: a canned ACL (`public-read`) sent with every upload.
    pub(crate) acl: Option<String>,
    /// Connect and silence timeouts (`--timeout`).
    pub(crate) limits: Limits,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint.as_deref().map(shown_endpoint))
            .finish_non_exhaustive()
    }
}

/// What a key holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remote {
    pub(crate) size: u64,
    pub(crate) hash: Option<String>,
}

/// A connected bucket.
pub(crate) struct S3 {
    client: Arc<Client>,
    settings: Settings,
    context: Context,
}

impl S3 {
    /// Checks the settings (a credential or region that cannot be sent is
    /// a credentials error, exit 5) and prepares the client; sends nothing.
    pub(crate) fn connect(settings: Settings) -> Result<S3, PublishError> {
        let mut secrets = vec![settings.secret_access_key.as_str()];
        secrets.push(&settings.access_key_id);
        secrets.extend(settings.session_token.as_deref());
        let context = Context::new(&settings.bucket, settings.endpoint.as_deref(), &secrets);
        check_credentials(&settings)?;
        if let Some(acl) = &settings.acl {
            if acl.is_empty() || !acl.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                let acl = crate::visible::visible(acl);
                return Err(PublishError::Local(format!(
                    "--acl {acl}: not a canned ACL name (e.g. public-read)"
                )));
            }
        }
        let bucket = bucket(&settings)?;
        let signer = sign::Signer {
            key_id: settings.access_key_id.clone(),
            secret: settings.secret_access_key.clone(),
            token: settings.session_token.clone(),
            region: settings.region.clone(),
        };
        let limits = settings.limits;
        let client = Client {
            agent: http::agent(&limits),
            bucket,
            signer,
            limits,
        };
        Ok(S3 {
            client: Arc::new(client),
            settings,
            context,
        })
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    fn fail(&self, fault: &Fault) -> PublishError {
        classify(fault, &self.context)
    }

    /// Runs `work` on a helper thread and waits for it, giving up within
    /// 100 ms of `cancel` (the helper ends by its request's deadline).
    fn run<T: Send + 'static>(
        &self,
        cancel: &CancelToken,
        work: impl FnOnce(&Client, &CancelToken) -> Result<T, Fault> + Send + 'static,
    ) -> Result<T, PublishError> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let (client, token) = (Arc::clone(&self.client), cancel.child());
        let helper = token.clone();
        std::thread::Builder::new()
            .name("gvmi-s3".into())
            .spawn(move || {
                let out = crate::caught::catch(|| work(&client, &helper));
                let _ = tx.send(out);
            })
            .map_err(|e| {
                PublishError::Upload(format!(
                    "cannot start a thread: {}",
                    crate::io_error::message(&e)
                ))
            })?;
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(Ok(out)) => return out.map_err(|f| self.fail(&f)),
                Ok(Err(panic)) => return Err(PublishError::Upload(panic.to_string())),
                Err(_) if cancel.is_cancelled() => {
                    token.cancel();
                    return Err(PublishError::Interrupted);
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    return Err(PublishError::Upload("the request thread ended".into()))
                }
            }
        }
    }

    /// The size and hash metadata of `key`, or `None` when nothing is there.
    pub(crate) fn head(
        &self,
        key: &str,
        cancel: &CancelToken,
    ) -> Result<Option<Remote>, PublishError> {
        let key = object_key(key)?;
        self.run(cancel, move |c, cancel| {
            let call = Call {
                op: "HeadObject",
                method: "HEAD",
                url: url_of(c.bucket.head_object(None, &key)),
                headers: &[],
                body: &[],
            };
            let reply = match c.send(&call, cancel) {
                Ok(reply) => reply,
                Err(Fault::Status { status: 404, .. }) => return Ok(None),
                Err(fault) => return Err(fault),
            };
            let size = reply.header("content-length").and_then(|v| v.parse().ok());
            let Some(size) = size else {
                return Err(Fault::Answer {
                    op: "HeadObject",
                    detail: "the answer has no Content-Length".into(),
                });
            };
            let hash = reply.header(HASH_HEADER).map(|v| v.trim().to_string());
            Ok(Some(Remote { size, hash }))
        })
    }

    /// One PUT of a small image, hash metadata included.
    pub(crate) fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        digest: &Sha3Digest,
        cancel: &CancelToken,
    ) -> Result<(), PublishError> {
        let key = object_key(key)?;
        let headers = self.object_headers(Some(digest));
        self.run(cancel, move |c, cancel| {
            let call = Call {
                op: "PutObject",
                method: "PUT",
                url: url_of(c.bucket.put_object(None, &key)),
                headers: &headers,
                body: &bytes,
            };
            c.send(&call, cancel).map(drop)
        })
    }

    /// Starts a multipart upload to `key` (with the hash when known), its
    /// parts sent by `in_flight` threads.
    pub(crate) fn multipart(
        &self,
        key: &str,
        digest: Option<&Sha3Digest>,
        part_size: usize,
        in_flight: usize,
        cancel: &CancelToken,
    ) -> Result<Multipart<'_>, PublishError> {
        let key = object_key(key)?;
        let headers = self.object_headers(digest);
        let started = key.clone();
        let upload_id = self.run(cancel, move |c, cancel| {
            let call = Call {
                op: "CreateMultipartUpload",
                method: "POST",
                url: url_of(c.bucket.create_multipart_upload(None, &key)),
                headers: &headers,
                body: &[],
            };
            let reply = c.send(&call, cancel)?;
            let text = String::from_utf8_lossy(&reply.body);
            match CreateMultipartUpload::parse_response(&text) {
                Ok(r) if !r.upload_id().is_empty() => Ok(r.upload_id().to_string()),
                _ => Err(request::unexpected("CreateMultipartUpload", &text)),
            }
        })?;
        Ok(Multipart::start(
            self, started, upload_id, part_size, in_flight,
        ))
    }

    /// Server-side copy of `from` to `to`, replacing the metadata with the
    /// hash: how an image hashed while it streamed gets its metadata (S3
    /// sets metadata when an upload starts). At most 5 GiB (CopyObject).
    pub(crate) fn copy_with_hash(
        &self,
        from: &str,
        to: &str,
        digest: &Sha3Digest,
        cancel: &CancelToken,
    ) -> Result<(), PublishError> {
        let (from, to) = (object_key(from)?, object_key(to)?);
        let mut headers = self.object_headers(Some(digest));
        let source = format!("/{}/{}", self.settings.bucket, encode_key(&from));
        headers.push(("x-amz-copy-source", source));
        headers.push(("x-amz-metadata-directive", "REPLACE".into()));
        self.run(cancel, move |c, cancel| {
            let call = Call {
                op: "CopyObject",
                method: "PUT",
                url: url_of(c.bucket.put_object(None, &to)),
                headers: &headers,
                body: &[],
            };
            let reply = c.send(&call, cancel)?;
            // S3 may answer 200 and still fail: the body then is an <Error>.
            request::error_inside("CopyObject", &reply.body)
        })
    }

    /// Best-effort removal (a staging object); never cancelled midway.
    pub(crate) fn delete(&self, key: &str) {
        let Ok(key) = object_key(key) else { return };
        let c = &self.client;
        let call = Call {
            op: "DeleteObject",
            method: "DELETE",
            url: url_of(c.bucket.delete_object(None, &key)),
            headers: &[],
            body: &[],
        };
        let _ = c.send(&call, &CancelToken::new());
    }

    /// The headers an object is created with.
    fn object_headers(&self, digest: Option<&Sha3Digest>) -> Vec<(&'static str, String)> {
        let mut headers = vec![("content-type", "application/octet-stream".to_string())];
        if let Some(acl) = &self.settings.acl {
            headers.push(("x-amz-acl", acl.clone()));
        }
        if let Some(d) = digest {
            headers.push((HASH_HEADER, d.to_hex()));
        }
        headers
    }
}

/// The URL of `action` (its query included), unsigned: `sign` signs the
/// request in its headers instead.
fn url_of<'a>(action: impl S3Action<'a>) -> url::Url {
    // Without credentials rusty-s3 signs nothing and ignores the expiry.
    action.sign(Duration::ZERO)
}

/// A key as S3 URLs can carry it: rusty-s3 resolves `.` and `..` segments
/// like a file system path, and an empty key names the bucket itself.
fn object_key(key: &str) -> Result<String, PublishError> {
    let bad = key.is_empty() || key.split('/').any(|s| s == "." || s == "..");
    if bad || key.chars().any(char::is_control) {
        return Err(PublishError::Local(format!(
            "`{}` cannot be an object key",
            crate::visible::visible(key)
        )));
    }
    Ok(key.to_string())
}

/// `x-amz-copy-source` wants the key URL-encoded, its slashes kept.
fn encode_key(key: &str) -> String {
    const KEY: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    utf8_percent_encode(key, KEY).to_string()
}

/// The bucket's URLs: path style (`ENDPOINT/BUCKET/KEY`), at the endpoint
/// given, else AWS's regional one.
fn bucket(s: &Settings) -> Result<Bucket, PublishError> {
    let endpoint = match &s.endpoint {
        Some(e) => e.clone(),
        None => format!("https://s3.{}.amazonaws.com", s.region),
    };
    let bad = |why: String| PublishError::Local(format!("{}: {why}", shown_endpoint(&endpoint)));
    let url = url::Url::parse(&endpoint).map_err(|e| bad(e.to_string()))?;
    let http = url.scheme() == "http";
    if http && !s.allow_http {
        return Err(bad("plain http is not allowed here".into()));
    }
    Bucket::new(url, UrlStyle::Path, s.bucket.clone(), s.region.clone())
        .map_err(|e| bad(format!("cannot hold bucket `{}` ({e:?})", s.bucket)))
}

/// A credential or region a request cannot carry is a credentials error,
/// said without the value (the region, not a secret, is shown escaped).
fn check_credentials(s: &Settings) -> Result<(), PublishError> {
    let printable = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_graphic());
    let mut bad = Vec::new();
    if !printable(&s.access_key_id) {
        bad.push("the access key id (AWS_ACCESS_KEY_ID or the profile's aws_access_key_id)");
    }
    if !printable(&s.secret_access_key) {
        bad.push("the secret key (AWS_SECRET_ACCESS_KEY or the profile's aws_secret_access_key)");
    }
    if s.session_token.as_deref().is_some_and(|t| !printable(t)) {
        bad.push("the session token (AWS_SESSION_TOKEN or the profile's aws_session_token)");
    }
    if let Some(what) = bad.first() {
        return Err(PublishError::Credentials(format!(
            "{what} holds a space, a control or a non-ASCII character, which no credential \
             has: check how it was copied"
        )));
    }
    let region_ok = !s.region.is_empty()
        && (s.region.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !region_ok {
        return Err(PublishError::Credentials(format!(
            "region `{}` (--region, AWS_REGION, AWS_DEFAULT_REGION or the profile) is not a \
             region name: letters, digits and `-` only",
            crate::visible::visible(&s.region)
        )));
    }
    Ok(())
}

/// An endpoint as messages show it: a password in it is never printed.
pub(crate) fn shown_endpoint(endpoint: &str) -> String {
    super::error::without_password(endpoint)
}
