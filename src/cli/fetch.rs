//! Where images are fetched from: the bounds of a download and the URL
//! arguments `snippet` and `verify` share.

use clap::Args;

use gvmi_core::config::Config;
use gvmi_core::digest::Sha3Digest;
use gvmi_core::publish::state::Published;
use gvmi_core::url_choice::UrlChoice;

/// The bounds of a download (`hash URL`, `snippet URL`, `check` of a
/// remote list or bucket).
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct NetArgs {
    /// URLs: seconds to wait for a connection or for the next bytes [default: 10 to connect, 30 to read].
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<f64>,
    /// URLs: seconds one download may take [default: 4 read timeouts + 1 s per 256 KiB announced, else an hour].
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub deadline: Option<f64>,
}

impl NetArgs {
    /// The one place these flags become download bounds.
    pub fn options(self) -> gvmi_core::verify::Options {
        let mut opts = gvmi_core::verify::Options::default();
        if let Some(secs) = self.timeout {
            let t = std::time::Duration::from_secs_f64(secs);
            opts.connect_timeout = t;
            opts.read_timeout = t;
        }
        opts.deadline = self.deadline.map(std::time::Duration::from_secs_f64);
        opts
    }
}

/// Where an image is served from, and its hash when there is no file:
/// `gvmi snippet` and `gvmi verify` alike.
#[derive(Debug, Clone, Default, Args)]
#[command(group(clap::ArgGroup::new("where").args(["url", "base_url"])))]
pub struct UrlArgs {
    /// The image's full download URL.
    #[arg(long, value_name = "U")]
    pub url: Option<String>,
    /// The folder URL images are served under: each image's path below the
    /// folder given (an image given by name: its file name) is appended,
    /// percent-encoded.
    #[arg(long, value_name = "B")]
    pub base_url: Option<String>,
    /// The image's SHA3-224 (56 hex digits), instead of hashing a file.
    #[arg(long, value_name = "HEX")]
    pub hash: Option<Sha3Digest>,
}

impl UrlArgs {
    /// `url_choice`'s places, this run's URLs first.
    pub fn choice<'a>(
        &'a self,
        published: Option<&'a Published>,
        config: &'a Config,
    ) -> UrlChoice<'a> {
        UrlChoice {
            own: self.url.as_deref(),
            run_base: self.base_url.as_deref(),
            published,
            config,
        }
    }
}

/// A `--timeout`/`--deadline` value: seconds, above 0, at most a day.
pub(super) fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if t > 0.0 && t <= 86_400.0 => Ok(t),
        _ => Err("a number of seconds above 0 (at most 86400)".into()),
    }
}
