//! The discovery thread: walks the folders, announces each find, answers
//! what it can from the hash cache, and hands the rest to the engine in
//! small batches so hashing starts at once. Last, it reads each folder's
//! `SHA3SUMS`, the manifests' opinions.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use super::event::{CacheNote, Event};
use super::jobs::JobIds;
use super::keeper::Keeper;
use gvmi_core::cache::Lookup;
use gvmi_core::cancel::CancelToken;
use gvmi_core::discover::{discover, DiscoverOptions, Found};
use gvmi_core::engine::{Engine, Job};
use gvmi_core::event::JobEvent;
use gvmi_core::hasher::Hashed;
use gvmi_core::manifest;

const BATCH_FILES: usize = 64;
const BATCH_WAIT: Duration = Duration::from_millis(50);

pub struct Feed {
    pub paths: Vec<PathBuf>,
    pub opts: DiscoverOptions,
    pub engine: Arc<Engine>,
    pub ids: JobIds,
    pub events: Sender<Event>,
    pub token: CancelToken,
    pub keeper: Keeper,
}

pub fn spawn(feed: Feed) {
    thread::Builder::new()
        .name("gvmi-discover".into())
        .spawn(move || run(feed))
        .expect("spawning the discovery thread");
}

fn run(feed: Feed) {
    let Feed {
        paths,
        opts,
        engine,
        ids,
        events,
        token,
        keeper,
    } = feed;
    let mut batch = Vec::new();
    let mut since = Instant::now();
    let mut folders = BTreeSet::new();
    let submit = |batch: &mut Vec<Job>| keeper.submit(&engine, std::mem::take(batch), &token);
    discover(&paths, opts, |found| {
        let id = ids.next();
        let image = match &found {
            Found::Image { path, stamp, .. } => Some((path.clone(), *stamp)),
            _ => None,
        };
        let _ = events.send(Event::Discovered { id, found });
        let Some((path, stamp)) = image else {
            return;
        };
        folders.insert(manifest::folder_of(&path));
        match keeper.lookup(&path, &stamp) {
            Lookup::Hit(digest) => {
                let _ = events.send(Event::Cache(CacheNote::Hit { id }));
                let result = Ok(Hashed { digest, stamp });
                let _ = events.send(Event::Job(JobEvent::Finished { id, result }));
                return;
            }
            Lookup::Stale(old) => {
                let _ = events.send(Event::Cache(CacheNote::Stale { id, old }));
            }
            Lookup::Miss => {}
        }
        batch.push(Job {
            id,
            path,
            stamp: Some(stamp),
        });
        if batch.len() >= BATCH_FILES || since.elapsed() >= BATCH_WAIT {
            submit(&mut batch);
            since = Instant::now();
        }
    });
    submit(&mut batch);
    let _ = events.send(Event::DiscoveryDone);
    for folder in folders {
        if let Some(sums) = manifest::read_opinions(&folder) {
            let _ = events.send(Event::Sums { folder, sums });
        }
    }
}
