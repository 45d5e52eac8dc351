//! The image hash: a SHA3-224 digest and its 56-digit hex form.

use std::fmt;
use std::str::FromStr;

/// Bytes in a SHA3-224 digest.
pub const DIGEST_LEN: usize = 28;
/// Hex digits in a SHA3-224 digest.
pub const HEX_LEN: usize = DIGEST_LEN * 2;

/// A SHA3-224 digest (FIPS 202, not legacy Keccak).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha3Digest(pub [u8; DIGEST_LEN]);

impl Sha3Digest {
    /// Always lowercase: providers accept either case, but users compare by eye.
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(HEX_LEN);
        for b in self.0 {
            s.push(DIGITS[(b >> 4) as usize] as char);
            s.push(DIGITS[(b & 0xf) as usize] as char);
        }
        s
    }
}

impl fmt::Display for Sha3Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha3Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha3Digest({})", self.to_hex())
    }
}

/// Why a string is not a SHA3-224 hex digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseDigestError {
    Length(usize),
    NotHex,
}

impl fmt::Display for ParseDigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length(n) => write!(f, "expected {HEX_LEN} hex digits, found {n} characters"),
            Self::NotHex => f.write_str("not a hexadecimal string"),
        }
    }
}

impl std::error::Error for ParseDigestError {}

impl FromStr for Sha3Digest {
    type Err = ParseDigestError;

    /// Accepts either letter case, as yagna's `(?i)` parser does.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        if bytes.len() != HEX_LEN {
            return Err(ParseDigestError::Length(s.chars().count()));
        }
        let mut out = [0u8; DIGEST_LEN];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let hi = hex_value(pair[0]).ok_or(ParseDigestError::NotHex)?;
            let lo = hex_value(pair[1]).ok_or(ParseDigestError::NotHex)?;
            out[i] = (hi << 4) | lo;
        }
        Ok(Sha3Digest(out))
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7";

    #[test]
    fn hex_round_trips_and_accepts_uppercase() {
        let d: Sha3Digest = EMPTY.parse().unwrap();
        assert_eq!(d.to_hex(), EMPTY);
        let upper: Sha3Digest = EMPTY.to_uppercase().parse().unwrap();
        assert_eq!(upper, d);
    }

    #[test]
    fn rejects_wrong_length_and_non_hex() {
        assert_eq!(
            "abc".parse::<Sha3Digest>(),
            Err(ParseDigestError::Length(3))
        );
        let bad = format!("{}g", &EMPTY[..55]);
        assert_eq!(bad.parse::<Sha3Digest>(), Err(ParseDigestError::NotHex));
    }
}
