//! The workbench's state and screen, driven by events and keys without a
//! terminal: state, rendering (insta snapshots), watched changes, checks.

#[path = "../support/mod.rs"]
mod support;

mod changes;
mod checks;
mod copy_rule;
mod fixture;
mod identity;
mod keymap;
mod layers;
mod many_rows;
mod notes;
mod publish;
mod publish_config;
mod publish_words;
mod readme_mock;
mod remote;
mod render;
mod state;
