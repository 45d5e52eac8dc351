//! A checksum list line read exactly as Perl's `sha3sum` 1.05 reads it
//! (`verify`), for the sha3sum form (`gvmi -a 224 -c`). Its rules, which
//! differ from GNU's (`super::parse_line`, gvmi's own manner):
//!
//! - only a `#` in the first column makes a comment; a blank or indented
//!   `# …` line is improperly formatted;
//! - `[ \t]*` `\`? `hex` `[ \t]` `[ *^U]` `name`: one space or tab, then the
//!   mode character; the name runs to the end of the line, a CR included;
//!   the hex length names the algorithm (56, 64, 96, 128, 336, 272 digits);
//! - a line starting (after blanks and `\`) with `SHA3-` or `SHAKE` is a tag
//!   line or nothing: `SHA3-N (name) = hex…`, the name up to the last `) = `
//!   before a hex digit, the hex any length, anything after it ignored;
//! - `\` at the front unescapes `\\` and `\n` only (not `\r`).

use crate::perl_digest::{Algorithm, Mode};

/// What one line is to sha3sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// `#` in the first column.
    Comment,
    Entry(Entry),
    /// Counted, warned about with `-w`, failing with `--strict`.
    Malformed,
}

/// A properly formatted line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub algorithm: Algorithm,
    pub mode: Mode,
    /// The hex digits as written (either case; any length on a tag line).
    pub hex: Vec<u8>,
    pub name: Vec<u8>,
}

/// Parses `line`, without its `\n`.
pub fn parse(line: &[u8]) -> Parsed {
    if line.first() == Some(&b'#') {
        return Parsed::Comment;
    }
    let blanks = line
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let (escaped, body) = match line[blanks..].strip_prefix(b"\\") {
        Some(body) => (true, body),
        None => (false, &line[blanks..]),
    };
    let parsed = if body.starts_with(b"SHA3-") || body.starts_with(b"SHAKE") {
        tag_line(body)
    } else {
        gnu_line(body)
    };
    match parsed {
        Some(mut entry) => {
            if escaped {
                entry.name = unescape(&entry.name);
            }
            Parsed::Entry(entry)
        }
        None => Parsed::Malformed,
    }
}

/// `(SHA3-|SHAKE)(\d+) \((.+)\) = ([\da-fA-F]+)`, unanchored at the end.
fn tag_line(body: &[u8]) -> Option<Entry> {
    let (shake, rest) = (body.starts_with(b"SHAKE"), &body[5..]);
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (number, rest) = rest.split_at(digits);
    let rest = rest.strip_prefix(b" (")?;
    if digits == 0 {
        return None;
    }
    // Greedy `(.+)`: the last `) = ` that a hex digit follows.
    let close = (1..rest.len()).rev().find(|&j| {
        rest[j..].starts_with(b") = ") && rest.get(j + 4).is_some_and(u8::is_ascii_hexdigit)
    })?;
    let hex = hex_run(&rest[close + 4..]);
    let algorithm = if shake {
        // `$alg *= 1000`: the number, read as a number.
        let value = &number[number.iter().take_while(|&&b| b == b'0').count()..];
        Algorithm::from_number(&[value, b"000"].concat())?
    } else {
        Algorithm::from_number(number)?
    };
    Some(Entry {
        algorithm,
        mode: Mode::Bytes,
        hex: hex.to_vec(),
        name: rest[..close].to_vec(),
    })
}

/// `([\da-fA-F]+)[ \t]([ *^U])(.+)`.
fn gnu_line(body: &[u8]) -> Option<Entry> {
    let hex = hex_run(body);
    let algorithm = Algorithm::from_hex_len(hex.len())?;
    let rest = &body[hex.len()..];
    let (&gap, rest) = rest.split_first()?;
    let (&marker, name) = rest.split_first()?;
    if !matches!(gap, b' ' | b'\t') || name.is_empty() {
        return None;
    }
    Some(Entry {
        algorithm,
        mode: Mode::from_marker(marker)?,
        hex: hex.to_vec(),
        name: name.to_vec(),
    })
}

fn hex_run(s: &[u8]) -> &[u8] {
    &s[..s.iter().take_while(|b| b.is_ascii_hexdigit()).count()]
}

/// sha3sum's `unescape`, step for step: `\\` to a NUL placeholder, `\n` to
/// LF, then every NUL (a placeholder or one already in the name) to `\`.
fn unescape(name: &[u8]) -> Vec<u8> {
    let pass = |input: &[u8], from: &[u8; 2], to: u8| {
        let mut out = Vec::with_capacity(input.len());
        let mut i = 0;
        while i < input.len() {
            if input[i..].starts_with(from) {
                out.push(to);
                i += 2;
            } else {
                out.push(input[i]);
                i += 1;
            }
        }
        out
    };
    let held = pass(name, b"\\\\", 0);
    let mut out = pass(&held, b"\\n", b'\n');
    for b in &mut out {
        if *b == 0 {
            *b = b'\\';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf";

    fn entry(algorithm: Algorithm, mode: Mode, hex: &str, name: &[u8]) -> Parsed {
        Parsed::Entry(Entry {
            algorithm,
            mode,
            hex: hex.as_bytes().to_vec(),
            name: name.to_vec(),
        })
    }

    fn p(line: String) -> Parsed {
        parse(line.as_bytes())
    }

    #[test]
    fn gnu_shaped_lines_as_sha3sum_reads_them() {
        let sha = |mode, name: &[u8]| entry(Algorithm::Sha3_224, mode, H, name);
        assert_eq!(p(format!("{H}  a")), sha(Mode::Bytes, b"a"));
        assert_eq!(p(format!("{H}  a\r")), sha(Mode::Bytes, b"a\r"));
        assert_eq!(p(format!("{H}\t a")), sha(Mode::Bytes, b"a"));
        assert_eq!(p(format!("{H} Ua")), sha(Mode::Universal, b"a"));
        assert_eq!(p(format!("{H} ^a")), sha(Mode::Bits, b"a"));
        assert_eq!(p(format!(" \t{H} *a ")), sha(Mode::Bytes, b"a "));
        assert_eq!(
            p(format!("\\{H}  e\\\\x\\ny\\r")),
            sha(Mode::Bytes, b"e\\x\ny\\r")
        );
        let h256 = "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";
        assert_eq!(
            p(format!("{h256}  a")),
            entry(Algorithm::Sha3_256, Mode::Bytes, h256, b"a")
        );
        for bad in [
            "".to_string(),
            "   ".into(),
            format!("  # {H}  a"),
            format!("{H}  "),
            format!("{H}000000  a"),
            format!("{H} a"),
            format!("{H}  "),
        ] {
            assert_eq!(p(bad.clone()), Parsed::Malformed, "{bad:?}");
        }
        assert_eq!(p(format!("#{H}  a")), Parsed::Comment);
    }

    #[test]
    fn tag_lines_as_sha3sum_reads_them() {
        let tag = |hex: &str, name: &[u8]| entry(Algorithm::Sha3_224, Mode::Bytes, hex, name);
        assert_eq!(p(format!("SHA3-224 (a) = {H}")), tag(H, b"a"));
        assert_eq!(p(format!("SHA3-224 (a) = {H} ")), tag(H, b"a"));
        assert_eq!(
            p(format!("SHA3-224 (a) = {}", &H[..55])),
            tag(&H[..55], b"a")
        );
        assert_eq!(p(format!("SHA3-224 (a) = b) = {H}")), tag(H, b"a) = b"));
        assert_eq!(p(format!("SHA3-224 (a) = {H}xyz")), tag(H, b"a"));
        assert_eq!(
            p(format!("SHAKE0128 (a) = {H}")),
            entry(Algorithm::Shake128, Mode::Bytes, H, b"a")
        );
        assert_eq!(
            p(format!("SHA3-128000 (a) = {H}")),
            entry(Algorithm::Shake128, Mode::Bytes, H, b"a")
        );
        for bad in [
            format!("SHA3-224(a) = {H}"),
            format!("SHA3-0224 (a) = {H}"),
            format!("SHA3-224 () = {H}"),
            "SHA3-224 (a) = ".to_string(),
            format!("SHAKE224 (a) = {H}"),
            format!("SHA3- (a) = {H}"),
        ] {
            assert_eq!(p(bad.clone()), Parsed::Malformed, "{bad:?}");
        }
    }
}
