//! `gvmi publish` against a real S3 server (moto) on 127.0.0.1: a folder
//! uploaded byte-identical with its hash as metadata (a large image as a
//! multipart upload), reruns free, a private bucket reported with the
//! policy fix, interrupted uploads leaving nothing, each credential and
//! network failure with its own words and exit code, never the secret.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::s3_server::Moto;
use crate::support::*;

pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYgvmiSECRET";

/// `gvmi publish ARGS --endpoint <moto>` with keys in the environment and
/// state, cache and `~/.aws` under `home`. The images here are made-up
/// bytes (any size), so `--allow-invalid`.
pub fn publish(moto: &Moto, home: &Path, args: &[&str]) -> Run {
    let endpoint = moto.endpoint();
    let mut all = vec!["publish", "--allow-invalid"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--endpoint", &endpoint]);
    with_home(gvmi(all), home)
        .env("AWS_ACCESS_KEY_ID", "AKIAGVMITEST")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
}

pub fn with_home(run: Run, home: &Path) -> Run {
    run.env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PROFILE", "")
        .env("AWS_ENDPOINT_URL", "")
        .env("AWS_ENDPOINT_URL_S3", "")
}

pub fn base(moto: &Moto, bucket: &str) -> String {
    format!("{}/{bucket}/", moto.endpoint())
}

pub fn no_secret(out: &Output) {
    assert!(!out.stdout().contains(SECRET) && !out.stderr().contains(SECRET));
}

fn status_of(out: &Output, name: &str) -> String {
    let line = out.stdout_lines().into_iter().find(|l| l.contains(name));
    let line = line.unwrap_or_else(|| panic!("no line for {name}: {}", out.stdout()));
    line.splitn(3, "  ").nth(2).unwrap().to_string()
}

#[test]
fn a_folder_goes_up_byte_identical_with_its_hash_then_reruns_upload_only_what_changed() {
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("imgs");
    let home = tempdir();
    let src = tempdir();
    write_prng_file(&src.path().join("big image.gvmi"), 20 << 20, 3); // > 16 MiB: multipart
    put(src.path(), "sub/nested.gvmi", b"image one\n");
    let dir = src.path().to_str().unwrap();
    let base = format!("{}pre/", base(&moto, "imgs"));
    let args = [
        dir,
        "--to",
        "s3://imgs/pre",
        "--public-base-url",
        &base,
        "--acl",
        "public-read",
    ];
    let out = publish(&moto, home.path(), &args).run();
    out.assert_code(0);
    no_secret(&out);
    let big = python_sha3_224(&src.path().join("big image.gvmi"));
    let nested = python_sha3_224(&src.path().join("sub/nested.gvmi"));
    assert_eq!(
        out.stdout(),
        format!(
            "{big}  {base}big%20image.gvmi  uploaded, public\n{nested}  {base}sub/nested.gvmi  uploaded, public\n"
        )
    );
    let objects = moto.objects("imgs");
    assert_eq!(objects.len(), 2, "{objects:?}"); // no staging object left
    assert!(objects[0].starts_with(&format!("pre/big image.gvmi|{}|{big}|{big}|", 20 << 20)));
    assert!(objects[1].starts_with(&format!("pre/sub/nested.gvmi|10|{nested}|{nested}|")));
    assert_eq!(moto.pending_uploads("imgs"), 0);
    // The printed URL serves the bytes to anyone.
    let served = moto.boto(
        "",
        &format!("{base}big%20image.gvmi"),
        "print(hashlib.sha3_224(urllib.request.urlopen(key).read()).hexdigest())",
    );
    assert_eq!(served.trim(), big);

    let again = publish(&moto, home.path(), &args).run();
    again.assert_code(0);
    assert_eq!(
        status_of(&again, "big%20image"),
        "skipped (already there), public"
    );
    assert_eq!(
        status_of(&again, "nested"),
        "skipped (already there), public"
    );
    assert_eq!(moto.objects("imgs"), objects, "a rerun touched an object");

    put(src.path(), "sub/nested.gvmi", b"image two\n");
    let third = publish(&moto, home.path(), &args).run();
    third.assert_code(0);
    assert_eq!(status_of(&third, "nested"), "uploaded, public");
    assert_eq!(
        status_of(&third, "big%20image"),
        "skipped (already there), public"
    );
    let now = moto.objects("imgs");
    assert_eq!(now[0], objects[0], "the unchanged image was uploaded again");
    let two = python_sha3_224(&src.path().join("sub/nested.gvmi"));
    assert!(now[1].starts_with(&format!("pre/sub/nested.gvmi|10|{two}|{two}|")));

    // snippet finds the URL without being told.
    let img = src.path().join("sub/nested.gvmi");
    let snippet = with_home(
        gvmi(["snippet", img.to_str().unwrap(), "--allow-invalid"]),
        home.path(),
    )
    .run();
    snippet.assert_code(0);
    assert!(
        snippet.stdout().contains(&format!("{base}sub/nested.gvmi")),
        "{}",
        snippet.stdout()
    );
}

#[test]
fn a_private_bucket_is_uploaded_to_then_reported_not_public_with_the_policy_fix() {
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("private");
    let home = tempdir();
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let base = format!("{}imgs/", base(&moto, "private"));
    let img = image.to_str().unwrap();
    let out = publish(
        &moto,
        home.path(),
        &[img, "--to", "s3://private/imgs", "--public-base-url", &base],
    )
    .run();
    out.assert_code(4);
    no_secret(&out);
    assert!(
        out.stdout().ends_with("uploaded, NOT PUBLIC\n"),
        "{}",
        out.stdout()
    );
    let err = out.stderr();
    assert!(err.contains("403"), "{err}");
    assert!(
        err.contains("\"Resource\": \"arn:aws:s3:::private/imgs/*\""),
        "{err}"
    );
    assert!(
        err.contains("\"Principal\": \"*\"") && err.contains("s3:GetObject"),
        "{err}"
    );
    assert!(err.contains("--acl public-read"), "{err}");
    assert_eq!(
        moto.objects("private").len(),
        1,
        "the upload itself must succeed"
    );
}

#[test]
fn a_get_only_bucket_policy_is_reported_as_head_refused_not_as_private() {
    // moto 5.2 answers an anonymous HEAD 403 under a policy allowing only
    // s3:GetObject, while GET serves the object.
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("getonly");
    moto.boto(
        "getonly",
        "",
        "s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({'Version': '2012-10-17', \
         'Statement': [{'Effect': 'Allow', 'Principal': '*', 'Action': 's3:GetObject', \
         'Resource': 'arn:aws:s3:::getonly/imgs/*'}]}))",
    );
    let home = tempdir();
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let base = format!("{}imgs/", base(&moto, "getonly"));
    let img = image.to_str().unwrap();
    let out = publish(
        &moto,
        home.path(),
        &[img, "--to", "s3://getonly/imgs", "--public-base-url", &base],
    )
    .run();
    out.assert_code(4);
    let err = out.stderr();
    let who = "providers (GET) would download it; yapapi and golem-core (HEAD) would refuse it";
    assert!(err.contains(who), "{err}");
    assert!(!err.contains("private"), "{err}");
    // `gvmi verify` says the same, with the exit code of a HEAD yapapi refuses.
    let url = format!("{base}app.gvmi");
    let out = gvmi(["verify", img, "--url", &url]).run();
    out.assert_code(7);
    assert!(out.stderr().contains(who), "{}", out.stderr());
}

/// Starts publishing a 96 MiB image and returns once its multipart upload
/// is under way on the server.
fn start_large_upload(moto: &Moto, home: &Path, src: &Path) -> Running {
    write_prng_file(&src.join("large.gvmi"), 96 << 20, 9);
    let img = src.join("large.gvmi");
    let base = base(moto, "bkt");
    let running = publish(
        moto,
        home,
        &[
            img.to_str().unwrap(),
            "--to",
            "s3://bkt",
            "--public-base-url",
            &base,
        ],
    )
    .start();
    let deadline = Instant::now() + Duration::from_secs(120);
    while moto.pending_uploads("bkt") == 0 {
        assert!(
            Instant::now() < deadline,
            "the multipart upload never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    running
}

#[test]
fn sigterm_mid_upload_aborts_it_and_leaves_no_object() {
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("bkt");
    let (home, src) = (tempdir(), tempdir());
    let running = start_large_upload(&moto, home.path(), src.path());
    let pid = running.pid().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = running.wait();
    out.assert_code(128 + 15);
    assert!(out.stderr().contains("interrupted"), "{}", out.stderr());
    assert_eq!(
        moto.pending_uploads("bkt"),
        0,
        "the multipart upload was not aborted"
    );
    assert!(moto.objects("bkt").is_empty(), "{:?}", moto.objects("bkt"));
}

#[test]
fn a_server_killed_mid_upload_is_an_error_and_the_next_run_starts_clean() {
    let Some(mut moto) = Moto::start(&[]) else {
        return;
    };
    moto.make_bucket("bkt");
    let (home, src) = (tempdir(), tempdir());
    let running = start_large_upload(&moto, home.path(), src.path());
    moto.kill();
    let out = running.wait();
    assert!(
        matches!(out.code, Some(3 | 6)),
        "{:?}: {}",
        out.code,
        out.stderr()
    );
    assert!(out.stderr().contains("large.gvmi: "), "{}", out.stderr());
    assert!(out.stdout().is_empty(), "{}", out.stdout());
    no_secret(&out);

    let moto = Moto::on_port(moto.port, &[]);
    moto.make_bucket("bkt");
    let img = src.path().join("large.gvmi");
    let base = base(&moto, "bkt");
    let args = [
        img.to_str().unwrap(),
        "--to",
        "s3://bkt",
        "--public-base-url",
        &base,
        "--acl",
        "public-read",
    ];
    publish(&moto, home.path(), &args).run().assert_code(0);
    assert_eq!(moto.pending_uploads("bkt"), 0);
    let hash = python_sha3_224(&img);
    let objects = moto.objects("bkt");
    assert_eq!(objects.len(), 1);
    assert!(objects[0].starts_with(&format!("large.gvmi|{}|{hash}|{hash}|", 96 << 20)));
}

#[test]
fn publishing_a_64_mib_image_reads_it_once() {
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("bkt");
    let home = tempdir();
    let src = tempdir();
    let size: u64 = 64 << 20;
    write_prng_file(&src.path().join("one.gvmi"), size, 5);
    let img = src.path().join("one.gvmi");
    let base = base(&moto, "bkt");
    let args = [
        img.to_str().unwrap(),
        "--to",
        "s3://bkt",
        "--public-base-url",
        &base,
        "--acl",
        "public-read",
        "--no-cache",
        "-v",
    ];
    let out = publish(&moto, home.path(), &args).run();
    out.assert_code(0);
    let err = out.stderr();
    let read: u64 = err
        .split("this process read ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no read figure in {err}"));
    assert!(
        read >= size,
        "{read} < {size}: the figure is not the process's reads"
    );
    assert!(
        read as f64 <= 1.05 * size as f64,
        "read {read} bytes for a {size}-byte image"
    );
}
