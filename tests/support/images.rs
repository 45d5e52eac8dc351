//! Images to test with: the real fixtures, their known hashes, serving one
//! over HTTP, and the library's hash of a file.

use std::path::{Path, PathBuf};

use super::http_server::{Route, Server};

/// SHA3-224 of `tests/fixtures/alpine.gvmi`.
pub const ALPINE_HASH: &str = "a3266db56780d2aef82100bae14faa74a6effca256c6d2fb9b78a897";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
    let (digest, _) = gvmi::hasher::hash_reader(
        std::fs::File::open(path).unwrap(),
        &gvmi::cancel::CancelToken::new(),
        |_| {},
    )
    .unwrap();
    digest.to_hex()
}
