//! Threads for the workbench's checks: one inspects images (head and tail
//! reads, fast), a few verify URLs (network-bound, slow). They report on
//! the same channel as hashing, so the UI thread never does the I/O.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::{unbounded, Receiver, Sender};

use super::event::{Event, WorkerEvent};
use gvmi_core::cancel::CancelToken;
use gvmi_core::caught;
use gvmi_core::event::JobId;
use gvmi_core::gvmi_format;
use gvmi_core::io_error;
use gvmi_core::verify::{self, Expected, Failure, Options, Stage};

/// URLs verified at once: enough to overlap latency, few enough to be polite.
const VERIFIERS: usize = 3;
/// Progress reports per verification are at most this frequent.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// One URL to check for one row.
#[derive(Debug, Clone)]
pub struct VerifyJob {
    pub id: JobId,
    pub url: String,
    pub expected: Expected,
    pub token: CancelToken,
}

pub struct Workers {
    inspect: Sender<(JobId, PathBuf)>,
    verify: Sender<VerifyJob>,
    publisher: super::publisher::Publisher,
}

impl Workers {
    pub fn start(events: Sender<Event>, options: Options) -> Self {
        let (inspect, inspect_rx) = unbounded::<(JobId, PathBuf)>();
        let tx = events.clone();
        spawn("gvmi-inspect", move || {
            for (id, path) in inspect_rx {
                // A bug on a hostile image becomes this row's error.
                let result = caught::catch(|| gvmi_format::inspect_file(&path))
                    .map_err(|panic| panic.to_string())
                    .and_then(|r| r.map(Box::new).map_err(|e| io_error::message(&e)));
                let event = WorkerEvent::Inspected { id, result };
                if tx.send(Event::Worker(event)).is_err() {
                    break;
                }
            }
        });
        let (verify, verify_rx) = unbounded::<VerifyJob>();
        for i in 0..VERIFIERS {
            let (rx, tx): (Receiver<VerifyJob>, _) = (verify_rx.clone(), events.clone());
            spawn(&format!("gvmi-verify-{i}"), move || {
                for job in rx {
                    if job.token.is_cancelled() {
                        continue;
                    }
                    // Uncaught: the panic hook must end the program (tests).
                    caught::test_panic("verify-uncaught");
                    run_verify(&job, &options, &tx);
                }
            });
        }
        let publisher = super::publisher::Publisher::start(events);
        Workers {
            inspect,
            verify,
            publisher,
        }
    }

    pub fn inspect(&self, id: JobId, path: PathBuf) {
        let _ = self.inspect.send((id, path));
    }

    pub fn verify(&self, job: VerifyJob) {
        let _ = self.verify.send(job);
    }

    pub fn publish(&self, job: super::publisher::PublishJob) {
        self.publisher.publish(job);
    }
}

fn spawn(name: &str, body: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(body)
        .expect("spawning a check worker");
}

fn run_verify(job: &VerifyJob, options: &Options, tx: &Sender<Event>) {
    let id = job.id;
    let mut last: Option<Instant> = None;
    // A panic here becomes the row's error; the workbench keeps running
    // on its full screen (the panic hook leaves caught panics alone).
    let result = caught::catch(|| {
        caught::test_panic("verify");
        verify::verify(&job.url, job.expected, options, &job.token, |stage| {
            // A 3 GB image would otherwise send thousands of events a second.
            let due = last.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY);
            if due || stage == Stage::Head {
                last = Some(Instant::now());
                let _ = tx.send(Event::Worker(WorkerEvent::Verifying { id, stage }));
            }
        })
    })
    .unwrap_or_else(|panic| {
        Err(Failure::Internal {
            url: job.url.clone(),
            detail: panic.message().to_string(),
        })
    });
    let _ = tx.send(Event::Worker(WorkerEvent::Verified { id, result }));
}
