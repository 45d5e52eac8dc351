//! Item 11: `--to file:www/rel` wrote to `/www/rel` (exit 0) and
//! `file://tmp/x` was refused without saying why. `file:` is now read
//! strictly: `file:///DIR`, `file://localhost/DIR` and `file:/DIR` are a
//! local absolute folder; a relative path or a host is refused, naming
//! what was meant, and nothing is written anywhere.

use super::*;

#[test]
fn item_11_relative_and_host_forms_are_refused_naming_what_was_meant() {
    let home = Home::new();
    let cwd = tempdir();
    let image = put(cwd.path(), "app.gvmi", b"image one\n");
    let unique = format!("gvmi-hostile-rel-{}", std::process::id());
    let refused = [
        (
            format!("file:{unique}/rel"),
            format!("must be absolute, not {unique}/rel"),
        ),
        (format!("file:./{unique}"), "must be absolute".to_string()),
        (
            "file://tmp/x".to_string(),
            "`tmp` is a host name".to_string(),
        ),
        (
            "file://evil.example.com/srv/www".to_string(),
            "`evil.example.com` is a host name".to_string(),
        ),
        (
            "file://ho\x1bst\u{202e}/x".to_string(),
            "is a host name".to_string(),
        ),
        ("file:".to_string(), "must be absolute".to_string()),
        (
            "file:///srv/www?x=1".to_string(),
            "no query or fragment".to_string(),
        ),
    ];
    for (to, words) in refused {
        let run = home
            .gvmi(["publish", "--allow-invalid"])
            .arg(&image)
            .args(["--to", &to])
            .cwd(cwd.path());
        let out = attack(&format!("item 11: --to {to:?}"), run);
        out.assert_code(2);
        assert!(out.stderr().contains(&words), "{to:?}: {}", out.stderr());
    }
    assert!(
        !Path::new("/").join(&unique).exists(),
        "written at the root"
    );
    assert_eq!(
        names(cwd.path()),
        ["app.gvmi"],
        "nothing written here either"
    );
    let err = attack(
        "item 11: file:rel hint",
        home.gvmi(["publish", "--allow-invalid"])
            .arg(&image)
            .args(["--to", "file:www"])
            .cwd(cwd.path()),
    );
    let meant = format!("from here: file://{}/www", cwd.path().display());
    assert!(err.stderr().contains(&meant), "{}", err.stderr());
    let err = attack(
        "item 11: file://tmp/x hint",
        home.gvmi(["publish", "--allow-invalid"])
            .arg(&image)
            .args(["--to", "file://tmp/x"]),
    );
    assert!(err.stderr().contains("file:///tmp/x"), "{}", err.stderr());
}

#[test]
fn item_11_the_local_forms_all_name_the_same_folder() {
    let home = Home::new();
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    for form in ["file://{}", "file://localhost{}", "FILE://{}", "file:{}"] {
        let web = tempdir();
        let to = form.replace("{}", web.path().to_str().unwrap());
        let out = attack(
            &format!("item 11: --to {form}"),
            home.gvmi(["publish", "--allow-invalid"])
                .arg(&image)
                .args(["--to", &to]),
        );
        out.assert_code(0);
        assert_eq!(
            std::fs::read(web.path().join("app.gvmi")).unwrap(),
            b"image one\n",
            "{to}"
        );
    }
    // %XX escapes are decoded: a folder with a space.
    let web = tempdir();
    let spaced = web.path().join("my www");
    std::fs::create_dir(&spaced).unwrap();
    let to = format!("file://{}/my%20www", web.path().display());
    attack(
        "item 11: --to file:///…/my%20www",
        home.gvmi(["publish", "--allow-invalid"])
            .arg(&image)
            .args(["--to", &to]),
    )
    .assert_code(0);
    assert!(spaced.join("app.gvmi").is_file());
}
