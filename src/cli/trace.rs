//! `treaty trace`.

/// Arguments of `treaty trace`.
#[derive(Debug, clap::Args)]
pub struct TraceArgs {}

/// Runs `treaty trace`.
pub fn run(_args: TraceArgs) -> anyhow::Result<i32> {
    Err(super::BadInput("`treaty trace` is not available yet".into()).into())
}
