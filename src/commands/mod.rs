//! One module per subcommand; each exposes `run(args) -> Result<ExitCode>`.

pub mod cache;
mod cached;
pub mod check;
pub mod completions;
mod config_file;
mod fetching;
pub mod hash;
pub mod inspect;
mod json;
pub mod keccak_rates;
pub mod man;
mod ordered;
mod out;
pub mod publish;
pub mod snippet;
pub mod verify;
mod watching;

use std::path::PathBuf;

use crossbeam_channel::{unbounded, Receiver};

use crate::progress::Tally;
use crate::status_line::StatusLine;
use gvmi_core::discover::{discover, DiscoverOptions, Found};
use gvmi_core::engine::{Engine, Job};
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::hasher::{HashFailure, Hashed};

/// Hashes `jobs` on a pool of `threads`, calling `done` for each as it
/// finishes (any order) while the progress line, if wanted, is kept fresh.
fn run_jobs(
    jobs: Vec<Job>,
    threads: Option<usize>,
    show_progress: bool,
    mut done: impl FnMut(JobId, Result<Hashed, HashFailure>),
) -> anyhow::Result<()> {
    let total_bytes = jobs.iter().filter_map(|j| j.stamp).map(|s| s.size).sum();
    let mut tally = Tally::new(jobs.len(), total_bytes);
    let mut line = StatusLine::on_terminal(show_progress);
    let (tx, rx): (_, Receiver<JobEvent>) = unbounded();
    let engine = Engine::new(threads, tx)?;
    let pending = jobs.len();
    engine.submit(jobs, &engine.batch_token());
    let mut finished = 0;
    while finished < pending {
        let event = rx.recv()?;
        tally.apply(&event);
        if let JobEvent::Finished { id, result } = event {
            finished += 1;
            line.clear();
            done(id, result);
        }
        line.show_throttled(|| tally.line());
    }
    line.clear();
    Ok(())
}

/// Discovers `roots` in order, saying on stderr for each folder that holds
/// no image (`gvmi hash DIR` must not succeed silently on nothing). Returns
/// what was found and how many folders were empty.
fn discover_saying_empty(roots: &[PathBuf], opts: DiscoverOptions) -> (Vec<Found>, usize) {
    let mut found = Vec::new();
    let mut empty = 0;
    for root in roots {
        let before = found.len();
        discover(std::slice::from_ref(root), opts, |f| found.push(f));
        // Any other argument always yields one item: an image, stdin or a problem.
        if found.len() == before {
            empty += 1;
            out::warn(
                gvmi_core::visible::visible_path(root),
                "no *.gvmi images found in this folder",
            );
        }
    }
    (found, empty)
}
