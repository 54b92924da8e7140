//! One run of a negotiation: rounds, events, proposals, answers, concessions, force.
//!
//! [`simulate_run`] plays one run of a validated [`Model`] from the run's own generator and
//! returns a [`RunOutcome`]; an [`Observer`] sees every step (the teaching trace implements it,
//! batches use [`NoopObserver`]). Many runs of one model are played on a [`Simulator`], which
//! sets each run up in the memory of the last (the same runs, without allocating per run or per
//! round).
//!
//! # A run
//!
//! 1. The run's world is drawn: `model.sample(rng)` ([`crate::model`], keyed sampling). Each
//!    other kind of draw comes from its own sub-stream of the run's generator
//!    ([`crate::rng::Purpose`]: recognition, perception, events, force, engine), keyed by round
//!    and slot ([`crate::rng::RoundStream`]), so a change in whether or how many numbers one
//!    purpose, actor or event draws disturbs no other. The status quo is put on options and
//!    inside the pie ([`crate::engine::strategy::offer::fit_point`]).
//! 2. What breakdown would mean is worked out ([`force`]): every actor's value of breakdown (the
//!    status quo, or the war a credible threat would bring) and so its floor, the least it
//!    accepts or offers; every actor starts at its opening aspiration, on the way from its ideal
//!    down to its floor ([`crate::engine::strategy`]).
//! 3. Rounds r = 1 ..= `max_rounds`, each:
//!    1. events due fire ([`events`]); if the world changed, breakdown is worked out again;
//!    2. the protocol tables a proposal ([`crate::engine::protocol`]); issues decided by force
//!       stay at the status quo in it;
//!    3. every active actor but the proposer and the mediators evaluates it (perception below);
//!       stakeholders approve or oppose (better or worse than the status quo for them), and
//!       principals accept or reject against their thresholds after stakeholder pressure;
//!    4. if the acceptance rule holds, the run ends in **Agreement** on the proposal;
//!    5. otherwise, if the protocol has mediators at the table, they table a text, evaluated and
//!       answered the same way; if it carries, **Agreement** on it;
//!    6. otherwise each initiator weighs its war against what the talks still offer it
//!       ([`force`]). A war over every issue ends the run in **Conflict**; a limited war imposes
//!       its settlement on the issues force can decide, which becomes the status quo, and the
//!       talks go on;
//!    7. the protocol amends and the actors concede by their strategies.
//! 4. When the talks end without agreement (after the last round, or when the protocol stops),
//!    breakdown is carried out: the initiator of a credible threat goes to war (**Conflict**);
//!    without one the status quo holds (**Deadlock**).
//!
//! # Perception
//!
//! An actor's evaluation of a proposal x is its effective utility
//! ([`crate::model::effective_utility`]) plus noise: Ũ_i(x) = U_i(x) + σ·z_i, z_i ~ Normal(0, 1),
//! one draw per evaluating actor from its slot of the round in the perception stream (the
//! mediators' text from slots of its own), σ = the scenario's `perception_noise` (no draw when
//! σ = 0). Equilibrium players evaluate by their own utility u_i (the game's payoffs).
//!
//! # Acceptance
//!
//! Principal i accepts if Ũ_i(x) ≥ θ_i − 10⁻¹² (ties accept, as Rubinstein's responders do), θ_i
//! being its strategy's threshold (never below its floor, and discounted for patience:
//! [`crate::engine::strategy`]) after stakeholder pressure. A principal proposer counts as
//! accepting its own proposal. `Unanimous` needs every principal at the table; `Quota(k)` needs
//! min(k, principals at the table) of them. No agreement without a principal at the table. A
//! proposal that a principal's yes would have carried counts toward what the table offers it
//! ([`RunState::table_value`]).
//!
//! # Stakeholder pressure
//!
//! Stakeholders do not vote; they lean on the principals who regard them as allies. Stakeholder
//! k's approval of x is g_k = Ũ_k(x) − U_k(e): its perceived gain over what it could otherwise
//! expect from the talks, e being the expected settlement, the capability × salience weighted
//! mean of the principals' ideal points (the compromise model of Achen 2006, Bueno de Mesquita's
//! "mean voter"). Principal i's threshold for x is its strategy's threshold θ⁰_i lowered by
//!
//! ```text
//! π_i = Σ_{k stakeholder, ρ_ik > 0} ρ_ik · c_k / Σ_{l ≠ i at the table} c_l · σ_k(x) · g_k
//! σ_k(x) = min(1, Σ_j s_kj |x_j − q_j| / Σ_j |x_j − q_j|)
//! θ_i = clamp(θ⁰_i − π_i, min(f_i, θ⁰_i), max(1, θ⁰_i))
//! ```
//!
//! with ρ_ik i's regard for k, c capabilities, σ_k(x) the stakeholder's salience on the issues the
//! proposal changes, f_i i's floor. An ally that approves lowers the threshold, one that
//! disapproves raises it, in proportion to how much i values the tie, the ally's share of the
//! capability of everyone else at the table, and how much the ally cares about what the
//! proposal changes. Measured against the expected settlement, not the status quo, an ally
//! pushes its partner to hold out for more than the talks would give it and to take a better
//! deal, instead of easing every deal that beats a status quo it dislikes; and since the weight
//! does not shrink with i's own capability, a stronger principal loses no ally's help. (After
//! two-level games, Putnam 1988, and the "influence" of allies in Bueno de Mesquita's
//! expected-utility model; the functional form is ours.) Pressure applies to the current proposal
//! only; it does not move hardliners or equilibrium players.
//!
//! # The outcome
//!
//! [`RunOutcome`]: kind, round, settlement (on options, inside the pie), each actor's own utility
//! of the settlement less the cost of every war it fought, each actor's total concession (1
//! minus the lowest aspiration it held; 0 for mediators), every war (round, sides, winner, what
//! it imposed), and the events that fired.

// Index loops over the parallel actor × issue tables read better than zipped iterators.
#![allow(clippy::needless_range_loop)]

pub mod events;
pub mod force;
mod observe;
mod outcome;
pub mod protocol;
mod simulator;
mod state;
pub mod strategy;
#[cfg(test)]
pub(crate) mod testing;

pub use force::{ForceScratch, War};
pub use observe::{
    Answer, Breakdown, Concession, ForceDecision, NoopObserver, Observer, Proposal, ProposalKind,
    Response, RiskExponents, Shift,
};
pub use outcome::{IssueForecast, OutcomeKind, RunOutcome, WarRecord};
pub use simulator::Simulator;
pub use state::{ACCEPT_TOLERANCE, Evaluation, RunState};

use crate::model::{Acceptance, Model, Role, own_utility};
use crate::rng::SimRng;
use protocol::Procedure;

/// Plays one run of `model` with the run's generator `rng` (see [`crate::rng`]).
///
/// Infallible on a validated model. This sets up everything a run needs for this one run; to
/// play many runs of one model, keep a [`Simulator`], which reuses it all.
pub fn simulate_run(model: &Model, rng: &mut SimRng, observer: &mut impl Observer) -> RunOutcome {
    let mut simulator = Simulator::new(model);
    simulator.run(rng, observer);
    simulator.into_outcome()
}

/// The buffers of the round loop, reused from run to run.
#[derive(Debug, Clone)]
struct RoundScratch {
    /// The proposal of the round.
    point: Vec<f64>,
    /// The mediators' text of the round.
    text: Vec<f64>,
    /// Force.
    force: ForceScratch,
}

/// The round loop (module docs); writes the run's outcome, with the protocol's forecasts, into
/// `out`, then tells the observer.
fn play(
    state: &mut RunState<'_>,
    protocol: &mut impl Procedure,
    observer: &mut impl Observer,
    scratch: &mut RoundScratch,
    out: &mut RunOutcome,
) {
    rounds(state, protocol, observer, scratch, out);
    protocol.forecasts(&mut out.forecasts);
    observer.on_end(out);
}

/// The rounds of [`play`], up to the outcome.
fn rounds(
    state: &mut RunState<'_>,
    protocol: &mut impl Procedure,
    observer: &mut impl Observer,
    scratch: &mut RoundScratch,
    out: &mut RunOutcome,
) {
    let RoundScratch { point, text, force } = scratch;
    for round in 1..=state.horizon() {
        if observer.abandoned() {
            return finish(state, OutcomeKind::Deadlock, point, out);
        }
        state.begin_round(round);
        observer.on_round(round, state.world(), state.aspirations());
        events::fire_events(state, observer);
        assess(state, force, observer);
        if let Some(tabled) = protocol.propose(state, point, observer) {
            state.freeze(point);
            observer.on_proposal(&Proposal {
                round,
                proposer: tabled.proposer,
                kind: tabled.kind,
                point,
                vote: tabled.vote,
                mediator_text: false,
            });
            if tabled.vote {
                let text_follows = protocol.mediates(state);
                state.evaluate(point, tabled.proposer, Evaluation::Offer { text_follows });
                if answer(state, protocol, tabled.proposer, false, observer) {
                    return finish(state, OutcomeKind::Agreement, point, out);
                }
                // The mediators' text, after the offer: an extra chance of agreement that
                // changes nothing else in the round.
                if let Some(mediator) = protocol.mediate(state, text) {
                    state.freeze(text);
                    observer.on_proposal(&Proposal {
                        round,
                        proposer: Some(mediator),
                        kind: ProposalKind::Text,
                        point: text,
                        vote: true,
                        mediator_text: true,
                    });
                    state.evaluate(text, Some(mediator), Evaluation::MediatorText);
                    if answer(state, protocol, Some(mediator), true, observer) {
                        return finish(state, OutcomeKind::Agreement, text, out);
                    }
                }
            }
            if tabled.last {
                return end_talks(state, force, point, observer, out);
            }
        }
        if let Some(war) = force::check_escalation(state, force, observer) {
            state.pay(force::costs(force));
            force::record(state.round(), force, &war, state.new_war());
            if war.total {
                observer.on_war(last_war(state));
                let settlement = force::settlement(force, &war);
                return finish(state, OutcomeKind::Conflict, settlement, out);
            }
            force::carry_out(state, force, &war);
            observer.on_war(last_war(state));
            assess(state, force, observer);
        }
        protocol.rejected(state, point, observer);
    }
    end_talks(state, force, point, observer, out);
}

/// The last war of the run.
fn last_war<'a>(state: &'a RunState<'_>) -> &'a WarRecord {
    state.wars().last().expect("a war was just recorded")
}

/// Works out what breakdown means (if the world changed) and tells the observer.
pub(crate) fn assess(
    state: &mut RunState<'_>,
    force: &mut ForceScratch,
    observer: &mut impl Observer,
) {
    if force::assess(state, force) {
        observer.on_breakdown(&Breakdown {
            round: state.round(),
            threat: force::threat(state, force),
            values: state.breakdowns(),
            floors: state.floors(),
        });
    }
}

/// The talks ended without agreement: breakdown is carried out, the war of a credible threat
/// ([`force`]), or else the status quo holds.
fn end_talks(
    state: &mut RunState<'_>,
    force: &mut ForceScratch,
    point: &mut [f64],
    observer: &mut impl Observer,
    out: &mut RunOutcome,
) {
    if let Some(war) = force::breakdown_war(state, force) {
        state.pay(force::costs(force));
        force::record(state.round(), force, &war, state.new_war());
        observer.on_war(last_war(state));
        let settlement = force::settlement(force, &war);
        return finish(state, OutcomeKind::Conflict, settlement, out);
    }
    point.copy_from_slice(&state.world().status_quo);
    finish(state, OutcomeKind::Deadlock, point, out);
}

/// Every active actor answers the proposal just evaluated; returns whether the acceptance rule
/// holds (module docs).
fn answer(
    state: &mut RunState<'_>,
    protocol: &impl Procedure,
    proposer: Option<usize>,
    mediator_text: bool,
    observer: &mut impl Observer,
) -> bool {
    let n = state.world().n_actors;
    let mut at_table = 0usize;
    let mut accepting = 0usize;
    for a in 0..n {
        // Mediators table texts; they do not answer proposals.
        if !state.is_active(a) || state.model().actors[a].role == Role::Mediator {
            continue;
        }
        let principal = state.is_principal(a);
        let perceived = state.perceived(a);
        let (threshold, pressure, answer) = if Some(a) == proposer {
            (state.aspiration(a), 0.0, Answer::Proposed)
        } else if principal {
            let base = protocol.threshold(state, a);
            let pressure = if base.pressure {
                state.pressure(a)
            } else {
                0.0
            };
            let lo = state.floor(a).min(base.value);
            let hi = base.value.max(1.0);
            let threshold = (base.value - pressure).clamp(lo, hi);
            let pressure = base.value - threshold;
            let accepts = perceived >= threshold - ACCEPT_TOLERANCE;
            let answer = if accepts {
                Answer::Accept
            } else {
                Answer::Reject
            };
            (threshold, pressure, answer)
        } else {
            let status_quo = state.status_quo_utility(a);
            let answer = if perceived >= status_quo {
                Answer::Approve
            } else {
                Answer::Oppose
            };
            (status_quo, 0.0, answer)
        };
        if principal {
            at_table += 1;
            if answer.accepts() {
                accepting += 1;
            }
        }
        state.set_answer(a, answer);
        observer.on_response(&Response {
            round: state.round(),
            actor: a,
            utility: perceived,
            threshold,
            pressure,
            floor: state.floor(a),
            mediator_text,
            answer,
        });
    }
    let needed = match protocol.acceptance() {
        Acceptance::Unanimous => at_table,
        Acceptance::Quota(k) => (k as usize).min(at_table),
    };
    // What the table offers each principal that said no: a proposal its yes would have carried.
    if accepting + 1 >= needed {
        for p in 0..state.principals().len() {
            let i = state.principals()[p];
            if state.answer(i) == Some(Answer::Reject) {
                state.offered(i);
            }
        }
    }
    at_table > 0 && accepting >= needed
}

/// Writes the outcome into `out` (reusing its memory) and tells the observer.
fn finish(state: &mut RunState<'_>, kind: OutcomeKind, settlement: &[f64], out: &mut RunOutcome) {
    let n = state.world().n_actors;
    out.kind = kind;
    out.round = state.round().max(1);
    out.settlement.clear();
    out.settlement.extend_from_slice(settlement);
    out.utility.clear();
    out.concession.clear();
    for a in 0..n {
        out.utility
            .push(own_utility(state.world(), a, settlement) - state.war_cost(a));
        out.concession
            .push(if state.model().actors[a].role == Role::Mediator {
                0.0
            } else {
                (1.0 - state.lowest_aspiration(a)).max(0.0)
            });
    }
    state.copy_wars_into(&mut out.wars);
    out.events.clear();
    out.events.extend_from_slice(state.events_fired());
    out.reservation.clone_from(&state.world().reservation);
}
