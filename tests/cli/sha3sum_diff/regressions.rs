//! One fixed case per kind of disagreement issue 19 found, each run through
//! both programs as the random cases are (same stdout, same exit status).

use std::fs;

use super::cases::Case;
use super::compare;
use crate::support::*;

/// SHA3-224("abc"), and of "abc" in the other lengths sha3sum checks.
const H: &str = "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf";
const H256: &str = "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";

/// `-a 224` and `more`.
fn with<'a>(more: &[&'a [u8]]) -> Vec<&'a [u8]> {
    [&[&b"-a"[..], b"224"][..], more].concat()
}

fn case(args: &[&[u8]], stdin: &[u8], list: Option<&str>) -> Case {
    Case {
        args: args.iter().map(|a| a.to_vec()).collect(),
        stdin: stdin.to_vec(),
        lists: list
            .map(|l| (b"S".to_vec(), l.as_bytes().to_vec()))
            .into_iter()
            .collect(),
        fifo: None,
        check: list.is_some(),
    }
}

#[cfg(unix)]
#[test]
fn each_kind_the_issue_found_now_agrees_with_sha3sum() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    let dir = tmp.path();
    for (name, bytes) in [
        (&b"a"[..], &b"abc"[..]),
        (b"t\r", b"abc"),
        (b"c\rr", b"x"),
        (b"e\\", b"abc"),
    ] {
        fs::write(raw_path(dir, name), bytes).unwrap();
    }
    let a224: &[&[u8]] = &[b"-a", b"224"];
    let mut cases = vec![
        ("no operand: standard input", case(a224, b"abc", None)),
        (
            "`-`: standard input",
            case(&with(&[b"-", b"a", b"-"]), b"abc", None),
        ),
        (
            "/dev/stdin, a pipe",
            case(&with(&[b"/dev/stdin"]), b"abc", None),
        ),
        (
            "a name with CR, printed raw",
            case(&with(&[b"c\rr", b"t\r"]), b"", None),
        ),
        (
            "-a 224 -a 224",
            case(&with(&[b"-a", b"224", b"a"]), b"", None),
        ),
        (
            "-b -t: Ambiguous file mode",
            case(&with(&[b"-b", b"-t", b"a"]), b"", None),
        ),
        (
            "non-UTF-8 first operand",
            case(&[b"x\xff", b"-a", b"224"], b"", None),
        ),
        (
            "CRLF list",
            case(
                &with(&[b"-c", b"S"]),
                b"",
                Some(&format!("{H}  a\r\n{H}  t\r\n")),
            ),
        ),
        (
            "other lengths, tag lines, 56+8 digits, 55 digits",
            case(
                &with(&[b"-c", b"S"]),
                b"",
                Some(&format!(
                    "{H256}  a\nSHA3-256 (a) = {H256}\n{H}00000000  a\nSHA3-224 (a) = {}\n",
                    &H[..55]
                )),
            ),
        ),
        (
            "SHA3-256 lines only",
            case(
                &with(&[b"-c", b"S"]),
                b"",
                Some(&format!("{H256}  a\nSHA3-256 (a) = {H256}\n")),
            ),
        ),
        (
            "tab, U marker, trailing space, escaped name, no space before (",
            case(
                &with(&[b"-c", b"S"]),
                b"",
                Some(&format!(
                    "{H}\t a\n{H} Ua\nSHA3-224 (a) = {H} \n\\{H}  e\\\\\nSHA3-224(a) = {H}\n"
                )),
            ),
        ),
        (
            "blank and indented comment, --strict",
            case(
                &with(&[b"-c", b"--strict", b"S"]),
                b"",
                Some(&format!("{H}  a\n\n  # c\n")),
            ),
        ),
        (
            "blank and indented comment, -w",
            case(
                &with(&[b"-c", b"-w", b"S"]),
                b"",
                Some(&format!("{H}  a\n\n  # c\n")),
            ),
        ),
        (
            "a missing list stops",
            case(
                &with(&[b"-c", b"nope", b"S"]),
                b"",
                Some(&format!("{H}  a\n")),
            ),
        ),
        (
            "a `-` line of a list on stdin",
            case(
                &with(&[b"-c"]),
                format!("{H}  -\n{H}  a\n").as_bytes(),
                None,
            ),
        ),
    ];
    let mut fifo = case(&with(&[b"p", b"a"]), b"", None);
    fifo.fifo = Some((b"p".to_vec(), b"abc".to_vec()));
    cases.push(("a FIFO operand, as <(printf abc)", fifo));
    for (what, case) in &cases {
        if let Err(diff) = compare(dir, case) {
            panic!("{what}: {diff}");
        }
    }
}

/// What each program writes for a name with CR, the other checks: sha3sum
/// prints CR raw and reads it back raw; so does gvmi in the sha3sum form.
#[cfg(unix)]
#[test]
fn lists_with_cr_names_check_both_ways() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    let dir = tmp.path();
    fs::write(raw_path(dir, b"t\r"), "abc").unwrap();
    fs::write(raw_path(dir, b"c\rr"), "x").unwrap();
    let names = [bytes_path(b"t\r"), bytes_path(b"c\rr")];
    let ours = gvmi([
        "-a".as_ref(),
        "224".as_ref(),
        names[0].as_os_str(),
        names[1].as_os_str(),
    ])
    .cwd(dir)
    .run();
    ours.assert_code(0);
    fs::write(dir.join("OURS"), &ours.stdout).unwrap();
    let perl = tool(
        "sha3sum",
        [
            "-a".as_ref(),
            "224".as_ref(),
            names[0].as_os_str(),
            names[1].as_os_str(),
        ],
    )
    .cwd(dir)
    .run();
    assert_eq!(show(&ours.stdout), show(&perl.stdout));
    fs::write(dir.join("PERLS"), &perl.stdout).unwrap();
    let want = "t\r: OK\nc\rr: OK\n";
    for (program, list) in [("sha3sum", "OURS"), ("gvmi", "PERLS")] {
        let args = ["-a", "224", "-c", list];
        let out = match program {
            "gvmi" => gvmi(args).cwd(dir).run(),
            _ => tool(program, args).cwd(dir).run(),
        };
        out.assert_code(0);
        assert_eq!(out.stdout(), want, "{program} -c {list}");
    }
}

/// The README's differences hold as it words them (no sha3sum needed).
#[cfg(unix)]
#[test]
fn the_documented_differences_hold() {
    let tmp = tempdir();
    let dir = tmp.path();
    fs::write(dir.join("a"), "abc").unwrap();
    mkfifo(&dir.join("p"));
    // A FIFO named in a list is never opened: no hang, a failed line.
    fs::write(dir.join("S"), format!("{H}  p\n{H}  a\n")).unwrap();
    let out = gvmi(["-a", "224", "-c", "S"]).cwd(dir).run();
    out.assert_code(1);
    assert_eq!(out.stdout(), "p: FAILED open or read\na: OK\n");
    assert!(
        out.stderr().contains("not a regular file (FIFO)"),
        "{}",
        out.stderr()
    );
    // Other sizes and -U/-0 when hashing: usage errors, exit 1.
    for args in [
        &["-a", "256", "a"][..],
        &["-U", "a"],
        &["-a", "224", "-0", "a"],
    ] {
        let out = gvmi(args).cwd(dir).run();
        out.assert_code(1);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // -z is GNU's.
    let out = gvmi(["-a", "224", "-z", "a"]).cwd(dir).run();
    out.assert_code(0);
    assert_eq!(out.stdout(), format!("{H}  a\0"));
    // A folder is walked.
    fs::create_dir(dir.join("d")).unwrap();
    fs::write(dir.join("d/x.gvmi"), "abc").unwrap();
    let out = gvmi(["-a", "224", "d"]).cwd(dir).run();
    out.assert_code(0);
    assert_eq!(out.stdout(), format!("{H}  d/x.gvmi\n"));
    // gvmi's own manner: no operand is `.`, CR escaped GNU's way.
    fs::write(raw_path(dir, b"d/c\r.gvmi"), "abc").unwrap();
    let out = gvmi(["hash"]).cwd(dir.join("d")).run();
    out.assert_code(0);
    assert_eq!(out.stdout(), format!("\\{H}  ./c\\r.gvmi\n{H}  ./x.gvmi\n"));
}
