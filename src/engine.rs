//! The worker pool: hashes files in parallel, one file per task, and reports
//! on a channel. It never touches a terminal and never blocks on its sender.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::Sender;

use crate::cancel::CancelToken;
use crate::event::{Event, JobId};
use crate::fsmeta::FileStamp;
use crate::hasher::{self, HashFailure};

/// One file to hash. `stamp` is what discovery saw: it orders the work and
/// lets hard links to one inode be read once.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: JobId,
    pub path: PathBuf,
    pub stamp: Option<FileStamp>,
}

/// A rayon pool of its own, so `--jobs` binds only gvmi's hashing.
pub struct Engine {
    pool: Arc<rayon::ThreadPool>,
    events: Sender<Event>,
    cancel: CancelToken,
}

impl Engine {
    /// `threads` of `None` or 0 means one per core.
    pub fn new(threads: Option<usize>, events: Sender<Event>) -> anyhow::Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .thread_name(|i| format!("gvmi-hash-{i}"))
            .build()?;
        Ok(Engine {
            pool: Arc::new(pool),
            events,
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
        for group in link_groups(jobs) {
            let events = self.events.clone();
            let cancel = cancel.clone();
            self.pool.spawn(move || run_group(group, &cancel, &events));
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
    groups.sort_by_key(|g| std::cmp::Reverse(g[0].stamp.map_or(0, |s| s.size)));
    groups
}

fn run_group(group: Vec<Job>, cancel: &CancelToken, events: &Sender<Event>) {
    let lead = &group[0];
    let result = if cancel.is_cancelled() {
        Err(HashFailure::Cancelled)
    } else {
        hash_one(lead, cancel, events)
    };
    for job in &group {
        // The receiver may be gone (the user quit); there is nobody left to tell.
        let _ = events.send(Event::Finished {
            id: job.id,
            result: result.clone(),
        });
    }
}

fn hash_one(
    job: &Job,
    cancel: &CancelToken,
    events: &Sender<Event>,
) -> Result<hasher::Hashed, HashFailure> {
    let size = job.stamp.map_or(0, |s| s.size);
    let _ = events.send(Event::Started { id: job.id, size });
    hasher::hash_file(&job.path, cancel, |done| {
        let _ = events.send(Event::Progress { id: job.id, done });
    })
}
