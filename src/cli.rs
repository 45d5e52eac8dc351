//! The command line, as clap sees it. `main.rs` parses it and dispatches.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const HASH_EXAMPLES: &str = "\
Examples:
  gvmi hash images/                  every *.gvmi under images/, like sha3sum -a 224
  gvmi hash images/ > SHA3SUMS       write a manifest ...
  gvmi check SHA3SUMS                ... and verify it later (or: sha3sum -a 224 -c)
  gvmi hash --json a.gvmi | jq .     size, mtime and hash as JSON lines
  gvmi hash -L -d 1 .                follow symlinks, one folder level deep";

const CHECK_EXAMPLES: &str = "\
Examples:
  gvmi check SHA3SUMS                verify every listed file, in parallel
  sha3sum -a 224 *.gvmi | gvmi check read the list from standard input
  gvmi check --quiet --ignore-missing SHA3SUMS";

const TOP_EXAMPLES: &str = "\
Examples:
  gvmi                               open the workbench on the current folder
  gvmi ~/images ./build              browse, hash and copy snippets for two folders
  gvmi hash images/ > SHA3SUMS       batch-hash for scripts and manifests
  gvmi check SHA3SUMS                verify later";

/// Hash, check and use Golem VM images (.gvmi): the SHA3-224 a Golem SDK needs.
///
/// Without a subcommand, opens the interactive workbench on the PATHs.
#[derive(Debug, Parser)]
#[command(name = "gvmi", version, about, long_about, propagate_version = true)]
#[command(args_conflicts_with_subcommands = true, after_help = TOP_EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub workbench: WorkbenchArgs,
}

/// The workbench's own arguments (`gvmi [PATH]...`).
#[derive(Debug, Clone, Args)]
pub struct WorkbenchArgs {
    /// Folders or images to open [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Files hashed at once [default: one per core].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the SHA3-224 of every image, in `sha3sum -a 224` format.
    #[command(after_help = HASH_EXAMPLES)]
    Hash(HashArgs),
    /// Verify files against a checksum list (`sha3sum -c` compatible).
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// How folders are searched for images.
#[derive(Debug, Clone, Copy, Args)]
pub struct WalkArgs {
    /// Follow symbolic links (loops are detected and reported).
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// Descend at most N folder levels below each PATH.
    #[arg(short = 'd', long, value_name = "N")]
    pub max_depth: Option<usize>,
}

impl WalkArgs {
    pub fn options(self) -> crate::discover::DiscoverOptions {
        crate::discover::DiscoverOptions {
            follow: self.follow,
            max_depth: self.max_depth,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct HashArgs {
    /// Images or folders to search for *.gvmi (any case); `-` is standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// BSD-style lines: `SHA3-224 (<path>) = <hash>`.
    #[arg(long, conflicts_with = "json")]
    pub tag: bool,
    /// One JSON object per image: path, size, mtime, sha3_224 or error.
    #[arg(long)]
    pub json: bool,
    /// No progress line on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Files hashed at once [default: one per core].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Checksum lists to read; none or `-` is standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub files: Vec<PathBuf>,
    /// Don't print OK for each verified file.
    #[arg(long)]
    pub quiet: bool,
    /// Print nothing; the exit status tells.
    #[arg(long)]
    pub status: bool,
    /// Exit non-zero for improperly formatted lines.
    #[arg(long)]
    pub strict: bool,
    /// Warn about each improperly formatted line.
    #[arg(short, long)]
    pub warn: bool,
    /// Don't fail or report for listed files that are missing.
    #[arg(long)]
    pub ignore_missing: bool,
    /// Files hashed at once [default: one per core].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}
