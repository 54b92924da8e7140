//! [`Simulator`]: plays run after run of one model, reusing everything a run needs.

use super::force::ForceScratch;
use super::protocol::{AlternatingOffers, ExpectedUtility, Mediated};
use super::{Observer, OutcomeKind, RoundScratch, RunOutcome, RunState, play};
use crate::model::{Model, Protocol as ProtocolSpec, SamplePlan};
use crate::rng::SimRng;

/// The protocol of the model, kept from run to run (one per simulator, so the size of its
/// largest variant costs nothing worth boxing).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
enum Protocols {
    AlternatingOffers(AlternatingOffers),
    Mediated(Mediated),
    ExpectedUtility(ExpectedUtility),
}

impl Protocols {
    /// The model's protocol, set up for the run now on `state`.
    fn new(state: &mut RunState<'_>) -> Self {
        match state.model().protocol {
            ProtocolSpec::AlternatingOffers { .. } => {
                Protocols::AlternatingOffers(AlternatingOffers::new(state))
            }
            ProtocolSpec::Mediated { .. } => Protocols::Mediated(Mediated::new(state)),
            ProtocolSpec::ExpectedUtility { .. } => {
                Protocols::ExpectedUtility(ExpectedUtility::new(state))
            }
        }
    }

    /// Sets the protocol up for the run now on `state`.
    fn restart(&mut self, state: &mut RunState<'_>) {
        match self {
            Protocols::AlternatingOffers(p) => p.restart(state),
            Protocols::Mediated(p) => p.restart(state),
            Protocols::ExpectedUtility(p) => p.restart(state),
        }
    }
}

/// Plays runs of one model, one after another, reusing the sampling plan
/// ([`SamplePlan`]), the run's state ([`RunState`]), the protocol's and the round loop's buffers,
/// and the outcome's memory. A run played by a simulator is exactly the run
/// [`simulate_run`](super::simulate_run) plays with the same generator, whatever runs the
/// simulator played before: every piece of state is set afresh at the start of a run.
///
/// The batch runner keeps one per block of runs; after the first run of a simulator, the rounds
/// of a run allocate no memory.
///
/// ```
/// use treaty::engine::{NoopObserver, Simulator};
/// use treaty::rng::SimRng;
///
/// let model = treaty::scenario::load("rubinstein-pie")?.model;
/// let mut simulator = Simulator::new(&model);
/// for run in 0..3 {
///     let outcome = simulator.run(&SimRng::for_run(42, run), &mut NoopObserver);
///     assert_eq!(outcome.settlement.len(), model.issues.len());
/// }
/// # Ok::<(), treaty::scenario::ScenarioError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Simulator<'m> {
    plan: SamplePlan,
    state: RunState<'m>,
    protocol: Option<Protocols>,
    scratch: RoundScratch,
    outcome: RunOutcome,
}

impl<'m> Simulator<'m> {
    /// A simulator of `model`.
    pub fn new(model: &'m Model) -> Self {
        let plan = SamplePlan::new(model);
        let state = RunState::empty(model, &plan, &SimRng::for_run(0, 0));
        let n = model.actors.len();
        let m = model.issues.len();
        Simulator {
            plan,
            state,
            protocol: None,
            scratch: RoundScratch {
                point: vec![0.0; m],
                text: vec![0.0; m],
                force: ForceScratch::new(n, m),
            },
            outcome: RunOutcome {
                kind: OutcomeKind::Deadlock,
                round: 0,
                settlement: Vec::with_capacity(m),
                utility: Vec::with_capacity(n),
                concession: Vec::with_capacity(n),
                wars: Vec::with_capacity(16),
                events: Vec::with_capacity(model.events.len()),
                reservation: Vec::with_capacity(n),
                forecasts: Vec::with_capacity(m),
            },
        }
    }

    /// The model.
    pub fn model(&self) -> &'m Model {
        self.state.model()
    }

    /// Plays the run of generator `rng` (see [`crate::rng`]) and returns its outcome, which
    /// stays readable until the next run.
    pub fn run(&mut self, rng: &SimRng, observer: &mut impl Observer) -> &RunOutcome {
        let state = &mut self.state;
        state.start(&self.plan, rng);
        let out = &mut self.outcome;
        let scratch = &mut self.scratch;
        // What breakdown would mean, and the opening aspirations toward those floors, before
        // the protocol sets itself up (the expected-utility model sets its own aspirations).
        super::assess(state, &mut scratch.force, observer);
        state.open();
        if let Some(p) = &mut self.protocol {
            p.restart(state);
        }
        match self.protocol.get_or_insert_with(|| Protocols::new(state)) {
            Protocols::AlternatingOffers(p) => play(state, p, observer, scratch, out),
            Protocols::Mediated(p) => play(state, p, observer, scratch, out),
            Protocols::ExpectedUtility(p) => play(state, p, observer, scratch, out),
        }
        &self.outcome
    }

    /// The outcome of the last run, kept.
    pub fn into_outcome(self) -> RunOutcome {
        self.outcome
    }
}
