//! `treaty completions SHELL`: a completion script for the shell, on standard output.

use clap::CommandFactory;

use super::Cli;
use super::output::write_output;

/// Arguments of `treaty completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `treaty completions`.
pub fn run(args: CompletionsArgs) -> anyhow::Result<i32> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "treaty", &mut script);
    write_output(None, &script)?;
    Ok(0)
}
