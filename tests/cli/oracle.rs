//! `gvmi hash` agrees with independent SHA3-224 implementations: python3's
//! hashlib, `openssl dgst -sha3-224`, and the fixtures' SHA3SUMS.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crate::support::*;

const MIB: u64 = 1 << 20;

/// Sizes around the SHA3-224 rate (144 bytes) and the 1 MiB read chunk,
/// plus a few pseudo-random ones up to 64 MiB (debug builds hash slowly,
/// so only one file is that big).
fn sizes() -> Vec<u64> {
    let mut sizes = vec![0, 1, 143, 144, 145, 287, 288, 289, MIB - 1, MIB, MIB + 1];
    let mut prng = Prng::new(2024);
    sizes.push(prng.next_u64() % (4 * MIB) + 2 * MIB);
    sizes.push(prng.next_u64() % (8 * MIB) + 4 * MIB);
    sizes.push(64 * MIB - prng.next_u64() % 4096);
    sizes
}

#[test]
fn hashes_equal_python_and_openssl_for_boundary_and_random_sizes() {
    if !(require_tool("python3") & require_tool("openssl")) {
        return;
    }
    let dir = tempdir();
    let mut expected = BTreeMap::new();
    for (i, size) in sizes().into_iter().enumerate() {
        let name = format!("f{i:02}-{size}.gvmi");
        let path = dir.path().join(&name);
        write_prng_file(&path, size, i as u64);
        let py = python_sha3_224(&path);
        let ossl = openssl_sha3_224(&path);
        assert_eq!(py, ossl, "the oracles disagree on {size} bytes");
        expected.insert(name, py);
    }
    assert_eq!(expected["f00-0.gvmi"], EMPTY_SHA3_224);

    let out = gvmi(["hash", "--jobs", "2", "."]).cwd(dir.path()).run();
    out.assert_code(0);
    assert!(out.stderr.is_empty(), "stderr: {}", out.stderr());
    let want: Vec<String> = expected
        .iter()
        .map(|(name, hex)| format!("{hex}  ./{name}"))
        .collect();
    assert_eq!(out.stdout_lines(), want);
}

/// The fixtures kept in the repository (`tests/fixtures`, see its README).
fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

#[test]
fn hashes_equal_the_fixtures_sha3sums() {
    let dir = fixtures();
    let sums = fs::read_to_string(dir.join("SHA3SUMS")).unwrap();
    let mut listed: Vec<&str> = sums.lines().filter(|l| !l.is_empty()).collect();
    listed.sort_by_key(|l| l.split_once("  ").map(|(_, n)| n.to_owned()));
    let names: Vec<&str> = listed
        .iter()
        .map(|l| l.split_once("  ").expect("fixture line").1)
        .collect();
    assert!(!names.is_empty());

    // Explicit names, as the Golem docs' `sha3sum -a 224 image.gvmi` does:
    // the output must be the fixtures' file line for line.
    let out = gvmi(std::iter::once("hash").chain(names.iter().copied()))
        .cwd(&dir)
        .run();
    out.assert_code(0);
    assert_eq!(out.stdout_lines(), listed);

    // And the file verifies as a check list.
    let check = gvmi(["check", "SHA3SUMS"]).cwd(&dir).run();
    check.assert_code(0);
    let oks: Vec<String> = names.iter().map(|n| format!("{n}: OK")).collect();
    assert_eq!(check.stdout_lines(), oks);
}

#[test]
fn demo_folder_hashes_equal_python() {
    if !require_tool("python3") {
        return;
    }
    let root = repo();
    let out = gvmi(["hash", "assets/demo"]).cwd(&root).run();
    out.assert_code(0);
    let lines = parse_plain_lines(&out.stdout());
    assert!(lines.len() >= 3, "the demo ships a few images: {lines:?}");
    let mut names: Vec<&String> = lines.iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(
        names,
        lines.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "sorted"
    );
    for (name, hex) in &lines {
        assert!(name.to_ascii_lowercase().ends_with(".gvmi"), "{name}");
        assert_eq!(hex, &python_sha3_224(&root.join(name)), "{name}");
    }
}
