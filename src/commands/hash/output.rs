//! What `gvmi hash` prints for each outcome: sha3sum lines (escaped on a
//! terminal), JSON records, warnings.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use super::super::json::{self, PathFields};
use super::super::out::warn;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::Hashed;
use gvmi_core::sumline::{path_bytes, shown_line, LineStyle};
use gvmi_core::visible::{visible, visible_path};

/// What became of one discovered path.
pub(super) enum Outcome {
    Hashed {
        path: PathBuf,
        hashed: Hashed,
        /// Standard input or a named FIFO or device: no file to list in a
        /// SHA3SUMS or to watch.
        stream: bool,
    },
    Failed {
        path: PathBuf,
        stamp: Option<FileStamp>,
        reason: String,
    },
    SkippedLink(PathBuf),
    /// An http(s) URL's bytes, hashed as a provider downloads them.
    Fetched {
        url: String,
        result: Result<Hashed, String>,
    },
}

#[derive(Clone, Copy)]
pub(super) enum Format {
    Lines(LineStyle),
    Json,
}

/// `on_terminal`: names with control characters are shown escaped (piped,
/// the lines are byte for byte `sha3sum`'s).
pub(super) fn render(
    outcome: &Outcome,
    format: Format,
    on_terminal: bool,
    buf: &mut Vec<u8>,
) -> anyhow::Result<()> {
    match (outcome, format) {
        (Outcome::Hashed { path, hashed, .. }, Format::Lines(style)) => buf.extend(shown_line(
            &hashed.digest,
            &path_bytes(path),
            style,
            on_terminal,
        )),
        (Outcome::Hashed { path, hashed, .. }, Format::Json) => {
            json_line(path, Some(&hashed.stamp), Some(hashed), None, buf)?
        }
        (
            Outcome::Failed {
                path,
                stamp,
                reason,
            },
            format,
        ) => {
            warn(visible_path(path), reason);
            if let Format::Json = format {
                json_line(path, stamp.as_ref(), None, Some(reason), buf)?;
            }
        }
        (Outcome::Fetched { url, result }, format) => match (result, format) {
            (Ok(hashed), Format::Lines(style)) => buf.extend(shown_line(
                &hashed.digest,
                url.as_bytes(),
                style,
                on_terminal,
            )),
            (result, format) => {
                if let Err(reason) = result {
                    warn(visible(url), reason);
                }
                if let Format::Json = format {
                    let record = UrlRecord {
                        url,
                        size: result.as_ref().ok().map(|h| h.stamp.size),
                        sha3_224: result.as_ref().ok().map(|h| h.digest.to_hex()),
                        error: result.as_ref().err().map(String::as_str),
                    };
                    buf.extend_from_slice(json::line(&record)?.as_bytes());
                }
            }
        },
        (Outcome::SkippedLink(path), _) => warn(
            visible_path(path),
            "symbolic link not followed (use --follow to hash its target)",
        ),
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    #[serde(flatten)]
    path: PathFields,
    size: Option<u64>,
    mtime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha3_224: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// A URL's `--json` record.
#[derive(Serialize)]
struct UrlRecord<'a> {
    url: &'a str,
    size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha3_224: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

fn json_line(
    path: &Path,
    stamp: Option<&FileStamp>,
    hashed: Option<&Hashed>,
    error: Option<&str>,
    buf: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let record = JsonRecord {
        path: PathFields::of(Some(path)),
        size: stamp.map(|s| s.size),
        mtime: stamp.and_then(|s| s.mtime).map(rfc3339),
        sha3_224: hashed.map(|h| h.digest.to_hex()),
        error,
    };
    buf.extend_from_slice(json::line(&record)?.as_bytes());
    Ok(())
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_nanos(t).to_string()
}
