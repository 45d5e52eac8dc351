//! gvmi: a workbench for Golem VM images (the command line, the workbench,
//! the clipboard); the domain is the `gvmi-core` crate. See ARCHITECTURE.md.

pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod progress;
pub mod status_line;
pub mod tui;
