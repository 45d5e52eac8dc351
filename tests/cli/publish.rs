//! `gvmi publish --to file:///DIR`: a web root filled atomically, reruns
//! free, a changed image replaced; and the URL it remembers, which
//! `gvmi snippet` and `gvmi verify` then use (and warn about once the
//! image changed). The S3 side runs against a real S3 server in
//! tests/external/publish_s3.rs.

use std::fs;
use std::path::Path;

use crate::support::http_server::{Route, Server};
use crate::support::{gvmi, put, python_sha3_224, tempdir, write_prng_file, Output};

/// `gvmi publish ARGS` with its own state and cache folders under `home`.
/// The images here are made-up bytes, so `--allow-invalid` (the refusal
/// has its own test).
pub(crate) fn publish(home: &Path, args: &[&str]) -> Output {
    let mut run = gvmi(["publish", "--allow-invalid"].iter().chain(args))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("HOME", home);
    run = run.env("XDG_CONFIG_HOME", home.join("config"));
    run.run()
}

fn in_home(home: &Path, cmd: &[&str]) -> Output {
    gvmi(cmd)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .run()
}

pub(crate) fn file_url(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

/// Every name in `dir`, recursively, relative to it.
pub(crate) fn names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walk(dir) {
        out.push(e.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The status words of the line for `name` (`<hash>  <url>  <words>`).
fn status_of(out: &Output, name: &str) -> String {
    let line = out
        .stdout_lines()
        .into_iter()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no line for {name} in {}", out.stdout()));
    line.splitn(3, "  ").nth(2).unwrap().to_string()
}

#[test]
fn a_folder_is_copied_atomically_with_sidecars_and_reruns_copy_only_what_changed() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    put(src.path(), "a b.gvmi", b"image one\n");
    put(src.path(), "sub/nested.gvmi", b"image two\n");
    write_prng_file(&src.path().join("big.gvmi"), 9 << 20, 7);
    let to = file_url(web.path());
    let out = publish(home.path(), &[src.path().to_str().unwrap(), "--to", &to]);
    out.assert_code(0);
    for name in ["a b.gvmi", "sub/nested.gvmi", "big.gvmi"] {
        let copy = web.path().join(name);
        assert_eq!(
            fs::read(&copy).unwrap(),
            fs::read(src.path().join(name)).unwrap()
        );
        let hash = python_sha3_224(&copy);
        let sidecar = fs::read_to_string(web.path().join(format!("{name}.sha3-224"))).unwrap();
        assert!(sidecar.starts_with(&format!("{hash}  ")), "{sidecar}");
        assert!(out.stdout().contains(&hash), "{}", out.stdout());
        assert_eq!(
            status_of(&out, &name.replace(' ', "%20")),
            "uploaded, not checked"
        );
    }
    // Nothing but the images and their sidecars: no temp file left.
    assert_eq!(
        names(web.path()),
        [
            "a b.gvmi",
            "a b.gvmi.sha3-224",
            "big.gvmi",
            "big.gvmi.sha3-224",
            "sub/nested.gvmi",
            "sub/nested.gvmi.sha3-224"
        ]
    );
    let big_copy = web.path().join("big.gvmi");
    let before = fs::metadata(&big_copy).unwrap().modified().unwrap();

    let again = publish(home.path(), &[src.path().to_str().unwrap(), "--to", &to]);
    again.assert_code(0);
    assert!(again
        .stdout_lines()
        .iter()
        .all(|l| l.ends_with("skipped (already there), not checked")));

    put(src.path(), "sub/nested.gvmi", b"image three\n");
    let third = publish(home.path(), &[src.path().to_str().unwrap(), "--to", &to]);
    third.assert_code(0);
    assert_eq!(status_of(&third, "nested.gvmi"), "uploaded, not checked");
    assert_eq!(
        status_of(&third, "big.gvmi"),
        "skipped (already there), not checked"
    );
    assert_eq!(
        fs::read(web.path().join("sub/nested.gvmi")).unwrap(),
        b"image three\n"
    );
    assert_eq!(fs::metadata(&big_copy).unwrap().modified().unwrap(), before);
}

#[test]
fn dry_run_says_what_would_be_copied_and_copies_nothing() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    put(src.path(), "one.gvmi", b"image one\n");
    let to = file_url(web.path());
    let out = publish(
        home.path(),
        &[src.path().to_str().unwrap(), "--to", &to, "--dry-run"],
    );
    out.assert_code(0);
    assert_eq!(status_of(&out, "one.gvmi"), "would upload");
    assert!(names(web.path()).is_empty());
    // Not a gvmi image: said before anything is uploaded.
    assert!(
        out.stderr()
            .contains("one.gvmi: warning: not a valid gvmi image")
            && out.stderr().contains("providers will refuse it"),
        "{}",
        out.stderr()
    );
}

#[test]
fn content_addressed_keys_carry_the_hash() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let hash = python_sha3_224(&image);
    let to = file_url(web.path());
    publish(
        home.path(),
        &[
            src.path().to_str().unwrap(),
            "--to",
            &to,
            "--content-addressed",
        ],
    )
    .assert_code(0);
    assert!(web
        .path()
        .join(format!("app-{}.gvmi", &hash[..12]))
        .is_file());
}

#[test]
fn the_published_url_is_proven_then_used_by_snippet_and_verify_which_warn_after_a_change() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let hash = python_sha3_224(&image);
    // The web server serving the folder, as a provider will fetch it.
    let server = Server::start(vec![(
        "/pub/app.gvmi",
        Route::Bytes(b"image one\n".to_vec()),
    )]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let to = file_url(web.path());
    let img = image.to_str().unwrap();
    let out = publish(home.path(), &[img, "--to", &to, "--public-base-url", &base]);
    out.assert_code(0);
    let url = format!("{base}app.gvmi");
    assert_eq!(out.stdout(), format!("{hash}  {url}  uploaded, public\n"));

    let snippet = in_home(home.path(), &["snippet", img, "--allow-invalid"]);
    snippet.assert_code(0);
    assert!(snippet.stdout().contains(&url), "{}", snippet.stdout());
    let verify = in_home(home.path(), &["verify", img]);
    verify.assert_code(0);
    assert!(verify.stdout().contains(&url), "{}", verify.stdout());

    put(src.path(), "app.gvmi", b"image two\n");
    let snippet = in_home(home.path(), &["snippet", img, "--allow-invalid"]);
    snippet.assert_code(0);
    assert!(
        snippet.stderr().contains("changed since it was published"),
        "{}",
        snippet.stderr()
    );
    let verify = in_home(home.path(), &["verify", img]);
    assert_ne!(verify.code, Some(0));
    assert!(
        verify.stderr().contains("changed since it was published"),
        "{}",
        verify.stderr()
    );
}

#[test]
fn a_folder_without_a_public_url_that_answers_is_reported_not_public() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let server = Server::start(vec![("/other", Route::Status(404))]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let to = file_url(web.path());
    let out = publish(
        home.path(),
        &[
            image.to_str().unwrap(),
            "--to",
            &to,
            "--public-base-url",
            &base,
        ],
    );
    out.assert_code(4);
    assert!(
        out.stdout().ends_with("uploaded, NOT PUBLIC\n"),
        "{}",
        out.stdout()
    );
    assert!(out.stderr().contains("404"), "{}", out.stderr());
    assert!(
        out.stderr().contains("the web server does not serve"),
        "{}",
        out.stderr()
    );
}

#[test]
fn bad_destinations_and_plain_http_endpoints_are_refused_before_any_upload() {
    let home = tempdir();
    let src = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    let img = image.to_str().unwrap();
    let out = publish(home.path(), &[img, "--to", "ftp://host/x"]);
    out.assert_code(2);
    assert!(
        out.stderr().contains("unsupported destination"),
        "{}",
        out.stderr()
    );
    // Keys set, so only the endpoint rules can refuse.
    let with_keys = |endpoint: &str, extra: &[&str]| {
        gvmi(["publish", img, "--to", "s3://bkt", "--endpoint", endpoint])
            .args(extra)
            .env("HOME", home.path())
            .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
            .env("AWS_SECRET_ACCESS_KEY", "s3cr3tKEYvalue")
            .run()
    };
    let out = with_keys(
        "http://s3.example.com",
        &["--public-base-url", "https://cdn.example.com/"],
    );
    out.assert_code(2);
    assert!(out.stderr().contains("--allow-http"), "{}", out.stderr());
    let out = with_keys("https://s3.example.com", &[]);
    out.assert_code(2);
    assert!(
        out.stderr().contains("--public-base-url"),
        "{}",
        out.stderr()
    );
    assert!(!out.stderr().contains("s3cr3tKEYvalue"));
}

#[test]
fn target_prints_the_snippet_for_the_published_url() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    let image = src.path().join("self-test.gvmi");
    fs::copy(crate::support::fixture("self-test.gvmi"), &image).unwrap();
    let bytes = fs::read(&image).unwrap();
    let server = Server::start(vec![("/pub/self-test.gvmi", Route::Bytes(bytes))]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let to = file_url(web.path());
    let img = image.to_str().unwrap();
    let args = [
        img,
        "--to",
        &to,
        "--public-base-url",
        &base,
        "--target",
        "golem-js",
    ];
    let out = publish(home.path(), &args);
    out.assert_code(0);
    let hash = python_sha3_224(&image);
    let url = format!("{base}self-test.gvmi");
    let stdout = out.stdout();
    assert!(
        stdout.starts_with(&format!("{hash}  {url}  uploaded, public\n")),
        "{stdout}"
    );
    // golem-js's form, with the published URL and hash filled in.
    assert!(
        stdout.contains(&format!("imageUrl: \"{url}\",")),
        "{stdout}"
    );
    assert!(stdout.contains(&hash[..16]), "{stdout}");
}

#[test]
fn verify_full_downloads_and_hashes_where_head_sees_only_the_size() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    // A stale copy of the same length: HEAD cannot tell, the bytes can.
    let server = Server::start(vec![(
        "/pub/app.gvmi",
        Route::Bytes(b"image two\n".to_vec()),
    )]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let to = file_url(web.path());
    let img = image.to_str().unwrap();
    let head = publish(home.path(), &[img, "--to", &to, "--public-base-url", &base]);
    head.assert_code(0);
    let full = [
        img,
        "--to",
        &to,
        "--public-base-url",
        &base,
        "--verify",
        "full",
    ];
    let out = publish(home.path(), &full);
    out.assert_code(4);
    assert!(
        out.stdout()
            .ends_with("skipped (already there), NOT PUBLIC\n"),
        "{}",
        out.stdout()
    );
    assert!(
        out.stderr().to_lowercase().contains("hash"),
        "{}",
        out.stderr()
    );
}

#[test]
fn an_invalid_image_or_a_linked_non_image_is_refused_unless_allowed_and_the_rest_go_on() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    fs::copy(
        crate::support::fixture("self-test.gvmi"),
        src.path().join("good.gvmi"),
    )
    .unwrap();
    put(src.path(), "broken.gvmi", b"image one\n");
    // `-L` (or a link named on the command line) reaching a file that is no
    // image at all, as /etc/shadow was: refused for the same reason.
    let secret = put(
        home.path(),
        "secret",
        b"root:$6$salt$hash:19000:0:99999:7:::\n",
    );
    std::os::unix::fs::symlink(&secret, src.path().join("shadow.gvmi")).unwrap();
    let to = file_url(web.path());
    let dir = src.path().to_str().unwrap();
    let strict = |extra: &[&str]| {
        gvmi(["publish", dir, "--to", &to, "-L"].iter().chain(extra))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("HOME", home.path())
            .run()
    };
    for extra in [&[][..], &["--dry-run"]] {
        let out = strict(extra);
        out.assert_code(1);
        for name in ["broken.gvmi", "shadow.gvmi"] {
            let line = out
                .stderr_lines()
                .into_iter()
                .find(|l| l.contains(name))
                .unwrap_or_else(|| panic!("{name} not named: {}", out.stderr()));
            assert!(
                line.contains(": not a valid gvmi image: ")
                    && line.contains("providers will refuse it")
                    && line.contains("--allow-invalid publishes it anyway"),
                "{line}"
            );
            assert!(!out.stdout().contains(name), "{}", out.stdout());
        }
        // The valid image goes on.
        assert!(out.stdout().contains("good.gvmi"), "{}", out.stdout());
    }
    // Nothing of the refused ones reached the web root.
    assert_eq!(names(web.path()), ["good.gvmi", "good.gvmi.sha3-224"]);
    // Told to, both go with a warning, and the run succeeds.
    let out = strict(&["--allow-invalid"]);
    out.assert_code(0);
    assert!(
        out.stderr()
            .contains("broken.gvmi: warning: not a valid gvmi image"),
        "{}",
        out.stderr()
    );
    assert!(web.path().join("broken.gvmi").is_file());
    assert!(web.path().join("shadow.gvmi").is_file());
}

#[test]
fn publish_help_says_how_the_workbench_publishes_and_its_example_parses() {
    let out = gvmi(["publish", "--help"]).run();
    out.assert_code(0);
    let help = out.stdout();
    assert!(help.contains("~/.config/gvmi/config.toml"), "{help}");
    let start = help.find("  [[publish]]\n").expect("a [[publish]] example");
    let example: String = help[start..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    let config = gvmi_core::config::Config::parse(&example, Path::new("config.toml")).unwrap();
    let to = config.publish_for(Path::new("/home/me/images/a.gvmi"));
    assert_eq!(
        to.map(|t| t.spec.to.as_str()),
        Some("s3://my-bucket/images")
    );
}

#[test]
fn a_url_refusing_only_head_is_not_called_private_and_says_who_would_download_it() {
    let home = tempdir();
    let src = tempdir();
    let web = tempdir();
    let image = put(src.path(), "app.gvmi", b"image one\n");
    // 403 to HEAD, 200 to GET: moto with a GetObject-only policy, some CDNs.
    let server = Server::start(vec![(
        "/pub/app.gvmi",
        Route::HeadStatus(403, b"image one\n".to_vec()),
    )]);
    let base = format!("http://127.0.0.1:{}/pub/", server.port);
    let to = file_url(web.path());
    let img = image.to_str().unwrap();
    for how in ["head", "full"] {
        let args = [
            img,
            "--to",
            &to,
            "--public-base-url",
            &base,
            "--verify",
            how,
        ];
        let out = publish(home.path(), &args);
        out.assert_code(4);
        let err = out.stderr();
        assert!(
            err.contains(
                "providers (GET) would download it; yapapi and golem-core (HEAD) would refuse it"
            ),
            "{how}: {err}"
        );
        assert!(
            err.contains("allow HEAD wherever GET is allowed"),
            "{how}: {err}"
        );
        assert!(!err.contains("private"), "{how}: {err}");
    }
}
