//! Items 1, 3 and 14: image metadata and file names never reach a terminal
//! raw; piped output stays `sha3sum`'s bytes; JSON keeps non-UTF-8 names.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

use super::*;
use crate::support::fixture;
use crate::support::http_server::closed_port;

const LIMIT: Duration = Duration::from_secs(20);
/// `abc` and its SHA3-224.
const ABC: &str = "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf";
/// A name that sets the window title, then reverses the rest of the line.
const EVIL: &[u8] = b"t\x1b]0;pwned\x07\xe2\x80\xaeig.gvmi";

/// A gvmi as gvmkit-build lays it out (squashfs of the self-test fixture,
/// CRC32 LE of the JSON, the JSON, its length): valid, so every field shows.
fn image_with(json: &str) -> Vec<u8> {
    let mut out = std::fs::read(fixture("self-test.gvmi")).unwrap()[..4096].to_vec();
    out.extend_from_slice(&crc32fast::hash(json.as_bytes()).to_le_bytes());
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(format!("{:08}", json.len()).as_bytes());
    out
}

#[cfg(unix)]
#[test]
fn item_1_inspect_shows_escape_sequences_in_metadata_visibly() {
    let dir = tempfile::tempdir().unwrap();
    // Title, OSC 52 clipboard write, alternate screen, cursor report (which
    // makes the terminal type `^[[14;15R` into the shell), 8-bit CSI, RLO, ZWSP.
    let json = r#"{"Cmd":["/bin/sh","\u001b]0;pwned\u0007"],
        "Entrypoint":["\u001b[6n"],
        "Env":["A=\u001b]52;c;ZWNobyBoaQ==\u0007"],
        "Labels":{"k\u001b[?1049h":"v\u009b6n"},
        "User":"root\u202e","Image":"x\u200b\u001b[31m",
        "WorkingDir":"/\r\u001bc","Volumes":{"/v\u001b[2J":{}}}"#;
    let path = raw_path(dir.path(), EVIL);
    std::fs::write(&path, image_with(json)).unwrap();
    let out = bounded(gvmi_in(dir.path()).arg("inspect").arg(&path), None, LIMIT);
    out.assert_code(0);
    assert_inert("inspect stdout", &out.stdout);
    assert_inert("inspect stderr", &out.stderr);
    let text = out.stdout();
    for shown in [
        "t\\e]0;pwned\\x07\\u{202e}ig.gvmi: valid gvmi image",
        "\\e]0;pwned\\x07",
        "\\e[6n",
        "A=\\e]52;c;ZWNobyBoaQ==\\x07",
        "k\\e[?1049h=v\\u{9b}6n",
        "root\\u{202e}",
        "x\\u{200b}\\e[31m",
        "/\\r\\ec",
        "/v\\e[2J",
    ] {
        assert!(text.contains(shown), "{shown:?} not in:\n{text}");
    }
    // The machine form keeps the values exact (JSON escapes controls itself).
    let out = bounded(
        gvmi_in(dir.path()).args(["inspect", "--json"]).arg(&path),
        None,
        LIMIT,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.assert_code(0).stdout).unwrap();
    assert_eq!(v["config"]["user"], "root\u{202e}");
}

#[cfg(unix)]
#[test]
fn item_3_names_in_messages_are_visible_and_exit_codes_exact() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = raw_path(dir.path(), EVIL);
    mkfifo(&fifo);
    let hash = bounded(gvmi_in(dir.path()).arg("hash").arg(dir.path()), None, LIMIT);
    hash.assert_code(1);
    assert_inert("hash stderr", &hash.stderr);
    assert!(hash
        .stderr()
        .contains("t\\e]0;pwned\\x07\\u{202e}ig.gvmi: not a regular file (FIFO)"));

    let missing = raw_path(dir.path(), b"gone\x1b[6n\xff.gvmi");
    let inspect = bounded(
        gvmi_in(dir.path()).arg("inspect").arg(&missing),
        None,
        LIMIT,
    );
    inspect.assert_code(2);
    assert_inert("inspect stderr", &inspect.stderr);
    assert!(
        inspect
            .stderr()
            .contains("gone\\e[6n\\xff.gvmi: No such file"),
        "{}",
        inspect.stderr()
    );

    let list = format!("{ABC}  gone\x1b]52;c;eA==\x07.gvmi\n");
    let check = bounded(
        gvmi_in(dir.path()).args(["check", "-"]),
        Some(list.as_bytes()),
        LIMIT,
    );
    check.assert_code(1);
    assert_inert("check stderr", &check.stderr);
    assert!(check
        .stderr()
        .contains("gone\\e]52;c;eA==\\x07.gvmi: No such file"));
}

#[cfg(unix)]
#[test]
fn item_3_piped_lines_are_sha3sum_bytes_and_terminal_lines_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = raw_path(dir.path(), EVIL);
    std::fs::write(&path, "abc").unwrap();
    // Piped: byte for byte what `sha3sum -a 224` prints (names go out raw).
    let piped = bounded(
        gvmi_in(dir.path()).args(["hash", "--no-cache"]).arg(&path),
        None,
        LIMIT,
    );
    let mut want = format!("{ABC}  ").into_bytes();
    want.extend_from_slice(&path_bytes(&path));
    want.push(b'\n');
    assert_eq!(piped.assert_code(0).stdout, want);
    let list = piped.stdout.clone();
    let checked = bounded(gvmi_in(dir.path()).args(["check", "-"]), Some(&list), LIMIT);
    let mut want = path_bytes(&path);
    want.extend_from_slice(b": OK\n");
    assert_eq!(checked.assert_code(0).stdout, want);

    // On a terminal: the same lines with the name escaped, as `ls` shows it.
    let shown = "t\\e]0;pwned\\x07\\u{202e}ig.gvmi";
    let hash = on_terminal(dir.path(), &["hash", "--no-cache", path.to_str().unwrap()]);
    assert_inert("hash on a terminal", &hash);
    let hash = String::from_utf8(hash).unwrap();
    assert!(
        hash.contains(&format!("{ABC}  {}/{shown}\n", dir.path().display())),
        "{hash}"
    );
    let sums = dir.path().join("list");
    std::fs::write(&sums, &list).unwrap();
    let check = on_terminal(dir.path(), &["check", sums.to_str().unwrap()]);
    assert_inert("check on a terminal", &check);
    assert!(String::from_utf8(check)
        .unwrap()
        .contains(&format!("{shown}: OK\n")));
}

/// A name sha3sum escapes (a newline) keeps the line's leading `\\` on a
/// terminal too, for `hash`, the sha3sum form and `check`'s status: a line
/// copied off the screen names this file, not `we\\nird.gvmi`.
#[cfg(unix)]
#[test]
fn item_3b_a_name_sha3sum_escapes_keeps_its_escape_marker_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = raw_path(dir.path(), b"we\nird.gvmi");
    std::fs::write(&path, "abc").unwrap();
    let shown = format!("\\{ABC}  {}/we\\nird.gvmi\n", dir.path().display());
    for args in [&["hash", "--no-cache"][..], &["-a", "224"][..]] {
        let mut args = args.to_vec();
        args.push(path.to_str().unwrap());
        let out = String::from_utf8(on_terminal(dir.path(), &args)).unwrap();
        assert!(out.contains(&shown), "{args:?}: {out:?}");
    }
    let sums = dir.path().join("list");
    let piped = bounded(
        gvmi_in(dir.path()).args(["hash", "--no-cache"]).arg(&path),
        None,
        LIMIT,
    );
    std::fs::write(&sums, &piped.stdout).unwrap();
    assert_eq!(piped.stdout, shown.as_bytes(), "piped: sha3sum's line");
    let check = on_terminal(dir.path(), &["check", sums.to_str().unwrap()]);
    let want = format!("\\{}/we\\nird.gvmi: OK\n", dir.path().display());
    assert!(
        String::from_utf8(check.clone()).unwrap().contains(&want),
        "{:?}",
        String::from_utf8_lossy(&check)
    );
}

/// Two names that differ only in a byte that is not UTF-8 stay two records
/// in every `--json`: the same lossy `path`, different exact `path_bytes`.
#[cfg(unix)]
#[test]
fn item_14_json_keeps_two_non_utf8_names_apart() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let a = raw_path(dir.path(), b"n\xff.gvmi");
    let b = raw_path(dir.path(), b"n\xfe.gvmi");
    let image = image_with(r#"{"Cmd":["/bin/sh"]}"#);
    for path in [&a, &b, &dir.path().join("plain.gvmi")] {
        std::fs::write(path, &image).unwrap();
    }
    let base = format!("http://127.0.0.1:{}/", closed_port());
    let commands: [&[&str]; 3] = [
        &["hash", "--no-cache", "--json"],
        &["inspect", "--json"],
        &["verify", "--json", "--base-url", &base],
    ];
    for args in commands {
        let out = bounded(gvmi_in(dir.path()).args(args).arg(dir.path()), None, LIMIT);
        let records: Vec<serde_json::Value> = out
            .stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(records.len(), 3, "{args:?}: {}", out.stdout());
        let bytes: Vec<Vec<u8>> = records[..2]
            .iter()
            .map(|r| {
                let b64 = r["path_bytes"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{args:?}: no path_bytes in {r}"));
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap()
            })
            .collect();
        // walk order is by name: \xfe before \xff
        assert_eq!(bytes[0], path_bytes(&b), "{args:?}");
        assert_eq!(bytes[1], path_bytes(&a), "{args:?}");
        assert_eq!(
            records[0]["path"], records[1]["path"],
            "{args:?}: the lossy text is the same..."
        );
        assert!(records[2].get("path_bytes").is_none(), "only when needed");
    }
}

/// JSON is machine output, but it is often read on a terminal: what a
/// terminal would act on (ESC, the 8-bit CSI U+009B, the RLO U+202E) is
/// written as a `\uXXXX` escape, and parses back to the exact text.
#[test]
fn json_escapes_what_a_terminal_acts_on_and_keeps_it_exact() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = "\u{1b}]0;pwned\u{7}\u{9b}6n\u{202e}gif";
    let json = format!("{{\"Cmd\":[{}]}}", serde_json::to_string(cmd).unwrap());
    let path = dir.path().join("crafted.gvmi");
    std::fs::write(&path, image_with(&json)).unwrap();
    let out = bounded(
        gvmi_in(dir.path()).args(["inspect", "--json"]).arg(&path),
        None,
        LIMIT,
    );
    assert_inert("inspect --json", &out.assert_code(0).stdout);
    let text = out.stdout();
    assert!(text.contains("\\u009b6n\\u202egif"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["config"]["cmd"][0], cmd);
}

/// Runs gvmi with a pseudo-terminal as stdin, stdout and stderr; returns
/// everything it wrote (the terminal's CR LF turned back into LF).
fn on_terminal(home: &Path, args: &[&str]) -> Vec<u8> {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("openpty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gvmi"));
    cmd.args(args);
    for (var, value) in environment(home) {
        match value {
            Some(value) => cmd.env(var, value),
            None => cmd.env_remove(var),
        }
    }
    let mut child = pair.slave.spawn_command(cmd).expect("spawn gvmi");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&output);
    let pump = thread::spawn(move || {
        let mut buf = [0u8; 8192];
        // EIO once the child is gone: the end.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let deadline = Instant::now() + LIMIT;
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "gvmi {args:?} hung on a terminal"
        );
        thread::sleep(Duration::from_millis(10));
    }
    drop(pair.master);
    let _ = pump.join();
    // gvmi's own progress line (CR, erase line) is not from a file: drop it.
    let raw = output.lock().unwrap().clone();
    let raw = strip(&raw, b"\r\x1b[2K");
    let mut out = Vec::with_capacity(raw.len());
    for (i, &b) in raw.iter().enumerate() {
        if !(b == b'\r' && raw.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

fn strip(bytes: &[u8], what: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(what) {
            i += what.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
