//! `treaty validate`.

use super::ValidateFormat;

/// Runs `treaty validate`.
pub fn run(_files: &[String], _format: ValidateFormat) -> anyhow::Result<i32> {
    Err(super::BadInput("`treaty validate` is not available yet".into()).into())
}
