//! `gvmi check URL/SHA3SUMS` against a static server on 127.0.0.1: each
//! listed name is resolved below the list's URL and downloaded as
//! providers download it; one file changed after the list was written is
//! FAILED and the run exits 1, as a local check does.

use std::path::Path;

use crate::support::http_server::Server;
use crate::support::{gvmi_in, write_prng_file};

/// A folder served as a web root: three images (one in a subfolder, one
/// with a space) and the `SHA3SUMS` gvmi writes of them.
fn published(dir: &Path, home: &Path) {
    std::fs::create_dir(dir.join("v1")).unwrap();
    for (i, name) in ["a.gvmi", "my app.gvmi", "v1/b.gvmi"].iter().enumerate() {
        write_prng_file(&dir.join(name), 1000 + 150_001 * i as u64, 40 + i as u64);
    }
    let out = gvmi_in(home)
        .args(["hash", "a.gvmi", "my app.gvmi", "v1/b.gvmi"])
        .cwd(dir)
        .run();
    out.assert_code(0);
    std::fs::write(dir.join("SHA3SUMS"), out.stdout()).unwrap();
}

#[test]
fn a_remote_list_is_checked_below_its_url_and_a_changed_file_fails() {
    let (dir, home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    published(dir.path(), home.path());
    let server = Server::folder(dir.path(), vec![]);
    let list = server.url("/SHA3SUMS");
    let check = |args: &[&str]| {
        gvmi_in(home.path())
            .arg("check")
            .args(args)
            .arg(&list)
            .run()
    };
    let out = check(&[]);
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        ["a.gvmi: OK", "my app.gvmi: OK", "v1/b.gvmi: OK"]
    );

    // Changed after the list was written: that line fails, the rest pass.
    write_prng_file(&dir.path().join("my app.gvmi"), 151_001, 99);
    let out = check(&[]);
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        ["a.gvmi: OK", "my app.gvmi: FAILED", "v1/b.gvmi: OK"]
    );
    assert!(
        out.stderr().contains("1 computed checksum did NOT match"),
        "{}",
        out.stderr()
    );
    let quiet = check(&["--quiet"]);
    quiet.assert_code(1);
    assert_eq!(quiet.stdout_lines(), ["my app.gvmi: FAILED"]);
    let status = check(&["--status"]);
    status.assert_code(1);
    assert_eq!(status.stdout(), "");
}

#[test]
fn a_listed_name_the_server_lacks_is_named_unless_ignored() {
    let (dir, home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    published(dir.path(), home.path());
    std::fs::remove_file(dir.path().join("v1/b.gvmi")).unwrap();
    let server = Server::folder(dir.path(), vec![]);
    let list = server.url("/SHA3SUMS");
    let out = gvmi_in(home.path()).args(["check", &list]).run();
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        [
            "a.gvmi: OK",
            "my app.gvmi: OK",
            "v1/b.gvmi: FAILED open or read"
        ]
    );
    assert!(out.stderr().contains("answered 404"), "{}", out.stderr());
    let ignoring = gvmi_in(home.path())
        .args(["check", "--ignore-missing", &list])
        .run();
    ignoring.assert_code(0);
    assert_eq!(ignoring.stdout_lines(), ["a.gvmi: OK", "my app.gvmi: OK"]);

    // A list that is not there, or holds no checksum line: exit 1, named.
    std::fs::write(dir.path().join("empty"), "# nothing\n").unwrap();
    for (path, words) in [
        ("/none", "answered 404"),
        ("/empty", "no properly formatted"),
    ] {
        let out = gvmi_in(home.path())
            .args(["check", &server.url(path)])
            .run();
        out.assert_code(1);
        assert!(out.stderr().contains(words), "{path}: {}", out.stderr());
    }
}

#[test]
fn a_name_climbing_out_of_the_list_folder_is_refused() {
    let (dir, home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::create_dir(dir.path().join("v1")).unwrap();
    let hex = "8edadf4a077c9de16e9d3a6c1883070625081644ca255101012e2aa9";
    std::fs::write(
        dir.path().join("v1/SHA3SUMS"),
        format!("{hex}  ../secret.gvmi\n{hex}  /etc/x.gvmi\n"),
    )
    .unwrap();
    let server = Server::folder(dir.path(), vec![]);
    let out = gvmi_in(home.path())
        .args(["check", &server.url("/v1/SHA3SUMS")])
        .run();
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        [
            "../secret.gvmi: FAILED open or read",
            "/etc/x.gvmi: FAILED open or read"
        ]
    );
    assert!(out.stderr().contains("stays below it"), "{}", out.stderr());
}
