//! JSON as gvmi prints it (`--json` of `hash`, `inspect`, `verify`,
//! `snippet`, `publish`): the one home of two rules.
//!
//! - **A path** is `path`, its text (bytes that are not UTF-8 become
//!   U+FFFD), plus `path_bytes`, the exact bytes in base64 (standard,
//!   padded), only when the text is lossy: two different names never give
//!   the same record.
//! - **Nothing a terminal acts on goes out raw**: every character
//!   [`is_unsafe`] flags (C1 controls such as U+009B, DEL, bidi overrides,
//!   zero-width characters) is written `\uXXXX`, as serde_json already does
//!   for C0 controls. Still valid JSON that parses back to the exact
//!   string, but `gvmi inspect --json` on a terminal is inert.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use gvmi_core::sumline::path_bytes;
use gvmi_core::visible::is_unsafe;

/// A path's JSON fields; `#[serde(flatten)]` it into a record. With no
/// path (standard input), `path` is `null`.
#[derive(Debug, Serialize)]
pub struct PathFields {
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<String>,
}

impl PathFields {
    pub fn of(path: Option<&Path>) -> Self {
        Self {
            path: path.map(|p| p.to_string_lossy().into_owned()),
            path_bytes: path.and_then(lossless_bytes),
        }
    }

    /// Adds the fields to a JSON object built with `json!`.
    pub fn insert_into(self, object: &mut Map<String, Value>) {
        object.insert("path".into(), self.path.into());
        if let Some(bytes) = self.path_bytes {
            object.insert("path_bytes".into(), bytes.into());
        }
    }
}

/// The path's bytes in base64 when its text form is lossy (not UTF-8).
fn lossless_bytes(path: &Path) -> Option<String> {
    use base64::Engine as _;
    let bytes = path_bytes(path);
    std::str::from_utf8(&bytes)
        .is_err()
        .then(|| base64::engine::general_purpose::STANDARD.encode(&bytes))
}

/// `value` as one line of JSON, newline included.
pub fn line(value: &impl Serialize) -> serde_json::Result<String> {
    let mut text = inert(serde_json::to_string(value)?);
    text.push('\n');
    Ok(text)
}

/// `value` as indented JSON, newline included.
pub fn pretty(value: &impl Serialize) -> serde_json::Result<String> {
    let mut text = inert(serde_json::to_string_pretty(value)?);
    text.push('\n');
    Ok(text)
}

/// serde_json's output with every unsafe character escaped. serde_json
/// escapes C0 controls itself, so a raw newline or tab here is layout; the
/// characters left to escape (DEL and above) can only stand inside a
/// string, where `\uXXXX` means the same character.
fn inert(json: String) -> String {
    if !json.chars().any(|c| c >= '\x7f' && is_unsafe(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut units = [0u16; 2];
    for c in json.chars() {
        if c >= '\x7f' && is_unsafe(c) {
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_and_parse_back_exactly() {
        let text = "a\x1b[31m\u{7f}\u{9b}6n\u{202e}é\u{200b}\n";
        let out = line(&serde_json::json!({ "cmd": [text] })).unwrap();
        assert_eq!(
            out,
            "{\"cmd\":[\"a\\u001b[31m\\u007f\\u009b6n\\u202eé\\u200b\\n\"]}\n"
        );
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["cmd"][0], text);
        let pretty = pretty(&serde_json::json!({ "k\u{85}": text })).unwrap();
        assert!(
            !pretty.contains(['\u{85}', '\u{9b}', '\u{202e}']),
            "{pretty}"
        );
        let back: Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(back["k\u{85}"], text);
    }

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_path_keeps_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let lossy = |b: &[u8]| {
            serde_json::to_value(PathFields::of(Some(Path::new(
                std::ffi::OsStr::from_bytes(b),
            ))))
            .unwrap()
        };
        let (a, b) = (lossy(b"n\xff.gvmi"), lossy(b"n\xfe.gvmi"));
        assert_eq!(a["path"], b["path"]);
        assert_eq!(a["path_bytes"], "bv8uZ3ZtaQ==");
        assert_ne!(a["path_bytes"], b["path_bytes"]);
        assert!(lossy(b"plain.gvmi").get("path_bytes").is_none());
        assert!(serde_json::to_value(PathFields::of(None)).unwrap()["path"].is_null());
    }
}
