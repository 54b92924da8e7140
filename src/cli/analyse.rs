//! `treaty analyse`: the outcome analytics of a scenario at its central values.

use super::output::commit_all;
use super::run::prepare;
use super::{AnalyseFormat, BadInput};
use treaty::report::Render;
use treaty::report::analysis::AnalysisReport;
use treaty::solvers::bargaining::{DEFAULT_GRID, DEFAULT_MAX_POINTS, Resolution, analyse};

/// The finest grid `--grid` takes.
const MAX_GRID: usize = 100_000;

/// The bounds of `--max-points`.
const MAX_POINTS: (usize, usize) = (100, 1_000_000);

/// Arguments of `treaty analyse`.
#[derive(Debug, clap::Args)]
pub struct AnalyseArgs {
    /// Scenario file, or the name of a bundled scenario (see `treaty scenarios`).
    pub scenario: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyseFormat::Table)]
    pub format: AnalyseFormat,
    /// Grid steps on each continuous issue (finer is closer to the true frontier, slower).
    #[arg(long, default_value_t = DEFAULT_GRID, value_name = "STEPS")]
    pub grid: usize,
    /// Most partial settlements kept after each issue before the frontier is thinned (with
    /// many principals thinning sets the error; more points are closer, slower).
    #[arg(long, default_value_t = DEFAULT_MAX_POINTS, value_name = "N")]
    pub max_points: usize,
    /// Change a number or choice of the scenario, e.g. `actors.RUS.capability=0.3`
    /// (repeatable), as `treaty run --set` does.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Runs `treaty analyse`.
pub fn run(args: AnalyseArgs) -> anyhow::Result<i32> {
    if !(1..=MAX_GRID).contains(&args.grid) {
        return Err(BadInput(format!(
            "--grid must lie between 1 and {MAX_GRID}, not {}",
            args.grid
        ))
        .into());
    }
    if !(MAX_POINTS.0..=MAX_POINTS.1).contains(&args.max_points) {
        return Err(BadInput(format!(
            "--max-points must lie between {} and {}, not {}",
            MAX_POINTS.0, MAX_POINTS.1, args.max_points
        ))
        .into());
    }
    let loaded = prepare(&args.scenario, &args.set)?;
    let resolution = Resolution {
        grid: args.grid,
        max_points: args.max_points,
    };
    let Some(analysis) = analyse(&loaded.model, resolution) else {
        return Err(BadInput(format!(
            "{}: the scenario has no principal, so there is no bargaining to analyse",
            args.scenario
        ))
        .into());
    };
    let report = AnalysisReport::new(&loaded.model, &analysis, resolution);
    let text = report.render(args.format.into())?;
    commit_all(Vec::new(), Some(&text))?;
    Ok(0)
}
