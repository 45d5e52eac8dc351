//! The discovery thread: walks the folders, announces each find, and hands
//! images to the engine in small batches so hashing starts at once.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use super::app::JobIds;
use crate::cancel::CancelToken;
use crate::discover::{discover, DiscoverOptions, Found};
use crate::engine::{Engine, Job};
use crate::event::Event;

const BATCH_FILES: usize = 64;
const BATCH_WAIT: Duration = Duration::from_millis(50);

pub fn spawn(
    paths: Vec<PathBuf>,
    opts: DiscoverOptions,
    engine: Arc<Engine>,
    ids: JobIds,
    events: Sender<Event>,
    token: CancelToken,
) {
    thread::Builder::new()
        .name("gvmi-discover".into())
        .spawn(move || {
            let mut batch = Vec::new();
            let mut since = Instant::now();
            discover(&paths, opts, |found| {
                let id = ids.next();
                if let Found::Image { path, stamp, .. } = &found {
                    batch.push(Job {
                        id,
                        path: path.clone(),
                        stamp: Some(*stamp),
                    });
                }
                let _ = events.send(Event::Discovered { id, found });
                if batch.len() >= BATCH_FILES || since.elapsed() >= BATCH_WAIT {
                    engine.submit(std::mem::take(&mut batch), &token);
                    since = Instant::now();
                }
            });
            engine.submit(batch, &token);
            let _ = events.send(Event::DiscoveryDone);
        })
        .expect("spawning the discovery thread");
}
