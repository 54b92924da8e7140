//! What a run returns.

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeKind {
    /// The principals accepted a proposal under the acceptance rule.
    Agreement,
    /// The deadline passed without agreement: the status quo holds.
    Deadlock,
    /// An actor resorted to force; the settlement was imposed toward the winners.
    Conflict,
}

impl OutcomeKind {
    /// All kinds, in report order.
    pub const ALL: [OutcomeKind; 3] = [
        OutcomeKind::Agreement,
        OutcomeKind::Deadlock,
        OutcomeKind::Conflict,
    ];

    /// The kind's name as reports print it.
    pub fn name(self) -> &'static str {
        match self {
            OutcomeKind::Agreement => "Agreement",
            OutcomeKind::Deadlock => "Deadlock",
            OutcomeKind::Conflict => "Conflict",
        }
    }
}

/// Who fought and who won, for a run that ended in force.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictOutcome {
    /// The actor that escalated.
    pub initiator: usize,
    /// The principal it attacked.
    pub target: usize,
    /// Whether the initiator's side won.
    pub initiator_won: bool,
    /// The actors on the winning side.
    pub winners: Vec<usize>,
}

/// The result of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// How it ended.
    pub kind: OutcomeKind,
    /// The round it ended in (the deadline for a deadlock, or the round the expected-utility
    /// model's positions stopped moving).
    pub round: u32,
    /// The settlement per issue (the status quo for a deadlock; on an option for optioned issues).
    pub settlement: Vec<f64>,
    /// Each actor's own utility of the settlement (after the cost of war, for a conflict).
    pub utility: Vec<f64>,
    /// Each actor's total concession: 1 minus the lowest aspiration it held, in utility units (0
    /// for mediators and hardliners).
    pub concession: Vec<f64>,
    /// Details of the conflict, if the run ended in force.
    pub conflict: Option<ConflictOutcome>,
    /// Events that fired: (round, event index), in firing order.
    pub events: Vec<(u32, usize)>,
    /// Each actor's reservation utility in this run, as sampled (reports count the runs that end
    /// at or above it).
    pub reservation: Vec<f64>,
}
