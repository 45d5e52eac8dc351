//! Entering and leaving full-screen mode (with mouse reporting and
//! bracketed paste), so that no exit path (quit, error,
//! panic, SIGTERM) leaves the terminal raw or on the alternate screen.
//! Panics: one caught at a worker's boundary (`crate::caught`) becomes a row
//! error and leaves the screen alone; any other restores the terminal and
//! ends the program, so a running gvmi never draws on a restored terminal.

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
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
            if crate::caught::is_catching() {
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
