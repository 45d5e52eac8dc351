//! An Xvfb server on a free display, for the X11 clipboard tests: the one
//! way tests start one.
//!
//! A display is free when no live process holds it. Xvfb leaves its lock
//! (`/tmp/.X<n>-lock`, holding its pid) and socket behind when killed hard,
//! and a CI run starts on a machine where earlier runs were killed, so a
//! lock whose process is gone is stale: it and its socket are removed and
//! the display reused. Servers started here are stopped with SIGTERM, so
//! they remove their own lock.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

pub struct Xvfb {
    child: Child,
    pub display: String,
}

fn lock(n: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X{n}-lock"))
}

fn socket(n: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X11-unix/X{n}"))
}

/// Whether a process with this pid runs (signal 0 only asks).
fn alive(pid: &str) -> bool {
    Command::new("kill")
        .args(["-0", pid])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// True when display `n` can be used, after clearing what a dead server
/// left behind.
fn free(n: u32) -> bool {
    match std::fs::read_to_string(lock(n)) {
        Ok(text) if alive(text.trim()) => false,
        Ok(_) => {
            let _ = std::fs::remove_file(lock(n));
            let _ = std::fs::remove_file(socket(n));
            true
        }
        Err(_) => !socket(n).exists(),
    }
}

/// A display number in `range` no server holds (no live lock, no socket),
/// for tests of a `DISPLAY` that does not answer: never a fixed number,
/// which the machine running the tests may well use.
pub fn unused_display(range: std::ops::Range<u32>) -> String {
    let n = range
        .clone()
        .find(|&n| free(n))
        .unwrap_or_else(|| panic!("every X display in {range:?} is in use"));
    format!(":{n}")
}

/// `127.0.0.1:N`, an X display over TCP nothing listens on (port
/// 6000 + N free a moment ago), for tests of a remote display that does
/// not answer.
pub fn unused_tcp_display() -> String {
    let n = (100..1000)
        .find(|n| std::net::TcpListener::bind(("127.0.0.1", 6000 + n)).is_ok())
        .expect("a free port from 6100");
    format!("127.0.0.1:{n}")
}

impl Xvfb {
    /// A server on the first free display in `range` (tests in one binary
    /// run in parallel: give each caller its own range).
    pub fn start(range: std::ops::Range<u32>) -> Xvfb {
        for n in range.clone() {
            if !free(n) {
                continue;
            }
            let display = format!(":{n}");
            let mut child = Command::new("Xvfb")
                .args([display.as_str(), "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if socket(n).exists() {
                    return Xvfb { child, display };
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break; // lost a race for this display: try the next
                }
                thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("no free X display in {range:?}");
    }

    /// Stops the server the way it cleans up after itself.
    pub fn stop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn socket_path(&self) -> PathBuf {
        socket(self.display[1..].parse().expect("display number"))
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        self.stop();
    }
}
