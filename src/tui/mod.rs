//! The interactive workbench (`gvmi [PATH]...`).
//!
//! Threads: discovery (`feed`) and the hashing pool send `Event`s on one
//! channel; a reader thread sends terminal input on another. This thread
//! alone owns `App`: it applies events, runs effects, and draws.

pub mod app;
mod batch;
pub mod changes;
mod effects;
pub mod event;
mod feed;
pub mod findings;
pub mod jobs;
mod keeper;
pub mod keymap;
pub mod layout;
pub mod line_edit;
mod live_jobs;
pub mod notes;
pub mod places;
pub mod publisher;
pub mod remote_feed;
pub mod remotes;
pub mod rows;
pub mod saved_urls;
pub mod serving;
mod sweep;
mod terminal;
pub mod ui;
pub mod view;
pub mod workers;

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, unbounded, Receiver};
use ratatui::crossterm::event::{self as term_event, Event as TermEvent};

use app::{App, Effect, JobIds, Msg, Settings};
use gvmi_core::discover::DiscoverOptions;
use gvmi_core::engine::Engine;
use gvmi_core::io_error;
use gvmi_core::visible::{visible, visible_path};

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
    /// Remote sources (`s3://BUCKET[/PREFIX]` with their storage settings).
    pub remote: Vec<gvmi_core::publish::Spec>,
}

/// Connects to each remote source (nothing is sent yet): a bad bucket
/// name or a missing credential is said before the screen takes over.
fn open_buckets(
    specs: &[gvmi_core::publish::Spec],
) -> Result<Vec<gvmi_core::remote::Bucket>, String> {
    (specs.iter())
        .map(|spec| {
            gvmi_core::remote::Bucket::open(spec).map_err(|e| format!("{}: {e}", visible(&spec.to)))
        })
        .collect()
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
    let buckets = match open_buckets(&opts.remote) {
        Ok(buckets) => buckets,
        Err(why) => {
            eprintln!("gvmi: {}", visible(&why));
            return Ok(ExitCode::from(2));
        }
    };
    // Read before the screen takes over, so a bad config is reported plainly.
    let settings = load_settings()?;
    let records_unused = settings.published.problem().map(str::to_string);
    // Rows, saved URLs and `S`'s config folder are keyed on these.
    let paths: Vec<_> = opts
        .paths
        .iter()
        .map(|p| gvmi_core::canonical::of(p))
        .collect();
    let (tx, events) = unbounded();
    let engine = Arc::new(Engine::new(opts.jobs, tx.clone())?);
    let ids = JobIds::default();
    let root = engine.batch_token();
    let terminated = terminal::termination_flag();
    let job_signals = terminal::JobSignals::register();
    let mut screen = terminal::Screen::enter()?;
    let size = screen.terminal.size()?;
    let color = ui::theme::wanted();
    let mut app = App::new(
        ids.clone(),
        root.clone(),
        (size.width, size.height),
        settings,
        color,
    );
    let workers = workers::Workers::start(tx.clone(), gvmi_core::verify::Options::default());
    let (keeper, keeper_done) = keeper::Keeper::spawn(!opts.no_cache, tx.clone());
    let sources: Vec<String> = buckets.iter().map(|b| b.name()).collect();
    app.read_remote(sources);
    let remote = (!buckets.is_empty())
        .then(|| remote_feed::RemoteFeed::start(buckets, tx.clone(), root.clone()));
    let mut effects = effects::Runner::new(workers, keeper.clone(), tx.clone()).with_remote(remote);
    let mut doing = Doing {
        effects: &mut effects,
        engine: &engine,
        screen: &mut screen,
        job_signals: &job_signals,
    };
    if let Some(problem) = records_unused {
        doing.handle(
            &mut app,
            event::Event::Status(format!("Publish records: {problem}")).into(),
        );
    }
    let watching = watch_folders(&paths, tx.clone());
    if let Err(e) = &watching {
        let status = event::Event::Status(format!("Not watching for changes: {e}"));
        doing.handle(&mut app, status.into());
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
    while !app.quitting() && !ending() {
        if let Some(asked) = job_signals.take() {
            let done = match asked {
                terminal::JobControl::Suspend => doing.screen.suspend(),
                terminal::JobControl::Resumed => doing.screen.take_back(),
            };
            job_signals.resumed();
            if let Err(e) = done {
                let status = event::Event::Status(format!("Terminal not restored: {e}"));
                doing.handle(&mut app, status.into());
            }
            (dirty, last_draw) = (true, None);
        }
        if app.sweeping() {
            // `R` or `V` on many rows goes on a slice per turn, between keys.
            doing.handle(&mut app, Msg::Sweep);
            dirty = true;
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            let noted = |app: &App| {
                (
                    app.notes().status().is_some(),
                    app.notes().last_copied().is_some(),
                )
            };
            let before = noted(&app);
            doing.handle(&mut app, event::Event::Tick(last_tick).into());
            dirty |= before != noted(&app);
        }
        if dirty && last_draw.is_none_or(|t| t.elapsed() >= FRAME) {
            doing.handle(&mut app, Msg::Frame(Instant::now()));
            doing
                .screen
                .terminal
                .draw(|frame| ui::render(&app, frame))?;
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
                doing.handle(&mut app, event?.into());
                // Take whatever else is waiting, so a burst of progress costs
                // one frame; a key waiting (or SIGTERM) goes first.
                for event in events.try_iter().take(10_000) {
                    doing.handle(&mut app, event.into());
                    if ending() || !input.is_empty() {
                        break;
                    }
                }
                dirty = true;
            }
            recv(input) -> first => {
                // Keys that arrived together (a paste without bracketed
                // paste) are handled before the next frame, not one frame each.
                for event in std::iter::once(first?).chain(input.try_iter().take(4096)) {
                    // What the details pane shows decides how far it scrolls.
                    let extent = ui::details::max_scroll(&app);
                    doing.handle(&mut app, Msg::DetailsExtent(extent));
                    doing.handle(&mut app, Msg::Input(event));
                    if ending() {
                        break; // SIGTERM is answered within a frame, whatever is queued
                    }
                }
                dirty = true;
                last_draw = None; // answer a key at once
            }
            recv(doing.effects.notices()) -> notice => {
                if let Ok(notice) = notice {
                    let event = doing.effects.on_notice(notice, doing.screen);
                    doing.handle(&mut app, event.into());
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
        eprintln!("gvmi: {}", gvmi_core::visible::visible(&message));
    }
    if let Some(why) = not_saved {
        eprintln!(
            "gvmi: hash cache {}",
            gvmi_core::visible::visible(&why.to_string())
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
) -> Result<gvmi_core::watch::WatchHandle, gvmi_core::watch::WatchError> {
    use event::Event;
    use gvmi_core::watch::Change;
    let folders: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    gvmi_core::watch::spawn(folders, gvmi_core::watch::settle_time(), move |change| {
        let is_sums = change
            .path()
            .file_name()
            .is_some_and(|n| n == gvmi_core::manifest::FILE_NAME);
        let event = match (is_sums, change) {
            (false, change) => Event::Watch(change),
            (true, Change::Settled { path, .. }) => {
                let folder = gvmi_core::manifest::folder_of(&path);
                match gvmi_core::manifest::read_opinions(&folder) {
                    Some(sums) => Event::Sums { folder, sums },
                    None => return true,
                }
            }
            (true, _) => return true,
        };
        events.send(event).is_ok()
    })
}

/// The user's config file, template overrides and publish records, read
/// before the first frame: the UI thread never reads a file after.
fn load_settings() -> anyhow::Result<Settings> {
    Ok(Settings {
        config: gvmi_core::config::Config::load_user()?,
        config_file: gvmi_core::config::config_path(),
        templates: gvmi_core::snippet::Templates::user()?,
        published: gvmi_core::publish::state::Published::load(),
    })
}

/// What the loop holds to carry out the app's effects.
struct Doing<'a> {
    effects: &'a mut effects::Runner,
    engine: &'a Engine,
    screen: &'a mut terminal::Screen,
    job_signals: &'a terminal::JobSignals,
}

impl Doing<'_> {
    /// Hands `msg` to the app and runs the effects it asks for, in order,
    /// and those that what they came to asks for, until none is left.
    fn handle(&mut self, app: &mut App, msg: Msg) {
        let mut pending: VecDeque<Effect> = app.update(msg).into();
        while let Some(effect) = pending.pop_front() {
            let came_to = match effect {
                // Ctrl-Z: the loop owns the screen. Returns on `fg`.
                Effect::Suspend => {
                    let done = self.screen.suspend();
                    self.job_signals.resumed(); // the SIGCONT of our own stop: redrawn
                    done.err()
                        .map(|e| event::Event::Status(format!("Not suspended: {e}")))
                }
                effect => self.effects.run(effect, self.engine),
            };
            if let Some(event) = came_to {
                pending.extend(app.update(event.into()));
            }
        }
    }
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
