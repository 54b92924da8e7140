//! Events: shocks that change the world at the start of a round, for the rest of the run.
//!
//! At the start of round r, events are considered in file order. A scheduled event fires in its
//! round. A windowed event that has not fired yet takes one uniform draw in each round of its
//! window (its own slot of the round in the run's events stream: see [`crate::rng`]) and fires
//! when the draw is below its (sampled) probability
//! p, so it fires at most once, in round `from + k` with probability p(1 − p)^k. Each effect
//! applies its change (`Set`, `Add`, `Scale`, with the amount sampled for the run) and clamps the
//! result to the number's domain: capability (0, ∞), salience [0, ∞), position and status quo
//! [0, 1] (the status quo is then put back on an option and inside the pie), relation [−1, 1]
//! (both ways unless directed). `RemoveActor` takes the actor off the table: it no longer
//! proposes, votes, pressures, evaluates or joins a war, and acceptance rules count only the
//! principals still at the table.

use super::observe::Observer;
use super::state::RunState;
use crate::model::{Domain, Effect, Timing};

/// Fires the events due at the start of `state.round()`.
pub fn fire_events(state: &mut RunState<'_>, observer: &mut impl Observer) {
    let round = state.round();
    let model = state.model();
    for (e, event) in model.events.iter().enumerate() {
        if state.has_fired(e) {
            continue;
        }
        let fires = match event.timing {
            Timing::Round(r) => r == round,
            Timing::Window { from, to, .. } => {
                let p = state.world().event_probability[e];
                (from..=to).contains(&round) && state.events_stream().bernoulli(round, e as u64, p)
            }
        };
        if !fires {
            continue;
        }
        state.mark_fired(e);
        for (f, effect) in event.effects.iter().enumerate() {
            let amount = state.world().effect_amount[e][f];
            apply_effect(state, effect, amount);
        }
        // Positions and saliences change utilities of the status quo too, and every cached
        // computation on the world is stale.
        state.world_changed();
        observer.on_event(round, e, state.world());
    }
}

/// Applies one effect.
fn apply_effect(state: &mut RunState<'_>, effect: &Effect, amount: f64) {
    let w = state.world_mut();
    match effect {
        Effect::Capability { actor, change } => {
            let x = &mut w.capability[*actor];
            *x = Domain::POSITIVE.clamp(change.apply(*x, amount));
        }
        Effect::Salience {
            actor,
            issue,
            change,
        } => {
            let x = &mut w.salience[actor * w.n_issues + issue];
            *x = Domain::NON_NEGATIVE.clamp(change.apply(*x, amount));
        }
        Effect::Position {
            actor,
            issue,
            change,
        } => {
            let x = &mut w.position[actor * w.n_issues + issue];
            *x = Domain::UNIT.clamp(change.apply(*x, amount));
        }
        Effect::Relation {
            from,
            to,
            change,
            directed,
        } => {
            let n = w.n_actors;
            let x = &mut w.relation[from * n + to];
            *x = Domain::SIGNED_UNIT.clamp(change.apply(*x, amount));
            if !directed {
                let y = &mut w.relation[to * n + from];
                *y = Domain::SIGNED_UNIT.clamp(change.apply(*y, amount));
            }
        }
        Effect::StatusQuo { issue, change } => {
            let x = &mut w.status_quo[*issue];
            *x = Domain::UNIT.clamp(change.apply(*x, amount));
        }
        Effect::RemoveActor { actor } => {
            w.active[*actor] = false;
        }
    }
}
