//! Remote bytes hashed for `hash URL`, `snippet URL` and `check` of a
//! remote list or bucket: a few downloads at once, each a
//! `gvmi_core::remote::Stream` (bounded as `verify` bounds a check), its
//! bytes hashed as they arrive, the progress line kept fresh. Results come
//! back by id, in completion order, as the engine's do (`run_jobs`).

use crossbeam_channel::{unbounded, Receiver};

use crate::progress::Tally;
use crate::status_line::StatusLine;
use gvmi_core::cancel::CancelToken;
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{self, HashFailure, Hashed};
use gvmi_core::remote::Stream;

/// Downloads in flight at once unless `--jobs` says otherwise.
pub const AT_ONCE: usize = 4;

/// One remote source to hash: `open` starts its download when a slot frees.
pub struct StreamJob {
    pub id: JobId,
    /// The size a listing gave, if any (for the progress line).
    pub size: Option<u64>,
    pub open: Box<dyn FnOnce(&CancelToken) -> Stream + Send>,
}

/// Hashes `jobs`, `at_once` downloads at a time, calling `done` for each
/// as it ends; a failure is in `verify::Failure`'s words.
pub fn hash_streams(
    jobs: Vec<StreamJob>,
    at_once: Option<usize>,
    show_progress: bool,
    mut done: impl FnMut(JobId, Result<Hashed, HashFailure>),
) -> anyhow::Result<()> {
    let pending = jobs.len();
    if pending == 0 {
        return Ok(());
    }
    let total_bytes = jobs.iter().filter_map(|j| j.size).sum();
    let mut tally = Tally::new(pending, total_bytes);
    let mut line = StatusLine::on_terminal(show_progress);
    let (events, rx): (_, Receiver<JobEvent>) = unbounded();
    let (queue, work) = unbounded();
    for job in jobs {
        // The receiving end is here: a send cannot fail.
        let _ = queue.send(job);
    }
    drop(queue);
    let cancel = CancelToken::new();
    let threads = at_once.filter(|&n| n > 0).unwrap_or(AT_ONCE).min(pending);
    for i in 0..threads {
        let (work, events, cancel) = (work.clone(), events.clone(), cancel.clone());
        std::thread::Builder::new()
            .name(format!("gvmi-download-{i}"))
            .spawn(move || {
                for job in work.iter() {
                    let result = hash_one(job.id, job.open, &cancel, &|e| {
                        let _ = events.send(e);
                    });
                    let _ = events.send(JobEvent::Finished { id: job.id, result });
                }
            })?;
    }
    drop(events);
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

fn hash_one(
    id: JobId,
    open: Box<dyn FnOnce(&CancelToken) -> Stream + Send>,
    cancel: &CancelToken,
    send: &dyn Fn(JobEvent),
) -> Result<Hashed, HashFailure> {
    send(JobEvent::Started { id, size: 0 });
    let mut stream = open(cancel);
    let (digest, size) = hasher::hash_reader(&mut stream, cancel, |done| {
        send(JobEvent::Progress { id, done });
    })?;
    Ok(Hashed {
        digest,
        stamp: FileStamp {
            size,
            mtime: None,
            id: None,
            ctime: None,
        },
    })
}
