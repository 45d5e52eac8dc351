//! OSC 52, the escape sequence that asks the terminal to set its clipboard,
//! and the two wrappers that carry it through a terminal multiplexer to the
//! terminal outside: tmux's passthrough and GNU screen's.
//!
//! The terminal never answers, so a copy this way cannot be confirmed.

use base64::Engine as _;

/// The most a piece of GNU screen's passthrough may carry: screen keeps a
/// string sequence in a fixed buffer (768 bytes since 4.2.1, 512 and 256
/// before) and drops what overflows it, so the sequence is cut into pieces
/// that fit the smallest, each its own `ESC P … ESC \`.
pub const SCREEN_PIECE: usize = 252;

/// The terminal the sequence goes to, as far as gvmi can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// Written as is.
    Plain,
    /// Inside GNU screen (`$STY` set): screen drops OSC 52 but passes a
    /// device control string through to its own terminal.
    Screen,
}

/// The OSC 52 "set clipboard" sequence for `text`.
pub fn sequence(text: &str) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{payload}\x07")
}

/// [`sequence`] for the terminal `wrap` names.
pub fn wrapped(text: &str, wrap: Wrap) -> String {
    match wrap {
        Wrap::Plain => sequence(text),
        Wrap::Screen => screen_passthrough(&sequence(text)),
    }
}

/// `seq` in tmux's passthrough (`ESC P tmux; … ESC \`, inner ESCs doubled),
/// which tmux forwards only with `allow-passthrough on`.
pub fn tmux_passthrough(seq: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

/// `seq` in GNU screen's passthrough: pieces of at most [`SCREEN_PIECE`]
/// bytes, each wrapped in `ESC P … ESC \`; screen writes each piece's
/// content to its terminal, which reads them as the one sequence.
pub fn screen_passthrough(seq: &str) -> String {
    // An OSC 52 sequence is ASCII (base64 between ASCII framing), so any
    // byte offset is a character boundary.
    debug_assert!(seq.is_ascii());
    let bytes = seq.as_bytes();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / SCREEN_PIECE * 4 + 4);
    for piece in bytes.chunks(SCREEN_PIECE) {
        out.push_str("\x1bP");
        out.push_str(std::str::from_utf8(piece).expect("ASCII"));
        out.push_str("\x1b\\");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(seq: &str) -> String {
        let body = seq
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("OSC 52 framing");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn osc52_decodes_back_to_the_text() {
        let text = "package = await vm.repo(\n  image_hash=\"ä\")\n";
        assert_eq!(decode(&sequence(text)), text);
        assert_eq!(wrapped(text, Wrap::Plain), sequence(text));
    }

    #[test]
    fn tmux_passthrough_doubles_escapes() {
        let seq = tmux_passthrough(&sequence("hi"));
        let inner = seq
            .strip_prefix("\x1bPtmux;")
            .and_then(|s| s.strip_suffix("\x1b\\"))
            .expect("tmux framing");
        assert_eq!(decode(&inner.replace("\x1b\x1b", "\x1b")), "hi");
        assert!(!inner.replace("\x1b\x1b", "").contains('\x1b'));
    }

    /// Every piece fits screen's smallest buffer, and the pieces' contents
    /// in order are the sequence, byte for byte, for lengths around a piece.
    #[test]
    fn screen_pieces_fit_and_join_back() {
        for len in [0, 1, 170, 180, 181, 182, 500, 10_000] {
            let text = "x".repeat(len);
            let seq = sequence(&text);
            let wrapped = wrapped(&text, Wrap::Screen);
            let pieces: Vec<&str> = wrapped
                .strip_prefix("\x1bP")
                .and_then(|s| s.strip_suffix("\x1b\\"))
                .expect("screen framing")
                .split("\x1b\\\x1bP")
                .collect();
            assert_eq!(pieces.len(), seq.len().div_ceil(SCREEN_PIECE), "{len}");
            assert!(pieces.iter().all(|p| p.len() <= SCREEN_PIECE));
            assert!(pieces[..pieces.len() - 1]
                .iter()
                .all(|p| p.len() == SCREEN_PIECE));
            assert_eq!(pieces.concat(), seq, "{len}");
            assert_eq!(decode(&pieces.concat()), text);
        }
    }
}
