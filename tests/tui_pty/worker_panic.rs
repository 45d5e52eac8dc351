//! A panic on a worker thread never leaves a running workbench on a
//! restored terminal: caught, it is the row's error and the screen stays
//! raw; uncaught, the program ends with the terminal restored. The panics
//! are forced with `GVMI_TEST_PANIC` (honoured by debug builds only).

use std::path::Path;

use crate::session::*;

/// gvmi on a folder whose image has a URL (never contacted: the verify
/// thread panics first), with `GVMI_TEST_PANIC=point`.
fn start(dir: &Path, point: &str) -> Session {
    std::fs::write(dir.join("boom.gvmi"), noise(3_000, 7)).unwrap();
    let config = dir.join("gvmi");
    std::fs::create_dir_all(&config).unwrap();
    let toml = format!(
        "[[base_url]]\nfolder = {:?}\nurl = \"http://127.0.0.1:9/\"\n",
        dir.to_str().unwrap()
    );
    std::fs::write(config.join("config.toml"), toml).unwrap();
    let mut cmd = gvmi_command(dir);
    cmd.env("GVMI_TEST_PANIC", point);
    let mut s = Session::spawn(cmd);
    s.wait_for("the table", |t| {
        t.contains("boom.gvmi") && t.contains("hashed")
    });
    s.keys("V");
    s
}

#[cfg(unix)]
#[test]
fn a_verify_thread_panic_is_a_row_error_and_the_terminal_stays_raw() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path(), "verify");
    s.wait_for("the row's error", |t| t.contains("✗ bug"));
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "gvmi must keep running"
    );
    assert!(
        !s.cooked(),
        "the terminal was restored under a running gvmi"
    );
    assert!(
        s.screen().screen().alternate_screen(),
        "the full screen was left"
    );
    let text = s.screen().screen().contents();
    assert!(
        !text.contains("panicked at"),
        "the panic message drew over the table:\n{text}"
    );
    s.quit();
    assert!(s.cooked(), "raw mode left on after q");
}

#[cfg(unix)]
#[test]
fn an_uncaught_worker_panic_ends_gvmi_with_the_terminal_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path(), "verify-uncaught");
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 101, "{status:?}");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(s.cooked(), "raw mode left on after the panic");
    assert!(
        !s.screen().screen().alternate_screen(),
        "alternate screen left on"
    );
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(
        raw.contains("forced by GVMI_TEST_PANIC=verify-uncaught"),
        "{raw}"
    );
}
