//! Keyboard, mouse and paste: each input becomes a state change and maybe an effect.

use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

use super::app::{App, EditField, Effect, Focus, Mode};
use super::line_edit::{Edited, LineEdit, MAX_CHARS};
use super::rows::RowState;
use super::ui::layout;

impl App {
    pub fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code == KeyCode::Char('c') && ctrl {
            self.quit_now();
            return None;
        }
        if key.code == KeyCode::Char('z') && ctrl {
            return Some(Effect::Suspend); // in any mode, as in a shell
        }
        // Taken out, not cloned: a long URL is not copied on every key.
        let effect = match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Help => None, // any key closes it
            Mode::Filter => {
                self.mode = Mode::Filter;
                self.on_filter_key(key);
                None
            }
            Mode::Edit { field, editor } => self.on_edit_key(key, field, editor),
            Mode::Normal => self.on_normal_key(key),
        };
        if let Some(Effect::Copy { text, .. }) = &effect {
            self.last_copied = Some(text.clone());
        }
        effect
    }

    /// The loop ends after this input; everything in flight is cancelled.
    fn quit_now(&mut self) {
        self.quit = true;
        self.root_token.cancel();
    }

    /// `Esc` closes the topmost thing on screen, and never quits.
    fn close_topmost(&mut self) {
        if self.show_details {
            self.show_details = false;
            self.focus = Focus::Table;
        } else if !self.filter.is_empty() {
            self.filter.clear();
            self.refresh_view();
        } else {
            self.status = Some("Nothing to close. q quits.".into());
        }
    }

    fn on_normal_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if self.show_details && self.on_details_key(key) {
            return None;
        }
        let page = self.page_rows() as isize;
        match key.code {
            KeyCode::Char('q') => self.quit_now(),
            KeyCode::Esc => self.close_topmost(),
            KeyCode::Down | KeyCode::Char('j') => self.move_selection(1),
            KeyCode::Up | KeyCode::Char('k') => self.move_selection(-1),
            KeyCode::PageDown => self.move_selection(page),
            KeyCode::PageUp => self.move_selection(-page),
            KeyCode::Home | KeyCode::Char('g') => self.move_selection(isize::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.move_selection(isize::MAX / 2),
            KeyCode::Enter => {
                self.show_details = !self.show_details;
                self.focus = Focus::Table;
            }
            KeyCode::Char('?') => self.mode = Mode::Help,
            KeyCode::Char('/') => self.mode = Mode::Filter,
            KeyCode::Char('t') => self.cycle_target(),
            KeyCode::Char('s') => {
                self.sort = self.sort.next();
                self.refresh_view();
            }
            KeyCode::Char('r') => {
                return self.rehash(&self.selected.into_iter().collect::<Vec<_>>(), true)
            }
            KeyCode::Char('R') => return self.rehash_all(),
            KeyCode::Char('y') => return self.copy_hash(),
            KeyCode::Char('u') => return self.copy_url(),
            KeyCode::Char('c') => return self.copy_snippet(),
            KeyCode::Char('e') => self.start_edit(EditField::Url),
            KeyCode::Char('b') => self.start_edit(EditField::BaseUrl),
            KeyCode::Char('S') => return self.save_base_url(),
            KeyCode::Char('v') => {
                return self.verify_rows(&self.selected.into_iter().collect::<Vec<_>>())
            }
            KeyCode::Char('V') => return self.verify_rows(&self.view.clone()),
            KeyCode::Char('w') => return self.write_sums(),
            KeyCode::Char('p') => return self.publish_selected(),
            KeyCode::Char('P') => return self.publish_folder(),
            _ => {}
        }
        None
    }

    /// Keys for the details pane while it shows: `Tab` moves the focus;
    /// `Shift-↑/↓` always scroll it; with the focus, so do the arrows,
    /// `PgUp`/`PgDn`, `Home`/`End`, and `←`/`→` scroll code sideways.
    /// True when the key was the pane's.
    fn on_details_key(&mut self, key: KeyEvent) -> bool {
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let focused = self.focus == Focus::Details;
        let page = layout::details_inner_height(&self.shape()).max(1) as isize;
        match key.code {
            KeyCode::Tab | KeyCode::BackTab => {
                self.focus = match self.focus {
                    Focus::Table => Focus::Details,
                    Focus::Details => Focus::Table,
                };
            }
            KeyCode::Down if shift || focused => self.scroll_details(1, 0),
            KeyCode::Up if shift || focused => self.scroll_details(-1, 0),
            KeyCode::Char('j') if focused => self.scroll_details(1, 0),
            KeyCode::Char('k') if focused => self.scroll_details(-1, 0),
            KeyCode::PageDown if focused => self.scroll_details(page, 0),
            KeyCode::PageUp if focused => self.scroll_details(-page, 0),
            KeyCode::Home if focused => self.scroll_details(isize::MIN / 2, isize::MIN / 2),
            KeyCode::End if focused => self.scroll_details(isize::MAX / 2, 0),
            KeyCode::Right if focused => self.scroll_details(0, 8),
            KeyCode::Left if focused => self.scroll_details(0, -8),
            _ => return false,
        }
        true
    }

    /// Scrolls the details pane, clamped to its content.
    pub fn scroll_details(&mut self, down: isize, right: isize) {
        let (y, x) = self.details_offset();
        let max_y = super::ui::details::max_scroll(self);
        let y = (y as isize).saturating_add(down).clamp(0, max_y as isize);
        let x = (x as isize)
            .saturating_add(right)
            .clamp(0, u16::MAX as isize);
        self.details_scroll = (y as u16, x as u16);
        self.details_row = self.selected;
    }

    /// The scroll for the selected row: a newly selected row starts at the top.
    pub fn details_offset(&self) -> (u16, u16) {
        if self.details_row.is_some() && self.details_row == self.selected {
            self.details_scroll
        } else {
            (0, 0)
        }
    }

    fn on_filter_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                self.filter.clear();
                self.mode = Mode::Normal;
            }
            KeyCode::Enter => self.mode = Mode::Normal,
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Down => self.move_selection(1),
            KeyCode::Up => self.move_selection(-1),
            KeyCode::Char(c) if self.filter.chars().count() < MAX_CHARS => self.filter.push(c),
            _ => return,
        }
        self.refresh_view();
    }

    fn start_edit(&mut self, field: EditField) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let text = match field {
            EditField::Url => self.url_for(row).unwrap_or_default(),
            EditField::BaseUrl => self.base_url_for(row).unwrap_or_default(),
        };
        let editor = LineEdit::new(text);
        self.mode = Mode::Edit { field, editor };
    }

    fn on_edit_key(
        &mut self,
        key: KeyEvent,
        field: EditField,
        mut editor: LineEdit,
    ) -> Option<Effect> {
        match key.code {
            KeyCode::Esc => return None, // cancelled: the mode is already Normal
            KeyCode::Enter => return self.commit_edit(field, editor.text().trim().to_string()),
            _ => {
                if editor.on_key(key) == Edited::TooLong {
                    self.status = Some(too_long());
                }
            }
        }
        self.mode = Mode::Edit { field, editor };
        None
    }

    /// Pasted text (the terminal's bracketed paste): into the URL editor or
    /// the filter, refused whole when it is longer than any URL.
    pub fn on_paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Edit { editor, .. } => {
                if editor.insert(text) == Edited::TooLong {
                    self.status = Some(format!(
                        "Paste of {} refused: {}",
                        crate::units::human_bytes(text.len() as u64),
                        too_long()
                    ));
                }
            }
            Mode::Filter if self.filter.len() + text.len() <= MAX_CHARS => {
                self.filter.extend(text.chars().filter(|c| !c.is_control()));
                self.refresh_view();
            }
            _ => self.status = Some("Paste ignored: press e or b to edit a URL first.".into()),
        }
    }

    pub fn on_mouse(&mut self, mouse: MouseEvent) {
        let over_details = layout::details_area(&self.shape())
            .is_some_and(|a| a.contains((mouse.column, mouse.row).into()));
        match mouse.kind {
            MouseEventKind::ScrollDown if over_details => self.scroll_details(3, 0),
            MouseEventKind::ScrollUp if over_details => self.scroll_details(-3, 0),
            MouseEventKind::ScrollDown => self.move_selection(3),
            MouseEventKind::ScrollUp => self.move_selection(-3),
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(position) = layout::row_at(
                    &self.shape(),
                    self.offset,
                    self.view.len(),
                    mouse.column,
                    mouse.row,
                ) {
                    self.select_view_position(position);
                }
            }
            _ => {}
        }
    }

    fn copy_hash(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        match &row.state {
            RowState::Done(d) => Some(Effect::Copy {
                what: "hash".into(),
                text: d.to_hex(),
                warning: None,
            }),
            _ => {
                self.status = Some("No hash yet for this image.".into());
                None
            }
        }
    }

    /// `w`: write `SHA3SUMS` for the selected image's folder, from the
    /// hashes shown for the images directly in it.
    fn write_sums(&mut self) -> Option<Effect> {
        let folder = crate::manifest::folder_of(&self.selected_row()?.path);
        let (hashes, pending) = super::changes::folder_sums(&self.rows, &folder);
        if hashes.is_empty() {
            self.status = Some("No hashes in this folder yet.".into());
            return None;
        }
        if pending > 0 {
            self.status = Some(format!(
                "{pending} image(s) in this folder have no hash yet and are left out."
            ));
        }
        Some(Effect::WriteSums { folder, hashes })
    }

    /// The terminal's input: keys, mouse, paste, resize. The one entry
    /// point for it; a key or paste clears the last status message.
    pub fn on_input(&mut self, input: TermEvent) -> Option<Effect> {
        match input {
            TermEvent::Key(key) if key.kind == KeyEventKind::Release => None,
            TermEvent::Key(key) => {
                let sweep = self.sweep_of(&key);
                if sweep.is_some() && sweep == self.last_sweep {
                    return None; // again, nothing since: it would change nothing
                }
                self.status = None;
                let effect = self.on_key(key);
                self.last_sweep = sweep;
                effect
            }
            TermEvent::Mouse(mouse) => {
                self.last_sweep = None;
                self.on_mouse(mouse);
                None
            }
            TermEvent::Paste(text) => {
                self.last_sweep = None;
                self.status = None;
                self.on_paste(&text);
                None
            }
            TermEvent::Resize(w, h) => {
                self.size = (w, h);
                self.refresh_view();
                None
            }
            _ => None,
        }
    }
}

impl App {
    /// `R`, `V` or `P` in the table: an action over many rows, each O(rows).
    /// Pressed again with nothing in between (no event, no other input) it
    /// would change nothing (`R` leaves queued rows queued, `V` would queue
    /// the same checks, `P` skips what is publishing), so a key held down or
    /// a flood of them costs one pass per batch of input, not one per key.
    fn sweep_of(&self, key: &KeyEvent) -> Option<char> {
        let plain = (key.modifiers - KeyModifiers::SHIFT).is_empty();
        match key.code {
            KeyCode::Char(c @ ('R' | 'V' | 'P')) if plain && self.mode == Mode::Normal => Some(c),
            _ => None,
        }
    }
}

fn too_long() -> String {
    format!("a URL here is at most {} KiB.", MAX_CHARS / 1024)
}
