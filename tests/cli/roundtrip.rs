//! `gvmi hash` and `gvmi check` speak the `sha3sum -a 224` / GNU `*sum`
//! formats both ways: with Perl's `sha3sum`, with themselves, with odd names.

mod cr_names;
mod sha3sum_flags;

use std::fs;
use std::path::Path;

use crate::support::*;

/// Names Perl's `sha3sum` can also read back: it unescapes `\\` and `\n`
/// but not `\r`, so a CR name is left to [`tricky_names_round_trip_through_hash_and_check`].
#[cfg(unix)]
fn perl_safe_names() -> Vec<Vec<u8>> {
    vec![
        b"d/back\\slash.gvmi".to_vec(),
        b"d/new\nline.gvmi".to_vec(),
        b"d/plain.gvmi".to_vec(),
        b"d/raw-\xff\xfe.gvmi".to_vec(), // not UTF-8
        b"d/sub/deep.gvmi".to_vec(),
        b"d/with space.gvmi".to_vec(),
        "d/ünïcødé 日本.gvmi".as_bytes().to_vec(),
    ]
}

/// Makes the files (already listed in path order); returns (name, hex) pairs.
#[cfg(unix)]
fn make_tree(root: &Path, names: &[Vec<u8>]) -> Vec<(Vec<u8>, &'static str)> {
    let mut sorted = names.to_vec();
    sorted.sort();
    assert_eq!(sorted, names, "test names must be listed in path order");
    names
        .iter()
        .enumerate()
        .map(|(i, name)| (name.clone(), put_known(root, bytes_path(name), i)))
        .collect()
}

#[cfg(unix)]
#[test]
fn hash_output_equals_perl_sha3sum_and_perl_accepts_it() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    let files = make_tree(tmp.path(), &perl_safe_names());

    let ours = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    ours.assert_code(0);
    let want: Vec<u8> = files.iter().flat_map(|(n, h)| gnu_line(h, n)).collect();
    assert_eq!(show(&ours.stdout), show(&want));

    // Byte for byte what `sha3sum -a 224` prints for the same files.
    let mut args = vec![b"-a".to_vec(), b"224".to_vec()];
    args.extend(files.iter().map(|(n, _)| n.clone()));
    let perl = tool("sha3sum", args.iter().map(|a| bytes_path(a)))
        .cwd(tmp.path())
        .run();
    perl.assert_code(0);
    assert_eq!(show(&ours.stdout), show(&perl.stdout));

    // Perl's checker accepts gvmi's list, escapes included.
    fs::write(tmp.path().join("SHA3SUMS"), &ours.stdout).unwrap();
    let perl_check = tool("sha3sum", ["-a", "224", "-c", "SHA3SUMS"])
        .cwd(tmp.path())
        .run();
    perl_check.assert_code(0);
    let text = perl_check.stdout();
    assert_eq!(text.matches(": OK\n").count(), files.len(), "{text}");
    assert!(!text.contains("FAILED"), "{text}");

    // And so does gvmi's own.
    let check = gvmi(["check", "SHA3SUMS"]).cwd(tmp.path()).run();
    check.assert_code(0);
    let oks: Vec<u8> = files
        .iter()
        .flat_map(|(n, _)| status_line(n, "OK"))
        .collect();
    assert_eq!(show(&check.stdout), show(&oks));
    assert!(check.stderr.is_empty(), "{}", check.stderr());
}

#[cfg(unix)]
#[test]
fn sha3sum_text_and_binary_lists_are_accepted_by_gvmi_check() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    let files = make_tree(tmp.path(), &perl_safe_names());
    let oks: Vec<u8> = files
        .iter()
        .flat_map(|(n, _)| status_line(n, "OK"))
        .collect();
    for mode in ["-t", "-b"] {
        let mut args = vec![b"-a".to_vec(), b"224".to_vec(), mode.as_bytes().to_vec()];
        args.extend(files.iter().map(|(n, _)| n.clone()));
        let list = tool("sha3sum", args.iter().map(|a| bytes_path(a)))
            .cwd(tmp.path())
            .run();
        list.assert_code(0);
        let marker = if mode == "-b" {
            " *d/plain.gvmi\n"
        } else {
            "  d/plain.gvmi\n"
        };
        assert!(list.stdout().contains(marker), "{mode}: {}", list.stdout());

        let from_stdin = gvmi(["check"])
            .cwd(tmp.path())
            .stdin(list.stdout.clone())
            .run();
        from_stdin.assert_code(0);
        assert_eq!(show(&from_stdin.stdout), show(&oks), "{mode}");
        assert!(from_stdin.stderr.is_empty(), "{}", from_stdin.stderr());

        let file = format!("SUMS{mode}");
        fs::write(tmp.path().join(&file), &list.stdout).unwrap();
        let from_file = gvmi(["check", &file]).cwd(tmp.path()).run();
        from_file.assert_code(0);
        assert_eq!(show(&from_file.stdout), show(&oks), "{mode}");
    }
}

#[cfg(unix)]
#[test]
fn tricky_names_round_trip_through_hash_and_check() {
    let tmp = tempdir();
    let names = vec![
        b"d/back\\slash.gvmi".to_vec(),
        b"d/car\rreturn.gvmi".to_vec(),
        b"d/lead\\\\two\\n-not-a-newline.gvmi".to_vec(),
        b"d/new\nline.gvmi".to_vec(),
        b"d/raw-\xff\xfe.gvmi".to_vec(),
        b"d/with  two spaces .gvmi".to_vec(),
        "d/ünïcødé 日本.gvmi".as_bytes().to_vec(),
    ];
    let files = make_tree(tmp.path(), &names);

    let hashed = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    hashed.assert_code(0);
    let want: Vec<u8> = files.iter().flat_map(|(n, h)| gnu_line(h, n)).collect();
    assert_eq!(show(&hashed.stdout), show(&want));
    assert_eq!(
        hashed.stdout.iter().filter(|&&b| b == b'\n').count(),
        files.len(),
        "one line per file, whatever its name"
    );

    let check = gvmi(["check", "-"])
        .cwd(tmp.path())
        .stdin(hashed.stdout.clone())
        .run();
    check.assert_code(0);
    let oks: Vec<u8> = files
        .iter()
        .flat_map(|(n, _)| status_line(n, "OK"))
        .collect();
    assert_eq!(show(&check.stdout), show(&oks));

    // Same through --tag.
    let tagged = gvmi(["hash", "--tag", "d"]).cwd(tmp.path()).run();
    tagged.assert_code(0);
    let want: Vec<u8> = files.iter().flat_map(|(n, h)| tag_line(h, n)).collect();
    assert_eq!(show(&tagged.stdout), show(&want));
    let check = gvmi(["check"])
        .cwd(tmp.path())
        .stdin(tagged.stdout.clone())
        .run();
    check.assert_code(0);
    assert_eq!(show(&check.stdout), show(&oks));
}

#[test]
fn tag_output_is_bsd_style_and_round_trips() {
    let tmp = tempdir();
    let a = put_known(tmp.path(), "d/a.gvmi", 1);
    let b = put_known(tmp.path(), "d/b c.gvmi", 2);
    let out = gvmi(["hash", "--tag", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        [
            format!("SHA3-224 (d/a.gvmi) = {a}"),
            format!("SHA3-224 (d/b c.gvmi) = {b}"),
        ]
    );
    if require_tool("sha3sum") {
        let perl = tool("sha3sum", ["-a", "224", "--tag", "d/a.gvmi", "d/b c.gvmi"])
            .cwd(tmp.path())
            .run();
        assert_eq!(out.stdout(), perl.stdout(), "same as sha3sum --tag");
    }
    let path = tmp.path().join("TAGGED");
    fs::write(&path, &out.stdout).unwrap();
    let check = gvmi(["check", "TAGGED"]).cwd(tmp.path()).run();
    check.assert_code(0);
    assert_eq!(check.stdout_lines(), ["d/a.gvmi: OK", "d/b c.gvmi: OK"]);
}

#[test]
fn json_output_is_one_object_per_image_with_path_size_mtime_hash() {
    let tmp = tempdir();
    let a = put_known(tmp.path(), "d/a.gvmi", 3);
    let b = put_known(tmp.path(), "d/sub/b.gvmi", 0);
    let out = gvmi(["hash", "--json", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    let lines = out.stdout_lines();
    assert_eq!(lines.len(), 2, "{}", out.stdout());
    let expected = [("d/a.gvmi", KNOWN[3].0.len(), a), ("d/sub/b.gvmi", 0, b)];
    for (line, (path, size, hex)) in lines.iter().zip(expected) {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        let obj = v.as_object().expect("a JSON object per line");
        assert_eq!(obj["path"], path, "{line}");
        assert_eq!(obj["size"], size as u64, "{line}");
        assert_eq!(obj["sha3_224"], hex, "{line}");
        assert!(!obj.contains_key("error"), "{line}");
        let mtime = obj["mtime"].as_str().expect("mtime is a string");
        let when = humantime::parse_rfc3339(mtime).unwrap_or_else(|e| panic!("{mtime}: {e}"));
        let on_disk = fs::metadata(tmp.path().join(path))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(when, on_disk, "mtime is the file's, to the nanosecond");
    }
}

#[test]
fn a_flipped_byte_fails_the_check_like_gnu() {
    let tmp = tempdir();
    put_known(tmp.path(), "a.gvmi", 4);
    put_known(tmp.path(), "b.gvmi", 5);
    let list = gvmi(["hash", "a.gvmi", "b.gvmi"]).cwd(tmp.path()).run();
    list.assert_code(0);
    fs::write(tmp.path().join("SUMS"), &list.stdout).unwrap();

    let mut bytes = fs::read(tmp.path().join("b.gvmi")).unwrap();
    bytes[3] ^= 0x01;
    fs::write(tmp.path().join("b.gvmi"), bytes).unwrap();

    let check = gvmi(["check", "SUMS"]).cwd(tmp.path()).run();
    check.assert_code(1);
    assert_eq!(check.stdout_lines(), ["a.gvmi: OK", "b.gvmi: FAILED"]);
    assert_eq!(
        check.stderr_lines(),
        ["gvmi: WARNING: 1 computed checksum did NOT match"]
    );
}

#[test]
fn uppercase_hex_is_accepted_in_every_format() {
    let tmp = tempdir();
    let hex = put_known(tmp.path(), "x.gvmi", 1).to_uppercase();
    let mut mixed = hex.clone();
    mixed.replace_range(..28, &hex[..28].to_lowercase());
    let list =
        format!("{hex}  x.gvmi\n{hex} *x.gvmi\nSHA3-224 (x.gvmi) = {hex}\n{mixed}  x.gvmi\n");
    let check = gvmi(["check"]).cwd(tmp.path()).stdin(list).run();
    check.assert_code(0);
    assert_eq!(check.stdout_lines(), ["x.gvmi: OK"; 4]);
    assert!(check.stderr.is_empty(), "{}", check.stderr());
}

#[test]
fn output_is_in_path_order_whatever_order_workers_finish() {
    let tmp = tempdir();
    // The big file sorts first and is hashed slowest; the small ones finish
    // long before it on the other worker but must still be printed after it.
    fs::create_dir_all(tmp.path().join("d")).unwrap();
    write_prng_file(&tmp.path().join("d/a-big.gvmi"), 6 << 20, 7);
    let mut want = vec!["d/a-big.gvmi".to_string()];
    for (i, letter) in "bcdefghij".chars().enumerate() {
        let sub = if i % 3 == 0 { "sub/" } else { "" };
        let name = format!("d/{sub}{letter}.gvmi");
        put_known(tmp.path(), &name, i % KNOWN.len());
        want.push(name);
    }
    want.sort();
    let out = gvmi(["hash", "--jobs", "2", "d"]).cwd(tmp.path()).run();
    out.assert_code(0);
    let got: Vec<String> = parse_plain_lines(&out.stdout())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(got, want);
}

#[test]
fn hash_redirected_to_sha3sums_then_check_from_that_folder() {
    let tmp = tempdir();
    put_known(tmp.path(), "one.gvmi", 3);
    put_known(tmp.path(), "nested/two.GVMI", 4);
    put_known(tmp.path(), "notes.txt", 5);
    let sums = fs::File::create(tmp.path().join("SHA3SUMS")).unwrap();
    let hashed = gvmi(["hash"]).cwd(tmp.path()).stdout_to(sums).run();
    hashed.assert_code(0);
    assert!(hashed.stderr.is_empty(), "{}", hashed.stderr());
    let list = fs::read_to_string(tmp.path().join("SHA3SUMS")).unwrap();
    assert_eq!(
        list,
        format!(
            "{}  ./nested/two.GVMI\n{}  ./one.gvmi\n",
            KNOWN[4].1, KNOWN[3].1
        )
    );
    let check = gvmi(["check", "SHA3SUMS"]).cwd(tmp.path()).run();
    check.assert_code(0);
    assert_eq!(
        check.stdout_lines(),
        ["./nested/two.GVMI: OK", "./one.gvmi: OK"]
    );
}

#[test]
fn check_reads_standard_input_with_dash_or_no_argument() {
    let tmp = tempdir();
    let hex = put_known(tmp.path(), "s.gvmi", 6);
    let list = format!("{hex}  s.gvmi\n");
    for args in [vec!["check"], vec!["check", "-"]] {
        let out = gvmi(&args).cwd(tmp.path()).stdin(list.clone()).run();
        out.assert_code(0);
        assert_eq!(out.stdout_lines(), ["s.gvmi: OK"], "{args:?}");
    }
    // The list is named "standard input" in messages, as GNU does.
    let out = gvmi(["check"]).cwd(tmp.path()).stdin("nonsense\n").run();
    out.assert_code(1);
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: standard input: no properly formatted SHA3-224 checksum lines found"]
    );
    // `gvmi hash -` hashes standard input, named `-`.
    let out = gvmi(["hash", "-"]).stdin(KNOWN[2].0).run();
    out.assert_code(0);
    assert_eq!(out.stdout(), format!("{}  -\n", KNOWN[2].1));
}

#[test]
fn check_quiet_status_strict_warn_behave_as_gnu() {
    let tmp = tempdir();
    let good = put_known(tmp.path(), "good.gvmi", 7);
    let bad = put_known(tmp.path(), "bad.gvmi", 8);
    fs::write(tmp.path().join("bad.gvmi"), "tampered").unwrap();
    let ok_list = format!("{good}  good.gvmi\n");
    let fail_list = format!("{good}  good.gvmi\n{bad}  bad.gvmi\n");
    let malformed_list = format!("{good}  good.gvmi\nnot a checksum line\n{good}\n");
    let lists = [
        ("OK", &ok_list),
        ("FAIL", &fail_list),
        ("MALFORMED", &malformed_list),
    ];
    for (name, body) in lists {
        fs::write(tmp.path().join(name), body).unwrap();
    }
    let run = |args: &[&str]| gvmi(args).cwd(tmp.path()).run();

    // --quiet: no OK lines, failures and the summary still shown.
    let out = run(&["check", "--quiet", "OK"]);
    out.assert_code(0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    let out = run(&["check", "--quiet", "FAIL"]);
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), ["bad.gvmi: FAILED"]);
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: WARNING: 1 computed checksum did NOT match"]
    );

    // --status: nothing printed, the exit code tells.
    for (list, code) in [("OK", 0), ("FAIL", 1)] {
        let out = run(&["check", "--status", list]);
        out.assert_code(code);
        assert!(out.stdout.is_empty(), "{list}: {}", out.stdout());
        assert!(out.stderr.is_empty(), "{list}: {}", out.stderr());
    }

    // Improperly formatted lines: counted, exit 0 unless --strict.
    let out = run(&["check", "MALFORMED"]);
    out.assert_code(0);
    assert_eq!(out.stdout_lines(), ["good.gvmi: OK"]);
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: WARNING: 2 lines are improperly formatted"]
    );
    let out = run(&["check", "--strict", "MALFORMED"]);
    out.assert_code(1);
    assert_eq!(out.stdout_lines(), ["good.gvmi: OK"]);
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: WARNING: 2 lines are improperly formatted"]
    );

    // --warn names each bad line, then the summary.
    let out = run(&["check", "--warn", "MALFORMED"]);
    out.assert_code(0);
    assert_eq!(
        out.stderr_lines(),
        [
            "gvmi: MALFORMED: 2: improperly formatted SHA3-224 checksum line",
            "gvmi: MALFORMED: 3: improperly formatted SHA3-224 checksum line",
            "gvmi: WARNING: 2 lines are improperly formatted",
        ]
    );

    // Several lists: each is summed up; one bad list fails the run.
    let out = run(&["check", "OK", "FAIL"]);
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        ["good.gvmi: OK", "good.gvmi: OK", "bad.gvmi: FAILED"]
    );
}

#[test]
fn a_folder_without_images_is_named_and_fails_the_run() {
    let tmp = tempdir();
    put_known(tmp.path(), "full/a.gvmi", 1);
    put(tmp.path(), "empty/notes.txt", "not an image");
    let out = gvmi(["hash", "empty", "full"]).cwd(tmp.path()).run();
    // Like GNU tools given nothing to sum: the rest is done, the status is 1.
    out.assert_code(1);
    assert_eq!(out.stdout(), format!("{}  full/a.gvmi\n", KNOWN[1].1));
    assert_eq!(
        out.stderr_lines(),
        ["gvmi: empty: no *.gvmi images found in this folder"]
    );
}
