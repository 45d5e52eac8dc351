//! A one-line text editor for the URL prompt: a cursor, readline's
//! movement and kill keys, and a length bound (a URL is short; a 200 KB
//! paste must not turn each key into a 200 KB copy).

use super::keymap::Edit;

/// Longest text the editor holds, in characters: far above any real URL.
pub const MAX_CHARS: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineEdit {
    text: String,
    /// Byte offset of the cursor, always on a character boundary.
    cursor: usize,
}

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    Changed,
    /// Typing or pasting would pass [`MAX_CHARS`]: nothing was inserted.
    TooLong,
}

impl LineEdit {
    /// `text` with the cursor at its end.
    pub fn new(text: String) -> Self {
        let cursor = text.len();
        LineEdit { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor as a character position (where the caret is drawn).
    pub fn cursor_chars(&self) -> usize {
        self.text[..self.cursor].chars().count()
    }

    /// Inserts `s` at the cursor, line breaks and controls dropped (a URL
    /// has none); refused whole if the line would grow past [`MAX_CHARS`].
    pub fn insert(&mut self, s: &str) -> Edited {
        let clean: String = s.chars().filter(|c| !c.is_control()).collect();
        if self.text.chars().count() + clean.chars().count() > MAX_CHARS {
            return Edited::TooLong;
        }
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
        Edited::Changed
    }

    /// A key of the editor's (`keymap::Context::Editor`): ←/→, Home/End
    /// (and Ctrl-A/E), Backspace/Delete, Ctrl-U (delete to the start),
    /// Ctrl-K (to the end), Ctrl-W (the word before the cursor).
    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Left => self.cursor = self.prev(self.cursor),
            Edit::Right => self.cursor = self.next(self.cursor),
            Edit::Start => self.cursor = 0,
            Edit::End => self.cursor = self.text.len(),
            Edit::KillToStart => self.remove(0, self.cursor),
            Edit::KillToEnd => self.remove(self.cursor, self.text.len()),
            Edit::KillWord => self.remove(self.word_start(), self.cursor),
            Edit::Backspace => self.remove(self.prev(self.cursor), self.cursor),
            Edit::Delete => self.remove(self.cursor, self.next(self.cursor)),
        }
    }

    fn remove(&mut self, from: usize, to: usize) {
        self.text.replace_range(from..to, "");
        self.cursor = from;
    }

    fn prev(&self, at: usize) -> usize {
        self.text[..at].char_indices().last().map_or(0, |(i, _)| i)
    }

    fn next(&self, at: usize) -> usize {
        self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8())
    }

    /// Where Ctrl-W stops: back over spaces, then over a word. In a URL,
    /// `/` also ends a word, so it takes one path segment at a time.
    fn word_start(&self) -> usize {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end_matches([' ', '/']);
        trimmed.rfind([' ', '/']).map_or(0, |i| i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_moves_and_edits_in_the_middle() {
        let mut e = LineEdit::new("https://cdn/x.gvmi".into());
        for _ in 0..6 {
            e.apply(Edit::Left);
        }
        e.insert("y");
        assert_eq!(e.text(), "https://cdn/yx.gvmi");
        e.apply(Edit::Backspace);
        e.apply(Edit::Delete);
        assert_eq!(e.text(), "https://cdn/.gvmi");
        e.apply(Edit::Start);
        assert_eq!(e.cursor_chars(), 0);
        e.apply(Edit::End);
        assert_eq!(e.cursor_chars(), e.text().chars().count());
    }

    #[test]
    fn readline_kills() {
        let mut e = LineEdit::new("https://cdn.example.com/img/a.gvmi".into());
        e.apply(Edit::KillWord);
        assert_eq!(e.text(), "https://cdn.example.com/img/");
        e.apply(Edit::KillWord);
        assert_eq!(e.text(), "https://cdn.example.com/");
        e.apply(Edit::Left);
        e.apply(Edit::KillToStart);
        assert_eq!(e.text(), "/");
        assert_eq!(e.cursor_chars(), 0);
        e.apply(Edit::KillToEnd);
        assert_eq!(e.text(), "");
    }

    #[test]
    fn multibyte_characters_are_whole_steps() {
        let mut e = LineEdit::new("aé€".into());
        e.apply(Edit::Left);
        e.apply(Edit::Backspace);
        assert_eq!(e.text(), "a€");
        assert_eq!(e.cursor_chars(), 1);
    }

    #[test]
    fn a_huge_paste_is_refused_whole() {
        let mut e = LineEdit::new("x".into());
        assert_eq!(e.insert(&"a".repeat(200_000)), Edited::TooLong);
        assert_eq!(e.text(), "x");
        assert_eq!(e.insert("https://a/\n"), Edited::Changed);
        assert_eq!(e.text(), "xhttps://a/");
    }
}
