//! Parameter sweeps: a grid of overridden scenarios on common random numbers (module docs of
//! [`crate::experiment`]).

use std::ops::Range;

use serde::Serialize;

use super::ExperimentError;
use super::metrics::{Estimate, Metric, MetricKind, MetricTally, Metrics, observe};
use super::spec::{Axis, grid};
use crate::engine::Simulator;
use crate::model::Model;
use crate::montecarlo::Provenance;
use crate::montecarlo::{BatchConfig, BlockTask, Monitor, MonteCarloError, StopFlag, run_blocks};
use crate::rng::SimRng;

/// The JSON schema of sweeps: name and version.
pub const SWEEP_SCHEMA: &str = "treaty-sweep/1";

/// One point of a sweep: the axis values it sets, and the validated model.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// One setting `PATH=VALUE` per axis, in axis order.
    pub settings: Vec<String>,
    /// The scenario with these settings applied, validated; its origin records the settings
    /// every point shares (not these), which the sweep's provenance gives.
    pub model: Model,
}

/// Builds every point of the grid of `axes`: `build` makes the model of the settings it is
/// given (`(path, value)`, one per axis in axis order; for a scenario file,
/// [`prepare_parsed`](crate::scenario::prepare_parsed) with the point's settings as `extra`). An
/// error names the point, its settings and what `build` said.
pub fn sweep_points<E: std::fmt::Display>(
    axes: &[Axis],
    mut build: impl FnMut(&[(&str, &str)]) -> Result<Model, E>,
) -> Result<Vec<SweepPoint>, ExperimentError> {
    let points = grid(axes)?;
    let total = points.len();
    let mut pairs = Vec::with_capacity(axes.len());
    points
        .into_iter()
        .enumerate()
        .map(|(p, indices)| {
            let settings: Vec<String> = axes.iter().zip(&indices).map(|(a, &i)| a.at(i)).collect();
            pairs.clear();
            pairs.extend(
                axes.iter()
                    .zip(&indices)
                    .map(|(a, &i)| (a.path.as_str(), a.values[i].as_str())),
            );
            let model = build(&pairs).map_err(|e| ExperimentError::Point {
                point: format!("{} of {total} ({})", p + 1, settings.join(", ")),
                message: e.to_string(),
            })?;
            Ok(SweepPoint { settings, model })
        })
        .collect()
}

/// Plays one point: run k from `SimRng::for_run(seed, k)`, as every other point's run k, so the
/// points share their random numbers though they are played one after another.
struct SweepTask<'a> {
    model: &'a Model,
    size: usize,
}

impl BlockTask for SweepTask<'_> {
    type Tally = MetricTally;

    fn empty(&self) -> MetricTally {
        MetricTally::new(self.size)
    }

    fn play(&self, seed: u64, runs: Range<u64>, tally: &mut MetricTally, stop: &StopFlag) {
        let mut values = Vec::with_capacity(self.size);
        // One simulator for the block: each run restarts it in place.
        let mut simulator = Simulator::new(self.model);
        for run in runs {
            if stop.is_raised() {
                return;
            }
            let outcome = simulator.run(&SimRng::for_run(seed, run), &mut stop.observer());
            observe(outcome, &mut values);
            tally.record(&values, outcome);
        }
    }

    fn merge(&self, total: &mut MetricTally, block: &MetricTally) -> Result<(), MonteCarloError> {
        total.merge(block);
        Ok(())
    }
}

/// Passes a monitor the progress of the whole sweep while one point plays.
struct PointMonitor<'a> {
    inner: &'a mut dyn Monitor,
    /// Runs of the points already played.
    before: u64,
    /// Runs of every point.
    planned: u64,
}

impl Monitor for PointMonitor<'_> {
    fn on_progress(&mut self, done: u64, _planned: u64) {
        self.inner.on_progress(self.before + done, self.planned);
    }

    fn should_stop(&mut self) -> bool {
        self.inner.should_stop()
    }

    fn stop_flag(&self) -> Option<StopFlag> {
        self.inner.stop_flag()
    }
}

/// A sweep: one row per point ([`SWEEP_SCHEMA`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// [`SWEEP_SCHEMA`].
    pub schema: String,
    /// How the intervals are computed, in words.
    pub method: String,
    /// The scenario, seed and runs of every point; `overrides` are the fixed ones.
    pub provenance: Provenance,
    /// The axes of the grid, in order.
    pub axes: Vec<Axis>,
    /// The metrics of every row, in order.
    pub metrics: Vec<Metric>,
    /// One row per point: the first axis varies slowest.
    pub points: Vec<PointRow>,
}

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointRow {
    /// Its number, from 1.
    pub point: usize,
    /// The value of each axis, as `PATH=VALUE`, in axis order.
    pub settings: Vec<String>,
    /// Every metric's estimate, in the order of [`Sweep::metrics`].
    pub estimates: Vec<MetricEstimate>,
}

/// One metric at one point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricEstimate {
    /// The metric's identifier.
    pub metric: String,
    /// Its value and interval (fields written inline).
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// The method line of every sweep.
const METHOD: &str = "common random numbers: run k of every point uses random stream k of the \
    seed; 95% intervals: Wilson for probabilities, mean +/- 1.96 sd/sqrt(runs) for means";

/// The identifier of the mean round of agreement (over the runs that agreed).
pub const ROUNDS_TO_AGREEMENT: &str = "rounds_to_agreement";

/// The metrics of a sweep's rows: the headline metrics, with the mean round of agreement (over
/// the runs that agreed, as `treaty run` reports it) after `round`.
fn row_metrics(model: &Model) -> Vec<Metric> {
    let mut list = Metrics::of(model).list().to_vec();
    let at = list
        .iter()
        .position(|m| m.id == "round")
        .map_or(0, |i| i + 1);
    list.insert(
        at,
        Metric {
            id: ROUNDS_TO_AGREEMENT.into(),
            label: "rounds to agreement".into(),
            kind: MetricKind::Mean,
        },
    );
    list
}

/// Runs every point `config.runs` times under one seed, on common random numbers: run k of every
/// point uses random stream k. The points are played one after another, each on every thread,
/// and only each point's tally is kept, so memory holds the simulators of one point at a time
/// (one per thread), whatever the number of points.
pub fn sweep(
    points: &[SweepPoint],
    axes: &[Axis],
    config: &BatchConfig,
    monitor: &mut dyn Monitor,
) -> Result<Sweep, MonteCarloError> {
    let first = points
        .first()
        .ok_or_else(|| MonteCarloError::Config("a sweep needs at least one point".into()))?;
    let headline = Metrics::of(&first.model);
    if let Some(p) = points.iter().find(|p| Metrics::of(&p.model) != headline) {
        return Err(MonteCarloError::Config(format!(
            "the points do not share their issues and actors ({} differs from the first)",
            p.settings.join(", ")
        )));
    }
    let per_point = config.runs_in(&config.blocks());
    let planned = per_point.saturating_mul(points.len() as u64);
    let mut tallies = Vec::with_capacity(points.len());
    for (p, point) in points.iter().enumerate() {
        let task = SweepTask {
            model: &point.model,
            size: headline.len(),
        };
        let mut watch = PointMonitor {
            inner: &mut *monitor,
            before: per_point.saturating_mul(p as u64),
            planned,
        };
        tallies.push(run_blocks(&task, config, &mut watch)?.tally);
    }
    let metrics = row_metrics(&first.model);
    let rows = points
        .iter()
        .zip(&tallies)
        .enumerate()
        .map(|(p, (point, tally))| PointRow {
            point: p + 1,
            settings: point.settings.clone(),
            estimates: metrics
                .iter()
                .map(|m| {
                    let moments = match headline.position(&m.id) {
                        Some(j) => &tally.values[j],
                        None => &tally.agreement_round,
                    };
                    MetricEstimate {
                        metric: m.id.clone(),
                        estimate: Estimate::of(m.kind, moments),
                    }
                })
                .collect(),
        })
        .collect();
    let mut provenance = Provenance::of(&first.model, config);
    provenance.runs = tallies.first().map_or(0, MetricTally::runs);
    Ok(Sweep {
        schema: SWEEP_SCHEMA.into(),
        method: METHOD.into(),
        provenance,
        axes: axes.to_vec(),
        metrics,
        points: rows,
    })
}
