//! Overall progress of a batch: what the CLI's stderr line (drawn by
//! `status_line`) and the TUI's gauge show.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::units::{eta, human_bytes, human_duration, mb_per_s};

/// Running totals, fed by the same events the results come from.
#[derive(Debug, Clone)]
pub struct Tally {
    pub total_bytes: u64,
    pub total_files: usize,
    pub files_done: usize,
    pub errors: usize,
    finished_bytes: u64,
    in_flight: HashMap<JobId, u64>,
    started: Instant,
}

impl Tally {
    pub fn new(total_files: usize, total_bytes: u64) -> Self {
        Self::starting_at(total_files, total_bytes, Instant::now())
    }

    pub fn starting_at(total_files: usize, total_bytes: u64, started: Instant) -> Self {
        Tally {
            total_bytes,
            total_files,
            files_done: 0,
            errors: 0,
            finished_bytes: 0,
            in_flight: HashMap::new(),
            started,
        }
    }

    /// Counts `n` more files known only now (the TUI learns them as discovery runs).
    pub fn add_files(&mut self, n: usize, bytes: u64) {
        self.total_files += n;
        self.total_bytes += bytes;
    }

    pub fn apply(&mut self, event: &JobEvent) {
        match event {
            JobEvent::Started { id, .. } => {
                self.in_flight.insert(*id, 0);
            }
            JobEvent::Progress { id, done } => {
                self.in_flight.insert(*id, *done);
            }
            JobEvent::Finished { id, result } => {
                self.in_flight.remove(id);
                self.files_done += 1;
                match result {
                    Ok(h) => self.finished_bytes += h.stamp.size,
                    Err(_) => self.errors += 1,
                }
            }
        }
    }

    /// Drops a job that will never be reported (replaced by a rehash).
    pub fn forget(&mut self, id: JobId, size: u64) {
        self.in_flight.remove(&id);
        self.total_files = self.total_files.saturating_sub(1);
        self.total_bytes = self.total_bytes.saturating_sub(size);
    }

    /// Counts a file that failed before any worker saw it (discovery problems).
    pub fn record_failure(&mut self) {
        self.files_done += 1;
        self.errors += 1;
    }

    pub fn bytes_done(&self) -> u64 {
        self.finished_bytes + self.in_flight.values().sum::<u64>()
    }

    pub fn started(&self) -> Instant {
        self.started
    }

    /// Time since the tally began, as of `now` (the TUI passes its frame clock).
    pub fn elapsed_at(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.started)
    }

    /// `  312.0 MiB / 1.0 GiB  452.1 MB/s  ETA 1s  3/8 files  1 error`
    pub fn line(&self) -> String {
        self.line_at(Instant::now())
    }

    pub fn line_at(&self, now: Instant) -> String {
        let done = self.bytes_done();
        let elapsed = self.elapsed_at(now);
        let eta = match eta(done, self.total_bytes, elapsed) {
            Some(left) => human_duration(left),
            None => "--".to_string(),
        };
        let mut s = format!(
            "{} / {}  {:.1} MB/s  ETA {}  {}/{} files",
            human_bytes(done),
            human_bytes(self.total_bytes),
            mb_per_s(done, elapsed),
            eta,
            self.files_done,
            self.total_files
        );
        if self.errors > 0 {
            let plural = if self.errors == 1 { "" } else { "s" };
            s.push_str(&format!("  {} error{plural}", self.errors));
        }
        s
    }
}
