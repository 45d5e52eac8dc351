//! A file truncated while mapped must cost its row, never the process.
//!
//! Reading a mapped page that lies past a file's (new) end raises SIGBUS,
//! whose default action kills the process. Rust cannot unwind out of a
//! signal handler, and `siglongjmp` over Rust frames is undefined; so the
//! handler does not leave the faulting code at all: it maps anonymous zero
//! pages over the rest of the faulting mapping (one `mmap(MAP_FIXED)`),
//! notes the fault, and returns. The interrupted load is restarted by the
//! kernel, now reads zeros, and hashing runs on to a digest that is never
//! given: [`Guarded::faulted`] (and the stamp check after it, which sees
//! the new size) make the row "changed while being hashed".
//!
//! Which mappings are ours is kept per thread (a SIGBUS from a memory
//! access is delivered to the thread that made it), in a fixed table of
//! atomics: no lock, no allocation, nothing the handler could deadlock on.
//! A SIGBUS that is not ours (another address, or sent with `kill`) goes to
//! whatever handler was there before ours (Rust's own stack-guard handler),
//! or gets the default action, exactly as if gvmi had installed nothing.

use std::cell::Cell;
use std::marker::PhantomData;
use std::sync::atomic::{compiler_fence, AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

use libc::{c_int, c_void, siginfo_t};

/// Mappings one thread may have guarded at once (a lane worker has at most
/// one per lane: 8).
const SLOTS: usize = 16;

struct Slot {
    start: AtomicUsize,
    /// One past the last byte, rounded up to a page; 0 when the slot is free.
    end: AtomicUsize,
    faulted: AtomicBool,
}

thread_local! {
    // Const-initialized and without a destructor, so access compiles to a
    // plain load from the executable's static TLS block: no lazy
    // initialization, no allocation, safe to touch from a signal handler.
    static SLOTS_OF_THIS_THREAD: [Slot; SLOTS] = const {
        [const {
            Slot {
                start: AtomicUsize::new(0),
                end: AtomicUsize::new(0),
                faulted: AtomicBool::new(false),
            }
        }; SLOTS]
    };
    static IN_USE: Cell<u16> = const { Cell::new(0) };
}

/// What was installed for SIGBUS before us, to hand other faults to.
static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();
static PAGE: AtomicUsize = AtomicUsize::new(0);
/// Faults turned into zero pages since the process started (for tests).
static CAUGHT: AtomicU64 = AtomicU64::new(0);

/// SIGBUS faults in guarded mappings so far, in this process.
pub fn faults_caught() -> u64 {
    CAUGHT.load(Ordering::Relaxed)
}

/// A mapping `[start, start + len)` registered with the handler on this
/// thread; unregistered on drop. Neither `Send` nor `Sync`: the handler
/// looks only at the faulting thread's table.
pub(crate) struct Guarded {
    index: usize,
    _this_thread: PhantomData<*const u8>,
}

impl Guarded {
    /// Registers a mapping, installing the handler on first use. `None`
    /// when it cannot be guarded (the handler could not be installed, or
    /// this thread guards [`SLOTS`] mappings already): the caller must not
    /// map then.
    pub(crate) fn register(start: usize, len: usize) -> Option<Guarded> {
        install()?;
        let page = PAGE.load(Ordering::Relaxed);
        let index = IN_USE.with(|used| {
            let free = (0..SLOTS).find(|i| used.get() & (1 << i) == 0)?;
            used.set(used.get() | 1 << free);
            Some(free)
        })?;
        let end = (start + len).div_ceil(page) * page;
        SLOTS_OF_THIS_THREAD.with(|slots| {
            let slot = &slots[index];
            slot.faulted.store(false, Ordering::Relaxed);
            slot.start.store(start, Ordering::Relaxed);
            slot.end.store(end, Ordering::Relaxed);
        });
        // The handler runs on this thread: the table must be written before
        // the first load from the mapping, which the compiler may not hoist.
        compiler_fence(Ordering::SeqCst);
        Some(Guarded {
            index,
            _this_thread: PhantomData,
        })
    }

    /// Whether a page of this mapping vanished (the file shrank) and was
    /// replaced by zeros: what was read from it is not the file.
    pub(crate) fn faulted(&self) -> bool {
        compiler_fence(Ordering::SeqCst);
        SLOTS_OF_THIS_THREAD.with(|slots| slots[self.index].faulted.load(Ordering::Relaxed))
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        compiler_fence(Ordering::SeqCst);
        SLOTS_OF_THIS_THREAD.with(|slots| {
            slots[self.index].end.store(0, Ordering::Relaxed);
            slots[self.index].start.store(0, Ordering::Relaxed);
        });
        compiler_fence(Ordering::SeqCst);
        IN_USE.with(|used| used.set(used.get() & !(1 << self.index)));
    }
}

/// Installs the handler once per process; `None` if that failed.
fn install() -> Option<()> {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    let ok = *INSTALLED.get_or_init(|| {
        // SAFETY: sysconf only reads a system constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        let Ok(page) = usize::try_from(page) else {
            return false;
        };
        PAGE.store(page.max(1), Ordering::Relaxed);
        // SAFETY: a zeroed sigaction is a valid "no handler, no flags"
        // value; sigaction reads `ours` and writes `before`, both live
        // locals. The previous action is stored before ours is installed,
        // so the handler always finds it.
        unsafe {
            let mut before: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut before) != 0 {
                return false;
            }
            let _ = PREVIOUS.set(before);
            let mut ours: libc::sigaction = std::mem::zeroed();
            ours.sa_sigaction = on_sigbus as *const () as usize;
            ours.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut ours.sa_mask);
            libc::sigaction(libc::SIGBUS, &ours, std::ptr::null_mut()) == 0
        }
    });
    ok.then_some(())
}

/// The handler. Only async-signal-safe work: atomics, TLS loads, `mmap`,
/// `sigaction`, `raise`; errno is preserved for the interrupted code.
extern "C" fn on_sigbus(sig: c_int, info: *mut siginfo_t, ctx: *mut c_void) {
    // SAFETY: errno is thread-local; its location is valid for the thread's life.
    let errno = unsafe { *libc::__errno_location() };
    // SAFETY: the kernel passes a valid siginfo (SA_SIGINFO); si_addr is
    // meaningful for a kernel-raised fault (si_code > 0), which we check.
    let (code, addr) = unsafe { ((*info).si_code, (*info).si_addr() as usize) };
    if !(code > 0 && zero_fill(addr)) {
        // SAFETY: `info` and `ctx` are the kernel's, handed on unchanged.
        unsafe { pass_on(sig, code, info, ctx) };
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

/// If `addr` lies in one of this thread's guarded mappings: zero pages
/// from its page to the mapping's end, the fault noted.
fn zero_fill(addr: usize) -> bool {
    let page = PAGE.load(Ordering::Relaxed);
    SLOTS_OF_THIS_THREAD.with(|slots| {
        for slot in slots {
            let (start, end) = (
                slot.start.load(Ordering::Relaxed),
                slot.end.load(Ordering::Relaxed),
            );
            if start <= addr && addr < end {
                let from = addr / page * page;
                // SAFETY: [from, end) lies inside a live mapping this
                // thread made and registered (start and end are page
                // aligned), so MAP_FIXED replaces only its own pages; the
                // mapping is unmapped whole on drop, zero pages included.
                let p = unsafe {
                    libc::mmap(
                        from as *mut c_void,
                        end - from,
                        libc::PROT_READ,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                        -1,
                        0,
                    )
                };
                if p == libc::MAP_FAILED {
                    return false;
                }
                slot.faulted.store(true, Ordering::Relaxed);
                CAUGHT.fetch_add(1, Ordering::Relaxed);
                return true;
            }
        }
        false
    })
}

/// A SIGBUS that is not ours: to the handler installed before, or the
/// default action (the process dies of SIGBUS, as without us).
///
/// # Safety
/// `info` and `ctx` must be the kernel's arguments to this handler.
unsafe fn pass_on(sig: c_int, code: c_int, info: *mut siginfo_t, ctx: *mut c_void) {
    let previous = PREVIOUS.get().map(|p| p.sa_sigaction);
    match previous {
        Some(h) if h == libc::SIG_IGN && code <= 0 => {}
        Some(h) if h != libc::SIG_DFL && h != libc::SIG_IGN => {
            let flags = PREVIOUS.get().map_or(0, |p| p.sa_flags);
            if flags & libc::SA_SIGINFO != 0 {
                // SAFETY: installed with SA_SIGINFO, so it has this signature.
                let f: extern "C" fn(c_int, *mut siginfo_t, *mut c_void) =
                    unsafe { std::mem::transmute(h) };
                f(sig, info, ctx);
            } else {
                // SAFETY: installed without SA_SIGINFO: a plain handler.
                let f: extern "C" fn(c_int) = unsafe { std::mem::transmute(h) };
                f(sig);
            }
        }
        _ => {
            // SAFETY: resetting to the default action; a zeroed sigaction
            // with SIG_DFL is valid. A fault re-executes and now kills; a
            // sent signal is raised again (blocked until we return).
            unsafe {
                let mut default: libc::sigaction = std::mem::zeroed();
                default.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(sig, &default, std::ptr::null_mut());
                if code <= 0 {
                    libc::raise(sig);
                }
            }
        }
    }
}
