//! A local folder and a bucket side by side (`gvmi images s3://imgs/v1
//! --endpoint …`, moto on 127.0.0.1): the bucket's objects are rows marked
//! remote with their recorded hash at once; each local image is paired
//! with its published object (current, stale, not published); `r` on a
//! remote row hashes its bytes (✓ verified); `c` copies the snippet for
//! its public URL and recorded hash.

use std::path::Path;

use crate::s3_server::Moto;
use crate::session::*;

const KEY_ID: &str = "AKIAGVMITEST";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYgvmiSECRET";

/// `gvmi publish` of `images` (made-up bytes: --allow-invalid) into
/// `s3://imgs/v1`, public at moto's own URL.
fn publish(moto: &Moto, home: &Path, images: &[&Path]) {
    let endpoint = moto.endpoint();
    let public = format!("{endpoint}/imgs/v1/");
    let out = crate::support::gvmi_in(home)
        .args(["publish", "--allow-invalid"])
        .args(images)
        .args(["--to", "s3://imgs/v1", "--endpoint", &endpoint])
        .args(["--public-base-url", &public, "--acl", "public-read"])
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .run();
    out.assert_code(0);
}

#[test]
fn a_folder_and_a_bucket_side_by_side_show_the_three_pairings() {
    let Some(moto) = Moto::start(&[]) else { return };
    moto.make_bucket("imgs");
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir(&images).unwrap();
    let (a, b, c) = (
        images.join("a.gvmi"),
        images.join("b.gvmi"),
        images.join("c.gvmi"),
    );
    std::fs::write(&a, valid_image(300_000, 1)).unwrap();
    std::fs::write(&b, valid_image(200_000, 2)).unwrap();
    std::fs::write(&c, valid_image(100_000, 3)).unwrap();
    let hash_a = crate::support::sha3(&a);
    publish(&moto, dir.path(), &[&a, &b]);
    // Changed since it was published: its object is stale.
    std::fs::write(&b, valid_image(200_000, 4)).unwrap();

    let endpoint = moto.endpoint();
    let public = format!("{endpoint}/imgs/v1/");
    let mut cmd = gvmi_command(&images);
    cmd.args(["s3://imgs/v1", "--endpoint", &endpoint]);
    cmd.args(["--public-base-url", &public]);
    cmd.env("AWS_ACCESS_KEY_ID", KEY_ID);
    cmd.env("AWS_SECRET_ACCESS_KEY", SECRET);
    cmd.env("AWS_DEFAULT_REGION", "us-east-1");
    let mut s = Session::spawn(cmd);
    let screen = s.wait_for("the three pairings and the remote rows", |t| {
        t.contains("✓ current")
            && t.contains("≠ stale")
            && t.contains("not published")
            && t.matches("☁ recorded").count() == 2
            && t.matches("☁ remote").count() == 2
    });
    let line_of = |text: &str, needle: &str| -> Vec<String> {
        (text.lines())
            .filter(|l| l.contains(needle))
            .map(str::to_string)
            .collect()
    };
    let current = line_of(&screen, "✓ current");
    assert!(
        current[0].contains("a.gvmi") && current[0].contains(&hash_a),
        "{screen}"
    );
    assert!(
        line_of(&screen, "≠ stale")[0].contains("b.gvmi"),
        "{screen}"
    );
    assert!(
        line_of(&screen, "not published")[0].contains("c.gvmi"),
        "{screen}"
    );
    for remote in line_of(&screen, "☁ remote") {
        assert!(
            remote.contains("s3://imgs/v1"),
            "marked by its bucket: {remote}"
        );
    }
    let remote_a = line_of(&screen, "☁ remote").remove(0);
    assert!(
        remote_a.contains("a.gvmi") && remote_a.contains(&hash_a),
        "{screen}"
    );

    // The remote a.gvmi sorts right after the local one: r hashes its bytes.
    s.keys("j");
    s.keys("r");
    s.wait_for("its bytes hashed and matching", |t| {
        t.contains("✓ verified")
    });
    // c: the snippet for its public URL and hash.
    s.keys("c");
    let payloads = wait_osc52(&s);
    let snippet = payloads.last().expect("the snippet was copied (OSC 52)");
    assert!(snippet.contains(&format!("{public}a.gvmi")), "{snippet}");
    assert!(snippet.contains(&hash_a), "{snippet}");
    // p on a remote row says why not, and publishes nothing.
    s.keys("p");
    s.wait_for("p refused on a remote row", |t| {
        t.contains("is a remote object")
    });
    s.quit();
}
