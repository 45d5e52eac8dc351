use super::*;

const HEX: &str = "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7";

fn digest() -> Sha3Digest {
    HEX.parse().unwrap()
}

fn entry(name: &[u8]) -> Line {
    Line::Entry {
        digest: digest(),
        name: name.to_vec(),
    }
}

#[test]
fn plain_names_are_written_like_sha3sum() {
    let line = gnu_line(&digest(), b"dir/a b.gvmi");
    assert_eq!(line, format!("{HEX}  dir/a b.gvmi\n").as_bytes());
    let tag = tag_line(&digest(), b"x.gvmi");
    assert_eq!(tag, format!("SHA3-224 (x.gvmi) = {HEX}\n").as_bytes());
}

#[test]
fn names_with_backslash_newline_cr_are_escaped_and_round_trip() {
    let name = b"a\\b\nc\rd.gvmi";
    let line = gnu_line(&digest(), name);
    assert_eq!(line, format!("\\{HEX}  a\\\\b\\nc\\rd.gvmi\n").as_bytes());
    assert_eq!(parse_line(&line[..line.len() - 1]), entry(name));
    let tag = tag_line(&digest(), name);
    assert_eq!(parse_line(&tag[..tag.len() - 1]), entry(name));
}

#[test]
fn binary_and_zero_styles_mark_and_end_lines_like_gnu() {
    let binary = LineStyle {
        binary: true,
        ..LineStyle::default()
    };
    let line = styled_line(&digest(), b"x.gvmi", binary);
    assert_eq!(line, format!("{HEX} *x.gvmi\n").as_bytes());
    assert_eq!(parse_line(&line[..line.len() - 1]), entry(b"x.gvmi"));
    let zero = LineStyle {
        zero: true,
        ..binary
    };
    let line = styled_line(&digest(), b"a\\b\nc", zero);
    assert_eq!(line, format!("{HEX} *a\\b\nc\0").as_bytes());
}

#[test]
fn status_names_are_escaped_only_when_they_would_break_the_line() {
    assert_eq!(
        display_name(b"a\\b.gvmi"),
        ("", Cow::Borrowed(&b"a\\b.gvmi"[..]))
    );
    let (prefix, shown) = display_name(b"a\\b\nc.gvmi");
    assert_eq!((prefix, &*shown), ("\\", &b"a\\\\b\\nc.gvmi"[..]));
}

#[test]
fn reads_binary_marker_uppercase_hex_and_crlf() {
    let up = HEX.to_uppercase();
    assert_eq!(
        parse_line(format!("{up} *x.gvmi\r").as_bytes()),
        entry(b"x.gvmi")
    );
}

#[test]
fn wrong_length_or_shape_is_malformed_never_an_entry() {
    let short = &HEX[..54];
    for bad in [
        format!("{short}  x.gvmi"),
        format!("{HEX}00  x.gvmi"),
        format!("{HEX} x.gvmi"),
        format!("{HEX}  "),
        format!("SHA3-256 (x) = {HEX}"),
        format!("\\{HEX}  bad\\escape"),
    ] {
        assert_eq!(parse_line(bad.as_bytes()), Line::Malformed, "{bad:?}");
    }
}

#[test]
fn blank_and_comment_lines_are_skipped() {
    assert_eq!(parse_line(b""), Line::Skip);
    assert_eq!(parse_line(b"# made by gvmi"), Line::Skip);
}

#[cfg(unix)]
#[test]
fn terminal_names_escape_controls_and_leave_plain_names_alone() {
    assert_eq!(terminal_name(b"a b\\c.gvmi"), None);
    assert_eq!(
        terminal_name(b"a\x1b]0;x\x07.gvmi").unwrap(),
        "a\\e]0;x\\x07.gvmi"
    );
    let text = LineStyle::default();
    let line = shown_line(&digest(), b"x\ny\xff.gvmi", text, true);
    assert_eq!(line, format!("\\{HEX}  x\\ny\\xff.gvmi\n").as_bytes());
    // The escape marker stays on the terminal: the line names this file.
    let line = shown_line(&digest(), b"we\nird.gvmi", text, true);
    assert_eq!(line, gnu_line(&digest(), b"we\nird.gvmi"));
    let entry = Line::Entry {
        digest: digest(),
        name: b"we\nird.gvmi".to_vec(),
    };
    assert_eq!(parse_line(&line[..line.len() - 1]), entry);
    let perl = LineStyle { perl: true, ..text };
    let line = shown_line(&digest(), b"a\\b\n\x1b.gvmi", perl, true);
    assert_eq!(line, format!("\\{HEX}  a\\\\b\\n\\e.gvmi\n").as_bytes());
    let (prefix, name) = shown_status_name(b"we\nird.gvmi", true, false);
    assert_eq!((prefix, &*name), ("\\", &b"we\\nird.gvmi"[..]));
    let piped = shown_line(&digest(), b"x\ny.gvmi", text, false);
    assert_eq!(piped, gnu_line(&digest(), b"x\ny.gvmi"));
}
