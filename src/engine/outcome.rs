//! What a run returns.

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeKind {
    /// The principals accepted a proposal under the acceptance rule.
    Agreement,
    /// The talks ended without agreement: the status quo holds (as limited wars left it).
    Deadlock,
    /// The talks ended in war: a war over every issue, or the war a credible threat brought at
    /// breakdown; the settlement was imposed toward the winners.
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

/// One war of a run: who fought, who won, what it decided.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WarRecord {
    /// The round it broke out in.
    pub round: u32,
    /// The actor that escalated.
    pub initiator: usize,
    /// The principal it attacked.
    pub target: usize,
    /// Whether the initiator's side won.
    pub initiator_won: bool,
    /// Whether it ended the talks: a war over every issue, or the war a credible threat brought
    /// when the talks failed; otherwise a limited war whose settlement became the status quo,
    /// after which the talks went on.
    pub total: bool,
    /// The actors on the winning side.
    pub winners: Vec<usize>,
    /// The actors on the losing side.
    pub losers: Vec<usize>,
    /// The settlement it imposed (the status quo but on the issues force decides).
    pub settlement: Vec<f64>,
}

impl WarRecord {
    /// Makes this record a copy of `other`, reusing its memory.
    pub fn copy_from(&mut self, other: &WarRecord) {
        self.round = other.round;
        self.initiator = other.initiator;
        self.target = other.target;
        self.initiator_won = other.initiator_won;
        self.total = other.total;
        self.winners.clone_from(&other.winners);
        self.losers.clone_from(&other.losers);
        self.settlement.clone_from(&other.settlement);
    }

    /// An empty record with room for `actors` actors and `issues` issues.
    pub fn with_capacity(actors: usize, issues: usize) -> Self {
        WarRecord {
            winners: Vec::with_capacity(actors),
            losers: Vec::with_capacity(actors),
            settlement: Vec::with_capacity(issues),
            ..WarRecord::default()
        }
    }
}

/// The expected-utility model's forecasts on one issue, from the positions the actors held when
/// the run ended ([`crate::solvers::expected_utility`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueForecast {
    /// The c·s-weighted median of the final positions.
    pub weighted_median: f64,
    /// The pairwise (Condorcet) winner among them; `None` if no held position beats every other
    /// (on one issue, an exact tie).
    pub condorcet: Option<f64>,
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
    /// Each actor's own utility of the settlement, less the cost of every war it fought.
    pub utility: Vec<f64>,
    /// Each actor's total concession: 1 minus the lowest aspiration it held, in utility units (0
    /// for mediators and hardliners).
    pub concession: Vec<f64>,
    /// Every war of the run, in order (the last ended the talks if the run is a conflict).
    pub wars: Vec<WarRecord>,
    /// Events that fired: (round, event index), in firing order.
    pub events: Vec<(u32, usize)>,
    /// Each actor's reservation utility in this run, as sampled (reports count the runs that end
    /// at or above it).
    pub reservation: Vec<f64>,
    /// The expected-utility model's forecasts, issue by issue, from the final positions (empty
    /// under the other protocols).
    pub forecasts: Vec<IssueForecast>,
}
