//! SHA3-224 backends: the `gvmi-sha3` crate (crates/gvmi-sha3), kept apart
//! so that it is built optimized even in test builds (Cargo.toml), where
//! unoptimized SIMD intrinsics would hash at a few MB/s.

pub use gvmi_sha3::*;
