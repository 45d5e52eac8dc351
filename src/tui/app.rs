//! The workbench's state: parts with state of their own (`Rows`, `View`,
//! `Jobs`, `Serving`, `Notes`, `Findings`, `Changes`, `Places`, `Batches`,
//! `Sweeps`), and the one way it changes: [`App::update`], for the
//! terminal's input and every event alike, returning the [`Effect`]s it
//! asks for. Rendering reads it through accessors; nothing else writes it.
//! How each message is handed to the parts: `app/events.rs` (producers'
//! events), `app/lifecycle.rs` (rows that come, go and are hashed again),
//! `app/input.rs` (keys through the keymap, mouse, paste), `app/actions.rs`
//! and `app/publishing.rs` (what the keys ask for).

mod actions;
mod events;
mod input;
mod lifecycle;
mod publishing;
mod remote;

use std::path::PathBuf;
use std::time::Instant;

use ratatui::crossterm::event::Event as TermEvent;

use crate::progress::Tally;
use gvmi_core::cancel::CancelToken;
use gvmi_core::engine::Job;
use gvmi_core::event::JobId;
use gvmi_core::hasher::Hashed;

use super::batch::Batches;
use super::changes::Changes;
use super::event::Event;
use super::findings::Findings;
use super::jobs::Jobs;
use super::layout::{self, Shape};
use super::notes::Notes;
use super::places::Places;
use super::remotes::Remotes;
use super::rows::{Row, Rows};
use super::serving::Serving;
use super::sweep::Sweeps;
use super::view::View;

pub use super::jobs::JobIds;
pub use super::serving::Settings;
pub use super::view::Focus;

/// What the keyboard is talking to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    /// Editing the selected image's URL (`e`) or its folder's base URL (`b`).
    Edit {
        field: EditField,
        editor: super::line_edit::LineEdit,
    },
    Help,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Url,
    BaseUrl,
}

/// Everything that changes the state: one message per thing that happened.
#[derive(Debug)]
pub enum Msg {
    /// The terminal's input: keys, mouse, paste, resize.
    Input(TermEvent),
    /// A producer's event, or what an effect came to.
    Event(Event),
    /// A turn of the loop between inputs: an `R` or `V` under way queues
    /// its next slice.
    Sweep,
    /// A frame is about to be drawn at this time (the clock rates and ETAs
    /// are computed against); a view events left unsorted is sorted.
    Frame(Instant),
    /// How far the details pane can scroll for what it shows now, as the
    /// renderer measures it (`ui::details::max_scroll`): the state draws
    /// nothing, so the view tells it, as the terminal tells it its size.
    DetailsExtent(usize),
}

impl From<Event> for Msg {
    fn from(event: Event) -> Self {
        Msg::Event(event)
    }
}

/// Work the event loop must do for the state: the state itself does no I/O.
#[derive(Debug)]
pub enum Effect {
    Hash {
        jobs: Vec<Job>,
        /// One per job, in order: a row hashed again cancels its own job alone.
        tokens: Vec<CancelToken>,
    },
    /// A hashing job ended (every one, stale or cancelled too): the cache
    /// forgets when it began, and keeps a fresh result.
    JobDone {
        job: JobId,
        fresh: Option<(PathBuf, Hashed)>,
    },
    /// Ctrl-Z: give the terminal back and stop, as SIGTSTP would; redraw on `fg`.
    Suspend,
    Copy {
        what: String,
        text: String,
        /// Said before where the copy went (e.g. the image failed inspection).
        warning: Option<String>,
    },
    /// Put a base URL the user chose to keep into config.toml (read, merged
    /// and written under its lock: edits made since start survive).
    SaveBaseUrl { folder: PathBuf, url: String },
    /// Keep a URL set with `e` or `b` for the next session.
    RememberUrl(super::saved_urls::UrlChange),
    /// Read an image's structure (`gvmi_format`) on a worker.
    Inspect { id: JobId, path: PathBuf },
    /// Check that URLs serve their images (`verify`) on workers.
    Verify(Vec<super::workers::VerifyJob>),
    /// Publish images (`p`, `P`) on the publish worker.
    Publish(Vec<super::publisher::PublishJob>),
    /// Read config.toml again (`p`/`P` found no `[[publish]]`: the user may
    /// have added one since the workbench started), then press again.
    ReadConfig(super::event::PublishPress),
    /// Hash remote objects' bytes (`r`, `R` on remote rows).
    Fetch(Vec<super::remote_feed::FetchJob>),
    /// Write `folder/SHA3SUMS` with these hashes (by file name).
    WriteSums {
        folder: PathBuf,
        hashes: std::collections::BTreeMap<Vec<u8>, gvmi_core::digest::Sha3Digest>,
    },
}

pub struct App {
    rows: Rows,
    view: View,
    jobs: Jobs,
    serving: Serving,
    notes: Notes,
    /// Inspection, URL checks and publishes per row.
    findings: Findings,
    /// Duplicates and `SHA3SUMS` opinions.
    changes: Changes,
    /// The roots rows were found under, for the Folder column.
    places: Places,
    /// `V` and `P` over many rows: their tallies for the status line.
    batches: Batches,
    /// `R` and `V` under way, and the many-row key pressed last.
    sweeps: Sweeps,
    /// Remote sources: their rows' objects, and local images' pairings.
    remotes: Remotes,
    mode: Mode,
    /// The frame clock: rates and ETAs are computed against it.
    now: Instant,
    quit: bool,
    color: bool,
    /// Effects decided while handling the message at hand; `update` returns them.
    outbox: Vec<Effect>,
}

impl App {
    /// A workbench of `size` cells with the user's settings; `color` is
    /// false under `NO_COLOR`.
    pub fn new(
        ids: JobIds,
        root_token: CancelToken,
        size: (u16, u16),
        settings: Settings,
        color: bool,
    ) -> Self {
        let jobs = Jobs::new(ids, root_token);
        App {
            now: jobs.tally().started(),
            rows: Rows::default(),
            view: View::new(size),
            jobs,
            serving: Serving::new(settings),
            notes: Notes::default(),
            findings: Findings::default(),
            changes: Changes::default(),
            places: Places::default(),
            batches: Batches::default(),
            sweeps: Sweeps::default(),
            remotes: Remotes::default(),
            mode: Mode::Normal,
            quit: false,
            color,
            outbox: Vec::new(),
        }
    }

    /// The one way the state changes: a message in, the effects it asks for out.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Input(input) => self.on_input(input),
            Msg::Event(event) => {
                self.sweeps.interrupted();
                self.apply(event);
            }
            Msg::Sweep => self.continue_sweeps(),
            Msg::Frame(now) => {
                self.now = now;
                if self.view.is_stale() {
                    self.refresh_view();
                }
            }
            Msg::DetailsExtent(max) => self.view.set_details_max(max),
        }
        std::mem::take(&mut self.outbox)
    }

    pub fn rows(&self) -> &Rows {
        &self.rows
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn serving(&self) -> &Serving {
        &self.serving
    }

    pub fn notes(&self) -> &Notes {
        &self.notes
    }

    pub fn findings(&self) -> &Findings {
        &self.findings
    }

    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    pub fn places(&self) -> &Places {
        &self.places
    }

    pub fn remotes(&self) -> &Remotes {
        &self.remotes
    }

    /// The workbench reads these remote sources (`s3://BUCKET[/PREFIX]`),
    /// listed by `tui::remote_feed`; called before the first frame.
    pub fn read_remote(&mut self, sources: Vec<String>) {
        self.remotes.set_sources(sources);
    }

    pub fn tally(&self) -> &Tally {
        self.jobs.tally()
    }

    pub fn discovery_done(&self) -> bool {
        self.jobs.discovery_done()
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The frame clock (`Msg::Frame`).
    pub fn now(&self) -> Instant {
        self.now
    }

    /// True once the user asked to quit: the loop ends.
    pub fn quitting(&self) -> bool {
        self.quit
    }

    /// Colours on (`NO_COLOR` unset).
    pub fn color(&self) -> bool {
        self.color
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.view.selected().and_then(|id| self.rows.get(id))
    }

    /// True while anything is queued, hashing or still being discovered.
    pub fn busy(&self) -> bool {
        !self.jobs.discovery_done()
            || self.jobs.hashing()
            || self.sweeps.has(super::sweep::Kind::Rehash)
    }

    /// True while an `R` or `V` has rows left to queue (`Msg::Sweep`).
    pub fn sweeping(&self) -> bool {
        self.sweeps.under_way()
    }

    /// What the screen's layout depends on.
    pub fn shape(&self) -> Shape {
        let size = self.view.size();
        Shape {
            size,
            show_details: self.view.show_details(),
            status_lines: (self.notes.status())
                .map_or(0, |s| layout::status_lines(s, size.0).len()),
            typing: self.mode != Mode::Normal,
        }
    }

    /// Table body height, from the same layout the renderer uses.
    pub fn page_rows(&self) -> usize {
        layout::table_body_height(&self.shape()).max(1)
    }

    /// The snippet for `row`: a remote object's names where its hash came
    /// from (recorded, or its bytes once `r` read them).
    pub fn snippet_for(&self, row: &Row) -> Result<String, String> {
        let source = match self.remotes.get(row.id()) {
            Some(info) if info.hashed.is_none() => gvmi_core::snippet::RECORDED_IN_METADATA,
            _ => gvmi_core::snippet::HASHED_BY_GVMI,
        };
        self.serving.snippet_with(row, source)
    }

    /// What is wrong with the snippet for the selected row, in one line:
    /// an image that failed inspection, or a placeholder URL.
    pub fn snippet_warning(&self) -> Option<String> {
        let row = self.selected_row()?;
        let mut warnings = Vec::new();
        if self.findings.is_invalid(row.id()) {
            warnings.push("this image failed inspection (✗ invalid; see details)");
        }
        if self.serving.url_for(row).is_none() {
            warnings.push("placeholder URL: set one with e or b");
        }
        (!warnings.is_empty()).then(|| warnings.join("; "))
    }

    /// Recomputes the rows in view, keeping the selection on the same image.
    fn refresh_view(&mut self) {
        let page = self.page_rows();
        self.view.refresh(&self.rows, page);
    }
}
