//! `gvmi hsah x`: a mistyped subcommand parses as a workbench path. When that
//! path does not exist and is close to a subcommand's name, it is a typo, and
//! saying so beats opening a workbench on a missing folder.

use std::ffi::OsString;
use std::path::Path;

use clap::error::ErrorKind;
use clap::CommandFactory;

use super::Cli;

/// The "did you mean" error for a command line clap refused, when its first
/// operand is a mistyped subcommand: `gvmi pubish imgs/ --to s3://x` fails on
/// `--to` (not a workbench flag), and clap's own tip (`use -- --to`) would
/// send the user the wrong way. `args` includes the program name.
pub fn typo_in(args: &[OsString]) -> Option<clap::Error> {
    let cmd = Cli::command();
    let word = first_operand(&cmd, args.get(1..).unwrap_or_default())?;
    let is_subcommand = cmd
        .get_subcommands()
        .any(|s| s.get_name() == word || s.get_all_aliases().any(|a| a == word));
    if is_subcommand {
        return None; // clap went into it; its error is about what followed
    }
    typo_error(Path::new(word))
}

/// The first argument that is not an option or an option's value: the word
/// clap read as the workbench's first PATH.
fn first_operand<'a>(cmd: &clap::Command, args: &'a [OsString]) -> Option<&'a str> {
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let text = arg.to_str()?;
        if text == "--" {
            return args.next()?.to_str();
        }
        if !text.starts_with('-') || text == "-" {
            return Some(text);
        }
        if takes_separate_value(cmd, text) {
            args.next();
        }
    }
    None
}

/// Whether `flag` (as typed, e.g. `-j` or `--jobs`, not `--jobs=4`) is one
/// of the top level's options whose value is the next argument.
fn takes_separate_value(cmd: &clap::Command, flag: &str) -> bool {
    cmd.get_arguments()
        .filter(|a| a.get_action().takes_values())
        .any(|a| {
            let long = flag
                .strip_prefix("--")
                .is_some_and(|l| a.get_long() == Some(l));
            let short =
                flag.len() == 2 && flag.starts_with('-') && a.get_short() == flag.chars().nth(1);
            long || short
        })
}

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

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_first_operand_skips_options_and_their_values() {
        let cmd = Cli::command();
        for (args, want) in [
            (&["pubish", "imgs/", "--to", "s3://x"][..], Some("pubish")),
            (&["-L", "-j", "4", "pubish", "--to"], Some("pubish")),
            (&["--jobs=4", "--max-depth", "2", "hsah"], Some("hsah")),
            (&["--", "hsah"], Some("hsah")),
            (&["-j", "4"], None),
        ] {
            assert_eq!(first_operand(&cmd, &os(args)), want, "{args:?}");
        }
    }

    #[test]
    fn a_refused_command_line_names_the_typo_whatever_follows() {
        let error =
            typo_in(&os(&["gvmi", "pubish", "nowhere/", "--to", "s3://x"])).expect("a suggestion");
        assert!(
            error.to_string().contains("did you mean `publish`?"),
            "{error}"
        );
        // A real subcommand's own error is clap's to tell.
        assert!(typo_in(&os(&["gvmi", "publish", "--bogus"])).is_none());
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
