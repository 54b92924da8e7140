//! One run of a negotiation: rounds, events, proposals, answers, concessions, force.
//!
//! [`simulate_run`] plays one run of a validated [`Model`] from the run's own generator and
//! returns a [`RunOutcome`]; an [`Observer`] sees every step (the teaching trace implements it,
//! batches use [`NoopObserver`]).

mod outcome;

pub use outcome::{ConflictOutcome, OutcomeKind, RunOutcome};

use crate::model::{Model, World};
use crate::rng::SimRng;

/// Sees a run step by step. Every hook has a no-op default.
#[allow(unused_variables)]
pub trait Observer {
    /// A round starts (after events have fired).
    fn on_round(&mut self, round: u32, world: &World) {}
    /// Event `event` (index into the model's events) fired at the start of `round`.
    fn on_event(&mut self, round: u32, event: usize, world: &World) {}
    /// The run ended.
    fn on_end(&mut self, outcome: &RunOutcome) {}
}

/// The observer that ignores everything (used in batches).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopObserver;

impl Observer for NoopObserver {}

/// Plays one run of `model` with the run's generator `rng` (see [`crate::rng`]).
///
/// Infallible on a validated model.
pub fn simulate_run(model: &Model, rng: &mut SimRng, observer: &mut impl Observer) -> RunOutcome {
    let world = model.sample(rng);
    let outcome = RunOutcome {
        kind: OutcomeKind::Deadlock,
        round: model.protocol.max_rounds(),
        settlement: world.status_quo.clone(),
        utility: (0..world.n_actors)
            .map(|a| crate::model::own_utility(&world, a, &world.status_quo))
            .collect(),
        concession: vec![0.0; world.n_actors],
        conflict: None,
        events: Vec::new(),
        reservation: world.reservation.clone(),
    };
    observer.on_end(&outcome);
    outcome
}
