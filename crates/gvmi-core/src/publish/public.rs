//! Is the published URL public? Checked as a requestor and a provider
//! would: HEAD without credentials (yapapi and golem-core refuse anything
//! but 200), Content-Length against the image, and the hash metadata when
//! the store sends it back; `--verify full` downloads and hashes it with
//! `gvmi verify`'s code. A refusal comes with the fix in the storage's terms.

use std::time::Duration;

use super::dest::Dest;
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::{http, verify};

/// How long an anonymous HEAD (or the GET that follows a refused one) may
/// take to answer, on `http`'s client (its connect and silence limits).
const ANSWER_DEADLINE: Duration = Duration::from_secs(30);

/// How thoroughly to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyMode {
    /// No check (the URL is printed unproven).
    None,
    /// HEAD: status, Content-Length, hash metadata.
    Head,
    /// HEAD, then GET and hash the body (`gvmi verify`).
    Full,
}

impl VerifyMode {
    pub const ALL: [VerifyMode; 3] = [VerifyMode::None, VerifyMode::Head, VerifyMode::Full];

    /// The name used on the command line (`--verify`).
    pub fn name(self) -> &'static str {
        match self {
            VerifyMode::None => "none",
            VerifyMode::Head => "head",
            VerifyMode::Full => "full",
        }
    }

    /// What it checks, in one line (the help's list of modes).
    pub fn about(self) -> &'static str {
        match self {
            VerifyMode::None => "No check (the URL is printed unproven)",
            VerifyMode::Head => "HEAD: status, Content-Length, hash metadata",
            VerifyMode::Full => "HEAD, then GET and hash the body (`gvmi verify`)",
        }
    }
}

/// What the check found wrong; `message` says it and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotPublic {
    pub(crate) status: Option<u16>,
    pub(crate) message: String,
    /// What to do about it, when the storage's terms say (one per run is enough).
    pub(crate) fix: Option<String>,
}

/// Checks `url` serves an image of `size` bytes hashing to `digest`.
pub(crate) fn check(
    mode: VerifyMode,
    url: &str,
    digest: &Sha3Digest,
    size: u64,
    dest: &Dest,
    cancel: &CancelToken,
) -> Result<bool, NotPublic> {
    match mode {
        VerifyMode::None => Ok(false),
        VerifyMode::Head => head(url, digest, size, dest).map(|()| true),
        VerifyMode::Full => {
            let expected = verify::Expected {
                digest: *digest,
                size: Some(size),
            };
            verify::verify(url, expected, &verify::Options::default(), cancel, |_| {})
                .map(|_| true)
                .map_err(|f| NotPublic {
                    status: f.status(),
                    message: unreachable(&f, dest).unwrap_or_else(|| f.to_string()),
                    fix: match f {
                        verify::Failure::HeadStatus {
                            get_serves_image: Some(true),
                            ..
                        } => Some(HEAD_ONLY_FIX.into()),
                        _ => fix(f.status(), dest),
                    },
                })
        }
    }
}

fn head(url: &str, digest: &Sha3Digest, size: u64, dest: &Dest) -> Result<(), NotPublic> {
    let fail = |status: Option<u16>, message: String| NotPublic {
        status,
        message,
        fix: fix(status, dest),
    };
    crate::image_url::check_http(url).map_err(|e| fail(None, format!("{url}: {e}")))?;
    let agent = http::agent(&http::Limits::default());
    let response = match agent.head(url).timeout(ANSWER_DEADLINE).call() {
        Ok(r) => r,
        // Not private after all when GET serves it (moto with a GetObject-only
        // policy, some CDNs): say who would download it and who would not.
        Err(ureq::Error::Status(code @ (401 | 403), r)) if get_serves(&agent, url, size) => {
            return Err(NotPublic {
                status: Some(code),
                message: format!(
                    "{url} answers {code} {} to an anonymous HEAD but GET serves it: {}",
                    crate::visible::visible(r.status_text()),
                    verify::failure::HEAD_ONLY_REFUSED
                ),
                fix: Some(HEAD_ONLY_FIX.into()),
            });
        }
        Err(ureq::Error::Status(code, r)) => {
            return Err(fail(
                Some(code),
                format!(
                    "{url} answers {code} {} to an anonymous HEAD",
                    crate::visible::visible(r.status_text())
                ),
            ))
        }
        Err(e) => {
            let failure = verify::failure_of(e, url, "HEAD");
            let message = unreachable(&failure, dest).unwrap_or_else(|| failure.to_string());
            return Err(fail(None, message));
        }
    };
    let status = response.status();
    if status != 200 {
        return Err(fail(
            Some(status),
            format!(
                "{url} answers {status} {} to HEAD; providers need 200 (check it with --verify full)",
                crate::visible::visible(response.status_text())
            ),
        ));
    }
    let length = response
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if length.is_some_and(|n| n != size) {
        return Err(fail(
            Some(status),
            format!(
                "{url} serves {} bytes, the image has {size}: a stale copy (a CDN cache?)",
                length.unwrap_or(0)
            ),
        ));
    }
    let served = response.header("x-amz-meta-sha3-224").map(str::trim);
    if let Some(served) = served.filter(|s| !s.eq_ignore_ascii_case(&digest.to_hex())) {
        return Err(fail(
            Some(status),
            format!(
                "{url} serves an object whose hash metadata is {}, not {}: a stale copy",
                crate::visible::visible(served),
                digest.to_hex()
            ),
        ));
    }
    Ok(())
}

/// A URL nothing answers at (refused, DNS, timeout, TLS, the connection
/// lost): what failed in `verify`'s plain words (the URL once), then what
/// to do, on one line.
fn unreachable(failure: &verify::Failure, dest: &Dest) -> Option<String> {
    use verify::Failure as F;
    if !matches!(
        failure,
        F::Refused { .. } | F::Dns { .. } | F::Timeout { .. } | F::Tls { .. } | F::Network { .. }
    ) {
        return None;
    }
    let todo = match dest {
        Dest::Dir(dir) => format!(
            "start the web server that serves {} there, or check --public-base-url",
            crate::visible::visible_path(dir)
        ),
        Dest::S3 { bucket, prefix } => format!(
            "check --public-base-url: it must be where s3://{bucket}/{prefix} is served \
             from (its CDN or custom domain)"
        ),
    };
    Some(format!("not reachable: {failure}; {todo}"))
}

/// The fix for a store that refuses HEAD but serves GET.
const HEAD_ONLY_FIX: &str = "the server refuses HEAD where it allows GET: allow HEAD wherever \
     GET is allowed (a CDN's allowed methods; on AWS S3 s3:GetObject allows both, some \
     S3-compatible servers grant them apart)";

/// Whether an anonymous GET of `url` answers 200 with `size` bytes (the
/// body is not read: only the answer matters here).
fn get_serves(agent: &ureq::Agent, url: &str, size: u64) -> bool {
    agent
        .get(url)
        .timeout(ANSWER_DEADLINE)
        .call()
        .is_ok_and(|r| {
            let length = r
                .header("content-length")
                .and_then(|v| v.trim().parse::<u64>().ok());
            r.status() == 200 && length.is_none_or(|n| n == size)
        })
}

/// What to do about a refusal, in the storage's own terms.
fn fix(status: Option<u16>, dest: &Dest) -> Option<String> {
    let fix = match (status, dest) {
        (Some(401 | 403), Dest::S3 { bucket, prefix }) => format!(
            "the object is private: providers download without credentials. Make the prefix \
             public-read with a bucket policy (aws s3api put-bucket-policy --bucket {bucket} \
             --policy file://policy.json; on AWS also turn off Block Public Access):\n{}\n\
             or, for a bucket that uses ACLs, make each object public-read (aws s3api \
             put-object-acl --bucket {bucket} --key KEY --acl public-read; gvmi publish \
             --acl public-read does it for the images it uploads)",
            policy_json(bucket, prefix)
        ),
        (Some(404), Dest::S3 { bucket, prefix }) => format!(
            "the public URL does not reach the object: --public-base-url must serve \
             s3://{bucket}/{prefix} (a CDN origin or custom domain pointing elsewhere?)"
        ),
        (Some(401 | 403 | 404), Dest::Dir(dir)) => format!(
            "the web server does not serve {} at this URL: check --public-base-url and that \
             the server may read the folder",
            crate::visible::visible_path(dir)
        ),
        _ => return None,
    };
    Some(fix)
}

/// The smallest bucket policy that lets anyone GET objects under `prefix`.
pub(crate) fn policy_json(bucket: &str, prefix: &str) -> String {
    let resource = if prefix.is_empty() {
        format!("arn:aws:s3:::{bucket}/*")
    } else {
        format!("arn:aws:s3:::{bucket}/{prefix}/*")
    };
    // Written out (not serde_json) to keep AWS's usual key order.
    let resource = serde_json::to_string(&resource).expect("a string");
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{{\n    \"Sid\": \"GvmiPublicRead\",\n    \"Effect\": \"Allow\",\n    \"Principal\": \"*\",\n    \"Action\": \"s3:GetObject\",\n    \"Resource\": {resource}\n  }}]\n}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_bucket_and_prefix() {
        let p: serde_json::Value = serde_json::from_str(&policy_json("bkt", "imgs/v1")).unwrap();
        assert_eq!(p["Statement"][0]["Resource"], "arn:aws:s3:::bkt/imgs/v1/*");
        assert_eq!(p["Statement"][0]["Principal"], "*");
        assert_eq!(p["Statement"][0]["Action"], "s3:GetObject");
    }
}
