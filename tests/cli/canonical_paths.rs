//! A path as typed (`../x`, a symbolic link to the folder) names the same
//! image as its canonical spelling: the hash cache and the publish records
//! find it either way, keyed on the canonical path, while output keeps
//! what was typed.

#![cfg(unix)]

use crate::support::http_server::{Route, Server};
use crate::support::{counts, settle, Sandbox};

/// Hashed once through `images/../images/`, then found in the cache
/// through a link to the folder and through the plain path.
#[test]
fn the_cache_finds_an_image_however_its_folder_was_spelled() {
    let s = Sandbox::new();
    s.image("a.gvmi", 5000, 7);
    std::os::unix::fs::symlink(s.images(), s.dir.path().join("linked")).unwrap();
    settle();
    let home = s.dir.path();
    let hash = |path: &str| s.gvmi().cwd(home).args(["hash", "-v", path]).run();
    let cold = hash("images/../images/a.gvmi");
    cold.assert_code(0);
    assert_eq!(counts(&cold.stderr()), (0, 1), "{}", cold.stderr());
    for path in [
        "linked/a.gvmi",
        "images/a.gvmi",
        "./linked/../linked/a.gvmi",
    ] {
        let warm = hash(path);
        warm.assert_code(0);
        assert_eq!(counts(&warm.stderr()), (1, 0), "{path}: {}", warm.stderr());
        // The line names the image as typed.
        assert!(
            warm.stdout().ends_with(&format!("  {path}\n")),
            "{}",
            warm.stdout()
        );
    }
}

/// Published as `src/../src/app.gvmi`: the record is keyed on the canonical
/// path (no `..`), and `snippet` through a link to the folder finds it.
#[test]
fn a_publish_record_is_keyed_on_the_canonical_path() {
    let s = Sandbox::new();
    let home = s.dir.path();
    let image = s.image("app.gvmi", 3000, 9);
    let bytes = std::fs::read(&image).unwrap();
    std::os::unix::fs::symlink(s.images(), home.join("linked")).unwrap();
    let server = Server::start(vec![("/pub/app.gvmi", Route::Bytes(bytes))]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let web = home.join("web");
    std::fs::create_dir(&web).unwrap();
    let to = format!("file://{}", web.display());
    let in_home = |args: &[&str]| {
        s.gvmi()
            .cwd(home)
            .env("XDG_STATE_HOME", home.join("state"))
            .args(args)
            .run()
    };
    let out = in_home(&[
        "publish",
        "--allow-invalid",
        "images/../images/app.gvmi",
        "--to",
        &to,
        "--public-base-url",
        &base,
    ]);
    out.assert_code(0);
    let state = std::fs::read_to_string(home.join("state/gvmi/published.v1.json")).unwrap();
    let canonical = std::fs::canonicalize(&image).unwrap();
    assert!(
        state.contains(&format!("{:?}", canonical.to_str().unwrap())),
        "{state}"
    );
    assert!(!state.contains(".."), "{state}");
    let snippet = in_home(&["snippet", "--allow-invalid", "linked/app.gvmi"]);
    snippet.assert_code(0);
    let url = format!("{base}app.gvmi");
    assert!(snippet.stdout().contains(&url), "{}", snippet.stdout());
}

/// A `[[base_url]]` folder matches an image named through `..` or a link
/// to the folder, for `verify` as for `snippet`.
#[test]
fn a_config_folder_matches_however_the_image_was_spelled() {
    let s = Sandbox::new();
    let home = s.dir.path();
    let image = s.image("app.gvmi", 3000, 11);
    let bytes = std::fs::read(&image).unwrap();
    std::os::unix::fs::symlink(s.images(), home.join("linked")).unwrap();
    let server = Server::start(vec![("/pub/app.gvmi", Route::Bytes(bytes))]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let folder = std::fs::canonicalize(s.images()).unwrap();
    std::fs::create_dir_all(home.join("gvmi")).unwrap();
    let toml = format!("[[base_url]]\nfolder = {folder:?}\nurl = {base:?}\n");
    std::fs::write(home.join("gvmi/config.toml"), toml).unwrap();
    for path in ["images/../images/app.gvmi", "linked/app.gvmi"] {
        let verify = s.gvmi().cwd(home).args(["verify", path]).run();
        verify.assert_code(0);
        assert!(
            verify.stdout().contains(&format!("{base}app.gvmi")),
            "{path}: {}",
            verify.stdout()
        );
    }
}
