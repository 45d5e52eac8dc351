//! A `SHA3SUMS` read from the network: a bucket prefix's object or a
//! manifest's URL, read whole up to [`CAP`], its SHA3-224 lines by name.

use std::collections::HashMap;
use std::io::Read;

use super::{Failure, Options, Stream};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::sumline::{parse_line, Line};

/// The most a remote `SHA3SUMS` may hold: about 100,000 lines, so a run
/// checking a bucket stays far below its 64 MiB of memory.
pub const CAP: usize = 8 << 20;

/// A `SHA3SUMS`'s SHA3-224 lines, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums {
    by_name: HashMap<String, Sha3Digest>,
    /// Lines neither blank, a comment, nor a SHA3-224 line.
    pub malformed: usize,
}

impl Sums {
    /// Reads `text`'s lines (GNU's or BSD's form, as `gvmi check` does);
    /// a name is kept as written, less a leading `./`.
    pub fn parse(text: &[u8]) -> Sums {
        let mut sums = Sums::default();
        for raw in text.split(|&b| b == b'\n') {
            match parse_line(raw) {
                Line::Skip => {}
                Line::Malformed => sums.malformed += 1,
                Line::Entry { digest, name } => match String::from_utf8(name) {
                    Ok(name) => {
                        let name = name.strip_prefix("./").unwrap_or(&name).to_string();
                        sums.by_name.insert(name, digest);
                    }
                    // Keys and URL paths are UTF-8: no object has such a name.
                    Err(_) => sums.malformed += 1,
                },
            }
        }
        sums
    }

    /// The hash listed for `name` (a key below the prefix).
    pub fn get(&self, name: &str) -> Option<Sha3Digest> {
        self.by_name.get(name).copied()
    }

    /// Every listed name and hash, in name order.
    pub fn entries(&self) -> Vec<(&str, Sha3Digest)> {
        let mut all: Vec<_> = (self.by_name.iter())
            .map(|(n, d)| (n.as_str(), *d))
            .collect();
        all.sort_unstable();
        all
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// Why a manifest could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Fetch(Failure),
    #[error("{} holds more than {} MiB: not a checksum list gvmi reads", crate::visible::visible(.url), CAP >> 20)]
    TooLarge { url: String },
}

/// The bytes at `url` (a manifest), at most [`CAP`], fetched as a
/// provider fetches an image ([`Stream`]'s bounds).
pub fn fetch(url: &str, opts: &Options, cancel: &CancelToken) -> Result<Vec<u8>, ReadError> {
    let mut stream = Stream::open(url, None, opts, cancel);
    let mut bytes = Vec::new();
    let read = (&mut stream).take(CAP as u64 + 1).read_to_end(&mut bytes);
    if let Err(e) = read {
        let failure = super::failure_of(&e).cloned();
        return Err(ReadError::Fetch(failure.unwrap_or_else(|| {
            Failure::Network {
                url: url.to_string(),
                detail: crate::io_error::message(&e),
            }
        })));
    }
    if bytes.len() > CAP {
        return Err(ReadError::TooLarge {
            url: url.to_string(),
        });
    }
    Ok(bytes)
}

/// Where a manifest's `name` is downloaded from: resolved against the
/// manifest's own URL, each path segment percent-encoded, as a browser
/// resolves a relative link (`a b.gvmi` → `…/a%20b.gvmi`).
pub fn resolve(manifest: &str, name: &str) -> Result<String, Failure> {
    let invalid = |detail: String| Failure::InvalidUrl {
        url: name.to_string(),
        detail,
    };
    let base = url::Url::parse(manifest).map_err(|e| invalid(e.to_string()))?;
    let relative = crate::image_url::join("", std::path::Path::new(name));
    let relative = relative.trim_start_matches('/');
    if name.starts_with('/') || name.split('/').any(|s| s == "..") {
        return Err(invalid(
            "a name in a checksum list is relative and stays below it".into(),
        ));
    }
    let url = base.join(relative).map_err(|e| invalid(e.to_string()))?;
    crate::image_url::check_http(url.as_str()).map_err(|e| invalid(e.to_string()))?;
    Ok(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7";

    #[test]
    fn lines_are_read_by_name_and_the_rest_counted() {
        let text =
            format!("# list\n{H}  a.gvmi\n{H} *./sub/b.gvmi\nSHA3-224 (c.gvmi) = {H}\nnonsense\n");
        let sums = Sums::parse(text.as_bytes());
        assert_eq!(sums.len(), 3);
        assert_eq!(sums.get("a.gvmi").unwrap().to_hex(), H);
        assert!(sums.get("sub/b.gvmi").is_some());
        assert!(sums.get("c.gvmi").is_some());
        assert_eq!(sums.malformed, 1);
    }

    #[test]
    fn names_resolve_below_the_manifest() {
        let m = "http://127.0.0.1:8/images/SHA3SUMS";
        assert_eq!(
            resolve(m, "a.gvmi").unwrap(),
            "http://127.0.0.1:8/images/a.gvmi"
        );
        assert_eq!(
            resolve(m, "sub/a b#1.gvmi").unwrap(),
            "http://127.0.0.1:8/images/sub/a%20b%231.gvmi"
        );
        assert!(resolve(m, "../x.gvmi").is_err());
        assert!(resolve(m, "/etc/x.gvmi").is_err());
    }
}
