//! `treaty run`.

/// Arguments of `treaty run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {}

/// Runs `treaty run`.
pub fn run(_args: RunArgs) -> anyhow::Result<i32> {
    Err(super::BadInput("`treaty run` is not available yet".into()).into())
}
