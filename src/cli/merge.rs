//! `treaty merge`: join shard parts into the report one run would give, byte for byte.

use std::path::PathBuf;

use treaty::montecarlo::{Part, merge_parts};
use treaty::report::Summary;

use super::interrupt::Interrupt;
use super::output::write_output;
use super::run::exporter;
use super::{BadInput, ReportFormat};

/// Arguments of `treaty merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Part files written by `treaty run --shard I/N`, in any order.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `treaty merge`.
pub fn run(args: MergeArgs) -> anyhow::Result<i32> {
    let interrupt = Interrupt::listen()?;
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let name = path.display().to_string();
        let bytes =
            std::fs::read(path).map_err(|e| BadInput(format!("{name}: cannot read: {e}")))?;
        let part = Part::from_json(&name, &bytes).map_err(|e| BadInput(e.to_string()))?;
        parts.push((name, part));
    }
    let (provenance, outline, tally) = merge_parts(&parts).map_err(|e| BadInput(e.to_string()))?;
    let summary = Summary::new(&outline, &tally, &provenance, None);
    let bytes = exporter(args.format).export(&summary)?;
    interrupt.check(String::new)?;
    write_output(args.out.as_deref(), &bytes)?;
    Ok(0)
}
