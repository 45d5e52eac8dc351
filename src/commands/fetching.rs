//! Remote bytes hashed for `hash URL`, `snippet URL` and `check` of a
//! remote list or bucket: a few downloads at once, each a
//! `gvmi_core::remote::Stream` (bounded as `verify` bounds a check), its
//! bytes hashed as they arrive: in SIMD lanes as local files are
//! (`remote::lanes`) where the CPU has them, else each on a thread of its
//! own; the progress line kept fresh. Results come back by id, in
//! completion order, as the engine's do (`run_jobs`).

use std::collections::HashMap;

use crossbeam_channel::unbounded;

use crate::progress::Tally;
use crate::status_line::StatusLine;
use gvmi_core::cancel::CancelToken;
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{HashFailure, Hashed};
use gvmi_core::remote::lanes::{self, Report};
pub use gvmi_core::remote::lanes::{Failed, Opener};
use gvmi_core::sha3_fast::Backend;

/// Downloads in flight at once without lanes, unless `--jobs` says otherwise.
pub const AT_ONCE: usize = 4;
/// At most this many whatever `--jobs` says: each holds up to 1 MiB of
/// buffers, so a run stays far below 64 MiB.
pub const MAX_AT_ONCE: usize = 16;

/// One remote source to hash.
pub struct StreamJob<'a> {
    pub id: JobId,
    /// The size a listing gave, if any (for the progress line).
    pub size: Option<u64>,
    pub open: Opener<'a>,
}

/// Hashes `jobs`, `at_once` downloads at a time (`None`: a lane each where
/// the CPU has lanes, else [`AT_ONCE`]), calling `done` for each as it
/// ends, on this thread.
pub fn hash_streams(
    jobs: Vec<StreamJob<'_>>,
    at_once: Option<usize>,
    show_progress: bool,
    mut done: impl FnMut(JobId, Result<Hashed, Failed>),
) -> anyhow::Result<()> {
    let pending = jobs.len();
    if pending == 0 {
        return Ok(());
    }
    let sizes: HashMap<JobId, u64> = (jobs.iter()).map(|j| (j.id, j.size.unwrap_or(0))).collect();
    let mut tally = Tally::new(pending, sizes.values().sum());
    let mut line = StatusLine::on_terminal(show_progress);
    let in_lanes = lanes::available();
    let default = match in_lanes {
        true => Backend::active().lanes(),
        false => AT_ONCE,
    };
    let at_once = at_once.filter(|&n| n > 0).unwrap_or(default);
    let at_once = at_once.min(MAX_AT_ONCE).min(pending);
    let (tx, rx) = unbounded::<Report>();
    let cancel = CancelToken::new();
    let report = move |r| {
        // The receiving end is below, until every download is done.
        let _ = tx.send(r);
    };
    std::thread::scope(|scope| {
        let (cancel, report) = (&cancel, &report);
        if in_lanes {
            let jobs = jobs.into_iter().map(|j| (j.id, j.open));
            std::thread::Builder::new()
                .name("gvmi-lanes".into())
                .spawn_scoped(scope, move || {
                    lanes::hash_in_lanes(jobs, at_once, cancel, report)
                })?;
        } else {
            let (queue, work) = unbounded();
            jobs.into_iter().for_each(|job| drop(queue.send(job)));
            drop(queue);
            for i in 0..at_once {
                let work = work.clone();
                std::thread::Builder::new()
                    .name(format!("gvmi-download-{i}"))
                    .spawn_scoped(scope, move || {
                        for job in work.iter() {
                            let id = job.id;
                            report(Report::Done(id, hash_one(job, cancel, report)));
                        }
                    })?;
            }
        }
        let mut finished = 0;
        while finished < pending {
            let Ok(msg) = rx.recv() else { break };
            match msg {
                Report::Started(id) => {
                    let size = sizes.get(&id).copied().unwrap_or(0);
                    tally.apply(&JobEvent::Started { id, size });
                }
                Report::Progress(id, done) => tally.apply(&JobEvent::Progress { id, done }),
                Report::Done(id, result) => {
                    let result = result.map(|(digest, size)| Hashed {
                        digest,
                        stamp: stamp(size),
                    });
                    let for_tally = match &result {
                        Ok(hashed) => Ok(*hashed),
                        Err(e) => Err(HashFailure::Io(e.to_string())),
                    };
                    tally.apply(&JobEvent::Finished {
                        id,
                        result: for_tally,
                    });
                    finished += 1;
                    line.clear();
                    done(id, result);
                }
            }
            line.show_throttled(|| tally.line());
        }
        line.clear();
        anyhow::ensure!(finished == pending, "a download thread ended early");
        Ok(())
    })
}

fn stamp(size: u64) -> FileStamp {
    FileStamp {
        size,
        mtime: None,
        id: None,
        ctime: None,
    }
}

/// One download on this thread, with the scalar sponge.
fn hash_one(
    job: StreamJob<'_>,
    cancel: &CancelToken,
    report: &(dyn Fn(Report) + Sync),
) -> Result<(gvmi_core::digest::Sha3Digest, u64), Failed> {
    let id = job.id;
    report(Report::Started(id));
    let mut stream = (job.open)(cancel);
    let read = gvmi_core::hasher::hash_reader(&mut stream, cancel, |done| {
        report(Report::Progress(id, done));
    });
    read.map_err(|e| match stream.failure() {
        Some(failure) => Failed::Download(failure.clone()),
        None => Failed::Hash(e),
    })
}
