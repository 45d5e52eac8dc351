//! `gvmi cache path|stats|clear|prune`: the hash cache, seen and managed.

use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::cli::CacheCommand;
use gvmi_core::cache::{self, Cache};
use gvmi_core::units::human_bytes;
use gvmi_core::visible::{visible, visible_path};

pub fn run(action: CacheCommand) -> anyhow::Result<ExitCode> {
    let Some(path) = cache::default_path() else {
        bail!("no cache folder: set XDG_CACHE_HOME or HOME");
    };
    match action {
        CacheCommand::Path => println!("{}", path.display()),
        CacheCommand::Stats => {
            let cache = Cache::open(&path);
            let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
            println!("file     {}", visible_path(&path));
            println!("entries  {}", cache.len());
            println!("size     {} ({bytes} bytes)", human_bytes(bytes));
            if let Some(problem) = &cache.problem {
                println!("problem  {} (rebuilt on the next save)", visible(problem));
            }
        }
        CacheCommand::Clear => {
            let before = Cache::open(&path).len();
            Cache::open(&path)
                .clear()
                .with_context(|| format!("clearing {}", path.display()))?;
            println!("cleared {before} entries");
        }
        CacheCommand::Prune => {
            let mut cache = Cache::open(&path);
            let dropped = cache::prune_missing(&mut cache, |_| true);
            cache
                .save()
                .with_context(|| format!("saving {}", path.display()))?;
            println!("pruned {dropped} entries, {} kept", cache.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}
