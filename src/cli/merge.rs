//! `treaty merge`: join shard parts into the report one run would give, byte for byte.

use std::path::PathBuf;

use treaty::montecarlo::{MAX_PART_BYTES, Part, Summary, merge_parts};
use treaty::report::Render;

use super::interrupt::Interrupt;
use super::output::{check_paths, out_path, write_output};
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

/// Reads a part file, refusing directories and anything over [`MAX_PART_BYTES`].
fn read_part(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("is a directory, not a part file".into());
    }
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(format!(
            "more than {MAX_PART_BYTES} bytes (256 MiB); part files are much smaller, \
             is this a part written by `treaty run --shard`?"
        ));
    }
    Ok(bytes)
}

/// Runs `treaty merge`.
pub fn run(args: MergeArgs) -> anyhow::Result<i32> {
    let interrupt = Interrupt::listen()?;
    let out = out_path(args.out.as_deref());
    if let Some(out) = out {
        let inputs: Vec<(&str, &std::path::Path)> = args
            .parts
            .iter()
            .map(|p| ("the part", p.as_path()))
            .collect();
        check_paths(&[("--out", out)], &inputs)?;
    }
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let name = path.display().to_string();
        let bytes = read_part(path).map_err(|e| BadInput(format!("{name}: {e}")))?;
        let part = Part::from_json(&name, &bytes).map_err(|e| BadInput(e.to_string()))?;
        parts.push((name, part));
    }
    let (provenance, outline, tally) = merge_parts(&parts).map_err(|e| BadInput(e.to_string()))?;
    let summary = Summary::new(&outline, &tally, &provenance, None);
    let bytes = summary.render(args.format.into())?;
    interrupt.check(String::new)?;
    write_output(out, &bytes)?;
    Ok(0)
}
