//! `gvmi man [SUBCOMMAND]`: the manual page, generated from the same clap
//! definitions as `--help`, so it cannot drift from the program.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;

pub fn run(page: Option<&str>) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match page {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name).filter(|s| !s.is_hide_set()) else {
                let names: Vec<_> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                anyhow::bail!("no manual page for {name:?} (one of: {})", names.join(", "));
            };
            // gvmi-hash(1), with usage lines that read `gvmi hash ...`.
            let title = format!("gvmi-{}", sub.get_name());
            sub.clone().name(title)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(synopsis_as_help(page)).render(&mut out)?;
    super::out::write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// `page` with its synopsis set to `--help`'s usage line: clap_mangen's own
/// drops the `...` of a positional taking many values (`[PATH]` where the
/// command takes `[PATH]...`), so the page would promise one path.
fn synopsis_as_help(mut page: clap::Command) -> clap::Command {
    let usage = page.render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage).to_string();
    page.override_usage(usage)
}
