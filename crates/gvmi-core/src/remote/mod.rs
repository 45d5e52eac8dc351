//! Images where providers fetch them: an http(s) URL, or the `*.gvmi`
//! objects of an S3 bucket prefix. What gvmi reads of them, bounded as
//! `verify` bounds a check:
//!
//! - [`Source`]: a remote argument, `https://…` or `s3://BUCKET[/PREFIX]`
//!   (the bucket with `publish`'s storage settings: [`crate::publish::Spec`]);
//! - `bucket`: a prefix's `*.gvmi` objects a page at a time (ListObjectsV2),
//!   each with its size, recorded hash (`x-amz-meta-sha3-224`, a HEAD per
//!   object, a few at once) and public URL; the prefix's `SHA3SUMS`;
//!   an object's bytes as a [`Stream`] (a signed GET);
//! - `sums`: a `SHA3SUMS` read from the network (capped), and its names;
//! - a URL's bytes: [`Stream::open`] (`verify::stream`: one GET as a
//!   provider sends it, redirects checked, every wait and body bounded,
//!   1 MiB of buffers per download, cancellable at once).
//!
//! A stream is a reader: hash it with `hasher::hash_reader`.

pub mod bucket;
pub mod lanes;
pub mod sums;

pub use crate::verify::stream::failure_of;
pub use crate::verify::{Failure, Options, Stream};
pub use bucket::{Bucket, Object, Recorded};
pub use sums::Sums;

use crate::publish::dest::{Dest, DestError};
use crate::publish::Spec;

/// A remote argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// An http or https URL (an image, or a `SHA3SUMS`).
    Url(String),
    /// `s3://BUCKET[/PREFIX]`: its `to` is the argument, the rest the
    /// storage settings given with it (endpoint, profile, region, timeout).
    Bucket(Spec),
}

/// Why a remote argument cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{url}: {why}")]
    Url {
        url: String,
        why: crate::image_url::UrlError,
    },
    #[error(transparent)]
    Bucket(#[from] DestError),
}

/// Whether `arg` names a remote source (`http://`, `https://`, `s3://`,
/// the scheme in any case) rather than a local path.
pub fn is_remote(arg: &str) -> bool {
    ["http://", "https://", "s3://"].iter().any(|scheme| {
        arg.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    })
}

impl Source {
    /// Reads a remote argument; `storage` holds the settings a bucket is
    /// read with (its `to` is ignored).
    pub fn parse(arg: &str, storage: &Spec) -> Result<Source, SourceError> {
        if arg
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("s3://"))
        {
            Dest::parse(arg)?;
            let spec = Spec {
                to: arg.to_string(),
                ..storage.clone()
            };
            return Ok(Source::Bucket(spec));
        }
        match crate::image_url::check_http(arg) {
            Ok(()) => Ok(Source::Url(arg.to_string())),
            Err(why) => Err(SourceError::Url {
                url: crate::visible::visible(arg).into_owned(),
                why,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_arguments_are_told_from_paths() {
        assert!(is_remote("https://cdn.example/a.gvmi"));
        assert!(is_remote("HTTP://cdn.example/a.gvmi"));
        assert!(is_remote("s3://bucket/v1"));
        assert!(!is_remote("./https://x"));
        assert!(!is_remote("images/a.gvmi"));
        assert!(!is_remote("s3:/bucket"));
    }

    #[test]
    fn sources_parse_or_say_why_not() {
        let storage = Spec::default();
        assert_eq!(
            Source::parse("https://cdn.example/a.gvmi", &storage),
            Ok(Source::Url("https://cdn.example/a.gvmi".into()))
        );
        match Source::parse("s3://my-bucket/v1", &storage) {
            Ok(Source::Bucket(spec)) => assert_eq!(spec.to, "s3://my-bucket/v1"),
            other => panic!("{other:?}"),
        }
        let bad = Source::parse("s3://Bad_Bucket", &storage).unwrap_err();
        assert!(bad.to_string().contains("is not a bucket name"), "{bad}");
        let hostless = Source::parse("http:///x", &storage).unwrap_err();
        assert_eq!(hostless.to_string(), "http:///x: the URL has no host");
    }
}
