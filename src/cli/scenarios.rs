//! `treaty scenarios`.

/// Runs `treaty scenarios`.
pub fn run() -> anyhow::Result<i32> {
    Err(super::BadInput("`treaty scenarios` is not available yet".into()).into())
}
