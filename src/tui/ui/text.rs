//! The one door through which outside text reaches the screen: file names,
//! folders, URLs, image metadata, server answers and the messages that
//! quote them all pass through here, so a control, bidi or zero-width
//! character is shown as an escape (`gvmi_core::visible`), never drawn raw.
//! Widths count characters; every helper returns text already made visible.

use std::path::Path;

use gvmi_core::visible::{visible, visible_path};

/// `s` made visible.
pub fn shown(s: &str) -> String {
    visible(s).into_owned()
}

/// A path made visible (non-UTF-8 bytes as `\xNN`).
pub fn shown_path(path: &Path) -> String {
    visible_path(path).into_owned()
}

/// `s` made visible and cut to `width` cells, with `…` when something was cut.
pub fn fit(s: &str, width: usize) -> String {
    let s = visible(s);
    if s.chars().count() <= width {
        return s.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// A line of code as the pane shows it: `skip` characters scrolled off the
/// left, cut to `width` with `→` when more follows, `←` when some scrolled
/// off. Never wrapped: a wrapped line would be copied by mouse as two.
pub fn code(line: &str, skip: usize, width: usize) -> String {
    let line = visible(line);
    let total = line.chars().count();
    let mut out: String = line.chars().skip(skip).take(width).collect();
    if skip > 0 && total > 0 && width > 0 {
        out.replace_range(..out.chars().next().map_or(0, char::len_utf8), "←");
    }
    if total > skip + width && width > 0 {
        let last = out.char_indices().last().map_or(0, |(i, _)| i);
        out.replace_range(last.., "→");
    }
    out
}

pub use crate::tui::layout::wrap;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_everywhere() {
        let evil = "a\u{202e}b\u{200b}c\x1b";
        assert_eq!(shown(evil), "a\\u{202e}b\\u{200b}c\\e");
        assert_eq!(fit(evil, 40), shown(evil));
        assert_eq!(code(evil, 0, 40), shown(evil));
        assert_eq!(wrap(evil, 40), [shown(evil)]);
    }

    #[test]
    fn code_is_cut_with_markers_never_wrapped() {
        assert_eq!(code("abcdef", 0, 10), "abcdef");
        assert_eq!(code("abcdef", 0, 4), "abc→");
        assert_eq!(code("abcdefg", 2, 4), "←de→");
        assert_eq!(code("abcdef", 2, 10), "←def");
    }

    #[test]
    fn values_wrap_at_spaces_else_hard() {
        assert_eq!(wrap("one two three", 8), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("short", 10), ["short"]);
    }
}
