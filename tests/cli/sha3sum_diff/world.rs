//! The files every case of the differential test runs against: odd names,
//! sizes around the SHA-3 blocks, contents for each of sha3sum's modes, and
//! their digests as Perl's Digest::SHA3 computes them (to write lists that
//! pass, as well as lists that fail).

use std::fs;
use std::path::Path;

use crate::support::*;

/// sha3sum's algorithms (`-a`) and the mode characters of its lines.
pub const ALGORITHMS: [&str; 6] = ["224", "256", "384", "512", "128000", "256000"];
pub const MODES: [u8; 4] = [b' ', b'*', b'U', b'^'];

/// Rates of the algorithms (144, 136, 104, 72, 168 bytes) and their neighbours.
const SIZES: [usize; 19] = [
    0, 1, 71, 72, 73, 103, 104, 105, 135, 136, 137, 143, 144, 145, 167, 168, 169, 288, 289,
];

pub struct World {
    /// File names (raw bytes), relative to the world's folder.
    pub names: Vec<Vec<u8>>,
    /// `digests[file][algorithm][mode]`: lowercase hex (modes ` ` and `*` agree).
    pub digests: Vec<[[String; 4]; 6]>,
}

/// A name for file `i`: plain, or with a character sha3sum treats specially.
fn name(i: usize, prng: &mut Prng) -> Vec<u8> {
    let kinds: [&[u8]; 18] = [
        b"plain",
        b"cr\rx",
        b"tail-cr\r",
        b"lf\nx",
        b"back\\slash",
        b"lit\\nx",
        b"tab\tx",
        b"-dash",
        b"*star",
        b" lead",
        b"trail ",
        b"u\xff\xfe",
        b"a) = b",
        b"SHA3-x",
        b"Ux",
        b"^x",
        b"x.gvmi",
        b"#hash",
    ];
    let base = kinds[prng.next_u64() as usize % kinds.len()];
    let mut name = base.to_vec();
    name.extend_from_slice(format!("{i}").as_bytes());
    if prng.next_u64().is_multiple_of(12) {
        name.extend(std::iter::repeat_n(b'L', 200));
    }
    name
}

/// Contents for file `i`: random bytes, CRLF text, a bit string, or UTF-8.
fn contents(prng: &mut Prng) -> Vec<u8> {
    let size = match prng.next_u64() % 4 {
        0 => prng.next_u64() as usize % 700,
        _ => SIZES[prng.next_u64() as usize % SIZES.len()],
    };
    let alphabet: &[u8] = match prng.next_u64() % 5 {
        0 => b"ab c\r\n\r",
        1 => b"0101 1\n",
        2 => "é ü\n".as_bytes(),
        _ => &[],
    };
    let mut bytes = vec![0u8; size];
    prng.fill(&mut bytes);
    if !alphabet.is_empty() {
        for b in &mut bytes {
            *b = alphabet[*b as usize % alphabet.len()];
        }
    }
    bytes
}

/// Makes the world of `seed` in `dir` (every thread makes the same one).
pub fn make(dir: &Path, seed: u64) -> World {
    let mut prng = Prng::new(seed ^ 0x005e_ed0f_3a11);
    let count = 14;
    let names: Vec<Vec<u8>> = (0..count).map(|i| name(i, &mut prng)).collect();
    for name in &names {
        fs::write(raw_path(dir, name), contents(&mut prng)).unwrap();
    }
    World {
        digests: perl_digests(dir, &names),
        names,
    }
}

/// One Perl run for every file, algorithm and mode.
fn perl_digests(dir: &Path, names: &[Vec<u8>]) -> Vec<[[String; 4]; 6]> {
    let script = r#"use Digest::SHA3;
        for my $f (@ARGV) { for my $a (224, 256, 384, 512, 128000, 256000) {
            for my $m ("", "b", "U", "0") { print Digest::SHA3->new($a)->addfile($f, $m)->hexdigest, "\n" } } }"#;
    let args = ["-e", script, "--"]
        .into_iter()
        .map(std::ffi::OsString::from)
        .chain(names.iter().map(|n| bytes_path(n).into_os_string()));
    let out = tool("perl", args).cwd(dir).run();
    out.assert_code(0);
    let hexes = out.stdout_lines();
    assert_eq!(hexes.len(), names.len() * 24, "perl said {}", out.stderr());
    hexes
        .chunks(24)
        .map(|file| std::array::from_fn(|a| std::array::from_fn(|m| file[a * 4 + m].clone())))
        .collect()
}
