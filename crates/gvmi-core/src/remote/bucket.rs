//! A bucket prefix as gvmi reads it: its `*.gvmi` objects a page at a time
//! (memory bounded by a page whatever the bucket holds), each with its
//! size, its recorded hash (`x-amz-meta-sha3-224`, one HEAD per object,
//! [`HEADS_AT_ONCE`] at a time) and the URL providers download it from;
//! the prefix's `SHA3SUMS` (read whole, capped); an object's bytes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::sums::{self, Sums};
use super::{Failure, Options, Stream};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::publish::dest::{public_url, Dest};
use crate::publish::s3::S3;
use crate::publish::{s3_access, PublishError, SetupError, Spec};

/// HEAD requests in flight at once while a page's hashes are read.
pub const HEADS_AT_ONCE: usize = 8;

/// What an object's metadata says its hash is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Hash(Sha3Digest),
    /// No `x-amz-meta-sha3-224` (not put there by `gvmi publish`).
    Missing,
    /// The metadata holds something that is not 56 hex digits (shown escaped).
    Malformed(String),
    /// The HEAD failed (its words).
    Unread(String),
}

impl Recorded {
    pub fn hash(&self) -> Option<Sha3Digest> {
        match self {
            Recorded::Hash(d) => Some(*d),
            _ => None,
        }
    }
}

/// One `*.gvmi` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// The full key.
    pub key: String,
    /// The key below the prefix (as a `SHA3SUMS` there names it).
    pub relative: String,
    pub size: u64,
    pub recorded: Recorded,
    /// Where providers download it: the public base URL + the key below
    /// the prefix, else AWS's URL; `None` for a custom endpoint without
    /// a public base URL.
    pub url: Option<String>,
}

/// A connected bucket prefix.
pub struct Bucket {
    s3: Arc<S3>,
    bucket: String,
    prefix: String,
    public_base: Option<String>,
    custom_endpoint: bool,
}

impl Bucket {
    /// Connects to `spec.to` (`s3://BUCKET[/PREFIX]`) with its settings
    /// (credentials as `publish` finds them); sends nothing.
    pub fn open(spec: &Spec) -> Result<Bucket, SetupError> {
        let Dest::S3 { bucket, prefix } = Dest::parse(&spec.to)? else {
            return Err(SetupError::Destination(
                crate::publish::dest::DestError::Unsupported {
                    text: spec.to.clone(),
                    hint: String::new(),
                },
            ));
        };
        if let Some(base) = &spec.public_base_url {
            crate::image_url::check_http(base).map_err(|why| SetupError::PublicBaseUrl {
                url: base.clone(),
                why,
            })?;
        }
        let settings = s3_access(spec, &bucket)?;
        let custom_endpoint = settings.endpoint.is_some();
        let s3 = S3::connect(settings).map_err(SetupError::Connect)?;
        Ok(Bucket {
            s3: Arc::new(s3),
            bucket,
            prefix,
            public_base: spec.public_base_url.clone(),
            custom_endpoint,
        })
    }

    /// `s3://BUCKET[/PREFIX]`, as messages name it.
    pub fn name(&self) -> String {
        match self.prefix.is_empty() {
            true => format!("s3://{}", self.bucket),
            false => format!("s3://{}/{}", self.bucket, self.prefix),
        }
    }

    /// `s3://BUCKET/KEY`, as messages name an object.
    pub fn describe(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }

    /// The full key of `relative`, a name below the prefix.
    pub fn key_of(&self, relative: &str) -> String {
        format!("{}{relative}", self.key_prefix())
    }

    /// The keys of the prefix start with this (`PREFIX/`; empty for a bucket).
    fn key_prefix(&self) -> String {
        match self.prefix.is_empty() {
            true => String::new(),
            false => format!("{}/", self.prefix),
        }
    }

    /// The `*.gvmi` objects (any case), a page at a time, in key order.
    pub fn pages<'b>(&'b self, cancel: &CancelToken) -> Pages<'b> {
        Pages {
            bucket: self,
            cancel: cancel.clone(),
            next: Some(None),
        }
    }

    /// One listing page's `*.gvmi` objects, their sizes, URLs, and the
    /// recorded hashes still to read ([`Bucket::read_recorded`]).
    fn page(
        &self,
        token: Option<&str>,
        cancel: &CancelToken,
    ) -> Result<(Vec<Object>, Option<String>), PublishError> {
        let key_prefix = self.key_prefix();
        let page = self.s3.list_page(&key_prefix, token, cancel)?;
        let objects = (page.objects.into_iter())
            .filter(|o| is_image_key(&o.key))
            .filter_map(|o| {
                let relative = o.key.strip_prefix(&key_prefix)?.to_string();
                let url = self.public_url(&relative);
                Some(Object {
                    key: o.key,
                    relative,
                    size: o.size,
                    recorded: Recorded::Missing,
                    url,
                })
            })
            .collect();
        Ok((objects, page.next))
    }

    fn public_url(&self, relative: &str) -> Option<String> {
        if self.custom_endpoint && self.public_base.is_none() {
            return None;
        }
        let dest = Dest::S3 {
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
        };
        let region = &self.s3.settings().region;
        public_url(&dest, self.public_base.as_deref(), region, relative)
    }

    /// Reads each object's recorded hash: a HEAD each, [`HEADS_AT_ONCE`]
    /// at a time.
    pub fn read_recorded(&self, objects: &mut [Object], cancel: &CancelToken) {
        let next = AtomicUsize::new(0);
        let found: Vec<Mutex<Option<Recorded>>> =
            objects.iter().map(|_| Mutex::default()).collect();
        std::thread::scope(|scope| {
            for _ in 0..HEADS_AT_ONCE.min(objects.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(object) = objects.get(i) else { return };
                    let recorded = self.recorded(&object.key, cancel);
                    *found[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(recorded);
                });
            }
        });
        for (object, recorded) in objects.iter_mut().zip(found) {
            let recorded = recorded.into_inner().unwrap_or_else(|e| e.into_inner());
            object.recorded = recorded.unwrap_or(Recorded::Missing);
        }
    }

    fn recorded(&self, key: &str, cancel: &CancelToken) -> Recorded {
        match self.s3.head(key, cancel) {
            Ok(Some(remote)) => match remote.hash {
                None => Recorded::Missing,
                Some(text) => match text.parse() {
                    Ok(digest) => Recorded::Hash(digest),
                    Err(_) => Recorded::Malformed(crate::visible::visible(&text).into_owned()),
                },
            },
            Ok(None) => Recorded::Unread("gone since it was listed".into()),
            Err(e) => Recorded::Unread(e.to_string()),
        }
    }

    /// The prefix's `SHA3SUMS` object, when there is one (at most
    /// [`sums::CAP`] bytes).
    pub fn sums(&self, cancel: &CancelToken) -> Result<Option<Sums>, PublishError> {
        let key = format!("{}SHA3SUMS", self.key_prefix());
        let bytes = self.s3.get_small(&key, sums::CAP, cancel)?;
        Ok(bytes.map(|b| Sums::parse(&b)))
    }

    /// The object's bytes, as they are now: a signed GET (no redirect
    /// followed), its body bounded as a URL's ([`Stream`]) and never read
    /// past the listed size.
    pub fn stream(&self, object: &Object, opts: &Options, cancel: &CancelToken) -> Stream {
        let (s3, key, token) = (Arc::clone(&self.s3), object.key.clone(), cancel.child());
        let name = self.describe(&object.key);
        let shown = name.clone();
        let opener = Box::new(move |limit| {
            s3.open_object(&key, limit, &token)
                .map_err(|e| Failure::Storage {
                    name: shown,
                    detail: e.to_string(),
                })
        });
        Stream::open_with(&name, Some(object.size), opener, opts, cancel)
    }
}

/// Whether a key names an image: `*.gvmi`, any case.
fn is_image_key(key: &str) -> bool {
    let tail = key.len().checked_sub(5).and_then(|i| key.get(i..));
    tail.is_some_and(|t| t.eq_ignore_ascii_case(".gvmi"))
}

/// The pages of a listing ([`Bucket::pages`]): each the `*.gvmi` objects
/// of one ListObjectsV2 page with their recorded hashes read. A failure
/// ends the listing.
pub struct Pages<'b> {
    bucket: &'b Bucket,
    cancel: CancelToken,
    /// The token of the page to read next; `None`: the listing ended.
    next: Option<Option<String>>,
}

impl Iterator for Pages<'_> {
    type Item = Result<Vec<Object>, PublishError>;

    fn next(&mut self) -> Option<Self::Item> {
        let token = self.next.take()?;
        match self.bucket.page(token.as_deref(), &self.cancel) {
            Ok((mut objects, next)) => {
                self.next = next.map(Some);
                self.bucket.read_recorded(&mut objects, &self.cancel);
                Some(Ok(objects))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_keys_end_in_gvmi_in_any_case() {
        assert!(is_image_key("v1/a.gvmi"));
        assert!(is_image_key("A.GVMI"));
        assert!(!is_image_key("v1/a.gvmi.sha3-224"));
        assert!(!is_image_key("gvmi"));
        assert!(!is_image_key("SHA3SUMS"));
    }
}
