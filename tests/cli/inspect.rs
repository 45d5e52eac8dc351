//! Inspection of `.gvmi` structure: the real fixtures parse with the right
//! fields, every broken variant is named, and no input makes it panic.

use std::path::Path;

use crate::support::{fixture, gvmi_in, run, self_test};
use gvmi_core::gvmi_format::{inspect_bytes, inspect_file, Inspection};

fn codes(i: &Inspection) -> Vec<&'static str> {
    i.defects.iter().map(|d| d.code()).collect()
}

fn messages(i: &Inspection) -> String {
    i.defects
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A gvmi as gvmkit-build lays it out: squashfs padded to 4 KiB, CRC32 LE, JSON, length.
fn build(squashfs: &[u8], json: &[u8]) -> Vec<u8> {
    let mut out = squashfs.to_vec();
    out.resize(squashfs.len().div_ceil(4096) * 4096, 0);
    out.extend_from_slice(&crc32fast::hash(json).to_le_bytes());
    out.extend_from_slice(json);
    out.extend_from_slice(format!("{:08}", json.len()).as_bytes());
    out
}

/// The squashfs part of the self-test fixture (metadata starts at 4096).
fn squashfs_part() -> Vec<u8> {
    self_test()[..4096].to_vec()
}

#[test]
fn alpine_fixture_fields() {
    let i = inspect_file(&fixture("alpine.gvmi")).unwrap();
    assert!(i.is_valid(), "{}", messages(&i));
    assert_eq!(i.size, 3_576_181);
    let sb = i.squashfs.as_ref().unwrap();
    assert_eq!(
        (sb.version.as_str(), sb.compressor.as_str()),
        ("4.0", "lzo")
    );
    assert_eq!(
        (sb.block_size, sb.inode_count, sb.bytes_used),
        (131_072, 536, 3_574_860)
    );
    assert_eq!(i.metadata_length, Some(361));
    assert_eq!(i.metadata_offset, Some(3_575_808));
    let c = i.config.as_ref().unwrap();
    assert_eq!(c.cmd.as_deref(), Some(&["/bin/sh".to_string()][..]));
    assert_eq!(c.entrypoint, None);
    assert_eq!(
        c.env,
        ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
    );
    assert_eq!(c.working_dir.as_deref(), Some("/golem/work"));
    assert!(c.volumes.is_empty() && c.labels.is_empty() && c.gvmkit.is_none());
}

#[test]
fn ubuntu_fixture_has_its_volume() {
    let i = inspect_file(&fixture("ubuntu-poc.gvmi")).unwrap();
    assert!(i.is_valid(), "{}", messages(&i));
    let c = i.config.as_ref().unwrap();
    assert_eq!(c.volumes, ["/golem/input"]);
    assert_eq!(c.image.as_deref(), Some("hello-world"));
    assert_eq!(c.cmd.as_deref(), Some(&["/bin/sh".to_string()][..]));
    assert_eq!(i.squashfs.as_ref().unwrap().inode_count, 621);
    assert_eq!(i.metadata_length, Some(348));
}

#[test]
fn old_python_built_fixture_has_pretty_json_with_nulls_and_gvmkit_block() {
    let i = inspect_file(&fixture("self-test.gvmi")).unwrap();
    assert!(i.is_valid(), "{}", messages(&i));
    assert_eq!(i.metadata_offset, Some(4096));
    let c = i.config.as_ref().unwrap();
    assert_eq!(c.cmd.as_deref(), Some(&["/hello".to_string()][..]));
    assert_eq!((c.entrypoint.as_ref(), c.volumes.len()), (None, 0));
    let g = c.gvmkit.as_ref().unwrap();
    assert_eq!(g["generator"], "gvmkit-build-py");
    assert_eq!(g["version"], "0.2.3");
    assert_eq!(i.squashfs.as_ref().unwrap().compressor, "lzo");
}

#[test]
fn cli_shows_command_env_volumes_and_compressor_and_exits_0() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = run(gvmi_in(home.path())
        .arg("inspect")
        .arg(fixture("ubuntu-poc.gvmi"))
        .arg(fixture("self-test.gvmi")));
    assert_eq!(code, 0, "{err}");
    for needle in [
        "ubuntu-poc.gvmi: valid gvmi image",
        "cmd         /bin/sh",
        "env         PATH=/usr/local/sbin",
        "volumes     /golem/input",
        "lzo compression",
        "cmd         /hello",
        "generator=gvmkit-build-py",
    ] {
        assert!(out.contains(needle), "{needle:?} missing from:\n{out}");
    }
}

#[test]
fn cli_json_names_defects_and_exits_1_for_invalid_2_for_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = self_test();
    let at = bad.len() - 8 - 633 - 4;
    bad[at] ^= 0xff;
    let path = dir.path().join("bad.gvmi");
    std::fs::write(&path, bad).unwrap();
    let (code, out, _) = run(gvmi_in(dir.path()).args(["inspect", "--json"]).arg(&path));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["defects"][0]["code"], "crc-mismatch");
    assert_eq!(v["config"]["cmd"][0], "/hello");
    let (code, _, err) = run(gvmi_in(dir.path())
        .arg("inspect")
        .arg(dir.path().join("missing.gvmi")));
    assert_eq!(code, 2);
    assert!(err.contains("No such file"), "{err}");
}

#[test]
fn cli_takes_folders_like_hash_and_says_when_one_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir_all(images.join("sub")).unwrap();
    std::fs::copy(fixture("self-test.gvmi"), images.join("sub/b.GVMI")).unwrap();
    std::fs::copy(fixture("ubuntu-poc.gvmi"), images.join("a.gvmi")).unwrap();
    std::fs::write(images.join("notes.txt"), "not an image").unwrap();
    let (code, out, err) = run(gvmi_in(dir.path()).arg("inspect").arg(&images));
    assert_eq!(code, 0, "{err}");
    let verdicts: Vec<_> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    let a = format!("{}: valid gvmi image", images.join("a.gvmi").display());
    let b = format!("{}: valid gvmi image", images.join("sub/b.GVMI").display());
    assert_eq!(verdicts, [a, b], "folder order, images only:\n{out}");
    // -d 0: only the folder's own files.
    let (code, out, _) = run(gvmi_in(dir.path())
        .args(["inspect", "-d", "0"])
        .arg(&images));
    assert_eq!((code, out.matches("valid gvmi image").count()), (0, 1));
    // A folder without images is named on stderr, exit 2 (nothing could be checked).
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, out, err) = run(gvmi_in(dir.path()).arg("inspect").arg(&empty));
    assert_eq!((code, out.as_str()), (2, ""));
    let want = format!(
        "gvmi: {}: no *.gvmi images found in this folder\n",
        empty.display()
    );
    assert_eq!(err, want);
}

#[test]
fn truncated_at_every_interesting_point_is_named() {
    let good = self_test();
    let n = good.len();
    // (cut length, expected first defect): through the magic, the superblock,
    // the squashfs, its padding, the JSON and the length field.
    let cases: &[(usize, &str)] = &[
        (1, "not-squashfs"),
        (3, "not-squashfs"),
        (4, "superblock-truncated"),
        (50, "superblock-truncated"),
        (100, "truncated"),
        (1000, "truncated"),
        (1939, "truncated"),
        (1940, "raw-squashfs"),
        (3000, "raw-squashfs"),
        (4096, "raw-squashfs"),
        (4100, "length-not-digits"),
        (n - 300, "length-not-digits"),
        (n - 8, "length-not-digits"),
        (n - 3, "length-not-digits"),
        (n - 1, "length-not-digits"),
    ];
    for &(len, code) in cases {
        let i = inspect_bytes(&good[..len]);
        assert!(!i.is_valid(), "cut at {len} passed");
        assert_eq!(codes(&i)[0], code, "cut at {len}: {}", messages(&i));
    }
    let i = inspect_bytes(&good[..1000]);
    assert!(messages(&i)
        .contains("truncated: the squashfs alone is 1940 bytes but the file has only 1000"));
}

#[test]
fn truncated_alpine_says_so_plainly() {
    let bytes = std::fs::read(fixture("alpine.gvmi")).unwrap();
    for cut in [2_000_000, 3_574_000] {
        let i = inspect_bytes(&bytes[..cut]);
        assert_eq!(codes(&i), ["truncated", "length-not-digits"], "cut {cut}");
    }
}

#[test]
fn zero_byte_file() {
    let i = inspect_bytes(b"");
    assert_eq!(codes(&i), ["empty"]);
    assert_eq!(messages(&i), "the file is empty (0 bytes)");
}

#[test]
fn crc_flipped_says_ya_runtime_vm_will_refuse_it() {
    let mut bytes = self_test();
    let crc_at = bytes.len() - 8 - 633 - 4;
    bytes[crc_at + 1] ^= 0x10;
    let i = inspect_bytes(&bytes);
    assert_eq!(codes(&i), ["crc-mismatch"]);
    let m = messages(&i);
    assert!(m.contains("ya-runtime-vm will refuse it"), "{m}");
    assert!(m.contains("Invalid ContainerConfig crc32 sum"), "{m}");
    // The config is still shown: only the checksum is wrong.
    assert!(i.config.is_some());
    // A flipped byte in the JSON is caught by the same check.
    let mut bytes = self_test();
    let json_at = bytes.len() - 8 - 600;
    bytes[json_at] ^= 0x01;
    assert_eq!(codes(&inspect_bytes(&bytes))[0], "crc-mismatch");
}

#[test]
fn length_field_garbage_and_too_large() {
    let good = self_test();
    let n = good.len();
    for garbage in [&b"0000x633"[..], b" 0000633", b"-0000633", b"0000633\n"] {
        let mut bytes = good.clone();
        bytes[n - 8..].copy_from_slice(garbage);
        let i = inspect_bytes(&bytes);
        assert_eq!(codes(&i), ["length-not-digits"], "{garbage:?}");
        assert!(messages(&i).contains("not the 8-digit metadata length"));
    }
    for (length, code) in [
        ("99999999", "length-too-large"),
        ("00004730", "length-too-large"),
        ("00004729", "metadata-overlaps-squashfs"),
    ] {
        let mut bytes = good.clone();
        bytes[n - 8..].copy_from_slice(length.as_bytes());
        let i = inspect_bytes(&bytes);
        assert_eq!(codes(&i)[0], code, "{length}: {}", messages(&i));
    }
    let mut bytes = good.clone();
    bytes[n - 8..].copy_from_slice(b"99999999");
    assert!(messages(&inspect_bytes(&bytes)).contains("larger than the file (4741 bytes)"));
}

#[test]
fn raw_squashfs_is_called_exactly_that() {
    let i = inspect_bytes(&squashfs_part());
    assert_eq!(codes(&i), ["raw-squashfs"]);
    assert!(messages(&i).starts_with("a squashfs without gvmi metadata"));
    assert_eq!(i.squashfs.as_ref().unwrap().compressor, "lzo");
}

#[test]
fn json_invalid_not_object_and_wrong_field_types() {
    let sq = squashfs_part();
    let i = inspect_bytes(&build(&sq, b"{\"Cmd\": [\"/x\""));
    assert_eq!(codes(&i), ["json-invalid"]);
    assert!(messages(&i).starts_with("the metadata is not valid JSON"));
    for (json, kind) in [
        (&b"[1,2]"[..], "an array"),
        (b"\"Cmd\"", "a string"),
        (b"null", "null"),
        (b"42", "a number"),
    ] {
        let i = inspect_bytes(&build(&sq, json));
        assert_eq!(codes(&i), ["json-not-object"]);
        assert_eq!(
            messages(&i),
            format!("the metadata is JSON {kind}, not the object a container config is")
        );
    }
    let i = inspect_bytes(&build(
        &sq,
        br#"{"Env": 5, "Cmd": [1], "Labels": {"a": 1}}"#,
    ));
    assert_eq!(codes(&i), ["field-type", "field-type", "field-type"]);
    assert!(messages(&i).contains("container config field Env is not a list of strings or null"));
    // A minimal object is a valid (if useless) config.
    let i = inspect_bytes(&build(&sq, b"{}"));
    assert!(i.is_valid(), "{}", messages(&i));
}

#[test]
fn squashfs_header_defects() {
    let good = self_test();
    let mut v3 = good.clone();
    v3[28] = 3;
    assert_eq!(codes(&inspect_bytes(&v3)), ["squashfs-version"]);
    let mut comp = good.clone();
    comp[20] = 9;
    assert_eq!(codes(&inspect_bytes(&comp)), ["unknown-compressor"]);
    let mut block = good.clone();
    block[12..16].copy_from_slice(&1000u32.to_le_bytes());
    assert_eq!(codes(&inspect_bytes(&block)), ["bad-block-size"]);
    let mut magic = good.clone();
    magic[..4].copy_from_slice(b"\x7fELF");
    let i = inspect_bytes(&magic);
    assert_eq!(codes(&i), ["not-squashfs"]);
    assert!(messages(&i).contains("starts with \"\\x7fELF\""));
    // Shown as every other text from a file is (`gvmi_core::visible`): ESC as
    // `\e`, a byte that is not UTF-8 as `\x9e`, letters as they are.
    magic[..4].copy_from_slice(b"\x1b\x9e\xc3\xa9");
    let i = inspect_bytes(&magic);
    assert!(
        messages(&i).contains("starts with \"\\e\\x9eé\""),
        "{}",
        messages(&i)
    );
}

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn never_panics_on_random_or_mutated_input() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let good = self_test();
    for round in 0..20_000 {
        let bytes: Vec<u8> = match round % 3 {
            0 => (0..rng.next() % 300).map(|_| rng.next() as u8).collect(),
            1 => {
                // A valid head and a random tail of digits: exercises the length paths.
                let mut b = good[..(rng.next() % good.len() as u64) as usize].to_vec();
                let digits = format!("{:08}", rng.next() % 100_000_000);
                b.extend_from_slice(digits.as_bytes());
                b
            }
            _ => {
                let mut b = good.clone();
                for _ in 0..1 + rng.next() % 4 {
                    let at = (rng.next() % b.len() as u64) as usize;
                    b[at] = rng.next() as u8;
                }
                b
            }
        };
        let i = inspect_bytes(&bytes);
        // Every defect renders, and JSON output works for any result.
        let _ = messages(&i);
        serde_json::to_string(&i).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn reads_only_head_and_tail_of_a_huge_sparse_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.gvmi");
    let good = self_test();
    let file = std::fs::File::create(&path).unwrap();
    // 64 GiB: reading it whole would take minutes; the head and tail take microseconds.
    let size = 64u64 << 30;
    file.set_len(size).unwrap();
    use std::os::unix::fs::FileExt;
    let mut head = good[..4096].to_vec();
    head[40..48].copy_from_slice(&(size - 1000).to_le_bytes());
    file.write_all_at(&head, 0).unwrap();
    file.write_all_at(&good[4096..], size - (good.len() as u64 - 4096))
        .unwrap();
    let started = std::time::Instant::now();
    let i = inspect_file(Path::new(&path)).unwrap();
    assert!(i.is_valid(), "{}", messages(&i));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
