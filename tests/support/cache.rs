//! A sandbox for the hash cache: its own config and cache folders and a
//! folder of images, and readers for what `-v` says about the cache.

use std::path::PathBuf;
use std::time::Duration;

use super::run::{gvmi_in, run, Run};
use super::tree::content;

/// A home for gvmi (config and cache, see `run::environment`) with an
/// `images` folder.
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
        self.dir.path().join("cache/gvmi/hashes.v1.bin")
    }

    pub fn gvmi(&self) -> Run {
        gvmi_in(self.dir.path())
    }

    /// Runs gvmi with `args`: (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        run(self.gvmi().args(args))
    }

    /// Writes an image of `size` bytes derived from `seed`.
    pub fn image(&self, name: &str, size: usize, seed: u8) -> PathBuf {
        let path = self.images().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content(size, seed)).unwrap();
        path
    }
}

/// Lets files just written age past the cache's racy window, so their
/// hashes are kept (a file changed within it is always rehashed).
pub fn settle() {
    std::thread::sleep(gvmi_core::cache::RACY_WINDOW + Duration::from_millis(100));
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
