//! The `sha3sum` / GNU `*sum` flags `gvmi hash` accepts, so that a command
//! written for `sha3sum -a 224` (the Golem guide's) runs with `gvmi` in its
//! place: `-a 224`, `-b`/`-t`, `-z`, and `-c` with its check-only options.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::{CheckArgs, Cli, HashArgs};

/// The SHA-3 size gvmi computes: Golem's image hash is SHA3-224.
pub const BITS: u32 = 224;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "sha3sum compatibility")]
pub struct Sha3sumFlags {
    /// Accepted for sha3sum: 224 is the only size (Golem's image hash).
    #[arg(short = 'a', long = "algorithm", value_name = "BITS", value_parser = parse_algorithm)]
    pub algorithm: Option<u32>,
    /// Mark lines as binary (`<hash> *<path>`), as `sha3sum -b`; the hash is
    /// the same, files are always read as bytes.
    #[arg(short = 'b', long, overrides_with = "text", conflicts_with_all = ["json", "watch"])]
    pub binary: bool,
    /// Text-mode lines (`<hash>  <path>`): the default, as `sha3sum -t`.
    #[arg(short = 't', long, overrides_with = "binary", conflicts_with = "tag")]
    pub text: bool,
    /// End each line with NUL instead of a newline, names unescaped (GNU -z).
    #[arg(short = 'z', long, conflicts_with_all = ["json", "watch", "check"])]
    pub zero: bool,
    /// Read checksum lists from the PATHs and verify them, as `sha3sum -c`
    /// (the same as `gvmi check`; -q then hides OK lines).
    #[arg(short = 'c', long, conflicts_with_all = ["json", "watch", "write_sums", "rehash"])]
    pub check: bool,
    /// With -c: print nothing; the exit status tells.
    #[arg(short = 's', long, requires = "check")]
    pub status: bool,
    /// With -c: exit non-zero for improperly formatted lines.
    #[arg(long, requires = "check")]
    pub strict: bool,
    /// With -c: warn about each improperly formatted line.
    #[arg(short = 'w', long, requires = "check")]
    pub warn: bool,
    /// With -c: don't fail or report for listed files that are missing.
    #[arg(long, requires = "check")]
    pub ignore_missing: bool,
}

/// The arguments with `hash` put in front when they are a `sha3sum` command
/// line with `gvmi` as the program: `gvmi -a 224 image.gvmi` is then
/// `gvmi hash -a 224 image.gvmi`. Only flags the workbench does not have
/// trigger this (they would be a usage error otherwise), and only when no
/// subcommand is named.
pub fn route(args: Vec<OsString>) -> Vec<OsString> {
    let Some(first) = args.get(1).and_then(|a| a.to_str()) else {
        return args;
    };
    let subcommand = Cli::command().find_subcommand(first).is_some();
    let operands_start = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let sha3sum = args[1..operands_start]
        .iter()
        .filter_map(|a| a.to_str())
        .any(is_sha3sum_flag);
    if subcommand || !sha3sum {
        return args;
    }
    let mut routed = args;
    routed.insert(1, OsString::from("hash"));
    routed
}

/// A flag of `sha3sum`/GNU `*sum` that `gvmi [PATH]...` does not take.
fn is_sha3sum_flag(arg: &str) -> bool {
    const LONG: [&str; 6] = [
        "--algorithm",
        "--binary",
        "--text",
        "--check",
        "--zero",
        "--tag",
    ];
    if let Some(long) = arg.strip_prefix("--") {
        let name = long.split('=').next().unwrap_or(long);
        return LONG.iter().any(|l| &l[2..] == name);
    }
    // Short flags, bundled or not (`-a224`, `-bc`).
    arg.strip_prefix('-').is_some_and(|short| {
        short
            .chars()
            .next()
            .is_some_and(|c| matches!(c, 'a' | 'b' | 't' | 'c' | 'z'))
    })
}

/// `-a 224` (or `--algorithm 224`); any other size is refused by name.
pub fn parse_algorithm(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(BITS) => Ok(BITS),
        _ => Err(format!(
            "gvmi computes SHA3-{BITS} only (Golem's image hash); -a {s} is not supported"
        )),
    }
}

/// What `gvmi hash` was asked to do.
pub enum HashMode {
    Hash(HashArgs),
    /// `gvmi hash -c LIST...`, i.e. `gvmi check LIST...`.
    Check(CheckArgs),
}

impl HashArgs {
    /// Hashing (the PATHs default to `.`), or checking (the lists default to
    /// standard input, as `sha3sum -c` reads it).
    pub fn into_mode(mut self) -> HashMode {
        if !self.sha3sum.check {
            if self.paths.is_empty() {
                self.paths.push(PathBuf::from("."));
            }
            return HashMode::Hash(self);
        }
        let flags = &self.sha3sum;
        let files = match self.paths.is_empty() {
            true => vec![PathBuf::from("-")],
            false => self.paths,
        };
        HashMode::Check(CheckArgs {
            files,
            quiet: self.quiet,
            status: flags.status,
            strict: flags.strict,
            warn: flags.warn,
            ignore_missing: flags.ignore_missing,
            algorithm: flags.algorithm,
            jobs: self.jobs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from).collect();
        route(args)
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn a_sha3sum_command_line_becomes_gvmi_hash() {
        assert_eq!(
            routed(&["gvmi", "-a", "224", "x"]),
            ["gvmi", "hash", "-a", "224", "x"]
        );
        assert_eq!(routed(&["gvmi", "-a224", "-c", "S"])[1], "hash");
        assert_eq!(routed(&["gvmi", "--algorithm=224", "x"])[1], "hash");
        assert_eq!(routed(&["gvmi", "-L", "--tag", "x"])[1], "hash");
        assert_eq!(routed(&["gvmi", "x.gvmi", "-b"])[1], "hash");
        // Workbench flags, subcommands and operands after `--` are left alone.
        for args in [
            &["gvmi", "-L", "-d", "1", "images"][..],
            &["gvmi", "check", "-a", "224", "S"],
            &["gvmi", "images"],
            &["gvmi", "--", "-a"],
            &["gvmi"],
        ] {
            assert_eq!(routed(args), args, "{args:?}");
        }
    }

    #[test]
    fn only_224_is_accepted_and_the_refusal_says_why() {
        assert_eq!(parse_algorithm("224"), Ok(224));
        let err = parse_algorithm("256").unwrap_err();
        assert!(
            err.contains("SHA3-224 only") && err.contains("-a 256"),
            "{err}"
        );
        assert!(parse_algorithm("sha3").is_err());
    }
}
