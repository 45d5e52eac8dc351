//! What the integration test crates share. Each crate (`tests/*/main.rs`)
//! includes this folder once as `mod support`.
#![allow(dead_code)] // each test crate uses its own subset

pub mod cache_support;
pub mod cli_support;
pub mod common;
pub mod http_server;
pub mod skip;
