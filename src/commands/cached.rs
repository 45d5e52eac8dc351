//! The hash cache as `gvmi hash` uses it (`cache::Session`, the one the
//! workbench uses too), with the command's words: hits unless `--rehash`,
//! silent corruption caught under `--rehash`, prune, save, `--verbose`.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::out::warn;
use crate::cli::HashCacheArgs;
use gvmi_core::cache::{Lookup, Session};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::Hashed;
use gvmi_core::visible::visible_path;

/// What a run asks of the cache: each command's flags become one of these.
#[derive(Debug, Clone, Copy)]
pub struct CachePolicy {
    /// Read and update it at all (not `--no-cache`).
    pub enabled: bool,
    /// Read every file anyway, and catch silent corruption (`--rehash`).
    pub rehash: bool,
    /// Say at the end how many hashes came from it (`--verbose`).
    pub verbose: bool,
}

impl From<&HashCacheArgs> for CachePolicy {
    fn from(args: &HashCacheArgs) -> Self {
        CachePolicy {
            enabled: !args.no_cache,
            rehash: args.rehash,
            verbose: args.verbose,
        }
    }
}

pub struct CacheSession {
    session: Session,
    /// Files changed after this are too fresh to cache (see `cache::RACY_WINDOW`).
    began: SystemTime,
    rehash: bool,
    verbose: bool,
    hits: usize,
    hashed: usize,
    bytes_read: u64,
    /// Content changed while every piece of metadata stayed: found by `--rehash`.
    pub corrupted: usize,
}

impl CacheSession {
    pub fn open(policy: CachePolicy) -> CacheSession {
        let began = SystemTime::now();
        let session = Session::open(policy.enabled);
        if let (Some(problem), Some(path)) = (session.problem(), session.path()) {
            warn(
                format_args!("cache {}", visible_path(path)),
                format_args!("{problem}; starting a new one"),
            );
        }
        CacheSession {
            session,
            began,
            rehash: policy.rehash,
            verbose: policy.verbose,
            hits: 0,
            hashed: 0,
            bytes_read: 0,
            corrupted: 0,
        }
    }

    /// The cached result for an unchanged file, so it need not be read.
    pub fn lookup(&mut self, path: &Path, stamp: &FileStamp) -> Option<Hashed> {
        match self.session.lookup(path, stamp) {
            Lookup::Hit(digest) if !self.rehash => {
                self.hits += 1;
                Some(Hashed {
                    digest,
                    stamp: *stamp,
                })
            }
            _ => None,
        }
    }

    /// Learns a fresh result. Under `--rehash`, a file whose metadata still
    /// matches its entry but whose hash does not is reported: something
    /// changed its bytes behind the file system's back.
    pub fn learn(&mut self, path: &Path, hashed: &Hashed) {
        self.hashed += 1;
        self.bytes_read += hashed.stamp.size;
        let contradicted = self.session.learn(path, hashed, self.began);
        if let Some(old) = contradicted.filter(|_| self.rehash) {
            self.corrupted += 1;
            warn(
                visible_path(path),
                format_args!(
                    "content changed but metadata did not (was {}, now {}): silent corruption?",
                    old.to_hex(),
                    hashed.digest.to_hex()
                ),
            );
        }
    }

    /// Prunes entries under the folders walked (skipping files seen this
    /// run), saves, and says what the cache did when asked to.
    pub fn finish(mut self, roots: &[PathBuf]) {
        let pruned = self.session.prune_under(roots);
        if let Err(e) = self.session.save() {
            warn(
                format_args!("cache {}", visible_path(&e.path)),
                format_args!("not saved: {}", gvmi_core::io_error::message(&e.error)),
            );
        }
        if self.verbose {
            crate::errln!("gvmi: keccak: {}", keccak_words());
            crate::errln!(
                "gvmi: cache: {} from the cache, {} hashed ({} bytes), {pruned} pruned{}",
                self.hits,
                self.hashed,
                self.bytes_read,
                process_reads().map_or(String::new(), |n| format!(
                    "; this process read {n} bytes in all"
                )),
            );
        }
    }
}

/// The backend this run hashed with, every one this CPU runs, and what
/// `GVMI_CPU_WITHOUT` hid: `avx512vl (4 file(s) per worker at once; one
/// stream: bmi); this CPU runs reference, portable, bmi, avx512x1, avx2,
/// avx512vl, avx512`.
fn keccak_words() -> String {
    use gvmi_core::sha3_fast::{cpu, Backend};
    let active = Backend::active();
    let names = |v: Vec<&str>| v.join(", ");
    let mut words = format!(
        "{} ({} file(s) per worker at once; one stream: {}); this CPU runs {}",
        active.name(),
        active.lanes(),
        active.scalar().name(),
        names(Backend::supported().map(Backend::name).collect())
    );
    let hidden = cpu::hidden_set();
    if !hidden.is_empty() {
        let hidden = names(hidden.iter().map(|f| f.name()).collect());
        words += &format!(" ({} hides {hidden})", cpu::HIDE_ENV);
    }
    words
}

/// Bytes this process has read through any read call (Linux `rchar`): an
/// independent count that lets tests prove a cache hit reads no image.
fn process_reads() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("rchar: "))
        .and_then(|n| n.trim().parse().ok())
}
