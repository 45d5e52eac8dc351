//! Builds workbench states from events, the way the real producers would.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use gvmi::tui::app::{App, Effect, JobIds, Msg, Settings};
use gvmi::tui::event::Event;
use gvmi::tui::rows::{Row, RowId};
use gvmi::tui::saved_urls::{SavedUrls, UrlChange};
use gvmi_core::cancel::CancelToken;
use gvmi_core::digest::Sha3Digest;
use gvmi_core::discover::Found;
use gvmi_core::event::{JobEvent, JobId};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::hasher::{HashFailure, Hashed};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

pub const MTIME_SECS: u64 = 1_795_000_000;

/// A workbench as the loop drives it: messages in, and the effects events
/// asked for kept until the test takes them (keys' effects are returned).
pub struct Bench {
    app: App,
    effects: Vec<Effect>,
}

impl std::ops::Deref for Bench {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl Bench {
    /// A producer's event; its effects wait for `take_effects`.
    pub fn apply(&mut self, event: Event) {
        let effects = self.app.update(Msg::Event(event));
        self.effects.extend(effects);
    }

    /// Any message; its effects returned.
    pub fn send(&mut self, msg: Msg) -> Vec<Effect> {
        self.app.update(msg)
    }

    /// The effects events asked for since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The work a test checks: the cache's word on ended jobs left out.
    pub fn take_work(&mut self) -> Vec<Effect> {
        let all = self.take_effects();
        all.into_iter()
            .filter(|e| !matches!(e, Effect::JobDone { .. }))
            .collect()
    }
}

pub fn app(width: u16, height: u16) -> Bench {
    with_settings(width, height, Settings::default())
}

pub fn with_settings(width: u16, height: u16, settings: Settings) -> Bench {
    let app = App::new(
        JobIds::default(),
        CancelToken::new(),
        (width, height),
        settings,
        false,
    );
    let mut bench = Bench {
        app,
        effects: Vec::new(),
    };
    let now = bench.tally().started() + Duration::from_secs(2);
    bench.send(Msg::Frame(now));
    bench
}

/// A frame is drawn: a view left unsorted by events is sorted.
pub fn frame(app: &mut Bench) {
    let now = app.now();
    app.send(Msg::Frame(now));
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
    let row = app.rows().iter().find(|r| r.name() == name);
    row.unwrap_or_else(|| panic!("no row {name}")).id()
}

/// The row that arrived first.
pub fn first_row(app: &App) -> &Row {
    app.rows().iter().next().expect("a row")
}

/// The row that arrived last.
pub fn last_row(app: &App) -> RowId {
    app.rows().iter().next_back().expect("a row").id()
}

/// Announces an image under `/images` as discovery would; returns its job id.
pub fn discover(app: &mut Bench, rel: &str, size: u64, minutes: u64) -> JobId {
    let id = next_job();
    let found = Found::Image {
        path: PathBuf::from("/images").join(rel),
        root: PathBuf::from("/images"),
        stamp: stamp(size, minutes),
    };
    app.apply(Event::Discovered { id, found });
    id
}

pub fn problem(app: &mut Bench, rel: &str, reason: &str) {
    let id = next_job();
    let found = Found::Problem {
        path: PathBuf::from("/images").join(rel),
        reason: reason.into(),
    };
    app.apply(Event::Discovered { id, found });
}

pub fn progress(app: &mut Bench, id: JobId, size: u64, done: u64) {
    app.apply(Event::Job(JobEvent::Started { id, size }));
    app.apply(Event::Job(JobEvent::Progress { id, done }));
}

pub fn finish(app: &mut Bench, id: JobId, size: u64, minutes: u64, seed: u8) {
    let hashed = Hashed {
        digest: digest(seed),
        stamp: stamp(size, minutes),
    };
    app.apply(Event::Job(JobEvent::Finished {
        id,
        result: Ok(hashed),
    }));
}

pub fn fail(app: &mut Bench, id: JobId, failure: HashFailure) {
    app.apply(Event::Job(JobEvent::Finished {
        id,
        result: Err(failure),
    }));
}

/// The screen as text, one line per terminal row.
pub fn screen(app: &App) -> String {
    let (w, h) = app.view().size();
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

/// The terminal's input, as the loop hands it over: the details pane's
/// extent measured first. Its effect, if any (a key asks for one at most).
pub fn input(app: &mut Bench, event: TermEvent) -> Option<Effect> {
    let extent = gvmi::tui::ui::details::max_scroll(app);
    app.send(Msg::DetailsExtent(extent));
    let mut effects = app.send(Msg::Input(event));
    assert!(effects.len() <= 1, "one input, one effect: {effects:?}");
    effects.pop()
}

/// A key, with modifiers.
pub fn key(app: &mut Bench, key: KeyEvent) -> Option<Effect> {
    input(app, TermEvent::Key(key))
}

/// A key press, as the terminal would deliver it.
pub fn press(app: &mut Bench, code: KeyCode) -> Option<Effect> {
    key(app, KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(app: &mut Bench, c: char) -> Option<Effect> {
    key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn typed(app: &mut Bench, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Selects row `id` as a user would: from the top, down to it.
pub fn select(app: &mut Bench, id: RowId) {
    let position = app.view().ids().iter().position(|&v| v == id);
    let position = position.unwrap_or_else(|| panic!("{id:?} not in view"));
    press(app, KeyCode::Home);
    for _ in 0..position {
        press(app, KeyCode::Down);
    }
    assert_eq!(app.view().selected(), Some(id));
}

/// Sets (or clears) row `id`'s own URL with the editor (`e`), as a user would.
pub fn set_url(app: &mut Bench, id: RowId, url: Option<&str>) {
    let before = app.view().selected();
    select(app, id);
    press(app, KeyCode::Char('e'));
    press(app, KeyCode::End);
    ctrl(app, 'u');
    typed(app, url.unwrap_or_default());
    press(app, KeyCode::Enter);
    if let Some(before) = before {
        select(app, before);
    }
}

/// A base URL for `folder`, as kept by an earlier session (`b`).
pub fn set_base_url(app: &mut Bench, folder: &str, url: &str) {
    let mut saved = SavedUrls::default();
    saved.apply(&UrlChange::Folder(folder.into(), Some(url.into())));
    app.apply(Event::SavedUrls(Ok(saved)));
}

/// `t` until the target is `target`.
pub fn set_target(app: &mut Bench, target: gvmi_core::snippet::Target) {
    for _ in 0..gvmi_core::snippet::Target::ALL.len() {
        if app.serving().target() == target {
            return;
        }
        press(app, KeyCode::Char('t'));
    }
    panic!("{target} is not a target t reaches");
}

/// The status line's message.
pub fn status(app: &App) -> Option<String> {
    app.notes().status().map(str::to_string)
}

/// The workbench reads these remote sources (`s3://…`), as `tui::run`
/// tells it before the first frame.
pub fn remote_sources(app: &mut Bench, sources: &[&str]) {
    app.app
        .read_remote(sources.iter().map(|s| s.to_string()).collect());
}
