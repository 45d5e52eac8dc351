//! The command line, as clap sees it. `main.rs` parses it and dispatches.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod fetch;
mod publish;
mod sha3sum;
mod snippet;
mod suggest;
mod values;

use fetch::parse_timeout;
pub use fetch::{NetArgs, UrlArgs};
pub use publish::{PublishArgs, StorageArgs};
pub use sha3sum::{route as route_sha3sum, usage_exit, HashMode, Routed, Sha3sumFlags};
pub use snippet::{ResourceArgs, SnippetArgs};
pub use suggest::{typo_error, typo_in};

const HASH_EXAMPLES: &str = "\
Examples:
  gvmi hash images/                  every *.gvmi under images/, like sha3sum -a 224
  gvmi hash images/ > SHA3SUMS       write a manifest ...
  gvmi check SHA3SUMS                ... and verify it later (or: sha3sum -a 224 -c)
  gvmi hash --json a.gvmi | jq .     size, mtime and hash as JSON lines
  gvmi hash -L -d 1 .                follow symlinks, one folder level deep
  gvmi hash --write-sums images/     also write SHA3SUMS into each folder of images
  gvmi hash --watch images/          then a line for each new or rebuilt image
  gvmi hash --rehash images/         ignore the cache; exit 1 on silent corruption
  gvmi hash -a 224 image.gvmi        the Golem guide's sha3sum command, as is
  gvmi hash -a 224 -c SHA3SUMS       sha3sum -c: the same as gvmi check
  gvmi hash -z images/ | xargs -0    NUL-terminated lines, names unescaped (GNU -z)
  gvmi hash https://cdn.example.com/my.gvmi
                                     the SHA3-224 a provider computes of that URL

Exit status: 0 every image hashed, 1 a file could not be hashed or a folder
held no image (the rest are still printed), 2 usage error.";

const CHECK_EXAMPLES: &str = "\
Examples:
  gvmi check SHA3SUMS                verify every listed file, in parallel
  sha3sum -a 224 *.gvmi | gvmi check read the list from standard input
  gvmi check --quiet --ignore-missing SHA3SUMS

  gvmi check https://cdn.example.com/images/SHA3SUMS
                                     each listed image fetched below that URL
  gvmi check s3://my-bucket/images   every *.gvmi object against its recorded
                                     x-amz-meta-sha3-224 (and the prefix's SHA3SUMS)

Exit status: 0 every listed file matched, 1 a mismatch, an unreadable or
missing file, or a list without checksum lines (a bucket: an object that
failed, or none found), 2 usage error.";

const TOP_EXAMPLES: &str = "\
Examples:
  gvmi                               open the workbench on the current folder
  gvmi ~/images ./build              browse, hash and copy snippets for two folders
  gvmi hash images/ > SHA3SUMS       batch-hash for scripts and manifests
  gvmi check SHA3SUMS                verify later";

const COMPLETIONS_HELP: &str = "\
Install (open a new shell afterwards; regenerate after upgrading gvmi):
  bash        mkdir -p ~/.local/share/bash-completion/completions &&
              gvmi completions bash > ~/.local/share/bash-completion/completions/gvmi
  zsh         mkdir -p ~/.zfunc && gvmi completions zsh > ~/.zfunc/_gvmi
              (and in ~/.zshrc, before compinit: fpath+=(~/.zfunc))
  fish        mkdir -p ~/.config/fish/completions &&
              gvmi completions fish > ~/.config/fish/completions/gvmi.fish
  elvish      mkdir -p ~/.config/elvish && gvmi completions elvish >> ~/.config/elvish/rc.elv
  powershell  gvmi completions powershell >> $PROFILE";

const MAN_HELP: &str = "\
Examples:
  gvmi man | man -l -                read it now
  gvmi man hash | man -l -           the page of one subcommand
  mkdir -p ~/.local/share/man/man1 && gvmi man > ~/.local/share/man/man1/gvmi.1
                                     install it for `man gvmi`";

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
    /// Folders or images to open [default: .]; s3://BUCKET[/PREFIX] shows
    /// that prefix's published images beside them.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Files hashed at once [default: one per core].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Neither read nor update the hash cache.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Buckets: where providers download their objects (each key below the
    /// prefix is appended) [default: the bucket's AWS URL].
    #[arg(long, value_name = "URL")]
    pub public_base_url: Option<String>,
}

impl WorkbenchArgs {
    /// The local paths (`.` when nothing at all is named) and the remote
    /// sources, with their storage settings; an http(s) URL is refused.
    pub fn sources(&self) -> anyhow::Result<(Vec<PathBuf>, Vec<gvmi_core::publish::Spec>)> {
        let (mut local, mut remote) = (Vec::new(), Vec::new());
        for path in &self.paths {
            let Some(arg) = path.to_str().filter(|a| gvmi_core::remote::is_remote(a)) else {
                local.push(path.clone());
                continue;
            };
            let spec = gvmi_core::publish::Spec {
                public_base_url: self.public_base_url.clone(),
                ..self.storage.spec(arg, None)
            };
            match gvmi_core::remote::Source::parse(arg, &spec)? {
                gvmi_core::remote::Source::Bucket(spec) => remote.push(spec),
                gvmi_core::remote::Source::Url(_) => anyhow::bail!(
                    "{}: the workbench reads folders and buckets; for one URL, \
                     gvmi hash URL or gvmi snippet URL",
                    gvmi_core::visible::visible(arg)
                ),
            }
        }
        if local.is_empty() && remote.is_empty() {
            local.push(PathBuf::from("."));
        }
        Ok((local, remote))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the SHA3-224 of every image, in `sha3sum -a 224` format.
    // A flag given twice is taken, as sha3sum takes it (`-a 224 -a 224`).
    #[command(after_help = HASH_EXAMPLES, args_override_self = true)]
    Hash(HashArgs),
    /// Verify files against a checksum list (`sha3sum -c` compatible).
    #[command(after_help = CHECK_EXAMPLES, args_override_self = true)]
    Check(CheckArgs),
    /// Print the code that points a Golem SDK at a self-hosted image.
    #[command(after_help = snippet::SNIPPET_EXAMPLES)]
    Snippet(SnippetArgs),
    /// Show or manage the hash cache (path, stats, clear, prune).
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `gvmi man | man -l -`.
    #[command(after_help = MAN_HELP)]
    Man {
        /// A subcommand's own page instead (e.g. `hash` for gvmi-hash(1)).
        #[arg(value_name = "SUBCOMMAND")]
        page: Option<String>,
    },
    /// Check an image's structure (squashfs, metadata, CRC) and show what it runs.
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),
    /// Check that a URL serves the image, as yapapi, golem-core and providers will.
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(VerifyArgs),
    /// Upload images to S3 or a web folder, prove the URL is public, remember it.
    #[command(after_help = publish::PUBLISH_EXAMPLES)]
    Publish(PublishArgs),
}
// The internal `gvmi __clipboard-serve` is dispatched in main.rs before clap
// sees the arguments, so no completion script or man page can list it.

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
    /// The one place discovery's options are made from the command line.
    pub fn options(self) -> gvmi_core::discover::DiscoverOptions {
        gvmi_core::discover::DiscoverOptions {
            follow: self.follow,
            max_depth: self.max_depth,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct HashArgs {
    /// Images or folders to search for *.gvmi (any case); `-` is standard
    /// input [default: .]. With -c: checksum lists [default: standard input].
    #[arg(value_name = "PATH")]
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
    #[command(flatten)]
    pub cache: HashCacheArgs,
    #[command(flatten)]
    pub net: NetArgs,
    #[command(flatten)]
    pub sha3sum: Sha3sumFlags,
}

/// `gvmi hash` options about the cache, manifests and watching.
#[derive(Debug, Clone, Args)]
pub struct HashCacheArgs {
    /// Neither read nor update the hash cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Ignore cached hashes and read every file; report files whose content
    /// changed while their metadata did not (exit 1 if any).
    #[arg(long, conflicts_with = "no_cache")]
    pub rehash: bool,
    /// Also write a SHA3SUMS file in each folder holding images.
    #[arg(long)]
    pub write_sums: bool,
    /// With --write-sums: replace a SHA3SUMS that cannot be read (a FIFO,
    /// a device, too large, no permission) instead of refusing to touch it.
    #[arg(long, requires = "write_sums")]
    pub replace_sums: bool,
    /// Keep running: print a line for each new or changed image under the paths.
    #[arg(long, conflicts_with_all = ["tag", "json"])]
    pub watch: bool,
    /// Say on stderr how many hashes came from the cache.
    #[arg(short, long)]
    pub verbose: bool,
}

/// `gvmi cache …`
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum CacheCommand {
    /// Print where the cache file is.
    Path,
    /// Print how many entries it holds and its size.
    Stats,
    /// Delete every entry.
    Clear,
    /// Forget files that no longer exist (entries under unmounted folders are kept).
    Prune,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Checksum lists to read; none or `-` is standard input. A list's
    /// http(s) URL: each name is fetched below it. s3://BUCKET[/PREFIX]:
    /// every *.gvmi object against its recorded hash (and the prefix's SHA3SUMS).
    #[arg(value_name = "FILE", default_value = "-")]
    pub files: Vec<PathBuf>,
    /// Don't print OK for each verified file.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print nothing; the exit status tells.
    #[arg(short, long)]
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
    /// Accepted for sha3sum: 224 is the only size (Golem's image hash).
    #[arg(short = 'a', long = "algorithm", value_name = "BITS", value_parser = sha3sum::parse_algorithm)]
    pub algorithm: Option<u32>,
    /// Files hashed at once [default: one per core].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Read and tell as Perl's `sha3sum -c` does (`gvmi -a 224 -c`).
    #[arg(skip)]
    pub form: bool,
    /// Buckets: one JSON object per object: key, size, url, recorded,
    /// listed, sha3_224, outcome, message.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub net: NetArgs,
    #[command(flatten)]
    pub storage: StorageArgs,
}

const INSPECT_EXAMPLES: &str = "\
Examples:
  gvmi inspect my.gvmi               entrypoint, env, volumes, compressor, defects
  gvmi inspect images/               every *.gvmi under images/
  gvmi inspect --json *.gvmi         one JSON object per image

Exit status: 0 all valid, 1 an image has a defect, 2 an image could not be
read or a folder holds no image.";

#[derive(Debug, Clone, Args)]
pub struct InspectArgs {
    /// Images, or folders to search for *.gvmi (any case).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// One JSON object per image: fields, defects (code and message), valid.
    #[arg(long)]
    pub json: bool,
}

const VERIFY_EXAMPLES: &str = "\
Examples:
  gvmi verify my.gvmi --url https://cdn.example.com/my.gvmi
  gvmi verify --hash 8edadf4a077c9de16e9d3a6c1883070625081644ca255101012e2aa9 \\
      --url https://cdn.example.com/my.gvmi
  gvmi verify images/ --base-url https://cdn.example.com/images/

Steps: HEAD (redirects followed; yapapi and golem-core refuse anything but 200),
Content-Length against the local size, then GET and SHA3-224 of the body.
Exit status: 0 OK, 1 hash mismatch, 2 usage or unreadable image, 3 size
mismatch or body too long, 4 truncated body, 5 not found, 6 forbidden,
7 HEAD not allowed (405, 501; or 401/403 to HEAD while GET serves the image),
8 other HTTP status, 9 too many redirects or a redirect to a non-http(s) URL,
10 timeout or deadline, 11 DNS failure, 12 connection refused, 13 TLS error, 14 invalid URL, 15 other network error.";

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The image, or a folder of images (with --base-url or config.toml).
    #[arg(value_name = "PATH", conflicts_with = "hash")]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub urls: UrlArgs,
    /// Seconds to wait for a connection or for the next bytes [default: 10 to connect, 30 to read].
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<f64>,
    /// Seconds one URL's whole check may take [default: 4 read timeouts + 1 s per 256 KiB of image].
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub deadline: Option<f64>,
    /// One JSON object per image: path, url, final_url, sha3_224, ok, outcome, status, exit_code, message.
    #[arg(long)]
    pub json: bool,
    /// Redirects to follow before giving up.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_redirects: u32,
    /// Images verified at once in a folder.
    #[arg(short, long, value_name = "N", default_value_t = 4)]
    pub jobs: usize,
    /// No progress line on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}
