use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use gvmi::cli::{Cli, Command, WorkbenchArgs};
use gvmi::{commands, tui};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Hash(args)) => commands::hash::run(&args),
        Some(Command::Check(args)) => commands::check::run(&args),
        Some(Command::Cache(action)) => commands::cache::run(action),
        Some(Command::Completions { shell }) => commands::completions::run(shell),
        None => workbench(cli.workbench),
        Some(Command::Snippet(args)) => commands::snippet::run(&args),
        Some(Command::Inspect(args)) => commands::inspect::run(&args),
        Some(Command::Verify(args)) => commands::verify::run(&args),
        Some(Command::ClipboardServe) => commands::snippet::serve_clipboard(),
    };
    result.unwrap_or_else(|e| {
        eprintln!("gvmi: {e:#}");
        ExitCode::from(2)
    })
}

fn workbench(args: WorkbenchArgs) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    tui::run(tui::Options {
        paths,
        discover: args.walk.options(),
        jobs: args.jobs,
        no_cache: args.no_cache,
    })
}
