//! Issue 20's publish items, attacked: two images with one key (3), a
//! tampered state file (9), a publish that is not public replacing a
//! working URL (10), `file:` destinations read loosely (11). Every gvmi
//! runs under the 512 MiB address-space limit and a deadline; each run's
//! time and peak RSS are printed as `MEASURED` lines (`--nocapture`).
//! The images are made-up bytes, so each publish has `--allow-invalid`
//! (the refusal of an invalid image is tested in tests/cli/publish.rs).

mod file_dest;
mod keys;
mod remembered;
mod state_file;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use crate::files::{assert_inert, bounded};
pub use crate::support::*;

/// The longest any run here may take (a hang fails the test).
pub const LIMIT: Duration = Duration::from_secs(60);

/// A home of its own: config, cache and publish state.
pub struct Home(tempfile::TempDir);

impl Home {
    pub fn new() -> Home {
        Home(tempdir())
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// `gvmi ARGS` with config, cache and state here.
    pub fn gvmi<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        gvmi_in(self.path())
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("HOME", self.path())
            .args(args)
    }

    /// `$XDG_STATE_HOME/gvmi/published.v1.json`.
    pub fn state(&self) -> PathBuf {
        self.path().join("state/gvmi/published.v1.json")
    }

    /// The state file's records: image path → URL.
    pub fn urls(&self) -> Vec<(String, String)> {
        let text = std::fs::read(self.state()).expect("a state file");
        let json: serde_json::Value = serde_json::from_slice(&text).unwrap();
        let images = json["images"].as_object().unwrap();
        images
            .iter()
            .map(|(k, v)| (k.clone(), v["url"].as_str().unwrap().to_string()))
            .collect()
    }
}

/// Runs `run` bounded, checks its stderr (and, unless `raw_stdout`, its
/// stdout) holds nothing a terminal acts on, and prints what it took.
#[track_caller]
pub fn attack(what: &str, run: Run) -> Output {
    let started = Instant::now();
    let out = bounded(run, None, LIMIT);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let rss = out
        .max_rss
        .map_or("?".into(), |b| format!("{:.1} MiB", b as f64 / 1048576.0));
    eprintln!(
        "MEASURED {what}: exit {:?}, {ms:.0} ms, peak RSS {rss}",
        out.code
    );
    assert_inert(&format!("{what}: stderr"), &out.stderr);
    assert_inert(&format!("{what}: stdout"), &out.stdout);
    out
}

/// `file:///DIR` for a folder.
pub fn file_url(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

/// Every name in `dir`, sorted (not recursive).
pub fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}
