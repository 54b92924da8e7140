//! `treaty sweep`: a grid of parameter values, one row per point, on common random numbers.
//!
//! Every `--set PATH=LO..HI:STEPS` is an axis; the grid is the product of the axes (the first
//! varies slowest). Every other `--set PATH=VALUE` applies at every point. Each point is
//! validated like a file before anything runs. The sweep goes to stdout (or `--out FILE`,
//! written atomically); timings and the progress bar go to stderr.

use std::path::{Path, PathBuf};
use std::time::Instant;

use treaty::experiment::{Axis, check_grid, sweep_grid};
use treaty::report::{Format, Render};
use treaty::scenario::{self, overrides::Override};

use super::compare::{batch_config, batch_error, finish_outputs, named_outputs};
use super::interrupt::Interrupt;
use super::output::{AtomicFile, check_paths, out_path, warn_html_out};
use super::run::{Progress, input_path, read_scenario};
use super::{BadInput, ReportFormat};

/// Arguments of `treaty sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file, or the name of a bundled scenario.
    pub scenario: String,
    /// An axis `PATH=LO..HI:STEPS` (STEPS points from LO to HI inclusive), or a fixed override
    /// `PATH=VALUE` applied at every point (repeatable; at least one axis).
    #[arg(long = "set", value_name = "PATH=LO..HI:STEPS", required = true)]
    pub set: Vec<String>,
    /// Runs per point [default: 10000].
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed: run k of every point uses random stream k of this seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads [default: one per core]. The sweep does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the sweep to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the sweep as one self-contained HTML page with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Runs `treaty sweep`.
pub fn run(args: SweepArgs) -> anyhow::Result<i32> {
    let interrupt = Interrupt::listen()?;
    let config = batch_config(args.runs, args.seed, args.threads)?;
    let mut axes = Vec::new();
    let mut fixed = Vec::new();
    for arg in &args.set {
        let o = Override::parse(arg).map_err(|e| BadInput(e.to_string()))?;
        match Axis::from_setting(&o.path, &o.value).map_err(|e| BadInput(format!("--set {e}")))? {
            Some(axis) => axes.push(axis),
            None => fixed.push(o),
        }
    }
    if axes.is_empty() {
        return Err(BadInput(
            "a sweep needs at least one range: --set PATH=LO..HI:STEPS, e.g. \
             --set actors.RUS.capability=0.1..0.9:5"
                .into(),
        )
        .into());
    }
    if let Some(a) = axes
        .iter()
        .enumerate()
        .find(|(i, a)| axes[..*i].iter().any(|b| b.path == a.path))
    {
        return Err(BadInput(format!("--set {}: the path has two ranges", a.1.path)).into());
    }
    let out_path = out_path(args.out.as_deref());
    let inputs: Vec<(&str, &Path)> = input_path(&args.scenario)
        .map(|p| ("the scenario", p))
        .into_iter()
        .collect();
    check_paths(
        &named_outputs(&[("--out", out_path), ("--html", args.html.as_deref())]),
        &inputs,
    )?;
    warn_html_out(out_path, args.html.as_deref(), false);
    let source = read_scenario(&args.scenario)?;
    let raw = scenario::parse(&source)?;
    // Every point is checked before anything runs, then built again when its turn comes, so
    // memory holds one point's model at a time.
    let build = |settings: &[(&str, &str)]| {
        let extra: Vec<Override> = settings
            .iter()
            .map(|&(path, value)| Override {
                path: path.to_string(),
                value: value.to_string(),
            })
            .collect();
        scenario::prepare_parsed(&source, &raw, &fixed, &extra)
    };
    let n_points = check_grid(&axes, build).map_err(|e| BadInput(e.to_string()))?;

    let out = out_path.map(AtomicFile::create).transpose()?;
    let html = args.html.as_deref().map(AtomicFile::create).transpose()?;
    let mut progress = Progress::new(interrupt);
    let started = Instant::now();
    let result = sweep_grid(&axes, build, &config, &mut progress);
    progress.finish();
    let result = result.map_err(|e| batch_error(e, &progress))?;
    let elapsed = started.elapsed().as_secs_f64();
    let bytes = result.render(args.format.unwrap_or(ReportFormat::Table).into())?;
    // The visual report, beside the usual one.
    let extra = match html {
        Some(f) => vec![(f, result.render(Format::Html)?)],
        None => Vec::new(),
    };
    finish_outputs(out, &bytes, extra, &progress)?;
    eprintln!(
        "treaty: {} runs of {} points in {elapsed:.2} s ({:.0} runs/s)",
        result.provenance.runs,
        n_points,
        (result.provenance.runs as f64 * n_points as f64) / elapsed.max(1e-9)
    );
    Ok(0)
}
