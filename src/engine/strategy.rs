//! Concession and acceptance tactics: how an actor's aspiration moves over a run, what it
//! accepts, and what it offers.
//!
//! Every negotiating actor holds an **aspiration**: the utility it currently insists on, 1 at its
//! ideal point, never below its **floor** f = min(1, max(r, d)): its reservation utility r or its
//! value of breakdown d (the status quo, or the war a credible threat would bring: see
//! [`crate::engine::force`]), whichever is higher. It offers the point that gives it exactly its
//! aspiration ([`offer`], with logrolling across issues), accepts a proposal whose (perceived,
//! effective) utility reaches its threshold, and after a rejected round concedes by its strategy,
//! toward its floor.
//!
//! # Patience
//!
//! An agreement in round r is worth δ^(r − 1) of its utility (δ the actor's discount factor, 1
//! unless the protocol gives one). So a responder compares a proposal now with what waiting
//! brings, one round later: it accepts x in round r when
//!
//! ```text
//! U(x) ≥ θ(r) = max(f, δ · v(r))
//! ```
//!
//! v(r) being what it would hold out for next (its next aspiration; below, by strategy). This is
//! the responder's condition of Rubinstein (1982): accept when the offer is worth at least the
//! discounted value of continuing. A more patient actor (δ nearer 1) needs more.
//!
//! # Time-dependent tactics (Faratin, Sierra & Jennings 1998)
//!
//! After "Negotiation decision functions for autonomous agents", *Robotics and Autonomous
//! Systems* 24(3–4):159–182, 1998, §4.2.1, both families of time-dependent functions:
//!
//! ```text
//! polynomial    α(t) = κ + (1 − κ) · (min(t, T) / T)^(1/β)
//! exponential   α(t) = exp((1 − min(t, T) / T)^β · ln κ)  =  κ^((1 − min(t, T)/T)^β)
//! a(t) = 1 − α(t) · (1 − f)
//! ```
//!
//! In both, α(0) = κ, α(T) = 1, β < 1 is Boulware (holds out, concedes at the deadline), β > 1
//! Conceder; κ is the initial concession. With β = 1 the polynomial curve is a straight line and
//! the exponential one κ^(1 − t/T), which concedes less than the straight line before the deadline
//! (κ^(1−τ) ≤ κ + (1 − κ)τ: the exponential is convex in τ, so it lies below its chord). In both
//! families a larger β concedes more at every 0 < t < T. The exponential family needs κ > 0
//! (κ = 0 would hold at the ideal until the deadline whatever β; the scenario checks say so); the
//! polynomial family is the default (`family: Exponential` in a scenario picks the other).
//! Faratin's offer at time t gives the agent the score 1 − α(t) on its
//! [reservation, ideal] scale; with our utilities this is the aspiration a(t) above, because an
//! agent's floor f is its utility of its reservation value (the least it takes). The floor moves
//! when the world does (an event, a limited war), and the curve with it.
//!
//! **Rounds and time.** Faratin's agents move at integer times t = 0, 1, 2, …; the agent moving
//! at t first compares the offer it received with the offer it would make at t (accept if
//! V(received) ≥ V(own offer at t)), and otherwise counter-offers. We map round r = 1, 2, … of a
//! run to the pair of times (r − 1, r):
//!
//! - the proposer of round r offers at its aspiration a(r − 1) (the first offer is at t = 0);
//! - a responder in round r accepts if the proposal reaches a(r), the aspiration of the offer it
//!   would make next (Faratin's acceptance rule);
//! - T = the protocol's `max_rounds`, so in the last round responders accept anything worth their
//!   floor, and nobody acts after it (Faratin: withdraw only when t > T).
//!
//! So after a rejected round r every time-dependent actor's held aspiration becomes a(r). With
//! two principals under `RoundRobin` this reproduces Faratin's discrete protocol exactly (the
//! worked example in docs/theory.md §4: the buyer offers at t = 0, the seller answers at t = 1, …;
//! agreement in round r is Faratin's acceptance at time t = r).
//!
//! Each α(t) is worked out once per actor and tactic ([`concession`]) and then looked up
//! ([`Curves`]).
//!
//! # Tit for tat
//!
//! After Faratin et al.'s behaviour-dependent ("imitative") tactics, in its absolute form measured
//! in utility: after a rejected round, a `TitForTat` actor lowers its aspiration by the mean
//! concession the other active principals made in the previous round,
//!
//! ```text
//! a_i ← max(f_i, a_i − mean_{k ≠ i} Δ_k),    Δ_k = k's fall in aspiration in the round before
//! ```
//!
//! It starts at its ideal (a = 1) and answers at its held aspiration. Against other tit-for-tat
//! players nobody moves first, so nobody moves.
//!
//! # Hardliner
//!
//! Aspiration 1 for the whole run: it always offers its ideal point and accepts only proposals
//! worth its ideal (discounted by one round: δ); stakeholder pressure does not move it. Its
//! threat of force is as credible as anyone's: what decides escalation is the table, not its
//! aspiration ([`crate::engine::force`]).
//!
//! # Equilibrium
//!
//! Subgame-perfect play in the games with a known solution; see [`crate::model::games`] for the
//! games and the validation rule, and [`equilibrium`] for the offers and the acceptance rule.

// Index loops over the parallel actor × issue tables read better than zipped iterators.
#![allow(clippy::needless_range_loop)]

mod curves;
pub mod equilibrium;
pub mod offer;

pub use curves::Curves;

use super::{Observer, RunState};

use crate::model::{Family, Model, Strategy};

/// Concession coefficient α(t) = κ + (1 − κ)(min(t, T)/T)^(1/β) of Faratin et al. (1998)'s
/// polynomial family, for `t ≥ 0`, horizon `T > 0`, β > 0 and κ in [0, 1].
#[inline]
pub fn alpha(t: f64, horizon: f64, beta: f64, kappa: f64) -> f64 {
    let tau = (t.min(horizon) / horizon).max(0.0);
    let shape = if beta == 1.0 {
        tau
    } else {
        tau.powf(1.0 / beta)
    };
    kappa + (1.0 - kappa) * shape
}

/// Concession coefficient α(t) = exp((1 − min(t, T)/T)^β · ln κ) = κ^((1 − min(t, T)/T)^β) of
/// Faratin et al. (1998)'s exponential family, for `t ≥ 0`, horizon `T > 0`, β > 0 and κ in
/// [0, 1]. α(T) = 1 exactly; κ = 0 is the limit κ → 0 (α = 0 before the deadline).
#[inline]
pub fn alpha_exponential(t: f64, horizon: f64, beta: f64, kappa: f64) -> f64 {
    let tau = (t.min(horizon) / horizon).max(0.0);
    if tau >= 1.0 {
        return 1.0;
    }
    let rest = 1.0 - tau;
    let shape = if beta == 1.0 { rest } else { rest.powf(beta) };
    (shape * kappa.ln()).exp()
}

/// α(t) of the tactic's `family` ([`alpha`] or [`alpha_exponential`]).
#[inline]
pub fn concession(family: Family, t: f64, horizon: f64, beta: f64, kappa: f64) -> f64 {
    match family {
        Family::Polynomial => alpha(t, horizon, beta, kappa),
        Family::Exponential => alpha_exponential(t, horizon, beta, kappa),
    }
}

/// Aspiration a(t) = 1 − α(t)(1 − r) of a time-dependent tactic of the polynomial family
/// (module docs).
#[inline]
pub fn time_dependent_aspiration(
    t: f64,
    horizon: f64,
    beta: f64,
    kappa: f64,
    reservation: f64,
) -> f64 {
    1.0 - alpha(t, horizon, beta, kappa) * (1.0 - reservation)
}

/// The aspiration actor `a` holds when round 1 starts: a(0) for a time-dependent tactic, 1 (its
/// ideal) otherwise.
pub fn opening_aspiration(state: &RunState<'_>, a: usize) -> f64 {
    match state.model().actors[a].strategy {
        Strategy::TimeDependent { .. } => {
            state
                .curves()
                .aspiration(state.world(), a, 0, state.floor(a))
        }
        Strategy::TitForTat | Strategy::Hardliner | Strategy::Equilibrium => 1.0,
    }
}

/// The utility actor `a` needs to accept a proposal in `round` (before stakeholder pressure),
/// given the aspiration it `held` at the start of the round: what waiting would bring it,
/// discounted by one round, and never less than its floor (module docs),
///
/// ```text
/// θ_a(r) = max(f_a, δ_a · v_a(r))
/// ```
///
/// with v = a(round) for a time-dependent tactic (the aspiration of its next offer), the held
/// aspiration for tit for tat, 1 for a hardliner. Equilibrium thresholds come from
/// [`equilibrium::Plan`]; here they are the held aspiration.
pub fn answer_threshold(state: &RunState<'_>, a: usize, held: f64, round: u32) -> f64 {
    let floor = state.floor(a);
    let waiting = match state.model().actors[a].strategy {
        Strategy::TimeDependent { .. } => state.curves().aspiration(state.world(), a, round, floor),
        Strategy::TitForTat => held,
        Strategy::Equilibrium => return held,
        Strategy::Hardliner => 1.0,
    };
    floor.max(state.world().discount[a] * waiting)
}

/// The aspiration actor `a` holds after `round` was rejected, given the aspiration it `held`
/// during the round and the mean concession `others_last` of the other active principals in
/// the round before (module docs); never below its floor.
pub fn conceded_aspiration(
    state: &RunState<'_>,
    a: usize,
    held: f64,
    round: u32,
    others_last: f64,
) -> f64 {
    let floor = state.floor(a);
    match state.model().actors[a].strategy {
        Strategy::TimeDependent { .. } => state.curves().aspiration(state.world(), a, round, floor),
        Strategy::TitForTat => (held - others_last.max(0.0)).max(floor),
        Strategy::Hardliner => 1.0,
        Strategy::Equilibrium => held,
    }
}

/// The lowest aspiration actor `a` will offer at before the deadline, as far as its strategy
/// tells: its floor for a time-dependent tactic (a(T) = f), its ideal (1) for a hardliner, and
/// what it holds now for tit for tat (which moves only when others do) and equilibrium play.
pub fn final_aspiration(state: &RunState<'_>, a: usize) -> f64 {
    match state.model().actors[a].strategy {
        Strategy::TimeDependent { .. } => state.floor(a),
        Strategy::Hardliner => 1.0,
        Strategy::TitForTat | Strategy::Equilibrium => state.aspiration(a),
    }
}

/// After a rejected round, every actor at the table that is not a mediator concedes by its
/// strategy (module docs), all at once; tit-for-tat players see the mean concession of the
/// other principals at the table in the round before.
pub fn concede_all(state: &mut RunState<'_>, observer: &mut impl Observer) {
    let mut sum = 0.0;
    let mut count = 0usize;
    for &p in state.principals() {
        if state.is_active(p) {
            sum += state.last_concession(p);
            count += 1;
        }
    }
    for a in 0..state.world().n_actors {
        if !state.negotiates(a) {
            continue;
        }
        let (others_sum, others) = if state.is_principal(a) {
            (sum - state.last_concession(a), count.saturating_sub(1))
        } else {
            (sum, count)
        };
        let others_last = if others > 0 {
            others_sum / others as f64
        } else {
            0.0
        };
        let next = conceded_aspiration(state, a, state.aspiration(a), state.round(), others_last);
        state.plan_concession(a, next);
    }
    state.commit_concessions(observer);
}

/// Whether stakeholder pressure moves this actor's threshold (not for hardliners and
/// equilibrium players, whose thresholds are fixed by their strategy).
pub fn feels_pressure(model: &Model, a: usize) -> bool {
    !matches!(
        model.actors[a].strategy,
        Strategy::Hardliner | Strategy::Equilibrium
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_runs_from_kappa_to_one() {
        assert_eq!(alpha(0.0, 6.0, 1.0, 0.0), 0.0);
        assert_eq!(alpha(6.0, 6.0, 1.0, 0.0), 1.0);
        assert_eq!(alpha(9.0, 6.0, 0.5, 0.2), 1.0);
        assert!((alpha(0.0, 6.0, 2.0, 0.1) - 0.1).abs() < 1e-15);
        assert!((alpha(3.0, 6.0, 1.0, 0.0) - 0.5).abs() < 1e-15);
        // Boulware concedes less than linear before the deadline, Conceder more.
        assert!(alpha(3.0, 6.0, 0.5, 0.0) < 0.5);
        assert!(alpha(3.0, 6.0, 2.0, 0.0) > 0.5);
    }

    #[test]
    fn exponential_alpha_is_its_closed_form() {
        // α(0) = κ and α(T) = 1 for every β.
        for beta in [0.2, 1.0, 3.0] {
            for kappa in [0.01, 0.25, 0.9] {
                assert!((alpha_exponential(0.0, 8.0, beta, kappa) - kappa).abs() < 1e-15);
                assert_eq!(alpha_exponential(8.0, 8.0, beta, kappa), 1.0);
                assert_eq!(alpha_exponential(11.0, 8.0, beta, kappa), 1.0);
            }
        }
        // Halfway, κ = 1/4: β = 1 gives κ^(1/2) = 1/2, β = 2 gives κ^(1/4) = 1/√2, β = 1/2
        // gives κ^(1/√2) = 2^(−√2).
        assert!((alpha_exponential(4.0, 8.0, 1.0, 0.25) - 0.5).abs() < 1e-15);
        assert!((alpha_exponential(4.0, 8.0, 2.0, 0.25) - 0.5f64.sqrt()).abs() < 1e-15);
        let want = 2f64.powf(-(2f64.sqrt()));
        assert!((alpha_exponential(4.0, 8.0, 0.5, 0.25) - want).abs() < 1e-15);
        // A quarter of the way, β = 1, κ = 0.1: 0.1^(3/4).
        assert!((alpha_exponential(2.0, 8.0, 1.0, 0.1) - 0.1f64.powf(0.75)).abs() < 1e-15);
        // κ = 0 is the limit: nothing before the deadline, everything at it.
        assert_eq!(alpha_exponential(7.9, 8.0, 0.5, 0.0), 0.0);
        assert_eq!(alpha_exponential(8.0, 8.0, 0.5, 0.0), 1.0);
    }

    #[test]
    fn exponential_boulware_holds_out_and_conceder_gives_way() {
        // At every 0 < t < T a larger β concedes more (Boulware < β = 1 < Conceder), each curve
        // rises with t, and with β = 1 the exponential curve lies below the polynomial (linear)
        // one: κ^(1 − τ) is convex in τ.
        let (horizon, kappa) = (20.0, 0.1);
        for t in 1..20 {
            let t = f64::from(t);
            let boulware = alpha_exponential(t, horizon, 0.4, kappa);
            let steady = alpha_exponential(t, horizon, 1.0, kappa);
            let conceder = alpha_exponential(t, horizon, 2.5, kappa);
            assert!(kappa < boulware && boulware < steady && steady < conceder && conceder < 1.0);
            assert!(alpha_exponential(t - 1.0, horizon, 0.4, kappa) < boulware);
            assert!(steady < alpha(t, horizon, 1.0, kappa));
            assert_eq!(
                concession(Family::Exponential, t, horizon, 0.4, kappa),
                boulware
            );
            assert_eq!(
                concession(Family::Polynomial, t, horizon, 0.4, kappa),
                alpha(t, horizon, 0.4, kappa)
            );
        }
    }

    #[test]
    fn aspiration_ends_at_reservation() {
        let a = time_dependent_aspiration(10.0, 10.0, 0.3, 0.0, 0.4);
        assert!((a - 0.4).abs() < 1e-15);
        assert_eq!(time_dependent_aspiration(0.0, 10.0, 0.3, 0.0, 0.4), 1.0);
    }
}
