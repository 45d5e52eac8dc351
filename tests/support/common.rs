//! Helpers shared by the integration tests: running gvmi in isolation,
//! external tools (required under CI=true), and a tiny HTTP server.
#![allow(dead_code)] // each test binary uses its own subset

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The test HTTP server, shared: tests reach it as `common::http_server`.
pub use super::http_server;
use super::skip;

pub const ALPINE_HASH: &str = "a3266db56780d2aef82100bae14faa74a6effca256c6d2fb9b78a897";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// `gvmi` with an empty config folder, so the user's config.toml and
/// templates cannot change what a test sees.
pub fn gvmi(config_home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gvmi"));
    cmd.env("XDG_CONFIG_HOME", config_home)
        .env("XDG_CACHE_HOME", config_home.join("cache"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null());
    cmd
}

pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run command");
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// Runs `program args` with `input` on stdin; panics with its stderr on failure.
pub fn pipe(cmd: &mut Command, input: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\ninput:\n{input}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// True when `what` is missing and the test should skip: visibly, and
/// never under `CI=true` (see `support::skip`).
pub fn missing(what: &str, present: bool) -> bool {
    !skip::available(present, what, "run tests/sdk/setup.sh")
}

pub fn has_program(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Where tests/sdk/setup.sh installed the SDKs.
pub fn sdk_env() -> PathBuf {
    std::env::var_os("GVMI_SDK_ENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/sdk-env"))
}

/// Serves `file` at `/img/<its name>` on 127.0.0.1 (HEAD and GET, like a
/// static file server); every other path is 404. Returns the port.
pub fn serve_file(file: &Path) -> u16 {
    let route = format!("/img/{}", file.file_name().unwrap().to_str().unwrap());
    let body = std::fs::read(file).unwrap();
    http_server::Server::start(vec![(&route, http_server::Route::Bytes(body))]).port
}
