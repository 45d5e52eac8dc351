//! The engine's one queue of work: every submitted batch's link groups,
//! largest file first, and the count of workers draining it.
//!
//! Workers pull from here instead of being handed one file each, so that a
//! multi-lane worker can keep several files open at once and take the next
//! file the moment a lane frees. Push, pop and a worker's decision to stop
//! all happen under one lock: a group pushed while the last worker is
//! leaving is never stranded.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use super::Job;
use crate::cancel::CancelToken;

/// Jobs sharing one inode (the first is read) and their batch's token.
pub(super) struct Work {
    pub(crate) group: Vec<Job>,
    pub(crate) cancel: CancelToken,
}

impl Work {
    pub(crate) fn size(&self) -> u64 {
        self.group[0].stamp.map_or(0, |s| s.size)
    }
}

/// Largest first; among equals, first pushed first.
struct Queued {
    size: u64,
    seq: u64,
    work: Work,
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        self.size
            .cmp(&other.size)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Queued {}

#[derive(Default)]
struct State {
    heap: BinaryHeap<Queued>,
    next_seq: u64,
    workers: usize,
}

#[derive(Default)]
pub(super) struct Queue {
    state: Mutex<State>,
}

impl Queue {
    /// Queues `work`; returns how many workers to start so that up to
    /// `max_workers` drain the queue (each started worker is counted here).
    pub(crate) fn push(&self, work: Vec<Work>, max_workers: usize) -> usize {
        let mut s = self.lock();
        for work in work {
            let seq = s.next_seq;
            s.next_seq += 1;
            s.heap.push(Queued {
                size: work.size(),
                seq,
                work,
            });
        }
        let wanted = max_workers.min(s.workers + s.heap.len());
        let start = wanted.saturating_sub(s.workers);
        s.workers += start;
        start
    }

    pub(crate) fn pop(&self) -> Option<Work> {
        self.lock().heap.pop().map(|q| q.work)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lock().heap.is_empty()
    }

    /// A worker with nothing in hand asks to stop: yes (and it is no longer
    /// counted) only if nothing was queued since it last looked.
    pub(crate) fn retire(&self) -> bool {
        let mut s = self.lock();
        if s.heap.is_empty() {
            s.workers -= 1;
            true
        } else {
            false
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A worker that panicked cannot leave the heap half-changed (every
        // change is one call under the lock), so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsmeta::FileStamp;

    fn work(id: usize, size: u64) -> Work {
        Work {
            group: vec![Job {
                id,
                path: format!("f{id}").into(),
                stamp: Some(FileStamp {
                    size,
                    mtime: None,
                    id: None,
                    ctime: None,
                }),
            }],
            cancel: CancelToken::new(),
        }
    }

    #[test]
    fn largest_first_then_in_order_pushed() {
        let q = Queue::default();
        q.push(vec![work(0, 5), work(1, 9), work(2, 5)], 1);
        q.push(vec![work(3, 9)], 1);
        let order: Vec<usize> = std::iter::from_fn(|| q.pop())
            .map(|w| w.group[0].id)
            .collect();
        assert_eq!(order, [1, 3, 0, 2]);
    }

    #[test]
    fn workers_are_started_up_to_the_limit_and_retire_only_when_empty() {
        let q = Queue::default();
        assert_eq!(q.push(vec![work(0, 1)], 2), 1, "one job needs one worker");
        assert_eq!(
            q.push(vec![work(1, 1), work(2, 1)], 2),
            1,
            "then the second"
        );
        assert_eq!(q.push(vec![work(3, 1)], 2), 0, "never more than the limit");
        assert!(!q.retire(), "work is waiting");
        while q.pop().is_some() {}
        assert!(q.retire() && q.retire());
        assert_eq!(
            q.push(vec![work(4, 1)], 2),
            1,
            "retired workers are replaced"
        );
    }
}
