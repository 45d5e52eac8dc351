//! Deciding when a changed file is done changing: its size and mtime must
//! hold still for a while before it is hashed, so an image gvmkit-build is
//! still writing never gets a hash of its first half.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::fsmeta::FileStamp;

/// What became of a file being watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// It moved while watched: still being written.
    Writing,
    /// It held still for the settle time: hash it now.
    Settled(FileStamp),
    Removed,
}

struct Pending {
    stamp: Option<FileStamp>,
    since: Instant,
    said_writing: bool,
}

/// Files that changed recently, each waiting to hold still.
pub(crate) struct Settler {
    settle: Duration,
    pending: HashMap<PathBuf, Pending>,
}

impl Settler {
    pub(crate) fn new(settle: Duration) -> Self {
        Settler {
            settle,
            pending: HashMap::new(),
        }
    }

    pub(crate) fn is_idle(&self) -> bool {
        self.pending.is_empty()
    }

    /// Something happened to `path`: watch it until it settles or goes.
    pub(crate) fn touch(&mut self, path: PathBuf, now: Instant) {
        let entry = self.pending.entry(path).or_insert(Pending {
            stamp: None,
            since: now,
            said_writing: false,
        });
        // Another event restarts the clock even if the stamp looks the same
        // (a write within one timestamp tick).
        entry.since = now;
    }

    /// Looks at every pending file once (`stat` is the file system, or a
    /// fake in tests); returns the verdicts reached.
    pub(crate) fn poll(
        &mut self,
        now: Instant,
        stat: impl Fn(&Path) -> io::Result<FileStamp>,
    ) -> Vec<(PathBuf, Verdict)> {
        let mut out = Vec::new();
        self.pending.retain(|path, p| match stat(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                out.push((path.clone(), Verdict::Removed));
                false
            }
            Err(_) => false, // unreadable or not a regular file: not ours to hash
            Ok(stamp) if p.stamp != Some(stamp) => {
                let moved = p.stamp.is_some();
                p.stamp = Some(stamp);
                p.since = now;
                if moved && !p.said_writing {
                    p.said_writing = true;
                    out.push((path.clone(), Verdict::Writing));
                }
                true
            }
            Ok(stamp) if now.duration_since(p.since) >= self.settle => {
                out.push((path.clone(), Verdict::Settled(stamp)));
                false
            }
            Ok(_) => true,
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn stamp(size: u64) -> FileStamp {
        FileStamp {
            size,
            mtime: None,
            id: None,
            ctime: None,
        }
    }

    #[test]
    fn a_growing_file_is_writing_then_settles_once_still() {
        let size = Cell::new(10);
        let stat = |_: &Path| Ok(stamp(size.get()));
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut s = Settler::new(Duration::from_millis(500));
        s.touch("a".into(), t0);
        assert!(s.poll(ms(100), stat).is_empty());
        size.set(20);
        assert_eq!(s.poll(ms(200), stat), [("a".into(), Verdict::Writing)]);
        size.set(30);
        assert!(s.poll(ms(300), stat).is_empty(), "writing is said once");
        assert!(
            s.poll(ms(700), stat).is_empty(),
            "still within the settle time"
        );
        assert_eq!(
            s.poll(ms(800), stat),
            [("a".into(), Verdict::Settled(stamp(30)))]
        );
        assert!(s.is_idle());
    }

    #[test]
    fn a_vanished_file_is_removed() {
        let mut s = Settler::new(Duration::from_millis(500));
        s.touch("a".into(), Instant::now());
        let gone = |_: &Path| Err(io::Error::from(io::ErrorKind::NotFound));
        assert_eq!(
            s.poll(Instant::now(), gone),
            [("a".into(), Verdict::Removed)]
        );
    }
}
