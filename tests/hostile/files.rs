//! Hostile files: names, image metadata, special files (FIFOs, devices) in
//! place of SHA3SUMS, the cache, its lock and config.toml, deep trees,
//! rewrites during hashing, interrupted writes.
