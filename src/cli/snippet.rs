//! `gvmi snippet`'s command line.

use std::path::PathBuf;

use clap::Args;

use super::{values, NetArgs, UrlArgs, WalkArgs};
use gvmi_core::snippet::{Capability, Target};

pub const SNIPPET_EXAMPLES: &str = "\
Examples:
  gvmi snippet my.gvmi --base-url https://cdn.example.com/images/
  gvmi snippet my.gvmi --url https://example.com/my.gvmi --target golem-js --copy
  gvmi snippet --hash 8edadf4a077c9de16e9d3a6c1883070625081644ca255101012e2aa9 \\
      --url https://example.com/my.gvmi --all-targets
  gvmi snippet my.gvmi --min-mem-gib 4 --capability vpn --target task-executor
  gvmi snippet my.gvmi --url https://example.com/my.gvmi --full > run.py
  gvmi snippet images/ --base-url https://cdn.example.com/ --json
  gvmi snippet https://cdn.example.com/my.gvmi
                         downloaded and hashed as providers do, no local copy
  gvmi snippet https://cdn.example.com/my.gvmi \\
      --hash 8edadf4a077c9de16e9d3a6c1883070625081644ca255101012e2aa9
                         checked instead: other bytes there are refused

Exit status: 0 success, 1 an image failed inspection (unless --allow-invalid),
could not be read or downloaded, serves another hash than --hash, or its URL
was refused, or --target ray; 2 usage error.

Targets: yapapi (default), golem-core, golem-js, task-executor, dapp-runner,
task-package, ray. Defaults and per-folder base URLs: ~/.config/gvmi/config.toml.";

/// What providers must have (`[resources]` of config.toml, overridden).
#[derive(Debug, Clone, Default, Args)]
pub struct ResourceArgs {
    /// Minimum provider memory in GiB [SDK default: 0.5].
    #[arg(long, value_name = "X")]
    pub min_mem_gib: Option<f64>,
    /// Minimum provider storage in GiB [SDK default: 2.0].
    #[arg(long, value_name = "X")]
    pub min_storage_gib: Option<f64>,
    /// Minimum provider CPU threads [SDK default: 1].
    #[arg(long, value_name = "N")]
    pub min_cpu_threads: Option<u32>,
    /// A capability providers must have (repeatable).
    #[arg(long = "capability", value_parser = values::capability(), value_name = "CAP")]
    pub capabilities: Vec<Capability>,
}

#[derive(Debug, Clone, Args)]
pub struct SnippetArgs {
    /// The images to hash and name, or folders of them (optional with --hash;
    /// one given with it must be the file of that hash); or http(s) URLs,
    /// each downloaded and hashed as providers download it (with --hash:
    /// checked, a mismatch refused).
    #[arg(value_name = "IMAGE", required_unless_present = "hash")]
    pub images: Vec<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// The SDK or format [default: config's default_target, else yapapi].
    #[arg(
        short,
        long,
        value_parser = values::target(),
        value_name = "T",
        conflicts_with = "all_targets"
    )]
    pub target: Option<Target>,
    /// Print every target, each under a heading.
    #[arg(long)]
    pub all_targets: bool,
    #[command(flatten)]
    pub urls: UrlArgs,
    #[command(flatten)]
    pub resources: ResourceArgs,
    /// Also put the output on the clipboard (it stays there after gvmi exits).
    #[arg(short, long)]
    pub copy: bool,
    /// A whole program that runs as saved, instead of lines to paste
    /// (yapapi, golem-js, task-executor).
    #[arg(long, conflicts_with = "all_targets")]
    pub full: bool,
    /// One JSON object per image (and target): path, hash, url, target,
    /// snippet, warnings, valid.
    #[arg(long)]
    pub json: bool,
    /// Print the snippet even for an image that fails inspection (still warned).
    #[arg(long)]
    pub allow_invalid: bool,
    #[command(flatten)]
    pub net: NetArgs,
}
