//! Issue 20, item 4: `gvmi snippet` printed refused URLs and warnings raw
//! on stderr (`--url`, or a tampered state file holding ESC, OSC 52, a C1
//! control, CR/LF or U+202E), `--json` included. Each command's human
//! output is fed those strings here (through its flags, the state file and
//! file names) and must hold nothing a terminal acts on; JSON escapes them
//! and still reads back exactly. `hash`/`check` on a terminal and
//! `inspect` are attacked in files/names.rs (items 1 and 3); the source
//! side, every print site, in print_sites.rs.

use std::fs;
use std::path::Path;

use crate::publishing::{attack, file_url, Home};
use crate::support::*;

/// What an attacker puts in a URL, a state file or a name.
const HOSTILE: [(&str, &str); 5] = [
    ("ESC", "\x1b[31m"),
    ("OSC 52", "\x1b]52;c;aGVsbG8=\x07"),
    ("C1 CSI", "\u{9b}6n"),
    ("CR/LF", "\r\nimport os\r\n"),
    ("U+202E", "\u{202e}"),
];

const HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef01234567";

/// A state file naming `image` at `url`.
fn tampered_state(home: &Home, image: &Path, url: &str) {
    let json = serde_json::json!({
        "version": 1,
        "images": { image.to_str().unwrap(): {
            "url": url, "sha3_224": HASH, "size": 3, "public": true
        }}
    });
    fs::create_dir_all(home.state().parent().unwrap()).unwrap();
    fs::write(home.state(), serde_json::to_vec(&json).unwrap()).unwrap();
}

/// Every JSON value on stdout (one per line, or one array).
fn json_values(out: &Output) -> Vec<serde_json::Value> {
    let text = out.stdout();
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(one) => vec![one],
        Err(_) => text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    }
}

#[test]
fn snippet_output_is_inert() {
    let home = Home::new();
    let dir = tempdir();
    let image = put(dir.path(), "a.gvmi", b"abc");
    let img = image.to_str().unwrap();
    for (what, evil) in HOSTILE {
        let url = format!("https://e.com/{evil}a.gvmi");
        let out = attack(
            &format!("item 4: snippet --url with {what}"),
            home.gvmi(["snippet", "--hash", HASH, "--url", &url]),
        );
        out.assert_code(1);
        assert!(
            out.stderr().contains("refused: the URL contains a control"),
            "{}",
            out.stderr()
        );
        let json = attack(
            &format!("item 4: snippet --json --url with {what}"),
            home.gvmi(["snippet", "--json", "--hash", HASH, "--url", &url]),
        );
        json.assert_code(1);
        let error = json_values(&json)[0]["error"].as_str().unwrap().to_string();
        assert!(error.contains(&url), "JSON keeps the exact text: {error:?}");

        let base = format!("https://e.com/{evil}/");
        let run = home.gvmi(["snippet", "--allow-invalid", img, "--base-url", &base]);
        attack(&format!("item 4: snippet --base-url with {what}"), run).assert_code(1);

        tampered_state(&home, &image, &url);
        for extra in [&[][..], &["--json"]] {
            let run = home.gvmi(["snippet", "--allow-invalid", img]).args(extra);
            let out = attack(
                &format!("item 4: snippet, state URL with {what} {extra:?}"),
                run,
            );
            out.assert_code(1);
            assert!(out.stderr().contains("refused"), "{}", out.stderr());
        }
        fs::remove_file(home.state()).unwrap();
    }
}

#[test]
fn snippet_of_a_hostile_file_name_is_inert() {
    let home = Home::new();
    let dir = tempdir();
    for (what, evil) in HOSTILE {
        let image = put(dir.path(), format!("{evil}x.gvmi"), b"abc");
        let run = home.gvmi([
            "snippet",
            "--allow-invalid",
            "--url",
            "https://e.com/x.gvmi",
        ]);
        // The name differs from the URL's: the warning quotes both.
        let out = attack(
            &format!("item 4: snippet of a name with {what}"),
            run.arg(&image),
        );
        out.assert_code(0);
        assert!(
            out.stderr().contains("not the image's file name"),
            "{}",
            out.stderr()
        );
        fs::remove_file(image).unwrap();
    }
}

#[test]
fn verify_output_is_inert() {
    let home = Home::new();
    let dir = tempdir();
    let image = put(dir.path(), "a.gvmi", b"abc");
    let img = image.to_str().unwrap();
    for (what, evil) in HOSTILE {
        let url = format!("https://e.com/{evil}a.gvmi");
        for extra in [&[][..], &["--json"]] {
            let run = home
                .gvmi(["verify", "--hash", HASH, "--url", &url])
                .args(extra);
            let out = attack(&format!("item 4: verify --url with {what} {extra:?}"), run);
            assert_ne!(out.code, Some(0));
            tampered_state(&home, &image, &url);
            let run = home.gvmi(["verify", img]).args(extra);
            let out = attack(
                &format!("item 4: verify, state URL with {what} {extra:?}"),
                run,
            );
            assert_ne!(out.code, Some(0));
            fs::remove_file(home.state()).unwrap();
        }
    }
}

#[test]
fn publish_output_is_inert() {
    let home = Home::new();
    let src = tempdir();
    let web = tempdir();
    let to = file_url(web.path());
    for (what, evil) in HOSTILE {
        let image = put(src.path(), format!("{evil}x.gvmi"), b"abc");
        let img = image.as_os_str();
        let base = format!("https://cdn.example.com/{evil}/");
        for extra in [&[][..], &["--json"]] {
            let run = home
                .gvmi(["publish", "--allow-invalid"])
                .arg(img)
                .args(["--to", &to])
                .args(extra);
            let out = attack(
                &format!("item 4: publish of a name with {what} {extra:?}"),
                run,
            );
            out.assert_code(0);
            let run = home
                .gvmi(["publish", "--allow-invalid"])
                .arg(img)
                .args(["--to", &to, "--public-base-url", &base])
                .args(extra);
            let out = attack(
                &format!("item 4: publish --public-base-url with {what} {extra:?}"),
                run,
            );
            out.assert_code(2);
            assert!(
                out.stderr().contains("--public-base-url"),
                "{}",
                out.stderr()
            );
            let run = home
                .gvmi(["publish", "--allow-invalid"])
                .arg(img)
                .args(["--to", &format!("s3://b{evil}kt/p")])
                .args(extra);
            attack(&format!("item 4: publish --to with {what} {extra:?}"), run).assert_code(2);
        }
        fs::remove_file(image).unwrap();
    }
}

#[test]
fn cache_stats_shows_a_hostile_cache_folder_escaped() {
    let home = Home::new();
    let cache = home.path().join("cache\x1b]52;c;aGk=\x07\u{202e}");
    let out = attack(
        "item 4: cache stats with a hostile XDG_CACHE_HOME",
        home.gvmi(["cache", "stats"]).env("XDG_CACHE_HOME", &cache),
    );
    out.assert_code(0);
    assert!(
        out.stdout().contains("cache\\e]52;c;aGk=\\x07\\u{202e}"),
        "{}",
        out.stdout()
    );
}
