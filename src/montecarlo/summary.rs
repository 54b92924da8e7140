//! [`Summary`]: the statistics a report states, computed from a tally.

use serde::Serialize;

use super::{Outline, Provenance, UtilitySpace};
use crate::engine::OutcomeKind;
use crate::stats::{
    DistanceTally, Histogram, Moments, PERCENTILES, Tally, unit_bin_centre, wilson,
};

/// A statistic rounded to 12 decimal places: far below any Monte Carlo error, and it keeps
/// quantisation noise (0.30000000000000004) out of reports.
fn tidy(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

/// [`tidy`] through an `Option`.
fn tidy_opt(x: Option<f64>) -> Option<f64> {
    x.map(tidy)
}

/// The JSON schema of reports: its name and version. A change that could break a reader of the
/// JSON gets a new version.
pub const REPORT_SCHEMA: &str = "treaty-report/2";

/// Everything a report says: provenance, the scenario's outline and the statistics of the batch.
/// Undefined statistics (a mean of no runs) are `None` (`null` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// [`REPORT_SCHEMA`].
    pub schema: String,
    /// Where the report comes from.
    pub provenance: Provenance,
    /// How a precision target ended, if the batch had one.
    pub precision: Option<PrecisionSummary>,
    /// The scenario.
    pub scenario: ScenarioSummary,
    /// Agreement, deadlock, conflict: how often, and when.
    pub outcomes: Vec<OutcomeSummary>,
    /// Rounds to agreement.
    pub rounds_to_agreement: RoundsSummary,
    /// Per issue: the status quo, the ideals and where settlements land.
    pub issues: Vec<IssueSummary>,
    /// Per actor: who gains, who pays, who concedes, who fights.
    pub actors: Vec<ActorSummary>,
    /// Wars: how often, how many, how they ended, who won, when the first came.
    pub wars: WarSummary,
    /// How far the settlements lie from the principals' frontier and from the Nash and
    /// Kalai–Smorodinsky points.
    pub judgement: JudgementSummary,
    /// The exact statistics the summary was made from (not serialised; the HTML page draws its
    /// histograms).
    #[serde(skip)]
    pub tally: Tally,
    /// Two principals' utility space, for the HTML page (not serialised; set by
    /// [`Summary::with_utility_space`]).
    #[serde(skip)]
    pub utility_space: Option<UtilitySpace>,
}

/// How a precision target ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PrecisionSummary {
    /// The target half-width of every outcome probability's 95% interval.
    pub target: f64,
    /// Whether it was reached before the cap.
    pub reached: bool,
    /// The largest half-width when the batch stopped.
    pub half_width: f64,
    /// The cap on runs.
    pub cap: u64,
}

/// The scenario in brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioSummary {
    /// Name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Protocol.
    pub protocol: String,
    /// Deadline in rounds.
    pub max_rounds: u32,
    /// What a round lasts, e.g. `1 month`.
    pub round: String,
    /// The date of round 1 (`YYYY-MM-DD`), if given.
    pub start: Option<String>,
}

/// A count out of a number of trials, its share and the share's 95% Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probability {
    /// Runs counted.
    pub count: u64,
    /// Runs it is a share of.
    pub of: u64,
    /// count / of.
    pub probability: Option<f64>,
    /// 95% Wilson interval `[low, high]`.
    pub ci95: Option<[f64; 2]>,
}

impl Probability {
    /// `count` out of `of`.
    pub fn new(count: u64, of: u64) -> Self {
        Probability {
            count,
            of,
            probability: (of > 0).then(|| tidy(count as f64 / of as f64)),
            ci95: wilson(count, of).map(|(l, h)| [tidy(l), tidy(h)]),
        }
    }
}

/// The 5th, 25th, 50th, 75th and 95th percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles<T> {
    /// 5th percentile.
    pub p5: Option<T>,
    /// 25th percentile.
    pub p25: Option<T>,
    /// Median.
    pub p50: Option<T>,
    /// 75th percentile.
    pub p75: Option<T>,
    /// 95th percentile.
    pub p95: Option<T>,
}

impl<T> Quantiles<T> {
    fn from_fn(mut f: impl FnMut(u32) -> Option<T>) -> Self {
        let [p5, p25, p50, p75, p95] = PERCENTILES.map(&mut f);
        Quantiles {
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    }

    /// The values with their percentiles, in order.
    pub fn entries(&self) -> [(u32, Option<&T>); 5] {
        [
            (5, self.p5.as_ref()),
            (25, self.p25.as_ref()),
            (50, self.p50.as_ref()),
            (75, self.p75.as_ref()),
            (95, self.p95.as_ref()),
        ]
    }
}

/// One value per outcome kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ByOutcome<T> {
    /// Over agreements.
    pub agreement: T,
    /// Over deadlocks.
    pub deadlock: T,
    /// Over conflicts.
    pub conflict: T,
}

impl<T> ByOutcome<T> {
    fn from_fn(mut f: impl FnMut(OutcomeKind) -> T) -> Self {
        ByOutcome {
            agreement: f(OutcomeKind::Agreement),
            deadlock: f(OutcomeKind::Deadlock),
            conflict: f(OutcomeKind::Conflict),
        }
    }
}

/// One outcome kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeSummary {
    /// `Agreement`, `Deadlock` or `Conflict`.
    pub kind: String,
    /// How often (its fields are written inline).
    #[serde(flatten)]
    pub probability: Probability,
    /// The mean round the runs of this kind ended in.
    pub mean_round: Option<f64>,
}

/// When something happens, in rounds: agreements (rounds to agreement), first wars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundsSummary {
    /// Runs counted (agreements; runs with a war).
    pub runs: u64,
    /// Mean round.
    pub mean: Option<f64>,
    /// The start date of the round nearest the mean.
    pub mean_date: Option<String>,
    /// Quantiles of the round (exact).
    pub quantiles: Quantiles<u32>,
    /// The start dates of those rounds.
    pub quantile_dates: Quantiles<String>,
}

/// An actor's ideal point on an issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ideal {
    /// Actor id.
    pub actor: String,
    /// Ideal point (central value).
    pub position: f64,
    /// Salience (central value); 0 if the actor does not care.
    pub salience: f64,
}

/// One option of an issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionSummary {
    /// Its point.
    pub at: f64,
    /// Its label.
    pub label: String,
    /// How often the settlement is this option (its fields are written inline).
    #[serde(flatten)]
    pub probability: Probability,
}

/// One issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueSummary {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Meaning of 0.
    pub low: String,
    /// Meaning of 1.
    pub high: String,
    /// The status quo (central value).
    pub status_quo: f64,
    /// Every actor's ideal point and salience.
    pub ideals: Vec<Ideal>,
    /// Mean settlement over all runs.
    pub mean: Option<f64>,
    /// Standard deviation of the settlement.
    pub sd: Option<f64>,
    /// Quantiles of the settlement, to half a bin width ([`BIN_WIDTH`](crate::stats::BIN_WIDTH)).
    pub quantiles: Quantiles<f64>,
    /// Mean settlement over the runs of each outcome kind.
    pub mean_by_outcome: ByOutcome<Option<f64>>,
    /// The settlement over the runs with at least one war.
    pub with_war: SettlementSummary,
    /// The settlement over the runs without a war.
    pub without_war: SettlementSummary,
    /// How often each option is the settlement (empty for a continuous issue).
    pub options: Vec<OptionSummary>,
    /// The option of the median settlement, for an optioned issue.
    pub median_option: Option<String>,
}

/// The settlement of an issue over some of the runs (those with a war, those without).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettlementSummary {
    /// Runs counted.
    pub runs: u64,
    /// Mean settlement.
    pub mean: Option<f64>,
    /// Its standard deviation.
    pub sd: Option<f64>,
    /// Quantiles of the settlement, to half a bin width.
    pub quantiles: Quantiles<f64>,
}

impl SettlementSummary {
    fn of(m: &Moments, h: &Histogram) -> Self {
        SettlementSummary {
            runs: m.count(),
            mean: tidy_opt(m.mean()),
            sd: tidy_opt(m.sd()),
            quantiles: quantiles_of(m, h),
        }
    }

    /// No runs.
    fn empty() -> Self {
        SettlementSummary {
            runs: 0,
            mean: None,
            sd: None,
            quantiles: Quantiles::from_fn(|_| None),
        }
    }
}

/// One actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorSummary {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Capability (central value).
    pub capability: f64,
    /// Reservation utility (central value).
    pub reservation: f64,
    /// Expected own utility of the outcome.
    pub utility: Option<f64>,
    /// Its standard deviation.
    pub utility_sd: Option<f64>,
    /// Expected own utility over the runs of each outcome kind.
    pub utility_by_outcome: ByOutcome<Option<f64>>,
    /// Runs ending at or above its reservation utility (as sampled in each run).
    pub reservation_met: Probability,
    /// Mean total concession.
    pub concession: Option<f64>,
    /// Runs in which it started at least one war (out of all runs).
    pub initiated: Probability,
    /// Wars it started, over all runs.
    pub wars_started: u64,
    /// Of the wars it fought in (on either side), those it ended on the winning side of.
    pub won: Probability,
}

/// Wars: limited ones (their settlement became the status quo, and talks went on) and those
/// that ended the talks (over every issue, or carried out when the talks failed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarSummary {
    /// Runs with at least one war (out of all runs): the probability of war.
    pub runs_with_war: Probability,
    /// Wars over all runs.
    pub wars: u64,
    /// Mean number of wars per run.
    pub mean_per_run: Option<f64>,
    /// Wars that ended the talks (out of all wars): the last war of every conflict.
    pub ended_talks: Probability,
    /// Limited wars (out of all wars): talks went on after them.
    pub limited: Probability,
    /// Wars won by the side that started them (out of all wars).
    pub initiator_won: Probability,
    /// The round of each run's first war, over the runs with a war.
    pub first_war: RoundsSummary,
}

/// The judgement of the runs' settlements ([`crate::solvers::bargaining`], "Judging runs"):
/// normalised distances in the principals' utility space at the scenario's central values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JudgementSummary {
    /// What the runs are judged against: always `central values` (the analysis at the
    /// scenario's central values, worked out once per batch).
    pub reference: String,
    /// Whether the scenario's uncertain numbers touch the principals' preferences, so that a
    /// run's own world differs from the reference it is judged in.
    pub preferences_uncertain: bool,
    /// Runs judged: all, or none when there is nothing to judge against (no principal, no
    /// mutually acceptable settlement).
    pub runs: u64,
    /// Distance from the nearest frontier point (efficiency: 0 on the frontier).
    pub frontier: DistanceSummary,
    /// Distance from the Nash bargaining point (no runs when there is none).
    pub nash: DistanceSummary,
    /// Distance from the Kalai–Smorodinsky point.
    pub kalai_smorodinsky: DistanceSummary,
}

/// One distance over the judged runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistanceSummary {
    /// Runs with this distance.
    pub runs: u64,
    /// Mean distance.
    pub mean: Option<f64>,
    /// Its standard deviation.
    pub sd: Option<f64>,
    /// Quantiles, to half a bin width (0.0005); 2 stands for 2 or more.
    pub quantiles: Quantiles<f64>,
    /// Mean distance over the runs of each outcome kind.
    pub mean_by_outcome: ByOutcome<Option<f64>>,
}

impl DistanceSummary {
    fn of(t: &DistanceTally) -> Self {
        DistanceSummary {
            runs: t.all.count(),
            mean: tidy_opt(t.all.mean()),
            sd: tidy_opt(t.all.sd()),
            quantiles: quantiles_of(&t.all, &t.histogram),
            mean_by_outcome: ByOutcome::from_fn(|k| tidy_opt(t.for_outcome(k).mean())),
        }
    }
}

fn quantiles_of(m: &Moments, h: &Histogram) -> Quantiles<f64> {
    Quantiles::from_fn(|p| {
        (m.count() > 0)
            .then(|| h.quantile_bin(p).map(unit_bin_centre))
            .flatten()
    })
}

impl Summary {
    /// This summary with two principals' utility space for the HTML page.
    pub fn with_utility_space(mut self, space: Option<UtilitySpace>) -> Self {
        self.utility_space = space;
        self
    }

    /// The summary of `tally`, a batch of the scenario `outline`, with its provenance.
    pub fn new(
        outline: &Outline,
        tally: &Tally,
        provenance: &Provenance,
        precision: Option<PrecisionSummary>,
    ) -> Self {
        let runs = tally.runs();
        let cal = &outline.calendar;
        let date = |round: u32| cal.date_of_round(round).map(|d| d.to_string());
        let agreements = tally.outcome_count(OutcomeKind::Agreement);
        let conflicts = tally.outcome_count(OutcomeKind::Conflict);
        let war_runs = tally.war_runs();
        let wars = tally.wars();
        let mean_round = |kind| {
            let n = tally.outcome_count(kind);
            (n > 0).then(|| tidy(tally.round_sum(kind) as f64 / n as f64))
        };
        let rounds_of = |runs: u64, mean: Option<f64>, h: &Histogram| RoundsSummary {
            runs,
            mean,
            mean_date: mean.and_then(|m| date(m.round() as u32)),
            quantiles: Quantiles::from_fn(|p| h.quantile_bin(p).map(|r| r as u32)),
            quantile_dates: Quantiles::from_fn(|p| h.quantile_bin(p).and_then(|r| date(r as u32))),
        };
        let rounds_to_agreement = rounds_of(
            agreements,
            mean_round(OutcomeKind::Agreement),
            tally.agreement_rounds(),
        );
        let first_war = rounds_of(
            war_runs,
            tidy_opt(tally.first_war_rounds().mean_bin()),
            tally.first_war_rounds(),
        );
        let issues = outline
            .issues
            .iter()
            .zip(tally.issues())
            .enumerate()
            .map(|(j, (issue, t))| {
                let quantiles = quantiles_of(&t.settlement, &t.histogram);
                IssueSummary {
                    id: issue.id.clone(),
                    name: issue.name.clone(),
                    low: issue.low.clone(),
                    high: issue.high.clone(),
                    status_quo: issue.status_quo,
                    ideals: outline
                        .actors
                        .iter()
                        .map(|a| Ideal {
                            actor: a.id.clone(),
                            position: a.positions.get(j).copied().unwrap_or(f64::NAN),
                            salience: a.saliences.get(j).copied().unwrap_or(0.0),
                        })
                        .collect(),
                    mean: tidy_opt(t.settlement.mean()),
                    sd: tidy_opt(t.settlement.sd()),
                    mean_by_outcome: ByOutcome::from_fn(|k| tidy_opt(t.for_outcome(k).mean())),
                    with_war: SettlementSummary::of(&t.with_war, &t.war_histogram),
                    // Exact: all runs less those with a war.
                    without_war: t
                        .settlement
                        .without(&t.with_war)
                        .zip(t.histogram.without(&t.war_histogram))
                        .map_or_else(SettlementSummary::empty, |(m, h)| {
                            SettlementSummary::of(&m, &h)
                        }),
                    options: issue
                        .options
                        .iter()
                        .zip(&t.options)
                        .map(|(o, &c)| OptionSummary {
                            at: o.at,
                            label: o.label.clone(),
                            probability: Probability::new(c, runs),
                        })
                        .collect(),
                    median_option: quantiles
                        .p50
                        .and_then(|x| outline.option_label(j, x))
                        .map(str::to_owned),
                    quantiles,
                }
            })
            .collect();
        let actors = outline
            .actors
            .iter()
            .zip(tally.actors())
            .map(|(a, t)| ActorSummary {
                id: a.id.clone(),
                name: a.name.clone(),
                role: a.role.clone(),
                capability: a.capability,
                reservation: a.reservation,
                utility: tidy_opt(t.utility.mean()),
                utility_sd: tidy_opt(t.utility.sd()),
                utility_by_outcome: ByOutcome::from_fn(|k| {
                    tidy_opt(t.utility_for_outcome(k).mean())
                }),
                reservation_met: Probability::new(t.reservation_met, runs),
                concession: tidy_opt(t.concession.mean()),
                initiated: Probability::new(t.initiated_runs, runs),
                wars_started: t.initiated,
                won: Probability::new(t.won, t.fought),
            })
            .collect();
        Summary {
            tally: tally.clone(),
            utility_space: None,
            schema: REPORT_SCHEMA.into(),
            provenance: provenance.clone(),
            precision,
            scenario: ScenarioSummary {
                name: outline.name.clone(),
                description: outline.description.clone(),
                protocol: outline.protocol.clone(),
                max_rounds: outline.max_rounds,
                round: cal.round_length(),
                start: cal.start.map(|d| d.to_string()),
            },
            outcomes: OutcomeKind::ALL
                .iter()
                .map(|&k| OutcomeSummary {
                    kind: k.name().into(),
                    probability: Probability::new(tally.outcome_count(k), runs),
                    mean_round: mean_round(k),
                })
                .collect(),
            rounds_to_agreement,
            issues,
            actors,
            wars: WarSummary {
                runs_with_war: Probability::new(war_runs, runs),
                wars,
                mean_per_run: (runs > 0).then(|| tidy(wars as f64 / runs as f64)),
                ended_talks: Probability::new(conflicts, wars),
                limited: Probability::new(wars.saturating_sub(conflicts), wars),
                initiator_won: Probability::new(tally.initiator_won(), wars),
                first_war,
            },
            judgement: JudgementSummary {
                reference: "central values".into(),
                preferences_uncertain: tally.judgement().preferences_uncertain,
                runs: tally.judgement().runs(),
                frontier: DistanceSummary::of(&tally.judgement().frontier),
                nash: DistanceSummary::of(&tally.judgement().nash),
                kalai_smorodinsky: DistanceSummary::of(&tally.judgement().kalai_smorodinsky),
            },
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::testing::{toy_model, toy_outcome};

    /// The summary of runs 0..n of the toy outcomes.
    pub(crate) fn toy_summary(n: u64) -> Summary {
        let model = toy_model();
        let mut tally = Tally::for_model(&model);
        for i in 0..n {
            tally.record(&model, &toy_outcome(i));
        }
        let mut model = model;
        model.origin = crate::model::Origin::of_text(b"toy", Vec::new());
        let provenance = Provenance::of(&model, &crate::montecarlo::BatchConfig::new(5, n));
        Summary::new(&Outline::of(&model), &tally, &provenance, None)
    }

    #[test]
    fn states_what_the_runs_did() {
        let s = toy_summary(100);
        let p: Vec<f64> = s
            .outcomes
            .iter()
            .map(|o| o.probability.probability.unwrap())
            .collect();
        assert_eq!(p, [0.6, 0.2, 0.2]);
        // Agreements are runs i ≡ 0, 1, 2 (mod 5) ending in round 1 + (i mod 12).
        let rounds: Vec<u64> = (0..100).filter(|i| i % 5 < 3).map(|i| 1 + i % 12).collect();
        let mean = rounds.iter().sum::<u64>() as f64 / rounds.len() as f64;
        assert!((s.rounds_to_agreement.mean.unwrap() - mean).abs() < 1e-12);
        let mut sorted = rounds.clone();
        sorted.sort_unstable();
        let median = sorted[(sorted.len() * 50).div_ceil(100) - 1] as u32;
        assert_eq!(s.rounds_to_agreement.quantiles.p50, Some(median));
        // Round r of a monthly calendar from 1 July 2023.
        let date = s.rounds_to_agreement.quantile_dates.p50.clone().unwrap();
        let month = (7 + median - 1 - 1) % 12 + 1;
        assert!(date.ends_with(&format!("-{month:02}-01")), "{date}");
        let route = &s.issues[1];
        let options: Vec<f64> = route
            .options
            .iter()
            .map(|o| o.probability.probability.unwrap())
            .collect();
        assert_eq!(options, [0.34, 0.33, 0.33]);
        assert_eq!(route.quantiles.p50, Some(0.5));
        assert_eq!(route.median_option.as_deref(), Some("third-party operator"));
        assert_eq!(s.issues[0].median_option, None);
        assert_eq!(route.ideals[1].position, 1.0);
        // The status quo of the first issue is Uniform(0.2, 0.6): its central value is 0.4.
        assert!((s.issues[0].status_quo - 0.4).abs() < 1e-12);
        // Wars: one in every conflict (i ≡ 4 mod 5), and a limited one, started and won by A, in
        // every agreement with 7 | i.
        let limited = (0..100).filter(|i| i % 5 < 3 && i % 7 == 0).count() as u64;
        let w = &s.wars;
        assert_eq!(w.runs_with_war.count, 20 + limited);
        assert_eq!(w.runs_with_war.of, 100);
        assert_eq!(w.wars, 20 + limited);
        assert_eq!(w.mean_per_run, Some((20 + limited) as f64 / 100.0));
        assert_eq!((w.ended_talks.count, w.ended_talks.of), (20, 20 + limited));
        assert_eq!(w.limited.count, limited);
        let first: Vec<u64> = (0..100)
            .filter(|i| i % 5 == 4 || (i % 5 < 3 && i % 7 == 0))
            .map(|i| if i % 5 == 4 { 1 + i % 12 } else { 1 })
            .collect();
        let mean = first.iter().sum::<u64>() as f64 / first.len() as f64;
        assert_eq!(w.first_war.runs, 20 + limited);
        assert!((w.first_war.mean.unwrap() - mean).abs() < 1e-12);
        assert_eq!(w.first_war.quantiles.p5, Some(1));
        assert!(w.first_war.quantile_dates.p50.is_some());
        // Every war has one winner; A and B fight every war, the mediator none.
        let won: u64 = s.actors.iter().map(|a| a.won.count).sum();
        assert_eq!(won, 20 + limited);
        assert_eq!(s.actors[0].won.of, 20 + limited);
        assert_eq!(s.actors[2].won.of, 0);
        assert_eq!(s.actors[2].won.probability, None);
        assert_eq!(s.actors[0].initiated.of, 100);
        let started: u64 = s.actors.iter().map(|a| a.wars_started).sum();
        assert_eq!(started, 20 + limited);
        // Settlements with and without war split the runs, and their means the mean.
        for issue in &s.issues {
            let (with, without) = (&issue.with_war, &issue.without_war);
            assert_eq!(with.runs, 20 + limited);
            assert_eq!(with.runs + without.runs, 100);
            let joint = (with.mean.unwrap() * with.runs as f64
                + without.mean.unwrap() * without.runs as f64)
                / 100.0;
            assert!((joint - issue.mean.unwrap()).abs() < 1e-9, "{}", issue.id);
        }
        let xs: Vec<f64> = (0..100u64)
            .filter(|i| !(i % 5 == 4 || (i % 5 < 3 && i % 7 == 0)))
            .map(|i| ((i * 7919) % 1000) as f64 / 999.0)
            .collect();
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((s.issues[0].without_war.mean.unwrap() - m).abs() < 1e-9);
    }

    #[test]
    fn undefined_statistics_are_none() {
        let s = toy_summary(0);
        assert_eq!(s.outcomes[0].probability.probability, None);
        assert_eq!(s.issues[0].mean, None);
        assert_eq!(s.issues[0].with_war.mean, None);
        assert_eq!(s.issues[0].without_war.runs, 0);
        assert_eq!(s.wars.runs_with_war.probability, None);
        assert_eq!(s.wars.mean_per_run, None);
        assert_eq!(s.wars.first_war.mean, None);
    }
}
