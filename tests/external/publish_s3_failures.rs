//! `gvmi publish`'s failures against a real S3 server (moto): missing,
//! unknown or refused credentials, a missing bucket, an endpoint nobody
//! listens on; each its own words and exit code, never the secret key.

use crate::publish_s3::{base, no_secret, publish, with_home, SECRET};
use crate::s3_server::Moto;
use crate::support::*;

#[test]
fn credentials_buckets_and_endpoints_that_fail_each_say_so_with_their_own_code() {
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", self_test());
    let img = image.to_str().unwrap();
    let Some(moto) = Moto::start(&[]) else { return };
    let home = tempdir();
    let base = base(&moto, "nosuch");

    // No keys at all (none in the environment, no ~/.aws).
    let out = with_home(
        gvmi([
            "publish",
            img,
            "--to",
            "s3://nosuch",
            "--endpoint",
            &moto.endpoint(),
            "--public-base-url",
            &base,
        ]),
        home.path(),
    )
    .run();
    out.assert_code(5);
    assert!(
        out.stderr().contains("no AWS credentials"),
        "{}",
        out.stderr()
    );

    // A bucket that does not exist.
    let out = publish(
        &moto,
        home.path(),
        &[img, "--to", "s3://nosuch", "--public-base-url", &base],
    )
    .run();
    out.assert_code(3);
    assert!(
        out.stderr().contains("bucket `nosuch` does not exist"),
        "{}",
        out.stderr()
    );
    no_secret(&out);

    // Nothing listening.
    let closed = crate::support::http_server::closed_port();
    let out = with_home(
        gvmi([
            "publish",
            img,
            "--to",
            "s3://bkt",
            "--endpoint",
            &format!("http://127.0.0.1:{closed}"),
            "--public-base-url",
            &base,
        ]),
        home.path(),
    )
    .env("AWS_ACCESS_KEY_ID", "AKIAGVMITEST")
    .env("AWS_SECRET_ACCESS_KEY", SECRET)
    .run();
    out.assert_code(6);
    assert!(
        out.stderr().contains("cannot reach the storage endpoint"),
        "{}",
        out.stderr()
    );
    no_secret(&out);

    // Keys the server does not know (moto checks them after its first call).
    let strict = Moto::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", "1")]).unwrap();
    strict.make_bucket("bkt");
    let out = publish(
        &strict,
        home.path(),
        &[img, "--to", "s3://bkt", "--public-base-url", &base],
    )
    .run();
    out.assert_code(5);
    assert!(out.stderr().contains("credentials"), "{}", out.stderr());
    no_secret(&out);
}

#[test]
fn a_profile_in_the_aws_files_is_used_and_a_missing_one_is_named() {
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("bkt");
    let home = tempdir();
    put(
        home.path(),
        ".aws/credentials",
        format!("[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = {SECRET}\n"),
    );
    put(
        home.path(),
        ".aws/config",
        "[profile dev]\nregion = eu-west-1\n",
    );
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", self_test());
    let img = image.to_str().unwrap();
    let base = base(&moto, "bkt");
    let run = |profile: &str| {
        with_home(
            gvmi([
                "publish",
                img,
                "--to",
                "s3://bkt",
                "--endpoint",
                &moto.endpoint(),
                "--public-base-url",
                &base,
                "--acl",
                "public-read",
                "--profile",
                profile,
            ]),
            home.path(),
        )
        .run()
    };
    let out = run("dev");
    out.assert_code(0);
    no_secret(&out);
    assert_eq!(moto.objects("bkt").len(), 1);
    let out = run("nope");
    out.assert_code(5);
    assert!(
        out.stderr().contains("AWS profile `nope`"),
        "{}",
        out.stderr()
    );
}
