//! Remote bytes hashed for `hash URL`, `snippet URL` and `check` of a
//! remote list or bucket: a few downloads at once, each a
//! `gvmi_core::remote::Stream` (bounded as `verify` bounds a check), its
//! bytes hashed as they arrive, the progress line kept fresh. Results come
//! back by id, in completion order, as the engine's do (`run_jobs`).

use std::fmt;

use crossbeam_channel::unbounded;

use crate::progress::Tally;
use crate::status_line::StatusLine;
use gvmi_core::cancel::CancelToken;
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{self, HashFailure, Hashed};
use gvmi_core::remote::{Failure, Stream};

/// Downloads in flight at once unless `--jobs` says otherwise.
pub const AT_ONCE: usize = 4;
/// At most this many whatever `--jobs` says: each holds up to 1 MiB of
/// buffers, so a run stays far below 64 MiB.
pub const MAX_AT_ONCE: usize = 16;

/// How a download is started, when a slot frees (it may borrow, e.g. the
/// bucket it reads).
pub type Opener<'a> = Box<dyn FnOnce(&CancelToken) -> Stream + Send + 'a>;

/// One remote source to hash.
pub struct StreamJob<'a> {
    pub id: JobId,
    /// The size a listing gave, if any (for the progress line).
    pub size: Option<u64>,
    pub open: Opener<'a>,
}

/// Why a download has no hash: the download's own failure (its status,
/// its words), or the hasher's (cancelled).
#[derive(Debug, Clone)]
pub enum Failed {
    Download(Failure),
    Hash(HashFailure),
}

impl Failed {
    /// The server answered 404 or 410: nothing is there.
    pub fn is_missing(&self) -> bool {
        match self {
            Failed::Download(f) => matches!(f.status(), Some(404 | 410)),
            Failed::Hash(_) => false,
        }
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failed::Download(failure) => failure.fmt(f),
            Failed::Hash(failure) => failure.fmt(f),
        }
    }
}

/// What a download thread tells the one that reports.
enum Msg {
    Job(JobEvent),
    Done(JobId, Result<Hashed, Failed>),
}

/// Hashes `jobs`, `at_once` downloads at a time (`None`: [`AT_ONCE`]),
/// calling `done` for each as it ends, on this thread.
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
    let total_bytes = jobs.iter().filter_map(|j| j.size).sum();
    let mut tally = Tally::new(pending, total_bytes);
    let mut line = StatusLine::on_terminal(show_progress);
    let (events, rx) = unbounded();
    let (queue, work) = unbounded();
    for job in jobs {
        // The receiving end is here: a send cannot fail.
        let _ = queue.send(job);
    }
    drop(queue);
    let cancel = CancelToken::new();
    let threads = at_once.filter(|&n| n > 0).unwrap_or(AT_ONCE);
    let threads = threads.min(MAX_AT_ONCE).min(pending);
    std::thread::scope(|scope| {
        for i in 0..threads {
            let (work, events, cancel) = (work.clone(), events.clone(), cancel.clone());
            std::thread::Builder::new()
                .name(format!("gvmi-download-{i}"))
                .spawn_scoped(scope, move || {
                    for job in work.iter() {
                        let send = |e| {
                            let _ = events.send(Msg::Job(e));
                        };
                        let id = job.id;
                        let result = hash_one(job, &cancel, &send);
                        let _ = events.send(Msg::Done(id, result));
                    }
                })?;
        }
        drop(events);
        let mut finished = 0;
        while finished < pending {
            let Ok(msg) = rx.recv() else { break };
            match msg {
                Msg::Job(event) => tally.apply(&event),
                Msg::Done(id, result) => {
                    let result_for_tally = match &result {
                        Ok(hashed) => Ok(*hashed),
                        Err(e) => Err(HashFailure::Io(e.to_string())),
                    };
                    tally.apply(&JobEvent::Finished {
                        id,
                        result: result_for_tally,
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

fn hash_one(
    job: StreamJob<'_>,
    cancel: &CancelToken,
    send: &dyn Fn(JobEvent),
) -> Result<Hashed, Failed> {
    let id = job.id;
    send(JobEvent::Started {
        id,
        size: job.size.unwrap_or(0),
    });
    let mut stream = (job.open)(cancel);
    let read = hasher::hash_reader(&mut stream, cancel, |done| {
        send(JobEvent::Progress { id, done });
    });
    match read {
        Ok((digest, size)) => Ok(Hashed {
            digest,
            stamp: stamp(size),
        }),
        Err(e) => Err(match stream.failure() {
            Some(failure) => Failed::Download(failure.clone()),
            None => Failed::Hash(e),
        }),
    }
}
