//! The principals' utility space of a batch, for the `--html` page: two principals' utilities
//! with the frontier, the bargaining points, the disagreement point and a cloud of settlements.
//!
//! Everything is at the scenario's central values, as the runs are judged
//! ([`crate::solvers::bargaining`], "Judging runs"):
//!
//! - **The frontier**, projected: of the frontier points' utilities for the two principals, the
//!   upper-right boundary (the projections no other projection beats for both), joined by
//!   straight lines. With more than two principals the frontier is a surface; its projection's
//!   boundary is what the two can get when the others are ignored.
//! - **The points**: Nash, Kalai–Smorodinsky, egalitarian and maximum welfare (those that exist),
//!   and the disagreement point.
//! - **The cloud**: the settlements of the first [`CLOUD_RUNS`] runs of the batch by run index
//!   (runs 0, 1, …), played again exactly as the batch played them
//!   ([`replay_run`](super::replay_run)), priced at the central values. Run k is the same
//!   whatever thread played it, so the cloud is the same for any thread count; it does not grow
//!   with the batch.

use super::replay_run;
use crate::engine::{NoopObserver, OutcomeKind};
use crate::model::Model;
use crate::solvers::bargaining::Referee;

/// Runs in the cloud of settlements: the first this many by run index.
pub const CLOUD_RUNS: u64 = 1_000;

/// Two principals' utility space (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct UtilitySpace {
    /// The two principals' ids, for the x and y axes.
    pub ids: [String; 2],
    /// Their names.
    pub names: [String; 2],
    /// The projected frontier's upper-right boundary, by the first principal's utility,
    /// increasing.
    pub frontier: Vec<(f64, f64)>,
    /// The disagreement point.
    pub disagreement: (f64, f64),
    /// The bargaining points that exist: name and utilities.
    pub points: Vec<(&'static str, (f64, f64))>,
    /// The first runs' settlements: utilities and how the run ended.
    pub cloud: Vec<(f64, f64, OutcomeKind)>,
    /// Whether the runs drew the principals' preferences (the space is at central values).
    pub preferences_uncertain: bool,
    /// How many principals the scenario has (with more than two, the frontier drawn is a
    /// projection's boundary).
    pub principals: usize,
}

impl UtilitySpace {
    /// The utility space of principals `pair` (actor indices, both principals of `model`) for
    /// a batch of `model` under `seed` of which `runs` runs were played, judged by `referee`.
    /// `None` if either of `pair` is not one of the referee's principals.
    pub fn new(
        model: &Model,
        referee: &Referee,
        pair: (usize, usize),
        seed: u64,
        runs: u64,
    ) -> Option<UtilitySpace> {
        let principals = referee.principals();
        let a = principals.iter().position(|&p| p == pair.0)?;
        let b = principals.iter().position(|&p| p == pair.1)?;
        let analysis = referee.analysis();
        let f = &analysis.frontier;
        let bargaining = &analysis.bargaining;
        let project = |u: &[f64]| (u[a], u[b]);
        // The upper-right boundary: by the first utility, highest first, keep the points whose
        // second utility beats every earlier one.
        let mut all: Vec<(f64, f64)> = (0..f.len()).map(|k| project(f.utility(k))).collect();
        all.sort_by(|p, q| q.0.total_cmp(&p.0).then(q.1.total_cmp(&p.1)));
        let mut frontier = Vec::new();
        let mut best = f64::NEG_INFINITY;
        for p in all {
            if p.1 > best {
                best = p.1;
                frontier.push(p);
            }
        }
        frontier.reverse();
        let points = [
            ("Nash", bargaining.nash),
            ("Kalai–Smorodinsky", bargaining.kalai_smorodinsky),
            ("egalitarian", bargaining.egalitarian),
            ("maximum welfare", bargaining.max_welfare),
        ]
        .into_iter()
        .filter_map(|(name, k)| k.map(|k| (name, project(f.utility(k)))))
        .collect();
        let mut scratch = Vec::new();
        let cloud = (0..runs.min(CLOUD_RUNS))
            .map(|run| {
                let outcome = replay_run(model, seed, run, &mut NoopObserver);
                referee.utilities(&outcome.settlement, &mut scratch);
                (scratch[a], scratch[b], outcome.kind)
            })
            .collect();
        let actor = |i: usize| &model.actors[i];
        Some(UtilitySpace {
            ids: [actor(pair.0).id.clone(), actor(pair.1).id.clone()],
            names: [actor(pair.0).name.clone(), actor(pair.1).name.clone()],
            frontier,
            disagreement: (bargaining.disagreement[a], bargaining.disagreement[b]),
            points,
            cloud,
            preferences_uncertain: referee.preferences_uncertain(),
            principals: principals.len(),
        })
    }
}
