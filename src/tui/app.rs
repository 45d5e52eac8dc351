//! The workbench's state. Only event handling mutates it; rendering reads it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::cancel::CancelToken;
use crate::config::Config;
use crate::discover::Found;
use crate::engine::Job;
use crate::event::{Event, JobId};
use crate::hasher::HashFailure;
use crate::progress::Tally;
use crate::snippet::{Resources, Target, Templates};

use super::rows::{visible, Row, RowId, RowState, Rows, SortKey};
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
        token: CancelToken,
    },
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
    Inspect {
        id: JobId,
        path: PathBuf,
    },
    /// Check that URLs serve their images (`verify`) on workers.
    Verify(Vec<super::workers::VerifyJob>),
    /// Write `folder/SHA3SUMS` with these hashes (by file name).
    WriteSums {
        folder: PathBuf,
        hashes: std::collections::BTreeMap<Vec<u8>, crate::digest::Sha3Digest>,
    },
    Quit,
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
    pub(super) jobs: HashMap<JobId, RowId>,
    pub(super) tokens: HashMap<RowId, CancelToken>,
    pub(super) ids: JobIds,
    pub(super) root_token: CancelToken,
    /// Inspection and URL verification per row (`findings.rs`).
    pub findings: super::findings::Findings,
    pub(super) changes: super::changes::Changes,
    /// The roots rows were found under, for the Folder column.
    pub(super) places: super::places::Places,
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
            jobs: HashMap::new(),
            tokens: HashMap::new(),
            ids,
            root_token,
            findings: Default::default(),
            changes: Default::default(),
            places: Default::default(),
            outbox: Vec::new(),
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.selected.and_then(|id| self.rows.get(id))
    }

    /// True while anything is queued, hashing or still being discovered.
    pub fn busy(&self) -> bool {
        !self.discovery_done || !self.jobs.is_empty()
    }

    /// Effects that events (not keys) asked for, taken by the event loop.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.outbox)
    }

    /// Folds one producer event into the state.
    pub fn apply(&mut self, event: Event) {
        let live = match &event {
            Event::Started { id, .. } | Event::Progress { id, .. } | Event::Finished { id, .. } => {
                self.jobs.contains_key(id)
            }
            Event::Cache(note) => note.id().is_none_or(|id| self.jobs.contains_key(&id)),
            Event::Discovered { .. }
            | Event::DiscoveryDone
            | Event::Sums { .. }
            | Event::Check(_)
            | Event::Watch(_) => true,
        };
        if !live {
            return; // a job superseded by a rehash
        }
        self.tally.apply(&event);
        let touch = self.touch_before(&event);
        match event {
            Event::Discovered { id, found } => self.add_found(id, found),
            Event::DiscoveryDone => self.discovery_done = true,
            Event::Started { id, size } => {
                if let Some(row) = self.row_of(id) {
                    row.state = RowState::Hashing { done: 0 };
                    row.size = row.size.or(Some(size));
                }
            }
            Event::Progress { id, done } => {
                if let Some(row) = self.row_of(id) {
                    row.state = RowState::Hashing { done };
                }
            }
            Event::Finished { id, result } => self.finish(id, result),
            Event::Check(check) => self.apply_check(check),
            Event::Cache(note) => self.apply_cache_note(note),
            Event::Sums { folder, sums } => self.apply_sums(folder, sums),
            Event::Watch(change) => self.apply_watch(change),
        }
        self.touch_after(touch);
    }

    fn row_of(&mut self, id: JobId) -> Option<&mut Row> {
        let row = *self.jobs.get(&id)?;
        self.rows.get_mut(row)
    }

    fn add_found(&mut self, job: JobId, found: Found) {
        let row = match found {
            Found::Image { path, root, stamp } => {
                self.tally.add_files(1, stamp.size);
                let mut row = Row::new(path, root);
                row.url = self.saved_image_urls.get(&row.path).cloned();
                self.places.note(&row); // problems have no root: not noted
                row.size = Some(stamp.size);
                row.mtime = stamp.mtime;
                row
            }
            Found::Problem { path, reason } => {
                self.tally.add_files(1, 0);
                self.tally.record_failure();
                let mut row = Row::new(path.clone(), path);
                row.state = RowState::Error(reason);
                row
            }
            Found::Stdin | Found::SkippedLink { .. } => return,
        };
        let hashing = row.state == RowState::Queued;
        let id = self.add_row(row);
        if hashing {
            self.jobs.insert(job, id);
        }
    }

    /// Adds a row where the sort puts it; the first row is selected.
    pub(super) fn add_row(&mut self, row: Row) -> RowId {
        let id = self.rows.push(row);
        super::rows::insert_sorted(&mut self.view, &self.rows, self.sort, &self.filter, id);
        if self.selected.is_none() {
            self.selected = self.view.first().copied();
        }
        self.scroll_to_selection();
        id
    }

    fn finish(&mut self, job: JobId, result: Result<crate::hasher::Hashed, HashFailure>) {
        let Some(id) = self.jobs.remove(&job) else {
            return;
        };
        self.tokens.remove(&id);
        let row = &mut self.rows[id];
        row.state = match result {
            Ok(hashed) => {
                row.size = Some(hashed.stamp.size);
                row.mtime = hashed.stamp.mtime;
                RowState::Done(hashed.digest)
            }
            Err(HashFailure::Changed) => RowState::Changed,
            Err(HashFailure::Cancelled) => RowState::Error("cancelled".into()),
            Err(HashFailure::Io(msg)) => RowState::Error(msg),
        };
        if matches!(self.rows[id].state, RowState::Done(_)) {
            self.queue_inspection(id);
        }
        if self.sort == SortKey::State {
            self.refresh_view();
        }
    }

    /// Recomputes the visible rows, keeping the selection on the same image.
    pub fn refresh_view(&mut self) {
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

    /// Table body height, from the same layout the renderer uses.
    pub fn page_rows(&self) -> usize {
        super::ui::layout::table_body_height(self).max(1)
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

    /// Cancels the row's job in flight, if any; its `Finished` is then ignored.
    pub(super) fn cancel_row(&mut self, id: RowId) {
        if let Some(token) = self.tokens.remove(&id) {
            token.cancel();
        }
        let size = self.rows.get(id).and_then(|r| r.size).unwrap_or(0);
        let jobs: Vec<JobId> = (self.jobs.iter())
            .filter(|&(_, &r)| r == id)
            .map(|(&job, _)| job)
            .collect();
        for job in jobs {
            self.jobs.remove(&job);
            self.tally.forget(job, size);
        }
    }

    /// Queues rows for hashing again, cancelling their jobs in flight.
    pub fn rehash(&mut self, ids: &[RowId]) -> Option<Effect> {
        let mut jobs = Vec::new();
        let token = self.root_token.child();
        for &id in ids {
            if self.rows.get(id).is_none() {
                continue;
            }
            self.cancel_row(id);
            self.tokens.insert(id, token.clone());
            let size = self.rows[id].size.unwrap_or(0);
            self.before_requeue(id);
            let job = self.ids.next();
            self.jobs.insert(job, id);
            self.tally.add_files(1, size);
            let row = &mut self.rows[id];
            row.state = RowState::Queued;
            jobs.push(Job {
                id: job,
                path: row.path.clone(),
                stamp: None,
            });
        }
        (!jobs.is_empty()).then_some(Effect::Hash { jobs, token })
    }
}
