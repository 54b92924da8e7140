//! `treaty merge`.

/// Arguments of `treaty merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {}

/// Runs `treaty merge`.
pub fn run(_args: MergeArgs) -> anyhow::Result<i32> {
    Err(super::BadInput("`treaty merge` is not available yet".into()).into())
}
