//! Secrets and credentials: echoed by the storage, in the endpoint, or
//! holding characters no credential has; and the missing bucket's hint.

use std::io;
use std::net::TcpStream;

use super::*;
use crate::support::fake_s3::{reply, FakeS3, Op, Seen};
use crate::support::*;

#[test]
fn echoed_secrets_are_scrubbed_from_every_message() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        let echo = format!(
            "{}token {TOKEN} secret {SECRET} \x1b]52;c;aGk=\x07</Message></Error>",
            error_start("InvalidToken")
        );
        (seen.op == Op::Put).then(|| reply(s, "400 Bad Request", "", &echo))
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &["--json"], &[]);
    expect(
        "PUT answered 400 echoing the session token and the secret key",
        &ran,
        5,
        "",
        10.0,
    );
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "the same, human output",
        &ran,
        5,
        "InvalidToken: token … secret … \\e]52;c;aGk=\\x07",
        10.0,
    );
}

#[test]
fn a_password_in_the_endpoint_is_refused_and_never_printed() {
    let s3 = FakeS3::start(|_, _| None);
    let home = tempdir();
    let endpoint = format!("http://user:PASS-w0rd@127.0.0.1:{}", s3.port);
    let shown = format!("http://user:…@127.0.0.1:{}", s3.port);
    for (flag, env) in [
        (true, ""),
        (false, "AWS_ENDPOINT_URL"),
        (false, "AWS_ENDPOINT_URL_S3"),
    ] {
        let mut run = gvmi_in(home.path())
            .args(["publish", "--verify", "none"])
            .arg(small())
            .args(["--to", "s3://bkt"]);
        for (k, v) in clean_aws(home.path()) {
            run = run.env(k, v);
        }
        run = match flag {
            true => run.args(["--endpoint", &endpoint]),
            false => run.env(env, &endpoint),
        };
        let ran = started(run);
        expect(
            &format!(
                "a password in the endpoint ({})",
                if flag { "--endpoint" } else { env }
            ),
            &ran,
            2,
            &format!("the endpoint {shown}: a user name or password in it is not used"),
            5.0,
        );
    }
    assert!(s3.seen().is_empty());
}

#[test]
fn a_control_character_in_a_credential_or_the_region_is_exit_5() {
    let s3 = FakeS3::start(|_, _| None);
    let cases = [
        ("AWS_ACCESS_KEY_ID", "AKIA\x1b[31mX", "the access key id"),
        ("AWS_SECRET_ACCESS_KEY", "secret\x07key", "the secret key"),
        ("AWS_SESSION_TOKEN", "tok\nen", "the session token"),
        (
            "AWS_REGION",
            "us-east-1\x1b]52;c;aGk=\x07",
            "region `us-east-1\\e]52",
        ),
    ];
    for (var, value, words) in cases {
        let ran = publish(&s3, &small(), &[], &[(var, value)]);
        expect(
            &format!("a control character in {var}"),
            &ran,
            5,
            words,
            5.0,
        );
    }
    // The same from ~/.aws/credentials.
    let home = tempdir();
    put(
        home.path(),
        ".aws/credentials",
        format!("[default]\naws_access_key_id = AK\x01IA\naws_secret_access_key = {SECRET}\n"),
    );
    let mut run = gvmi_in(home.path())
        .args(["publish", "--verify", "none"])
        .arg(small())
        .args(["--to", "s3://bkt", "--endpoint", &s3.endpoint()])
        .args(["--public-base-url", &format!("{}/bkt/", s3.endpoint())]);
    for (k, v) in clean_aws(home.path()) {
        run = run.env(k, v);
    }
    let run = run
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_SESSION_TOKEN", "");
    let ran = started(run);
    expect(
        "a control character in ~/.aws/credentials",
        &ran,
        5,
        "the access key id",
        5.0,
    );
    assert!(s3.seen().is_empty());
}

#[test]
fn a_missing_bucket_hint_carries_the_endpoint() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        let body = format!(
            "{}The bucket does not exist</Message></Error>",
            error_start("NoSuchBucket")
        );
        (seen.op == Op::Put).then(|| reply(s, "404 Not Found", "", &body))
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    let hint = format!("aws s3 mb s3://bkt --endpoint-url {}", s3.endpoint());
    expect("PUT answered NoSuchBucket", &ran, 3, &hint, 5.0);
}
