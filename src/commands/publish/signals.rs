//! Ctrl-C and SIGTERM during `gvmi publish`: cancel, so the upload in
//! progress is aborted (no object, no pending multipart upload; during its
//! last request, which the storage finishes, the object is said to be
//! there), then exit 128 + the signal's number.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gvmi_core::cancel::CancelToken;

pub struct Caught(Arc<AtomicUsize>);

impl Caught {
    /// The signal received, if any.
    pub fn signal(&self) -> Option<i32> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n as i32),
        }
    }
}

/// Turns SIGINT/SIGTERM/SIGHUP into `cancel` (a thread polls the flag the
/// handler sets: a handler may do nothing more). A second signal ends the
/// process at once (128 + n), should the clean-up itself hang.
#[cfg(unix)]
pub fn watch(cancel: &CancelToken) -> Caught {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use std::sync::atomic::AtomicBool;
    let flag = Arc::new(AtomicUsize::new(0));
    let once = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // In this order: the second signal finds `once` set by the first.
        let status = 128 + signal;
        let _ = signal_hook::flag::register_conditional_shutdown(signal, status, Arc::clone(&once));
        let _ = signal_hook::flag::register(signal, Arc::clone(&once));
        let _ = signal_hook::flag::register_usize(signal, Arc::clone(&flag), signal as usize);
    }
    let (seen, cancel) = (Arc::clone(&flag), cancel.clone());
    let _ = std::thread::Builder::new()
        .name("gvmi-signals".into())
        .spawn(move || loop {
            if seen.load(Ordering::Relaxed) != 0 {
                cancel.cancel();
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        });
    Caught(flag)
}

/// Elsewhere Ctrl-C ends the process (the default); nothing is caught.
#[cfg(not(unix))]
pub fn watch(_cancel: &CancelToken) -> Caught {
    Caught(Arc::new(AtomicUsize::new(0)))
}
