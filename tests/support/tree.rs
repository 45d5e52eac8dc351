//! Temporary trees and deterministic content: folders, files, FIFOs, names
//! that are not UTF-8.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("gvmi-test-")
        .tempdir()
        .expect("temp dir")
}

/// Writes `bytes` to `dir/name` (making folders), returning the path.
pub fn put(dir: &Path, name: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(&path, bytes).expect("write");
    path
}

/// `size` bytes derived from `seed`: cheap, and different for each seed.
pub fn content(size: usize, seed: u8) -> Vec<u8> {
    (0..size)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// Deterministic pseudo-random bytes (xorshift64*), the same on every run.
pub struct Prng(u64);

impl Prng {
    pub fn new(seed: u64) -> Self {
        Prng(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// Writes `size` deterministic bytes (seeded by `seed`) to `path`.
pub fn write_prng_file(path: &Path, size: u64, seed: u64) {
    let mut prng = Prng::new(seed);
    let mut f = std::io::BufWriter::new(fs::File::create(path).expect("create"));
    let mut buf = vec![0u8; 1 << 16];
    let mut left = size;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        prng.fill(&mut buf[..n]);
        f.write_all(&buf[..n]).expect("write");
        left -= n as u64;
    }
    f.flush().expect("flush");
}

/// Path bytes as gvmi writes them (raw on Unix).
pub fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().as_bytes().to_vec()
    }
}

/// Builds a path from raw bytes (Unix file names need not be UTF-8).
#[cfg(unix)]
pub fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// `dir/name` with a name of raw bytes.
#[cfg(unix)]
pub fn raw_path(dir: &Path, name: &[u8]) -> PathBuf {
    dir.join(bytes_path(name))
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo(3) only reads it.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// True when this process can read a file it made unreadable (root, or
/// CAP_DAC_OVERRIDE): then permission tests cannot work.
#[cfg(unix)]
pub fn can_read_unreadable(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = put(dir, ".probe", b"x");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = fs::File::open(&probe).is_ok();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o600)).expect("chmod");
    fs::remove_file(&probe).expect("rm probe");
    readable
}
