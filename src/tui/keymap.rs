//! Every key the workbench knows, as data: a key in a context does an
//! [`Action`], and each line of the table has the words the help screen
//! (`?`) and a prompt's hint show. The key handler (`app/input.rs`) and the
//! screen read this one table; the README's key table is checked against
//! it (`tests/workbench/keymap.rs`).

mod table;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use table::{KEYMAP, NOT_KEYS};

/// Where a key means something. Looked up in this order: `Anywhere`, then
/// the mode's own (`Filter`, `Editor`), or in the table `Details` (the pane
/// shows), `DetailsFocused` (it has the focus), then `Table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Whatever the mode (Ctrl-C, Ctrl-Z).
    Anywhere,
    /// The image table (no prompt open).
    Table,
    /// While the details pane shows.
    Details,
    /// While the details pane has the focus (`Tab`).
    DetailsFocused,
    /// Typing a filter (`/`).
    Filter,
    /// Editing a URL (`e`, `b`).
    Editor,
}

/// A step of the selection through the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
}

/// A scroll of the details pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
}

/// A key's effect on the URL editor's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    Start,
    End,
    Backspace,
    Delete,
    KillToStart,
    KillToEnd,
    KillWord,
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
    /// `Esc`: the topmost thing on screen closes; never quits.
    Close,
    Select(Step),
    ToggleDetails,
    SwitchFocus,
    ScrollDetails(Scroll),
    Help,
    StartFilter,
    NextTarget,
    NextSort,
    Rehash,
    RehashAll,
    CopySnippet,
    CopyHash,
    CopyUrl,
    EditUrl,
    EditBaseUrl,
    SaveBaseUrl,
    Verify,
    VerifyAll,
    WriteSums,
    Publish,
    PublishFolder,
    /// Filter prompt: keep the filter, clear it, delete a character.
    FilterKeep,
    FilterClear,
    FilterBackspace,
    /// URL editor: change the line, set the URL, leave it unchanged.
    Edit(Edit),
    EditSet,
    EditCancel,
}

/// A key with its modifiers, as the terminal reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Chord {
    /// Whether `event` is this chord. Control must agree; Shift must be
    /// held when the chord names it, and is ignored otherwise (an upper-case
    /// letter arrives with or without it, as terminals differ).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let wants = |m| self.modifiers.contains(m);
        let has = |m| event.modifiers.contains(m);
        event.code == self.code
            && wants(KeyModifiers::CONTROL) == has(KeyModifiers::CONTROL)
            && (!wants(KeyModifiers::SHIFT) || has(KeyModifiers::SHIFT))
    }

    /// The key as the help screen and the README write it.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(c) if self.modifiers.contains(KeyModifiers::CONTROL) => {
                return format!("Ctrl-{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Delete".into(),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            format!("Shift-{base}")
        } else {
            base
        }
    }
}

/// One key: what it does where.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub chord: Chord,
    pub context: Context,
    pub action: Action,
}

/// Where a line of the table is shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// On the help screen (`?`).
    Help,
    /// In its prompt's hint on the status line (`Enter keeps · Esc clears`).
    Hint,
    /// Nowhere: the key does what any text field's does (Backspace).
    Plain,
}

/// A line of the table: its keys and the words for them.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub help: &'static str,
    pub shown: Shown,
}

impl Binding {
    /// The keys' names, in the table's order, each once.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for k in self.keys {
            let name = k.chord.name();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

/// The action of `event` in the first of `contexts` that binds it.
pub fn action(event: &KeyEvent, contexts: &[Context]) -> Option<Action> {
    contexts.iter().find_map(|&context| {
        let mut keys = KEYMAP.iter().flat_map(|b| b.keys);
        keys.find(|k| k.context == context && k.chord.matches(event))
            .map(|k| k.action)
    })
}

/// Every key bound in `context`, by name.
pub fn names_in(context: Context) -> Vec<String> {
    let keys = KEYMAP.iter().flat_map(|b| b.keys);
    let mut names: Vec<String> = Vec::new();
    for k in keys.filter(|k| k.context == context) {
        let name = k.chord.name();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A prompt's hint: its `Shown::Hint` keys with their words
/// (`Enter keeps · Esc clears`).
pub fn prompt_hint(context: Context) -> String {
    let lines = KEYMAP.iter().filter(|b| b.shown == Shown::Hint);
    let parts: Vec<String> = lines
        .filter_map(|b| {
            let key = b.keys.iter().find(|k| k.context == context)?;
            Some(format!("{} {}", key.chord.name(), b.help))
        })
        .collect();
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_bound_once_per_context() {
        let keys: Vec<&Key> = KEYMAP.iter().flat_map(|b| b.keys).collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert!(
                    !(a.context == b.context && a.chord == b.chord),
                    "{} bound twice in {:?}",
                    a.chord.name(),
                    a.context
                );
            }
        }
    }

    use table::{ctrl, shift};

    #[test]
    fn shift_is_ignored_unless_named_and_control_must_agree() {
        let press = |code, modifiers| KeyEvent::new(code, modifiers);
        let table = [Context::Table];
        let big_r = press(KeyCode::Char('R'), KeyModifiers::SHIFT);
        assert_eq!(action(&big_r, &table), Some(Action::RehashAll));
        let ctrl_r = press(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(action(&ctrl_r, &table), None);
        let details = [Context::Details, Context::Table];
        let shift_down = press(KeyCode::Down, KeyModifiers::SHIFT);
        assert_eq!(
            action(&shift_down, &details),
            Some(Action::ScrollDetails(Scroll::Down))
        );
        let down = press(KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(action(&down, &details), Some(Action::Select(Step::Down)));
        assert_eq!(ctrl('c').name(), "Ctrl-C");
        assert_eq!(shift(KeyCode::Up).name(), "Shift-↑");
    }

    #[test]
    fn prompts_hint_from_the_table() {
        assert_eq!(prompt_hint(Context::Filter), "Enter keeps · Esc clears");
        assert_eq!(prompt_hint(Context::Editor), "Enter sets · Esc cancels");
    }
}
