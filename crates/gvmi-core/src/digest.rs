//! The image hash: a SHA3-224 digest and its 56-digit hex form (defined in
//! the `gvmi-sha3` crate, beside the code that computes it).

pub use gvmi_sha3::digest::*;
