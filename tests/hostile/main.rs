//! The hostile-input suite (issue "Hostile inputs"): every input gvmi reads,
//! crafted by an attacker. One module per kind of input; each test reproduces
//! an attack and asserts that nothing raw reaches the terminal, every wait and
//! read is bounded, and nothing is lost or left behind.

#[path = "../support/mod.rs"]
mod support;

mod files;
mod network;
mod snippet_text;
mod storage;
