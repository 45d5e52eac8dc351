//! The terminal's input: a key becomes an `Action` through the keymap
//! (`tui::keymap`, the table the help screen shows too) and the action a
//! state change and maybe an effect; the mouse and a paste act directly.

use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

use super::{App, EditField, Effect, Mode};
use crate::tui::keymap::{self, Action, Context, Scroll, Step};
use crate::tui::layout;
use crate::tui::line_edit::{Edited, LineEdit, MAX_CHARS};
use crate::tui::view::Focus;

impl App {
    /// Keys, mouse, paste, resize. A key or paste clears the last status
    /// message; a many-row key pressed again with nothing between is
    /// skipped (`sweep`).
    pub(super) fn on_input(&mut self, input: TermEvent) {
        match input {
            TermEvent::Key(key) if key.kind == KeyEventKind::Release => {}
            TermEvent::Key(key) => {
                let action = keymap::action(&key, &self.contexts());
                let many = action.filter(|a| {
                    self.mode == Mode::Normal
                        && matches!(
                            a,
                            Action::RehashAll | Action::VerifyAll | Action::PublishFolder
                        )
                });
                if self.sweeps.repeated(many) {
                    return; // again, nothing since: it would change nothing
                }
                self.notes.clear();
                self.on_key(key, action);
                self.sweeps.pressed(many);
            }
            TermEvent::Mouse(mouse) => {
                self.sweeps.interrupted();
                self.on_mouse(mouse);
            }
            TermEvent::Paste(text) => {
                self.sweeps.interrupted();
                self.notes.clear();
                self.on_paste(&text);
            }
            TermEvent::Resize(w, h) => {
                self.view.resize((w, h));
                self.refresh_view();
            }
            _ => {}
        }
    }

    /// Where the keymap is read, in order, for the mode and panes on screen.
    fn contexts(&self) -> Vec<Context> {
        let mut contexts = vec![Context::Anywhere];
        match self.mode {
            Mode::Filter => contexts.push(Context::Filter),
            Mode::Edit { .. } => contexts.push(Context::Editor),
            Mode::Help => {}
            Mode::Normal => {
                if self.view.show_details() {
                    contexts.push(Context::Details);
                    if self.view.focus() == Focus::Details {
                        contexts.push(Context::DetailsFocused);
                    }
                }
                contexts.push(Context::Table);
            }
        }
        contexts
    }

    fn on_key(&mut self, key: KeyEvent, action: Option<Action>) {
        match action {
            Some(Action::Quit) => return self.quit_now(),
            Some(Action::Suspend) => return self.outbox.push(Effect::Suspend),
            _ => {}
        }
        // Taken out, not cloned: a long URL is not copied on every key.
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Help => {} // any key closes it
            Mode::Filter => {
                self.mode = Mode::Filter;
                self.on_filter_key(key, action);
            }
            Mode::Edit { field, editor } => self.on_edit_key(key, action, field, editor),
            Mode::Normal => {
                if let Some(action) = action {
                    self.perform(action);
                }
            }
        }
    }

    /// The loop ends after this input; everything in flight is cancelled.
    fn quit_now(&mut self) {
        self.quit = true;
        self.jobs.cancel_all();
    }

    /// What a key in the table (or the details pane) asks for.
    fn perform(&mut self, action: Action) {
        let selected: Vec<_> = self.view.selected().into_iter().collect();
        if self.refused_on_remote(action, &selected) {
            return;
        }
        match action {
            Action::Close => self.close_topmost(),
            Action::Select(step) => self.select(step),
            Action::ToggleDetails => self.view.toggle_details(),
            Action::SwitchFocus => self.view.switch_focus(),
            Action::ScrollDetails(scroll) => self.scroll(scroll),
            Action::Help => self.mode = Mode::Help,
            Action::StartFilter => self.mode = Mode::Filter,
            Action::NextTarget => {
                self.serving.next_target();
                // Another snippet in the details pane: shown from its top.
                self.view.details_from_top();
            }
            Action::NextSort => {
                self.view.next_sort();
                self.refresh_view();
            }
            Action::Rehash => {
                if let Some(effect) = self.rehash(&selected, true) {
                    self.outbox.push(effect);
                }
            }
            Action::RehashAll => self.rehash_all(),
            Action::CopyHash => self.copy_hash(),
            Action::CopyUrl => self.copy_url(),
            Action::CopySnippet => self.copy_snippet(),
            Action::EditUrl => self.start_edit(EditField::Url),
            Action::EditBaseUrl => self.start_edit(EditField::BaseUrl),
            Action::SaveBaseUrl => self.save_base_url(),
            Action::Verify => self.verify_rows(&selected),
            Action::VerifyAll => self.verify_all(),
            Action::WriteSums => self.write_sums(),
            Action::Publish => self.publish_selected(),
            Action::PublishFolder => self.publish_folder(),
            // Keys of other contexts (Ctrl-C, Ctrl-Z, the prompts'): handled there.
            Action::Quit
            | Action::Suspend
            | Action::FilterKeep
            | Action::FilterClear
            | Action::FilterBackspace
            | Action::Edit(_)
            | Action::EditSet
            | Action::EditCancel => {}
        }
    }

    fn select(&mut self, step: Step) {
        let page = self.page_rows();
        let delta = match step {
            Step::Up => -1,
            Step::Down => 1,
            Step::PageUp => -(page as isize),
            Step::PageDown => page as isize,
            Step::First => isize::MIN / 2,
            Step::Last => isize::MAX / 2,
        };
        self.view.move_by(delta, page);
    }

    /// Scrolls the details pane, clamped to its content.
    fn scroll(&mut self, scroll: Scroll) {
        let page = layout::details_inner_height(&self.shape()).max(1) as isize;
        let (down, right) = match scroll {
            Scroll::Up => (-1, 0),
            Scroll::Down => (1, 0),
            Scroll::PageUp => (-page, 0),
            Scroll::PageDown => (page, 0),
            Scroll::Top => (isize::MIN / 2, isize::MIN / 2),
            Scroll::Bottom => (isize::MAX / 2, 0),
            Scroll::Left => (0, -8),
            Scroll::Right => (0, 8),
        };
        self.view.scroll_details(down, right);
    }

    /// `Esc` closes the topmost thing on screen, and never quits.
    fn close_topmost(&mut self) {
        if self.view.close_details() {
            return;
        }
        if !self.view.filter().is_empty() {
            self.view.filter_mut().clear();
            self.refresh_view();
        } else {
            self.notes.say("Nothing to close. q quits.");
        }
    }

    fn on_filter_key(&mut self, key: KeyEvent, action: Option<Action>) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (action, key.code) {
            (Some(Action::FilterClear), _) => {
                self.view.filter_mut().clear();
                self.mode = Mode::Normal;
            }
            (Some(Action::FilterKeep), _) => self.mode = Mode::Normal,
            (Some(Action::FilterBackspace), _) => {
                self.view.filter_mut().pop();
            }
            // Ctrl-U, Ctrl-W: the URL editor's kills (its word rule), on a
            // line whose cursor is always at its end.
            (Some(Action::Edit(edit)), _) => {
                let mut line = LineEdit::new(std::mem::take(self.view.filter_mut()));
                line.apply(edit);
                *self.view.filter_mut() = line.text().to_string();
            }
            (Some(Action::Select(step)), _) => return self.select(step),
            (None, KeyCode::Char(c)) if !ctrl => {
                if self.view.filter().chars().count() < MAX_CHARS {
                    self.view.filter_mut().push(c);
                }
            }
            _ => return,
        }
        self.refresh_view();
    }

    fn start_edit(&mut self, field: EditField) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let text = match field {
            EditField::Url => self.serving.url_for(row).unwrap_or_default(),
            EditField::BaseUrl => self.serving.base_url_for(row).unwrap_or_default(),
        };
        let editor = LineEdit::new(text);
        self.mode = Mode::Edit { field, editor };
    }

    fn on_edit_key(
        &mut self,
        key: KeyEvent,
        action: Option<Action>,
        field: EditField,
        mut editor: LineEdit,
    ) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (action, key.code) {
            (Some(Action::EditCancel), _) => return, // the mode is already Normal
            (Some(Action::EditSet), _) => {
                let text = editor.text().trim().to_string();
                match self.refused_url(field, &text) {
                    // The editor stays open, the text in it, to be put right.
                    Some(why) => self.notes.say(why),
                    None => return self.commit_edit(field, text),
                }
            }
            (Some(Action::Edit(edit)), _) => editor.apply(edit),
            (None, KeyCode::Char(c)) if !ctrl => {
                let edited = editor.insert(c.encode_utf8(&mut [0; 4]));
                if edited == Edited::TooLong {
                    self.notes.say(too_long());
                }
            }
            _ => {}
        }
        self.mode = Mode::Edit { field, editor };
    }

    /// Pasted text (the terminal's bracketed paste): into the URL editor or
    /// the filter, refused whole when it is longer than any URL.
    fn on_paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Edit { editor, .. } => {
                if editor.insert(text) == Edited::TooLong {
                    self.notes.say(format!(
                        "Paste of {} refused: {}",
                        gvmi_core::units::human_bytes(text.len() as u64),
                        too_long()
                    ));
                }
            }
            Mode::Filter if self.view.filter().len() + text.len() <= MAX_CHARS => {
                let clean = text.chars().filter(|c| !c.is_control());
                self.view.filter_mut().extend(clean);
                self.refresh_view();
            }
            _ => self
                .notes
                .say("Paste ignored: press e or b to edit a URL first."),
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent) {
        let shape = self.shape();
        let over_details = layout::details_area(&shape)
            .is_some_and(|a| a.contains((mouse.column, mouse.row).into()));
        let page = self.page_rows();
        match mouse.kind {
            MouseEventKind::ScrollDown if over_details => self.view.scroll_details(3, 0),
            MouseEventKind::ScrollUp if over_details => self.view.scroll_details(-3, 0),
            MouseEventKind::ScrollDown => self.view.move_by(3, page),
            MouseEventKind::ScrollUp => self.view.move_by(-3, page),
            MouseEventKind::Down(MouseButton::Left) => {
                let (offset, rows) = (self.view.offset(), self.view.ids().len());
                if let Some(position) =
                    layout::row_at(&shape, offset, rows, mouse.column, mouse.row)
                {
                    self.view.select_position(position, page);
                }
            }
            _ => {}
        }
    }
}

fn too_long() -> String {
    format!("a URL here is at most {} KiB.", MAX_CHARS / 1024)
}
