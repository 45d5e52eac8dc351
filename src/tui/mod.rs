//! The interactive workbench (`gvmi [PATH]...`).
//!
//! Threads: discovery (`feed`) and the hashing pool send `Event`s on one
//! channel; a reader thread sends terminal input on another. This thread
//! alone owns `App`: it applies events, runs effects, and draws.

pub mod app;
mod batch;
mod changes;
mod effects;
pub mod event;
mod feed;
pub mod findings;
mod keeper;
mod keys;
pub mod line_edit;
mod live_jobs;
mod places;
pub mod publisher;
mod publishing;
pub mod rows;
pub mod saved_urls;
mod serving;
mod terminal;
pub mod ui;
pub mod workers;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, unbounded, Receiver};
use ratatui::crossterm::event::{self as term_event, Event as TermEvent};

use crate::discover::DiscoverOptions;
use crate::engine::Engine;
use crate::io_error;
use crate::visible::{visible, visible_path};
use app::{App, JobIds};

/// Whether every PATH can be looked at; each one that cannot is named on
/// stderr with the reason, before the screen takes over.
fn all_paths_exist(paths: &[PathBuf]) -> bool {
    let mut all = true;
    for path in paths {
        if let Err(e) = std::fs::metadata(path) {
            let line = format!("{}: {}", visible_path(path), io_error::message(&e));
            eprintln!("gvmi: {}", visible(&line));
            all = false;
        }
    }
    all
}

/// Frames are drawn at most this often, however fast events arrive.
const FRAME: Duration = Duration::from_millis(16);
/// Redraw cadence while work is in flight (rates, ETA) and signal polling when idle.
const TICK: Duration = Duration::from_millis(100);
const IDLE: Duration = Duration::from_millis(250);

pub struct Options {
    pub paths: Vec<PathBuf>,
    pub discover: DiscoverOptions,
    pub jobs: Option<usize>,
    /// Neither read nor update the hash cache.
    pub no_cache: bool,
}

pub fn run(opts: Options) -> anyhow::Result<ExitCode> {
    // A missing path is the news, also when stdout is not a terminal.
    if !all_paths_exist(&opts.paths) {
        return Ok(ExitCode::from(2));
    }
    if !std::io::stdout().is_terminal() {
        eprintln!("gvmi: standard output is not a terminal; for scripts use `gvmi hash PATH...`");
        return Ok(ExitCode::from(2));
    }
    // Read before the screen takes over, so a bad config is reported plainly.
    let settings = UserSettings::load()?;
    let paths = opts
        .paths
        .iter()
        .map(std::path::absolute)
        .collect::<Result<Vec<_>, _>>()?;
    let (tx, events) = unbounded();
    let engine = Arc::new(Engine::new(opts.jobs, tx.clone())?);
    let ids = JobIds::default();
    let root = engine.batch_token();
    let terminated = terminal::termination_flag();
    let job_signals = terminal::JobSignals::register();
    let mut screen = terminal::Screen::enter()?;
    let size = screen.terminal.size()?;
    let mut app = App::new(ids.clone(), root.clone(), (size.width, size.height));
    app.theme = ui::theme::Theme::from_env();
    apply_user_settings(&mut app, settings);
    let workers = workers::Workers::start(tx.clone(), crate::verify::Options::default());
    let (keeper, keeper_done) = keeper::Keeper::spawn(!opts.no_cache, tx.clone());
    let mut effects = effects::Runner::new(workers, keeper.clone(), tx.clone());
    let watching = watch_folders(&paths, tx.clone());
    if let Err(e) = &watching {
        app.apply(event::Event::Status(format!(
            "Not watching for changes: {e}"
        )));
    }
    feed::spawn(feed::Feed {
        paths,
        opts: opts.discover,
        engine: Arc::clone(&engine),
        ids,
        events: tx,
        token: root,
        keeper: keeper.clone(),
    });
    let input = spawn_input_reader();

    let mut last_draw: Option<Instant> = None;
    let mut last_tick = Instant::now();
    let mut dirty = true;
    let ending = || terminal::terminated(&terminated).is_some();
    while !app.quit && !ending() {
        if let Some(asked) = job_signals.take() {
            let done = match asked {
                terminal::JobControl::Suspend => screen.suspend(),
                terminal::JobControl::Resumed => screen.take_back(),
            };
            job_signals.resumed();
            if let Err(e) = done {
                app.apply(event::Event::Status(format!("Terminal not restored: {e}")));
            }
            (dirty, last_draw) = (true, None);
        }
        if app.sweeping() {
            // `R` on many rows goes on a slice per turn, between keys.
            if let Some(effect) = app.continue_sweep() {
                if let Some(event) = effects.run(effect, &engine) {
                    app.apply(event);
                }
            }
            dirty = true;
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            let noted = (app.status.is_some(), app.last_copied.is_some());
            app.apply(event::Event::Tick(last_tick));
            dirty |= noted != (app.status.is_some(), app.last_copied.is_some());
        }
        if dirty && last_draw.is_none_or(|t| t.elapsed() >= FRAME) {
            app.prepare_frame(Instant::now());
            screen.terminal.draw(|frame| ui::render(&app, frame))?;
            last_draw = Some(Instant::now());
            dirty = false;
        }
        let wait = match (dirty, app.busy()) {
            _ if app.sweeping() => Duration::ZERO,
            (true, _) => FRAME,
            (false, true) => TICK,
            (false, false) => IDLE,
        };
        select! {
            recv(events) -> event => {
                app.apply(event?);
                // Take whatever else is waiting, so a burst of progress costs
                // one frame; a key waiting (or SIGTERM) goes first.
                for event in events.try_iter().take(10_000) {
                    app.apply(event);
                    if ending() || !input.is_empty() {
                        break;
                    }
                }
                for (id, path, hashed) in app.changes.take_learned() {
                    keeper.learn(id, path, hashed);
                }
                for effect in app.take_effects() {
                    if let Some(event) = effects.run(effect, &engine) {
                        app.apply(event);
                    }
                }
                dirty = true;
            }
            recv(input) -> first => {
                // Keys that arrived together (a paste without bracketed
                // paste) are handled before the next frame, not one frame each.
                for event in std::iter::once(first?).chain(input.try_iter().take(4096)) {
                    if let Some(effect) = app.on_input(event) {
                        if matches!(effect, app::Effect::Suspend) {
                            // Ctrl-Z: the loop owns the screen. Returns on `fg`.
                            if let Err(e) = screen.suspend() {
                                app.apply(event::Event::Status(format!("Not suspended: {e}")));
                            }
                            job_signals.resumed(); // the SIGCONT of our own stop: redrawn
                        } else if let Some(event) = effects.run(effect, &engine) {
                            app.apply(event);
                        }
                    }
                    if ending() {
                        break; // SIGTERM is answered within a frame, whatever is queued
                    }
                }
                dirty = true;
                last_draw = None; // answer a key at once
            }
            recv(effects.notices()) -> notice => {
                if let Ok(notice) = notice {
                    app.apply(effects.on_notice(notice, &mut screen));
                }
                dirty = true;
            }
            default(wait) => dirty |= app.busy(),
        }
    }
    engine.cancel_all();
    drop(watching);
    keeper.stop();
    // Saving a large cache takes a moment; never hang the exit on it.
    let not_saved = keeper_done.recv_timeout(Duration::from_secs(10)).ok();
    let farewell = effects.finish();
    drop(screen);
    for message in farewell {
        eprintln!("gvmi: {}", crate::visible::visible(&message));
    }
    if let Some(why) = not_saved {
        eprintln!(
            "gvmi: hash cache {}",
            crate::visible::visible(&why.to_string())
        );
    }
    // Killed by a signal: say so in the status, as a shell expects (128 + n).
    Ok(match terminal::terminated(&terminated) {
        Some(signal) => ExitCode::from(128u8.saturating_add(signal)),
        None => ExitCode::SUCCESS,
    })
}

/// Watches the folders shown: images that appear, change or go, and
/// `SHA3SUMS` files (re-read, as the manifests' opinions).
fn watch_folders(
    paths: &[PathBuf],
    events: crossbeam_channel::Sender<event::Event>,
) -> Result<crate::watch::WatchHandle, crate::watch::WatchError> {
    use crate::watch::Change;
    use event::Event;
    let folders: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    crate::watch::spawn(folders, crate::watch::settle_time(), move |change| {
        let is_sums = change
            .path()
            .file_name()
            .is_some_and(|n| n == crate::manifest::FILE_NAME);
        let event = match (is_sums, change) {
            (false, change) => Event::Watch(change),
            (true, Change::Settled { path, .. }) => {
                let folder = crate::manifest::folder_of(&path);
                match crate::manifest::read_opinions(&folder) {
                    Some(sums) => Event::Sums { folder, sums },
                    None => return true,
                }
            }
            (true, _) => return true,
        };
        events.send(event).is_ok()
    })
}

/// The user's config file and template overrides.
struct UserSettings {
    config: crate::config::Config,
    templates: crate::snippet::Templates,
}

impl UserSettings {
    fn load() -> anyhow::Result<Self> {
        // The publish records, read now so row URLs never read on the UI thread.
        crate::publish::state::shared();
        Ok(UserSettings {
            config: crate::config::Config::load_user()?,
            templates: crate::snippet::Templates::user()?,
        })
    }
}

fn apply_user_settings(app: &mut App, settings: UserSettings) {
    if let Ok(target) = settings.config.target() {
        app.target = target;
    }
    if let Ok(resources) = settings.config.resources() {
        app.resources = resources;
    }
    app.config = settings.config;
    app.templates = settings.templates;
}

/// Terminal input, read on its own thread so the loop can wait on both channels.
fn spawn_input_reader() -> Receiver<TermEvent> {
    let (tx, rx) = unbounded();
    std::thread::Builder::new()
        .name("gvmi-input".into())
        .spawn(move || {
            while let Ok(event) = term_event::read() {
                if tx.send(event).is_err() {
                    break;
                }
            }
        })
        .expect("spawning the input thread");
    rx
}
