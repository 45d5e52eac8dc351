//! Reading a bucket (for `remote`): a page of a listing (ListObjectsV2), a
//! small object read whole with a cap (a `SHA3SUMS`), and an object's GET
//! handed back unread for a body the caller streams and bounds.

use std::time::Duration;

use rusty_s3::actions::ListObjectsV2;

use super::request::{self, Call};
use super::{object_key, url_of, S3};
use crate::cancel::CancelToken;
use crate::publish::error::Fault;
use crate::publish::PublishError;

/// Keys asked for per page: S3's own maximum.
const PAGE_KEYS: usize = 1000;
/// A page's XML: 1,000 keys of up to 1,024 bytes each, URL-encoded, with
/// their sizes, ETags and dates, fit well within it.
const PAGE_CAP: usize = 8 << 20;

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    pub(crate) key: String,
    pub(crate) size: u64,
}

/// One page of a listing, and the token of the next, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) objects: Vec<Listed>,
    pub(crate) next: Option<String>,
}

impl S3 {
    /// The keys below `prefix` (all of them: no delimiter), a page at a
    /// time: `token` is the previous page's `next`.
    pub(crate) fn list_page(
        &self,
        prefix: &str,
        token: Option<&str>,
        cancel: &CancelToken,
    ) -> Result<Page, PublishError> {
        let (prefix, token) = (prefix.to_string(), token.map(str::to_string));
        self.run(cancel, move |c, cancel| {
            let mut action = c.bucket.list_objects_v2(None);
            if !prefix.is_empty() {
                action.with_prefix(prefix);
            }
            if let Some(token) = token {
                action.with_continuation_token(token);
            }
            action.with_max_keys(PAGE_KEYS);
            let call = Call {
                op: "ListObjectsV2",
                method: "GET",
                url: url_of(action),
                headers: &[],
                body: &[],
            };
            let reply = c.send_capped(&call, PAGE_CAP, cancel)?;
            let text = String::from_utf8_lossy(&reply.body);
            let parsed = ListObjectsV2::parse_response(&text)
                .map_err(|_| request::unexpected("ListObjectsV2", &text))?;
            let objects = (parsed.contents.into_iter())
                .map(|o| Listed {
                    key: o.key,
                    size: o.size.unwrap_or(0),
                })
                .collect();
            Ok(Page {
                objects,
                next: parsed.next_continuation_token,
            })
        })
    }

    /// The whole of a small object (at most `cap` bytes: more is an
    /// error), or `None` when there is no such key.
    pub(crate) fn get_small(
        &self,
        key: &str,
        cap: usize,
        cancel: &CancelToken,
    ) -> Result<Option<Vec<u8>>, PublishError> {
        let key = object_key(key)?;
        self.run(cancel, move |c, cancel| {
            let call = Call {
                op: "GetObject",
                method: "GET",
                url: url_of(c.bucket.get_object(None, &key)),
                headers: &[],
                body: &[],
            };
            match c.send_capped(&call, cap, cancel) {
                Ok(reply) => Ok(Some(reply.body)),
                Err(Fault::Status { status: 404, .. }) => Ok(None),
                Err(fault) => Err(fault),
            }
        })
    }

    /// GET of `key`, its answer unread: the caller streams the body, within
    /// `limit` in all (ureq's whole-request timeout). Blocking, on the
    /// caller's thread (a download's helper, which its watcher oversees).
    pub(crate) fn open_object(
        &self,
        key: &str,
        limit: Duration,
        cancel: &CancelToken,
    ) -> Result<ureq::Response, PublishError> {
        let key = object_key(key)?;
        let call = Call {
            op: "GetObject",
            method: "GET",
            url: url_of(self.client.bucket.get_object(None, &key)),
            headers: &[],
            body: &[],
        };
        (self.client.open(&call, limit, cancel)).map_err(|fault| self.fail(&fault))
    }
}
