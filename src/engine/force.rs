//! Force: the shadow it casts on the table, and the wars it starts.
//!
//! Talks go on in the shadow of power (Powell 1999, *In the Shadow of Power*): every actor knows
//! what breakdown would mean for it, and a credible threat of force moves the bargain before any
//! shot is fired. War is a costly lottery over imposed settlements (Fearon 1995, "Rationalist
//! explanations for war", *International Organization* 49(3)): the sides' capabilities set the
//! odds, the winners impose their positions, both sides pay. Who joins whom follows the
//! expected-utility calculus of Bueno de Mesquita (*The War Trap*, 1981): third parties join by
//! their regard for the belligerents.
//!
//! # Sides and odds
//!
//! Initiator i picks as its **target** t the active principal it regards least (the lowest
//! relation ρ_it; ties to the first in file order). Every other active actor k that is not a
//! mediator (mediators stay out) leans by its regard for the two,
//!
//! ```text
//! ω_k = clamp(ρ_ki − ρ_kt, −1, 1) · min(1, mean_j s_kj)
//! ```
//!
//! joining i's side with weight ω_k if ω_k > 0 and t's side with weight |ω_k| if ω_k < 0. The
//! leaders have weight 1. Side capability is C = Σ_{k ∈ side} c_k ω_k, and i's side wins with
//! probability p = C_i / (C_i + C_t).
//!
//! # What a war imposes
//!
//! The escalation block may name the issues force can decide (`issues`: the ground an initiator
//! can seize; every issue by default). If a side wins, the settlement of each such issue j moves
//! from the status quo q toward the side's position by the scenario's `imposition` φ,
//!
//! ```text
//! x_j = q_j + φ (P_j − q_j),   P_j = Σ_{k ∈ side} c_k ω_k s_kj p_kj / Σ_{k ∈ side} c_k ω_k s_kj
//! ```
//!
//! (P_j = q_j where nobody on the side cares about j), the other issues stay at the status quo,
//! and the point is put on options and inside the pie. Every member of both sides pays the cost
//! γ scaled by its weight (leaders pay γ in full). A war over every issue ends the talks
//! (**Conflict**); a **limited war** is a fait accompli: its settlement becomes the new status
//! quo, the issues it decided are settled (later proposals keep them there), and talks go on
//! over the rest.
//!
//! # Misperception
//!
//! Actor k judges the odds with its own `optimism` o_k (Blainey 1973, *The Causes of War*;
//! Fearon 1995): a member of the initiator's side believes its side wins with probability
//! clamp(p + o_k, 0, 1), a member of the target's side believes the initiator wins with
//! 1 − clamp(1 − p + o_k, 0, 1), and a bystander sees p. Only beliefs are biased: the dice of war
//! roll with the true p. Mutual optimism can empty the bargaining range: both sides expect more
//! from fighting than the other will concede.
//!
//! # The value of war and of breakdown
//!
//! Actor k's value of initiator i's war is its expected effective utility of the lottery, less
//! its cost,
//!
//! ```text
//! W_k = p̃_k U_k(x_win) + (1 − p̃_k) U_k(x_lose) − γ |ω_k|
//! ```
//!
//! (U the effective utility of [`crate::model::effective_utility`], p̃_k the probability k
//! believes the initiator wins). Without a war, failed talks are worth b_k: the status quo,
//! U_k(q), or, where the scenario says breakdown leaves only the outside option
//! (`disagreement: Reservation`), the reservation utility r_k. A threat is **credible** when the
//! initiator values its war above that, W_i > b_i. If some initiator's threat is credible,
//! breakdown means the war of the one that gains most from it (W_i − b_i, ties to the first in
//! the scenario's order), and every actor's **value of breakdown** is its W_k of that war;
//! otherwise it is b_k. An actor never accepts, and never offers, less than its value of
//! breakdown or its reservation utility (its floor: Binmore, Rubinstein & Wolinsky 1986 on
//! outside options), and its aspiration falls toward that floor ([`crate::engine::strategy`]).
//! So a strong actor's credible threat lowers its opponents' floors and they concede more; a
//! threat that is not credible changes nothing. The values are worked out again whenever the
//! world changes (at the start of a run, after events and wars).
//!
//! # Escalation
//!
//! After each rejected round, each initiator at the table (in the scenario's order) weighs its
//! war against what negotiating still offers it:
//!
//! ```text
//! N_i = max( T_i,  δ_i^(T − r) · U_i(o_t) )
//! ```
//!
//! T_i being what the table offers it now: the best proposal its yes would have carried since
//! the world last changed, and at least what failed talks would leave it without a war
//! ([`RunState::table_value`]); and the second term its expected value of going on: its target's
//! last offer o_t, the most the target will concede before the deadline T (at its floor for a
//! time-dependent tactic, whose aspiration falls there; at its ideal for a hardliner; at what
//! it holds now for tit for tat: [`crate::engine::strategy::final_aspiration`]), worth
//! δ_i^(T − r) now in round r. If W_i > N_i it
//! escalates with the scenario's probability per round (`propensity`), one draw from its slot of
//! the round in the run's force stream (see [`crate::rng`]); its second slot decides the
//! winner, with the true odds. So with accurate beliefs and patience a credible threat is
//! carried out only when the talks fail: a bargain both prefer to a costly war exists (Fearon
//! 1995), and the target's floor already concedes it. Wars before the deadline come from
//! impatience (δ < 1), from optimism that empties the bargaining range, or from a target whose
//! floor (its reservation utility) is above its value of the war. When
//! the talks end without agreement (the deadline, or a protocol that stops), breakdown is
//! carried out: the initiator of a credible threat goes to war (its second slot of the last
//! round decides the winner).

use super::observe::{ForceDecision, Observer};
use super::outcome::WarRecord;
use super::state::RunState;
use super::strategy::offer::fit_point;
use crate::model::{Role, effective_utility};

/// One initiator's war as it looked when the world last changed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Plan {
    /// Its target, if there is a principal to attack.
    target: Option<usize>,
    /// The true probability that the initiator's side wins.
    odds: f64,
    /// The probability the initiator believes its side wins.
    believed: f64,
    /// The initiator's value of its war, W_i.
    value: f64,
}

/// Scratch for force, allocated once per run.
#[derive(Debug, Clone)]
pub struct ForceScratch {
    /// Each actor's weight on a side: > 0 the initiator's, < 0 the target's.
    join: Vec<f64>,
    /// The settlement if the initiator's side wins.
    win: Vec<f64>,
    /// The settlement if the target's side wins.
    lose: Vec<f64>,
    /// Own utilities of `win` and of `lose`, per actor.
    own_win: Vec<f64>,
    own_lose: Vec<f64>,
    /// Each actor's value of breakdown.
    breakdown: Vec<f64>,
    /// Each actor's cost of the war being fought.
    cost: Vec<f64>,
    /// The true odds of the war in the scratch.
    odds: f64,
    /// The initiator whose war is in the scratch (for the world version of the plans).
    planned: Option<usize>,
    /// The target's offer at its floor, and every actor's own utility of it.
    final_offer: Vec<f64>,
    own_final: Vec<f64>,
    /// Per initiator (in the scenario's order): its war.
    plans: Vec<Plan>,
    /// The world version the plans are of, plus one (0: none yet).
    version: u64,
}

impl ForceScratch {
    /// Buffers for `n` actors and `m` issues.
    pub fn new(n: usize, m: usize) -> Self {
        ForceScratch {
            join: vec![0.0; n],
            win: vec![0.0; m],
            lose: vec![0.0; m],
            own_win: vec![0.0; n],
            own_lose: vec![0.0; n],
            breakdown: vec![0.0; n],
            cost: vec![0.0; n],
            odds: 0.0,
            planned: None,
            final_offer: vec![0.0; m],
            own_final: vec![0.0; n],
            plans: Vec::with_capacity(n),
            version: 0,
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
    /// Whether it ends the talks: it decides every issue, or it is the war at breakdown.
    pub total: bool,
}

/// Works out, if the world changed since the last time, every initiator's war and every
/// actor's value of breakdown (module docs), and gives the values to `state`; returns whether
/// it did.
pub fn assess(state: &mut RunState<'_>, scratch: &mut ForceScratch) -> bool {
    if scratch.version == state.version() + 1 {
        return false;
    }
    scratch.version = state.version() + 1;
    scratch.plans.clear();
    scratch.planned = None;
    let Some(escalation) = state.model().escalation.as_ref() else {
        return true;
    };
    let mut credible: Option<(usize, f64)> = None;
    for (idx, &i) in escalation.initiators.iter().enumerate() {
        let plan = if state.is_active(i) {
            plan_war(state, scratch, i)
        } else {
            Plan {
                target: None,
                odds: 0.0,
                believed: 0.0,
                value: f64::NEG_INFINITY,
            }
        };
        scratch.plans.push(plan);
        let gain = plan.value - state.peaceful_breakdown(i);
        if plan.target.is_some() && gain > 0.0 && credible.is_none_or(|(_, g)| gain > g) {
            credible = Some((idx, gain));
        }
    }
    if let Some((idx, _)) = credible {
        let i = escalation.initiators[idx];
        if scratch.planned != Some(i) {
            plan_war(state, scratch, i);
        }
        for k in 0..state.world().n_actors {
            scratch.breakdown[k] = war_value(state, scratch, k);
        }
        state.set_breakdown(&scratch.breakdown);
    }
    true
}

/// The initiator of the credible threat, if any: breakdown means its war.
pub fn threat(state: &RunState<'_>, scratch: &ForceScratch) -> Option<usize> {
    let escalation = state.model().escalation.as_ref()?;
    let mut best: Option<(usize, f64)> = None;
    for (plan, &i) in scratch.plans.iter().zip(&escalation.initiators) {
        let gain = plan.value - state.peaceful_breakdown(i);
        if plan.target.is_some() && gain > 0.0 && best.is_none_or(|(_, g)| gain > g) {
            best = Some((i, gain));
        }
    }
    best.map(|(i, _)| i)
}

/// Forms the sides and both imposed settlements of `i`'s war into the scratch, and returns its
/// plan (target none if nobody can be attacked).
fn plan_war(state: &RunState<'_>, scratch: &mut ForceScratch, i: usize) -> Plan {
    let Some(target) = pick_target(state, i) else {
        return Plan {
            target: None,
            odds: 0.0,
            believed: 0.0,
            value: f64::NEG_INFINITY,
        };
    };
    let odds = form_sides(state, i, target, &mut scratch.join);
    scratch.odds = odds;
    scratch.planned = Some(i);
    impose(state, &scratch.join, 1.0, &mut scratch.win);
    impose(state, &scratch.join, -1.0, &mut scratch.lose);
    for k in 0..state.world().n_actors {
        scratch.own_win[k] = state.own_utility(k, &scratch.win);
        scratch.own_lose[k] = state.own_utility(k, &scratch.lose);
    }
    let mut plan = Plan {
        target: Some(target),
        odds,
        believed: 0.0,
        value: 0.0,
    };
    plan.believed = believed_odds(state, &scratch.join, odds, i);
    plan.value = war_value(state, scratch, i);
    plan
}

/// The probability actor `k` believes the initiator's side wins (module docs).
fn believed_odds(state: &RunState<'_>, join: &[f64], odds: f64, k: usize) -> f64 {
    let o = state.world().optimism[k];
    if join[k] > 0.0 {
        (odds + o).clamp(0.0, 1.0)
    } else if join[k] < 0.0 {
        1.0 - (1.0 - odds + o).clamp(0.0, 1.0)
    } else {
        odds
    }
}

/// Actor `k`'s value W_k of the war now in the scratch.
fn war_value(state: &RunState<'_>, scratch: &ForceScratch, k: usize) -> f64 {
    let w = state.world();
    let q = state.status_quo_utilities();
    let p = believed_odds(state, &scratch.join, scratch.odds, k);
    let win = effective_utility(w, k, &scratch.own_win, q);
    let lose = effective_utility(w, k, &scratch.own_lose, q);
    p * win + (1.0 - p) * lose - w.war_cost * scratch.join[k].abs()
}

/// After a rejected round: every initiator weighs its war against what the table offers it
/// (module docs); returns the war if one broke out, its imposed settlement and costs ready
/// for [`carry_out`].
pub fn check_escalation(
    state: &mut RunState<'_>,
    scratch: &mut ForceScratch,
    observer: &mut impl Observer,
) -> Option<War> {
    let model = state.model();
    let escalation = model.escalation.as_ref()?;
    let round = state.round();
    for (idx, &i) in escalation.initiators.iter().enumerate() {
        let plan = scratch.plans[idx];
        let Some(target) = plan.target else {
            continue;
        };
        if !state.is_active(i) {
            continue;
        }
        let table = state.table_value(i);
        if plan.value <= table {
            continue;
        }
        let going_on = value_of_going_on(state, scratch, i, target);
        if plan.value <= going_on {
            continue;
        }
        let propensity = state.world().propensity;
        let escalated = state
            .force_stream()
            .bernoulli(round, 2 * i as u64, propensity);
        observer.on_force(&ForceDecision {
            round,
            initiator: i,
            target,
            win_probability: plan.odds,
            believed: plan.believed,
            value: plan.value,
            table,
            going_on,
            propensity,
            escalated,
        });
        if escalated {
            return Some(fight(state, scratch, i, target, plan.odds));
        }
    }
    None
}

/// Initiator `i`'s expected value of going on (module docs): its effective utility of its
/// target's last offer, discounted to now.
fn value_of_going_on(
    state: &mut RunState<'_>,
    scratch: &mut ForceScratch,
    i: usize,
    target: usize,
) -> f64 {
    let last = super::strategy::final_aspiration(state, target);
    state.offer_of(target, last, &mut scratch.final_offer);
    state.freeze(&mut scratch.final_offer);
    for k in 0..state.world().n_actors {
        scratch.own_final[k] = state.own_utility(k, &scratch.final_offer);
    }
    let w = state.world();
    let value = effective_utility(w, i, &scratch.own_final, state.status_quo_utilities());
    let left = state.horizon().saturating_sub(state.round());
    value * w.discount[i].powi(i32::try_from(left).unwrap_or(i32::MAX))
}

/// When the talks end without agreement: the initiator of a credible threat goes to war.
pub fn breakdown_war(state: &mut RunState<'_>, scratch: &mut ForceScratch) -> Option<War> {
    let i = threat(state, scratch)?;
    let escalation = state.model().escalation.as_ref()?;
    let idx = escalation.initiators.iter().position(|&a| a == i)?;
    let plan = scratch.plans[idx];
    let war = fight(state, scratch, i, plan.target?, plan.odds);
    // The talks are over, whatever the war decides.
    Some(War { total: true, ..war })
}

/// `i` attacks `target`: the sides and settlements go into the scratch (another initiator's
/// may be there), and the dice decide with the true `odds`.
fn fight(
    state: &mut RunState<'_>,
    scratch: &mut ForceScratch,
    i: usize,
    target: usize,
    odds: f64,
) -> War {
    if scratch.planned != Some(i) {
        plan_war(state, scratch, i);
    }
    let round = state.round();
    let initiator_won = state
        .force_stream()
        .bernoulli(round, 2 * i as u64 + 1, odds);
    let w = state.world();
    for (c, j) in scratch.cost.iter_mut().zip(&scratch.join) {
        *c = w.war_cost * j.abs();
    }
    let total = state
        .model()
        .escalation
        .as_ref()
        .is_none_or(|e| e.decides_everything(w.n_issues));
    War {
        initiator: i,
        target,
        initiator_won,
        total,
    }
}

/// The settlement `war` imposed (the status quo but on the issues force decides).
pub fn settlement<'a>(scratch: &'a ForceScratch, war: &War) -> &'a [f64] {
    if war.initiator_won {
        &scratch.win
    } else {
        &scratch.lose
    }
}

/// Makes the record of `war`, fought in `round` (who fought on which side, what it decided),
/// into `record`, reusing its memory.
pub fn record(round: u32, scratch: &ForceScratch, war: &War, record: &mut WarRecord) {
    let sign = if war.initiator_won { 1.0 } else { -1.0 };
    record.round = round;
    record.initiator = war.initiator;
    record.target = war.target;
    record.initiator_won = war.initiator_won;
    record.total = war.total;
    record.winners.clear();
    record
        .winners
        .extend((0..scratch.join.len()).filter(|&k| scratch.join[k] * sign > 0.0));
    record.losers.clear();
    record
        .losers
        .extend((0..scratch.join.len()).filter(|&k| scratch.join[k] * sign < 0.0));
    record.settlement.clear();
    record
        .settlement
        .extend_from_slice(settlement(scratch, war));
}

/// A limited war's fait accompli: its settlement becomes the status quo and the issues it
/// decided are settled.
pub fn carry_out(state: &mut RunState<'_>, scratch: &ForceScratch, war: &War) {
    let model = state.model();
    let issues = model
        .escalation
        .as_ref()
        .map_or(&[][..], |e| e.issues.as_slice());
    state.impose(settlement(scratch, war), issues);
}

/// Each actor's cost of the war in the scratch.
pub fn costs(scratch: &ForceScratch) -> &[f64] {
    &scratch.cost
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

/// The settlement imposed if the side of sign `sign` (1: the initiator's) wins: the issues force
/// decides move toward the side's position, the others stay at the status quo.
fn impose(state: &RunState<'_>, join: &[f64], sign: f64, out: &mut [f64]) {
    let w = state.world();
    out.copy_from_slice(&w.status_quo);
    let Some(escalation) = state.model().escalation.as_ref() else {
        return;
    };
    for &j in &escalation.issues {
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
