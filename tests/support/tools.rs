//! External tools (Perl's sha3sum, openssl, python3, node, the SDK
//! environments, Xvfb, xclip, tmux, GNU screen): whether one is there, the one skip rule
//! for a test that needs it, and the independent SHA3-224 oracles.
//!
//! A skip must be seen: libtest captures `eprintln!` of passing tests, so the
//! line is written to the process's stderr directly, past the capture, and
//! shows in plain `cargo test` output as
//! `SKIPPED <test>: <what> not found — <how to get it>`, once per test and
//! missing thing (a test that asks in a loop says it once).
//! Under `CI=true` a missing tool is a failure: `.ci/run` installs them all.
//! A missing CPU feature ([`cpu_has`]) is never a failure: no install gives
//! a CPU AVX-512, and CI machines differ.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::images::repo;
use super::run::tool;

/// How to get every tool the tests use, said once.
pub const INSTALL_ALL: &str = "`sudo .ci/install-tools` installs every tool the tests use";

/// How to get a Debian/Ubuntu package (or packages, space-separated).
pub fn apt(packages: &str) -> String {
    format!("`sudo apt-get install {packages}`, or {INSTALL_ALL}")
}

/// The Debian package that has the executable `name`.
fn package_of(name: &str) -> &str {
    match name {
        "sha3sum" => "libdigest-sha3-perl",
        "sha256sum" => "coreutils",
        "Xvfb" => "xvfb",
        "node" => "nodejs",
        "mksquashfs" => "squashfs-tools",
        other => other,
    }
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The skip rule. True when the test may go on. When `present` is false:
/// under `CI=true` panics; otherwise prints a visible SKIPPED line (once
/// per test and `what`) and returns false.
pub fn available(present: bool, what: &str, how: &str) -> bool {
    if present {
        return true;
    }
    if in_ci() {
        panic!("{what} not found, and CI=true requires it: {how}");
    }
    say_skipped(what, how);
    false
}

/// The skip rule for a CPU feature, which no install can provide: when
/// `present` is false, a visible SKIPPED line (once per test binary and
/// `subject`) and false, under `CI=true` too (CI machines are not all the
/// same CPU). `subject` names what goes untested, `what` the feature.
pub fn cpu_has(present: bool, subject: &str, what: &str) -> bool {
    static SAID: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    if present {
        return true;
    }
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if said
        .get_or_insert_with(HashSet::new)
        .insert(subject.to_owned())
    {
        let line = format!(
            "SKIPPED {subject}: a CPU with {what} not found — this CPU lacks it \
             (or GVMI_CPU_WITHOUT hides it); every backend it has is tested\n"
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
    false
}

/// Prints `SKIPPED <test>: <what> not found — <how>`, once per test and `what`.
fn say_skipped(what: &str, how: &str) {
    static SAID: Mutex<Option<HashSet<(String, String)>>> = Mutex::new(None);
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test").to_owned();
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said
        .get_or_insert_with(HashSet::new)
        .insert((test.clone(), what.to_owned()))
    {
        return;
    }
    // Written past libtest's capture on purpose (see the module comment),
    // in one write so that it never interleaves with libtest's own lines.
    let line = format!("SKIPPED {test}: {what} not found — {how}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// [`available`] for the executable `name` on PATH.
pub fn require_tool(name: &str) -> bool {
    available(
        have_tool(name),
        &format!("the external tool `{name}`"),
        &apt(package_of(name)),
    )
}

/// True when `name` is an executable on PATH.
pub fn have_tool(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        let candidate = dir.join(name);
        fs::metadata(&candidate).is_ok_and(|m| m.is_file() && is_executable(&m))
    })
}

#[cfg(unix)]
fn is_executable(m: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_m: &fs::Metadata) -> bool {
    true
}

/// Where tests/sdk/setup.sh installed the SDKs: `GVMI_SDK_ENV`, else this
/// clone's `target/sdk-env` (setup.sh's own default).
pub fn sdk_env() -> PathBuf {
    std::env::var_os("GVMI_SDK_ENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/sdk-env"))
}

/// `rel` under the SDK environment's `part` (`py`, `golem-core`, `moto`,
/// `js`), when it is there; else the skip rule, saying what exactly is
/// missing and the step that would bring it.
pub fn sdk_file(part: &str, rel: &str, what: &str) -> Option<PathBuf> {
    let file = sdk_env().join(part).join(rel);
    if file.exists() {
        return Some(file);
    }
    let how = sdk_hint(&sdk_env(), part, std::env::var_os("GVMI_SDK_ENV").is_some());
    available(false, &format!("{what} ({})", file.display()), &how);
    None
}

/// How to get the SDK environment's `part` into `env`, from what is there:
/// nothing at all, the folder without this part, or the part set up but
/// lacking the file (an older setup, a half-deleted folder).
pub fn sdk_hint(env: &Path, part: &str, from_var: bool) -> String {
    let setup = repo().join("tests/sdk/setup.sh");
    let run = if from_var {
        format!("GVMI_SDK_ENV={} {}", env.display(), setup.display())
    } else {
        setup.display().to_string()
    };
    let dir = env.join(part);
    if dir.join(".done").exists() {
        format!(
            "{} was set up but lacks it: remove that folder and run {run} again",
            dir.display()
        )
    } else if env.is_dir() {
        format!(
            "{} has no finished `{part}` environment: run {run} (it needs python3-venv, \
             node and npm, and the package registries)",
            env.display()
        )
    } else {
        let whence = if from_var {
            "GVMI_SDK_ENV"
        } else {
            "this clone's target/sdk-env; GVMI_SDK_ENV names another"
        };
        format!(
            "no SDK environment at {} ({whence}): run {run} (it needs python3-venv, node \
             and npm), or `sudo .ci/install-tools` for all of it",
            env.display()
        )
    }
}

/// The python3 oracle: `hashlib.sha3_224` of the whole file.
pub fn python_sha3_224(path: &Path) -> String {
    let out = tool(
        "python3",
        [
            OsStr::new("-c"),
            OsStr::new(
                "import hashlib,sys; print(hashlib.sha3_224(open(sys.argv[1],\"rb\").read()).hexdigest())",
            ),
            path.as_os_str(),
        ],
    )
    .run();
    out.assert_code(0);
    let hex = out.stdout().trim().to_owned();
    assert_eq!(hex.len(), 56, "python3 said {hex:?}");
    hex
}

/// The openssl oracle: `openssl dgst -sha3-224 -r FILE` prints `<hex> *FILE`.
pub fn openssl_sha3_224(path: &Path) -> String {
    let out = tool(
        "openssl",
        [
            OsStr::new("dgst"),
            OsStr::new("-sha3-224"),
            OsStr::new("-r"),
            path.as_os_str(),
        ],
    )
    .run();
    out.assert_code(0);
    let text = out.stdout();
    let hex = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(hex.len(), 56, "openssl said {text:?}");
    hex
}
