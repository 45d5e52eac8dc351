//! `gvmi check s3://BUCKET[/PREFIX]` against moto after `gvmi publish`:
//! every object's bytes against its recorded `x-amz-meta-sha3-224` (and
//! the prefix's `SHA3SUMS`); an object overwritten behind gvmi's back (new
//! bytes, old metadata) is FAILED while the others pass, an object with no
//! metadata is said to carry none, and the run exits 1.

use std::path::Path;

use crate::publish_s3::{base, no_secret, publish, with_home, SECRET};
use crate::s3_server::Moto;
use crate::support::*;

/// `gvmi check ARGS --endpoint <moto>` with the keys publish used.
fn check(moto: &Moto, home: &Path, args: &[&str]) -> Output {
    let endpoint = moto.endpoint();
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--endpoint", &endpoint]);
    let out = with_home(gvmi(all), home)
        .env("AWS_ACCESS_KEY_ID", "AKIAGVMITEST")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .run();
    no_secret(&out);
    out
}

/// Three images published to `s3://imgs/v1`; one is 6 MiB (several of
/// the download's buffers).
fn published(moto: &Moto, home: &Path) {
    moto.make_bucket("imgs");
    let src = tempdir();
    write_prng_file(&src.path().join("big.gvmi"), 6 << 20, 1);
    put(src.path(), "a.gvmi", b"image a\n");
    put(src.path(), "sub/b.gvmi", b"image b\n");
    let dir = src.path().to_str().unwrap();
    let public = format!("{}v1/", base(moto, "imgs"));
    let args = [
        dir,
        "--to",
        "s3://imgs/v1",
        "--public-base-url",
        &public,
        "--acl",
        "public-read",
    ];
    publish(moto, home, &args).run().assert_code(0);
}

#[test]
fn an_object_overwritten_behind_gvmis_back_fails_and_the_others_pass() {
    let Some(moto) = Moto::start(&[]) else { return };
    let home = tempdir();
    published(&moto, home.path());
    let out = check(&moto, home.path(), &["s3://imgs/v1"]);
    out.assert_code(0);
    assert_eq!(
        out.stdout_lines(),
        ["v1/a.gvmi: OK", "v1/big.gvmi: OK", "v1/sub/b.gvmi: OK"]
    );

    // New bytes under the old metadata; and an object put with none.
    moto.boto(
        "imgs",
        "v1/a.gvmi",
        "h = s3.head_object(Bucket=bucket, Key=key)\n\
         s3.put_object(Bucket=bucket, Key=key, Body=b'tampered\\n', Metadata=h['Metadata'])\n\
         s3.put_object(Bucket=bucket, Key='v1/raw.gvmi', Body=b'no metadata\\n')\n",
    );
    let out = check(&moto, home.path(), &["s3://imgs/v1"]);
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        [
            "v1/a.gvmi: FAILED",
            "v1/big.gvmi: OK",
            "v1/raw.gvmi: NO RECORDED HASH",
            "v1/sub/b.gvmi: OK"
        ]
    );
    let err = out.stderr();
    let tampered = hex_of(b"tampered\n");
    assert!(
        err.contains("s3://imgs/v1/a.gvmi: its bytes hash to ")
            && err.contains(&tampered)
            && err.contains("its x-amz-meta-sha3-224 says"),
        "{err}"
    );
    assert!(
        err.contains("s3://imgs/v1/raw.gvmi: carries no x-amz-meta-sha3-224"),
        "{err}"
    );
    assert!(err.contains("1 object carries no recorded hash"), "{err}");

    // --json: one record per object with what was recorded and served.
    let out = check(&moto, home.path(), &["--json", "s3://imgs/v1"]);
    out.assert_code(1);
    let records: Vec<serde_json::Value> = (out.stdout_lines().iter())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcomes: Vec<_> = records
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["failed", "ok", "unrecorded", "ok"]);
    assert_eq!(records[0]["key"], "v1/a.gvmi");
    assert_eq!(records[0]["sha3_224"], tampered.as_str());
    assert_eq!(records[0]["recorded"], hex_of(b"image a\n").as_str());
    assert_eq!(records[1]["size"], 6 << 20);
    assert!(records[2]["recorded"].is_null() && records[2]["sha3_224"].is_null());
    // A custom endpoint without a public base URL: where providers
    // download from is not known.
    assert!(records[1]["url"].is_null());
}

#[test]
fn the_prefixs_sha3sums_is_a_second_record_and_its_missing_objects_fail() {
    let Some(moto) = Moto::start(&[]) else { return };
    let home = tempdir();
    published(&moto, home.path());
    let wrong = "8edadf4a077c9de16e9d3a6c1883070625081644ca255101012e2aa9";
    let sums = format!(
        "{}  a.gvmi\n{wrong}  sub/b.gvmi\n{wrong}  gone.gvmi\n",
        hex_of(b"image a\n")
    );
    moto.boto(
        "imgs",
        "v1/SHA3SUMS",
        &format!("s3.put_object(Bucket=bucket, Key=key, Body={sums:?}.encode())\n"),
    );
    let out = check(&moto, home.path(), &["s3://imgs/v1"]);
    out.assert_code(1);
    assert_eq!(
        out.stdout_lines(),
        [
            "v1/a.gvmi: OK",
            "v1/big.gvmi: OK",
            "v1/sub/b.gvmi: FAILED",
            "v1/gone.gvmi: FAILED open or read"
        ]
    );
    let err = out.stderr();
    assert!(err.contains(&format!("SHA3SUMS lists {wrong}")), "{err}");
    assert!(err.contains("s3://imgs/v1/gone.gvmi: listed in"), "{err}");
    let ignoring = check(
        &moto,
        home.path(),
        &["--ignore-missing", "--quiet", "s3://imgs/v1"],
    );
    ignoring.assert_code(1);
    assert_eq!(ignoring.stdout_lines(), ["v1/sub/b.gvmi: FAILED"]);

    // A bucket that is not there, or a prefix holding no image: exit 1.
    let out = check(&moto, home.path(), &["s3://nothere"]);
    out.assert_code(1);
    assert!(!out.stderr().is_empty());
    let out = check(&moto, home.path(), &["s3://imgs/empty"]);
    out.assert_code(1);
    assert!(
        out.stderr().contains("holds no *.gvmi object"),
        "{}",
        out.stderr()
    );
}

fn hex_of(bytes: &[u8]) -> String {
    let dir = tempdir();
    let file = put(dir.path(), "x", bytes);
    sha3(&file)
}

#[test]
fn a_listing_longer_than_a_page_is_read_to_its_end() {
    let Some(moto) = Moto::start(&[]) else { return };
    let home = tempdir();
    moto.make_bucket("many");
    // 1,001 objects: S3 (and moto) list at most 1,000 a page.
    moto.boto(
        "many",
        "",
        "for i in range(1001):\n\
         \x20   s3.put_object(Bucket=bucket, Key='p/%04d.gvmi' % i, Body=b'x')\n\
         s3.put_object(Bucket=bucket, Key='p/readme.txt', Body=b'not an image')\n",
    );
    let out = check(&moto, home.path(), &["s3://many/p"]);
    // Nothing recorded: not a failure without --strict.
    out.assert_code(0);
    let lines = out.stdout_lines();
    assert_eq!(lines.len(), 1001, "{:?}", lines.last());
    assert_eq!(lines[0], "p/0000.gvmi: NO RECORDED HASH");
    assert_eq!(lines[1000], "p/1000.gvmi: NO RECORDED HASH");
    assert!(out.stderr().contains("1001 objects carry no recorded hash"));
    let strict = check(&moto, home.path(), &["--strict", "--status", "s3://many/p"]);
    strict.assert_code(1);
    if let Some(rss) = out.max_rss {
        assert!(rss <= 64 << 20, "{} MiB", rss >> 20);
    }
}
