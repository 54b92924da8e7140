//! The headline metrics of a scenario, what one run contributes to each, and their exact tallies.

use serde::Serialize;

use crate::engine::{OutcomeKind, RunOutcome};
use crate::model::Model;
use crate::stats::{Moments, Z95, wilson};

/// Whether a metric is a probability (the mean of an indicator) or the mean of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricKind {
    /// The share of runs in which something happened.
    Probability,
    /// The mean of a number over the runs.
    Mean,
}

/// One headline metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metric {
    /// A stable identifier: `outcome.agreement`, `outcome.deadlock`, `outcome.conflict`,
    /// `outcome.war`, `round`, `settlement.ISSUE`, `utility.ACTOR`.
    pub id: String,
    /// What a reader calls it, e.g. `utility ARM (Armenia)`.
    pub label: String,
    /// Probability or mean.
    pub kind: MetricKind,
}

/// The headline metrics of a model, in report order: the probability of each outcome kind and
/// of war (a run with at least one war, limited or not); the round the run ended in; the
/// settlement of each issue; each actor's own utility.
///
/// Every run contributes one value to every metric: an indicator (1 if the run ended that way,
/// or had a war) to the probabilities; its final round to `round` (an agreement's round, the deadline for a
/// deadlock, the round of the war for a conflict), so runs that did not agree count too and the
/// metric pairs run by run; its settlement (the status quo after a deadlock); each actor's own
/// utility of the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metrics {
    list: Vec<Metric>,
}

/// Metrics before the per-issue ones.
const FIXED: usize = 5;

/// The identifier of the probability of war.
pub(crate) const WAR: &str = "outcome.war";

impl Metrics {
    /// The headline metrics of `model`.
    pub fn of(model: &Model) -> Self {
        let mut list: Vec<Metric> = OutcomeKind::ALL
            .iter()
            .map(|k| Metric {
                id: format!("outcome.{}", k.name().to_lowercase()),
                label: format!("P({})", k.name()),
                kind: MetricKind::Probability,
            })
            .collect();
        list.push(Metric {
            id: WAR.into(),
            label: "P(war)".into(),
            kind: MetricKind::Probability,
        });
        list.push(Metric {
            id: "round".into(),
            label: "round ended".into(),
            kind: MetricKind::Mean,
        });
        list.extend(model.issues.iter().map(|i| Metric {
            id: format!("settlement.{}", i.id),
            label: format!("settlement {} ({})", i.id, i.name),
            kind: MetricKind::Mean,
        }));
        list.extend(model.actors.iter().map(|a| Metric {
            id: format!("utility.{}", a.id),
            label: format!("utility {} ({})", a.id, a.name),
            kind: MetricKind::Mean,
        }));
        Metrics { list }
    }

    /// The metrics, in order.
    pub fn list(&self) -> &[Metric] {
        &self.list
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none (never, for a model).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The position of the metric with identifier `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.list.iter().position(|m| m.id == id)
    }
}

/// Writes what run `outcome` contributes to each metric of [`Metrics::of`] its model into
/// `values` (cleared first), in the metrics' order.
pub fn observe(outcome: &RunOutcome, values: &mut Vec<f64>) {
    values.clear();
    for k in OutcomeKind::ALL {
        values.push(if outcome.kind == k { 1.0 } else { 0.0 });
    }
    values.push(if outcome.wars.is_empty() { 0.0 } else { 1.0 });
    values.push(f64::from(outcome.round));
    values.extend_from_slice(&outcome.settlement);
    values.extend_from_slice(&outcome.utility);
    debug_assert!(values.len() >= FIXED);
}

/// The exact tallies of one scenario's metrics over a set of runs, plus the round of agreement
/// over the runs that agreed (as `treaty run` reports it).
#[derive(Debug, Clone, PartialEq)]
pub struct MetricTally {
    /// Per metric, in order.
    pub values: Vec<Moments>,
    /// The round of the runs that ended in agreement.
    pub agreement_round: Moments,
}

impl MetricTally {
    /// No runs, for `count` metrics.
    pub fn new(count: usize) -> Self {
        MetricTally {
            values: vec![Moments::new(); count],
            agreement_round: Moments::new(),
        }
    }

    /// Adds one run: its metric values (from [`observe`]) and its outcome.
    pub fn record(&mut self, values: &[f64], outcome: &RunOutcome) {
        for (m, &x) in self.values.iter_mut().zip(values) {
            m.record(x);
        }
        if outcome.kind == OutcomeKind::Agreement {
            self.agreement_round.record(f64::from(outcome.round));
        }
    }

    /// Adds every run of `other` (exact).
    pub fn merge(&mut self, other: &MetricTally) {
        for (m, o) in self.values.iter_mut().zip(&other.values) {
            m.merge(o);
        }
        self.agreement_round.merge(&other.agreement_round);
    }

    /// Runs tallied.
    pub fn runs(&self) -> u64 {
        self.values.first().map_or(0, Moments::count)
    }
}

/// A statistic rounded to 12 decimal places, as [`Summary`](crate::report::Summary) rounds
/// them: far below any Monte Carlo error, and it keeps quantisation noise out of reports.
pub(crate) fn tidy(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

/// A metric's value over a set of runs with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Runs it is computed over.
    pub runs: u64,
    /// The probability or mean (`null` without runs).
    pub value: Option<f64>,
    /// Its standard deviation over the runs (`null` for fewer than two).
    pub sd: Option<f64>,
    /// Its 95% interval: Wilson's for a probability, mean ± 1.96·sd/√runs for a mean (`null`
    /// for fewer than two runs).
    pub interval: Option<[f64; 2]>,
}

impl Estimate {
    /// The estimate of a metric of `kind` from its moments.
    pub fn of(kind: MetricKind, m: &Moments) -> Self {
        let n = m.count();
        let interval = match kind {
            MetricKind::Probability => {
                // The sum of indicators is an exact count.
                let successes = m.mean().map_or(0, |p| (p * n as f64).round() as u64);
                wilson(successes, n).map(|(l, h)| [tidy(l), tidy(h)])
            }
            MetricKind::Mean => normal_interval(m),
        };
        Estimate {
            runs: n,
            value: m.mean().map(tidy),
            sd: m.sd().map(tidy),
            interval,
        }
    }
}

/// mean ± z·sd/√n, rounded like every statistic; `None` for fewer than two values.
pub(crate) fn normal_interval(m: &Moments) -> Option<[f64; 2]> {
    let (mean, sd) = (m.mean()?, m.sd()?);
    let half = Z95 * sd / (m.count() as f64).sqrt();
    Some([tidy(mean - half), tidy(mean + half)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{toy_model, toy_outcome};

    #[test]
    fn every_run_counts_in_every_metric() {
        let model = toy_model();
        let metrics = Metrics::of(&model);
        assert_eq!(metrics.len(), 5 + model.issues.len() + model.actors.len());
        assert_eq!(metrics.list()[0].id, "outcome.agreement");
        assert_eq!(metrics.list()[3].id, WAR);
        assert_eq!(metrics.list()[3].kind, MetricKind::Probability);
        assert_eq!(metrics.list()[4].id, "round");
        let issue = &model.issues[1].id;
        assert_eq!(metrics.position(&format!("settlement.{issue}")), Some(6));
        let mut tally = MetricTally::new(metrics.len());
        let mut values = Vec::new();
        for i in 0..100 {
            let out = toy_outcome(i);
            observe(&out, &mut values);
            assert_eq!(values.len(), metrics.len());
            tally.record(&values, &out);
        }
        assert_eq!(tally.runs(), 100);
        // 60 of the 100 toy runs agree.
        let agree = Estimate::of(MetricKind::Probability, &tally.values[0]);
        assert_eq!(agree.value, Some(0.6));
        let [lo, hi] = agree.interval.unwrap();
        let (l, h) = wilson(60, 100).unwrap();
        assert_eq!([lo, hi], [tidy(l), tidy(h)]);
        assert_eq!(tally.agreement_round.count(), 60);
        // War: every conflict (20), and the agreements after a limited war (7 | i).
        let limited = (0..100).filter(|i| i % 5 < 3 && i % 7 == 0).count() as u64;
        let war = Estimate::of(MetricKind::Probability, &tally.values[3]);
        assert_eq!(war.value, Some((20 + limited) as f64 / 100.0));
        let (l, h) = wilson(20 + limited, 100).unwrap();
        assert_eq!(war.interval, Some([tidy(l), tidy(h)]));
        // Deadlocks and conflicts count in the round metric too.
        let rounds: u64 = (0..100).map(|i| u64::from(toy_outcome(i).round)).sum();
        let round = Estimate::of(MetricKind::Mean, &tally.values[4]);
        assert!((round.value.unwrap() - rounds as f64 / 100.0).abs() < 1e-12);
        let [lo, hi] = round.interval.unwrap();
        let half = Z95 * round.sd.unwrap() / 10.0;
        assert!((hi - lo - 2.0 * half).abs() < 1e-9);
    }

    #[test]
    fn merging_is_exact() {
        let model = toy_model();
        let n = Metrics::of(&model).len();
        let mut whole = MetricTally::new(n);
        let mut parts = [MetricTally::new(n), MetricTally::new(n)];
        let mut values = Vec::new();
        for i in 0..50 {
            let out = toy_outcome(i);
            observe(&out, &mut values);
            whole.record(&values, &out);
            parts[usize::from(i >= 17)].record(&values, &out);
        }
        let [mut a, b] = parts;
        a.merge(&b);
        assert_eq!(a, whole);
    }
}
