//! What a trace records: plain data, serialised as the JSON trace ([`TRACE_SCHEMA`]).

use serde::Serialize;

use crate::model::Model;

/// The JSON schema of traces: its name and version. A change that could break a reader of the
/// JSON gets a new version.
pub const TRACE_SCHEMA: &str = "treaty-trace/2";

/// One run, round by round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// [`TRACE_SCHEMA`].
    pub schema: String,
    /// The program and version that made it.
    pub treaty: String,
    /// The scenario's name.
    pub scenario: String,
    /// The master seed.
    pub seed: u64,
    /// The run index.
    pub run: u64,
    /// The protocol's name.
    pub protocol: String,
    /// The status quo this run drew (after options and the pie), issue by issue.
    pub status_quo: Vec<IssueValue>,
    /// What this run drew for each actor.
    pub actors: Vec<ActorDraw>,
    /// Standard deviation of perception noise this run.
    pub perception_noise: f64,
    /// Weight of others' gains and losses in effective utility this run.
    pub interdependence: f64,
    /// Force, if the scenario allows it.
    pub force: Option<ForceDraw>,
    /// What breakdown would mean, as worked out before round 1 and after every change of the
    /// world (events, limited wars), in order; those worked out during the run are also in
    /// their round ([`Round::breakdown`], [`WarRecord::breakdown`]).
    pub breakdowns: Vec<BreakdownRecord>,
    /// The rounds played (those shown: see [`Trace::rounds_shown`]).
    pub rounds: Vec<Round>,
    /// When a run is longer than the rounds asked for (`treaty trace --rounds`, by default
    /// the first [`DEFAULT_TRACE_ROUNDS`]): the rounds shown, `from` to `to`, besides the last
    /// round played; the others were played but are not recorded. Absent when every round is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds_shown: Option<RoundsShown>,
    /// How the run ended.
    pub outcome: Outcome,
    /// The model the run was played on (not serialised: the prose and the page name actors,
    /// options and dates from it).
    #[serde(skip)]
    pub model: Model,
}

/// The rounds a trace tells by default: a run of up to a million rounds is told in full only
/// when asked, as its record would take gigabytes.
pub const DEFAULT_TRACE_ROUNDS: u32 = 1_000;

/// The rounds a trace shows of a longer run ([`Trace::rounds_shown`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoundsShown {
    /// The first round shown.
    pub from: u32,
    /// The last round shown (besides the last round played, always shown).
    pub to: u32,
}

/// What breakdown would mean for every actor, from a round on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownRecord {
    /// The round it was worked out in (0: before round 1).
    pub round: u32,
    /// The initiator whose war breakdown would bring (actor id), if its threat is credible.
    pub threat: Option<String>,
    /// Each actor's value of breakdown and floor.
    pub actors: Vec<FloorRecord>,
}

/// One actor's value of breakdown and floor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorRecord {
    /// Actor id.
    pub actor: String,
    /// Its value of breakdown.
    pub breakdown: f64,
    /// The least it accepts: max(reservation, value of breakdown).
    pub floor: f64,
}

/// What a run drew for one actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorDraw {
    /// Actor id.
    pub actor: String,
    /// Capability.
    pub capability: f64,
    /// Reservation utility.
    pub reservation: f64,
    /// Utility of the status quo.
    pub status_quo_utility: f64,
    /// `principal`, `mediator` or `stakeholder`.
    pub role: &'static str,
    /// Its strategy with this run's parameters, e.g. `Boulware (β 0.30)`.
    pub strategy: String,
}

/// What a run drew for force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForceDraw {
    /// Who may start a war (actor ids).
    pub initiators: Vec<String>,
    /// Utility each side pays.
    pub cost: f64,
    /// How far the winners' positions are imposed.
    pub imposition: f64,
    /// Probability per round of escalating when force looks better.
    pub propensity: f64,
}

/// A point on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueValue {
    /// Issue id.
    pub issue: String,
    /// The point on [0, 1].
    pub value: f64,
    /// The option's label, on an optioned issue.
    pub option: Option<String>,
}

/// One round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    /// The round number.
    pub round: u32,
    /// Its date, if the scenario has a calendar start (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Each active actor's held aspiration as the round starts.
    pub aspiration: Vec<AspirationRecord>,
    /// Events that fired.
    pub events: Vec<EventRecord>,
    /// The status quo as the round's proposals are tabled, where it differs from the run's
    /// opening status quo (events and limited wars move it); `None` where it does not.
    pub status_quo: Option<Vec<IssueValue>>,
    /// What breakdown would mean from this round on, if the round's events changed it.
    pub breakdown: Option<BreakdownRecord>,
    /// The proposals tabled, in order, each with its answers: the round's proposal, then, if it
    /// was rejected and a mediator is present, the mediators' text.
    pub proposals: Vec<ProposalRecord>,
    /// Initiators to whom force looked better than the talks.
    pub force: Vec<ForceRecord>,
    /// The wars fought in the round (a limited war, and the war of breakdown after the last
    /// round).
    pub wars: Vec<WarRecord>,
    /// Concessions after a rejection.
    pub concessions: Vec<ConcessionRecord>,
    /// Position moves (expected-utility model).
    pub shifts: Vec<ShiftRecord>,
    /// The first-pass risk exponents of each issue's model (expected-utility model; absent
    /// otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub risk: Vec<RiskRecord>,
}

/// One issue's first-pass risk exponents in a round (expected-utility model).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskRecord {
    /// Issue id.
    pub issue: String,
    /// Each actor's risk exponent r_i, in [0.5, 2] (actors in the model, in scenario order).
    pub exponents: Vec<ActorRisk>,
}

/// An actor's risk exponent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRisk {
    /// Actor id.
    pub actor: String,
    /// r_i: below 1 risk-acceptant, above 1 risk-averse.
    pub r: f64,
}

/// An actor's held aspiration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AspirationRecord {
    /// Actor id.
    pub actor: String,
    /// Its aspiration.
    pub aspiration: f64,
}

/// An event that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    /// Its label.
    pub label: String,
    /// What each effect did, in words.
    pub effects: Vec<String>,
}

/// A proposal and its answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalRecord {
    /// Who tabled it (actor id), if anyone.
    pub proposer: Option<String>,
    /// `offer`, `text` or `forecast`.
    pub kind: &'static str,
    /// Whether the principals voted on it.
    pub vote: bool,
    /// Whether it is the mediators' text, tabled after the round's proposal was rejected.
    pub mediator_text: bool,
    /// Whether it was agreed (it is the settlement).
    pub agreed: bool,
    /// The point.
    pub point: Vec<IssueValue>,
    /// Each active actor's evaluation, in actor order.
    pub responses: Vec<ResponseRecord>,
}

/// An actor's evaluation of a proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseRecord {
    /// Actor id.
    pub actor: String,
    /// Its perceived utility of the proposal.
    pub utility: f64,
    /// What it needed (a principal) or its utility of the status quo (others).
    pub threshold: f64,
    /// Stakeholder pressure on a principal's threshold (positive: lowered it).
    pub pressure: f64,
    /// The least it accepts: max(reservation, value of breakdown).
    pub floor: f64,
    /// `accept`, `reject`, `proposed`, `approve` or `oppose`.
    pub answer: &'static str,
}

/// An initiator weighing force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForceRecord {
    /// Initiator id.
    pub initiator: String,
    /// Target id.
    pub target: String,
    /// The true probability the initiator's side wins.
    pub win_probability: f64,
    /// The probability the initiator believes its side wins.
    pub believed: f64,
    /// Its expected value of the war.
    pub value: f64,
    /// What the table offers it now.
    pub table: f64,
    /// Its expected value of going on.
    pub going_on: f64,
    /// Its probability of escalating this round.
    pub propensity: f64,
    /// Whether it escalated.
    pub escalated: bool,
}

/// A concession.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcessionRecord {
    /// Actor id.
    pub actor: String,
    /// Aspiration before.
    pub from: f64,
    /// Aspiration after.
    pub to: f64,
}

/// A position move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftRecord {
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// Old position.
    pub from: f64,
    /// New position.
    pub to: f64,
}

/// How the run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// `Agreement`, `Deadlock` or `Conflict`.
    pub kind: &'static str,
    /// The round it ended in.
    pub round: u32,
    /// That round's date, if the scenario has a calendar start.
    pub date: Option<String>,
    /// The settlement.
    pub settlement: Vec<IssueValue>,
    /// Each actor's utility and total concession.
    pub actors: Vec<ActorResult>,
    /// Every war of the run, in order (as in the rounds).
    pub wars: Vec<WarRecord>,
    /// The expected-utility model's forecasts from the final positions, issue by issue (absent
    /// under the other protocols).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forecasts: Vec<ForecastRecord>,
}

/// The expected-utility model's forecasts on one issue, from the final positions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastRecord {
    /// Issue id.
    pub issue: String,
    /// The c·s-weighted median.
    pub weighted_median: f64,
    /// The pairwise (Condorcet) winner among the held positions; `null` if none beats every
    /// other (an exact tie).
    pub condorcet: Option<f64>,
}

/// One actor's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorResult {
    /// Actor id.
    pub actor: String,
    /// Own utility of the settlement (after the cost of war).
    pub utility: f64,
    /// Total concession.
    pub concession: f64,
}

/// A war.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarRecord {
    /// The round it broke out in.
    pub round: u32,
    /// That round's date, if the scenario has a calendar start.
    pub date: Option<String>,
    /// Whether it decided every issue.
    pub total: bool,
    /// Whether it was the war a credible threat brought when the talks failed (rather than an
    /// escalation during them).
    pub at_breakdown: bool,
    /// Whether it ended the talks (the run is a conflict); otherwise a limited war after which
    /// talks went on.
    pub ended_talks: bool,
    /// Who escalated.
    pub initiator: String,
    /// Whom it attacked.
    pub target: String,
    /// Whether the initiator's side won.
    pub initiator_won: bool,
    /// The winning side.
    pub winners: Vec<String>,
    /// The losing side.
    pub losers: Vec<String>,
    /// What it imposed on each issue force decides: from the status quo before it to the
    /// settlement.
    pub imposed: Vec<ImposedRecord>,
    /// The settlement it imposed, issue by issue (the status quo but on the issues force
    /// decides); after a limited war, the new status quo.
    pub settlement: Vec<IssueValue>,
    /// What breakdown would mean after it, if it was worked out again (after a limited war).
    pub breakdown: Option<BreakdownRecord>,
}

/// What a war imposed on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImposedRecord {
    /// Issue id.
    pub issue: String,
    /// The status quo before the war.
    pub from: f64,
    /// The settlement the war imposed.
    pub to: f64,
    /// The option's label of `to`, on an optioned issue.
    pub option: Option<String>,
}
