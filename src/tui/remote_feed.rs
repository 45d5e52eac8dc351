//! The workbench's remote sources off the UI thread: a listing thread that
//! reads each bucket prefix a page at a time (objects with their sizes,
//! recorded hashes and public URLs) and a few download threads that hash
//! an object's bytes when `r` asks (`remote::Stream`: bounded as `verify`
//! bounds a check, 1 MiB of buffers each, stopped at once by the row's
//! token or quitting). Both report on the events channel: the listing as
//! `Event::Remote`, the downloads as the engine's `JobEvent`s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{unbounded, Sender};

use super::event::{Event, RemoteEvent};
use gvmi_core::cancel::CancelToken;
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{self, HashFailure, Hashed};
use gvmi_core::remote::{Bucket, Object, Options};

/// Objects downloaded at once on `r`/`R`.
const DOWNLOADS: usize = 4;
/// Progress reports per download are at most this frequent.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// One object to hash for one row.
#[derive(Debug, Clone)]
pub struct FetchJob {
    pub id: JobId,
    pub source: usize,
    pub object: Object,
    pub token: CancelToken,
}

/// The buckets, opened before the screen took over (a bad flag or a
/// missing credential is said plainly), and the download threads.
pub struct RemoteFeed {
    fetch: Sender<FetchJob>,
}

impl RemoteFeed {
    /// Lists every bucket on its own thread (`token` ends it) and starts
    /// the download threads.
    pub fn start(buckets: Vec<Bucket>, events: Sender<Event>, token: CancelToken) -> Self {
        let buckets = Arc::new(buckets);
        let (lister, tx) = (Arc::clone(&buckets), events.clone());
        spawn("gvmi-list", move || list(&lister, &tx, &token));
        let (fetch, jobs) = unbounded::<FetchJob>();
        for i in 0..DOWNLOADS {
            let (jobs, tx, buckets) = (jobs.clone(), events.clone(), Arc::clone(&buckets));
            spawn(&format!("gvmi-download-{i}"), move || {
                for job in jobs {
                    let result = match buckets.get(job.source) {
                        Some(bucket) => fetch_one(bucket, &job, &tx),
                        None => Err(HashFailure::Io("no such source".into())),
                    };
                    let finished = JobEvent::Finished { id: job.id, result };
                    if tx.send(Event::Job(finished)).is_err() {
                        break;
                    }
                }
            });
        }
        RemoteFeed { fetch }
    }

    pub fn fetch(&self, job: FetchJob) {
        let _ = self.fetch.send(job);
    }
}

fn spawn(name: &str, body: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(body)
        .expect("spawning a remote thread");
}

fn list(buckets: &[Bucket], tx: &Sender<Event>, token: &CancelToken) {
    for (source, bucket) in buckets.iter().enumerate() {
        for page in bucket.pages(token) {
            let event = match page {
                Ok(objects) => RemoteEvent::Listed { source, objects },
                Err(e) => RemoteEvent::Failed {
                    name: bucket.name(),
                    why: e.to_string(),
                },
            };
            if tx.send(Event::Remote(event)).is_err() {
                return;
            }
        }
    }
    let _ = tx.send(Event::Remote(RemoteEvent::Done));
}

fn fetch_one(bucket: &Bucket, job: &FetchJob, tx: &Sender<Event>) -> Result<Hashed, HashFailure> {
    if job.token.is_cancelled() {
        return Err(HashFailure::Cancelled);
    }
    let id = job.id;
    let size = job.object.size;
    let _ = tx.send(Event::Job(JobEvent::Started { id, size }));
    let mut stream = bucket.stream(&job.object, &Options::default(), &job.token);
    let mut last = Instant::now();
    let read = hasher::hash_reader(&mut stream, &job.token, |done| {
        if last.elapsed() >= PROGRESS_EVERY {
            last = Instant::now();
            let _ = tx.send(Event::Job(JobEvent::Progress { id, done }));
        }
    });
    let (digest, size) = match read {
        Ok(read) => read,
        // The download's own words (a status, a timeout), not the reader's.
        Err(e) => match stream.failure() {
            Some(failure) if !job.token.is_cancelled() => {
                return Err(HashFailure::Io(failure.to_string()))
            }
            _ => return Err(e),
        },
    };
    let stamp = FileStamp {
        size,
        mtime: None,
        id: None,
        ctime: None,
    };
    Ok(Hashed { digest, stamp })
}
