//! Force: when an actor turns from the table to war, who joins it, who wins, and what is imposed.
//!
//! The model is the expected-utility calculus of war of Bueno de Mesquita (*The War Trap*, 1981:
//! an actor fights when the expected utility of war exceeds that of the alternative, with the
//! probability of winning given by the capabilities of the sides, third parties joining by their
//! regard for the belligerents) combined with the costly-war bargaining model of Fearon
//! ("Rationalist explanations for war", *International Organization* 49(3), 1995: war is a
//! lottery over imposed settlements, minus a cost both sides pay).
//!
//! # Sides
//!
//! Initiator i picks as its **target** t the active principal it regards least (the lowest
//! relation ρ_it; ties to the first in file order). Every other active actor k that is not a
//! mediator (mediators stay out) leans by its regard for the two,
//!
//! ```text
//! ω_k = clamp(ρ_ki − ρ_kt, −1, 1) · min(1, mean_j s_kj)
//! ```
//!
//! joining i's side with weight ω_k if ω_k > 0 and t's side with weight |ω_k| if ω_k < 0 (allies
//! join by the strength of their ties and how much the dispute matters to them). The leaders
//! have weight 1. Side capability is C = Σ_{k ∈ side} c_k ω_k, and i's side wins with
//! probability p = C_i / (C_i + C_t).
//!
//! # Imposed settlements and costs
//!
//! If a side wins, the settlement moves from the status quo q toward the side's position by the
//! scenario's `imposition` φ:
//!
//! ```text
//! x_j = q_j + φ (P_j − q_j),   P_j = Σ_{k ∈ side} c_k ω_k s_kj p_kj / Σ_{k ∈ side} c_k ω_k s_kj
//! ```
//!
//! (P_j = q_j where nobody on the side cares about j), then put on options and inside the pie.
//! Every member of both sides pays the cost γ scaled by its weight (leaders pay γ in full).
//!
//! # Escalation
//!
//! After each rejected round, each initiator at the table (in the scenario's order) computes the
//! expected value of force
//!
//! ```text
//! EV_i = p · u_i(x_win) + (1 − p) · u_i(x_lose) − γ
//! ```
//!
//! with its own utilities, and if EV_i exceeds its current aspiration it escalates with the
//! scenario's probability per round (`propensity`), one draw from its slot of the round in the
//! run's force stream (see [`crate::rng`]). The first to escalate starts the war: its second
//! slot of the round decides the winner, and the run ends in `Conflict`.

use super::observe::{ForceDecision, Observer};
use super::state::RunState;
use super::strategy::offer::fit_point;
use crate::model::Role;
use crate::model::own_utility;

/// Scratch for force, allocated once per run.
#[derive(Debug, Clone)]
pub struct ForceScratch {
    /// Each actor's weight on a side: > 0 the initiator's, < 0 the target's.
    pub join: Vec<f64>,
    /// The settlement if the initiator's side wins.
    pub win: Vec<f64>,
    /// The settlement if the target's side wins.
    pub lose: Vec<f64>,
    /// Per initiator: (world version + 1, target, win probability, expected value of force);
    /// version 0 means not computed. Force depends only on the world, which changes only when
    /// events fire.
    cache: Vec<(u64, usize, f64, f64)>,
}

impl ForceScratch {
    /// Buffers for `n` actors and `m` issues.
    pub fn new(n: usize, m: usize) -> Self {
        ForceScratch {
            join: vec![0.0; n],
            win: vec![0.0; m],
            lose: vec![0.0; m],
            cache: vec![(0, 0, 0.0, 0.0); n],
        }
    }
}

/// A war that broke out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct War {
    /// Who escalated.
    pub initiator: usize,
    /// Its target.
    pub target: usize,
    /// Whether the initiator's side won.
    pub initiator_won: bool,
}

/// Checks every initiator after a rejected round; returns the war if one broke out (the
/// imposed settlement is then in `scratch.win` or `scratch.lose`, and `scratch.join` holds the
/// sides).
pub fn check_force(
    state: &mut RunState<'_>,
    scratch: &mut ForceScratch,
    observer: &mut impl Observer,
) -> Option<War> {
    let model = state.model();
    let escalation = model.escalation.as_ref()?;
    for &i in &escalation.initiators {
        if !state.is_active(i) {
            continue;
        }
        let (target, p, value) = match scratch.cache[i] {
            (v, target, p, value) if v == state.version() + 1 => (target, p, value),
            _ => {
                let Some(target) = pick_target(state, i) else {
                    continue;
                };
                let p = prepare_war(state, scratch, i, target);
                let w = state.world();
                let value = p * own_utility(w, i, &scratch.win)
                    + (1.0 - p) * own_utility(w, i, &scratch.lose)
                    - w.war_cost;
                scratch.cache[i] = (state.version() + 1, target, p, value);
                (target, p, value)
            }
        };
        let aspiration = state.aspiration(i);
        if value <= aspiration {
            continue;
        }
        let round = state.round();
        let propensity = state.world().propensity;
        let escalated = state
            .force_stream()
            .bernoulli(round, 2 * i as u64, propensity);
        observer.on_force(&ForceDecision {
            round: state.round(),
            initiator: i,
            target,
            win_probability: p,
            value,
            aspiration,
            escalated,
        });
        if escalated {
            // The sides and settlements of this war (the scratch may hold another initiator's).
            prepare_war(state, scratch, i, target);
            let initiator_won = state.force_stream().bernoulli(round, 2 * i as u64 + 1, p);
            return Some(War {
                initiator: i,
                target,
                initiator_won,
            });
        }
    }
    None
}

/// Forms the sides of a war of `i` on `target` and both imposed settlements into the scratch;
/// returns the initiator side's win probability.
fn prepare_war(state: &RunState<'_>, scratch: &mut ForceScratch, i: usize, target: usize) -> f64 {
    let p = form_sides(state, i, target, &mut scratch.join);
    impose(state, &scratch.join, 1.0, &mut scratch.win);
    impose(state, &scratch.join, -1.0, &mut scratch.lose);
    p
}

/// The active principal `i` regards least.
fn pick_target(state: &RunState<'_>, i: usize) -> Option<usize> {
    let mut best: Option<usize> = None;
    for &t in state.principals() {
        if t == i || !state.is_active(t) {
            continue;
        }
        if best.is_none_or(|b| state.world().relation(i, t) < state.world().relation(i, b)) {
            best = Some(t);
        }
    }
    best
}

/// Fills `join` with each actor's side weight; returns the initiator side's win probability.
fn form_sides(state: &RunState<'_>, i: usize, t: usize, join: &mut [f64]) -> f64 {
    let w = state.world();
    let m = w.n_issues;
    let mut side_i = 0.0;
    let mut side_t = 0.0;
    for k in 0..w.n_actors {
        join[k] = if k == i {
            1.0
        } else if k == t {
            -1.0
        } else if !w.active[k] || state.model().actors[k].role == Role::Mediator {
            0.0
        } else {
            let lean = (w.relation(k, i) - w.relation(k, t)).clamp(-1.0, 1.0);
            let mut sal = 0.0;
            for j in 0..m {
                sal += w.salience(k, j);
            }
            let care = if m > 0 {
                (sal / m as f64).min(1.0)
            } else {
                0.0
            };
            lean * care
        };
        if join[k] > 0.0 {
            side_i += w.capability[k] * join[k];
        } else if join[k] < 0.0 {
            side_t += w.capability[k] * -join[k];
        }
    }
    side_i / (side_i + side_t)
}

/// The settlement imposed if the side of sign `sign` (1: the initiator's) wins.
fn impose(state: &RunState<'_>, join: &[f64], sign: f64, out: &mut [f64]) {
    let w = state.world();
    for j in 0..w.n_issues {
        let mut num = 0.0;
        let mut den = 0.0;
        for k in 0..w.n_actors {
            let weight = join[k] * sign;
            if weight > 0.0 {
                let c = w.capability[k] * weight * w.salience(k, j);
                num += c * w.position(k, j);
                den += c;
            }
        }
        let q = w.status_quo[j];
        let goal = if den > 0.0 { num / den } else { q };
        out[j] = q + w.imposition * (goal - q);
    }
    fit_point(state.model(), out);
}

/// The cost of war actor `k` pays, given the sides in `join`.
#[inline]
pub fn war_cost(state: &RunState<'_>, join: &[f64], k: usize) -> f64 {
    state.world().war_cost * join[k].abs()
}
