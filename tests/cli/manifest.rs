//! `gvmi hash --write-sums`: one SHA3SUMS per folder, names relative to it,
//! accepted by `gvmi check` and Perl's `sha3sum -a 224 -c` from inside it.

use std::fs;

use crate::support::*;

#[test]
fn manifests_round_trip_through_gvmi_check_and_perl_sha3sum() {
    let s = Sandbox::new();
    s.image("plain.gvmi", 2000, 1);
    s.image("with space.gvmi", 2001, 2);
    s.image("new\nline.gvmi", 2002, 3);
    s.image("back\\slash.gvmi", 2003, 4);
    s.image("sub folder/deep.gvmi", 2004, 5);
    s.image("sub folder/copy of plain.gvmi", 2000, 1);
    fs::write(s.images().join("notes.txt"), "not an image").unwrap();
    let (code, _, err) = s.run(&["hash", "--write-sums", s.images().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let top = fs::read(s.images().join("SHA3SUMS")).unwrap();
    let top = String::from_utf8(top).unwrap();
    assert_eq!(top.lines().count(), 4, "{top}");
    assert!(
        !top.contains('/'),
        "names are relative to the folder: {top}"
    );
    assert!(
        top.contains("\\") && top.contains("new\\nline.gvmi"),
        "{top}"
    );
    let sub = s.images().join("sub folder");
    assert_eq!(
        fs::read_to_string(sub.join("SHA3SUMS"))
            .unwrap()
            .lines()
            .count(),
        2
    );

    let perl = have_tool("sha3sum");
    for folder in [s.images(), sub] {
        let (code, out, err) = s.run(&["check", folder.join("SHA3SUMS").to_str().unwrap()]);
        // gvmi check resolves names against the working folder, as sha3sum does.
        assert_ne!(
            code, 0,
            "run from elsewhere, names must not resolve: {out}{err}"
        );
        s.gvmi()
            .cwd(&folder)
            .args(["check", "SHA3SUMS"])
            .run()
            .assert_code(0);
        if !available(perl, "Perl sha3sum", &apt("libdigest-sha3-perl")) {
            continue;
        }
        let out = tool("sha3sum", ["-a", "224", "-c", "SHA3SUMS"])
            .cwd(&folder)
            .run();
        let stdout = out.assert_code(0).stdout();
        assert!(!stdout.contains("FAILED"), "{stdout}");
    }
}

#[test]
fn rewriting_keeps_other_listed_files_and_drops_vanished_ones() {
    let s = Sandbox::new();
    let a = s.image("a.gvmi", 100, 1);
    let b = s.image("b.gvmi", 100, 2);
    s.run(&["hash", "--write-sums", s.images().to_str().unwrap()]);
    // Only a.gvmi hashed this time: b.gvmi's line stays.
    fs::write(&a, content(100, 9)).unwrap();
    s.run(&["hash", "--write-sums", a.to_str().unwrap()]);
    let sums = fs::read_to_string(s.images().join("SHA3SUMS")).unwrap();
    assert!(sums.contains(&sha3(&a)) && sums.contains("b.gvmi"));
    fs::remove_file(&b).unwrap();
    let (_, _, err) = s.run(&["hash", "--write-sums", "--verbose", a.to_str().unwrap()]);
    let sums = fs::read_to_string(s.images().join("SHA3SUMS")).unwrap();
    assert_eq!(sums.lines().count(), 1, "{sums}");
    let wrote = format!("wrote {} (1 entry)", s.images().join("SHA3SUMS").display());
    assert!(err.contains(&wrote), "{err}");
    let leftovers: Vec<_> = fs::read_dir(s.images()).unwrap().flatten().collect();
    assert_eq!(leftovers.len(), 2, "no temp file left behind");
}
