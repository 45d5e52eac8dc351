//! gvmi: a workbench for Golem VM images. See ARCHITECTURE.md for the map.

pub mod cancel;
pub mod cli;
pub mod commands;
pub mod digest;
pub mod discover;
pub mod engine;
pub mod event;
pub mod fsmeta;
pub mod hasher;
pub mod progress;
pub mod sumline;
pub mod tui;
pub mod units;
