//! The S3 side of publishing, through `object_store` (Apache Arrow's
//! storage client: SigV4, multipart, retries). Its async runtime is
//! confined here: one small tokio runtime (two workers, so parts upload
//! while the calling thread reads and hashes) owned by [`S3`], entered only
//! by this module's blocking methods. Nothing async leaves this file.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, ClientOptions, GetOptions, HeaderMap, HeaderValue, ObjectStore,
    ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload, RetryConfig, WriteMultipart,
};

use super::error::{classify, PublishError};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;

/// The object metadata that carries the image's hash (`x-amz-meta-sha3-224`).
pub const HASH_METADATA: &str = "sha3-224";

/// Everything needed to talk to one bucket. `Debug` hides the secret.
#[derive(Clone)]
pub struct Settings {
    pub bucket: String,
    pub region: String,
    pub endpoint: Option<String>,
    pub allow_http: bool,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// `--acl`: a canned ACL (`public-read`) sent with every upload.
    pub acl: Option<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// What a key holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub size: u64,
    pub hash: Option<String>,
}

/// A connected bucket with its own runtime.
pub struct S3 {
    rt: tokio::runtime::Runtime,
    store: AmazonS3,
    settings: Settings,
}

impl S3 {
    pub fn connect(settings: Settings) -> Result<S3, PublishError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("gvmi-s3")
            .enable_all()
            .build()
            .map_err(|e| PublishError::Upload(format!("cannot start the upload runtime: {e}")))?;
        let store = build(&settings, HeaderMap::new())?;
        Ok(S3 {
            rt,
            store,
            settings,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn fail(&self, e: &object_store::Error) -> PublishError {
        classify(e, &self.settings.bucket, &self.settings.secret_access_key)
    }

    /// Runs `fut` to its end, or gives up within 100 ms of `cancel`.
    fn run<F: Future>(&self, fut: F, cancel: &CancelToken) -> Result<F::Output, PublishError> {
        self.rt.block_on(async {
            let mut fut = std::pin::pin!(fut);
            loop {
                match tokio::time::timeout(Duration::from_millis(100), &mut fut).await {
                    Ok(out) => return Ok(out),
                    Err(_) if cancel.is_cancelled() => return Err(PublishError::Interrupted),
                    Err(_) => {}
                }
            }
        })
    }

    /// The size and hash metadata of `key`, or `None` when nothing is there.
    pub fn head(&self, key: &str, cancel: &CancelToken) -> Result<Option<Remote>, PublishError> {
        let path = parse_key(key)?;
        let opts = GetOptions {
            head: true,
            ..Default::default()
        };
        match self.run(self.store.get_opts(&path, opts), cancel)? {
            Ok(got) => Ok(Some(Remote {
                size: got.meta.size,
                hash: got
                    .attributes
                    .get(&Attribute::Metadata(HASH_METADATA.into()))
                    .map(|v| v.to_string()),
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.fail(&e)),
        }
    }

    /// One PUT of a small image, hash metadata included.
    pub fn put(
        &self,
        key: &str,
        bytes: Bytes,
        digest: &Sha3Digest,
        cancel: &CancelToken,
    ) -> Result<(), PublishError> {
        let path = parse_key(key)?;
        let opts = PutOptions {
            attributes: attributes(Some(digest)),
            ..Default::default()
        };
        let put = self.store.put_opts(&path, PutPayload::from(bytes), opts);
        self.run(put, cancel)?.map_err(|e| self.fail(&e))?;
        Ok(())
    }

    /// Starts a multipart upload to `key` (with the hash when known).
    pub fn multipart(
        &self,
        key: &str,
        digest: Option<&Sha3Digest>,
        part_size: usize,
        cancel: &CancelToken,
    ) -> Result<Multipart<'_>, PublishError> {
        let path = parse_key(key)?;
        let opts = PutMultipartOptions {
            attributes: attributes(digest),
            ..Default::default()
        };
        let upload = self.run(self.store.put_multipart_opts(&path, opts), cancel)?;
        let upload = upload.map_err(|e| self.fail(&e))?;
        Ok(Multipart {
            s3: self,
            writer: WriteMultipart::new_with_chunk_size(upload, part_size),
        })
    }

    /// Server-side copy of `from` to `to`, replacing the metadata with the
    /// hash: how an image hashed while it streamed gets its metadata (S3
    /// sets metadata when an upload starts). At most 5 GiB (CopyObject).
    pub fn copy_with_hash(
        &self,
        from: &str,
        to: &str,
        digest: &Sha3Digest,
        cancel: &CancelToken,
    ) -> Result<(), PublishError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amz-metadata-directive",
            HeaderValue::from_static("REPLACE"),
        );
        let hex = HeaderValue::from_str(&digest.to_hex()).expect("hex is a header value");
        headers.insert("x-amz-meta-sha3-224", hex);
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/octet-stream"),
        );
        let store = build(&self.settings, headers)?;
        let (from, to) = (parse_key(from)?, parse_key(to)?);
        self.run(store.copy(&from, &to), cancel)?
            .map_err(|e| self.fail(&e))
    }

    /// Best-effort removal (a staging object); never cancelled midway.
    pub fn delete(&self, key: &str) {
        if let Ok(path) = parse_key(key) {
            let _ = self.rt.block_on(self.store.delete(&path));
        }
    }
}

/// An upload in progress: parts go out on the runtime while the caller
/// feeds bytes; at most `in_flight` parts are held at once.
pub struct Multipart<'a> {
    s3: &'a S3,
    writer: WriteMultipart,
}

impl Multipart<'_> {
    /// Queues `bytes`, first waiting until fewer than `in_flight` parts are
    /// uploading: this is what bounds memory.
    pub fn write(
        &mut self,
        bytes: &[u8],
        in_flight: usize,
        cancel: &CancelToken,
    ) -> Result<(), PublishError> {
        let s3 = self.s3;
        s3.run(self.writer.wait_for_capacity(in_flight), cancel)?
            .map_err(|e| s3.fail(&e))?;
        let _inside = s3.rt.enter();
        self.writer.write(bytes);
        Ok(())
    }

    pub fn finish(self, cancel: &CancelToken) -> Result<(), PublishError> {
        let s3 = self.s3;
        s3.run(self.writer.finish(), cancel)?
            .map_err(|e| s3.fail(&e))?;
        Ok(())
    }

    /// Aborts the upload (AbortMultipartUpload): S3 drops the parts sent.
    /// Runs even after Ctrl-C; bounded by the client's timeouts and retries.
    pub fn abort(self) -> Result<(), PublishError> {
        let s3 = self.s3;
        s3.rt.block_on(self.writer.abort()).map_err(|e| s3.fail(&e))
    }
}

fn parse_key(key: &str) -> Result<Key, PublishError> {
    Key::parse(key).map_err(|e| PublishError::Local(format!("cannot be an object key: {e}")))
}

fn attributes(digest: Option<&Sha3Digest>) -> Attributes {
    let mut attrs = Attributes::new();
    attrs.insert(Attribute::ContentType, "application/octet-stream".into());
    if let Some(d) = digest {
        attrs.insert(Attribute::Metadata(HASH_METADATA.into()), d.to_hex().into());
    }
    attrs
}

/// The client: explicit settings only (no `from_env`, which would take any
/// `AWS_*` variable, `AWS_ALLOW_HTTP` included), short retries so a dead
/// endpoint fails in seconds, and `extra` headers on every request.
fn build(settings: &Settings, mut extra: HeaderMap) -> Result<AmazonS3, PublishError> {
    // reqwest is built without a TLS provider of its own: ring, which ureq
    // already brings (one crypto library, no C toolchain for aws-lc).
    // Fails only when one is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    if let Some(acl) = &settings.acl {
        let value = HeaderValue::from_str(acl)
            .map_err(|_| PublishError::Local(format!("--acl {acl}: not a canned ACL name")))?;
        extra.insert("x-amz-acl", value);
    }
    let client = ClientOptions::new()
        .with_connect_timeout(Duration::from_secs(10))
        .with_timeout(Duration::from_secs(120))
        .with_allow_http(settings.allow_http)
        .with_default_headers(extra);
    let retry = RetryConfig {
        max_retries: 2,
        retry_timeout: Duration::from_secs(20),
        ..Default::default()
    };
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&settings.bucket)
        .with_region(&settings.region)
        .with_access_key_id(&settings.access_key_id)
        .with_secret_access_key(&settings.secret_access_key)
        .with_client_options(client)
        .with_retry(retry);
    if let Some(token) = &settings.session_token {
        builder = builder.with_token(token);
    }
    if let Some(endpoint) = &settings.endpoint {
        // Path-style requests: what every S3-compatible service accepts.
        builder = builder
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false);
    }
    builder
        .build()
        .map_err(|e| classify(&e, &settings.bucket, &settings.secret_access_key))
}
