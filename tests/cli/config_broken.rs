//! A broken config.toml, by the one rule (`commands::config_file`): a
//! command that takes something from it this run stops (exit 2) naming the
//! file, the line and the column, the parser's words a line each (never a
//! literal `\n`) and the line itself; one that can do without it warns once
//! and goes on; `hash` never reads it.

use crate::support::http_server::{Route, Server};
use crate::support::{fixture, gvmi_in, run, tempdir};

const BROKEN: &str = "default_target = \"yapapi\"\n\nbad = = 1\n";

#[test]
fn a_broken_config_stops_only_the_runs_that_need_it_and_reads_plainly() {
    let home = tempdir();
    let file = home.path().join("gvmi/config.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, BROKEN).unwrap();
    let image = fixture("self-test.gvmi");
    let image = image.to_str().unwrap();
    let server = Server::start(vec![(
        "/self-test.gvmi",
        Route::Bytes(std::fs::read(image).unwrap()),
    )]);
    let url = server.url("/self-test.gvmi");
    let web = tempdir();
    let to = format!("file://{}", web.path().display());
    let gvmi = |args: &[&str]| run(gvmi_in(home.path()).args(args));
    let named = format!("{}:3:7: invalid string", file.display());
    let readable = |err: &str| {
        assert!(!err.contains("\\n"), "{err}");
        assert!(err.contains("\n  expected `\"`, `'`\n"), "{err}");
        assert!(err.contains("\n  3 | bad = = 1\n    |       ^\n"), "{err}");
    };

    // Needed this run: exit 2, named, nothing else done.
    for args in [
        &["verify", "--quiet", image][..],
        &["snippet", image],
        &["publish", image, "--to", &to, "--target", "yapapi"],
    ] {
        let (code, out, err) = gvmi(args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("gvmi: {named}\n")),
            "{args:?}: {err}"
        );
        readable(&err);
    }
    assert_eq!(std::fs::read_dir(web.path()).unwrap().count(), 0);

    // Not needed this run: warned once, and the run goes on.
    for args in [
        &["verify", "--quiet", image, "--url", &url][..],
        &["publish", image, "--to", &to, "--dry-run"],
    ] {
        let (code, _, err) = gvmi(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("gvmi: warning: {named}\n")),
            "{args:?}: {err}"
        );
        assert_eq!(err.matches("invalid string").count(), 1, "{err}");
        assert!(
            err.contains("(not needed here: going on without config.toml)"),
            "{err}"
        );
        readable(&err);
    }

    // Nothing in config.toml is hash's: not read.
    let (code, _, err) = gvmi(&["hash", image]);
    assert_eq!((code, err.as_str()), (0, ""));
}
