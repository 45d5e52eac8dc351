//! Item 10: a publish that ends NOT PUBLIC (exit 4), or a `file://`
//! publish without a public base URL, replaced the remembered URL: the
//! working one was lost and `gvmi snippet` then used the broken one. Now a
//! remembered URL is replaced only by one proven public.

use super::*;
use crate::support::http_server::{Route, Server};

#[test]
fn item_10_a_url_not_proven_public_never_replaces_a_working_one() {
    let home = Home::new();
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let img = image.to_str().unwrap();
    let server = Server::start(vec![
        ("/good/app.gvmi", Route::Bytes(b"image one\n".to_vec())),
        ("/broken/other", Route::Status(404)),
    ]);
    let good = format!("{}/good/", server.url(""));
    let good_url = format!("{good}app.gvmi");
    let publish = |what: &str, extra: &[&str]| {
        let web = tempdir();
        let to = file_url(web.path());
        attack(
            what,
            home.gvmi(["publish", "--allow-invalid", img, "--to", &to])
                .args(extra),
        )
    };
    let snippet_url = || {
        let out = attack(
            "item 10: snippet",
            home.gvmi(["snippet", img, "--allow-invalid"]),
        );
        out.assert_code(0);
        out.stdout()
    };

    publish("item 10: publish, public", &["--public-base-url", &good]).assert_code(0);
    assert_eq!(home.urls(), [(img.to_string(), good_url.clone())]);

    // NOT PUBLIC: the working URL stays, and the run says so.
    let broken = format!("{}/broken/", server.url(""));
    let out = publish(
        "item 10: publish, NOT PUBLIC",
        &["--public-base-url", &broken],
    );
    out.assert_code(4);
    assert!(
        out.stdout().ends_with("uploaded, NOT PUBLIC\n"),
        "{}",
        out.stdout()
    );
    let err = out.stderr();
    assert!(
        err.contains(&format!(
            "kept the remembered URL {good_url} (proven public)"
        )),
        "{err}"
    );
    assert_eq!(home.urls(), [(img.to_string(), good_url.clone())]);
    assert!(snippet_url().contains(&good_url));

    // A folder without a public base URL: a file:// URL, not checked.
    let out = publish("item 10: publish, file:// not checked", &[]);
    out.assert_code(0);
    assert!(
        out.stdout().ends_with("uploaded, not checked\n"),
        "{}",
        out.stdout()
    );
    assert!(
        out.stderr().contains("was not proven public"),
        "{}",
        out.stderr()
    );
    assert_eq!(home.urls(), [(img.to_string(), good_url.clone())]);

    // --verify none to another URL: the same.
    let other = format!("{}/other/", server.url(""));
    publish(
        "item 10: --verify none",
        &["--public-base-url", &other, "--verify", "none"],
    )
    .assert_code(0);
    assert_eq!(home.urls(), [(img.to_string(), good_url.clone())]);
    assert!(snippet_url().contains(&good_url));
}

#[test]
fn item_10_an_unchecked_url_is_remembered_when_nothing_proven_was() {
    let home = Home::new();
    let src = tempdir();
    let web = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let img = image.to_str().unwrap();
    let to = file_url(web.path());
    attack(
        "item 10: first publish, file://",
        home.gvmi(["publish", "--allow-invalid", img, "--to", &to]),
    )
    .assert_code(0);
    let url = format!("{to}/app.gvmi");
    assert_eq!(home.urls(), [(img.to_string(), url)]);
    // A URL known not to be public is not remembered at all.
    let home = Home::new();
    let server = Server::start(vec![]);
    let base = format!("{}/none/", server.url(""));
    let run = home.gvmi([
        "publish",
        "--allow-invalid",
        img,
        "--to",
        &to,
        "--public-base-url",
        &base,
    ]);
    attack("item 10: NOT PUBLIC, nothing remembered", run).assert_code(4);
    assert!(!home.state().exists() || home.urls().is_empty());
}
