use std::ffi::OsStr;
use std::process::ExitCode;

use clap::Parser;
use gvmi::cli::{self, Cli, Command, HashMode, WorkbenchArgs};
use gvmi::{clipboard, commands, tui};

fn main() -> ExitCode {
    // Internal, and outside clap so that completions and the man page never list it.
    if std::env::args_os().nth(1).as_deref() == Some(OsStr::new(clipboard::SERVE_SUBCOMMAND)) {
        return finish(commands::snippet::serve_clipboard());
    }
    if std::env::args_os().nth(1).as_deref() == Some(OsStr::new(commands::keccak_rates::SUBCOMMAND))
    {
        return finish(commands::keccak_rates::run());
    }
    // `gvmi -a 224 image.gvmi`, a sha3sum command line, is `gvmi hash ...`.
    let routed = cli::route_sha3sum(std::env::args_os().collect());
    let form = routed.form;
    let cli = Cli::try_parse_from(&routed.args).unwrap_or_else(|refused| {
        // `gvmi pubish x --to y` is refused for `--to`; the typo is the news.
        match (form, cli::typo_in(&routed.args)) {
            (false, Some(typo)) => typo.exit(),
            _ => cli::usage_exit(refused, form),
        }
    });
    if let (None, Some(first)) = (&cli.command, cli.workbench.paths.first()) {
        if let Some(typo) = cli::typo_error(first) {
            typo.exit();
        }
    }
    let result = match cli.command {
        Some(Command::Hash(mut args)) => {
            args.sha3sum.form = form;
            match args
                .into_mode()
                .unwrap_or_else(|e| cli::usage_exit(e, form))
            {
                HashMode::Hash(args) => commands::hash::run(&args),
                HashMode::Check(args) => commands::check::run(&args),
            }
        }
        Some(Command::Check(args)) => commands::check::run(&args),
        Some(Command::Cache(action)) => commands::cache::run(action),
        Some(Command::Completions { shell }) => commands::completions::run(shell),
        Some(Command::Man { page }) => commands::man::run(page.as_deref()),
        None => workbench(cli.workbench),
        Some(Command::Snippet(args)) => commands::snippet::run(&(&args).into()),
        Some(Command::Inspect(args)) => commands::inspect::run(&args),
        Some(Command::Verify(args)) => commands::verify::run(&args),
        Some(Command::Publish(args)) => commands::publish::run(&args),
    };
    finish(result)
}

/// The exit status; an error is printed as `gvmi: <error>` with status 2.
fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    result.unwrap_or_else(|e| {
        // An error may quote a path, a URL or a file's text.
        gvmi::errln!("gvmi: {}", gvmi_core::visible::visible(&format!("{e:#}")));
        ExitCode::from(2)
    })
}

fn workbench(args: WorkbenchArgs) -> anyhow::Result<ExitCode> {
    let (paths, remote) = args.sources()?;
    tui::run(tui::Options {
        paths,
        discover: args.walk.options(),
        jobs: args.jobs,
        no_cache: args.no_cache,
        remote,
    })
}
