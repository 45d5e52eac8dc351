use std::process::ExitCode;

use clap::Parser;
use gvmi::cli::{Cli, Command};
use gvmi::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Hash(args) => commands::hash::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Snippet(args) => commands::snippet::run(args),
        Command::Completions { shell } => commands::completions::run(*shell),
        Command::ClipboardServe => commands::snippet::serve_clipboard(),
    };
    result.unwrap_or_else(|e| {
        eprintln!("gvmi: {e:#}");
        ExitCode::from(2)
    })
}
