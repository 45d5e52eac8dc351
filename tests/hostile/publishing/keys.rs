//! Item 3: two images, one key. `gvmi publish A B` where both folders hold
//! a different `x.gvmi` once uploaded both ("uploaded, public", exit 0), the
//! second over the first, and remembered both at one URL. Now both paths
//! are named and nothing is uploaded (exit 2), to S3 (a real S3 server,
//! moto) and to a folder alike.

use std::fs;

use super::*;
use crate::s3_server::Moto;

/// `A/x.gvmi` and `B/x.gvmi`, different bytes, under `src`.
fn two_of_a_name(src: &Path) -> (PathBuf, PathBuf) {
    let a = src.join("A");
    let b = src.join("B");
    put(&a, "x.gvmi", b"image A\n");
    put(&b, "x.gvmi", b"image B\n");
    (a, b)
}

#[track_caller]
fn refused_naming_both(out: &Output, a: &Path, b: &Path) {
    out.assert_code(2);
    let err = out.stderr();
    let (a, b) = (a.join("x.gvmi"), b.join("x.gvmi"));
    assert!(
        err.contains(&format!(
            "{} and {} would both be published at",
            a.display(),
            b.display()
        )),
        "{err}"
    );
    assert!(err.contains("nothing was published"), "{err}");
    assert!(out.stdout.is_empty(), "{}", out.stdout());
}

#[test]
fn item_3_two_images_with_one_key_are_refused_before_any_upload() {
    let home = Home::new();
    let src = tempdir();
    let web = tempdir();
    let (a, b) = two_of_a_name(src.path());
    let to = file_url(web.path());
    let args = [a.as_os_str(), b.as_os_str(), "--to".as_ref(), to.as_ref()];
    let out = attack(
        "item 3: A B --to file:// (one key)",
        home.gvmi(["publish", "--allow-invalid"]).args(args),
    );
    refused_naming_both(&out, &a, &b);
    assert!(names(web.path()).is_empty(), "{:?}", names(web.path()));
    assert!(!home.state().exists(), "nothing remembered");
    // --dry-run says the same: it predicts the real run.
    let dry = home
        .gvmi(["publish", "--allow-invalid"])
        .args(args)
        .arg("--dry-run");
    refused_naming_both(&attack("item 3: --dry-run", dry), &a, &b);

    // A file and a folder of one name cannot both be in a web root.
    let nested = src.path().join("N");
    put(&nested, "x.gvmi/y.gvmi", b"image N\n");
    let args = [
        a.as_os_str(),
        nested.as_os_str(),
        "--to".as_ref(),
        to.as_ref(),
    ];
    let out = attack(
        "item 3: x.gvmi and x.gvmi/y.gvmi",
        home.gvmi(["publish", "--allow-invalid"]).args(args),
    );
    out.assert_code(2);
    assert!(
        out.stderr()
            .contains("a file and a folder cannot share a name"),
        "{}",
        out.stderr()
    );
    assert!(names(web.path()).is_empty());
}

#[test]
fn item_3_one_file_twice_or_content_addressed_keys_are_not_collisions() {
    let home = Home::new();
    let src = tempdir();
    let web = tempdir();
    let (a, b) = two_of_a_name(src.path());
    let to = file_url(web.path());
    let one = a.join("x.gvmi");
    let twice = [a.as_os_str(), one.as_os_str(), "--to".as_ref(), to.as_ref()];
    attack(
        "item 3: A A/x.gvmi",
        home.gvmi(["publish", "--allow-invalid"]).args(twice),
    )
    .assert_code(0);
    assert_eq!(fs::read(web.path().join("x.gvmi")).unwrap(), b"image A\n");

    let web = tempdir();
    let to = file_url(web.path());
    let args = [a.as_os_str(), b.as_os_str(), "--to".as_ref(), to.as_ref()];
    let out = attack(
        "item 3: A B --content-addressed",
        home.gvmi(["publish", "--allow-invalid", "--content-addressed"])
            .args(args),
    );
    out.assert_code(0);
    for (dir, bytes) in [(&a, b"image A\n"), (&b, b"image B\n")] {
        let hash = python_sha3_224(&dir.join("x.gvmi"));
        let copy = web.path().join(format!("x-{}.gvmi", &hash[..12]));
        assert_eq!(fs::read(copy).unwrap(), bytes);
    }
}

#[test]
fn item_3_to_s3_nothing_is_uploaded_and_the_bucket_stays_empty() {
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("bkt");
    let home = Home::new();
    let src = tempdir();
    let (a, b) = two_of_a_name(src.path());
    let endpoint = moto.endpoint();
    let base = format!("{endpoint}/bkt/p/");
    let run = home
        .gvmi(["publish", "--allow-invalid"])
        .args([a.as_os_str(), b.as_os_str()])
        .args([
            "--to",
            "s3://bkt/p",
            "--endpoint",
            &endpoint,
            "--public-base-url",
            &base,
        ])
        .env("AWS_ACCESS_KEY_ID", "AKIAGVMITEST")
        .env("AWS_SECRET_ACCESS_KEY", "gvmi-test-secret")
        .env("AWS_DEFAULT_REGION", "us-east-1");
    let out = attack("item 3: A B --to s3://bkt/p (moto)", run);
    refused_naming_both(&out, &a, &b);
    assert!(
        out.stderr().contains("s3://bkt/p/x.gvmi"),
        "{}",
        out.stderr()
    );
    assert!(moto.objects("bkt").is_empty(), "{:?}", moto.objects("bkt"));
    assert!(!home.state().exists());
}
