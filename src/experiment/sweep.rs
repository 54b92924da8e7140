//! Parameter sweeps: a grid of overridden scenarios on common random numbers (module docs of
//! [`crate::experiment`]).

use std::borrow::Cow;
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
/// error names the point, its settings and what `build` said. Every model is kept: for large
/// models or many points, [`check_grid`] and [`sweep_grid`] hold one point's model at a time.
pub fn sweep_points<E: std::fmt::Display>(
    axes: &[Axis],
    mut build: impl FnMut(&[(&str, &str)]) -> Result<Model, E>,
) -> Result<Vec<SweepPoint>, ExperimentError> {
    let points = grid(axes)?;
    let total = points.len();
    points
        .iter()
        .enumerate()
        .map(|(p, indices)| {
            let model = build_point(axes, indices, &mut build).map_err(|message| {
                ExperimentError::Point {
                    point: point_name(axes, indices, p, total),
                    message,
                }
            })?;
            Ok(SweepPoint {
                settings: settings_of(axes, indices),
                model,
            })
        })
        .collect()
}

/// Checks every point of the grid of `axes` as [`sweep_points`] does (each is built with `build`
/// and valid, and all share the first point's issues and actors), keeping no model: memory holds
/// one point's model at a time. Returns the number of points. [`sweep_grid`] then plays them.
pub fn check_grid<E: std::fmt::Display>(
    axes: &[Axis],
    mut build: impl FnMut(&[(&str, &str)]) -> Result<Model, E>,
) -> Result<usize, ExperimentError> {
    let points = grid(axes)?;
    let total = points.len();
    let mut headline = None;
    for (p, indices) in points.iter().enumerate() {
        let name = || point_name(axes, indices, p, total);
        let model =
            build_point(axes, indices, &mut build).map_err(|message| ExperimentError::Point {
                point: name(),
                message,
            })?;
        let metrics = Metrics::of(&model);
        match &headline {
            None => headline = Some(metrics),
            Some(first) if *first != metrics => {
                return Err(ExperimentError::Point {
                    point: name(),
                    message: "it does not share the first point's issues and actors".into(),
                });
            }
            Some(_) => {}
        }
    }
    Ok(total)
}

/// The settings `PATH=VALUE` of the point at `indices`, in axis order.
fn settings_of(axes: &[Axis], indices: &[usize]) -> Vec<String> {
    axes.iter().zip(indices).map(|(a, &i)| a.at(i)).collect()
}

/// How errors name point `p` of `total`.
fn point_name(axes: &[Axis], indices: &[usize], p: usize, total: usize) -> String {
    format!(
        "{} of {total} ({})",
        p + 1,
        settings_of(axes, indices).join(", ")
    )
}

/// The model of the point at `indices`, or what `build` said.
fn build_point<E: std::fmt::Display>(
    axes: &[Axis],
    indices: &[usize],
    build: &mut impl FnMut(&[(&str, &str)]) -> Result<Model, E>,
) -> Result<Model, String> {
    let pairs: Vec<(&str, &str)> = axes
        .iter()
        .zip(indices)
        .map(|(a, &i)| (a.path.as_str(), a.values[i].as_str()))
        .collect();
    build(&pairs).map_err(|e| e.to_string())
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
    let settings: Vec<Vec<String>> = points.iter().map(|p| p.settings.clone()).collect();
    play_points(
        axes,
        settings,
        |p| Ok(Cow::Borrowed(&points[p].model)),
        config,
        monitor,
    )
}

/// Plays the grid of `axes` as [`sweep`] does, building each point's model with `build` when its
/// turn comes and dropping it once played, so memory holds one point's model and simulators,
/// whatever the number of points. Check the grid first with [`check_grid`]: a point that fails
/// to build here stops the sweep with [`MonteCarloError::Config`].
pub fn sweep_grid<E: std::fmt::Display>(
    axes: &[Axis],
    mut build: impl FnMut(&[(&str, &str)]) -> Result<Model, E>,
    config: &BatchConfig,
    monitor: &mut dyn Monitor,
) -> Result<Sweep, MonteCarloError> {
    let points = grid(axes).map_err(|e| MonteCarloError::Config(e.to_string()))?;
    let total = points.len();
    let settings: Vec<Vec<String>> = points.iter().map(|i| settings_of(axes, i)).collect();
    play_points(
        axes,
        settings,
        |p| {
            build_point(axes, &points[p], &mut build)
                .map(Cow::Owned)
                .map_err(|message| {
                    MonteCarloError::Config(format!(
                        "sweep point {}: {message}",
                        point_name(axes, &points[p], p, total)
                    ))
                })
        },
        config,
        monitor,
    )
}

/// Plays the points whose settings are `settings`, the model of point p given by `model_of(p)`
/// when its turn comes (the first one's issues and actors shared by all).
fn play_points<'m>(
    axes: &[Axis],
    settings: Vec<Vec<String>>,
    mut model_of: impl FnMut(usize) -> Result<Cow<'m, Model>, MonteCarloError>,
    config: &BatchConfig,
    monitor: &mut dyn Monitor,
) -> Result<Sweep, MonteCarloError> {
    let per_point = config.runs_in(&config.blocks());
    let planned = per_point.saturating_mul(settings.len() as u64);
    let mut tallies = Vec::with_capacity(settings.len());
    let mut first: Option<(Model, Metrics)> = None;
    for (p, point) in settings.iter().enumerate() {
        let model = model_of(p)?;
        let metrics = Metrics::of(&model);
        match &first {
            None => first = Some((model.as_ref().clone(), metrics.clone())),
            Some((_, headline)) if *headline != metrics => {
                return Err(MonteCarloError::Config(format!(
                    "the points do not share their issues and actors ({} differs from the first)",
                    point.join(", ")
                )));
            }
            Some(_) => {}
        }
        let task = SweepTask {
            model: &model,
            size: metrics.len(),
        };
        let mut watch = PointMonitor {
            inner: &mut *monitor,
            before: per_point.saturating_mul(p as u64),
            planned,
        };
        tallies.push(run_blocks(&task, config, &mut watch)?.tally);
    }
    let Some((first, headline)) = first else {
        return Err(MonteCarloError::Config(
            "a sweep needs at least one point".into(),
        ));
    };
    let metrics = row_metrics(&first);
    let rows = settings
        .into_iter()
        .zip(&tallies)
        .enumerate()
        .map(|(p, (settings, tally))| PointRow {
            point: p + 1,
            settings,
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
    let mut provenance = Provenance::of(&first, config);
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
