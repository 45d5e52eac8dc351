//! `gvmi hash` with the flags people type to `sha3sum` and GNU's `*sum`:
//! compared with Perl's `sha3sum` (output, exit status, messages) and with
//! GNU's `-z` line shape.

use std::fs;
use std::path::Path;

use crate::support::*;

/// Runs `gvmi hash ARGS` and `sha3sum ARGS` in `dir`: same stdout, same exit
/// code, and the same stderr once each program's name is taken off (and
/// gvmi's "SHA3-224 checksum line" read as Perl's "SHA3 checksum line").
#[track_caller]
fn same_as_sha3sum(dir: &Path, args: &[&str], stdin: &str) {
    let ours = gvmi(["hash"].iter().chain(args))
        .cwd(dir)
        .stdin(stdin)
        .run();
    let perl = tool("sha3sum", args).cwd(dir).stdin(stdin).run();
    assert_eq!(ours.code, perl.code, "{args:?}: exit codes\n{ours:?}");
    assert_eq!(ours.stdout(), perl.stdout(), "{args:?}: stdout");
    let perl_err = perl
        .stderr()
        .replace("sha3sum: ", "gvmi: ")
        .replace("SHA3 checksum", "SHA3-224 checksum");
    assert_eq!(ours.stderr(), perl_err, "{args:?}: stderr");
}

#[test]
fn hash_a_224_is_sha3sum_a_224_for_the_golem_guides_command() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    put_known(tmp.path(), "image.gvmi", 3);
    put_known(tmp.path(), "other.bin", 4);
    for args in [
        &["-a", "224", "image.gvmi"][..],
        &["-a224", "image.gvmi", "other.bin"],
        &["--algorithm", "224", "image.gvmi"],
        &["-a", "224", "missing.gvmi"],
        &["-a", "224", "image.gvmi", "missing.gvmi", "other.bin"],
        &["-a", "224", "-"],
    ] {
        same_as_sha3sum(tmp.path(), args, "from standard input");
    }
}

#[test]
fn gvmi_in_place_of_sha3sum_is_gvmi_hash() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    let hex = put_known(tmp.path(), "image.gvmi", 7);
    fs::write(tmp.path().join("SUMS"), format!("{hex}  image.gvmi\n")).unwrap();
    // The Golem guide's command with the program's name swapped, and its -c.
    for args in [
        &["-a", "224", "image.gvmi"][..],
        &["-a", "224", "-c", "SUMS"],
    ] {
        let ours = gvmi(args).cwd(tmp.path()).run();
        let perl = tool("sha3sum", args).cwd(tmp.path()).run();
        ours.assert_code(0);
        assert_eq!(ours.stdout(), perl.stdout(), "{args:?}");
    }
}

#[test]
fn hash_c_is_sha3sum_c_with_good_bad_and_missing_entries() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    let good = put_known(tmp.path(), "good.gvmi", 1);
    let was = put_known(tmp.path(), "changed.gvmi", 2);
    fs::write(tmp.path().join("changed.gvmi"), "rebuilt since").unwrap();
    let sums = format!(
        "{good}  good.gvmi\nnot a checksum line\n{was} *changed.gvmi\n{good}  missing.gvmi\n"
    );
    fs::write(tmp.path().join("SUMS"), &sums).unwrap();
    fs::write(tmp.path().join("OK"), format!("{good}  good.gvmi\n")).unwrap();
    for args in [
        &["-a", "224", "-c", "SUMS"][..],
        &["-a", "224", "-c", "OK"],
        &["-c", "SUMS", "OK"],
        &["--check", "OK"],
        &["-a", "224", "-c"],
        &["-c", "-q", "SUMS"],
        &["-c", "-s", "SUMS"],
        &["-c", "-s", "OK"],
        &["-c", "-w", "SUMS"],
        &["-c", "--strict", "OK"],
        &["-c", "--ignore-missing", "SUMS"],
        &["-c", "-b", "OK"],
    ] {
        same_as_sha3sum(tmp.path(), args, &sums);
    }
}

#[test]
fn binary_mode_marks_lines_as_sha3sum_b_does() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    put_known(tmp.path(), "a.gvmi", 5);
    put_known(tmp.path(), "b c.gvmi", 6);
    for args in [
        &["-a", "224", "-b", "a.gvmi", "b c.gvmi"][..],
        &["-a", "224", "-t", "a.gvmi"],
        &["--binary", "--tag", "a.gvmi"],
    ] {
        same_as_sha3sum(tmp.path(), args, "");
    }
    let out = gvmi(["hash", "-b", "a.gvmi"]).cwd(tmp.path()).run();
    assert_eq!(out.stdout(), format!("{} *a.gvmi\n", KNOWN[5].1));
    // Both given: refused, as sha3sum refuses them ("Ambiguous file mode");
    // a usage error is 2 in gvmi's own manner, 1 (sha3sum's) in its form.
    for (args, code) in [
        (&["hash", "-b", "-t", "a.gvmi"][..], 2),
        (&["hash", "--tag", "-t", "a.gvmi"], 2),
        (&["-a", "224", "-b", "-t", "a.gvmi"], 1),
        (&["hash", "-a", "224", "--tag", "-t", "a.gvmi"], 1),
    ] {
        let out = gvmi(args).cwd(tmp.path()).run();
        out.assert_code(code);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = gvmi(["hash", "-b", "-t", "a.gvmi"]).run();
    assert!(
        out.stderr().contains("Ambiguous file mode"),
        "{}",
        out.stderr()
    );
}

#[test]
fn other_sizes_are_refused_with_the_reason() {
    for size in ["256", "512", "sha3-224"] {
        // `gvmi hash -a N` is the sha3sum form: its usage errors exit 1.
        let out = gvmi(["hash", "-a", size, "x.gvmi"]).run();
        out.assert_code(1);
        assert!(out.stdout.is_empty());
        let want =
            format!("gvmi computes SHA3-224 only (Golem's image hash); -a {size} is not supported");
        assert!(out.stderr().contains(&want), "{}", out.stderr());
        let out = gvmi(["check", "-a", size, "SUMS"]).run();
        out.assert_code(2);
        assert!(out.stderr().contains(&want), "{}", out.stderr());
    }
    // GNU refuses -z when verifying; so does gvmi.
    gvmi(["hash", "-c", "-z", "SUMS"]).run().assert_code(2);
}

/// GNU `sha256sum -z` is the reference for the `-z` line shape: swap its
/// hashes for gvmi's and the bytes must be the same.
#[cfg(unix)]
#[test]
fn zero_terminated_lines_have_gnus_shape() {
    if !require_tool("sha256sum") {
        return;
    }
    let tmp = tempdir();
    let names = [&b"back\\slash.gvmi"[..], b"new\nline.gvmi", b"plain.gvmi"];
    let mut sha3 = Vec::new();
    for (i, name) in names.iter().enumerate() {
        sha3.push(put_known(tmp.path(), bytes_path(name), i));
    }
    let with_sha3 = |gnu: Vec<u8>| {
        let mut text = show(&gnu).replace("SHA256 (", "SHA3-224 (");
        for name in names {
            let path = tmp.path().join(bytes_path(name));
            let sha256 = tool("sha256sum", ["-z".as_ref(), path.as_os_str()]).run();
            let sha256 = sha256.stdout()[..64].to_string();
            let i = names.iter().position(|n| *n == name).unwrap();
            text = text.replace(&sha256, sha3[i]);
        }
        text
    };
    let files: Vec<_> = names.iter().map(|n| bytes_path(n)).collect();
    for flags in [&["-z"][..], &["--zero", "-b"], &["-z", "--tag"]] {
        let args = || flags.iter().map(|f| f.into()).chain(files.clone());
        let gnu = tool("sha256sum", args()).cwd(tmp.path()).run();
        gnu.assert_code(0);
        let ours = gvmi(["hash".into()].into_iter().chain(args()))
            .cwd(tmp.path())
            .run();
        ours.assert_code(0);
        assert_eq!(show(&ours.stdout), with_sha3(gnu.stdout), "{flags:?}");
        assert_eq!(ours.stdout.iter().filter(|&&b| b == 0).count(), 3);
    }
}
