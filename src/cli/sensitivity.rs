//! `treaty sensitivity`: which uncertain inputs of a scenario drive each headline outcome.

use std::path::PathBuf;
use std::time::Instant;

use treaty::experiment::sensitivity::{DEFAULT_RUNS, SensitivityError, sensitivity};
use treaty::report::{Format, Render};

use super::compare::{finish_outputs, named_outputs};
use super::interrupt::Interrupt;
use super::output::{AtomicFile, cap_threads, check_paths, out_path, warn_html_out};
use super::run::{Progress, input_path, prepare};
use super::{BadInput, ReportFormat};

/// Arguments of `treaty sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// The scenario: a file, or the name of a bundled scenario.
    pub scenario: String,
    /// Runs [default: 4000].
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed: run k uses random stream k of this seed, as `treaty run` does.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads [default: one per core]. The result does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Change a number or choice of the scenario first, e.g. to make an input uncertain:
    /// `actors.RUS.capability=Uniform(0.2, 0.6)` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the analysis to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the analysis as one self-contained HTML page with a tornado chart per outcome.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Runs `treaty sensitivity`.
pub fn run(args: SensitivityArgs) -> anyhow::Result<i32> {
    let interrupt = Interrupt::listen()?;
    let runs = args.runs.unwrap_or(DEFAULT_RUNS);
    if runs > 10_000_000 {
        return Err(
            BadInput("--runs is at most 10000000 for a sensitivity analysis".into()).into(),
        );
    }
    if args.threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()).into());
    }
    let out_path = out_path(args.out.as_deref());
    let inputs: Vec<(&str, &std::path::Path)> = input_path(&args.scenario)
        .map(|p| ("the scenario", p))
        .into_iter()
        .collect();
    check_paths(
        &named_outputs(&[("--out", out_path), ("--html", args.html.as_deref())]),
        &inputs,
    )?;
    warn_html_out(out_path, args.html.as_deref(), false);
    let prepared = prepare(&args.scenario, &args.set)?;
    let out = out_path.map(AtomicFile::create).transpose()?;
    let html = args.html.as_deref().map(AtomicFile::create).transpose()?;
    let progress = Progress::new(interrupt);
    let started = Instant::now();
    let result =
        sensitivity(&prepared.model, args.seed, runs, cap_threads(args.threads)).map_err(|e| {
            match e {
                SensitivityError::ThreadPool { .. } => anyhow::Error::from(e),
                other => BadInput(format!("{}: {other}", args.scenario)).into(),
            }
        })?;
    let elapsed = started.elapsed().as_secs_f64();
    let bytes = result.render(args.format.unwrap_or(ReportFormat::Table).into())?;
    let mut extra = Vec::new();
    if let Some(f) = html {
        extra.push((f, result.render(Format::Html)?));
    }
    finish_outputs(out, &bytes, extra, &progress)?;
    eprintln!(
        "treaty: {} runs, {} inputs, {} outcomes in {elapsed:.2} s",
        result.runs,
        result.inputs.len(),
        result.outcomes.len()
    );
    Ok(0)
}
