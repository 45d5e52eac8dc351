//! gvmi: a workbench for Golem VM images. See ARCHITECTURE.md for the map.

pub mod atomic_write;
pub mod cache;
pub mod cancel;
pub mod checks;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod digest;
pub mod discover;
pub mod engine;
pub mod event;
pub mod fsmeta;
pub mod gvmi_format;
pub mod hasher;
pub mod image_url;
pub mod manifest;
pub mod progress;
pub mod readahead;
pub mod sha3_fast;
pub mod snippet;
pub mod sumline;
pub mod tui;
pub mod units;
pub mod verify;
pub mod watch;
