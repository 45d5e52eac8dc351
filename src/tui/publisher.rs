//! The workbench's `p` / `P`: images published on a worker thread of their
//! own (one at a time; a large image's parts go in parallel), through
//! `publish::Destination`, as `gvmi publish` does. Progress and the outcome
//! come back as `WorkerEvent`s; the record for `snippet`/`verify` is
//! written here, never on the UI thread.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::{unbounded, Sender};

use super::event::{Event, NotPublished, PublishedAt, WorkerEvent};
use gvmi_core::cancel::CancelToken;
use gvmi_core::caught;
use gvmi_core::config::PublishTo;
use gvmi_core::digest::Sha3Digest;
use gvmi_core::event::JobId;
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::publish::{state, Destination};
use gvmi_core::snippet::caveat;

const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// One image to publish for one row.
#[derive(Debug, Clone)]
pub struct PublishJob {
    pub id: JobId,
    pub path: PathBuf,
    pub to: PublishTo,
    /// The row's hash, when known (skips a read to compare).
    pub known: Option<Sha3Digest>,
    /// The publish records to add to (`publish::state::path()`), if any.
    pub record_in: Option<PathBuf>,
    pub token: CancelToken,
}

/// The thread's inbox.
pub struct Publisher(Sender<PublishJob>);

impl Publisher {
    pub fn start(events: Sender<Event>) -> Self {
        let (tx, rx) = unbounded::<PublishJob>();
        std::thread::Builder::new()
            .name("gvmi-publish".into())
            .spawn(move || {
                for job in rx {
                    if !job.token.is_cancelled() {
                        run(&job, &events);
                    }
                }
            })
            .expect("spawning the publish worker");
        Publisher(tx)
    }

    pub fn publish(&self, job: PublishJob) {
        let _ = self.0.send(job);
    }
}

fn run(job: &PublishJob, tx: &Sender<Event>) {
    let id = job.id;
    let mut notes = Vec::new();
    // A bug on the way becomes this row's error, as verification's do.
    let result = caught::catch(|| publish(job, tx, &mut notes))
        .unwrap_or_else(|panic| Err(NotPublished::before_upload(panic.to_string())));
    let _ = tx.send(Event::Worker(WorkerEvent::Published { id, result, notes }));
}

/// Publishes one image; what the record keeping had to say (a URL kept,
/// a state file set aside or not written) goes to `notes`.
fn publish(
    job: &PublishJob,
    tx: &Sender<Event>,
    notes: &mut Vec<String>,
) -> Result<PublishedAt, NotPublished> {
    let to = &job.to;
    let before = |why: String| NotPublished::before_upload(why);
    // `gvmi publish`'s rule: an image providers will refuse is not published.
    let anyway = "`gvmi publish --allow-invalid` publishes it anyway";
    caveat::admit(&job.path, false, anyway).map_err(|e| before(e.to_string()))?;
    let target =
        Destination::open(&to.spec, Default::default()).map_err(|r| before(r.to_string()))?;
    let meta =
        std::fs::metadata(&job.path).map_err(|e| before(gvmi_core::io_error::message(&e)))?;
    let stamp = FileStamp::of(&meta);
    let (id, total) = (job.id, stamp.size);
    let mut last: Option<Instant> = None;
    let mut progress = |done: u64| {
        if last.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY) {
            last = Some(Instant::now());
            let _ = tx.send(Event::Worker(WorkerEvent::Publishing { id, done, total }));
        }
    };
    let out = target.publish(
        &job.path,
        &to.folder,
        &stamp,
        job.known,
        &job.token,
        &mut progress,
    );
    if let Some(file) = &job.record_in {
        // Not saved is not fatal: the row shows the URL this session anyway,
        // and the status line and details pane say why it will not be kept.
        match state::remember_outcomes(file, std::slice::from_ref(&out)) {
            Ok(said) => notes.extend(said),
            Err(e) => notes.push(format!(
                "its URL is not remembered for gvmi snippet and verify: {}: {}",
                file.display(),
                gvmi_core::io_error::message(&e)
            )),
        }
    }
    // What the record now says, by the same rule, for the workbench's rows.
    let record = state::candidates(std::slice::from_ref(&out)).pop();
    let uploaded = out.action == Some(gvmi_core::publish::Action::Uploaded);
    match (out.failure, out.url) {
        // The words and the fix `gvmi publish` gives, whole; whether the
        // bytes are there (uploaded or already there) is said too.
        (Some((_, _, why)), url) => Err(NotPublished {
            stored_at: url.filter(|_| out.action.is_some()),
            why,
            fix: out.fix,
        }),
        (None, Some(url)) => Ok(PublishedAt {
            url,
            uploaded,
            record,
        }),
        (None, None) => Err(before("no URL for this image".into())),
    }
}
