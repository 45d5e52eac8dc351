//! The command line, end to end and the library parts behind it: `hash`,
//! `check`, the cache, SHA3SUMS, `inspect`, `verify`, `snippet`, `watch`,
//! config, and SHA3-224 against independent oracles.

#[path = "../support/mod.rs"]
mod support;

mod bad_input;
mod cache;
mod canonical_paths;
mod closed_pipes;
mod config;
mod config_broken;
mod feeding;
mod image_url;
mod inspect;
mod keccak_paths;
mod manifest;
mod oracle;
mod publish;
mod publish_setup;
mod publish_words;
mod readme;
mod remote_check;
mod remote_hash;
mod remote_snippet;
mod remote_stream;
mod roundtrip;
mod sha3sum_diff;
mod snapshots;
mod snippet_cli;
mod verify_cli;
mod verify_names;
mod watch;
