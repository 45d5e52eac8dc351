//! Images to test with: the real fixtures, their known hashes, serving one
//! over HTTP, and the library's hash of a file.

use std::path::{Path, PathBuf};

use super::http_server::{Route, Server};

/// SHA3-224 of `tests/fixtures/alpine.gvmi`.
pub const ALPINE_HASH: &str = "a3266db56780d2aef82100bae14faa74a6effca256c6d2fb9b78a897";

/// The repository the tests run in, found at run time: cargo runs a test
/// binary in its package's root (and says so in `CARGO_MANIFEST_DIR`).
/// Never the path baked in at build time: two clones sharing one
/// `CARGO_TARGET_DIR` would read each other's fixtures.
pub fn repo() -> PathBuf {
    static REPO: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    REPO.get_or_init(|| {
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::current_dir().expect("a current directory"));
        assert!(
            root.join("tests/fixtures").is_dir(),
            "{} is not gvmi's repository: run the tests with cargo (or from the repository's root)",
            root.display()
        );
        root
    })
    .clone()
}

/// A real image from `tests/fixtures/` (see its README).
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// The bytes of `tests/fixtures/self-test.gvmi`.
pub fn self_test() -> Vec<u8> {
    std::fs::read(fixture("self-test.gvmi")).expect("the fixtures are in tests/fixtures")
}

/// Serves `file` at `/img/<its name>` on 127.0.0.1 (HEAD and GET, like a
/// static file server); every other path is 404. Returns the port.
pub fn serve_file(file: &Path) -> u16 {
    let route = format!("/img/{}", file.file_name().unwrap().to_str().unwrap());
    let body = std::fs::read(file).unwrap();
    Server::start(vec![(&route, Route::Bytes(body))]).port
}

/// The library's SHA3-224 of the file at `path`, as hex.
pub fn sha3(path: &Path) -> String {
    let (digest, _) = gvmi_core::hasher::hash_reader(
        std::fs::File::open(path).unwrap(),
        &gvmi_core::cancel::CancelToken::new(),
        |_| {},
    )
    .unwrap();
    digest.to_hex()
}
