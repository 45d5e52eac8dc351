//! `gvmi hsah x`: a mistyped subcommand parses as a workbench path. When that
//! path does not exist and is close to a subcommand's name, it is a typo, and
//! saying so beats opening a workbench on a missing folder.

use std::path::Path;

use clap::error::ErrorKind;
use clap::CommandFactory;

use super::Cli;

/// The clap error for `first` (the first workbench path) when it looks like a
/// mistyped subcommand: not an existing path, a bare word, and within typing
/// distance of a visible subcommand's name. `None` means: open the workbench.
pub fn typo_error(first: &Path) -> Option<clap::Error> {
    let mut cmd = Cli::command();
    cmd.build();
    let word = first.to_str()?;
    if std::fs::symlink_metadata(first).is_ok() || !is_bare_word(word) {
        return None;
    }
    let names = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string());
    let name = closest(word, names)?;
    Some(cmd.error(
        ErrorKind::InvalidSubcommand,
        format!("`{word}` is neither a file nor a folder; did you mean `{name}`?"),
    ))
}

/// Three or more ASCII letters, digits, `-` and `_` (so it is also safe to
/// print): anything with a `/` or a `.` is meant as a path.
fn is_bare_word(word: &str) -> bool {
    word.len() >= 3
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The name within typing distance of `word` (one edit for names of up to four
/// letters, two for longer ones; a swap of neighbours counts as one), closest
/// first; or a name `word` is a prefix of.
fn closest(word: &str, names: impl Iterator<Item = String>) -> Option<String> {
    let word = word.to_ascii_lowercase();
    names
        .filter_map(|name| {
            let limit = if name.len() <= 4 { 1 } else { 2 };
            let distance = strsim::osa_distance(&word, &name);
            let prefix = name.starts_with(&word);
            (distance <= limit || prefix).then_some((distance, name))
        })
        .min()
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> impl Iterator<Item = String> {
        ["hash", "check", "snippet", "inspect", "completions", "man"]
            .into_iter()
            .map(String::from)
    }

    #[test]
    fn swaps_drops_and_prefixes_are_caught() {
        for (typo, want) in [
            ("hsah", "hash"),
            ("HASH", "hash"),
            ("chekc", "check"),
            ("snipet", "snippet"),
            ("inspcet", "inspect"),
            ("comp", "completions"),
            ("mna", "man"),
        ] {
            assert_eq!(closest(typo, names()).as_deref(), Some(want), "{typo}");
        }
    }

    #[test]
    fn names_that_are_merely_similar_are_paths() {
        for word in ["hashes", "images", "demo", "data", "checks-old"] {
            assert_eq!(closest(word, names()), None, "{word}");
        }
        for path in ["./hsah", "hsah.gvmi", "ma", "x/y"] {
            assert!(!is_bare_word(path), "{path}");
        }
    }
}
