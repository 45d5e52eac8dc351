//! A one-line text editor for the URL prompt: a cursor, readline's
//! movement and kill keys, and a length bound (a URL is short; a 200 KB
//! paste must not turn each key into a 200 KB copy).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    /// Not an editing key: the caller decides (Enter, Esc…).
    Ignored,
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

    /// ←/→, Home/End (and Ctrl-A/E), Backspace/Delete, Ctrl-U (delete to
    /// the start), Ctrl-K (to the end), Ctrl-W (the word before the cursor).
    pub fn on_key(&mut self, key: KeyEvent) -> Edited {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Left => self.cursor = self.prev(self.cursor),
            KeyCode::Right => self.cursor = self.next(self.cursor),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.text.len(),
            KeyCode::Char('u') if ctrl => self.remove(0, self.cursor),
            KeyCode::Char('k') if ctrl => self.remove(self.cursor, self.text.len()),
            KeyCode::Char('w') if ctrl => self.remove(self.word_start(), self.cursor),
            KeyCode::Backspace => self.remove(self.prev(self.cursor), self.cursor),
            KeyCode::Delete => self.remove(self.cursor, self.next(self.cursor)),
            KeyCode::Char(c) if !ctrl => return self.insert(c.encode_utf8(&mut [0; 4])),
            _ => return Edited::Ignored,
        }
        Edited::Changed
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

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn cursor_moves_and_edits_in_the_middle() {
        let mut e = LineEdit::new("https://cdn/x.gvmi".into());
        for _ in 0..6 {
            e.on_key(key(KeyCode::Left));
        }
        e.on_key(key(KeyCode::Char('y')));
        assert_eq!(e.text(), "https://cdn/yx.gvmi");
        e.on_key(key(KeyCode::Backspace));
        e.on_key(key(KeyCode::Delete));
        assert_eq!(e.text(), "https://cdn/.gvmi");
        e.on_key(key(KeyCode::Home));
        assert_eq!(e.cursor_chars(), 0);
        e.on_key(key(KeyCode::End));
        assert_eq!(e.cursor_chars(), e.text().chars().count());
    }

    #[test]
    fn readline_kills() {
        let mut e = LineEdit::new("https://cdn.example.com/img/a.gvmi".into());
        e.on_key(ctrl('w'));
        assert_eq!(e.text(), "https://cdn.example.com/img/");
        e.on_key(ctrl('w'));
        assert_eq!(e.text(), "https://cdn.example.com/");
        e.on_key(key(KeyCode::Left));
        e.on_key(ctrl('u'));
        assert_eq!(e.text(), "/");
        assert_eq!(e.cursor_chars(), 0);
        e.on_key(ctrl('k'));
        assert_eq!(e.text(), "");
    }

    #[test]
    fn multibyte_characters_are_whole_steps() {
        let mut e = LineEdit::new("aé€".into());
        e.on_key(key(KeyCode::Left));
        e.on_key(key(KeyCode::Backspace));
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
