//! Keyboard and mouse: each input becomes a state change and maybe an effect.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::app::{App, EditField, Effect, Mode};
use super::rows::RowState;
use super::ui::layout;

impl App {
    pub fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(self.quit_now());
        }
        match self.mode.clone() {
            Mode::Help => {
                self.mode = Mode::Normal;
                None
            }
            Mode::Filter => {
                self.on_filter_key(key);
                None
            }
            Mode::Edit { field, text } => self.on_edit_key(key, field, text),
            Mode::Normal => self.on_normal_key(key),
        }
    }

    fn quit_now(&mut self) -> Effect {
        self.quit = true;
        self.root_token.cancel();
        Effect::Quit
    }

    fn on_normal_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let page = self.page_rows() as isize;
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Some(self.quit_now()),
            KeyCode::Down | KeyCode::Char('j') => self.move_selection(1),
            KeyCode::Up | KeyCode::Char('k') => self.move_selection(-1),
            KeyCode::PageDown => self.move_selection(page),
            KeyCode::PageUp => self.move_selection(-page),
            KeyCode::Home | KeyCode::Char('g') => self.move_selection(isize::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.move_selection(isize::MAX / 2),
            KeyCode::Enter => self.show_details = !self.show_details,
            KeyCode::Char('?') => self.mode = Mode::Help,
            KeyCode::Char('/') => self.mode = Mode::Filter,
            KeyCode::Char('t') => self.cycle_target(),
            KeyCode::Char('s') => {
                self.sort = self.sort.next();
                self.refresh_view();
            }
            KeyCode::Char('r') => {
                return self.rehash(&self.selected.into_iter().collect::<Vec<_>>())
            }
            KeyCode::Char('R') => return self.rehash(&(0..self.rows.len()).collect::<Vec<_>>()),
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
            _ => {}
        }
        None
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
            KeyCode::Char(c) => self.filter.push(c),
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
        self.mode = Mode::Edit { field, text };
    }

    fn on_edit_key(&mut self, key: KeyEvent, field: EditField, mut text: String) -> Option<Effect> {
        match key.code {
            KeyCode::Esc => {
                self.mode = Mode::Normal;
                return None;
            }
            KeyCode::Enter => {
                self.mode = Mode::Normal;
                self.commit_edit(field, text.trim().to_string());
                return None;
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => text.clear(),
            KeyCode::Char(c) => text.push(c),
            _ => {}
        }
        self.mode = Mode::Edit { field, text };
        None
    }

    pub fn on_mouse(&mut self, mouse: MouseEvent) {
        match mouse.kind {
            MouseEventKind::ScrollDown => self.move_selection(3),
            MouseEventKind::ScrollUp => self.move_selection(-3),
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(position) = layout::row_at(self, mouse.column, mouse.row) {
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
}
