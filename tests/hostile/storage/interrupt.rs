//! Ctrl-C while the storage carries out the last request of an upload (a
//! small image's PUT, the completion of a multipart upload, the
//! server-side copy): that request is atomic at the storage, so gvmi waits
//! for its answer and says what it came to, never "aborted" for an object
//! that landed; a completed staging object is removed and never copied.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::*;
use crate::support::fake_s3::{FakeS3, Op, Seen};

/// How long the storage holds its answer to the request under test.
const HOLD: Duration = Duration::from_millis(1500);

/// A bare-bones S3 that takes `HOLD` to answer `op`.
fn holding(op: Op) -> FakeS3 {
    FakeS3::start(move |seen: &Seen, _: &mut TcpStream| {
        if seen.op == op {
            std::thread::sleep(HOLD);
        }
        None
    })
}

/// `gvmi publish IMAGE` to the fake (no cache: the staging path for a large
/// image), SIGINT once the storage has received `op`; (exit code, stdout,
/// stderr).
fn interrupted_at(s3: &FakeS3, op: Op, image: &Path) -> (i32, String, String) {
    let home = tempdir();
    let mut run = gvmi_in(home.path())
        .args(["publish", "--no-cache", "--verify", "none"])
        .arg(image)
        .args(["--to", "s3://bkt", "--endpoint", &s3.endpoint()])
        .args(["--public-base-url", &format!("{}/bkt/", s3.endpoint())]);
    for (k, v) in clean_aws(home.path()) {
        run = run.env(k, v);
    }
    let running = run.timeout(Duration::from_secs(60)).start();
    let until = Instant::now() + Duration::from_secs(30);
    while s3.count(op) == 0 {
        assert!(Instant::now() < until, "no {op:?} request came");
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: kill(2) on the child this test started.
    unsafe { libc::kill(running.pid() as libc::pid_t, libc::SIGINT) };
    let out = running.wait();
    (out.code.unwrap_or(-1), out.stdout(), out.stderr())
}

fn ops(s3: &FakeS3) -> Vec<Op> {
    s3.seen()
        .iter()
        .map(|s| s.op)
        .filter(|o| *o != Op::Part)
        .collect()
}

#[test]
fn ctrl_c_during_the_copy_says_the_image_landed_and_removes_the_staging_object() {
    let s3 = holding(Op::Copy);
    let dir = tempdir();
    let (code, out, err) = interrupted_at(&s3, Op::Copy, &large(dir.path()));
    assert_eq!(code, 130, "{err}");
    assert!(
        err.contains("s3://bkt/large.gvmi holds the image whole") && !err.contains("aborted"),
        "{err}"
    );
    assert!(
        out.ends_with("uploaded, not checked (interrupted)\n"),
        "{out}"
    );
    // The copy was waited for, then the staging object removed.
    assert_eq!(
        ops(&s3),
        [Op::Head, Op::Create, Op::Complete, Op::Copy, Op::Delete]
    );
    let delete = s3.seen().into_iter().find(|s| s.op == Op::Delete).unwrap();
    assert!(delete.target.contains("gvmi-partial-"), "{}", delete.target);
}

#[test]
fn ctrl_c_during_the_staging_completion_copies_nothing_and_removes_it() {
    let s3 = holding(Op::Complete);
    let dir = tempdir();
    let (code, out, err) = interrupted_at(&s3, Op::Complete, &large(dir.path()));
    assert_eq!(code, 130, "{err}");
    assert!(err.contains("interrupted; the upload was aborted"), "{err}");
    assert_eq!(out, "");
    // Nothing at the key: no copy, and the completed staging object gone.
    assert_eq!(ops(&s3), [Op::Head, Op::Create, Op::Complete, Op::Delete]);
    let delete = s3.seen().into_iter().find(|s| s.op == Op::Delete).unwrap();
    assert!(delete.target.contains("gvmi-partial-"), "{}", delete.target);
}

#[test]
fn ctrl_c_during_a_small_images_put_says_it_landed() {
    let s3 = holding(Op::Put);
    let (code, out, err) = interrupted_at(&s3, Op::Put, &small());
    assert_eq!(code, 130, "{err}");
    assert!(
        err.contains("s3://bkt/self-test.gvmi holds the image whole") && !err.contains("aborted"),
        "{err}"
    );
    assert!(
        out.ends_with("uploaded, not checked (interrupted)\n"),
        "{out}"
    );
}
