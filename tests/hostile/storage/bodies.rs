//! Answers that are too big, too slow or elsewhere: huge and endless
//! bodies to each S3 call, drips, a redirect to another origin, and a
//! well-behaved endpoint for contrast.

use std::io::{self, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::*;
use crate::support::fake_s3::{chunked, reply, FakeS3, Op, Seen};
use crate::support::http_server::drip;
use crate::support::*;

#[test]
fn a_gibibyte_error_body_to_put_is_cut_at_a_few_kib() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Put)
            .then(|| chunked(s, "400 Bad Request", &error_start("InvalidArgument"), GIB))
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "PUT answered 400 with a 1 GiB chunked body",
        &ran,
        3,
        "the storage answered 400 Bad Request to PutObject (InvalidArgument)",
        10.0,
    );
}

#[test]
fn a_gibibyte_body_to_create_multipart_upload_is_refused() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Create).then(|| chunked(s, "200 OK", "<Initiate", GIB))
    }
    let s3 = FakeS3::start(attack);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect(
        "CreateMultipartUpload answered 200 with a 1 GiB body",
        &ran,
        3,
        "CreateMultipartUpload: the answer's body is over 64 KiB",
        10.0,
    );
    assert_eq!(s3.count(Op::Part), 0);
}

#[test]
fn huge_5xx_bodies_to_upload_part_are_retried_capped_then_the_upload_aborted() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        let body = error_start("InternalError");
        (seen.op == Op::Part).then(|| chunked(s, "500 Internal Server Error", &body, GIB))
    }
    let s3 = FakeS3::start(attack);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect(
        "UploadPart answered 500 with 1 GiB bodies",
        &ran,
        3,
        "answered 500 Internal Server Error to UploadPart (InternalError",
        20.0,
    );
    // Each part was tried three times at most, and the upload was aborted.
    assert!(s3.count(Op::Part) <= 6, "{:?}", s3.count(Op::Part));
    assert_eq!(s3.count(Op::Abort), 1);
    assert_eq!(s3.count(Op::Complete), 0);
}

#[test]
fn a_dripping_error_body_ends_within_the_request_deadline() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Put).then(|| {
            write!(s, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")?;
            drip(s, b"<Error> ", Duration::from_millis(100), 600)
        })
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "PUT answered 400 with a body dripping 10 bytes/s",
        &ran,
        3,
        "the storage answered 400 Bad Request to PutObject",
        8.0,
    );
}

#[test]
fn complete_dripping_whitespace_forever_ends_at_its_deadline_and_aborts() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Complete).then(|| {
            write!(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")?;
            drip(s, b" ", Duration::from_millis(200), 200)
        })
    }
    let s3 = FakeS3::start(attack);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect(
        "CompleteMultipartUpload answered 200 then dripped spaces",
        &ran,
        3,
        "CompleteMultipartUpload: the storage stalled",
        12.0,
    );
    assert_eq!(s3.count(Op::Abort), 1);
}

#[test]
fn dripping_headers_to_head_end_at_the_request_deadline() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Head).then(|| {
            write!(s, "HTTP/1.1 200 OK\r\n")?;
            drip(s, b"X-Drip: a\r\n", Duration::from_millis(200), 200)
        })
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "HEAD answered with headers dripping 5 bytes/s",
        &ran,
        3,
        "HeadObject: the storage stalled",
        10.0,
    );
    assert_eq!(s3.count(Op::Put), 0);
}

#[test]
fn a_body_after_head_is_never_read() {
    fn attack(seen: &Seen, s: &mut TcpStream) -> Option<io::Result<()>> {
        (seen.op == Op::Head).then(|| {
            write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: {GIB}\r\nConnection: close\r\n\r\n"
            )?;
            let chunk = vec![b'x'; 64 << 10];
            for _ in 0..GIB / chunk.len() as u64 {
                s.write_all(&chunk)?;
            }
            Ok(())
        })
    }
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    // A different size there: the image is uploaded over it.
    expect("HEAD answered with a 1 GiB body", &ran, 0, "", 10.0);
    assert_eq!(s3.count(Op::Put), 1);
}

#[test]
fn a_redirect_to_another_origin_is_not_followed_with_the_credentials() {
    let other = FakeS3::start(|_, _| None);
    let port = other.port;
    let attack = move |seen: &Seen, s: &mut TcpStream| {
        let to = format!("Location: http://127.0.0.1:{port}{}\r\n", seen.target);
        matches!(seen.op, Op::Head | Op::Put).then(|| reply(s, "307 Temporary Redirect", &to, ""))
    };
    let s3 = FakeS3::start(attack);
    let ran = publish(&s3, &small(), &[], &[]);
    expect(
        "HEAD answered 307 to another origin",
        &ran,
        3,
        "a redirect, which gvmi does not follow for signed requests",
        10.0,
    );
    assert!(other.seen().is_empty(), "{:?}", other.seen());
    // The HEAD carried the token (and the signature) to the endpoint only.
    let sent = s3.seen();
    assert_eq!(sent[0].header("x-amz-security-token"), Some(TOKEN));
    assert!(sent[0].header("authorization").is_some());
}

#[test]
fn a_multipart_upload_to_the_fake_endpoint_goes_through_staging_and_copy() {
    let s3 = FakeS3::start(|_, _| None);
    let dir = tempdir();
    let ran = publish(&s3, &large(dir.path()), &[], &[]);
    expect("a well-behaved endpoint", &ran, 0, "", 20.0);
    let ops: Vec<Op> = s3.seen().iter().map(|s| s.op).collect();
    assert_eq!(
        ops.iter().filter(|o| **o != Op::Part).collect::<Vec<_>>(),
        [
            &Op::Head,
            &Op::Create,
            &Op::Complete,
            &Op::Copy,
            &Op::Delete
        ],
        "{ops:?}"
    );
    let parts: usize = (s3.seen().iter())
        .filter(|s| s.op == Op::Part)
        .map(|s| s.body_len)
        .sum();
    assert_eq!(parts, LARGE);
    let copy = s3.seen().into_iter().find(|s| s.op == Op::Copy).unwrap();
    assert_eq!(copy.header("x-amz-metadata-directive"), Some("REPLACE"));
    assert!(copy
        .header("x-amz-copy-source")
        .unwrap()
        .starts_with("/bkt/large.gvmi.gvmi-partial-"));
    let hash = sha3(&dir.path().join("large.gvmi"));
    assert_eq!(copy.header("x-amz-meta-sha3-224"), Some(hash.as_str()));
    // Each request names this gvmi: the core's user agent carries the
    // version `gvmi --version` prints (one workspace version for both).
    let agent = concat!("gvmi/", env!("CARGO_PKG_VERSION"));
    for s in s3.seen() {
        assert_eq!(s.header("user-agent"), Some(agent), "{:?}", s.op);
    }
}
