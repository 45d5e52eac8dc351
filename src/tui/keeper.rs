//! The workbench's hash cache (`cache::Session`, the one `gvmi hash` uses
//! too), on a thread of its own: it loads the file (discovery waits for
//! it), answers discovery's look-ups, learns results the UI thread passes
//! on (`Effect::JobDone`, for every job that ends, so it forgets when each
//! began), and saves every few seconds and on quit, so the UI thread never
//! touches the file. The lock is taken per look-up, per message: never
//! across a walk, so a save or the quit never waits for discovery.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crossbeam_channel::{bounded, unbounded, Receiver, RecvTimeoutError, Sender};

use super::event::{CacheNote, Event};
use gvmi_core::cache::{Lookup, Session};
use gvmi_core::cancel::CancelToken;
use gvmi_core::engine::{Engine, Job};
use gvmi_core::event::JobId;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::Hashed;

/// How often new results are saved while the workbench runs.
const SAVE_EVERY: Duration = Duration::from_secs(3);

enum Message {
    /// These jobs are about to be submitted: results from them may be kept
    /// only if the file was last changed before now (see `cache::RACY_WINDOW`).
    Queued(Vec<JobId>, SystemTime),
    /// A job ended, with a fresh result to keep, or none (it failed, was
    /// cancelled or superseded): either way its start is forgotten.
    Done(JobId, Option<(PathBuf, Hashed)>),
    Stop,
}

/// When each job the cache was told of began, until it ends: bounded by
/// the jobs in flight, since every job that is queued ends (the engine
/// sends `Finished` for each, cancelled ones too) and the UI thread passes
/// every end on.
#[derive(Debug, Default)]
struct Began(HashMap<JobId, SystemTime>);

impl Began {
    fn queued(&mut self, ids: Vec<JobId>, at: SystemTime) {
        self.0.extend(ids.into_iter().map(|id| (id, at)));
    }

    /// The job ended: when it began, if it was queued (a cache hit was not).
    fn done(&mut self, id: JobId) -> Option<SystemTime> {
        self.0.remove(&id)
    }
}

#[derive(Clone)]
pub struct Keeper {
    tx: Sender<Message>,
    /// Discovery's access; `None` until loaded.
    cache: Arc<Mutex<Option<Session>>>,
    loaded: Receiver<()>,
}

impl Keeper {
    /// Starts the thread; with `enabled` false, the cache is a no-op. The
    /// returned receiver disconnects when the thread has saved and ended;
    /// it carries why, if that final save failed.
    pub fn spawn(enabled: bool, events: Sender<Event>) -> (Keeper, Receiver<String>) {
        Keeper::spawn_over(move || Session::open(enabled), events)
    }

    /// [`Keeper::spawn`] on the session `open` makes (on the new thread).
    fn spawn_over(
        open: impl FnOnce() -> Session + Send + 'static,
        events: Sender<Event>,
    ) -> (Keeper, Receiver<String>) {
        let (tx, rx) = unbounded();
        let (loaded_tx, loaded) = bounded(0);
        let (done_tx, done) = bounded::<String>(1);
        let cache = Arc::new(Mutex::new(None));
        let shared = Arc::clone(&cache);
        std::thread::Builder::new()
            .name("gvmi-cache".into())
            .spawn(move || {
                let done = done_tx;
                let opened = open();
                if let Some(problem) = opened.problem() {
                    let _ = events.send(Event::Cache(CacheNote::Problem(problem.to_string())));
                }
                *shared.lock().unwrap() = Some(opened);
                drop(loaded_tx); // wakes every waiter
                if let Some(why) = run(&rx, &shared, &events) {
                    let _ = done.send(why);
                }
            })
            .expect("spawning the cache thread");
        (Keeper { tx, cache, loaded }, done)
    }

    /// What the cache knows of `path` with `stamp`. Waits until the cache is
    /// loaded; the lock is held for this one look-up only, never across a
    /// walk, so saves and quitting never wait for discovery.
    pub fn lookup(&self, path: &Path, stamp: &FileStamp) -> Lookup {
        let _ = self.loaded.recv(); // returns when the loader drops its sender
        let mut guard = self.cache.lock().unwrap();
        guard.as_mut().expect("loaded").lookup(path, stamp)
    }

    /// Tells the cache these jobs begin now (results may be kept only if
    /// the file was last changed before: `cache::RACY_WINDOW`), then hands
    /// them to the engine: the one way the workbench submits hashing.
    pub fn submit(&self, engine: &Engine, jobs: Vec<Job>, token: &CancelToken) {
        if jobs.is_empty() {
            return;
        }
        let ids = jobs.iter().map(|j| j.id).collect();
        let _ = self.tx.send(Message::Queued(ids, SystemTime::now()));
        engine.submit(jobs, token);
    }

    /// [`Keeper::submit`] for jobs each with its own token (rehashes).
    pub fn submit_each(&self, engine: &Engine, jobs: Vec<(Job, CancelToken)>) {
        if jobs.is_empty() {
            return;
        }
        let ids = jobs.iter().map(|(j, _)| j.id).collect();
        let _ = self.tx.send(Message::Queued(ids, SystemTime::now()));
        engine.submit_each(jobs);
    }

    /// Job `id` ended; `fresh` is a result the cache should keep.
    pub fn done(&self, id: JobId, fresh: Option<(PathBuf, Hashed)>) {
        let _ = self.tx.send(Message::Done(id, fresh));
    }

    /// Asks the thread to save and end.
    pub fn stop(&self) {
        let _ = self.tx.send(Message::Stop);
    }
}

/// Serves until told to stop; returns why the final save failed, if it did.
fn run(
    rx: &Receiver<Message>,
    shared: &Mutex<Option<Session>>,
    events: &Sender<Event>,
) -> Option<String> {
    let mut began = Began::default();
    let mut said: Option<String> = None;
    let mut last_save = std::time::Instant::now();
    loop {
        let message = rx.recv_timeout(SAVE_EVERY);
        let mut guard = shared.lock().unwrap();
        let cache = guard.as_mut().expect("loaded before the loop");
        match message {
            Ok(Message::Queued(ids, at)) => began.queued(ids, at),
            Ok(Message::Done(id, fresh)) => {
                // No record of when it began (a cache hit): nothing to learn.
                if let (Some(at), Some((path, hashed))) = (began.done(id), fresh) {
                    cache.learn(&path, &hashed, at);
                }
            }
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => {
                return cache.save().err().map(|e| e.to_string());
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        if last_save.elapsed() >= SAVE_EVERY {
            // A failure is retried next time, and said once per reason.
            match cache.save().map_err(|e| e.to_string()) {
                Ok(()) => said = None,
                Err(why) if said.as_ref() != Some(&why) => {
                    let _ = events.send(Event::Cache(CacheNote::NotSaved(why.clone())));
                    said = Some(why);
                }
                Err(_) => {}
            }
            last_save = std::time::Instant::now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gvmi_core::cache::Cache;
    use std::time::Instant;

    /// Every job the cache was told of is forgotten when it ends, with a
    /// result or not: failed, cancelled and superseded jobs leave nothing.
    #[test]
    fn every_ended_job_is_forgotten() {
        let mut began = Began::default();
        began.queued(vec![1, 2, 3, 4], SystemTime::now());
        assert!(began.done(1).is_some(), "a result");
        assert!(began.done(2).is_some(), "a failure");
        assert!(began.done(3).is_some(), "cancelled");
        assert!(began.done(4).is_some(), "superseded");
        assert!(began.done(99).is_none(), "a cache hit was never queued");
        assert!(began.0.is_empty());
    }

    /// Discovery looking up file after file (a long walk) never keeps the
    /// cache from saving: quitting mid-walk saves at once.
    #[test]
    fn quitting_while_discovery_looks_up_saves_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hashes.v1.bin");
        std::fs::write(&file, b"not a cache").unwrap(); // replaced on save
        let at = file.clone();
        let (events, _rx) = unbounded();
        let (keeper, done) = Keeper::spawn_over(move || Session::over(Cache::open(&at)), events);
        let walking = keeper.clone();
        let stop_walk = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&stop_walk);
        let walk = std::thread::spawn(move || {
            let stamp = FileStamp {
                size: 1,
                mtime: None,
                id: None,
                ctime: None,
            };
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                walking.lookup(Path::new(&format!("/walk/{n}.gvmi")), &stamp);
                n += 1;
            }
        });
        std::thread::sleep(Duration::from_millis(200)); // mid-walk
        let asked = Instant::now();
        keeper.stop();
        assert!(
            matches!(done.recv_timeout(Duration::from_secs(2)), Err(e) if e.is_disconnected()),
            "the keeper did not save and end while the walk went on"
        );
        assert!(asked.elapsed() < Duration::from_secs(2));
        stop_walk.store(true, std::sync::atomic::Ordering::Relaxed);
        walk.join().unwrap();
        assert_eq!(
            Cache::open(&file).problem,
            None,
            "the broken file was replaced"
        );
    }
}
