//! The hostile-input suite (issue "Hostile inputs"): every input gvmi reads,
//! crafted by an attacker. One module per kind of input; each test reproduces
//! an attack and asserts that nothing raw reaches the terminal, every wait and
//! read is bounded, and nothing is lost or left behind.

#[path = "../support/mod.rs"]
mod support;

mod files;
mod network;
mod output;
mod print_sites;
mod publishing;
// The real S3 server (moto) the external suite uses, for item 3 of issue 20.
#[allow(dead_code)]
#[path = "../external/s3_server.rs"]
mod s3_server;
mod snippet_text;
mod storage;
