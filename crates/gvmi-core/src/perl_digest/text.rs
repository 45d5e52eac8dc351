//! Perl's `-T` on an open file (5.36, `pp_fttext`), which decides whether a
//! `U` line is read with universal newlines: the first buffer's bytes, at
//! most [`BLOCK`], are text when they are UTF-8 (as Perl reads it) with
//! something beyond ASCII, or hold no NUL and at most a third "odd" bytes.

/// Bytes of the first read Perl looks at.
pub const BLOCK: usize = 512;

/// `-T` of a file whose first read gave `head` (cut to [`BLOCK`] by the caller).
pub fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return true; // an empty file is anything
    }
    if !head.is_ascii() && is_perl_utf8(head) {
        return true;
    }
    let mut odd = 0;
    for &c in head {
        if c == 0 {
            odd += head.len();
            break;
        }
        // Printable ASCII, white space but VT, backspace and ESC are fine.
        let fine =
            (0x20..=0x7e).contains(&c) || matches!(c, b'\t' | b'\n' | 0x0c | b'\r' | 0x08 | 0x1b);
        odd += usize::from(!fine);
    }
    odd * 3 <= head.len()
}

/// Perl's `is_utf8_fixed_width_buf_flags(s, len, 0)`: well-formed Perl
/// extended UTF-8 (surrogates and code points above Unicode allowed, overlong
/// forms and values above `IV_MAX` not), the last character possibly cut.
fn is_perl_utf8(buf: &[u8]) -> bool {
    let mut i = 0;
    while i < buf.len() {
        if buf[i] < 0x80 {
            i += 1;
            continue;
        }
        let Some(extra) = continuation_bytes(buf[i]) else {
            return false;
        };
        let end = (i + 1 + extra).min(buf.len());
        let seq = &buf[i..end];
        if !seq[1..].iter().all(|&b| b & 0xc0 == 0x80) || !in_range(seq) {
            return false;
        }
        i = end;
    }
    true
}

fn continuation_bytes(lead: u8) -> Option<usize> {
    Some(match lead {
        0xc2..=0xdf => 1,
        0xe0..=0xef => 2,
        0xf0..=0xf7 => 3,
        0xf8..=0xfb => 4,
        0xfc..=0xfd => 5,
        0xfe => 6,
        0xff => 12,
        _ => return None, // a continuation byte, or C0/C1 (always overlong)
    })
}

/// Not overlong and not above `IV_MAX`, as far as the bytes present tell
/// (a cut sequence passes while it could still be completed validly).
fn in_range(seq: &[u8]) -> bool {
    let Some(&second) = seq.get(1) else {
        return true;
    };
    match seq[0] {
        0xe0 => second >= 0xa0,
        0xf0 => second >= 0x90,
        0xf8 => second >= 0x88,
        0xfc => second >= 0x84,
        0xfe => second >= 0x82,
        // 13 bytes, 72 bits: the top 9 must be 0 (IV_MAX), and some bit
        // from 36 up set (else a shorter form would do).
        0xff => {
            if second != 0x80 || seq.get(2).is_some_and(|&b| b > 0x87) {
                return false;
            }
            match seq.get(6) {
                Some(_) => (seq[2] & 0x07) != 0 || seq[3..=6].iter().any(|&b| b & 0x3f != 0),
                None => true,
            }
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_binary_and_utf8() {
        assert!(looks_like_text(b""));
        assert!(looks_like_text(b"plain text\r\n\tand\x1b[0m colour\n"));
        assert!(!looks_like_text(b"a\0b"));
        assert!(!looks_like_text(b"\x01\x02a"));
        assert!(looks_like_text(b"\x01ab"));
        assert!(looks_like_text("ünïcødé\0".as_bytes()));
        assert!(looks_like_text(b"ab\xe2\x82")); // cut inside a character
        assert!(!looks_like_text(b"a\xe0\x80\x80")); // overlong
        assert!(looks_like_text(b"\xed\xa0\x80xx")); // a surrogate is fine to Perl
        assert!(!looks_like_text(b"\xff\xfe\xfd"));
    }
}
