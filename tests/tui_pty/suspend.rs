//! Ctrl-Z and SIGTSTP suspend the workbench as vim and htop do: the
//! terminal goes back to the shell as it was, the process stops, and `fg`
//! returns to a working workbench, redrawn whole. Driven through a real
//! job-control shell (bash -i) in the pseudo-terminal, as a user would.

use std::thread;
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

use super::session::*;

/// The pid of the shell's one child (gvmi), once it runs.
#[cfg(target_os = "linux")]
fn child_of(shell: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"));
        if let Some(pid) = children
            .ok()
            .and_then(|c| c.split_whitespace().next()?.parse().ok())
        {
            return pid;
        }
        assert!(Instant::now() < deadline, "the shell started no gvmi");
        thread::sleep(Duration::from_millis(20));
    }
}

/// The process state letter (`T`: stopped) from /proc.
#[cfg(target_os = "linux")]
fn state_of(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // "pid (comm) S ...": the state follows the last ')'.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    after.trim_start().chars().next().unwrap_or('?')
}

/// Waits for bash to report the job stopped (the `n`th time), then checks
/// that everything gvmi turned on was turned off after `from`.
#[cfg(target_os = "linux")]
fn assert_suspended(s: &Session, gvmi: u32, from: usize, n: usize) {
    s.wait_for("the shell's Stopped", |t| t.matches("Stopped").count() >= n);
    assert_eq!(state_of(gvmi), 'T', "gvmi is not stopped");
    assert!(
        !s.screen().screen().alternate_screen(),
        "still on the alternate screen"
    );
    let restored = String::from_utf8_lossy(&s.raw_from(from)).into_owned();
    for (what, seq) in [
        ("mouse reporting", "\x1b[?1000l"),
        ("bracketed paste", "\x1b[?2004l"),
        ("the alternate screen", "\x1b[?1049l"),
        ("the hidden cursor", "\x1b[?25h"),
    ] {
        assert!(restored.contains(seq), "{what} not restored: {restored:?}");
    }
}

/// `fg`: the workbench is back in raw mode on a redrawn screen (entering
/// the alternate screen clears it: nothing shows unless all is redrawn),
/// and keys work.
#[cfg(target_os = "linux")]
fn assert_back(s: &mut Session, filter: &str, hidden: &str) {
    s.keys("fg\r");
    s.wait_for("the table redrawn", |t| {
        t.contains("alpha.gvmi") && t.contains("beta.gvmi") && t.contains("2 hashed")
    });
    assert!(s.screen().screen().alternate_screen());
    assert!(!s.cooked(), "raw mode not re-entered after fg");
    s.keys(&format!("/{filter}\r"));
    s.wait_for("the filter answered", |t| {
        t.contains(&format!("filter: {filter}")) && !t.contains(hidden)
    });
    s.keys("\x1b");
    s.wait_for("the filter cleared", |t| t.contains(hidden));
}

/// An interactive bash (job control on) in `dir`, which holds `alpha.gvmi`
/// and `beta.gvmi` (noise from `seed`); the session and the shell's pid,
/// at its prompt.
#[cfg(target_os = "linux")]
fn shell_in(dir: &std::path::Path, seed: u64) -> (Session, u32) {
    std::fs::write(dir.join("alpha.gvmi"), noise(2_000, seed)).unwrap();
    std::fs::write(dir.join("beta.gvmi"), noise(2_000, seed + 1)).unwrap();
    let mut cmd = CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    isolate(&mut cmd, dir);
    cmd.env("PS1", "shell$ ");
    cmd.cwd(dir);
    let s = Session::spawn(cmd);
    s.wait_for("the prompt", |t| t.contains("shell$"));
    let shell = s.child.process_id().expect("the shell's pid");
    (s, shell)
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_and_sigtstp_give_the_shell_its_terminal_and_fg_redraws_a_working_workbench() {
    if !have("bash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut s, shell) = shell_in(dir.path(), 51);
    s.keys(&format!("'{}' .\r", env!("CARGO_BIN_EXE_gvmi")));
    s.wait_for("the table", |t| t.contains("2 hashed"));
    let gvmi = child_of(shell);
    assert!(!s.cooked(), "the workbench should run in raw mode");

    // Ctrl-Z, a key in raw mode.
    let from = s.raw().len();
    s.send(b"\x1a");
    assert_suspended(&s, gvmi, from, 1);
    assert_back(&mut s, "alp", "beta.gvmi");

    // SIGTSTP from outside, as `kill -TSTP` sends it.
    let from = s.raw().len();
    // SAFETY: plain kill(2) on the gvmi this test started.
    assert_eq!(unsafe { libc::kill(gvmi as libc::pid_t, libc::SIGTSTP) }, 0);
    assert_suspended(&s, gvmi, from, 2);
    assert_back(&mut s, "bet", "alpha.gvmi");

    s.keys("q");
    s.keys("echo gvmi-exit=$?\r");
    s.wait_for("gvmi's exit status", |t| t.contains("gvmi-exit=0"));
    s.keys("exit\r");
    assert!(s.wait_exit().success());
}

/// Under a wrapper (a script, `sh -c`), Ctrl-Z stops the whole process group
/// as vim does: the shell sees its job stopped (a stop of gvmi alone would
/// leave the wrapper waiting and the shell hanging), and `fg` continues
/// both, back to a working workbench.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_under_a_wrapper_stops_the_whole_job() {
    if !have("bash") || !have("sh") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut s, shell) = shell_in(dir.path(), 53);
    // The `echo` keeps sh from exec'ing gvmi in its own place.
    s.keys(&format!(
        "sh -c \"'{}' .; echo wrapper-done=\\$?\"\r",
        env!("CARGO_BIN_EXE_gvmi")
    ));
    s.wait_for("the table", |t| t.contains("2 hashed"));
    let wrapper = child_of(shell);
    let gvmi = child_of(wrapper);

    let from = s.raw().len();
    s.send(b"\x1a");
    assert_suspended(&s, gvmi, from, 1);
    assert_eq!(state_of(wrapper), 'T', "the wrapper is not stopped");
    assert_back(&mut s, "alp", "beta.gvmi");

    s.keys("q");
    s.wait_for("the wrapper's end", |t| t.contains("wrapper-done=0"));
    s.keys("exit\r");
    assert!(s.wait_exit().success());
}
