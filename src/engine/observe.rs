//! What an [`Observer`] sees of a run.

use super::{RunOutcome, WarRecord};
use crate::model::World;

/// What kind of proposal is on the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalKind {
    /// A party's offer (its own aspiration, or its equilibrium offer).
    Offer,
    /// A mediator's single negotiating text.
    Text,
    /// The expected-utility model's forecast from the actors' current positions.
    Forecast,
}

/// A proposal tabled in a round.
#[derive(Debug, Clone, Copy)]
pub struct Proposal<'a> {
    /// The round.
    pub round: u32,
    /// Who tabled it (`None` for a forecast).
    pub proposer: Option<usize>,
    /// What it is.
    pub kind: ProposalKind,
    /// The point, issue by issue (on options where issues have options).
    pub point: &'a [f64],
    /// Whether the principals vote on it (false for the expected-utility model's intermediate
    /// forecasts).
    pub vote: bool,
    /// Whether it is the mediators' text, tabled after the round's offer was rejected.
    pub mediator_text: bool,
}

/// An actor's answer to a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A principal accepts.
    Accept,
    /// A principal rejects.
    Reject,
    /// The proposal is the actor's own (a principal proposer counts as accepting).
    Proposed,
    /// A stakeholder or mediator likes it better than the status quo (no vote).
    Approve,
    /// A stakeholder or mediator likes the status quo better (no vote).
    Oppose,
}

impl Answer {
    /// Whether the answer counts as accepting under the acceptance rule.
    pub fn accepts(self) -> bool {
        matches!(self, Answer::Accept | Answer::Proposed)
    }
}

/// One actor's evaluation of a proposal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Response {
    /// The round.
    pub round: u32,
    /// The actor.
    pub actor: usize,
    /// Its utility of the proposal as it perceives it: effective utility plus perception noise
    /// (own utility for equilibrium players).
    pub utility: f64,
    /// What it needs: a principal's acceptance threshold after pressure; a stakeholder's or
    /// mediator's (effective) utility of the status quo.
    pub threshold: f64,
    /// How much stakeholder pressure moved a principal's threshold, after the clamp to its
    /// floor and 1 (positive: lowered it).
    pub pressure: f64,
    /// The least it accepts: max(reservation, value of breakdown).
    pub floor: f64,
    /// Whether this is the mediators' text tabled after the round's rejected offer.
    pub mediator_text: bool,
    /// Its answer.
    pub answer: Answer,
}

/// An actor lowering its aspiration after a rejected round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Concession {
    /// The round that was rejected.
    pub round: u32,
    /// The actor.
    pub actor: usize,
    /// Its aspiration during the round.
    pub from: f64,
    /// Its aspiration from the next round on.
    pub to: f64,
}

/// An initiator weighing force against the talks (reported when its war is worth more than both
/// what the table offers now and what going on is expected to bring).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForceDecision {
    /// The round.
    pub round: u32,
    /// Who weighs it.
    pub initiator: usize,
    /// Its main opponent.
    pub target: usize,
    /// The true probability its side wins.
    pub win_probability: f64,
    /// The probability it believes its side wins (after its optimism).
    pub believed: f64,
    /// Its expected value of the war (after the cost).
    pub value: f64,
    /// What the table offers it now: the best proposal its yes would have carried, at least
    /// what failed talks leave it without a war.
    pub table: f64,
    /// Its expected value of going on: its target's last offer before the deadline,
    /// discounted to now.
    pub going_on: f64,
    /// Its probability of escalating this round.
    pub propensity: f64,
    /// Whether it escalated.
    pub escalated: bool,
}

/// What breakdown would mean for every actor, worked out whenever the world changes.
#[derive(Debug, Clone, Copy)]
pub struct Breakdown<'a> {
    /// The round (0 at the start of the run).
    pub round: u32,
    /// The initiator whose war breakdown would bring, if its threat is credible.
    pub threat: Option<usize>,
    /// Each actor's value of breakdown.
    pub values: &'a [f64],
    /// Each actor's floor: the least it accepts, max(reservation, value of breakdown).
    pub floors: &'a [f64],
}

/// An actor's position moving in the expected-utility model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// The round.
    pub round: u32,
    /// The actor.
    pub actor: usize,
    /// The issue.
    pub issue: usize,
    /// Old position.
    pub from: f64,
    /// New position.
    pub to: f64,
}

/// The first-pass risk exponents of one issue's expected-utility model in a round: the r_i each
/// actor weighed its offers with, computed at the start of the round's step from the exposures
/// at risk exponent 1 ([`crate::solvers::expected_utility`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskExponents<'a> {
    /// The round.
    pub round: u32,
    /// The issue.
    pub issue: usize,
    /// The actors in the model, in model order.
    pub actors: &'a [usize],
    /// Their risk exponents, in [0.5, 2].
    pub risk: &'a [f64],
}

/// Sees a run step by step. Every hook has a no-op default.
///
/// Order within a round: [`on_round`](Observer::on_round), then
/// [`on_event`](Observer::on_event) for each event that fires, then
/// [`on_breakdown`](Observer::on_breakdown) if the world changed (also once before round 1),
/// then [`on_proposal`](Observer::on_proposal) and one [`on_response`](Observer::on_response)
/// per active actor (in actor order), the same again for the mediators' text if the offer was
/// rejected, then, if the round did not end the run, [`on_force`](Observer::on_force) for each
/// initiator whose war is worth more than the table, [`on_war`](Observer::on_war) for a war,
/// and [`on_concession`](Observer::on_concession) / [`on_shift`](Observer::on_shift) for each
/// actor that moves. The expected-utility model is the exception: its shifts, and the
/// concessions they amount to, come before the round's forecast. A war at breakdown comes after
/// the last round; [`on_end`](Observer::on_end) comes last.
#[allow(unused_variables)]
pub trait Observer {
    /// A round starts (before its events fire); `aspiration` is each actor's held aspiration.
    fn on_round(&mut self, round: u32, world: &World, aspiration: &[f64]) {}
    /// Event `event` (index into the model's events) fired at the start of `round`; `world`
    /// already shows its effects.
    fn on_event(&mut self, round: u32, event: usize, world: &World) {}
    /// A proposal is tabled.
    fn on_proposal(&mut self, proposal: &Proposal<'_>) {}
    /// An actor evaluated the proposal.
    fn on_response(&mut self, response: &Response) {}
    /// Every actor's value of breakdown, worked out (at the start of the run and whenever the
    /// world changes).
    fn on_breakdown(&mut self, breakdown: &Breakdown<'_>) {}
    /// An initiator found force better than the table.
    fn on_force(&mut self, decision: &ForceDecision) {}
    /// A war was fought (its settlement already imposed if it was limited).
    fn on_war(&mut self, war: &WarRecord) {}
    /// An actor conceded.
    fn on_concession(&mut self, concession: &Concession) {}
    /// An actor's position moved (expected-utility model).
    fn on_shift(&mut self, shift: &Shift) {}
    /// One issue's first-pass risk exponents in a round (expected-utility model; before the
    /// round's shifts on that issue).
    fn on_risk(&mut self, risk: &RiskExponents<'_>) {}
    /// The run ended.
    fn on_end(&mut self, outcome: &RunOutcome) {}
    /// Whether to give the run up before its next round: a batch being stopped (Ctrl-C) asks
    /// this once per round, so a stop is seen within one round even on a model whose run takes
    /// seconds. An abandoned run ends at once as a deadlock in the round it reached; its outcome
    /// means nothing and the batch discards it.
    fn abandoned(&self) -> bool {
        false
    }
}

/// The observer that ignores everything (used in batches).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopObserver;

impl Observer for NoopObserver {}
