//! `gvmi publish`'s command line.

use std::path::PathBuf;

use clap::Args;

use super::WalkArgs;
use gvmi_core::publish::public::VerifyMode;
use gvmi_core::publish::{RunOptions, Spec};
use gvmi_core::snippet::Target;

pub const PUBLISH_EXAMPLES: &str = "\
Examples:
  gvmi publish images/ --to s3://my-bucket/images
  gvmi publish my.gvmi --to s3://imgs --endpoint https://ACCOUNT.r2.cloudflarestorage.com \\
      --public-base-url https://pub-1234.r2.dev/
  gvmi publish images/ --to file:///srv/www/images --public-base-url https://example.com/images/
  gvmi publish images/ --to s3://my-bucket --dry-run       what would be uploaded
  gvmi publish my.gvmi --to s3://my-bucket --copy          and copy the snippet

The workbench's p / P publish to the [[publish]] of ~/.config/gvmi/config.toml
($XDG_CONFIG_HOME/gvmi/config.toml) whose folder holds the image (the longest
wins; endpoint, profile, region and acl are optional, as the flags above):
  [[publish]]
  folder = \"/home/me/images\"
  to = \"s3://my-bucket/images\"
  public_base_url = \"https://cdn.example.com/images/\"

Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN),
or ~/.aws/credentials and ~/.aws/config (--profile, AWS_PROFILE).
Keys are unique in a run: two different files that would get one key
(A/x.gvmi and B/x.gvmi from `gvmi publish A B`) are both named and
nothing is published (exit 2); publish each folder to its own prefix,
or give --content-addressed.
Exit status: 0 all published and public, 1 an image could not be read or
failed inspection (refused unless --allow-invalid), 2 usage error (also two
images with one key), 3 upload failed (or interrupted), 4 uploaded but not
public, 5 credentials missing or refused, 6 endpoint unreachable.";

#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// Images, or folders of them (keys keep the path below the folder).
    /// Two different files with one key (A/x.gvmi and B/x.gvmi) are refused
    /// before anything is uploaded: the second would replace the first.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub dest: DestinationArgs,
    /// Put the first 12 hex digits of the hash in each key (name-<hash12>.gvmi).
    #[arg(long)]
    pub content_addressed: bool,
    /// Say what would be uploaded; upload nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How to prove the URL is public: head (status, size, hash metadata),
    /// full (download and hash, as gvmi verify), none.
    #[arg(long, value_parser = super::values::verify_mode(), value_name = "HOW", default_value = "head")]
    pub verify: VerifyMode,
    /// A JSON array: path, key, hash, url, size, uploaded, skipped, verified, outcome, exit_code, message.
    #[arg(long)]
    pub json: bool,
    /// Then print the snippet for each published image in this SDK's form.
    #[arg(short, long, value_parser = super::values::target(), value_name = "T")]
    pub target: Option<Target>,
    /// Then copy the snippet(s) to the clipboard.
    #[arg(short, long)]
    pub copy: bool,
    /// Publish an image that fails inspection (or a file that is no image)
    /// anyway, with a warning; without it such a file is refused.
    #[arg(long)]
    pub allow_invalid: bool,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Neither read nor update the hash cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Say on stderr how many bytes this process read in all.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Where `gvmi publish` puts images: `publish::Spec` as flags.
#[derive(Debug, Clone, Args)]
pub struct DestinationArgs {
    /// Where to: s3://BUCKET[/PREFIX], or file:///DIR, an absolute folder
    /// on this machine (file://localhost/DIR and file:/DIR too; a host, as
    /// in file://tmp/x, or a relative file:dir is refused).
    ///
    /// A copy into file:///DIR (and its NAME.sha3-224 sidecar) gets the source's
    /// permission bits, masked by the umask: never more readable than the source
    /// (chmod the source first for a web server that runs as another user).
    #[arg(long, value_name = "DEST")]
    pub to: String,
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Where providers download from (CDN, custom domain, R2 public URL);
    /// each key is appended [default: the bucket's AWS URL].
    #[arg(long, value_name = "URL")]
    pub public_base_url: Option<String>,
    /// A canned ACL sent with each upload, for buckets that use ACLs (public-read).
    #[arg(long, value_name = "ACL")]
    pub acl: Option<String>,
    /// Seconds to wait for a connection or for the storage's next bytes
    /// [default: 10 to connect, 30 to read]; a request may take 4 of them
    /// plus 1 s per 256 KiB it sends.
    #[arg(long, value_name = "SECS", value_parser = super::parse_timeout)]
    pub timeout: Option<f64>,
}

/// How a bucket is reached, for `publish --to s3://…` and `check s3://…`.
#[derive(Debug, Clone, Default, Args)]
pub struct StorageArgs {
    /// An S3-compatible endpoint (R2, B2, MinIO, …) [default: AWS, or AWS_ENDPOINT_URL].
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Allow a plain http endpoint that is not on this machine.
    #[arg(long)]
    pub allow_http: bool,
    /// The region [default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1].
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// A profile of ~/.aws/credentials and ~/.aws/config [default: AWS_PROFILE, else default].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

impl StorageArgs {
    /// The one place these flags become a `publish::Spec` (`to`, with
    /// `timeout` in seconds).
    pub fn spec(&self, to: &str, timeout: Option<f64>) -> Spec {
        Spec {
            to: to.to_string(),
            endpoint: self.endpoint.clone(),
            profile: self.profile.clone(),
            region: self.region.clone(),
            allow_http: self.allow_http,
            timeout: timeout.map(std::time::Duration::from_secs_f64),
            ..Spec::default()
        }
    }
}

impl From<&DestinationArgs> for Spec {
    fn from(d: &DestinationArgs) -> Self {
        Spec {
            public_base_url: d.public_base_url.clone(),
            acl: d.acl.clone(),
            ..d.storage.spec(&d.to, d.timeout)
        }
    }
}

impl From<&PublishArgs> for RunOptions {
    fn from(args: &PublishArgs) -> Self {
        RunOptions {
            content_addressed: args.content_addressed,
            verify: args.verify,
            dry_run: args.dry_run,
        }
    }
}
