//! The workbench's state. Only event handling mutates it (`apply` for
//! producer events and effects' results, `events.rs`; `on_input` for the
//! terminal's, `keys.rs`); rendering reads it. Its parts keep their own
//! state: `Rows`, `Changes` (duplicates, manifests), `Findings`
//! (inspection, URL checks), `Places` (root labels).

mod events;
mod lifecycle;
pub mod notes;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::cancel::CancelToken;
use crate::config::Config;
use crate::engine::Job;
use crate::event::JobId;
use crate::progress::Tally;
use crate::snippet::{Resources, Target, Templates};

use super::batch::Batches;
use super::changes::Changes;
use super::findings::Findings;
use super::places::Places;
use super::rows::{visible, Row, RowId, Rows, SortKey};
use super::ui::layout::{self, Shape};
use super::ui::theme::Theme;

/// Hands out job ids to discovery and to rehashes alike, so they never clash.
#[derive(Clone, Debug, Default)]
pub struct JobIds(Arc<AtomicUsize>);

impl JobIds {
    pub fn next(&self) -> JobId {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}

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

/// Which pane the scrolling keys talk to (`Tab` switches while details show).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Table,
    Details,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Url,
    BaseUrl,
}

/// Work the event loop must do for the state: the state itself does no I/O.
#[derive(Debug)]
pub enum Effect {
    Hash {
        jobs: Vec<Job>,
        /// One per job, in order: a row hashed again cancels its own job alone.
        tokens: Vec<CancelToken>,
    },
    /// Ctrl-Z: give the terminal back and stop, as SIGTSTP would; redraw on `fg`.
    Suspend,
    Copy {
        what: String,
        text: String,
        /// Said before where the copy went (e.g. the image failed inspection).
        warning: Option<String>,
    },
    /// Write the config file (it now holds a base URL the user chose to keep).
    SaveConfig(Config),
    /// Keep a URL set with `e` or `b` for the next session.
    RememberUrl(super::saved_urls::UrlChange),
    /// Read an image's structure (`gvmi_format`) on a worker.
    Inspect { id: JobId, path: PathBuf },
    /// Check that URLs serve their images (`verify`) on workers.
    Verify(Vec<super::workers::VerifyJob>),
    /// Publish images (`p`, `P`) on the publish worker.
    Publish(Vec<super::publisher::PublishJob>),
    /// Write `folder/SHA3SUMS` with these hashes (by file name).
    WriteSums {
        folder: PathBuf,
        hashes: std::collections::BTreeMap<Vec<u8>, crate::digest::Sha3Digest>,
    },
}

pub struct App {
    pub rows: Rows,
    /// The rows on screen, in order: derived from rows, sort and filter.
    pub view: Vec<RowId>,
    /// The selected row, so it stays put while rows arrive, go and re-sort.
    pub selected: Option<RowId>,
    /// First view position on screen.
    pub offset: usize,
    pub sort: SortKey,
    pub filter: String,
    pub mode: Mode,
    pub show_details: bool,
    pub tally: Tally,
    pub discovery_done: bool,
    pub status: Option<String>,
    pub last_copied: Option<String>,
    /// The note the status line shows (status, else the last copy) and
    /// since which tick, so it can expire (`app/notes.rs`).
    pub(super) note_since: Option<(String, Instant)>,
    /// Base URLs set with `b` (this session or an earlier one), per scanned folder.
    pub base_urls: HashMap<PathBuf, String>,
    /// Image URLs set with `e` in earlier sessions, for rows not yet found.
    pub(super) saved_image_urls: HashMap<PathBuf, String>,
    pub focus: Focus,
    /// The details pane's scroll: lines down, characters right (code
    /// only), for the row `details_row`; another row starts at the top.
    pub details_scroll: (u16, u16),
    pub details_row: Option<RowId>,
    /// Terminal size in cells, known from resize events.
    pub size: (u16, u16),
    /// The frame clock: rates and ETAs are computed against it.
    pub now: Instant,
    pub quit: bool,
    pub theme: Theme,
    pub target: Target,
    pub resources: Resources,
    pub templates: Templates,
    pub config: Config,
    /// Live hashing jobs and the row each is for; a job not here is stale.
    pub(super) jobs: super::live_jobs::LiveJobs,
    pub(super) tokens: HashMap<RowId, CancelToken>,
    pub(super) ids: JobIds,
    pub(super) root_token: CancelToken,
    /// Inspection and URL verification per row.
    pub findings: Findings,
    /// `V` and `P` over many rows: their tallies for the status line.
    pub(super) batches: Batches,
    /// Duplicates, `SHA3SUMS` opinions, fresh results for the cache.
    pub changes: Changes,
    /// The roots rows were found under, for the Folder column.
    pub places: Places,
    /// The many-row action (`R`, `V`, `P`) that was the last thing to
    /// happen: pressed again before anything else, it is skipped (`keys`).
    pub(super) last_sweep: Option<char>,
    /// An `R` with rows left to queue (`lifecycle`).
    pub(super) sweep: Option<lifecycle::Sweep>,
    /// Rows changed in a way the sort sees (sorted by state): the view is
    /// re-sorted once before the next frame, not once per event.
    pub(super) view_stale: bool,
    /// Effects decided while applying events (inspect a hashed image, rehash a
    /// rebuilt one); the loop takes and runs them after applying a batch.
    pub(super) outbox: Vec<Effect>,
}

impl App {
    pub fn new(ids: JobIds, root_token: CancelToken, size: (u16, u16)) -> Self {
        App {
            rows: Rows::default(),
            view: Vec::new(),
            selected: None,
            offset: 0,
            sort: SortKey::default(),
            filter: String::new(),
            mode: Mode::Normal,
            show_details: false,
            tally: Tally::new(0, 0),
            discovery_done: false,
            status: None,
            last_copied: None,
            note_since: None,
            base_urls: HashMap::new(),
            saved_image_urls: HashMap::new(),
            focus: Focus::Table,
            details_scroll: (0, 0),
            details_row: None,
            size,
            now: Instant::now(),
            quit: false,
            theme: Theme::plain(),
            target: Target::Yapapi,
            resources: Resources::default(),
            templates: Templates::builtin(),
            config: Config::default(),
            jobs: Default::default(),
            tokens: HashMap::new(),
            ids,
            root_token,
            findings: Default::default(),
            batches: Default::default(),
            changes: Default::default(),
            places: Default::default(),
            outbox: Vec::new(),
            last_sweep: None,
            sweep: None,
            view_stale: false,
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.selected.and_then(|id| self.rows.get(id))
    }

    /// True while anything is queued, hashing or still being discovered.
    pub fn busy(&self) -> bool {
        !self.discovery_done || !self.jobs.is_empty() || self.sweep.is_some()
    }

    /// Effects that events (not keys) asked for, taken by the event loop.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.outbox)
    }

    /// Before a frame is drawn: sets the frame clock, and re-sorts a view
    /// that events left out of order.
    pub fn prepare_frame(&mut self, now: Instant) {
        self.now = now;
        if self.view_stale {
            self.refresh_view();
        }
    }

    /// Recomputes the visible rows, keeping the selection on the same image.
    pub fn refresh_view(&mut self) {
        self.view_stale = false;
        self.view = visible(&self.rows, self.sort, &self.filter);
        let still_there = self.selected.is_some_and(|s| self.view.contains(&s));
        if !still_there {
            self.selected = self.view.first().copied();
        }
        self.scroll_to_selection();
    }

    /// Position of the selection within the view.
    pub fn cursor(&self) -> Option<usize> {
        let selected = self.selected?;
        self.view.iter().position(|&id| id == selected)
    }

    /// Moves the selection by `delta` rows of the view, clamped.
    pub fn move_selection(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let current = self.cursor().unwrap_or(0) as isize;
        let last = self.view.len() as isize - 1;
        let target = (current + delta).clamp(0, last) as usize;
        self.selected = Some(self.view[target]);
        self.scroll_to_selection();
    }

    pub fn select_view_position(&mut self, position: usize) {
        if let Some(&id) = self.view.get(position) {
            self.selected = Some(id);
            self.scroll_to_selection();
        }
    }

    /// What the screen's layout depends on.
    pub fn shape(&self) -> Shape {
        Shape {
            size: self.size,
            show_details: self.show_details,
            status_lines: (self.status.as_deref())
                .map_or(0, |s| layout::status_lines(s, self.size.0).len()),
            typing: self.mode != Mode::Normal,
        }
    }

    /// Table body height, from the same layout the renderer uses.
    pub fn page_rows(&self) -> usize {
        layout::table_body_height(&self.shape()).max(1)
    }

    fn scroll_to_selection(&mut self) {
        let page = self.page_rows();
        let cursor = self.cursor().unwrap_or(0);
        if cursor < self.offset {
            self.offset = cursor;
        } else if cursor >= self.offset + page {
            self.offset = cursor + 1 - page;
        }
        self.offset = self.offset.min(self.view.len().saturating_sub(1));
    }
}
