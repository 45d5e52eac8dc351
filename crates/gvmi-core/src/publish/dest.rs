//! Where images go (`--to`): an S3 bucket and prefix, or a folder (a web
//! root); the key each image gets; and the URL providers will fetch it from.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::digest::Sha3Digest;
use crate::fsmeta::FileStamp;

/// A parsed `--to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// `s3://BUCKET[/PREFIX]`; `prefix` has no leading or trailing `/`.
    S3 { bucket: String, prefix: String },
    /// `file:///DIR`: an absolute folder.
    Dir(PathBuf),
}

/// Why a `--to` is refused; each names the text given and how to write it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DestError {
    #[error(
        "{text}: `{bucket}` is not a bucket name (3-63 lowercase letters, digits, `.` and `-`)"
    )]
    Bucket { text: String, bucket: String },
    /// Neither `s3://` nor `file:`; `hint` spells an absolute path as a URL.
    #[error("{text}: unsupported destination; give s3://BUCKET[/PREFIX] or file:///DIR{hint}")]
    Unsupported { text: String, hint: String },
    #[error(
        "{text}: `{host}` is a host name, and gvmi writes only to this machine's \
         folders; a folder takes three slashes: file:///{meant}"
    )]
    Host {
        text: String,
        host: String,
        meant: String,
    },
    #[error("{text}: the folder must be absolute, not {shown}: give file:///DIR{meant}")]
    Relative {
        text: String,
        shown: String,
        meant: String,
    },
    #[error("{text}: a folder URL has no query or fragment (`?`, `#`); write them as %3F, %23")]
    QueryOrFragment { text: String },
    #[error("{text}: the folder name holds a NUL (%00)")]
    Nul { text: String },
}

/// Why an image has no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KeyError {
    #[error("has no file name")]
    NoFileName,
    #[error("its name is not UTF-8 (object keys must be)")]
    NotUtf8,
    #[error("no hash for a content-addressed key")]
    NoHash,
}

impl Dest {
    pub fn parse(text: &str) -> Result<Dest, DestError> {
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if !valid_bucket(bucket) {
                return Err(DestError::Bucket {
                    text: text.into(),
                    bucket: bucket.into(),
                });
            }
            let prefix = prefix.trim_matches('/').to_string();
            return Ok(Dest::S3 {
                bucket: bucket.to_string(),
                prefix,
            });
        }
        if text
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
        {
            return parse_file(text).map(Dest::Dir);
        }
        let hint = match Path::new(text).is_absolute() {
            true => format!(" (a folder: file://{})", file_path_text(Path::new(text))),
            false => String::new(),
        };
        Err(DestError::Unsupported {
            text: text.into(),
            hint,
        })
    }

    /// The full object key (S3) or relative path (folder) for `relative`.
    pub fn key(&self, relative: &str) -> String {
        match self {
            Dest::S3 { prefix, .. } if !prefix.is_empty() => format!("{prefix}/{relative}"),
            _ => relative.to_string(),
        }
    }
}

/// A `file:` destination, read strictly (RFC 8089's local forms only):
/// `file:///DIR` or `file://localhost/DIR`, and `file:/DIR`. A host
/// (`file://tmp/x`: `tmp` is a host, not a folder) and a relative path
/// (`file:www`) are refused with the spelling meant; so are a query, a
/// fragment and a NUL. `%XX` escapes are decoded (raw bytes on Unix).
fn parse_file(text: &str) -> Result<PathBuf, DestError> {
    let rest = &text[5..];
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            let host = &after[..end];
            if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
                return Err(DestError::Host {
                    text: text.into(),
                    host: host.into(),
                    meant: after.trim_start_matches('/').into(),
                });
            }
            &after[end..]
        }
        None => rest,
    };
    if !path.starts_with('/') {
        let shown = if path.is_empty() { "(nothing)" } else { path };
        let meant = std::env::current_dir()
            .map(|cwd| format!(" (from here: file://{})", file_path_text(&cwd.join(path))))
            .unwrap_or_default();
        return Err(DestError::Relative {
            text: text.into(),
            shown: shown.into(),
            meant,
        });
    }
    if path.contains(['?', '#']) {
        return Err(DestError::QueryOrFragment { text: text.into() });
    }
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    if bytes.contains(&0) {
        return Err(DestError::Nul { text: text.into() });
    }
    Ok(path_from_bytes(bytes))
}

/// A folder path as a `file://` URL writes it (each segment encoded).
fn file_path_text(dir: &Path) -> String {
    crate::image_url::join("/", dir.strip_prefix("/").unwrap_or(dir))
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

fn valid_bucket(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// The image's key below the destination: its path relative to the folder
/// argument (its file name for a file argument), `/`-separated. With
/// `content_addressed`, `name.gvmi` becomes `name-<first 12 hex>.gvmi`.
/// S3 keys are UTF-8: a name that is not is refused.
pub(crate) fn relative_key(
    image: &Path,
    root: &Path,
    digest: Option<&Sha3Digest>,
    content_addressed: bool,
) -> Result<String, KeyError> {
    let relative = image
        .strip_prefix(root)
        .ok()
        .filter(|r| !r.as_os_str().is_empty())
        .or_else(|| image.file_name().map(Path::new))
        .ok_or(KeyError::NoFileName)?;
    let mut parts = Vec::new();
    for c in relative.components() {
        if let Component::Normal(s) = c {
            parts.push(s.to_str().ok_or(KeyError::NotUtf8)?);
        }
    }
    let mut key = parts.join("/");
    if content_addressed {
        let digest = digest.ok_or(KeyError::NoHash)?;
        let hex = digest.to_hex();
        let stem_end = key.strip_suffix(".gvmi").map_or(key.len(), str::len);
        key.insert_str(stem_end, &format!("-{}", &hex[..12]));
    }
    Ok(key)
}

/// Two different files this run would publish at one key: the second would
/// replace the first, and both would be remembered at one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The full key (below the bucket or folder).
    pub key: String,
    pub first: PathBuf,
    pub second: PathBuf,
    /// In a folder, `first`'s key is a folder `second`'s key needs (or the
    /// other way round): a file and a folder cannot share a name.
    pub nested: bool,
}

impl Dest {
    /// Where `key` lands, as the user would write it.
    pub fn describe(&self, key: &str) -> String {
        match self {
            Dest::S3 { bucket, .. } => format!("s3://{bucket}/{key}"),
            Dest::Dir(dir) => dir.join(key).display().to_string(),
        }
    }
}

/// Every key used twice by `images` (path, its argument, its stamp), found
/// before anything is uploaded. One file named twice (the same path, or the
/// same device and inode: a hard link) is not a collision: the bytes are the
/// same. Content-addressed keys are not checked: the hash is in the key, so
/// one key means the same bytes. A name that has no key is left to the
/// image's own failure.
pub fn collisions<'a>(
    dest: &Dest,
    images: impl IntoIterator<Item = (&'a Path, &'a Path, &'a FileStamp)>,
    content_addressed: bool,
) -> Vec<Collision> {
    if content_addressed {
        return Vec::new();
    }
    let mut seen: BTreeMap<String, (&Path, &FileStamp)> = BTreeMap::new();
    let mut found = Vec::new();
    for (path, root, stamp) in images {
        let Ok(relative) = relative_key(path, root, None, false) else {
            continue;
        };
        let key = dest.key(&relative);
        match seen.get(key.as_str()) {
            Some(&(first, first_stamp)) if !same_file(first, first_stamp, path, stamp) => {
                found.push(Collision {
                    key,
                    first: first.to_path_buf(),
                    second: path.to_path_buf(),
                    nested: false,
                });
            }
            Some(_) => {}
            None => {
                seen.insert(key, (path, stamp));
            }
        }
    }
    if matches!(dest, Dest::Dir(_)) {
        found.extend(nested(&seen));
    }
    found
}

fn same_file(a: &Path, a_stamp: &FileStamp, b: &Path, b_stamp: &FileStamp) -> bool {
    a == b || (a_stamp.id.is_some() && a_stamp.id == b_stamp.id)
}

/// In a folder, `x.gvmi` and `x.gvmi/y.gvmi` cannot both be files.
fn nested(keys: &BTreeMap<String, (&Path, &FileStamp)>) -> Vec<Collision> {
    let mut found = Vec::new();
    for (key, (path, _)) in keys {
        let parents = key.match_indices('/').map(|(i, _)| &key[..i]);
        if let Some((parent, (first, _))) = parents.filter_map(|p| keys.get_key_value(p)).next() {
            found.push(Collision {
                key: parent.clone(),
                first: first.to_path_buf(),
                second: path.to_path_buf(),
                nested: true,
            });
        }
    }
    found
}

/// The URL providers download `key` (relative to the destination) from:
/// `--public-base-url` + the key, else, for AWS itself, the bucket's
/// virtual-hosted URL. A custom endpoint without a public base is refused
/// by the caller before anything is uploaded.
pub(crate) fn public_url(
    dest: &Dest,
    public_base: Option<&str>,
    region: &str,
    relative: &str,
) -> Option<String> {
    if let Some(base) = public_base {
        return Some(crate::image_url::join(base, Path::new(relative)));
    }
    match dest {
        Dest::S3 { bucket, .. } => {
            let base = format!("https://{bucket}.s3.{region}.amazonaws.com/");
            Some(crate::image_url::join(
                &base,
                Path::new(&dest.key(relative)),
            ))
        }
        Dest::Dir(dir) => url::Url::from_file_path(dir.join(relative))
            .ok()
            .map(String::from),
    }
}

#[cfg(test)]
mod tests;
