//! Publishing one image: what is there already, upload if needed, prove
//! the URL public, say what happened.

use std::path::{Path, PathBuf};

use super::Ctx;
use crate::digest::Sha3Digest;
use crate::fsmeta::FileStamp;
use crate::hasher::Hashed;
use crate::publish::dest::{public_url, relative_key};
use crate::publish::public::{self, VerifyMode};
use crate::publish::s3::Remote;
use crate::publish::{exit, folder, upload, Dest, PublishError};

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
        }
    }

    fn failed(mut self, e: &PublishError) -> Self {
        self.failure = Some((e.exit_code(), e.kind(), e.to_string()));
        self.fatal = e.is_fatal();
        self
    }
}

pub fn publish(
    ctx: &mut Ctx,
    path: &Path,
    root: &Path,
    stamp: &FileStamp,
    progress: &mut dyn FnMut(u64),
) -> Outcome {
    let mut out = Outcome::new(path, stamp.size);
    let mut known = ctx.cache.lookup(path, stamp).map(|h| h.digest);
    if ctx.args.content_addressed && known.is_none() {
        // The key needs the hash before anything is sent.
        match hash(ctx, path) {
            Ok(h) => known = Some(h.digest),
            Err(e) => return out.failed(&e),
        }
    }
    let relative = match relative_key(path, root, known.as_ref(), ctx.args.content_addressed) {
        Ok(k) => k,
        Err(m) => return out.failed(&PublishError::Local(m.to_string())),
    };
    let key = ctx.dest.key(&relative);
    out.key = Some(key.clone());
    out.url = public_url(
        &ctx.dest,
        ctx.args.public_base_url.as_deref(),
        ctx.region(),
        &relative,
    );
    let remote = match ctx.head(&key) {
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
        match hash(ctx, path) {
            Ok(h) => known = Some(h.digest),
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
        _ if ctx.args.dry_run => {
            out.hash = known;
            out.action = Some(Action::WouldUpload);
            return out;
        }
        _ => match send(ctx, path, &key, known, progress) {
            Ok(h) => {
                ctx.cache.learn(path, &h);
                out.action = Some(Action::Uploaded);
                h.digest
            }
            Err(e) => return out.failed(&e),
        },
    };
    out.hash = Some(digest);
    if ctx.args.dry_run {
        return out;
    }
    prove(ctx, &mut out, &digest);
    out
}

fn hash(ctx: &mut Ctx, path: &Path) -> Result<Hashed, PublishError> {
    let h = crate::hasher::hash_file(path, &ctx.cancel, |_| {}).map_err(|e| match e {
        crate::hasher::HashFailure::Cancelled => PublishError::Interrupted,
        other => PublishError::Local(other.to_string()),
    })?;
    ctx.cache.learn(path, &h);
    Ok(h)
}

fn send(
    ctx: &Ctx,
    path: &Path,
    key: &str,
    known: Option<Sha3Digest>,
    progress: &mut dyn FnMut(u64),
) -> Result<Hashed, PublishError> {
    match (&ctx.dest, &ctx.s3) {
        (Dest::Dir(dir), _) => folder::copy(path, &dir.join(key), &ctx.cancel, progress),
        (Dest::S3 { .. }, Some(s3)) => {
            upload::upload_file(s3, path, key, known, &ctx.cancel, progress)
        }
        (Dest::S3 { .. }, None) => unreachable!("an S3 destination is connected first"),
    }
}

/// The public check, unless there is no http URL to check (a folder
/// without `--public-base-url`).
fn prove(ctx: &Ctx, out: &mut Outcome, digest: &Sha3Digest) {
    let Some(url) = out.url.clone() else { return };
    let checkable = !matches!(ctx.dest, Dest::Dir(_)) || ctx.args.public_base_url.is_some();
    let mode = if checkable {
        ctx.args.verify
    } else {
        VerifyMode::None
    };
    match public::check(mode, &url, digest, out.size, &ctx.dest, &ctx.cancel) {
        Ok(verified) => out.verified = verified,
        Err(np) => {
            out.failure = Some((exit::NOT_PUBLIC, "not_public", np.message));
            out.fix = np.fix;
        }
    }
}
