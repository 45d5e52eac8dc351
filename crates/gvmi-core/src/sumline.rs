//! The checksum line formats of `sha3sum -a 224` and GNU `*sum`: writing and reading.
//!
//! GNU style: `<hex>  <name>` (text) or `<hex> *<name>` (binary).
//! BSD style (`--tag`): `SHA3-224 (<name>) = <hex>`.
//! A name holding `\`, LF or CR is escaped (`\\`, `\n`, `\r`) and the whole
//! line is prefixed with `\`, so every line stays one line. Perl's `sha3sum`
//! escapes only `\` and LF, and prints CR raw (the sha3sum form, [`perl`]).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::digest::{Sha3Digest, HEX_LEN};

pub mod perl;

/// The algorithm tag in BSD-style lines.
pub(crate) const TAG: &str = "SHA3-224";

/// A path's bytes as written to a checksum file (raw on Unix, so
/// non-UTF-8 names round-trip; UTF-8 elsewhere).
pub fn path_bytes(path: &Path) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match path.to_string_lossy() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

/// The inverse of [`path_bytes`].
pub fn bytes_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// Escapes a name GNU's way; returns whether the line needs the `\` prefix.
pub(crate) fn escape_name(name: &[u8]) -> (bool, Cow<'_, [u8]>) {
    escape_as(name, false)
}

/// [`escape_name`], or with `perl` as Perl's `sha3sum` does: a CR stays raw.
fn escape_as(name: &[u8], perl: bool) -> (bool, Cow<'_, [u8]>) {
    let special = |b: &u8| matches!(b, b'\\' | b'\n') || (*b == b'\r' && !perl);
    if !name.iter().any(special) {
        return (false, Cow::Borrowed(name));
    }
    let mut out = Vec::with_capacity(name.len() + 4);
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' if !perl => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
    (true, Cow::Owned(out))
}

/// `<hex>  <name>\n`, escaped as needed.
pub fn gnu_line(digest: &Sha3Digest, name: &[u8]) -> Vec<u8> {
    styled_line(digest, name, LineStyle::default())
}

/// `SHA3-224 (<name>) = <hex>\n`, escaped as needed.
#[cfg(test)]
fn tag_line(digest: &Sha3Digest, name: &[u8]) -> Vec<u8> {
    styled_line(
        digest,
        name,
        LineStyle {
            tag: true,
            ..LineStyle::default()
        },
    )
}

/// Which of the `sha3sum` / GNU line shapes to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineStyle {
    /// BSD style (`--tag`).
    pub tag: bool,
    /// `<hex> *<name>` (`-b`); the default is text mode, `<hex>  <name>`.
    pub binary: bool,
    /// End with NUL and never escape (GNU `-z`): a name cannot hold a NUL,
    /// so the line cannot break.
    pub zero: bool,
    /// Escape as Perl's `sha3sum` does (`\` and LF only; CR raw).
    pub perl: bool,
}

/// One checksum line in `style`.
pub(crate) fn styled_line(digest: &Sha3Digest, name: &[u8], style: LineStyle) -> Vec<u8> {
    let (escaped, name) = match style.zero {
        true => (false, Cow::Borrowed(name)),
        false => escape_as(name, style.perl),
    };
    let mut line = Vec::with_capacity(HEX_LEN + name.len() + 16);
    if escaped {
        line.push(b'\\');
    }
    if style.tag {
        line.extend_from_slice(TAG.as_bytes());
        line.extend_from_slice(b" (");
        line.extend_from_slice(&name);
        line.extend_from_slice(b") = ");
        line.extend_from_slice(digest.to_hex().as_bytes());
    } else {
        line.extend_from_slice(digest.to_hex().as_bytes());
        line.extend_from_slice(if style.binary { b" *" } else { b"  " });
        line.extend_from_slice(&name);
    }
    line.push(if style.zero { b'\0' } else { b'\n' });
    line
}

/// A name for a status line (`<name>: OK`), escaped as GNU `sha*sum -c`
/// does: only a name that would break the line (LF, and here CR too) is
/// escaped, and then the returned prefix is `\`. A name holding just a
/// backslash is printed as is, like GNU and Perl `sha3sum` print it.
pub(crate) fn display_name(name: &[u8]) -> (&'static str, Cow<'_, [u8]>) {
    if !name.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        return ("", Cow::Borrowed(name));
    }
    let (_, name) = escape_name(name);
    ("\\", name)
}

/// How a name looks on a terminal: `None` when it is shown as is (the
/// `sha3sum` bytes); otherwise its control, format and non-UTF-8 bytes
/// escaped (`\e`, `\n`, `\u{202e}`, `\xff`), as `ls` escapes names on a
/// terminal, so no file name can type into the user's terminal.
pub(crate) fn terminal_name(name: &[u8]) -> Option<String> {
    match std::str::from_utf8(name) {
        Ok(text) if !text.chars().any(crate::visible::is_unsafe) => None,
        _ => Some(crate::visible::visible_path(&bytes_path(name)).into_owned()),
    }
}

/// [`styled_line`], or, when `on_terminal` and the name needs it, the same
/// line with the name escaped as the piped line escapes it (`\\`, `\n`),
/// then shown as [`terminal_name`] shows a name (`\e`, `\xff`): the leading
/// `\` that says the name is escaped is kept, so a line copied off the
/// screen never names another file.
pub fn shown_line(
    digest: &Sha3Digest,
    name: &[u8],
    style: LineStyle,
    on_terminal: bool,
) -> Vec<u8> {
    if !on_terminal || terminal_name(name).is_none() {
        return styled_line(digest, name, style);
    }
    let (escaped, name) = match style.zero {
        true => (false, Cow::Borrowed(name)),
        false => escape_as(name, style.perl),
    };
    let shown = crate::visible::visible_path(&bytes_path(&name)).into_owned();
    let raw = LineStyle {
        zero: true,
        ..style
    };
    let mut line = styled_line(digest, shown.as_bytes(), raw);
    if escaped {
        line.insert(0, b'\\');
    }
    if !style.zero {
        line.pop();
        line.push(b'\n');
    }
    line
}

/// [`display_name`] (with `perl`, the name raw, as Perl's `sha3sum -c`
/// prints it, a newline included), or on a terminal, when the name needs
/// it, that name shown as [`terminal_name`] shows one, the `\` prefix kept.
pub fn shown_status_name(
    name: &[u8],
    on_terminal: bool,
    perl: bool,
) -> (&'static str, Cow<'_, [u8]>) {
    match terminal_name(name).filter(|_| on_terminal) {
        Some(shown) if perl => ("", Cow::Owned(shown.into_bytes())),
        Some(_) => {
            let (prefix, escaped) = display_name(name);
            let shown = crate::visible::visible_path(&bytes_path(&escaped)).into_owned();
            (prefix, Cow::Owned(shown.into_bytes()))
        }
        None if perl => ("", Cow::Borrowed(name)),
        None => display_name(name),
    }
}

/// What one line of a checksum file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Blank or `#` comment: ignored, as GNU does.
    Skip,
    Entry {
        digest: Sha3Digest,
        name: Vec<u8>,
    },
    /// Not a SHA3-224 checksum line (wrong hash length, bad escape, no name...).
    Malformed,
}

/// Parses one line (without its `\n`; a trailing `\r` is dropped).
pub fn parse_line(raw: &[u8]) -> Line {
    let line = raw.strip_suffix(b"\r").unwrap_or(raw);
    let line = trim_start(line);
    if line.is_empty() || line[0] == b'#' {
        return Line::Skip;
    }
    let (escaped, body) = match line.strip_prefix(b"\\") {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let parsed = parse_tag(body).or_else(|| parse_gnu(body));
    let Some((hex, name)) = parsed else {
        return Line::Malformed;
    };
    let name = if escaped {
        match unescape(name) {
            Some(n) => n,
            None => return Line::Malformed,
        }
    } else {
        name.to_vec()
    };
    match std::str::from_utf8(hex).ok().and_then(|h| h.parse().ok()) {
        Some(digest) if !name.is_empty() => Line::Entry { digest, name },
        _ => Line::Malformed,
    }
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    &s[n..]
}

/// `SHA3-224 (name) = hex`; the name may itself contain `) = `.
fn parse_tag(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = line.strip_prefix(TAG.as_bytes())?;
    let rest = trim_start(rest);
    let rest = rest.strip_prefix(b"(")?;
    let sep = rest.windows(4).rposition(|w| w == b") = ")?;
    Some((&rest[sep + 4..], &rest[..sep]))
}

/// `hex  name` or `hex *name`.
fn parse_gnu(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let hex_end = line.iter().position(|&b| b == b' ')?;
    let (hex, rest) = line.split_at(hex_end);
    let name = match rest {
        [b' ', b' ' | b'*', name @ ..] => name,
        _ => return None,
    };
    Some((hex, name))
}

fn unescape(name: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len());
    let mut bytes = name.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next()? {
            b'\\' => out.push(b'\\'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
