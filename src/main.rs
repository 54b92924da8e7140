//! The `treaty` program: parse arguments, call [`cli::run`], map errors to exit codes
//! (0 ok, 1 internal failure, 2 bad input, 130/143 stopped by SIGINT/SIGTERM; a broken pipe on
//! standard output is success, on any other output a failure).
#![forbid(unsafe_code)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::guard_standard_streams();
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(err) => {
            if err.chain().any(|e| e.is::<cli::StdoutGone>()) {
                return ExitCode::SUCCESS;
            }
            if let Some(stop) = err.downcast_ref::<cli::Interrupted>() {
                eprintln!("treaty: {stop}");
                return ExitCode::from(u8::try_from(stop.signal.exit_code()).unwrap_or(1));
            }
            let bad_input = err.downcast_ref::<cli::BadInput>().is_some()
                || err
                    .downcast_ref::<treaty::scenario::ScenarioError>()
                    .is_some();
            eprintln!("error: {err:#}");
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}
