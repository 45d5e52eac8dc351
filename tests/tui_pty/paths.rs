//! A folder given as `imgs/../imgs` (or through a link): the workbench keys
//! its rows on the canonical path, so `S` writes a folder config.toml
//! accepts and every other spelling matches, and `b`'s saved URL is kept
//! under the same path.

use portable_pty::CommandBuilder;

use super::session::*;

#[test]
fn s_saves_the_canonical_folder_not_the_spelling_typed() {
    let dir = tempfile::tempdir().unwrap();
    let home = std::fs::canonicalize(dir.path()).unwrap();
    let mut s = with_a_base_url(&home, "imgs/../imgs");
    s.keys("S");
    s.wait_for("the config saved", |t| t.contains("Saved the base URL"));
    s.quit();
    let config = std::fs::read_to_string(home.join("gvmi/config.toml")).unwrap();
    let folder = home.join("imgs");
    assert!(
        config.contains(&format!("folder = {:?}", folder.to_str().unwrap())),
        "{config}"
    );
    let saved = std::fs::read_to_string(home.join("cache/gvmi/workbench-urls.v1.json")).unwrap();
    assert!(
        !config.contains("..") && !saved.contains(".."),
        "{config}\n{saved}"
    );
}

/// `S` reads config.toml as it is now, under its lock: what the user wrote
/// there since the workbench started (a comment, a key) survives.
#[test]
fn s_keeps_what_the_user_wrote_into_config_toml_since_start() {
    let dir = tempfile::tempdir().unwrap();
    let home = std::fs::canonicalize(dir.path()).unwrap();
    let mut s = with_a_base_url(&home, "imgs");
    let file = home.join("gvmi/config.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "# written by hand\ndefault_target = \"golem-js\"\n").unwrap();
    s.keys("S");
    s.wait_for("the config saved", |t| t.contains("Saved the base URL"));
    s.quit();
    let config = std::fs::read_to_string(&file).unwrap();
    assert!(config.starts_with("# written by hand\n"), "{config}");
    assert!(config.contains("default_target = \"golem-js\""), "{config}");
    assert!(config.contains("https://cdn.example.com/imgs/"), "{config}");
}

/// A workbench on `home/imgs` (one image), opened as `home/ARG`, with the
/// base URL `https://cdn.example.com/imgs/` set by `b`.
fn with_a_base_url(home: &std::path::Path, arg: &str) -> Session {
    std::fs::create_dir(home.join("imgs")).unwrap();
    std::fs::write(home.join("imgs/kept.gvmi"), noise(2_000, 41)).unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gvmi"));
    cmd.arg(home.join(arg));
    isolate(&mut cmd, home);
    let mut s = Session::spawn(cmd);
    s.wait_for("the row", |t| t.contains("kept.gvmi"));
    s.keys("b");
    s.wait_for("the editor", |t| t.contains("Esc cancels"));
    s.keys("https://cdn.example.com/imgs/\r");
    s.wait_for("the base URL set", |t| t.contains("Base URL set"));
    s
}
