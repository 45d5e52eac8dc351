//! gvmi with the programs around it: the real Golem SDKs run the generated
//! snippets (`tests/sdk/setup.sh`), X11 clipboard owners under Xvfb, and a
//! real S3 server (moto) that `gvmi publish` uploads to.

#[path = "../support/mod.rs"]
mod support;

mod check_s3;
mod clipboard_x11;
mod publish_s3;
mod publish_s3_failures;
mod s3_server;
mod sdk_env;
mod sdk_real;
