//! `gvmi completions <shell>`.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;

pub fn run(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gvmi", &mut out);
    super::out::write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
