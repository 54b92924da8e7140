//! What an [`Observer`] sees of a run.

use super::RunOutcome;
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
    /// reservation utility and 1 (positive: lowered it).
    pub pressure: f64,
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

/// An initiator weighing force against the talks (reported when force looks better).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForceDecision {
    /// The round.
    pub round: u32,
    /// Who weighs it.
    pub initiator: usize,
    /// Its main opponent.
    pub target: usize,
    /// Probability its side wins.
    pub win_probability: f64,
    /// Expected value of force (after the cost).
    pub value: f64,
    /// Its current aspiration (what it expects from the talks).
    pub aspiration: f64,
    /// Whether it escalated.
    pub escalated: bool,
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

/// Sees a run step by step. Every hook has a no-op default.
///
/// Order within a round: [`on_round`](Observer::on_round), then
/// [`on_event`](Observer::on_event) for each event that fires, then
/// [`on_proposal`](Observer::on_proposal) and one [`on_response`](Observer::on_response) per
/// active actor (in actor order), then, if the round did not end the run,
/// [`on_force`](Observer::on_force) for each initiator to whom force looks better than the talks,
/// and [`on_concession`](Observer::on_concession) / [`on_shift`](Observer::on_shift) for each
/// actor that moves. The expected-utility model is the exception: its shifts, and the
/// concessions they amount to, come before the round's forecast. [`on_end`](Observer::on_end)
/// comes last.
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
    /// An initiator found force better than the talks.
    fn on_force(&mut self, decision: &ForceDecision) {}
    /// An actor conceded.
    fn on_concession(&mut self, concession: &Concession) {}
    /// An actor's position moved (expected-utility model).
    fn on_shift(&mut self, shift: &Shift) {}
    /// The run ended.
    fn on_end(&mut self, outcome: &RunOutcome) {}
}

/// The observer that ignores everything (used in batches).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopObserver;

impl Observer for NoopObserver {}
