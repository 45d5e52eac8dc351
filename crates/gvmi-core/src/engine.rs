//! The worker pool: hashes files in parallel and reports on a channel. It
//! never touches a terminal and never blocks on its sender.
//!
//! Submitted batches go into one queue (`queue`), largest file first; up to
//! one worker per pool thread drains it. On a CPU with a multi-lane Keccak
//! (`sha3_fast::WideSponge`) a worker hashes several files at once, one per
//! SIMD lane (`lanes`); otherwise one file at a time (`hasher::hash_file`).

mod feed;
mod lanes;
mod queue;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::Sender;

use crate::cancel::CancelToken;
use crate::event::{JobEvent, JobId, JobSender};
use crate::fsmeta::FileStamp;
use crate::hasher::{self, HashFailure, Hashed};
use crate::sha3_fast::Backend;
use queue::{Queue, Work};

/// One file to hash. `stamp` is what discovery saw: it orders the work and
/// lets hard links to one inode be read once.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: JobId,
    pub path: PathBuf,
    pub stamp: Option<FileStamp>,
}

/// Why a pool could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A backend forced (`GVMI_KECCAK`, tests) that this CPU cannot run.
    #[error("this CPU cannot run {}", .0.name())]
    Unsupported(Backend),
    /// The threads could not be started.
    #[error("cannot start the hashing threads: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
}

/// A rayon pool of its own, so `--jobs` binds only gvmi's hashing.
pub struct Engine {
    pool: Arc<rayon::ThreadPool>,
    queue: Arc<Queue>,
    backend: Backend,
    events: JobSender,
    cancel: CancelToken,
}

impl Engine {
    /// `threads` of `None` or 0 means one per core. Job events go to
    /// `events`, wrapped in whatever its receiver's type is.
    pub fn new<T: From<JobEvent> + Send + 'static>(
        threads: Option<usize>,
        events: Sender<T>,
    ) -> Result<Self, EngineError> {
        Self::with_backend(threads, events, Backend::active())
    }

    /// [`Engine::new`] on a given Keccak backend (tests, benchmarks); a
    /// multi-lane one hashes several files per worker at once.
    pub fn with_backend<T: From<JobEvent> + Send + 'static>(
        threads: Option<usize>,
        events: Sender<T>,
        backend: Backend,
    ) -> Result<Self, EngineError> {
        if !backend.is_supported() {
            return Err(EngineError::Unsupported(backend));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .thread_name(|i| format!("gvmi-hash-{i}"))
            .build()?;
        Ok(Engine {
            pool: Arc::new(pool),
            queue: Arc::default(),
            backend,
            events: JobSender::new(events),
            cancel: CancelToken::new(),
        })
    }

    /// Cancels every job, queued or running; each still sends `Finished`.
    pub fn cancel_all(&self) {
        self.cancel.cancel();
    }

    /// A token that cancels one batch without touching the others.
    pub fn batch_token(&self) -> CancelToken {
        self.cancel.child()
    }

    /// Queues a batch, largest files first so a big image never starts last.
    /// Hard links within the batch are read once and their result shared.
    pub fn submit(&self, jobs: Vec<Job>, cancel: &CancelToken) {
        let work = link_groups(jobs)
            .into_iter()
            .map(|group| Work {
                group,
                cancel: cancel.clone(),
            })
            .collect();
        self.queue_work(work);
    }

    /// Queues jobs that are each cancelled alone (the workbench's rehashes:
    /// rehashing one row again must not stop the others). Each is read,
    /// hard links too: a rehash reads what is on disk now.
    pub fn submit_each(&self, jobs: Vec<(Job, CancelToken)>) {
        let work = (jobs.into_iter())
            .map(|(job, cancel)| Work {
                group: vec![job],
                cancel,
            })
            .collect();
        self.queue_work(work);
    }

    fn queue_work(&self, work: Vec<Work>) {
        let start = self.queue.push(work, self.pool.current_num_threads());
        for _ in 0..start {
            let (queue, events, backend) = (self.queue.clone(), self.events.clone(), self.backend);
            self.pool.spawn(move || match backend.lanes() {
                1 => drain_one_by_one(&queue, &events),
                _ => lanes::run(&queue, &events, backend),
            });
        }
    }
}

/// Jobs sharing one inode, the first of which is read.
fn link_groups(jobs: Vec<Job>) -> Vec<Vec<Job>> {
    let mut groups: Vec<Vec<Job>> = Vec::with_capacity(jobs.len());
    let mut by_inode: HashMap<crate::fsmeta::FileId, usize> = HashMap::new();
    for job in jobs {
        match job.stamp.and_then(|s| s.id) {
            Some(id) => match by_inode.get(&id) {
                Some(&g) => groups[g].push(job),
                None => {
                    by_inode.insert(id, groups.len());
                    groups.push(vec![job]);
                }
            },
            None => groups.push(vec![job]),
        }
    }
    groups
}

/// The scalar worker: one file after another until the queue is empty.
fn drain_one_by_one(queue: &Queue, events: &JobSender) {
    loop {
        match queue.pop() {
            Some(work) => run_group(&work, events),
            None if queue.retire() => return,
            None => {}
        }
    }
}

fn run_group(work: &Work, events: &JobSender) {
    let lead = &work.group[0];
    let result = if work.cancel.is_cancelled() {
        Err(HashFailure::Cancelled)
    } else {
        announce(lead, events);
        hasher::hash_file(&lead.path, &work.cancel, |done| {
            events.send(JobEvent::Progress { id: lead.id, done });
        })
    };
    report(&work.group, result, events);
}

/// `Started` for the job whose file is about to be read.
fn announce(job: &Job, events: &JobSender) {
    let size = job.stamp.map_or(0, |s| s.size);
    events.send(JobEvent::Started { id: job.id, size });
}

/// `Finished` for every job of a link group: one read answers for all.
fn report(group: &[Job], result: Result<Hashed, HashFailure>, events: &JobSender) {
    for job in group {
        events.send(JobEvent::Finished {
            id: job.id,
            result: result.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsupported_backend_is_named() {
        let e = EngineError::Unsupported(Backend::Avx512);
        assert_eq!(e.to_string(), "this CPU cannot run avx512");
    }
}
