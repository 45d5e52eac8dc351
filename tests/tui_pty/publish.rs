//! `p` against a storage that takes the upload but will not serve it
//! anonymously (a private bucket): the workbench says the image was
//! uploaded but is not public, the reason rather than the URL, and the fix
//! `gvmi publish` gives (the bucket policy), in the details pane whole.

use portable_pty::CommandBuilder;

use super::session::*;
use crate::support::fake_s3::{reply, FakeS3};

#[test]
fn p_uploaded_but_private_says_so_with_the_bucket_policy_fix() {
    // Signed requests (the upload, its look-up first) get a bare S3's
    // answers; an anonymous HEAD or GET, as a provider sends, gets 403.
    let s3 = FakeS3::start(|seen, s| {
        let anonymous = seen.header("authorization").is_none();
        anonymous.then(|| reply(s, "403 Forbidden", "", ""))
    });
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir(&images).unwrap();
    std::fs::write(images.join("a.gvmi"), valid_image(5_000, 61)).unwrap();
    let config = format!(
        "[[publish]]\nfolder = {:?}\nto = \"s3://bkt/imgs\"\nendpoint = {:?}\n\
         public_base_url = \"{}/bkt/imgs/\"\n",
        images.display().to_string(),
        s3.endpoint(),
        s3.endpoint(),
    );
    std::fs::create_dir_all(dir.path().join("gvmi")).unwrap();
    std::fs::write(dir.path().join("gvmi/config.toml"), config).unwrap();

    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gvmi"));
    cmd.arg(&images);
    isolate(&mut cmd, dir.path());
    for (var, value) in [
        ("HOME", dir.path().to_str().unwrap()),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ),
        ("AWS_REGION", "us-east-1"),
    ] {
        cmd.env(var, value);
    }
    for var in ["AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"] {
        cmd.env_remove(var);
    }
    let mut s = Session::spawn(cmd);
    s.wait_for("a.gvmi hashed", |t| t.contains("✓ done"));
    s.keys("p");
    let text = s.wait_for("the outcome", |t| t.contains("✗ publish"));
    let status = text
        .lines()
        .skip_while(|l| !l.contains("a.gvmi uploaded"))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        status.contains("a.gvmi uploaded, not public: answers 403 Forbidden to an anonymous HEAD"),
        "the reason, not the URL:\n{text}"
    );
    assert!(
        status.contains("Make the prefix public-read with a bucket policy"),
        "the fix:\n{text}"
    );
    // The details pane: what happened, then the fix, whole (the policy at
    // the pane's end: focused with Tab, End).
    s.keys("\r");
    let text = s.wait_for("the details pane", |t| t.contains("put-bucket-policy"));
    assert!(
        text.contains("Publish  uploaded to http://127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("put-bucket-policy --bucket bkt"), "{text}");
    assert!(!text.contains("not published"), "{text}");
    s.keys("\t");
    s.keys("\x1b[F");
    let text = s.wait_for("the bucket policy", |t| t.contains("GvmiPublicRead"));
    assert!(text.contains("arn:aws:s3:::bkt/imgs/*"), "{text}");
    s.quit();
}
