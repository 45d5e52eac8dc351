//! An inspection as labelled fields, shared by `gvmi inspect` and the
//! workbench's details pane so both say the same thing the same way.

use super::Inspection;
use crate::units::human_bytes;

/// `(label, value)` pairs in display order; defects are not included.
/// Every value is [visible](crate::visible::visible): the image is from the
/// internet, and its Cmd, Env, labels... may hold escape sequences.
pub fn fields(i: &Inspection) -> Vec<(&'static str, String)> {
    raw_fields(i)
        .into_iter()
        .map(|(label, value)| match crate::visible::visible(&value) {
            std::borrow::Cow::Borrowed(_) => (label, value),
            std::borrow::Cow::Owned(shown) => (label, shown),
        })
        .collect()
}

fn raw_fields(i: &Inspection) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    out.push((
        "size",
        format!("{} ({} bytes)", human_bytes(i.size), i.size),
    ));
    if let Some(sb) = &i.squashfs {
        out.push((
            "squashfs",
            format!(
                "{}, {} compression, {} blocks, {} inodes, {} bytes used",
                sb.version,
                sb.compressor,
                human_bytes(u64::from(sb.block_size)),
                sb.inode_count,
                sb.bytes_used
            ),
        ));
    }
    if let (Some(len), Some(offset)) = (i.metadata_length, i.metadata_offset) {
        let crc = i
            .crc32
            .map(|c| format!(", CRC32 {c:08x}"))
            .unwrap_or_default();
        out.push((
            "metadata",
            format!("{len} bytes of JSON at byte {offset}{crc}"),
        ));
    }
    let Some(c) = &i.config else { return out };
    let none = || "(none)".to_string();
    let list = |v: &Option<Vec<String>>| v.as_ref().map_or_else(none, |v| quote_words(v));
    out.push(("entrypoint", list(&c.entrypoint)));
    out.push(("cmd", list(&c.cmd)));
    if c.env.is_empty() {
        out.push(("env", none()));
    }
    for var in &c.env {
        out.push(("env", var.clone()));
    }
    out.push(("workdir", non_empty(&c.working_dir).unwrap_or_else(none)));
    out.push((
        "volumes",
        if c.volumes.is_empty() {
            none()
        } else {
            c.volumes.join(", ")
        },
    ));
    out.push((
        "user",
        non_empty(&c.user).unwrap_or_else(|| "(default: root)".into()),
    ));
    for (k, v) in &c.labels {
        out.push(("label", format!("{k}={v}")));
    }
    if let Some(image) = non_empty(&c.image) {
        out.push(("image", image));
    }
    if let Some(g) = &c.gvmkit {
        let text: Vec<String> = g
            .iter()
            .map(|(k, v)| match v.as_str() {
                Some(s) => format!("{k}={}", s.replace('\n', " ")),
                None => format!("{k}={v}"),
            })
            .collect();
        out.push(("gvmkit", text.join(", ")));
    }
    out
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().filter(|s| !s.is_empty()).cloned()
}

/// Words joined by spaces, quoted where a word has a space or is empty,
/// so `["sh", "-c", "a b"]` reads unambiguously.
fn quote_words(words: &[String]) -> String {
    if words.is_empty() {
        return "[]".into();
    }
    let quoted: Vec<String> = words
        .iter()
        .map(|w| {
            if w.is_empty() || w.chars().any(|c| c.is_whitespace() || c == '"') {
                format!("{w:?}")
            } else {
                w.clone()
            }
        })
        .collect();
    quoted.join(" ")
}
