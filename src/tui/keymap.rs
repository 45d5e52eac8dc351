//! Every key the workbench knows, as data: a key in a context does an
//! [`Action`], and each line of the table has the words the help screen
//! (`?`) and a prompt's hint show. The key handler (`app/input.rs`) and the
//! screen read this one table; the README's key table is checked against
//! it (`tests/workbench/keymap.rs`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

const fn key(code: KeyCode) -> Chord {
    Chord {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

const fn shift(code: KeyCode) -> Chord {
    Chord {
        code,
        modifiers: KeyModifiers::SHIFT,
    }
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

const fn k(chord: Chord, context: Context, action: Action) -> Key {
    Key {
        chord,
        context,
        action,
    }
}

const fn help(keys: &'static [Key], help: &'static str) -> Binding {
    Binding {
        keys,
        help,
        shown: Shown::Help,
    }
}

const fn hint(keys: &'static [Key], help: &'static str) -> Binding {
    Binding {
        keys,
        help,
        shown: Shown::Hint,
    }
}

use Action as A;
use Context::{Anywhere, Details, DetailsFocused, Editor, Filter, Table};
use KeyCode as C;

/// The keymap: the key handler and the help screen read it, in this order.
pub const KEYMAP: &[Binding] = &[
    help(
        &[
            k(key(C::Up), Table, A::Select(Step::Up)),
            k(key(C::Down), Table, A::Select(Step::Down)),
            k(ch('j'), Table, A::Select(Step::Down)),
            k(ch('k'), Table, A::Select(Step::Up)),
            k(key(C::PageUp), Table, A::Select(Step::PageUp)),
            k(key(C::PageDown), Table, A::Select(Step::PageDown)),
        ],
        "select image; page up / down",
    ),
    help(
        &[
            k(key(C::Home), Table, A::Select(Step::First)),
            k(key(C::End), Table, A::Select(Step::Last)),
            k(ch('g'), Table, A::Select(Step::First)),
            k(ch('G'), Table, A::Select(Step::Last)),
        ],
        "first / last image",
    ),
    help(
        &[k(key(C::Enter), Table, A::ToggleDetails)],
        "details pane on / off",
    ),
    help(
        &[
            k(key(C::Tab), Details, A::SwitchFocus),
            k(key(C::BackTab), Details, A::SwitchFocus),
        ],
        "move the focus between the table and the details pane",
    ),
    help(
        &[
            k(key(C::Up), DetailsFocused, A::ScrollDetails(Scroll::Up)),
            k(key(C::Down), DetailsFocused, A::ScrollDetails(Scroll::Down)),
            k(ch('j'), DetailsFocused, A::ScrollDetails(Scroll::Down)),
            k(ch('k'), DetailsFocused, A::ScrollDetails(Scroll::Up)),
            k(
                key(C::PageUp),
                DetailsFocused,
                A::ScrollDetails(Scroll::PageUp),
            ),
            k(
                key(C::PageDown),
                DetailsFocused,
                A::ScrollDetails(Scroll::PageDown),
            ),
            k(key(C::Home), DetailsFocused, A::ScrollDetails(Scroll::Top)),
            k(
                key(C::End),
                DetailsFocused,
                A::ScrollDetails(Scroll::Bottom),
            ),
            k(key(C::Left), DetailsFocused, A::ScrollDetails(Scroll::Left)),
            k(
                key(C::Right),
                DetailsFocused,
                A::ScrollDetails(Scroll::Right),
            ),
        ],
        "focused pane: scroll (← → code)",
    ),
    help(
        &[
            k(shift(C::Up), Details, A::ScrollDetails(Scroll::Up)),
            k(shift(C::Down), Details, A::ScrollDetails(Scroll::Down)),
        ],
        "scroll the details pane, whatever has the focus",
    ),
    help(
        &[
            k(ch('c'), Table, A::CopySnippet),
            k(ch('y'), Table, A::CopyHash),
            k(ch('u'), Table, A::CopyUrl),
        ],
        "copy the snippet (current target) / the hash / the URL",
    ),
    help(&[k(ch('t'), Table, A::NextTarget)], "next snippet target"),
    help(
        &[
            k(ch('e'), Table, A::EditUrl),
            k(ch('b'), Table, A::EditBaseUrl),
        ],
        "edit this image's URL / its folder's base URL (kept)",
    ),
    help(
        &[k(ch('S'), Table, A::SaveBaseUrl)],
        "save that base URL to the config file",
    ),
    help(
        &[k(ch('s'), Table, A::NextSort)],
        "sort by name / size / modified / state",
    ),
    help(
        &[k(ch('/'), Table, A::StartFilter)],
        "filter by name, path or hash prefix",
    ),
    help(
        &[
            k(ch('r'), Table, A::Rehash),
            k(ch('R'), Table, A::RehashAll),
        ],
        "rehash selected / all",
    ),
    help(
        &[
            k(ch('v'), Table, A::Verify),
            k(ch('V'), Table, A::VerifyAll),
        ],
        "verify the URL serves the image: selected / all",
    ),
    help(
        &[
            k(ch('p'), Table, A::Publish),
            k(ch('P'), Table, A::PublishFolder),
        ],
        "publish ([[publish]], config.toml): selected / folder",
    ),
    help(
        &[k(ch('w'), Table, A::WriteSums)],
        "write SHA3SUMS for this image's folder",
    ),
    help(
        &[
            k(key(C::Left), Editor, A::Edit(Edit::Left)),
            k(key(C::Right), Editor, A::Edit(Edit::Right)),
            k(key(C::Home), Editor, A::Edit(Edit::Start)),
            k(key(C::End), Editor, A::Edit(Edit::End)),
            k(ctrl('a'), Editor, A::Edit(Edit::Start)),
            k(ctrl('e'), Editor, A::Edit(Edit::End)),
            k(ctrl('u'), Editor, A::Edit(Edit::KillToStart)),
            k(ctrl('w'), Editor, A::Edit(Edit::KillWord)),
            k(ctrl('k'), Editor, A::Edit(Edit::KillToEnd)),
        ],
        "URL editor: move; delete",
    ),
    help(&[k(ch('?'), Table, A::Help)], "this help (any key closes)"),
    help(
        &[k(key(C::Esc), Table, A::Close)],
        "close help, editor, details or filter; never quits",
    ),
    help(
        &[
            k(ch('q'), Table, A::Quit),
            k(ctrl('c'), Anywhere, A::Quit),
            k(ctrl('z'), Anywhere, A::Suspend),
        ],
        "quit (Ctrl-Z: suspend; fg returns)",
    ),
    hint(&[k(key(C::Enter), Filter, A::FilterKeep)], "keeps"),
    hint(&[k(key(C::Esc), Filter, A::FilterClear)], "clears"),
    hint(&[k(key(C::Enter), Editor, A::EditSet)], "sets"),
    hint(&[k(key(C::Esc), Editor, A::EditCancel)], "cancels"),
    Binding {
        keys: &[
            k(key(C::Backspace), Filter, A::FilterBackspace),
            k(key(C::Backspace), Editor, A::Edit(Edit::Backspace)),
            k(key(C::Delete), Editor, A::Edit(Edit::Delete)),
            k(key(C::Up), Filter, A::Select(Step::Up)),
            k(key(C::Down), Filter, A::Select(Step::Down)),
        ],
        help: "delete a character; select while filtering",
        shown: Shown::Plain,
    },
];

/// Things the help screen explains that are not keys.
pub const NOT_KEYS: &[(&str, &str)] = &[
    ("mouse", "wheel scrolls the table or details; click selects"),
    (
        "↗ (URL column)",
        "has a URL: own (e), folder's (b), published (p), config",
    ),
];

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
