//! `treaty new NAME`: a commented starting scenario, `NAME.ron`, that validates and runs.

use std::path::PathBuf;

use super::BadInput;
use super::output::write_output;

/// The starting scenario, with `NAME` standing for the scenario's name.
const STARTER: &str = include_str!("new/starter.ron");

/// Arguments of `treaty new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The scenario's name; the file is NAME.ron unless --out says otherwise.
    pub name: String,
    /// Where to write it [default: NAME.ron].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// The starting scenario's text for `name`.
pub fn starter(name: &str) -> String {
    STARTER.replace("NAME", name)
}

/// Runs `treaty new`.
pub fn run(args: NewArgs) -> anyhow::Result<i32> {
    if args.name.is_empty()
        || args
            .name
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '\\' || c == '/')
    {
        return Err(BadInput(format!(
            "{:?}: a scenario name is not empty and has no quotes, backslashes, slashes or control characters",
            args.name
        ))
        .into());
    }
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.ron", args.name)));
    if path.exists() && !args.force {
        return Err(BadInput(format!(
            "{}: the file exists; pass --force to replace it",
            path.display()
        ))
        .into());
    }
    write_output(Some(&path), starter(&args.name).as_bytes())?;
    eprintln!(
        "treaty: wrote {}; next: treaty validate {0} && treaty run {0}",
        path.display()
    );
    Ok(0)
}
