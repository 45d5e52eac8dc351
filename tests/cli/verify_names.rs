//! `gvmi verify IMAGE` names the image and the URL in every failure (each
//! once), whichever way the URL failed.

use crate::support::http_server::{closed_port, Route, Server};
use crate::support::{fixture, gvmi_in, run};

#[test]
fn a_single_image_failure_names_the_image_and_the_url_once_each() {
    let image = fixture("self-test.gvmi");
    let image = image.to_str().unwrap();
    let mut other = std::fs::read(image).unwrap();
    other[2000] ^= 1;
    let server = Server::start(vec![
        ("/missing.gvmi", Route::Status(404)),
        ("/onebyte.gvmi", Route::Bytes(other)),
    ]);
    let urls = [
        server.url("/missing.gvmi"),
        server.url("/onebyte.gvmi"),
        format!("http://127.0.0.1:{}/x.gvmi", closed_port()),
        "http://nonexistent.invalid/x.gvmi".to_string(),
    ];
    let home = tempfile::tempdir().unwrap();
    for url in &urls {
        let (code, out, err) =
            run(gvmi_in(home.path()).args(["verify", "--quiet", image, "--url", url]));
        assert_ne!(code, 0, "{url}: {out}");
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("gvmi: {image}: ")),
            "{url}: {err}"
        );
        assert_eq!(first.matches(url.as_str()).count(), 1, "{url}: {err}");
    }
    // With --hash there is no image: the URL is named.
    let hash = "0".repeat(56);
    for url in &urls {
        let args = ["verify", "--quiet", "--hash", &hash, "--url", url];
        let (_, _, err) = run(gvmi_in(home.path()).args(args));
        let first = err.lines().next().unwrap_or_default();
        assert_eq!(first.matches(url.as_str()).count(), 1, "{url}: {err}");
    }
}

/// A file that fails inspection may still be served exactly: verified (exit
/// 0), and said to be no valid image, in the words snippet refuses it with.
#[test]
fn a_served_file_that_is_no_valid_image_is_ok_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake.gvmi");
    std::fs::write(&fake, b"not an image at all, but served exactly").unwrap();
    let server = Server::start(vec![(
        "/fake.gvmi",
        Route::Bytes(std::fs::read(&fake).unwrap()),
    )]);
    let url = server.url("/fake.gvmi");
    let fake = fake.to_str().unwrap();
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) =
        run(gvmi_in(home.path()).args(["verify", "--quiet", fake, "--url", &url]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(": OK: serves the image"), "{out}");
    let (_, _, refused) = run(gvmi_in(home.path()).args(["snippet", fake, "--url", &url]));
    let problem = refused.split("not a valid gvmi image").nth(1).unwrap();
    let problem = problem.split(" (gvmi inspect").next().unwrap();
    assert_eq!(
        err,
        format!("gvmi: {fake}: warning: not a valid gvmi image{problem}\n")
    );
}
