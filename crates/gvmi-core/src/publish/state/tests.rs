use super::*;

fn candidate(url: &str, hash: char, proof: Proof) -> Candidate {
    Candidate {
        image: PathBuf::from("/img/a.gvmi"),
        url: url.into(),
        sha3_224: hash.to_string().repeat(56),
        size: 1,
        proof,
    }
}

fn url_after(old: Option<(&str, bool)>, new: &Candidate) -> (String, bool) {
    let mut images = BTreeMap::new();
    if let Some((url, public)) = old {
        let record = Record {
            url: url.into(),
            sha3_224: "0".repeat(56),
            size: 1,
            public,
        };
        images.insert("/img/a.gvmi".to_string(), record);
    }
    merge(&mut images, "/img/a.gvmi".into(), new);
    let r = &images["/img/a.gvmi"];
    (r.url.clone(), r.public)
}

#[test]
fn a_remembered_url_is_replaced_only_by_one_proven_public() {
    let good = Some(("https://good/a.gvmi", true));
    let public = candidate("https://new/a.gvmi", 'a', Proof::Public);
    let unchecked = candidate("file:///www/a.gvmi", 'a', Proof::Unchecked);
    let broken = candidate("https://broken/a.gvmi", 'a', Proof::NotPublic);
    assert_eq!(
        url_after(good, &public),
        ("https://new/a.gvmi".into(), true)
    );
    assert_eq!(
        url_after(good, &unchecked),
        ("https://good/a.gvmi".into(), true)
    );
    assert_eq!(
        url_after(good, &broken),
        ("https://good/a.gvmi".into(), true)
    );
    // Nothing proven to lose: the unchecked URL is better than none.
    let unproven = Some(("file:///old/a.gvmi", false));
    assert_eq!(
        url_after(unproven, &unchecked),
        ("file:///www/a.gvmi".into(), false)
    );
    assert_eq!(
        url_after(None, &unchecked),
        ("file:///www/a.gvmi".into(), false)
    );
    assert_eq!(
        url_after(unproven, &broken),
        ("file:///old/a.gvmi".into(), false)
    );
    // The same URL, new bytes: the record follows, keeping its proof
    // unless the check failed.
    let same = candidate("https://good/a.gvmi", 'b', Proof::Unchecked);
    assert_eq!(url_after(good, &same), ("https://good/a.gvmi".into(), true));
    let same_broken = candidate("https://good/a.gvmi", 'b', Proof::NotPublic);
    assert_eq!(
        url_after(good, &same_broken),
        ("https://good/a.gvmi".into(), false)
    );
}

#[test]
fn a_url_now_serving_other_bytes_is_forgotten_for_the_image_it_served() {
    let mut images = BTreeMap::new();
    let other = Record {
        url: "https://b/x.gvmi".into(),
        sha3_224: "0".repeat(56),
        size: 1,
        public: true,
    };
    images.insert("/B/x.gvmi".to_string(), other);
    let c = candidate("https://b/x.gvmi", 'a', Proof::Public);
    merge(&mut images, "/img/a.gvmi".into(), &c);
    let notes = forget_replaced(&mut images, "/img/a.gvmi", &c);
    assert_eq!(images.keys().collect::<Vec<_>>(), ["/img/a.gvmi"]);
    assert!(
        notes[0].starts_with("/B/x.gvmi: forgot its URL"),
        "{notes:?}"
    );
}

#[test]
fn unreadable_state_is_set_aside_and_a_newer_one_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(FILE_NAME);
    std::fs::write(&file, b"{ not json").unwrap();
    let c = candidate("https://new/a.gvmi", 'a', Proof::Public);
    let notes = remember_in(&file, std::slice::from_ref(&c)).unwrap();
    assert!(notes[0].contains("kept as"), "{notes:?}");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".unreadable-"))
        .collect();
    assert_eq!(std::fs::read(aside[0].path()).unwrap(), b"{ not json");
    assert_eq!(load_from(&file).images.len(), 1);

    let newer = br#"{"version": 2, "images": {}, "more": 1}"#;
    std::fs::write(&file, newer).unwrap();
    let e = remember_in(&file, &[c]).unwrap_err();
    assert!(e.to_string().contains("newer gvmi (version 2"), "{e}");
    assert_eq!(std::fs::read(&file).unwrap(), newer);
    assert!(load_from(&file).problem().unwrap().contains("not used"));
}
