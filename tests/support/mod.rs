//! What the integration test crates share, one module per topic. Each crate
//! (`tests/*/main.rs`) includes this folder once as `mod support`; test
//! files `use crate::support::*`.
#![allow(dead_code, unused_imports)] // each test crate uses its own subset

pub mod cache;
pub mod fake_s3;
pub mod http_server;
pub mod images;
pub mod run;
pub mod sums;
pub mod tools;
pub mod tree;
pub mod xvfb;

pub use cache::{counts, process_read, settle, Sandbox};
pub use images::*;
pub use run::*;
pub use sums::*;
pub use tools::*;
pub use tree::*;
