//! [`Tally`]: everything a report needs about a set of runs, kept exactly and mergeable.

use serde::{Deserialize, Serialize};

use super::{Histogram, Moments, UNIT_BINS, unit_bin};
use crate::engine::{OutcomeKind, RunOutcome};
use crate::model::Model;
use crate::solvers::bargaining::{Judgement, preferences_uncertain};

/// Bins of a distance histogram: bin k is centred on k / 1000, from 0 to [`DISTANCE_MAX`]; a
/// distance beyond falls in the last bin.
pub const DISTANCE_BINS: usize = 2001;
/// The centre of the last distance bin: distances at or above it are counted there.
pub const DISTANCE_MAX: f64 = 2.0;

/// The bin of a distance: round(x · 1000), beyond the last bin clamped to it, NaN in bin 0.
#[inline]
pub fn distance_bin(x: f64) -> usize {
    if x.is_nan() {
        0
    } else {
        ((x.clamp(0.0, DISTANCE_MAX)) * 1000.0).round() as usize
    }
}

/// A tally that cannot be merged or read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TallyError {
    /// Two tallies describe models of different shapes (issues, options, actors, deadline).
    #[error("the tallies are of different models: {0}")]
    ShapeMismatch(String),
    /// A tally read from a file contradicts itself (its counts do not add up).
    #[error("the tally is inconsistent: {0}")]
    Inconsistent(String),
}

/// The position of a kind in [`OutcomeKind::ALL`].
#[inline]
fn kind_index(kind: OutcomeKind) -> usize {
    match kind {
        OutcomeKind::Agreement => 0,
        OutcomeKind::Deadlock => 1,
        OutcomeKind::Conflict => 2,
    }
}

/// The moments of the values of all three outcome kinds together.
fn merged(by_kind: &[Moments; 3]) -> Moments {
    let mut all = Moments::new();
    for m in by_kind {
        all.merge(m);
    }
    all
}

/// Whether `all` and each of `by_kind` could be the moments of some values.
fn possible(all: &Moments, by_kind: &[Moments; 3]) -> bool {
    all.is_possible() && by_kind.iter().all(Moments::is_possible)
}

/// What a tally keeps about one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueTally {
    /// The settlement over all runs.
    pub settlement: Moments,
    /// The settlement over the runs of each outcome kind, in [`OutcomeKind::ALL`] order.
    pub by_outcome: [Moments; 3],
    /// The settlement's histogram (bins of [`unit_bin`](super::unit_bin)).
    pub histogram: Histogram,
    /// Runs settled on each option (nearest option), in option order; empty for a continuous
    /// issue.
    pub options: Vec<u64>,
    /// The settlement over the runs with at least one war.
    pub with_war: Moments,
    /// The settlement's histogram over the runs with at least one war (the runs without are the
    /// rest of [`IssueTally::histogram`]).
    pub war_histogram: Histogram,
}

/// What a tally keeps about one actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorTally {
    /// Own utility of the outcome over all runs.
    pub utility: Moments,
    /// Own utility over the runs of each outcome kind, in [`OutcomeKind::ALL`] order.
    pub utility_by_outcome: [Moments; 3],
    /// Runs in which its utility ended at or above its (sampled) reservation utility.
    pub reservation_met: u64,
    /// Total concession over the run.
    pub concession: Moments,
    /// Wars it started.
    pub initiated: u64,
    /// Runs in which it started at least one war.
    pub initiated_runs: u64,
    /// Wars it fought in, on either side.
    pub fought: u64,
    /// Wars it ended on the winning side of.
    pub won: u64,
}

/// One distance of the runs' judgements ([`Judgement`]): over the judged runs, by outcome kind,
/// and its histogram (bins of [`distance_bin`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistanceTally {
    /// Over every run judged by it.
    pub all: Moments,
    /// Over the runs of each outcome kind, in [`OutcomeKind::ALL`] order.
    pub by_outcome: [Moments; 3],
    /// Its histogram.
    pub histogram: Histogram,
}

impl DistanceTally {
    fn new() -> Self {
        DistanceTally {
            all: Moments::new(),
            by_outcome: [Moments::new(); 3],
            histogram: Histogram::new(DISTANCE_BINS),
        }
    }

    #[inline]
    fn record(&mut self, k: usize, x: f64) {
        self.all.record(x);
        self.by_outcome[k].record(x);
        self.histogram.record(distance_bin(x));
    }

    fn merge(&mut self, other: &DistanceTally) {
        self.all.merge(&other.all);
        for (m, o) in self.by_outcome.iter_mut().zip(&other.by_outcome) {
            m.merge(o);
        }
        self.histogram.merge(&other.histogram);
    }

    fn clear(&mut self) {
        self.all = Moments::new();
        self.by_outcome = [Moments::new(); 3];
        self.histogram.clear();
    }

    /// The distance's moments over the runs that ended in `kind`.
    pub fn for_outcome(&self, kind: OutcomeKind) -> &Moments {
        &self.by_outcome[kind_index(kind)]
    }

    /// Whether its counts and sums add up, for `judged` runs of which `outcomes` of each kind.
    fn consistent(&self, judged: u64, outcomes: &[u64; 3]) -> bool {
        let n = self.all.count();
        let by_kind = if n == 0 {
            self.by_outcome.iter().all(|m| m.count() == 0)
        } else {
            n == judged
                && self
                    .by_outcome
                    .iter()
                    .zip(outcomes)
                    .all(|(m, &c)| m.count() == c)
        };
        by_kind
            && self.histogram.total() == n
            && merged(&self.by_outcome) == self.all
            && possible(&self.all, &self.by_outcome)
            && self.all.mean().is_none_or(|m| m >= 0.0)
    }
}

/// The judgements of the runs' settlements (module docs of
/// [`crate::solvers::bargaining`], "Judging runs"): a batch judges every run or none (when there
/// is nothing to judge against), and every judged run has a Nash distance or none has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgementTally {
    /// Whether the scenario's uncertain numbers touch the principals' preferences (the runs are
    /// judged at the central values all the same).
    pub preferences_uncertain: bool,
    /// Distance from the frontier (efficiency).
    pub frontier: DistanceTally,
    /// Distance from the Nash point.
    pub nash: DistanceTally,
    /// Distance from the Kalai–Smorodinsky point.
    pub kalai_smorodinsky: DistanceTally,
}

impl JudgementTally {
    /// Runs judged.
    pub fn runs(&self) -> u64 {
        self.frontier.all.count()
    }
}

/// The exact, mergeable statistics of a set of runs of one model (see [`crate::stats`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    runs: u64,
    outcomes: [u64; 3],
    round_sums: [u64; 3],
    agreement_rounds: Histogram,
    issues: Vec<IssueTally>,
    actors: Vec<ActorTally>,
    /// Runs with at least one war.
    war_runs: u64,
    /// Wars, over all runs.
    wars: u64,
    /// Wars marked as deciding every issue ([`WarRecord::total`](crate::engine::WarRecord)).
    conflict_wars: u64,
    /// Wars won by the side of the actor that started them.
    initiator_won: u64,
    /// The round of each run's first war: bin r counts runs whose first war came in round r.
    first_war_rounds: Histogram,
    /// The judgements of the runs' settlements.
    judgement: JudgementTally,
}

impl Tally {
    /// An empty tally shaped for `model`.
    pub fn for_model(model: &Model) -> Self {
        let options: Vec<usize> = model.issues.iter().map(|i| i.options.len()).collect();
        let mut t = Tally::with_shape(model.protocol.max_rounds(), &options, model.actors.len());
        let principals: Vec<usize> = model.principals().collect();
        t.judgement.preferences_uncertain = preferences_uncertain(model, &principals);
        t
    }

    /// An empty tally for a model with deadline `max_rounds`, issues with `options[j]` options
    /// each (0 for a continuous issue) and `actors` actors.
    pub fn with_shape(max_rounds: u32, options: &[usize], actors: usize) -> Self {
        Tally {
            runs: 0,
            outcomes: [0; 3],
            round_sums: [0; 3],
            agreement_rounds: Histogram::new(max_rounds as usize + 1),
            issues: options
                .iter()
                .map(|&n| IssueTally {
                    settlement: Moments::new(),
                    by_outcome: [Moments::new(); 3],
                    histogram: Histogram::new(UNIT_BINS),
                    options: vec![0; n],
                    with_war: Moments::new(),
                    war_histogram: Histogram::new(UNIT_BINS),
                })
                .collect(),
            actors: (0..actors)
                .map(|_| ActorTally {
                    utility: Moments::new(),
                    utility_by_outcome: [Moments::new(); 3],
                    reservation_met: 0,
                    concession: Moments::new(),
                    initiated: 0,
                    initiated_runs: 0,
                    fought: 0,
                    won: 0,
                })
                .collect(),
            war_runs: 0,
            wars: 0,
            conflict_wars: 0,
            initiator_won: 0,
            first_war_rounds: Histogram::new(max_rounds as usize + 1),
            judgement: JudgementTally {
                preferences_uncertain: false,
                frontier: DistanceTally::new(),
                nash: DistanceTally::new(),
                kalai_smorodinsky: DistanceTally::new(),
            },
        }
    }

    /// Adds the judgement of a run that ended in `kind` (recorded with [`Tally::record`]).
    /// Allocates nothing.
    pub fn judge(&mut self, kind: OutcomeKind, judgement: &Judgement) {
        let k = kind_index(kind);
        let j = &mut self.judgement;
        j.frontier.record(k, judgement.frontier);
        if let Some(d) = judgement.nash {
            j.nash.record(k, d);
        }
        if let Some(d) = judgement.kalai_smorodinsky {
            j.kalai_smorodinsky.record(k, d);
        }
    }

    /// Adds one run of `model` (the model the tally was made for). Allocates nothing.
    pub fn record(&mut self, model: &Model, outcome: &RunOutcome) {
        let k = kind_index(outcome.kind);
        self.runs += 1;
        self.outcomes[k] += 1;
        self.round_sums[k] += u64::from(outcome.round);
        if outcome.kind == OutcomeKind::Agreement {
            self.agreement_rounds.record(outcome.round as usize);
        }
        let war = !outcome.wars.is_empty();
        for ((t, issue), &x) in self
            .issues
            .iter_mut()
            .zip(&model.issues)
            .zip(&outcome.settlement)
        {
            t.settlement.record(x);
            t.by_outcome[k].record(x);
            t.histogram.record(unit_bin(x));
            if war {
                t.with_war.record(x);
                t.war_histogram.record(unit_bin(x));
            }
            if let Some(o) = issue.nearest_option(x)
                && let Some(c) = t.options.get_mut(o)
            {
                *c += 1;
            }
        }
        for (a, t) in self.actors.iter_mut().enumerate() {
            let u = outcome.utility.get(a).copied().unwrap_or(f64::NAN);
            t.utility.record(u);
            t.utility_by_outcome[k].record(u);
            if outcome.reservation.get(a).is_some_and(|&r| u >= r) {
                t.reservation_met += 1;
            }
            t.concession
                .record(outcome.concession.get(a).copied().unwrap_or(0.0));
        }
        if let Some(first) = outcome.wars.first() {
            self.war_runs += 1;
            self.first_war_rounds.record(first.round as usize);
        }
        for (i, w) in outcome.wars.iter().enumerate() {
            self.wars += 1;
            if w.total {
                self.conflict_wars += 1;
            }
            if w.initiator_won {
                self.initiator_won += 1;
            }
            if let Some(t) = self.actors.get_mut(w.initiator) {
                t.initiated += 1;
                // Its first war of the run (a run has a handful of wars at most).
                if !outcome.wars[..i].iter().any(|e| e.initiator == w.initiator) {
                    t.initiated_runs += 1;
                }
            }
            for &a in &w.winners {
                if let Some(t) = self.actors.get_mut(a) {
                    t.won += 1;
                    t.fought += 1;
                }
            }
            for &a in &w.losers {
                if let Some(t) = self.actors.get_mut(a) {
                    t.fought += 1;
                }
            }
        }
    }

    /// Adds every run of `other` (exact: any grouping of merges gives the same tally).
    pub fn merge(&mut self, other: &Tally) -> Result<(), TallyError> {
        self.check_shape(other)?;
        if self.judgement.preferences_uncertain != other.judgement.preferences_uncertain {
            return Err(TallyError::ShapeMismatch(
                "one scenario has uncertain preferences, the other not".into(),
            ));
        }
        self.runs += other.runs;
        for k in 0..3 {
            self.outcomes[k] += other.outcomes[k];
            self.round_sums[k] += other.round_sums[k];
        }
        self.agreement_rounds.merge(&other.agreement_rounds);
        for (t, o) in self.issues.iter_mut().zip(&other.issues) {
            t.settlement.merge(&o.settlement);
            for (m, om) in t.by_outcome.iter_mut().zip(&o.by_outcome) {
                m.merge(om);
            }
            t.histogram.merge(&o.histogram);
            for (c, oc) in t.options.iter_mut().zip(&o.options) {
                *c += oc;
            }
            t.with_war.merge(&o.with_war);
            t.war_histogram.merge(&o.war_histogram);
        }
        for (t, o) in self.actors.iter_mut().zip(&other.actors) {
            t.utility.merge(&o.utility);
            for (m, om) in t.utility_by_outcome.iter_mut().zip(&o.utility_by_outcome) {
                m.merge(om);
            }
            t.reservation_met += o.reservation_met;
            t.concession.merge(&o.concession);
            t.initiated += o.initiated;
            t.initiated_runs += o.initiated_runs;
            t.fought += o.fought;
            t.won += o.won;
        }
        self.war_runs += other.war_runs;
        self.wars += other.wars;
        self.conflict_wars += other.conflict_wars;
        self.initiator_won += other.initiator_won;
        self.first_war_rounds.merge(&other.first_war_rounds);
        let j = &mut self.judgement;
        j.frontier.merge(&other.judgement.frontier);
        j.nash.merge(&other.judgement.nash);
        j.kalai_smorodinsky
            .merge(&other.judgement.kalai_smorodinsky);
        Ok(())
    }

    /// Empties the tally, keeping its memory (for reuse across blocks).
    pub fn clear(&mut self) {
        self.runs = 0;
        self.outcomes = [0; 3];
        self.round_sums = [0; 3];
        self.agreement_rounds.clear();
        for t in &mut self.issues {
            t.settlement = Moments::new();
            t.by_outcome = [Moments::new(); 3];
            t.histogram.clear();
            t.options.fill(0);
            t.with_war = Moments::new();
            t.war_histogram.clear();
        }
        for t in &mut self.actors {
            t.utility = Moments::new();
            t.utility_by_outcome = [Moments::new(); 3];
            t.reservation_met = 0;
            t.concession = Moments::new();
            t.initiated = 0;
            t.initiated_runs = 0;
            t.fought = 0;
            t.won = 0;
        }
        self.war_runs = 0;
        self.wars = 0;
        self.conflict_wars = 0;
        self.initiator_won = 0;
        self.first_war_rounds.clear();
        self.judgement.frontier.clear();
        self.judgement.nash.clear();
        self.judgement.kalai_smorodinsky.clear();
    }

    /// Whether `other` has this tally's shape (issues, options, actors, round bins).
    pub fn check_shape(&self, other: &Tally) -> Result<(), TallyError> {
        let mismatch = |what: &str, a: usize, b: usize| {
            Err(TallyError::ShapeMismatch(format!("{what}: {a} and {b}")))
        };
        if self.issues.len() != other.issues.len() {
            return mismatch("issues", self.issues.len(), other.issues.len());
        }
        if self.actors.len() != other.actors.len() {
            return mismatch("actors", self.actors.len(), other.actors.len());
        }
        if self.agreement_rounds.bins() != other.agreement_rounds.bins()
            || self.first_war_rounds.bins() != other.first_war_rounds.bins()
        {
            return mismatch(
                "round bins",
                self.agreement_rounds.bins(),
                other.agreement_rounds.bins(),
            );
        }
        for (name, a, b) in [
            (
                "frontier",
                &self.judgement.frontier,
                &other.judgement.frontier,
            ),
            ("Nash", &self.judgement.nash, &other.judgement.nash),
            (
                "Kalai–Smorodinsky",
                &self.judgement.kalai_smorodinsky,
                &other.judgement.kalai_smorodinsky,
            ),
        ] {
            if a.histogram.bins() != b.histogram.bins() {
                return mismatch(
                    &format!("bins of the {name} distance"),
                    a.histogram.bins(),
                    b.histogram.bins(),
                );
            }
        }
        for (j, (a, b)) in self.issues.iter().zip(&other.issues).enumerate() {
            if a.options.len() != b.options.len() {
                return mismatch(
                    &format!("options of issue {}", j + 1),
                    a.options.len(),
                    b.options.len(),
                );
            }
            if a.histogram.bins() != b.histogram.bins()
                || a.war_histogram.bins() != b.war_histogram.bins()
            {
                return mismatch(
                    &format!("settlement bins of issue {}", j + 1),
                    a.histogram.bins(),
                    b.histogram.bins(),
                );
            }
        }
        Ok(())
    }

    /// Checks that the counts of a tally read from a file add up.
    pub fn check_consistent(&self) -> Result<(), TallyError> {
        let bad = |what: String| Err(TallyError::Inconsistent(what));
        let total: u128 = self.outcomes.iter().map(|&c| u128::from(c)).sum();
        if total != u128::from(self.runs) {
            return bad(format!("{} runs but outcomes add up to {total}", self.runs));
        }
        if self.agreement_rounds.total() != self.outcomes[0] {
            return bad("agreement rounds do not match the agreements".into());
        }
        let max_round = (self.agreement_rounds.bins() as u64).saturating_sub(1);
        for (k, (&sum, &n)) in self.round_sums.iter().zip(&self.outcomes).enumerate() {
            if u128::from(sum) > u128::from(n) * u128::from(max_round) {
                return bad(format!(
                    "the rounds of outcome kind {k} exceed the deadline"
                ));
            }
        }
        let conflicts = self.outcomes[2];
        let wars = self.wars;
        if self.initiator_won > wars {
            return bad("more wars won by initiators than wars".into());
        }
        if self.war_runs > self.runs || self.war_runs > wars || conflicts > self.war_runs {
            return bad("the runs with wars do not add up".into());
        }
        // A war that ended the talks is the last war of a conflict, and every conflict ends in
        // one.
        if self.conflict_wars != conflicts {
            return bad("the wars that ended the talks do not match the conflicts".into());
        }
        if self.first_war_rounds.total() != self.war_runs {
            return bad("the rounds of first wars do not match the runs with wars".into());
        }
        let agreement_rounds = self.agreement_rounds.sum_of_bins();
        if agreement_rounds != u128::from(self.round_sums[0]) {
            return bad("the rounds of agreements do not match their histogram".into());
        }
        for (j, t) in self.issues.iter().enumerate() {
            let options: u128 = t.options.iter().map(|&c| u128::from(c)).sum();
            let by_kind_ok = t
                .by_outcome
                .iter()
                .zip(&self.outcomes)
                .all(|(m, &c)| m.count() == c);
            if t.settlement.count() != self.runs
                || t.histogram.total() != self.runs
                || t.with_war.count() != self.war_runs
                || t.war_histogram.total() != self.war_runs
                || !by_kind_ok
                || (!t.options.is_empty() && options != u128::from(self.runs))
            {
                return bad(format!("the counts of issue {} do not add up", j + 1));
            }
            // The settlement over all runs is the settlement over the runs of each kind, and
            // holds the runs with a war (values and bins alike).
            let without_war = t.settlement.without(&t.with_war);
            if merged(&t.by_outcome) != t.settlement
                || !without_war.is_some_and(|m| m.is_possible())
                || t.histogram.without(&t.war_histogram).is_none()
                || !possible(&t.settlement, &t.by_outcome)
                || !t.with_war.is_possible()
            {
                return bad(format!("the sums of issue {} do not add up", j + 1));
            }
        }
        let mut initiated: u128 = 0;
        let mut initiated_runs: u128 = 0;
        for (a, t) in self.actors.iter().enumerate() {
            let by_kind_ok = t
                .utility_by_outcome
                .iter()
                .zip(&self.outcomes)
                .all(|(m, &c)| m.count() == c);
            if t.utility.count() != self.runs
                || t.concession.count() != self.runs
                || !by_kind_ok
                || t.reservation_met > self.runs
                || t.won > t.fought
                || t.fought > wars
                || t.initiated_runs > t.initiated
                || t.initiated_runs > self.war_runs
            {
                return bad(format!("the counts of actor {} do not add up", a + 1));
            }
            if merged(&t.utility_by_outcome) != t.utility
                || !possible(&t.utility, &t.utility_by_outcome)
                || !t.concession.is_possible()
            {
                return bad(format!("the sums of actor {} do not add up", a + 1));
            }
            initiated += u128::from(t.initiated);
            initiated_runs += u128::from(t.initiated_runs);
        }
        if initiated != u128::from(wars) {
            return bad("war initiators do not match the wars".into());
        }
        if initiated_runs < u128::from(self.war_runs) {
            return bad("runs with wars have no initiator".into());
        }
        // Every run is judged or none is; the runs with a Nash (Kalai–Smorodinsky) distance are
        // all the judged runs or none of them.
        let j = &self.judgement;
        let judged = j.runs();
        if judged != 0 && judged != self.runs {
            return bad(format!(
                "{judged} of {} runs are judged: a batch judges all or none",
                self.runs
            ));
        }
        for (name, d) in [
            ("frontier", &j.frontier),
            ("Nash", &j.nash),
            ("Kalai–Smorodinsky", &j.kalai_smorodinsky),
        ] {
            if !d.consistent(judged, &self.outcomes) {
                return bad(format!("the {name} distances do not add up"));
            }
        }
        Ok(())
    }

    /// Runs tallied.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Runs that ended in `kind`.
    pub fn outcome_count(&self, kind: OutcomeKind) -> u64 {
        self.outcomes[kind_index(kind)]
    }

    /// The sum of the final rounds of the runs that ended in `kind`.
    pub fn round_sum(&self, kind: OutcomeKind) -> u64 {
        self.round_sums[kind_index(kind)]
    }

    /// The rounds of agreements: bin r counts agreements in round r.
    pub fn agreement_rounds(&self) -> &Histogram {
        &self.agreement_rounds
    }

    /// Per issue, in model order.
    pub fn issues(&self) -> &[IssueTally] {
        &self.issues
    }

    /// Per actor, in model order.
    pub fn actors(&self) -> &[ActorTally] {
        &self.actors
    }

    /// Wars won by the side of the actor that started them.
    pub fn initiator_won(&self) -> u64 {
        self.initiator_won
    }

    /// Runs with at least one war.
    pub fn war_runs(&self) -> u64 {
        self.war_runs
    }

    /// Wars over all runs.
    pub fn wars(&self) -> u64 {
        self.wars
    }

    /// The rounds of the runs' first wars: bin r counts runs whose first war came in round r.
    pub fn first_war_rounds(&self) -> &Histogram {
        &self.first_war_rounds
    }

    /// The judgements of the runs' settlements.
    pub fn judgement(&self) -> &JudgementTally {
        &self.judgement
    }
}

impl IssueTally {
    /// The settlement's moments over the runs that ended in `kind`.
    pub fn for_outcome(&self, kind: OutcomeKind) -> &Moments {
        &self.by_outcome[kind_index(kind)]
    }
}

impl ActorTally {
    /// Own utility's moments over the runs that ended in `kind`.
    pub fn utility_for_outcome(&self, kind: OutcomeKind) -> &Moments {
        &self.utility_by_outcome[kind_index(kind)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::WarRecord;
    use crate::engine::testing::{toy_model, toy_outcome};

    /// A judgement for run `i`: frontier distance (i mod 7)/10, Nash (i mod 3)/4, and a
    /// Kalai–Smorodinsky distance beyond the histogram's range every 11th run.
    fn toy_judgement(i: u64) -> Judgement {
        Judgement {
            frontier: (i % 7) as f64 / 10.0,
            nash: Some((i % 3) as f64 / 4.0),
            kalai_smorodinsky: Some(if i.is_multiple_of(11) { 3.5 } else { 0.5 }),
        }
    }

    fn tally_of(model: &Model, runs: std::ops::Range<u64>) -> Tally {
        let mut t = Tally::for_model(model);
        for i in runs {
            let o = toy_outcome(i);
            t.record(model, &o);
            t.judge(o.kind, &toy_judgement(i));
        }
        t
    }

    #[test]
    fn judgements_are_tallied_by_outcome_and_binned() {
        let model = toy_model();
        let t = tally_of(&model, 0..100);
        t.check_consistent().unwrap();
        let j = t.judgement();
        assert_eq!(j.runs(), 100);
        let mean = (0..100).map(|i| (i % 7) as f64 / 10.0).sum::<f64>() / 100.0;
        assert!((j.frontier.all.mean().unwrap() - mean).abs() < 1e-12);
        // Deadlocks are runs i ≡ 3 (mod 5).
        let deadlocks: Vec<f64> = (0..100)
            .filter(|i| i % 5 == 3)
            .map(|i| (i % 3) as f64 / 4.0)
            .collect();
        let m = deadlocks.iter().sum::<f64>() / deadlocks.len() as f64;
        let got = j.nash.for_outcome(OutcomeKind::Deadlock).mean().unwrap();
        assert!((got - m).abs() < 1e-12, "{got} vs {m}");
        // 3.5 is beyond the histogram: counted in its last bin (2), with its true value in the
        // mean.
        let beyond = (0..100u64).filter(|i| i.is_multiple_of(11)).count() as u64;
        assert_eq!(
            j.kalai_smorodinsky.histogram.count(DISTANCE_BINS - 1),
            beyond
        );
        assert_eq!(j.kalai_smorodinsky.histogram.count(500), 100 - beyond);
        let m = (beyond as f64 * 3.5 + (100 - beyond) as f64 * 0.5) / 100.0;
        assert!((j.kalai_smorodinsky.all.mean().unwrap() - m).abs() < 1e-12);
        // A batch judges all its runs or none: a tally with one judged run of 100 is refused.
        let mut partial = Tally::for_model(&model);
        for i in 0..100 {
            let o = toy_outcome(i);
            partial.record(&model, &o);
            if i == 0 {
                partial.judge(o.kind, &toy_judgement(i));
            }
        }
        assert!(matches!(
            partial.check_consistent(),
            Err(TallyError::Inconsistent(_))
        ));
        // Without judgements at all it is fine.
        let mut none = Tally::for_model(&model);
        for i in 0..100 {
            none.record(&model, &toy_outcome(i));
        }
        none.check_consistent().unwrap();
        assert_eq!(none.judgement().runs(), 0);
    }

    #[test]
    fn counts_what_it_records() {
        let model = toy_model();
        let t = tally_of(&model, 0..100);
        assert_eq!(t.runs(), 100);
        assert_eq!(t.outcome_count(OutcomeKind::Agreement), 60);
        assert_eq!(t.outcome_count(OutcomeKind::Deadlock), 20);
        assert_eq!(t.outcome_count(OutcomeKind::Conflict), 20);
        assert_eq!(t.agreement_rounds().total(), 60);
        // The optioned issue: runs i ≡ 0, 1, 2 (mod 3) settle on options 0, 1, 2.
        assert_eq!(t.issues()[1].options, vec![34, 33, 33]);
        // Conflicts are i ≡ 4 (mod 5): initiator i mod 2; the initiator wins when 3 | i. Limited
        // wars: agreements (i mod 5 < 3) with 7 | i, started and won by actor 0.
        let conflicts: Vec<u64> = (0..100).filter(|i| i % 5 == 4).collect();
        let limited = (0..100).filter(|i| i % 5 < 3 && i % 7 == 0).count() as u64;
        let by_a = conflicts.iter().filter(|&&i| i % 2 == 0).count() as u64;
        assert_eq!(t.actors()[0].initiated, by_a + limited);
        assert_eq!(t.actors()[1].initiated, 20 - by_a);
        let won = conflicts.iter().filter(|&&i| i % 3 == 0).count() as u64;
        assert_eq!(t.initiator_won(), won + limited);
        assert_eq!(t.actors()[0].won + t.actors()[1].won, 20 + limited);
        assert_eq!(t.wars(), 20 + limited);
        assert_eq!(t.war_runs(), 20 + limited);
        assert_eq!(t.actors()[0].fought, 20 + limited);
        assert_eq!(t.issues()[0].with_war.count(), 20 + limited);
        // One war a run at most: the runs in which an actor started one are its wars.
        assert_eq!(t.actors()[0].initiated_runs, t.actors()[0].initiated);
        assert_eq!(t.actors()[1].initiated_runs, t.actors()[1].initiated);
        // Utility of A is 1 − x, reservation 0.5.
        let met = (0..100)
            .filter(|&i| 1.0 - toy_outcome(i).settlement[0] >= 0.5)
            .count() as u64;
        assert_eq!(t.actors()[0].reservation_met, met);
        t.check_consistent().unwrap();
    }

    #[test]
    fn an_actor_that_starts_two_wars_in_a_run_counts_one_run() {
        let model = toy_model();
        let mut out = toy_outcome(4);
        let mut second = out.wars[0].clone();
        second.round = 2;
        out.wars.insert(
            0,
            WarRecord {
                total: false,
                ..second
            },
        );
        let mut t = Tally::for_model(&model);
        t.record(&model, &out);
        let a = &t.actors()[out.wars[0].initiator];
        assert_eq!((a.initiated, a.initiated_runs), (2, 1));
        assert_eq!((t.wars(), t.war_runs()), (2, 1));
        t.check_consistent().unwrap();
        // A tally whose runs with wars have no initiator is refused.
        let json = serde_json::to_string(&t).unwrap();
        let tampered = json.replacen("\"initiated_runs\":1", "\"initiated_runs\":0", 1);
        let bad: Tally = serde_json::from_str(&tampered).unwrap();
        assert!(bad.check_consistent().is_err());
    }

    #[test]
    fn merge_of_two_halves_equals_the_whole() {
        let model = toy_model();
        let whole = tally_of(&model, 0..1000);
        let mut a = tally_of(&model, 0..377);
        a.merge(&tally_of(&model, 377..1000)).unwrap();
        assert_eq!(a, whole);
        // And in another grouping: (b0 + b1) + (b2 + b3) against ((b0 + b1) + b2) + b3.
        let b: Vec<Tally> = (0..4)
            .map(|k| tally_of(&model, k * 250..(k + 1) * 250))
            .collect();
        let mut left = b[0].clone();
        left.merge(&b[1]).unwrap();
        let mut right = b[2].clone();
        right.merge(&b[3]).unwrap();
        left.merge(&right).unwrap();
        let mut serial = b[0].clone();
        for x in &b[1..] {
            serial.merge(x).unwrap();
        }
        assert_eq!(left, serial);
        assert_eq!(left, whole);
    }

    #[test]
    fn clear_returns_to_empty() {
        let model = toy_model();
        let mut t = tally_of(&model, 0..50);
        t.clear();
        assert_eq!(t, Tally::for_model(&model));
    }

    #[test]
    fn shapes_must_match() {
        let model = toy_model();
        let mut other = model.clone();
        other.issues[1].options.pop();
        let mut t = Tally::for_model(&model);
        let err = t.merge(&Tally::for_model(&other)).unwrap_err();
        assert!(matches!(err, TallyError::ShapeMismatch(_)), "{err}");
        other = model.clone();
        other.actors.pop();
        assert!(t.merge(&Tally::for_model(&other)).is_err());
    }

    #[test]
    fn sums_that_contradict_each_other_are_refused() {
        let model = toy_model();
        let t = tally_of(&model, 0..200);
        t.check_consistent().unwrap();
        let json = serde_json::to_string(&t).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        // Each edit keeps every count right and changes one sum.
        let sum_of = |path: &[&str]| -> String {
            let mut v = &value;
            for p in path {
                v = match p.parse::<usize>() {
                    Ok(i) => &v[i],
                    Err(_) => &v[*p],
                };
            }
            v["sum"].as_str().unwrap().to_string()
        };
        let tripled = |s: &str| (s.parse::<i128>().unwrap() * 3).to_string();
        for path in [
            &["actors", "0", "utility"][..],
            &["actors", "1", "utility_by_outcome", "2"],
            &["issues", "0", "settlement"],
            &["issues", "1", "by_outcome", "0"],
            &["issues", "0", "with_war"],
            &["judgement", "frontier", "all"],
            &["judgement", "nash", "by_outcome", "1"],
        ] {
            let sum = sum_of(path);
            let from = format!("\"sum\":\"{sum}\"");
            assert!(json.contains(&from), "{path:?}");
            let mut edited = value.clone();
            let mut v = &mut edited;
            for p in path {
                v = match p.parse::<usize>() {
                    Ok(i) => &mut v[i],
                    Err(_) => &mut v[*p],
                };
            }
            v["sum"] = serde_json::Value::String(tripled(&sum));
            let bad: Tally = serde_json::from_value(edited).unwrap();
            assert!(
                matches!(bad.check_consistent(), Err(TallyError::Inconsistent(_))),
                "{path:?}: tripled sum accepted"
            );
        }
        // The agreements' rounds must be the rounds of the agreement histogram.
        let rounds = t.round_sum(OutcomeKind::Agreement);
        let bad: Tally = serde_json::from_str(&json.replacen(
            &format!("\"round_sums\":[{rounds},"),
            &format!("\"round_sums\":[{},", rounds + 1),
            1,
        ))
        .unwrap();
        assert!(bad.check_consistent().is_err());
        // A war histogram with a run in a bin the whole histogram does not have.
        let mut edited = value.clone();
        edited["issues"][0]["war_histogram"]["counts"] = serde_json::json!([[1000, t.war_runs()]]);
        let bad: Tally = serde_json::from_value(edited).unwrap();
        assert!(t.issues()[0].histogram.count(1000) < t.war_runs());
        assert!(bad.check_consistent().is_err());
    }

    #[test]
    fn serialises_exactly_and_detects_tampering() {
        let model = toy_model();
        let t = tally_of(&model, 0..200);
        let json = serde_json::to_string(&t).unwrap();
        let back: Tally = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        back.check_consistent().unwrap();
        let tampered = json.replacen("\"runs\":200", "\"runs\":201", 1);
        let bad: Tally = serde_json::from_str(&tampered).unwrap();
        assert!(matches!(
            bad.check_consistent(),
            Err(TallyError::Inconsistent(_))
        ));
    }
}
