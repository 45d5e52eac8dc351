//! Entering and leaving full-screen mode (with mouse reporting and
//! bracketed paste), so that no exit path (quit, error,
//! panic, SIGTERM) leaves the terminal raw or on the alternate screen,
//! and suspending like vim or htop: Ctrl-Z (a key in raw mode) or a
//! SIGTSTP from outside gives the terminal back and stops the process; on
//! `fg` (SIGCONT) the screen is taken again and redrawn whole.
//! Panics: one caught at a worker's boundary (`gvmi_core::caught`) becomes a row
//! error and leaves the screen alone; any other restores the terminal and
//! ends the program, so a running gvmi never draws on a restored terminal.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{enable_raw_mode, EnterAlternateScreen};
use ratatui::DefaultTerminal;

/// The terminal in full-screen mode; dropping it restores the terminal.
pub struct Screen {
    pub terminal: DefaultTerminal,
}

impl Screen {
    pub fn enter() -> io::Result<Self> {
        // ratatui's hook restores raw mode and the screen; ours, wrapped
        // around it, also turns mouse reporting off before the message prints.
        let terminal = ratatui::try_init()?;
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if gvmi_core::caught::is_catching() {
                // Caught at its thread's boundary and shown as a row error: the
                // program goes on, so the screen must stay as it is.
                return;
            }
            let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
            previous(info);
            if std::thread::current().name() != Some("main") {
                // Any other thread (discovery, the cache keeper, a hash worker):
                // never leave a running program on a restored terminal.
                std::process::exit(101);
            }
        }));
        // Bracketed paste: a paste arrives as one event, not thousands of keys.
        execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
        Ok(Screen { terminal })
    }

    /// Ctrl-Z: restores the terminal as [`Drop`] does (cursor shown),
    /// stops the process as SIGTSTP's default action would, and once it
    /// is continued (`fg`) takes the screen again and forgets what was
    /// drawn, so the next frame redraws everything. Without job control
    /// (no Unix, or no shell to continue the process) it returns at once.
    pub fn suspend(&mut self) -> io::Result<()> {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
        let _ = self.terminal.show_cursor();
        stop_as_sigtstp_would();
        self.take_back()
    }

    /// Raw mode, the alternate screen, mouse and paste reporting again (as
    /// after a SIGSTOP and SIGCONT from outside, which a shell may have
    /// spent in cooked mode), and a full redraw on the next frame.
    pub fn take_back(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
        // Forgets what was drawn, so the next frame draws every cell (at
        // the size the terminal has now). Not `Terminal::clear`: that asks
        // the terminal where the cursor is, and the answer goes to the
        // input thread's read, so it waits 2 s and fails.
        let size = self.terminal.size()?;
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
    }

    /// Writes raw bytes (an OSC 52 sequence) straight to the terminal.
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout();
        out.write_all(bytes)?;
        out.flush()
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Holds the number of the SIGTERM, SIGHUP or SIGINT that arrived (0: none);
/// the loop polls it and quits through the same path as `q`.
pub fn termination_flag() -> Arc<AtomicUsize> {
    let flag = Arc::new(AtomicUsize::new(0));
    register_signals(&flag);
    flag
}

/// The signal that asked gvmi to stop, if one did.
pub fn terminated(flag: &AtomicUsize) -> Option<u8> {
    match flag.load(Ordering::Relaxed) {
        0 => None,
        signal => u8::try_from(signal).ok(),
    }
}

#[cfg(unix)]
fn register_signals(flag: &Arc<AtomicUsize>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    for signal in [SIGTERM, SIGHUP, SIGINT] {
        // Failing to register only loses the clean exit on that signal.
        let _ = signal_hook::flag::register_usize(signal, Arc::clone(flag), signal as usize);
    }
}

#[cfg(not(unix))]
fn register_signals(_flag: &Arc<AtomicUsize>) {}

/// What job control asked of the screen since the loop last looked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobControl {
    /// A SIGTSTP from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    Suspend,
    /// A SIGCONT after a stop gvmi did not make (`kill -STOP`): take the
    /// screen back and redraw.
    Resumed,
}

/// The flags SIGTSTP and SIGCONT set; the loop polls them.
#[derive(Default)]
pub struct JobSignals {
    stop: Arc<AtomicBool>,
    cont: Arc<AtomicBool>,
}

impl JobSignals {
    pub fn register() -> Self {
        let signals = JobSignals::default();
        register_job_signals(&signals);
        signals
    }

    pub fn take(&self) -> Option<JobControl> {
        if self.stop.swap(false, Ordering::Relaxed) {
            self.cont.store(false, Ordering::Relaxed);
            Some(JobControl::Suspend)
        } else if self.cont.swap(false, Ordering::Relaxed) {
            Some(JobControl::Resumed)
        } else {
            None
        }
    }

    /// Forgets a SIGCONT that ended gvmi's own stop (already redrawn).
    pub fn resumed(&self) {
        self.cont.store(false, Ordering::Relaxed);
    }
}

#[cfg(unix)]
fn register_job_signals(signals: &JobSignals) {
    use signal_hook::consts::{SIGCONT, SIGTSTP};
    // Failing to register leaves SIGTSTP's default: a stop without restoring.
    let _ = signal_hook::flag::register(SIGTSTP, Arc::clone(&signals.stop));
    let _ = signal_hook::flag::register(SIGCONT, Arc::clone(&signals.cont));
}

#[cfg(not(unix))]
fn register_job_signals(_signals: &JobSignals) {}

/// Stops the whole job as SIGTSTP's default action does, as vim does: with
/// SIGTSTP's default disposition for the moment, SIGTSTP goes to the whole
/// process group (`kill(0, …)`), so a wrapper that started gvmi (`sh -c`,
/// a script) stops with it and the shell sees its job stopped; stopping
/// gvmi alone would leave the wrapper waiting and the shell hanging. The
/// kernel ignores it where no shell could continue the process (an
/// orphaned process group), where SIGSTOP would leave it stopped for good.
/// Called on the main thread, which the kernel then picks to take the
/// signal, so the stop happens before `kill` returns. Returns once
/// continued (SIGCONT).
#[cfg(unix)]
fn stop_as_sigtstp_would() {
    // SAFETY: sigaction, pthread_sigmask, kill and raise with valid,
    // zero-initialised structs we own; the previous action (signal-hook's
    // handler) is put back as it was.
    unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGTSTP, &default, &mut previous) != 0 {
            return;
        }
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTSTP);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        if libc::kill(0, libc::SIGTSTP) != 0 {
            // No group to signal (should not happen): at least stop gvmi.
            libc::raise(libc::SIGTSTP);
        }
        libc::sigaction(libc::SIGTSTP, &previous, std::ptr::null_mut());
    }
}

#[cfg(not(unix))]
fn stop_as_sigtstp_would() {}
