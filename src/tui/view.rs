//! What the table shows and where: the rows in view (filtered, then
//! sorted), the selection, the first row on screen, the details pane (on
//! or off, its focus and scroll) and the terminal's size. A part of `App`
//! with its own state; it knows rows by `RowId` and is told how many rows
//! a page holds (`layout`, from `App::shape`).

use super::rows::{insert_sorted, visible, RowId, Rows, SortKey};

/// Which pane the scrolling keys talk to (`Tab` switches while details show).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Table,
    Details,
}

#[derive(Debug)]
pub struct View {
    /// The rows on screen, in order: derived from rows, sort and filter.
    ids: Vec<RowId>,
    /// The selected row, so it stays put while rows arrive, go and re-sort.
    selected: Option<RowId>,
    /// First view position on screen.
    offset: usize,
    sort: SortKey,
    filter: String,
    show_details: bool,
    focus: Focus,
    /// The details pane's scroll: lines down, characters right (code
    /// only), for the row `details_row`; another row starts at the top.
    details_scroll: (u16, u16),
    details_row: Option<RowId>,
    /// How far the pane can scroll down, as the renderer last measured
    /// its content (`Msg::DetailsExtent`): the state draws nothing itself.
    details_max: usize,
    /// Terminal size in cells, known from resize events.
    size: (u16, u16),
    /// Rows changed in a way the sort sees (sorted by state): re-sorted
    /// once before the next frame, not once per event.
    stale: bool,
}

impl View {
    pub fn new(size: (u16, u16)) -> Self {
        View {
            ids: Vec::new(),
            selected: None,
            offset: 0,
            sort: SortKey::default(),
            filter: String::new(),
            show_details: false,
            focus: Focus::Table,
            details_scroll: (0, 0),
            details_row: None,
            details_max: 0,
            size,
            stale: false,
        }
    }

    /// The rows on screen, in order.
    pub fn ids(&self) -> &[RowId] {
        &self.ids
    }

    pub fn selected(&self) -> Option<RowId> {
        self.selected
    }

    /// First view position on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn sort(&self) -> SortKey {
        self.sort
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    pub fn show_details(&self) -> bool {
        self.show_details
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Position of the selection within the view.
    pub fn cursor(&self) -> Option<usize> {
        let selected = self.selected?;
        self.ids.iter().position(|&id| id == selected)
    }

    /// The scroll for the selected row: a newly selected row starts at the top.
    pub fn details_offset(&self) -> (u16, u16) {
        if self.details_row.is_some() && self.details_row == self.selected {
            self.details_scroll
        } else {
            (0, 0)
        }
    }

    /// Recomputes the rows in view, keeping the selection on the same image.
    pub fn refresh(&mut self, rows: &Rows, page: usize) {
        self.stale = false;
        self.ids = visible(rows, self.sort, &self.filter);
        let still_there = self.selected.is_some_and(|s| self.ids.contains(&s));
        if !still_there {
            self.selected = self.ids.first().copied();
        }
        self.scroll_to_selection(page);
    }

    /// Rows changed under a sort by state: re-sorted before the next frame.
    pub fn sorted_by_state_changed(&mut self) {
        self.stale |= self.sort == SortKey::State;
    }

    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// Row `id` (just added) goes where the sort puts it; the first row is selected.
    pub fn insert(&mut self, rows: &Rows, id: RowId, page: usize) {
        insert_sorted(&mut self.ids, rows, self.sort, &self.filter, id);
        if self.selected.is_none() {
            self.selected = self.ids.first().copied();
        }
        self.scroll_to_selection(page);
    }

    /// Row `id` is gone: the selection moves to the row that took its place
    /// on screen, else the one above; no other row moves. O(rows in view).
    pub fn remove(&mut self, id: RowId, page: usize) {
        if self.details_row == Some(id) {
            self.details_row = None;
        }
        let Some(at) = self.ids.iter().position(|&v| v == id) else {
            return;
        };
        self.ids.remove(at);
        if self.selected == Some(id) {
            self.selected = self.ids.get(at).or(self.ids.last()).copied();
        }
        self.scroll_to_selection(page);
    }

    /// Moves the selection by `delta` rows of the view, clamped.
    pub fn move_by(&mut self, delta: isize, page: usize) {
        if self.ids.is_empty() {
            return;
        }
        let current = self.cursor().unwrap_or(0) as isize;
        let last = self.ids.len() as isize - 1;
        let target = (current + delta).clamp(0, last) as usize;
        self.selected = Some(self.ids[target]);
        self.scroll_to_selection(page);
    }

    pub fn select_position(&mut self, position: usize, page: usize) {
        if let Some(&id) = self.ids.get(position) {
            self.selected = Some(id);
            self.scroll_to_selection(page);
        }
    }

    /// `s`: the next order (the caller refreshes).
    pub fn next_sort(&mut self) {
        self.sort = self.sort.next();
    }

    /// The filter as typed (the caller refreshes).
    pub fn filter_mut(&mut self) -> &mut String {
        &mut self.filter
    }

    pub fn toggle_details(&mut self) {
        self.show_details = !self.show_details;
        self.focus = Focus::Table;
    }

    /// Closes the details pane; false when it was not open.
    pub fn close_details(&mut self) -> bool {
        let open = self.show_details;
        self.show_details = false;
        self.focus = Focus::Table;
        open
    }

    pub fn switch_focus(&mut self) {
        self.focus = match self.focus {
            Focus::Table => Focus::Details,
            Focus::Details => Focus::Table,
        };
    }

    /// How far the details pane can scroll, as the renderer measured it.
    pub fn set_details_max(&mut self, max: usize) {
        self.details_max = max;
    }

    /// Scrolls the details pane, clamped to its content.
    pub fn scroll_details(&mut self, down: isize, right: isize) {
        let (y, x) = self.details_offset();
        let max_y = self.details_max.min(u16::MAX as usize) as isize;
        let y = (y as isize).saturating_add(down).clamp(0, max_y);
        let x = (x as isize)
            .saturating_add(right)
            .clamp(0, u16::MAX as isize);
        self.details_scroll = (y as u16, x as u16);
        self.details_row = self.selected;
    }

    /// Other content in the pane (another target): shown from its top.
    pub fn details_from_top(&mut self) {
        self.details_row = None;
    }

    pub fn resize(&mut self, size: (u16, u16)) {
        self.size = size;
    }

    fn scroll_to_selection(&mut self, page: usize) {
        let cursor = self.cursor().unwrap_or(0);
        if cursor < self.offset {
            self.offset = cursor;
        } else if cursor >= self.offset + page {
            self.offset = cursor + 1 - page;
        }
        self.offset = self.offset.min(self.ids.len().saturating_sub(1));
    }
}
