use super::*;

#[test]
fn s3_and_file_destinations_parse() {
    assert_eq!(
        Dest::parse("s3://my-bucket/images/v1/").unwrap(),
        Dest::S3 {
            bucket: "my-bucket".into(),
            prefix: "images/v1".into()
        }
    );
    assert_eq!(
        Dest::parse("file:///srv/www").unwrap(),
        Dest::Dir(PathBuf::from("/srv/www"))
    );
    assert!(Dest::parse("s3://Bad_Bucket").is_err());
    assert!(Dest::parse("ftp://x/y").is_err());
    assert!(Dest::parse("file://host/srv").is_err());
}

#[test]
fn file_destinations_are_local_and_absolute_only() {
    let dir = |t: &str| {
        Dest::parse(t).map(|d| match d {
            Dest::Dir(p) => p,
            other => panic!("{other:?}"),
        })
    };
    for ok in [
        "file:///srv/www",
        "file://localhost/srv/www",
        "FILE:///srv/www",
        "file:/srv/www",
    ] {
        assert_eq!(dir(ok).unwrap(), Path::new("/srv/www"), "{ok}");
    }
    assert_eq!(
        dir("file:///srv/my%20www").unwrap(),
        Path::new("/srv/my www")
    );
    let host = dir("file://tmp/x").unwrap_err().to_string();
    assert!(
        host.contains("`tmp` is a host name") && host.contains("file:///tmp/x"),
        "{host}"
    );
    let rel = dir("file:www/rel").unwrap_err().to_string();
    assert!(rel.contains("must be absolute, not www/rel"), "{rel}");
    assert!(rel.contains("/www/rel)"), "{rel}");
    for bad in [
        "file:",
        "file://",
        "file:///srv?x",
        "file:///srv#x",
        "file:///a%00b",
    ] {
        assert!(dir(bad).is_err(), "{bad}");
    }
    let bare = Dest::parse("/srv/www").unwrap_err().to_string();
    assert!(bare.contains("file:///srv/www"), "{bare}");
}

#[test]
fn keys_keep_the_path_below_the_folder_and_can_carry_the_hash() {
    let root = Path::new("/imgs");
    let image = Path::new("/imgs/sub/a b.gvmi");
    assert_eq!(
        relative_key(image, root, None, false).unwrap(),
        "sub/a b.gvmi"
    );
    let d: Sha3Digest = "8edadf4a6ac6c7bd6d4bd1d4cdc5a5e4e8e2a1c9b8a7c6d5e4f3a2b1"
        .parse()
        .unwrap();
    assert_eq!(
        relative_key(image, root, Some(&d), true).unwrap(),
        "sub/a b-8edadf4a6ac6.gvmi"
    );
    assert_eq!(
        relative_key(
            Path::new("/x/one.gvmi"),
            Path::new("/x/one.gvmi"),
            None,
            false
        )
        .unwrap(),
        "one.gvmi"
    );
}

#[test]
fn a_key_used_by_two_files_is_a_collision_one_file_twice_is_not() {
    use crate::fsmeta::FileId;
    let stamp = |ino| FileStamp {
        size: 1,
        mtime: None,
        id: Some(FileId { dev: 1, ino }),
        ctime: None,
    };
    let (a, b, c) = (stamp(1), stamp(2), stamp(1));
    let s3 = Dest::parse("s3://bkt/p").unwrap();
    let images = [
        (Path::new("/A/x.gvmi"), Path::new("/A"), &a),
        (Path::new("/B/x.gvmi"), Path::new("/B"), &b),
        (Path::new("/C/x.gvmi"), Path::new("/C"), &c), // a hard link to /A/x.gvmi
    ];
    let found = collisions(&s3, images, false);
    assert_eq!(
        found,
        [Collision {
            key: "p/x.gvmi".into(),
            first: "/A/x.gvmi".into(),
            second: "/B/x.gvmi".into(),
            nested: false
        }]
    );
    assert_eq!(s3.describe(&found[0].key), "s3://bkt/p/x.gvmi");
    assert!(collisions(&s3, images, true).is_empty());
    let nested = [
        (Path::new("/A/x.gvmi"), Path::new("/A"), &a),
        (Path::new("/B/x.gvmi/y.gvmi"), Path::new("/B"), &b),
    ];
    assert!(
        collisions(&s3, nested, false).is_empty(),
        "S3 keys may nest"
    );
    let web = Dest::parse("file:///srv/www").unwrap();
    let found = collisions(&web, nested, false);
    assert_eq!(found.len(), 1);
    assert!(found[0].nested && found[0].key == "x.gvmi");
}

#[test]
fn public_urls_are_percent_encoded_under_the_base_or_aws() {
    let s3 = Dest::parse("s3://bkt/pre").unwrap();
    assert_eq!(
        public_url(&s3, None, "eu-west-1", "sub/a b.gvmi").unwrap(),
        "https://bkt.s3.eu-west-1.amazonaws.com/pre/sub/a%20b.gvmi"
    );
    assert_eq!(
        public_url(&s3, Some("https://cdn.example.com/x"), "", "a b.gvmi").unwrap(),
        "https://cdn.example.com/x/a%20b.gvmi"
    );
}
