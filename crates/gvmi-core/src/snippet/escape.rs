//! String literals for the snippet languages. Every value that reaches a
//! snippet (hash, URL, file name) passes through here, so a hostile name
//! cannot end the literal or change the code around it.
//!
//! All three literal escapers emit pure ASCII: non-ASCII becomes `\u`
//! escapes, which also neutralises look-alike and bidi-control characters
//! (Trojan Source). Comment text goes through the one sanitizer instead.

use std::fmt::Write;

use crate::visible::visible;

/// A double-quoted Python `str` literal (not an f-string, so `{` is inert).
pub(crate) fn python_str(s: &str) -> String {
    quoted(s, |c, out| match c {
        '\u{80}'..='\u{ffff}' => write!(out, "\\u{:04x}", c as u32),
        _ => write!(out, "\\U{:08x}", c as u32),
    })
}

/// A double-quoted JavaScript string literal. `$` is escaped too, so the
/// text stays inert even if a template wraps it in a template literal.
pub(crate) fn js_str(s: &str) -> String {
    quoted(s, |c, out| match c {
        '\u{80}'..='\u{ffff}' => write!(out, "\\u{:04x}", c as u32),
        _ => write!(out, "\\u{{{:x}}}", c as u32),
    })
}

/// A double-quoted YAML scalar (YAML 1.1 and 1.2 agree on these escapes).
pub(crate) fn yaml_str(s: &str) -> String {
    python_str(s)
}

/// Text for a one-line comment (`#` in Python and YAML, `//` in
/// JavaScript): the one sanitizer, [`visible`]. It escapes every character
/// that ends a line in these languages (LF, CR, and NEL, U+2028, U+2029)
/// with the other controls and the bidi and zero-width characters, so a
/// name can neither leave the comment nor hide code; letters beyond ASCII
/// (`é`) stay as they are.
pub(crate) fn comment_text(s: &str) -> String {
    visible(s).into_owned()
}

/// Shared by all three: `"`, `\`, `$` and ASCII controls get the escapes the
/// languages agree on; `wide` spells characters beyond ASCII.
fn quoted(s: &str, wide: impl Fn(char, &mut String) -> std::fmt::Result) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        let _ = match c {
            '"' => write!(out, "\\\""),
            '\\' => write!(out, "\\\\"),
            '\n' => write!(out, "\\n"),
            '\r' => write!(out, "\\r"),
            '\t' => write!(out, "\\t"),
            '$' => write!(out, "\\x24"),
            c if c.is_ascii_control() => write!(out, "\\x{:02x}", c as u32),
            c if c.is_ascii() => write!(out, "{c}"),
            c => wide(c, &mut out),
        };
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_escapes_quotes_backslashes_and_breaks() {
        assert_eq!(python_str(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(python_str("l1\nl2\r\t"), r#""l1\nl2\r\t""#);
        assert_eq!(python_str("\0\x1b\x7f"), r#""\x00\x1b\x7f""#);
    }

    #[test]
    fn non_ascii_becomes_escapes_per_language() {
        assert_eq!(python_str("é😀"), r#""\u00e9\U0001f600""#);
        assert_eq!(js_str("é😀"), r#""\u00e9\u{1f600}""#);
        assert_eq!(yaml_str("\u{2028}"), r#""\u2028""#);
    }

    #[test]
    fn dollar_brace_cannot_interpolate() {
        assert_eq!(js_str("${x}"), r#""\x24{x}""#);
        assert_eq!(python_str("{x}"), r#""{x}""#);
    }

    #[test]
    fn comment_text_keeps_one_line() {
        assert_eq!(comment_text("a b\nc\u{202e}é"), r"a b\nc\u{202e}é");
        assert_eq!(comment_text("plain-name_1.gvmi"), "plain-name_1.gvmi");
        // Every line terminator of Python, JavaScript and YAML is escaped.
        for end in ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\x0b", "\x0c"] {
            let text = comment_text(&format!("a{end}b"));
            assert!(
                text.chars().all(|c| c == '\\' || c.is_ascii_graphic()),
                "{text}"
            );
        }
    }
}
