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

/// gvmi signs its requests itself (SigV4 in the Authorization header):
/// moto, with authentication on, checks each signature with its own code.
/// Real keys upload a small image and a multipart one (staging, copy,
/// delete); the same key with a wrong secret is refused as credentials.
#[test]
fn signatures_are_checked_by_an_independent_server() {
    // Four unauthenticated calls set up the bucket and a user with keys.
    let Some(moto) = Moto::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", "4")]) else {
        return;
    };
    let keys = moto.boto(
        "bkt",
        "",
        "s3.create_bucket(Bucket=bucket)\n\
         iam = boto3.client('iam', endpoint_url=s3.meta.endpoint_url, aws_access_key_id='test', \
         aws_secret_access_key='test', region_name='us-east-1')\n\
         iam.create_user(UserName='gvmi')\n\
         k = iam.create_access_key(UserName='gvmi')['AccessKey']\n\
         iam.put_user_policy(UserName='gvmi', PolicyName='all', PolicyDocument=json.dumps({\
         'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}))\n\
         print(k['AccessKeyId'], k['SecretAccessKey'])\n",
    );
    let (id, secret) = keys.trim().split_once(' ').unwrap();
    let src = tempdir();
    put(src.path(), "a b+c.gvmi", b"image one\n");
    write_prng_file(&src.path().join("large.gvmi"), 20 << 20, 7);
    let home = tempdir();
    let base = base(&moto, "bkt");
    let run = |secret: &str| {
        with_home(
            gvmi([
                "publish",
                "--allow-invalid",
                src.path().to_str().unwrap(),
                "--to",
                "s3://bkt/p q",
                "--endpoint",
                &moto.endpoint(),
                "--public-base-url",
                &base,
                "--verify",
                "none",
            ]),
            home.path(),
        )
        .env("AWS_ACCESS_KEY_ID", id)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .run()
    };
    let wrong = run("wJalrXUtnFEMI/K7MDENG/bPxRfiCYwrongKEY");
    wrong.assert_code(5);
    // HEAD comes first, and a HEAD's answer has no body to say why.
    assert!(
        wrong.stderr().contains("403 FORBIDDEN to HeadObject"),
        "{}",
        wrong.stderr()
    );
    let out = run(secret);
    out.assert_code(0);
    // Read back with the user's keys (authentication is on).
    let listed = moto.boto(
        "bkt",
        "",
        &format!(
            "s3 = boto3.client('s3', endpoint_url=s3.meta.endpoint_url, aws_access_key_id='{id}', \
             aws_secret_access_key='{secret}', region_name='us-east-1')\n\
             for o in s3.list_objects_v2(Bucket=bucket).get('Contents', []):\n\
             \x20   h = s3.head_object(Bucket=bucket, Key=o['Key'])\n\
             \x20   body = s3.get_object(Bucket=bucket, Key=o['Key'])['Body'].read()\n\
             \x20   print(o['Key'] + '|' + str(o['Size']) + '|' + h['Metadata'].get('sha3-224', '-') \
             + '|' + hashlib.sha3_224(body).hexdigest() + '|')\n"
        ),
    );
    let mut objects: Vec<&str> = listed.lines().collect();
    objects.sort();
    assert_eq!(objects.len(), 2, "{objects:?}");
    assert!(objects[0].starts_with("p q/a b+c.gvmi|10|"), "{objects:?}");
    let large = python_sha3_224(&src.path().join("large.gvmi"));
    assert!(
        objects[1].starts_with(&format!("p q/large.gvmi|{}|{large}|{large}|", 20 << 20)),
        "{objects:?}"
    );
}
