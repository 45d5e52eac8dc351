//! Builds workbench states from events, the way the real producers would.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use gvmi::cancel::CancelToken;
use gvmi::digest::Sha3Digest;
use gvmi::discover::Found;
use gvmi::event::{JobEvent, JobId};
use gvmi::fsmeta::FileStamp;
use gvmi::hasher::{HashFailure, Hashed};
use gvmi::tui::app::{App, Effect, JobIds};
use gvmi::tui::event::Event;
use gvmi::tui::rows::{Row, RowId};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

pub const MTIME_SECS: u64 = 1_795_000_000;

pub fn app(width: u16, height: u16) -> App {
    let mut app = App::new(JobIds::default(), CancelToken::new(), (width, height));
    app.now = app.tally.started() + Duration::from_secs(2);
    app
}

pub fn stamp(size: u64, minutes: u64) -> FileStamp {
    FileStamp {
        size,
        mtime: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(MTIME_SECS + minutes * 60)),
        id: None,
        ctime: None,
    }
}

pub fn digest(seed: u8) -> Sha3Digest {
    let mut bytes = [0u8; 28];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = seed.wrapping_mul(31).wrapping_add(i as u8 * 7);
    }
    Sha3Digest(bytes)
}

/// Job ids as discovery hands them out: never reused, even after a removal.
fn next_job() -> JobId {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1_000_000);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The id of the row named `name`.
pub fn row_id(app: &App, name: &str) -> RowId {
    let row = app.rows.iter().find(|r| r.name() == name);
    row.unwrap_or_else(|| panic!("no row {name}")).id
}

/// The row that arrived first.
pub fn first_row(app: &App) -> &Row {
    app.rows.iter().next().expect("a row")
}

/// The row that arrived last.
pub fn last_row(app: &App) -> RowId {
    app.rows.iter().next_back().expect("a row").id
}

/// Announces an image under `/images` as discovery would; returns its job id.
pub fn discover(app: &mut App, rel: &str, size: u64, minutes: u64) -> JobId {
    let id = next_job();
    let found = Found::Image {
        path: PathBuf::from("/images").join(rel),
        root: PathBuf::from("/images"),
        stamp: stamp(size, minutes),
    };
    app.apply(Event::Discovered { id, found });
    id
}

pub fn problem(app: &mut App, rel: &str, reason: &str) {
    let id = next_job();
    let found = Found::Problem {
        path: PathBuf::from("/images").join(rel),
        reason: reason.into(),
    };
    app.apply(Event::Discovered { id, found });
}

pub fn progress(app: &mut App, id: JobId, size: u64, done: u64) {
    app.apply(Event::Job(JobEvent::Started { id, size }));
    app.apply(Event::Job(JobEvent::Progress { id, done }));
}

pub fn finish(app: &mut App, id: JobId, size: u64, minutes: u64, seed: u8) {
    let hashed = Hashed {
        digest: digest(seed),
        stamp: stamp(size, minutes),
    };
    app.apply(Event::Job(JobEvent::Finished {
        id,
        result: Ok(hashed),
    }));
}

pub fn fail(app: &mut App, id: JobId, failure: HashFailure) {
    app.apply(Event::Job(JobEvent::Finished {
        id,
        result: Err(failure),
    }));
}

/// The screen as text, one line per terminal row.
pub fn screen(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|frame| gvmi::tui::ui::render(app, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A key press, as the terminal would deliver it.
pub fn press(app: &mut App, code: KeyCode) -> Option<Effect> {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE))
}
