//! gvmi with the programs around it: the real Golem SDKs run the generated
//! snippets (`tests/sdk/setup.sh`), and X11 clipboard owners under Xvfb.

#[path = "../support/mod.rs"]
mod support;

mod clipboard_x11;
mod sdk_real;
