//! SHA3-224 lines in the GNU `*sum` formats, built from the spec rather
//! than from gvmi's code, and known contents with their hashes.

use std::path::Path;

use super::tree::put;

/// SHA3-224 of the empty input (FIPS 202).
pub const EMPTY_SHA3_224: &str = "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7";

/// Contents with their SHA3-224, computed once with python3's hashlib,
/// for tests that need exact lines without asking an oracle each time.
pub const KNOWN: [(&[u8], &str); 10] = [
    (b"", EMPTY_SHA3_224),
    (
        b"abc",
        "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf",
    ),
    (
        b"golem\n",
        "19b57675de00aa906e8091699d65c4b923839c040e46d41b468f1124",
    ),
    (
        b"image one\n",
        "e4e4ea1affefa0a3c11a48dd75d49802e6eb343cf766f0624df0c734",
    ),
    (
        b"image two\n",
        "9eac9ebdc84ee6b4cce27b258bc2ee466567589518d1023ee469c5cc",
    ),
    (
        b"image three\n",
        "f87e1d6a10fd92e914af5039a0b1da170d0100ecfcf5591e1bade158",
    ),
    (
        b"image four\n",
        "372bbf7736f0b1e9c2fac389802f51f2f74aef40216ddaf45d63e27d",
    ),
    (
        b"image five\n",
        "223823fd267842245f7c1a05155fac8ce4b22d388478e4a8ed44f200",
    ),
    (
        b"image six\n",
        "72d3a103adbe521acbb3e76ac84fcbba347f6c276704d2c87540b28b",
    ),
    (
        b"image seven\n",
        "1033f25e3b6ba82859589ea41aee2f04f24c79a350902342451183d6",
    ),
];

/// Writes `KNOWN[i]` contents under `dir/name`; returns the expected hex.
pub fn put_known(dir: &Path, name: impl AsRef<Path>, i: usize) -> &'static str {
    put(dir, name, KNOWN[i].0);
    KNOWN[i].1
}

/// Parses `gvmi hash` lines (`<hex>  <name>`, no escapes) into (name, hex).
pub fn parse_plain_lines(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .map(|line| {
            let (hex, name) = line
                .split_once("  ")
                .unwrap_or_else(|| panic!("not a `<hex>  <name>` line: {line:?}"));
            assert_eq!(hex.len(), 56, "{line:?}");
            assert!(
                hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
                "not lowercase hex: {line:?}"
            );
            (name.to_owned(), hex.to_owned())
        })
        .collect()
}

/// A GNU `*sum` line built from the spec, not from gvmi's code: a name
/// holding `\\`, LF or CR is escaped and the line gets a leading `\\`.
pub fn gnu_line(hex: &str, name: &[u8]) -> Vec<u8> {
    let (escaped, name) = gnu_escape(name);
    let mut line = Vec::new();
    if escaped {
        line.push(b'\\');
    }
    line.extend_from_slice(hex.as_bytes());
    line.extend_from_slice(b"  ");
    line.extend_from_slice(&name);
    line.push(b'\n');
    line
}

/// `SHA3-224 (<name>) = <hex>`, escaped like [`gnu_line`].
pub fn tag_line(hex: &str, name: &[u8]) -> Vec<u8> {
    let (escaped, name) = gnu_escape(name);
    let mut line = Vec::new();
    if escaped {
        line.push(b'\\');
    }
    line.extend_from_slice(b"SHA3-224 (");
    line.extend_from_slice(&name);
    line.extend_from_slice(b") = ");
    line.extend_from_slice(hex.as_bytes());
    line.push(b'\n');
    line
}

/// A `gvmi check` status line as GNU prints it: only a name holding LF
/// (or CR) is escaped, with a leading `\\`.
pub fn status_line(name: &[u8], status: &str) -> Vec<u8> {
    let mut line = Vec::new();
    if name.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        line.push(b'\\');
        line.extend_from_slice(&gnu_escape(name).1);
    } else {
        line.extend_from_slice(name);
    }
    line.extend_from_slice(b": ");
    line.extend_from_slice(status.as_bytes());
    line.push(b'\n');
    line
}

fn gnu_escape(name: &[u8]) -> (bool, Vec<u8>) {
    let mut out = Vec::new();
    let mut escaped = false;
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                out.push(b);
                continue;
            }
        }
        escaped = true;
    }
    (escaped, out)
}

/// Shows bytes readably in assertion messages.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
