//! The one sanitizer for text that reaches a terminal.
//!
//! File names, image metadata and server answers come from the internet. Any of
//! them may hold escape sequences that set the window title, write the
//! clipboard (OSC 52), or make the terminal type into the user's shell, and
//! bidi or zero-width characters that make one name look like another. Every
//! human-readable output (workbench cells and panes, stderr messages, the
//! human form of `inspect`, `verify`, `check`) passes such text through
//! [`visible`] or [`visible_path`]; machine formats (`hash`/`check` stdout when
//! piped, `--json`) keep their own contracts.
//!
//! Rendered visibly, never dropped, so the user still sees that something odd
//! is there: `\e`, `\n`, `\t`, `\x01`, `\x7f`, `\u{85}`, `\u{202e}`; bytes of a
//! path that are not UTF-8 become `\xff`.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// True for the characters that must never reach a terminal raw: C0 and C1
/// controls, DEL, and the invisible format characters (bidi overrides and
/// isolates, zero-width spaces and joiners, the BOM, soft hyphen).
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}')
}

/// `text` with every [unsafe](is_unsafe) character written as an escape.
/// Borrows when there is nothing to escape (the common case).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_visible(&mut out, text);
    Cow::Owned(out)
}

/// A path for people: [`visible`], and on Unix the bytes that are not UTF-8
/// as `\xNN` (so two different names never look the same).
pub fn visible_path(path: &Path) -> Cow<'_, str> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        visible_bytes(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match path.to_string_lossy() {
            Cow::Borrowed(text) => visible(text),
            Cow::Owned(text) => Cow::Owned(visible(&text).into_owned()),
        }
    }
}

/// Bytes for people (a file's magic, a name's raw bytes): [`visible`], and
/// the bytes that are not UTF-8 as `\xNN`.
pub(crate) fn visible_bytes(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return visible(text);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        push_visible(&mut out, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    Cow::Owned(out)
}

fn push_visible(out: &mut String, text: &str) {
    for c in text.chars() {
        if !is_unsafe(c) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\x1b' => write!(out, "\\e"),
            '\n' => write!(out, "\\n"),
            '\r' => write!(out, "\\r"),
            '\t' => write!(out, "\\t"),
            c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(visible("alpine-3.19 ü.gvmi"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_and_format_characters_are_escaped() {
        assert_eq!(visible("a\x1b]52;c;x\x07b"), "a\\e]52;c;x\\x07b");
        assert_eq!(visible("\n\t\r\x7f"), "\\n\\t\\r\\x7f");
        assert_eq!(visible("\u{9b}6n"), "\\u{9b}6n");
        assert_eq!(visible("evil\u{202e}fig.gvmi"), "evil\\u{202e}fig.gvmi");
        assert_eq!(visible("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
    }

    #[test]
    fn nothing_unsafe_survives() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert!(!visible(&all).chars().any(is_unsafe));
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_path_bytes_are_shown_as_hex() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(OsStr::from_bytes(b"x\xff\x1b.gvmi"));
        let b = Path::new(OsStr::from_bytes(b"x\xfe\x1b.gvmi"));
        assert_eq!(visible_path(a), "x\\xff\\e.gvmi");
        assert_ne!(visible_path(a), visible_path(b));
    }
}
