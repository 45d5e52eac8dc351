//! `perl_digest::text::looks_like_text` against Perl's own `-T` on a file
//! handle (what Digest::SHA3 asks before reading a `U` line's file with
//! universal newlines): seeded buffers of every shape the rule cares about.

use std::fs;

use crate::support::*;
use gvmi_core::perl_digest::text::{looks_like_text, BLOCK};

/// A buffer mixing ASCII text, controls, NUL, UTF-8 (whole, cut, overlong,
/// surrogates, beyond Unicode) and stray high bytes, in proportions that
/// land near the one-third rule.
fn buffer(prng: &mut Prng) -> Vec<u8> {
    let pieces: [&[u8]; 14] = [
        b"plain words ",
        b"\r\n",
        b"\t",
        b"\x0b",
        b"\x01",
        b"\x08\x1b",
        b"\0",
        "é".as_bytes(),
        "日本".as_bytes(),
        b"\xed\xa0\x80",
        b"\xf5\x80\x80\x80",
        b"\xe0\x80\x80",
        b"\xff",
        b"\xc3",
    ];
    let mut out = Vec::new();
    let (len, mix) = (prng.next_u64() as usize % 700, prng.next_u64() % 4);
    while out.len() < len {
        let roll = prng.next_u64() as usize;
        let piece = match mix {
            0 => pieces[roll % 3],
            1 => pieces[roll % 8],
            2 => pieces[[0, 7, 8, 9, 10, 1][roll % 6]],
            _ => pieces[roll % pieces.len()],
        };
        out.extend_from_slice(piece);
    }
    if prng.next_u64().is_multiple_of(3) {
        out.extend_from_slice(&"日".as_bytes()[..1 + prng.next_u64() as usize % 2]);
    }
    out
}

#[cfg(unix)]
#[test]
fn text_rule_agrees_with_perls_dash_t() {
    if !require_tool("perl") {
        return;
    }
    let tmp = tempdir();
    let mut prng = Prng::new(19);
    let buffers: Vec<Vec<u8>> = (0..400).map(|_| buffer(&mut prng)).collect();
    for (i, b) in buffers.iter().enumerate() {
        fs::write(tmp.path().join(i.to_string()), b).unwrap();
    }
    let script = r#"for my $f (@ARGV) { open(my $fh, "<", $f) or die; binmode($fh); print((-T $fh) ? 1 : 0) }"#;
    let names: Vec<String> = (0..buffers.len()).map(|i| i.to_string()).collect();
    let out = tool(
        "perl",
        ["-e", script, "--"]
            .into_iter()
            .chain(names.iter().map(String::as_str)),
    )
    .cwd(tmp.path())
    .run();
    out.assert_code(0);
    let perl = out.stdout();
    assert_eq!(perl.len(), buffers.len());
    let (mut text, mut disagree) = (0, Vec::new());
    for (i, (b, said)) in buffers.iter().zip(perl.chars()).enumerate() {
        let ours = looks_like_text(&b[..b.len().min(BLOCK)]);
        text += usize::from(ours);
        if ours != (said == '1') {
            disagree.push(format!("{i}: perl {said}, gvmi {ours}: {}", show(b)));
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
    // Both answers occur, or the test proves little.
    assert!(
        text > 50 && text < buffers.len() - 50,
        "{text} of {} text",
        buffers.len()
    );
}
