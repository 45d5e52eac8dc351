//! The keymap's table: every key, its context and action, a line of the
//! help screen (or a prompt's hint) each.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::{Action, Binding, Chord, Context, Edit, Key, Scroll, Shown, Step};

const fn key(code: KeyCode) -> Chord {
    Chord {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}

pub(super) const fn ctrl(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

pub(super) const fn shift(code: KeyCode) -> Chord {
    Chord {
        code,
        modifiers: KeyModifiers::SHIFT,
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
            k(key(C::Home), Table, A::Select(Step::First)),
            k(key(C::End), Table, A::Select(Step::Last)),
            k(ch('g'), Table, A::Select(Step::First)),
            k(ch('G'), Table, A::Select(Step::Last)),
        ],
        "select image; page; first / last",
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
        "filter by name, path or hash prefix (Ctrl-U/W delete)",
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
        &[k(ch('q'), Table, A::Quit), k(ctrl('c'), Anywhere, A::Quit)],
        "quit (work in flight is cancelled)",
    ),
    help(
        &[k(ctrl('z'), Anywhere, A::Suspend)],
        "suspend to the shell, as vim does (fg returns)",
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
    // readline's, as in the URL editor (the same rule for a word).
    Binding {
        keys: &[
            k(ctrl('u'), Filter, A::Edit(Edit::KillToStart)),
            k(ctrl('w'), Filter, A::Edit(Edit::KillWord)),
        ],
        help: "filter: delete the line; the word before the cursor",
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
