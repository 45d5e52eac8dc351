//! What `gvmi publish` refuses before anything is uploaded: a web folder
//! that is not there (never made from a mistyped path), and the command
//! line's mistakes, said before missing credentials; a dry run needs none.

use crate::publish::{file_url, names, publish};
use crate::support::{gvmi, put, tempdir};

/// A `--to file:///DIR` that is not there is refused, named, with the
/// command that makes it: a mistyped path never becomes a new web root.
/// Subfolders below an existing destination are made for the keys.
#[test]
fn a_missing_destination_folder_is_refused_and_subfolders_below_it_are_made() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    put(&src.path().join("sub"), "one.gvmi", b"image one\n");
    let missing = web.path().join("nonexist/dir");
    for extra in [&[][..], &["--dry-run"][..]] {
        let to = file_url(&missing);
        let mut args = vec![src.path().to_str().unwrap(), "--to", &to];
        args.extend(extra);
        let out = publish(home.path(), &args);
        out.assert_code(2);
        let want = format!(
            "gvmi: {}: no such folder to publish into (a web server's folder); create it \
             first: mkdir -p {}\n",
            missing.display(),
            missing.display()
        );
        assert_eq!(out.stderr(), want, "{extra:?}");
        assert!(out.stdout().is_empty(), "{}", out.stdout());
        assert!(names(web.path()).is_empty(), "nothing made: {extra:?}");
    }
    let file = put(web.path(), "plain", b"not a folder\n");
    let to = file_url(&file);
    let out = publish(home.path(), &[src.path().to_str().unwrap(), "--to", &to]);
    out.assert_code(2);
    assert!(
        out.stderr().contains("plain: not a folder"),
        "{}",
        out.stderr()
    );
    let to = file_url(web.path());
    let out = publish(home.path(), &[src.path().to_str().unwrap(), "--to", &to]);
    out.assert_code(0);
    assert!(
        web.path().join("sub/one.gvmi").is_file(),
        "{}",
        out.stderr()
    );
}

/// What the command line got wrong is said before missing credentials
/// (setting keys first would only lead to it), and a dry run, which
/// uploads nothing, needs no keys at all.
#[test]
fn usage_errors_come_before_missing_credentials_and_a_dry_run_needs_none() {
    let home = tempdir();
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let img = image.to_str().unwrap();
    let without_keys = |args: &[&str]| {
        let mut run = gvmi(["publish", "--allow-invalid", img, "--to", "s3://bkt"])
            .args(args)
            .env("HOME", home.path())
            .env("XDG_STATE_HOME", home.path().join("state"));
        for var in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
            "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_CONFIG_FILE",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_S3",
        ] {
            run = run.env_remove(var);
        }
        run.run()
    };
    let plain = [
        "--endpoint",
        "http://10.0.0.5:9000",
        "--public-base-url",
        "http://x/",
    ];
    let out = without_keys(&plain);
    out.assert_code(2);
    assert!(
        out.stderr()
            .contains("plain http sends the upload unencrypted"),
        "{}",
        out.stderr()
    );
    let out = without_keys(&["--endpoint", "https://s3.example.com"]);
    out.assert_code(2);
    assert!(
        out.stderr().contains("give --public-base-url"),
        "{}",
        out.stderr()
    );
    // Still the credentials' own exit code when the settings are fine.
    let out = without_keys(&[]);
    out.assert_code(5);
    assert!(
        out.stderr().contains("no AWS credentials"),
        "{}",
        out.stderr()
    );
    let out = without_keys(&["--dry-run", "--region", "eu-west-1"]);
    out.assert_code(0);
    assert_eq!(
        out.stdout(),
        format!(
            "{}  https://bkt.s3.eu-west-1.amazonaws.com/app.gvmi  would upload\n",
            "-".repeat(56)
        )
    );
    assert!(
        out.stderr().contains(
            "gvmi: warning: no AWS credentials: this dry run does not read what s3://bkt \
             holds, so every image is listed as would upload"
        ),
        "{}",
        out.stderr()
    );
}
