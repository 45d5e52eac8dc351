//! config.toml as a command reads it, by one rule. A command that uses it
//! this run (`snippet`; `verify` with no `--url`/`--base-url`; `publish`
//! with `--target`/`--copy`; the workbench) stops on a broken one (exit 2),
//! naming the file and the line, the parser's words a line each. One that
//! can do without it this run says so once, as a warning, and goes on as
//! if there were none. Commands with nothing in config.toml (`hash`,
//! `check`, `inspect`, `cache`) never read it.

use std::process::ExitCode;

use super::out::say;
use gvmi_core::config::Config;
use gvmi_core::visible::visible;

/// Whether this run takes anything from config.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Needed,
    Optional,
}

/// The user's config by the rule above: `Err` (already said) is the exit
/// status for a broken one this run needs.
pub fn load(how: Use) -> Result<Config, ExitCode> {
    let error = match Config::load_user() {
        Ok(config) => return Ok(config),
        Err(error) => error,
    };
    let lines = error.lines();
    let (first, rest) = lines.split_first().expect("an error has words");
    match how {
        Use::Needed => say(first),
        Use::Optional => say(format_args!("warning: {first}")),
    }
    // ConfigError::lines made each visible already; visible is idempotent.
    rest.iter().for_each(|line| eprintln!("{}", visible(line)));
    match how {
        Use::Needed => Err(ExitCode::from(2)),
        Use::Optional => {
            eprintln!("  (not needed here: going on without config.toml)");
            Ok(Config::default())
        }
    }
}
