//! Backtesting: forecasts of decisions whose outcomes are recorded, scored against them and
//! against the classic baselines of the field.
//!
//! A [`Case`] is a model with, for some of its issues, the outcome that was adopted. A
//! [`backtest`] plays every case `runs` times under each protocol entered (an [`Entrant`]: the
//! same cases set up under one protocol, e.g. from one import template), draws the same runs'
//! worlds for the baselines, and scores each issue's forecast.
//!
//! # Forecasts
//!
//! Every method gives, per issue, one value per run, so a forecast is a distribution of `runs`
//! values (a baseline computed on a world with no uncertain number is the same value every run):
//!
//! - a protocol's forecast is the settlement of each run (the status quo for a run that ends
//!   without agreement, as the engine reports it);
//! - **status quo**: the issue's reference point (scored only where one was recorded);
//! - **compromise model** (Achen 2006, in Thomson, Stokman, Achen & König, *The European Union
//!   Decides*): Σ c_i s_i x_i / Σ c_i s_i over the actors who care (salience s_i > 0);
//! - **weighted median**: the position of the median of the weights c_i s_i (the weighted median
//!   voter of Black 1948 as Bueno de Mesquita's models start from): the smallest position at which
//!   the cumulated weight reaches half the total, or, where it reaches exactly half, the midpoint
//!   of that position and the next;
//! - **unweighted mean** of the positions of the actors who care.
//!
//! The baselines take every actor that is not a mediator (a chair's position is no one's
//! demand); where no such actor cares about the issue they forecast the status quo.
//!
//! # Scores
//!
//! The point forecast of a method is the median of its runs' values (the point that minimises
//! the expected absolute error). Per issue: its absolute error |x̂ − y|, and the continuous ranked
//! probability score of the whole distribution (Matheson & Winkler 1976; Gneiting & Raftery 2007,
//! "Strictly proper scoring rules, prediction, and estimation", JASA 102):
//!
//! ```text
//! CRPS(F, y) = E|X − y| − ½ E|X − X'|
//! ```
//!
//! computed exactly on the empirical distribution of the runs (on sorted values x_(1) ≤ … ≤ x_(n),
//! E|X − X'| = (2/n²) Σ_k (2k − n − 1) x_(k)). For a forecast that is one point the CRPS is its
//! absolute error; lower is better for both. Per method and group: the number of issues, the
//! mean and median absolute error, the share of issues within 0.1 of the outcome, the mean CRPS,
//! and for protocols the share of runs that ended in agreement.
//!
//! # Determinism
//!
//! Run k of every case, under every protocol, uses the generator
//! [`SimRng::for_run`]`(seed, k)`, and the baselines of run k draw that run's world from the same
//! generator (common random numbers across methods). Cases are shared among threads but each is
//! played in run order, so results are the same for any thread count.

use crate::engine::{NoopObserver, OutcomeKind, Simulator};
use crate::model::{Domain, Model, Role, SamplePlan, World};
use crate::rng::SimRng;
use rayon::prelude::*;

/// Runs per case and protocol when none are given.
pub const DEFAULT_RUNS: u64 = 500;

/// One recorded issue of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The issue's index in the case's model.
    pub issue: usize,
    /// The outcome that was adopted, on [0, 1].
    pub outcome: f64,
    /// Whether the status quo of the case was recorded (if not, the status quo baseline is not
    /// scored on this issue).
    pub status_quo_recorded: bool,
    /// Labels to group scores by (column, value), e.g. `("rule", "QMV")`.
    pub tags: Vec<(String, String)>,
}

/// A model with recorded outcomes.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case's name (unique among the cases).
    pub name: String,
    /// The model, as set up for one protocol.
    pub model: Model,
    /// The issues whose outcome was recorded.
    pub recorded: Vec<Recorded>,
}

/// The cases set up under one protocol.
#[derive(Debug, Clone)]
pub struct Entrant {
    /// What to call the method (e.g. the template's name).
    pub label: String,
    /// The cases, in the same order and with the same names and recorded issues for every
    /// entrant.
    pub cases: Vec<Case>,
}

/// How to play the backtest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The master seed.
    pub seed: u64,
    /// Runs per case and protocol.
    pub runs: u64,
    /// Tag columns to group scores by, besides the whole set.
    pub groups: Vec<String>,
    /// Threads (None: every core).
    pub threads: Option<usize>,
}

impl Config {
    /// `runs` runs under `seed`, no groups, every core.
    pub fn new(seed: u64, runs: u64) -> Self {
        Config {
            seed,
            runs,
            groups: Vec::new(),
            threads: None,
        }
    }
}

/// What kind of method a forecast comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A protocol of the engine.
    Protocol,
    /// A baseline computed from the positions.
    Baseline,
}

/// The four baselines, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Baseline {
    /// The reference point.
    StatusQuo,
    /// Achen's compromise model.
    Compromise,
    /// The weighted median position.
    WeightedMedian,
    /// The unweighted mean position.
    Mean,
}

impl Baseline {
    /// Every baseline, in report order.
    pub const ALL: [Baseline; 4] = [
        Baseline::StatusQuo,
        Baseline::Compromise,
        Baseline::WeightedMedian,
        Baseline::Mean,
    ];

    /// The label reports use.
    pub fn label(self) -> &'static str {
        match self {
            Baseline::StatusQuo => "status quo",
            Baseline::Compromise => "compromise",
            Baseline::WeightedMedian => "weighted median",
            Baseline::Mean => "mean",
        }
    }

    /// What it is, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Baseline::StatusQuo => "the reference point: nothing changes",
            Baseline::Compromise => {
                "compromise model (Achen 2006): capability x salience weighted mean of positions"
            }
            Baseline::WeightedMedian => "median position, weights capability x salience",
            Baseline::Mean => "unweighted mean of the positions of the actors who care",
        }
    }
}

/// A method as reports list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Its label.
    pub label: String,
    /// Protocol or baseline.
    pub kind: Kind,
    /// What it is, in one line.
    pub description: String,
}

/// One method's forecast of one issue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// The point forecast: the median of the runs' values.
    pub point: f64,
    /// The 5% and 95% quantiles of the runs' values.
    pub p05: f64,
    /// See `p05`.
    pub p95: f64,
    /// |point − outcome|.
    pub error: f64,
    /// The CRPS of the runs' values.
    pub crps: f64,
    /// For a protocol, the share of runs that ended in agreement.
    pub agreement: Option<f64>,
}

/// One recorded issue with every method's forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The case's name.
    pub case: String,
    /// The issue's id.
    pub issue: String,
    /// The recorded outcome.
    pub outcome: f64,
    /// The status quo (as the first entrant's model has it, at its central value).
    pub status_quo: f64,
    /// Whether the status quo was recorded.
    pub status_quo_recorded: bool,
    /// Its tags.
    pub tags: Vec<(String, String)>,
    /// One forecast per method, in the order of [`Backtest::methods`]; None where the method is
    /// not scored (the status quo where none was recorded).
    pub forecasts: Vec<Option<Forecast>>,
}

/// A method's scores over a set of issues.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Issues scored.
    pub n: usize,
    /// Mean absolute error of the point forecasts.
    pub mae: f64,
    /// Median absolute error.
    pub median_error: f64,
    /// Share of issues with an absolute error of at most 0.1.
    pub within: f64,
    /// Mean CRPS.
    pub crps: f64,
    /// For a protocol, the share of its runs that ended in agreement.
    pub agreement: Option<f64>,
}

/// The scores of every method over one group of issues.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupScores {
    /// The tag column and value that define the group; None for every issue.
    pub group: Option<(String, String)>,
    /// Issues in the group.
    pub issues: usize,
    /// One score per method, in the order of [`Backtest::methods`] (None where no issue of the
    /// group is scored for the method).
    pub scores: Vec<Option<Score>>,
}

/// The share of issues within this distance of the outcome that reports count.
pub const WITHIN: f64 = 0.1;

/// A backtest's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// Master seed.
    pub seed: u64,
    /// Runs per case and protocol.
    pub runs: u64,
    /// Number of cases.
    pub cases: usize,
    /// The methods: the protocols entered, then the baselines.
    pub methods: Vec<Method>,
    /// Every recorded issue.
    pub rows: Vec<Row>,
    /// Scores over every issue, then per group.
    pub scores: Vec<GroupScores>,
}

/// A backtest that cannot be played.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BacktestError {
    /// The settings or the cases are impossible.
    #[error("{0}")]
    Config(String),
    /// The thread pool could not be started.
    #[error("cannot start a pool of {threads} threads: {message}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// What rayon said.
        message: String,
    },
}

/// Plays every case under every entrant and scores the forecasts (module docs).
pub fn backtest(entrants: &[Entrant], config: &Config) -> Result<Backtest, BacktestError> {
    check(entrants, config)?;
    let work = || -> Vec<Vec<Row>> {
        let first = &entrants[0];
        (0..first.cases.len())
            .into_par_iter()
            .map(|c| case_rows(entrants, c, config))
            .collect()
    };
    let rows: Vec<Row> = match config.threads {
        None => work(),
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| BacktestError::ThreadPool {
                threads,
                message: e.to_string(),
            })?
            .install(work),
    }
    .into_iter()
    .flatten()
    .collect();
    let mut methods: Vec<Method> = entrants
        .iter()
        .map(|e| Method {
            label: e.label.clone(),
            kind: Kind::Protocol,
            description: format!(
                "{} protocol",
                e.cases
                    .first()
                    .map(|c| c.model.protocol.name())
                    .unwrap_or("no")
            ),
        })
        .collect();
    methods.extend(Baseline::ALL.iter().map(|b| Method {
        label: b.label().to_string(),
        kind: Kind::Baseline,
        description: b.description().to_string(),
    }));
    let scores = group_scores(&rows, methods.len(), &config.groups);
    Ok(Backtest {
        seed: config.seed,
        runs: config.runs,
        cases: entrants[0].cases.len(),
        methods,
        rows,
        scores,
    })
}

/// Refuses what cannot be scored.
fn check(entrants: &[Entrant], config: &Config) -> Result<(), BacktestError> {
    let bad = |m: String| Err(BacktestError::Config(m));
    if config.runs == 0 {
        return bad("a backtest needs at least 1 run per case".into());
    }
    if config.threads == Some(0) {
        return bad("threads must be at least 1".into());
    }
    let Some(first) = entrants.first() else {
        return bad("a backtest needs at least one protocol".into());
    };
    if first.cases.is_empty() {
        return bad("a backtest needs at least one case".into());
    }
    let mut labels = std::collections::BTreeSet::new();
    for e in entrants {
        if !labels.insert(e.label.as_str()) || Baseline::ALL.iter().any(|b| b.label() == e.label) {
            return bad(format!("two methods are called {:?}", e.label));
        }
        if e.cases.len() != first.cases.len() {
            return bad(format!(
                "{} has {} cases and {} has {}",
                e.label,
                e.cases.len(),
                first.label,
                first.cases.len()
            ));
        }
        for (a, b) in e.cases.iter().zip(&first.cases) {
            let same = a.name == b.name
                && a.recorded.len() == b.recorded.len()
                && a.recorded.iter().zip(&b.recorded).all(|(x, y)| {
                    x.issue == y.issue && a.model.issues[x.issue].id == b.model.issues[y.issue].id
                });
            if !same {
                return bad(format!(
                    "case {} of {} does not match case {} of {} (every protocol must play the same cases and issues)",
                    a.name, e.label, b.name, first.label
                ));
            }
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for case in &first.cases {
        if !names.insert(case.name.as_str()) {
            return bad(format!("two cases are called {:?}", case.name));
        }
        for r in &case.recorded {
            if r.issue >= case.model.issues.len() {
                return bad(format!("case {}: no issue number {}", case.name, r.issue));
            }
            if !(0.0..=1.0).contains(&r.outcome) {
                return bad(format!(
                    "case {}, issue {}: outcome {} is outside [0, 1]",
                    case.name, case.model.issues[r.issue].id, r.outcome
                ));
            }
        }
    }
    Ok(())
}

/// The rows of case `c`: every entrant's runs, then the baselines.
fn case_rows(entrants: &[Entrant], c: usize, config: &Config) -> Vec<Row> {
    let runs = config.runs as usize;
    let base = &entrants[0].cases[c];
    let k = base.recorded.len();
    // values[method][recorded issue][run]
    let mut values: Vec<Vec<Vec<f64>>> = Vec::with_capacity(entrants.len() + 4);
    let mut agreement = Vec::with_capacity(entrants.len());
    for e in entrants {
        let case = &e.cases[c];
        let mut sim = Simulator::new(&case.model);
        let mut v = vec![Vec::with_capacity(runs); k];
        let mut agreed = 0u64;
        for run in 0..config.runs {
            let out = sim.run(&SimRng::for_run(config.seed, run), &mut NoopObserver);
            agreed += u64::from(out.kind == OutcomeKind::Agreement);
            for (slot, r) in v.iter_mut().zip(&case.recorded) {
                slot.push(out.settlement[r.issue]);
            }
        }
        values.push(v);
        agreement.push(agreed as f64 / config.runs as f64);
    }
    let plan = SamplePlan::new(&base.model);
    let mut world = plan.world();
    let mut baselines = vec![vec![Vec::with_capacity(runs); k]; Baseline::ALL.len()];
    for run in 0..config.runs {
        plan.sample_into(&SimRng::for_run(config.seed, run), &mut world);
        for (slot, r) in base.recorded.iter().enumerate() {
            let x = positions(&base.model, &world, r.issue);
            for (b, baseline) in Baseline::ALL.iter().enumerate() {
                baselines[b][slot].push(forecast(*baseline, &x, world.status_quo[r.issue]));
            }
        }
    }
    values.extend(baselines);
    base.recorded
        .iter()
        .enumerate()
        .map(|(slot, r)| {
            let forecasts = values
                .iter_mut()
                .enumerate()
                .map(|(m, v)| {
                    let sq_baseline = m == entrants.len();
                    if sq_baseline && !r.status_quo_recorded {
                        return None;
                    }
                    let mut f = score(&mut v[slot], r.outcome);
                    f.agreement = agreement.get(m).copied();
                    Some(f)
                })
                .collect();
            Row {
                case: base.name.clone(),
                issue: base.model.issues[r.issue].id.clone(),
                outcome: r.outcome,
                status_quo: base.model.issues[r.issue].status_quo.central(Domain::UNIT),
                status_quo_recorded: r.status_quo_recorded,
                tags: r.tags.clone(),
                forecasts,
            }
        })
        .collect()
}

/// The (position, weight c·s) of every actor that is not a mediator and cares about issue `j`
/// in `world`, and each one's unweighted presence.
pub fn positions(model: &Model, world: &World, j: usize) -> Vec<(f64, f64)> {
    model
        .actors
        .iter()
        .enumerate()
        .filter(|(i, a)| a.role != Role::Mediator && world.active[*i])
        .filter_map(|(i, _)| {
            let s = world.salience(i, j);
            (s > 0.0).then(|| (world.position(i, j), world.capability[i] * s))
        })
        .collect()
}

/// A baseline's value for the positions and weights `x` (from [`positions`]) and the status
/// quo `sq`.
pub fn forecast(baseline: Baseline, x: &[(f64, f64)], sq: f64) -> f64 {
    if x.is_empty() && baseline != Baseline::StatusQuo {
        return sq;
    }
    match baseline {
        Baseline::StatusQuo => sq,
        Baseline::Compromise => {
            let (num, den) = x
                .iter()
                .fold((0.0, 0.0), |(n, d), &(p, w)| (n + w * p, d + w));
            if den > 0.0 { num / den } else { sq }
        }
        Baseline::Mean => x.iter().map(|&(p, _)| p).sum::<f64>() / x.len() as f64,
        Baseline::WeightedMedian => weighted_median(x),
    }
}

/// The weighted median of (value, weight) pairs (module docs; weights > 0).
pub fn weighted_median(x: &[(f64, f64)]) -> f64 {
    let mut sorted = x.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = sorted.iter().map(|p| p.1).sum();
    let half = total / 2.0;
    let mut cum = 0.0;
    for (k, &(p, w)) in sorted.iter().enumerate() {
        cum += w;
        if (cum - half).abs() <= 1e-12 * total {
            return match sorted.get(k + 1) {
                Some(&(next, _)) => (p + next) / 2.0,
                None => p,
            };
        }
        if cum > half {
            return p;
        }
    }
    sorted.last().map_or(0.5, |p| p.0)
}

/// The forecast of the runs' values `v` (sorted in place) against `outcome`.
fn score(v: &mut [f64], outcome: f64) -> Forecast {
    v.sort_by(f64::total_cmp);
    let point = quantile_sorted(v, 0.5);
    Forecast {
        point,
        p05: quantile_sorted(v, 0.05),
        p95: quantile_sorted(v, 0.95),
        error: (point - outcome).abs(),
        crps: crps_sorted(v, outcome),
        agreement: None,
    }
}

/// The q-quantile of sorted values by linear interpolation between order statistics (type 7 of
/// Hyndman & Fan 1996; the median of an even count is the mean of the middle two).
pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// The CRPS of the empirical distribution of sorted values `v` at `y` (module docs).
pub fn crps_sorted(v: &[f64], y: f64) -> f64 {
    let n = v.len() as f64;
    let mut to_y = 0.0;
    let mut spread = 0.0;
    for (k, &x) in v.iter().enumerate() {
        to_y += (x - y).abs();
        spread += (2.0 * (k as f64 + 1.0) - n - 1.0) * x;
    }
    (to_y / n - spread / (n * n)).max(0.0)
}

/// Scores over every row, then for each value of each group column (values in sorted order).
fn group_scores(rows: &[Row], methods: usize, groups: &[String]) -> Vec<GroupScores> {
    let mut out = vec![scores_of(None, rows.iter().collect(), methods)];
    for column in groups {
        let mut values: Vec<&str> = rows
            .iter()
            .filter_map(|r| tag(r, column))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        values.dedup();
        for value in values {
            let members = rows
                .iter()
                .filter(|r| tag(r, column) == Some(value))
                .collect();
            out.push(scores_of(
                Some((column.clone(), value.to_string())),
                members,
                methods,
            ));
        }
    }
    out
}

fn tag<'r>(row: &'r Row, column: &str) -> Option<&'r str> {
    row.tags
        .iter()
        .find(|(c, _)| c == column)
        .map(|(_, v)| v.as_str())
}

fn scores_of(group: Option<(String, String)>, rows: Vec<&Row>, methods: usize) -> GroupScores {
    let scores = (0..methods)
        .map(|m| {
            let f: Vec<&Forecast> = rows
                .iter()
                .filter_map(|r| r.forecasts[m].as_ref())
                .collect();
            if f.is_empty() {
                return None;
            }
            let n = f.len();
            let mut errors: Vec<f64> = f.iter().map(|x| x.error).collect();
            errors.sort_by(f64::total_cmp);
            let agreement = f[0]
                .agreement
                .map(|_| f.iter().map(|x| x.agreement.unwrap_or(0.0)).sum::<f64>() / n as f64);
            Some(Score {
                n,
                mae: errors.iter().sum::<f64>() / n as f64,
                median_error: quantile_sorted(&errors, 0.5),
                within: errors.iter().filter(|&&e| e <= WITHIN + 1e-12).count() as f64 / n as f64,
                crps: f.iter().map(|x| x.crps).sum::<f64>() / n as f64,
                agreement,
            })
        })
        .collect();
    GroupScores {
        group,
        issues: rows.len(),
        scores,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crps_of_a_point_is_its_absolute_error() {
        let v = [0.3; 5];
        assert!((crps_sorted(&v, 0.7) - 0.4).abs() < 1e-12);
        assert!((crps_sorted(&v, 0.3)).abs() < 1e-12);
    }

    #[test]
    fn crps_of_two_points_matches_its_definition() {
        // X uniform on {0, 1}, y = 0.25: E|X − y| = (0.25 + 0.75)/2 = 0.5, E|X − X'| = 0.5.
        let v = [0.0, 1.0];
        assert!((crps_sorted(&v, 0.25) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn crps_of_many_values_matches_the_pairwise_sum() {
        let v: Vec<f64> = (0..17).map(|k| ((k * 7) % 17) as f64 / 16.0).collect();
        let mut sorted = v.clone();
        sorted.sort_by(f64::total_cmp);
        let y = 0.42;
        let n = v.len() as f64;
        let to_y: f64 = v.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
        let pairs: f64 = v
            .iter()
            .flat_map(|a| v.iter().map(move |b| (a - b).abs()))
            .sum::<f64>()
            / (n * n);
        assert!((crps_sorted(&sorted, y) - (to_y - pairs / 2.0)).abs() < 1e-12);
    }

    #[test]
    fn weighted_median_takes_the_position_where_half_the_weight_is_reached() {
        assert_eq!(weighted_median(&[(0.1, 1.0), (0.5, 1.0), (0.9, 3.0)]), 0.9);
        assert_eq!(weighted_median(&[(0.9, 1.0), (0.1, 2.0), (0.5, 1.0)]), 0.3);
        assert_eq!(weighted_median(&[(0.2, 1.0)]), 0.2);
        assert_eq!(weighted_median(&[(0.2, 1.0), (0.6, 1.0), (0.8, 1.0)]), 0.6);
    }

    #[test]
    fn baselines_of_known_positions() {
        let x = [(0.0, 1.0), (1.0, 3.0)];
        assert_eq!(forecast(Baseline::Compromise, &x, 0.5), 0.75);
        assert_eq!(forecast(Baseline::Mean, &x, 0.5), 0.5);
        assert_eq!(forecast(Baseline::WeightedMedian, &x, 0.5), 1.0);
        assert_eq!(forecast(Baseline::StatusQuo, &x, 0.2), 0.2);
        assert_eq!(forecast(Baseline::Compromise, &[], 0.2), 0.2);
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [0.0, 1.0, 2.0, 3.0];
        assert_eq!(quantile_sorted(&v, 0.5), 1.5);
        assert_eq!(quantile_sorted(&v, 0.0), 0.0);
        assert_eq!(quantile_sorted(&v, 1.0), 3.0);
    }
}
