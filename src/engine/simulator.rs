//! [`Simulator`]: plays run after run of one model, reusing everything a run needs.

use super::force::ForceScratch;
use super::{Observer, OutcomeKind, RoundScratch, RunOutcome, Table, play};
use crate::model::{Model, Protocol as ProtocolSpec, SamplePlan};
use crate::protocol::{AlternatingOffers, ExpectedUtility, Mediated};
use crate::rng::SimRng;

/// The protocol of the model, kept from run to run.
#[derive(Debug, Clone)]
enum Protocols {
    AlternatingOffers(AlternatingOffers),
    Mediated(Mediated),
    ExpectedUtility(ExpectedUtility),
}

impl Protocols {
    /// The model's protocol, set up for the run now on `table`.
    fn new(table: &mut Table<'_>) -> Self {
        match table.model.protocol {
            ProtocolSpec::AlternatingOffers { .. } => {
                Protocols::AlternatingOffers(AlternatingOffers::new(table))
            }
            ProtocolSpec::Mediated { .. } => Protocols::Mediated(Mediated::new(table)),
            ProtocolSpec::ExpectedUtility { .. } => {
                Protocols::ExpectedUtility(ExpectedUtility::new(table))
            }
        }
    }

    /// Sets the protocol up for the run now on `table`.
    fn restart(&mut self, table: &mut Table<'_>) {
        match self {
            Protocols::AlternatingOffers(p) => p.restart(table),
            Protocols::Mediated(p) => p.restart(table),
            Protocols::ExpectedUtility(p) => p.restart(table),
        }
    }
}

/// Plays runs of one model, one after another, reusing the sampling plan
/// ([`SamplePlan`]), the run's state ([`Table`]), the protocol's and the round loop's buffers,
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
    table: Table<'m>,
    protocol: Option<Protocols>,
    scratch: RoundScratch,
    outcome: RunOutcome,
}

impl<'m> Simulator<'m> {
    /// A simulator of `model`.
    pub fn new(model: &'m Model) -> Self {
        let plan = SamplePlan::new(model);
        let table = Table::empty(model, &plan, &SimRng::for_run(0, 0));
        let n = model.actors.len();
        let m = model.issues.len();
        Simulator {
            plan,
            table,
            protocol: None,
            scratch: RoundScratch {
                point: vec![0.0; m],
                force: ForceScratch::new(n, m),
                winners: Vec::with_capacity(n),
            },
            outcome: RunOutcome {
                kind: OutcomeKind::Deadlock,
                round: 0,
                settlement: Vec::with_capacity(m),
                utility: Vec::with_capacity(n),
                concession: Vec::with_capacity(n),
                conflict: None,
                events: Vec::with_capacity(model.events.len()),
                reservation: Vec::with_capacity(n),
            },
        }
    }

    /// The model.
    pub fn model(&self) -> &'m Model {
        self.table.model
    }

    /// Plays the run of generator `rng` (see [`crate::rng`]) and returns its outcome, which
    /// stays readable until the next run.
    pub fn run(&mut self, rng: &SimRng, observer: &mut impl Observer) -> &RunOutcome {
        let table = &mut self.table;
        table.start(&self.plan, rng);
        let out = &mut self.outcome;
        let scratch = &mut self.scratch;
        if let Some(p) = &mut self.protocol {
            p.restart(table);
        }
        match self.protocol.get_or_insert_with(|| Protocols::new(table)) {
            Protocols::AlternatingOffers(p) => play(table, p, observer, scratch, out),
            Protocols::Mediated(p) => play(table, p, observer, scratch, out),
            Protocols::ExpectedUtility(p) => play(table, p, observer, scratch, out),
        }
        &self.outcome
    }

    /// The outcome of the last run, kept.
    pub fn into_outcome(self) -> RunOutcome {
        self.outcome
    }
}
