//! The `sha3sum` / GNU `*sum` flags `gvmi hash` accepts, so that a command
//! written for `sha3sum -a 224` (the Golem guide's) runs with `gvmi` in its
//! place: `-a 224`, `-b`/`-t`, `-z`, and `-c` with its check-only options.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
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
    #[arg(short = 'b', long, conflicts_with_all = ["json", "watch"])]
    pub binary: bool,
    /// Text-mode lines (`<hash>  <path>`): the default, as `sha3sum -t`.
    #[arg(short = 't', long, conflicts_with = "tag")]
    pub text: bool,
    /// With -c only, as sha3sum takes it there (each line's own mode
    /// character decides); gvmi hashes files as bytes, never with universal
    /// newlines.
    #[arg(short = 'U', long = "UNIVERSAL", hide_short_help = true)]
    pub universal: bool,
    /// With -c only, as sha3sum takes it there (each line's own mode
    /// character decides); gvmi hashes bytes, never bit strings.
    #[arg(short = '0', long = "01", hide_short_help = true)]
    pub bits: bool,
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
    /// The command line is in the sha3sum form (see [`route`]): behave as
    /// Perl's `sha3sum` 1.05 byte for byte, but for the README's list.
    #[arg(skip)]
    pub form: bool,
}

/// A command line, made ready for clap.
pub struct Routed {
    pub args: Vec<OsString>,
    /// The sha3sum form: `gvmi` in place of `sha3sum` (routed), or
    /// `gvmi hash -a N …`. It behaves as Perl's `sha3sum` 1.05 does.
    pub form: bool,
}

/// The arguments with `hash` put in front when they are a `sha3sum` command
/// line with `gvmi` as the program: `gvmi -a 224 image.gvmi` is then
/// `gvmi hash -a 224 image.gvmi`. Only flags the workbench does not have
/// trigger this (they would be a usage error otherwise), and only when no
/// subcommand is named (a first argument that is not UTF-8 names none).
pub fn route(args: Vec<OsString>) -> Routed {
    let operands_start = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let flags = || {
        args[1.min(operands_start)..operands_start]
            .iter()
            .filter_map(|a| a.to_str())
    };
    let first = args.get(1).map(|a| a.to_str());
    let subcommand = first.flatten().and_then(|f| {
        Cli::command()
            .find_subcommand(f)
            .map(|c| c.get_name().to_owned())
    });
    if first.is_none() || subcommand.is_some() || !flags().any(is_sha3sum_flag) {
        let form = subcommand.as_deref() == Some("hash") && flags().any(is_algorithm_flag);
        return Routed { args, form };
    }
    let mut routed = args;
    routed.insert(1, OsString::from("hash"));
    Routed {
        args: routed,
        form: true,
    }
}

/// `-a…`, `--algorithm…`, or a bundle of short flags holding `a` (`-ba224`).
fn is_algorithm_flag(arg: &str) -> bool {
    if let Some(long) = arg.strip_prefix("--") {
        return long.split('=').next() == Some("algorithm");
    }
    let Some(shorts) = arg.strip_prefix('-') else {
        return false;
    };
    for c in shorts.chars() {
        match c {
            'a' => return true,
            // The rest is this flag's value.
            'j' | 'd' => return false,
            _ => {}
        }
    }
    false
}

/// A flag of `sha3sum`/GNU `*sum` that `gvmi [PATH]...` does not take.
fn is_sha3sum_flag(arg: &str) -> bool {
    const LONG: [&str; 8] = [
        "--algorithm",
        "--binary",
        "--text",
        "--check",
        "--zero",
        "--tag",
        "--UNIVERSAL",
        "--01",
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
            .is_some_and(|c| matches!(c, 'a' | 'b' | 't' | 'c' | 'z' | 'U' | '0'))
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
    /// Hashing (the PATHs default to `.`, or in the sha3sum form to
    /// standard input), or checking (the lists default to standard input,
    /// as `sha3sum -c` reads it). Two of `-b`, `-t`, `-U`, `-0` are
    /// refused as sha3sum refuses them.
    pub fn into_mode(mut self) -> Result<HashMode, clap::Error> {
        let f = &self.sha3sum;
        let modes = [f.binary, f.text, f.universal, f.bits];
        if modes.iter().filter(|&&m| m).count() > 1 {
            return Err(usage(
                "Ambiguous file mode (more than one of -b, -t, -U, -0)",
            ));
        }
        if (f.universal || f.bits) && self.tag {
            return Err(usage("--tag does not support -U or -0"));
        }
        if (f.universal || f.bits) && !f.check {
            return Err(usage(
                "-U and -0 only check lists here: gvmi hashes a file's bytes \
                 (SHA3-224, Golem's image hash)",
            ));
        }
        if !self.sha3sum.check {
            if self.paths.is_empty() {
                let default = if self.sha3sum.form { "-" } else { "." };
                self.paths.push(PathBuf::from(default));
            }
            return Ok(HashMode::Hash(self));
        }
        let flags = &self.sha3sum;
        let files = match self.paths.is_empty() {
            true => vec![PathBuf::from("-")],
            false => self.paths,
        };
        Ok(HashMode::Check(CheckArgs {
            files,
            quiet: self.quiet,
            status: flags.status,
            strict: flags.strict,
            warn: flags.warn,
            ignore_missing: flags.ignore_missing,
            algorithm: flags.algorithm,
            jobs: self.jobs,
            form: flags.form,
            json: false,
            net: self.net,
            storage: Default::default(),
        }))
    }
}

fn usage(message: &str) -> clap::Error {
    let mut cmd = Cli::command();
    cmd.build();
    let hash = cmd
        .find_subcommand_mut("hash")
        .expect("hash is a subcommand");
    hash.error(ErrorKind::ArgumentConflict, message)
}

/// Ends gvmi on a usage error: status 2, or 1 in the sha3sum form, as Perl's
/// `sha3sum` exits on every usage error (help and version still exit 0).
pub fn usage_exit(error: clap::Error, form: bool) -> ! {
    let shown_on_request = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    );
    if form && !shown_on_request {
        let _ = error.print();
        std::process::exit(1);
    }
    error.exit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from).collect();
        route(args)
            .args
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    fn form(args: &[&str]) -> bool {
        route(args.iter().map(OsString::from).collect()).form
    }

    #[test]
    fn the_sha3sum_form_is_a_routed_line_or_hash_with_an_algorithm() {
        assert!(form(&["gvmi", "-a", "224", "x"]));
        assert!(form(&["gvmi", "-c", "S"]));
        assert!(form(&["gvmi", "hash", "x", "-ba224"]));
        assert!(form(&["gvmi", "hash", "--algorithm=224"]));
        assert!(!form(&["gvmi", "hash", "-c", "S"]));
        assert!(!form(&["gvmi", "hash", "-j4a", "x"]));
        assert!(!form(&["gvmi", "hash", "--", "-a"]));
        assert!(!form(&["gvmi", "check", "-a", "224", "S"]));
        assert!(!form(&["gvmi", "images"]));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let odd = OsString::from_vec(b"x\xff".to_vec());
            let args = vec!["gvmi".into(), odd, "-a".into(), "224".into()];
            let routed = route(args);
            assert!(routed.form);
            assert_eq!(routed.args[1], "hash");
        }
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
