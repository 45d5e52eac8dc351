//! An image mapped into memory for hashing: the bytes are read where the
//! page cache holds them, with no copy into a buffer of ours.
//!
//! Linux only (elsewhere [`Mapping::map`] says `Unsupported` and callers
//! read instead). The mapping is read-only and private, advised
//! `MADV_SEQUENTIAL` (the kernel reads ahead aggressively on faults and
//! may drop pages behind) and `MADV_NOHUGEPAGE` (a fault maps a small
//! range, never a whole 2 MiB folio), and pages the reader is done with are dropped
//! from it every [`RELEASE_STEP`] (`MADV_DONTNEED`: the page cache keeps
//! them, our resident set does not), so a mapping holds at most about
//! that much of the file resident, whatever the file's size.
//!
//! A file truncated while mapped: see `sigbus`. Its pages past the new end
//! read as zeros and [`Mapping::faulted`] says so.

use std::fs::File;
use std::io;

/// Bytes behind the reader's position after which they are dropped from
/// our resident set: 256 KiB, one lane's round (a `madvise` per round
/// measured no dearer than fewer, larger ones).
pub const RELEASE_STEP: usize = 256 << 10;

#[cfg(target_os = "linux")]
pub(crate) use linux::Mapping;

#[cfg(not(target_os = "linux"))]
pub(crate) use elsewhere::Mapping;

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use crate::fsmeta::sigbus::Guarded;
    use std::os::unix::io::AsRawFd;

    /// The first `len` bytes of a file, mapped; see the module comment.
    /// Not `Send`: read only on the thread that mapped it (the SIGBUS
    /// guard is per thread).
    pub(crate) struct Mapping {
        ptr: *mut libc::c_void,
        len: usize,
        /// Bytes before this offset have been dropped from our resident set.
        released: usize,
        /// Always `Some` until drop, which unregisters it before unmapping.
        guard: Option<Guarded>,
    }

    impl Mapping {
        /// Maps the first `len` bytes (the size `file` had when opened; at
        /// least 1) of `file` read-only.
        pub(crate) fn map(file: &File, len: u64) -> io::Result<Mapping> {
            let len = usize::try_from(len)
                .ok()
                .filter(|&l| l > 0)
                .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
            // SAFETY: a fresh mapping chosen by the kernel (no MAP_FIXED):
            // it overlaps nothing of ours. PROT_READ + MAP_PRIVATE: nothing
            // we do writes the file.
            let ptr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE,
                    file.as_raw_fd(),
                    0,
                )
            };
            if ptr == libc::MAP_FAILED {
                return Err(io::Error::last_os_error());
            }
            let Some(guard) = Guarded::register(ptr as usize, len) else {
                // SAFETY: unmapping the mapping just made, never read.
                unsafe { libc::munmap(ptr, len) };
                return Err(io::Error::other("cannot guard a mapping against SIGBUS"));
            };
            // SAFETY: advice on our own live mapping; hints only. No huge
            // pages: where the page cache holds the file in 2 MiB folios a
            // fault would map a whole one, 2 MiB resident ahead of every
            // lane (measured: 16 lanes went from 20 to 35 MB of RSS), for
            // no CPU time saved.
            unsafe {
                libc::madvise(ptr, len, libc::MADV_SEQUENTIAL);
                libc::madvise(ptr, len, libc::MADV_NOHUGEPAGE);
            }
            Ok(Mapping {
                ptr,
                len,
                released: 0,
                guard: Some(guard),
            })
        }

        /// The mapped bytes. They are the file's as long as nobody changes
        /// it; see the SAFETY note inside for what holds when somebody does.
        pub(crate) fn bytes(&self) -> &[u8] {
            // SAFETY: `ptr` is a live PROT_READ mapping of `len` bytes for
            // as long as `self` (unmapped only in drop), so the slice is
            // always readable: a page the file lost is replaced by zeros
            // (`sigbus`), never left to crash. Another process may change
            // the file underneath, as it may between two read() calls:
            // the bytes are only ever absorbed into a sponge (no length,
            // index or invariant is derived from them), so a change can
            // only yield a wrong digest, and every digest is checked
            // against the file's stamp (`hasher::confirm`) and `faulted`
            // before it is given.
            unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
        }

        /// The reader is past `offset`: drop whole pages before it from our
        /// resident set once [`RELEASE_STEP`] has gathered.
        pub(crate) fn done_with(&mut self, offset: usize) {
            let offset = offset.min(self.len);
            if offset - self.released < RELEASE_STEP {
                return;
            }
            let page = page_size();
            let upto = offset / page * page;
            // SAFETY: [released, upto) is inside our mapping and page
            // aligned; MADV_DONTNEED on a private read-only file mapping only
            // drops page-table entries: a later read faults the same file
            // bytes back in, so nothing a `bytes()` slice could show changes.
            unsafe {
                libc::madvise(
                    self.ptr.cast::<u8>().add(self.released).cast(),
                    upto - self.released,
                    libc::MADV_DONTNEED,
                )
            };
            self.released = upto;
        }

        /// Whether a page vanished under us (the file shrank): the bytes
        /// read from it were zeros, not the file.
        pub(crate) fn faulted(&self) -> bool {
            self.guard.as_ref().is_some_and(Guarded::faulted)
        }
    }

    impl Drop for Mapping {
        fn drop(&mut self) {
            // Unregistered first, so the handler never names freed pages.
            drop(self.guard.take());
            // SAFETY: our own mapping, unmapped once; no slice of it outlives
            // `self` (`bytes` borrows `self`).
            unsafe { libc::munmap(self.ptr, self.len) };
        }
    }

    fn page_size() -> usize {
        // SAFETY: sysconf only reads a system constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(page).unwrap_or(4096).max(1)
    }
}

#[cfg(not(target_os = "linux"))]
mod elsewhere {
    use super::*;

    /// Never made here: callers read the file instead.
    pub(crate) enum Mapping {}

    impl Mapping {
        pub(crate) fn map(_file: &File, _len: u64) -> io::Result<Mapping> {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }

        pub(crate) fn bytes(&self) -> &[u8] {
            match *self {}
        }

        pub(crate) fn done_with(&mut self, _offset: usize) {
            match *self {}
        }

        pub(crate) fn faulted(&self) -> bool {
            match *self {}
        }
    }
}

#[cfg(test)]
#[cfg(target_os = "linux")]
mod tests {
    use super::*;
    use crate::fsmeta::sigbus::faults_caught;
    use std::io::Write;

    fn file_of(len: usize) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.bin");
        let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8 + 1).collect();
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .unwrap()
            .write_all(&bytes)
            .unwrap();
        (dir, path)
    }

    #[test]
    fn a_mapping_shows_the_file_and_drops_pages_behind_without_changing_them() {
        let len = 3 * RELEASE_STEP + 77;
        let (_dir, path) = file_of(len);
        let file = File::open(&path).unwrap();
        let mut map = Mapping::map(&file, len as u64).unwrap();
        assert_eq!(map.bytes(), &std::fs::read(&path).unwrap()[..]);
        map.done_with(2 * RELEASE_STEP + 5);
        assert_eq!(map.bytes(), &std::fs::read(&path).unwrap()[..]);
        assert!(!map.faulted());
        assert!(Mapping::map(&file, 0).is_err(), "nothing to map");
    }

    #[test]
    fn a_file_truncated_while_mapped_reads_zeros_and_says_so() {
        let len = 4 * RELEASE_STEP;
        let (_dir, path) = file_of(len);
        let file = File::open(&path).unwrap();
        let map = Mapping::map(&file, len as u64).unwrap();
        assert_eq!(map.bytes()[len - 1], ((len - 1) % 251) as u8 + 1);
        let caught = faults_caught();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(4096)
            .unwrap();
        // Past the new end: SIGBUS, turned into zeros instead of a crash.
        let tail = std::hint::black_box(map.bytes())[len / 2..]
            .iter()
            .any(|&b| b != 0);
        assert!(!tail, "the vanished pages read as zeros");
        assert!(map.faulted());
        assert!(faults_caught() > caught);
        assert_eq!(
            map.bytes()[100],
            101,
            "the page still in the file is intact"
        );
        drop(map);
        // The slot is free again: a new mapping on this thread starts clean.
        let again = Mapping::map(&file, 4096).unwrap();
        assert!(!again.faulted());
    }

    /// Our handler must not swallow a SIGBUS that is not ours: a truncated
    /// mapping made without a guard still kills the process, as it would
    /// without gvmi's handler (run in a child process: this test binary).
    #[test]
    fn a_sigbus_outside_our_mappings_still_kills() {
        use std::os::unix::process::ExitStatusExt;
        const CHILD: &str = "GVMI_TEST_UNGUARDED_SIGBUS";
        let (_dir, path) = file_of(1 << 20);
        if std::env::var_os(CHILD).is_some() {
            let file = File::open(&path).unwrap();
            let _guarded = Mapping::map(&file, 1 << 20).unwrap(); // installs the handler
            let other = file_of(1 << 20);
            let f = File::open(&other.1).unwrap();
            use std::os::unix::io::AsRawFd;
            // SAFETY: a fresh read-only mapping, read once below; the
            // point of the test is that this read kills the process.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    1 << 20,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE,
                    f.as_raw_fd(),
                    0,
                )
            };
            assert_ne!(p, libc::MAP_FAILED);
            std::fs::OpenOptions::new()
                .write(true)
                .open(&other.1)
                .unwrap()
                .set_len(0)
                .unwrap();
            // SAFETY: inside the mapping; past the file's end now: SIGBUS.
            let b = unsafe { std::ptr::read_volatile((p as *const u8).add(8192)) };
            std::hint::black_box(b);
            std::process::exit(0); // survived: the parent's assertion fails
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "fsmeta::mapped::tests::a_sigbus_outside_our_mappings_still_kills",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        assert_eq!(out.status.signal(), Some(libc::SIGBUS), "{:?}", out.status);
    }
}
