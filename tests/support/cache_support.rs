//! Running gvmi with a cache and config of its own, and making images.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A sandbox: its own XDG cache and config folders, and a folder for images.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("images")).unwrap();
        Sandbox { dir }
    }

    pub fn images(&self) -> PathBuf {
        self.dir.path().join("images")
    }

    pub fn cache_file(&self) -> PathBuf {
        self.dir.path().join("xdg-cache/gvmi/hashes.v1.bin")
    }

    pub fn gvmi(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gvmi"));
        cmd.env("XDG_CACHE_HOME", self.dir.path().join("xdg-cache"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .stdin(Stdio::null());
        cmd
    }

    /// Runs gvmi with `args`: (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.gvmi().args(args).output().expect("run gvmi");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Writes an image of `size` bytes derived from `seed`.
    pub fn image(&self, name: &str, size: usize, seed: u8) -> PathBuf {
        let path = self.images().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content(size, seed)).unwrap();
        path
    }
}

pub fn content(size: usize, seed: u8) -> Vec<u8> {
    (0..size)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// Lets files just written age past the cache's racy window, so their
/// hashes are kept (a file changed within it is always rehashed).
pub fn settle() {
    std::thread::sleep(gvmi::cache::RACY_WINDOW + Duration::from_millis(100));
}

/// The `N` in "N from the cache" and "M hashed" of `-v` output.
pub fn counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("gvmi: cache:"))
        .unwrap_or_else(|| panic!("no cache line in {stderr:?}"));
    let number = |after: &str| -> usize {
        let i = line.find(after).unwrap();
        let head = line[..i].trim_end();
        head.rsplit(' ').next().unwrap().parse().unwrap()
    };
    (number(" from the cache"), number(" hashed"))
}

/// What `-v` says the whole process read (Linux only).
pub fn process_read(stderr: &str) -> Option<u64> {
    let i = stderr.find("this process read ")?;
    stderr[i + 18..].split(' ').next()?.parse().ok()
}

pub fn sha3(path: &Path) -> String {
    let (digest, _) = gvmi::hasher::hash_reader(
        std::fs::File::open(path).unwrap(),
        &gvmi::cancel::CancelToken::new(),
        |_| {},
    )
    .unwrap();
    digest.to_hex()
}
