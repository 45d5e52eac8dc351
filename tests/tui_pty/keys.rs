//! Keys in the real terminal: Esc closes and never quits, q exits 0, URLs
//! set with `e` survive a restart, a huge paste does not stall input.

use std::thread;
use std::time::{Duration, Instant};

use super::session::*;

fn still_running(s: &mut Session) -> bool {
    s.child.try_wait().unwrap().is_none()
}

#[test]
fn esc_closes_filter_help_and_editor_but_never_quits_and_q_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("alpha.gvmi"), noise(2_000, 31)).unwrap();
    std::fs::write(dir.path().join("beta.gvmi"), noise(2_000, 32)).unwrap();
    let mut s = Session::start(dir.path(), None);
    s.wait_for("both rows", |t| {
        t.contains("alpha.gvmi") && t.contains("beta.gvmi")
    });
    s.keys("/alp\r");
    s.wait_for("the kept filter", |t| {
        t.contains("filter: alp") && !t.contains("beta.gvmi")
    });
    s.keys("\x1b");
    s.wait_for("the filter cleared", |t| {
        !t.contains("filter:") && t.contains("beta.gvmi")
    });
    assert!(still_running(&mut s), "Esc with a kept filter quit gvmi");
    s.keys("?");
    s.wait_for("the help", |t| t.contains("never quits"));
    s.keys("\x1b");
    s.wait_for("the help closed", |t| !t.contains("never quits"));
    assert!(still_running(&mut s), "Esc on the help quit gvmi");
    s.keys("e");
    s.wait_for("the editor", |t| t.contains("Esc cancels"));
    s.keys("\x1b");
    s.wait_for("the editor closed", |t| !t.contains("Esc cancels"));
    s.keys("\x1b");
    s.wait_for("the hint", |t| t.contains("Nothing to close. q quits."));
    thread::sleep(Duration::from_millis(300));
    assert!(still_running(&mut s), "Esc with nothing open quit gvmi");
    s.quit(); // asserts exit status 0
}

#[test]
fn a_url_set_with_e_is_there_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kept.gvmi"), noise(2_000, 33)).unwrap();
    let mut s = Session::start(dir.path(), None);
    s.wait_for("the row", |t| t.contains("kept.gvmi"));
    // Each step waits for what it leads to, never for a time: under load a
    // fixed pause is too short. Quitting at once after the URL is set is
    // the point: gvmi writes it before it exits.
    s.keys("e");
    s.wait_for("the editor", |t| t.contains("Esc cancels"));
    s.keys("https://cdn.example.com/kept.gvmi\r\r");
    s.wait_for("the URL in the details", |t| {
        t.contains("URL      https://cdn.example.com/kept.gvmi")
    });
    s.quit();
    let saved = dir.path().join("cache/gvmi/workbench-urls.v1.json");
    let text = std::fs::read_to_string(&saved).expect("the saved URLs file");
    assert!(text.contains("https://cdn.example.com/kept.gvmi"), "{text}");

    let mut s = Session::start(dir.path(), None);
    s.wait_for("the row", |t| t.contains("kept.gvmi"));
    s.keys("\r");
    s.wait_for("the URL from last time", |t| {
        t.contains("URL      https://cdn.example.com/kept.gvmi")
    });
    s.quit();
}

/// 200 KB pasted into the URL editor: refused at once with a message, and
/// the next key is answered without waiting for another.
#[test]
fn a_huge_paste_into_the_url_editor_does_not_stall_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.gvmi"), noise(2_000, 34)).unwrap();
    let mut s = Session::start(dir.path(), None);
    s.wait_for("the row", |t| t.contains("p.gvmi"));
    s.keys("e");
    s.wait_for("the editor", |t| t.contains("Esc cancels"));
    let started = Instant::now();
    let paste = format!("\x1b[200~{}\x1b[201~", "x".repeat(200 * 1024));
    s.keys(&paste);
    s.wait_for("the refusal", |t| t.contains("refused"));
    s.keys("h");
    s.wait_for("the next key", |t| t.contains("URL: h"));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    s.keys("\x1b");
    s.quit();
}
