//! Publishing one image to a connected destination: what is there
//! already, upload if needed, prove the URL public. `gvmi publish` and the
//! workbench's `p` share it; the caller owns the cache (it passes the hash
//! it knows and learns the fresh one back).

use std::path::{Path, PathBuf};

use super::dest::{public_url, relative_key};
use super::public::{self, VerifyMode};
use super::s3::{Remote, S3};
use super::{exit, folder, s3_settings, upload, Dest, PublishError, RunOptions, SetupError, Spec};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::fsmeta::FileStamp;
use crate::hasher::Hashed;

/// Where to publish and how: a parsed `--to`, connected.
pub struct Destination {
    pub dest: Dest,
    s3: Option<S3>,
    pub(crate) public_base_url: Option<String>,
    pub run: RunOptions,
}

impl Destination {
    /// Parses `spec.to` and, for S3, resolves the credentials and starts
    /// the client.
    pub fn open(spec: &Spec, run: RunOptions) -> Result<Destination, SetupError> {
        let dest = Dest::parse(&spec.to)?;
        // The one URL rule (`image_url`): every URL gvmi prints, records
        // and puts in a snippet starts here.
        if let Some(base) = &spec.public_base_url {
            crate::image_url::check_http(base).map_err(|why| SetupError::PublicBaseUrl {
                url: base.clone(),
                why,
            })?;
        }
        let s3 = match &dest {
            Dest::S3 { bucket, .. } => {
                let settings = s3_settings(spec, bucket)?;
                Some(S3::connect(settings).map_err(SetupError::Connect)?)
            }
            Dest::Dir(_) => None,
        };
        Ok(Destination {
            dest,
            s3,
            public_base_url: spec.public_base_url.clone(),
            run,
        })
    }

    /// What to tell the user about `--public-base-url` (a host providers
    /// cannot reach, …): the warnings `snippet` gives its URLs
    /// (`image_url`'s rule); none without one.
    pub fn url_warnings(&self) -> Vec<crate::image_url::UrlWarning> {
        let base = self.public_base_url.as_deref();
        base.and_then(|b| crate::image_url::check_base(b).ok())
            .unwrap_or_default()
    }

    fn region(&self) -> &str {
        self.s3
            .as_ref()
            .map_or("", |s| s.settings().region.as_str())
    }

    fn head(&self, key: &str, cancel: &CancelToken) -> Result<Option<Remote>, PublishError> {
        match (&self.dest, &self.s3) {
            (Dest::Dir(dir), _) => Ok(folder::head(&dir.join(key))),
            (_, Some(s3)) => s3.head(key, cancel),
            (_, None) => unreachable!("an S3 destination is connected when opened"),
        }
    }
}

/// What happened to the image's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Uploaded,
    /// The destination already held it (same size and hash).
    Skipped,
    /// `--dry-run`: would be uploaded.
    WouldUpload,
}

/// One image's result.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub path: PathBuf,
    pub key: Option<String>,
    pub url: Option<String>,
    pub hash: Option<Sha3Digest>,
    pub size: u64,
    pub action: Option<Action>,
    pub verified: bool,
    /// The exit code, kind and message of what failed.
    pub failure: Option<(u8, &'static str, String)>,
    /// How to fix the failure, in the storage's terms.
    pub fix: Option<String>,
    /// The failure would repeat for every image (credentials, endpoint,
    /// bucket, interruption): the run stops.
    pub fatal: bool,
    /// A hash computed on the way (the caller's cache learns it).
    pub fresh: Option<Hashed>,
}

impl Outcome {
    fn new(path: &Path, size: u64) -> Self {
        Outcome {
            path: path.to_path_buf(),
            key: None,
            url: None,
            hash: None,
            size,
            action: None,
            verified: false,
            failure: None,
            fix: None,
            fatal: false,
            fresh: None,
        }
    }

    fn failed(mut self, e: &PublishError) -> Self {
        self.failure = Some((e.exit_code(), e.kind(), e.to_string()));
        self.fatal = e.is_fatal();
        self
    }
}

impl Destination {
    /// Publishes the image at `path` (found under `root` with `stamp`);
    /// `known` is a fresh cached hash, if any.
    pub fn publish(
        &self,
        path: &Path,
        root: &Path,
        stamp: &FileStamp,
        known: Option<Sha3Digest>,
        cancel: &CancelToken,
        progress: &mut dyn FnMut(u64),
    ) -> Outcome {
        let mut out = Outcome::new(path, stamp.size);
        let mut known = known;
        if self.run.content_addressed && known.is_none() {
            // The key needs the hash before anything is sent.
            match hash(&mut out, path, cancel) {
                Ok(d) => known = Some(d),
                Err(e) => return out.failed(&e),
            }
        }
        let relative = match relative_key(path, root, known.as_ref(), self.run.content_addressed) {
            Ok(k) => k,
            Err(m) => return out.failed(&PublishError::Local(m.to_string())),
        };
        let key = self.dest.key(&relative);
        out.key = Some(key.clone());
        out.url = public_url(
            &self.dest,
            self.public_base_url.as_deref(),
            self.region(),
            &relative,
        );
        let remote = match self.head(&key, cancel) {
            Ok(r) => r,
            Err(e) => return out.failed(&e),
        };
        // Only a remote copy of the same size can be the same image: hash
        // locally (once) only then.
        if known.is_none()
            && remote
                .as_ref()
                .is_some_and(|r| r.size == stamp.size && r.hash.is_some())
        {
            match hash(&mut out, path, cancel) {
                Ok(d) => known = Some(d),
                Err(e) => return out.failed(&e),
            }
        }
        let same = |d: &Sha3Digest, r: &Remote| {
            r.size == stamp.size
                && r.hash
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case(&d.to_hex()))
        };
        let digest = match (known, &remote) {
            (Some(d), Some(r)) if same(&d, r) => {
                out.action = Some(Action::Skipped);
                d
            }
            _ if self.run.dry_run => {
                out.hash = known;
                out.action = Some(Action::WouldUpload);
                return out;
            }
            _ => match self.send(path, &key, known, cancel, progress) {
                Ok(h) => {
                    out.fresh = Some(h);
                    out.action = Some(Action::Uploaded);
                    h.digest
                }
                Err(e) => return out.failed(&e),
            },
        };
        out.hash = Some(digest);
        if cancel.is_cancelled() {
            // Interrupted during the last request, which put it there.
            return interrupted_after(out, &self.dest.describe(&key));
        }
        if !self.run.dry_run {
            self.prove(&mut out, &digest, cancel);
        }
        out
    }

    fn send(
        &self,
        path: &Path,
        key: &str,
        known: Option<Sha3Digest>,
        cancel: &CancelToken,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Hashed, PublishError> {
        match (&self.dest, &self.s3) {
            (Dest::Dir(dir), _) => folder::copy(path, dir, key, cancel, progress),
            (Dest::S3 { .. }, Some(s3)) => {
                upload::upload_file(s3, path, key, known, cancel, progress)
            }
            (Dest::S3 { .. }, None) => unreachable!("an S3 destination is connected when opened"),
        }
    }

    /// The public check, unless there is no http URL to check (a folder
    /// without a public base URL).
    fn prove(&self, out: &mut Outcome, digest: &Sha3Digest, cancel: &CancelToken) {
        let Some(url) = out.url.clone() else { return };
        let checkable = !matches!(self.dest, Dest::Dir(_)) || self.public_base_url.is_some();
        let mode = if checkable {
            self.run.verify
        } else {
            VerifyMode::None
        };
        match public::check(mode, &url, digest, out.size, &self.dest, cancel) {
            Ok(verified) => out.verified = verified,
            Err(np) => {
                out.failure = Some((exit::NOT_PUBLIC, "not_public", np.message));
                out.fix = np.fix;
            }
        }
    }
}

/// The words for an image whose last request was under way when the run
/// was interrupted: the storage finished it, so the image is there whole.
fn interrupted_after(mut out: Outcome, at: &str) -> Outcome {
    let e = PublishError::Interrupted;
    let message = format!(
        "interrupted as the upload ended: {at} holds the image whole, with its hash \
         (its public URL was not checked)"
    );
    out.failure = Some((e.exit_code(), e.kind(), message));
    out.fatal = true;
    out
}

fn hash(out: &mut Outcome, path: &Path, cancel: &CancelToken) -> Result<Sha3Digest, PublishError> {
    let h = crate::hasher::hash_file(path, cancel, |_| {}).map_err(|e| match e {
        crate::hasher::HashFailure::Cancelled => PublishError::Interrupted,
        other => PublishError::Local(other.to_string()),
    })?;
    out.fresh = Some(h);
    Ok(h.digest)
}
