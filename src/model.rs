//! The validated model the engine runs, and its per-run realisation.
//!
//! A [`Model`] is what [`validate`](crate::scenario::validate) makes of a scenario file: ids are
//! indices, references are resolved, every number is checked against its domain. Numbers may still
//! be uncertain ([`Value`]); [`Model::sample`] draws one [`World`] per run, with every number
//! concrete, from the run's generator (see [`crate::rng`] for the keyed scheme).

mod calendar;
pub mod games;
mod sample;
mod utility;
pub mod value;

pub use calendar::{Calendar, Date, TimeUnit, days_in_month, is_leap_year, parse_date};
pub use sample::{Input, SamplePlan, World};
pub use utility::{effective_utility, own_utility, own_utility_at_scale, utility_scale};
pub use value::{Distribution, Domain, MIN_MASS, Truncated, Value, ValueProblem};

/// At most this many actors in a scenario.
pub const MAX_ACTORS: usize = 1_000;
/// At most this many issues in a scenario.
pub const MAX_ISSUES: usize = 1_000;
/// At most this many rounds in a scenario: the deadline `AlternatingOffers` allows (see
/// [`Protocol::round_limit`]).
pub const MAX_ROUNDS: u32 = 1_000_000;
/// At most this many rounds under the `Mediated` and `ExpectedUtility` protocols (see
/// [`Protocol::round_limit`]).
pub const MAX_ROUNDS_OTHER: u32 = 100_000;

/// A validated scenario, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// Where the model came from (the scenario text's hash and the overrides applied), for the
    /// provenance of every report made from it.
    pub origin: Origin,
    /// One-line description.
    pub description: String,
    /// Sources cited by the scenario.
    pub sources: Vec<String>,
    /// What a round stands for, and when round 1 is.
    pub calendar: Calendar,
    /// Issues, in file order.
    pub issues: Vec<Issue>,
    /// Actors, in file order.
    pub actors: Vec<Actor>,
    /// Directed relations (a symmetric relation in the file becomes two).
    pub relations: Vec<Relation>,
    /// The protocol.
    pub protocol: Protocol,
    /// Force, if actors may resort to it.
    pub escalation: Option<Escalation>,
    /// Shocks, in file order.
    pub events: Vec<Event>,
    /// Standard deviation of perception noise (utility units).
    pub perception_noise: Value,
    /// Weight λ of others' gains and losses in effective utility.
    pub interdependence: Value,
    /// Issues that are shares of one divisible pie (their settlement sums to at most 1).
    pub pie: Vec<usize>,
    /// What failed talks are worth to each party when no threat of force is credible: its
    /// utility of the status quo, or only its reservation utility.
    pub disagreement: Disagreement,
    /// How an actor's utility falls with its salience-weighted distance from its ideal point
    /// ([`crate::model::own_utility`]).
    pub loss: Loss,
}

/// Where a model came from: enough to make it again from its scenario file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// `sha256:` and the hex SHA-256 of the scenario file's bytes ([`content_hash`]); empty for
    /// a model built in code.
    pub scenario_hash: String,
    /// The overrides applied to the file (`PATH=VALUE`), in the order given.
    pub overrides: Vec<String>,
}

impl Origin {
    /// The origin of a model made from the scenario text `content` with `overrides`.
    pub fn of_text(content: &[u8], overrides: Vec<String>) -> Self {
        Origin {
            scenario_hash: content_hash(content),
            overrides,
        }
    }
}

/// `sha256:` followed by the lowercase hex SHA-256 of `content`.
pub fn content_hash(content: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write as _;
    let digest = Sha256::digest(content);
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in digest.iter() {
        // Writing into a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// One issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Meaning of 0.
    pub low: String,
    /// Meaning of 1.
    pub high: String,
    /// What holds without agreement.
    pub status_quo: Value,
    /// Labelled options, sorted by point; empty for a continuous issue.
    pub options: Vec<IssueOption>,
}

/// A labelled option.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueOption {
    /// Its point on [0, 1].
    pub at: f64,
    /// Its label.
    pub label: String,
}

impl Issue {
    /// The index of the option nearest to `x` (the lower one on a tie), or `None` for a
    /// continuous issue.
    pub fn nearest_option(&self, x: f64) -> Option<usize> {
        let (first, rest) = self.options.split_first()?;
        let mut best = 0;
        let mut best_distance = (first.at - x).abs();
        for (k, o) in rest.iter().enumerate() {
            let distance = (o.at - x).abs();
            if distance < best_distance {
                best = k + 1;
                best_distance = distance;
            } else if o.at > x {
                // Options are sorted: past x, every later option is at least this far.
                break;
            }
        }
        Some(best)
    }

    /// `x` itself on a continuous issue, the nearest option's point on an optioned one.
    pub fn snap(&self, x: f64) -> f64 {
        match self.nearest_option(x) {
            Some(k) => self.options[k].at,
            None => x,
        }
    }
}

/// One actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Capability, > 0.
    pub capability: Value,
    /// Risk exponent a of u = (1 − d)^a.
    pub risk: Value,
    /// Reservation utility.
    pub reservation: Value,
    /// Concession strategy.
    pub strategy: Strategy,
    /// Per-round discount factor δ (from the `AlternatingOffers` protocol's `discount` map; 1 if
    /// not listed).
    pub discount: Value,
    /// How far it overrates its own side's chance of winning a war (added to the win probability
    /// it perceives, then clamped to [0, 1]); 0 for an accurate view.
    pub optimism: Value,
    /// One stance per issue, in issue order (salience 0 where the file names none).
    pub stances: Vec<Stance>,
}

/// Ideal point and salience on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Stance {
    /// Ideal point.
    pub position: Value,
    /// Salience.
    pub salience: Value,
}

/// What an actor's signature counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Must accept for an agreement (subject to the acceptance rule).
    Principal,
    /// Proposes texts, cannot veto.
    Mediator,
    /// Cannot veto; pressures allied principals.
    Stakeholder,
}

impl Role {
    /// The role's name as scenario files and reports write it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Principal => "Principal",
            Role::Mediator => "Mediator",
            Role::Stakeholder => "Stakeholder",
        }
    }
}

/// Boulware, linear or Conceder: how a time-dependent tactic is named (for display; the curve
/// depends on its [`Family`], β and κ only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tactic {
    /// β < 1.
    Boulware,
    /// β = 1.
    Linear,
    /// β > 1.
    Conceder,
}

/// The family of concession curves of a time-dependent tactic (Faratin, Sierra & Jennings
/// 1998, §4.2.1; see [`crate::engine::strategy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Family {
    /// α(t) = κ + (1 − κ)(min(t, T)/T)^(1/β).
    #[default]
    Polynomial,
    /// α(t) = exp((1 − min(t, T)/T)^β · ln κ).
    Exponential,
}

impl Family {
    /// The family's name as scenario files write it.
    pub fn name(self) -> &'static str {
        match self {
            Family::Polynomial => "Polynomial",
            Family::Exponential => "Exponential",
        }
    }
}

/// A concession strategy.
#[derive(Debug, Clone, PartialEq)]
pub enum Strategy {
    /// Faratin et al. (1998) time-dependent tactic: the polynomial
    /// α(t) = κ + (1 − κ)(t/T)^(1/β) or the exponential α(t) = exp((1 − t/T)^β ln κ).
    TimeDependent {
        /// Boulware, linear or Conceder, for display.
        tactic: Tactic,
        /// Polynomial or exponential curve.
        family: Family,
        /// Concession exponent β.
        beta: Value,
        /// Initial concession κ.
        kappa: Value,
    },
    /// Concedes as much as the others just did.
    TitForTat,
    /// Never moves.
    Hardliner,
    /// Subgame-perfect play.
    Equilibrium,
}

/// A directed relation: `from`'s regard for `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// Actor index.
    pub from: usize,
    /// Actor index.
    pub to: usize,
    /// Strength in [−1, 1].
    pub strength: Value,
    /// The file's text key of the relation's owner (`relation:A:B`), for sampling.
    pub key: String,
}

/// The protocol.
#[derive(Debug, Clone, PartialEq)]
pub enum Protocol {
    /// Stacked alternating offers.
    AlternatingOffers {
        /// Deadline.
        max_rounds: u32,
        /// Recognition rule.
        proposer: Proposer,
        /// Acceptance rule.
        acceptance: Acceptance,
    },
    /// Single negotiating text.
    Mediated {
        /// Mediator index.
        mediator: usize,
        /// First text.
        text: MediatorText,
        /// Amendment step.
        step: Value,
        /// Deadline.
        max_rounds: u32,
        /// Disagreement point of the Nash text.
        disagreement: Disagreement,
    },
    /// Bueno de Mesquita / Scholz expected-utility model.
    ExpectedUtility {
        /// Rounds of challenges.
        max_rounds: u32,
        /// Which reconstruction runs.
        variant: ExpectedUtilityVariant,
    },
}

impl Protocol {
    /// The deadline in rounds.
    pub fn max_rounds(&self) -> u32 {
        match self {
            Protocol::AlternatingOffers { max_rounds, .. }
            | Protocol::Mediated { max_rounds, .. }
            | Protocol::ExpectedUtility { max_rounds, .. } => *max_rounds,
        }
    }

    /// The most rounds the protocol allows. Alternating offers takes deadlines up to
    /// [`MAX_ROUNDS`] (1,000,000): with per-round discount factors δ_i = exp(−r_i Δ) a short
    /// period Δ needs a distant deadline for the game to approach its continuous-time limit,
    /// where Rubinstein's split tends to the asymmetric Nash split r_B / (r_A + r_B) (Binmore,
    /// Rubinstein & Wolinsky 1986), and a round costs one offer and the answers to it. The
    /// mediated and expected-utility protocols stay at [`MAX_ROUNDS_OTHER`] (100,000): they have
    /// no such limit to approach (a mediated text moves by a fixed step per round, the
    /// expected-utility model plays rounds of challenges that settle in a few dozen), and a round
    /// costs more (amending a text against every objection; a challenge between every pair of
    /// actors).
    pub fn round_limit(&self) -> u32 {
        match self {
            Protocol::AlternatingOffers { .. } => MAX_ROUNDS,
            Protocol::Mediated { .. } | Protocol::ExpectedUtility { .. } => MAX_ROUNDS_OTHER,
        }
    }

    /// The protocol's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Protocol::AlternatingOffers { .. } => "AlternatingOffers",
            Protocol::Mediated { .. } => "Mediated",
            Protocol::ExpectedUtility { .. } => "ExpectedUtility",
        }
    }
}

/// Which published reconstruction of Bueno de Mesquita's expected-utility model runs
/// ([`crate::solvers::expected_utility`], "Two variants").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpectedUtilityVariant {
    /// The equations as printed by Scholz, Calbert & Smith (2011): pairwise-normalised P_ij,
    /// and each actor takes the offer that moves it least.
    #[default]
    ScholzPaper,
    /// The dynamics of their published code, as ported: P_ij normalised over every voter and
    /// every pair of actors, votes weighted by the voters' risk exponents in the second pass,
    /// and confrontations before compromises before capitulations.
    ScholzCode,
}

impl ExpectedUtilityVariant {
    /// Both variants, the default first.
    pub const ALL: [Self; 2] = [Self::ScholzPaper, Self::ScholzCode];

    /// The variant's name as scenario files write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::ScholzPaper => "ScholzPaper",
            Self::ScholzCode => "ScholzCode",
        }
    }
}

/// A mediator's first text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediatorText {
    /// Capability × salience weighted mean of the principals' positions, issue by issue.
    Compromise,
    /// The capability-weighted Nash bargaining point over the disagreement point.
    NashBargaining,
    /// The Kalai–Smorodinsky point over the disagreement point: equal shares of each
    /// principal's maximal gain.
    KalaiSmorodinsky,
}

/// What failure is worth to a party: the disagreement point of the talks (and of a Nash
/// bargaining text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disagreement {
    /// Each party's utility of the status quo.
    StatusQuo,
    /// Each party's reservation utility only (an outside option, as in abstract bargaining
    /// games where breakdown leaves nothing on the table).
    Reservation,
}

/// How an actor's utility falls with the distance of a settlement from its ideal point
/// ([`crate::model::own_utility`], whose module docs give both forms and their sources).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Loss {
    /// City-block: d_i(x) = Σ_j s_ij |x_j − p_ij| / Σ_j s_ij max(p_ij, 1 − p_ij).
    #[default]
    Linear,
    /// Weighted squared Euclidean: d_i(x) = Σ_j s_ij (x_j − p_ij)² / Σ_j s_ij max(p_ij, 1 − p_ij)².
    Quadratic,
}

impl Loss {
    /// The loss's name as scenario files write it.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Linear => "Linear",
            Loss::Quadratic => "Quadratic",
        }
    }
}

/// Proposer recognition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposer {
    /// Principals in turn.
    RoundRobin,
    /// ∝ capability.
    PowerWeighted,
    /// A fixed cycle of actor indices.
    Order(Vec<usize>),
}

/// Acceptance among principals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// All principals.
    Unanimous,
    /// At least k principals.
    Quota(u32),
}

/// Force.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// Utility each side pays.
    pub cost: Value,
    /// How far the winners' positions are imposed.
    pub imposition: Value,
    /// Probability per round of escalating when force looks better.
    pub propensity: Value,
    /// Actor indices that may start a war.
    pub initiators: Vec<usize>,
    /// The issues force can decide, in issue order (every issue when the scenario names none).
    pub issues: Vec<usize>,
}

impl Escalation {
    /// Whether a war decides every issue (and so ends the talks).
    pub fn decides_everything(&self, n_issues: usize) -> bool {
        self.issues.len() == n_issues
    }
}

/// A shock.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Label.
    pub label: String,
    /// When.
    pub timing: Timing,
    /// What it changes.
    pub effects: Vec<Effect>,
}

/// When an event fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Timing {
    /// At the start of this round.
    Round(u32),
    /// With a probability per round inside a window, at most once.
    Window {
        /// First round.
        from: u32,
        /// Last round.
        to: u32,
        /// Probability per round.
        probability: Value,
    },
}

/// How an effect changes a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Replace.
    Set(Value),
    /// Add.
    Add(Value),
    /// Multiply.
    Scale(Value),
}

impl Change {
    /// The amount (sampled per run).
    pub fn amount(&self) -> &Value {
        match self {
            Change::Set(v) | Change::Add(v) | Change::Scale(v) => v,
        }
    }

    /// Applies the change with a realised `amount` to `x`.
    pub fn apply(&self, x: f64, amount: f64) -> f64 {
        match self {
            Change::Set(_) => amount,
            Change::Add(_) => x + amount,
            Change::Scale(_) => x * amount,
        }
    }
}

/// What an event changes (indices into the model).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// An actor's capability.
    Capability {
        /// Actor.
        actor: usize,
        /// Change.
        change: Change,
    },
    /// An actor's salience on an issue.
    Salience {
        /// Actor.
        actor: usize,
        /// Issue.
        issue: usize,
        /// Change.
        change: Change,
    },
    /// An actor's position on an issue.
    Position {
        /// Actor.
        actor: usize,
        /// Issue.
        issue: usize,
        /// Change.
        change: Change,
    },
    /// A relation (`from`'s regard for `to`, and back unless directed).
    Relation {
        /// Actor.
        from: usize,
        /// Actor.
        to: usize,
        /// Change.
        change: Change,
        /// Only one way.
        directed: bool,
    },
    /// An issue's status quo.
    StatusQuo {
        /// Issue.
        issue: usize,
        /// Change.
        change: Change,
    },
    /// An actor leaves.
    RemoveActor {
        /// Actor.
        actor: usize,
    },
}

impl Effect {
    /// The change, if the effect has one.
    pub fn change(&self) -> Option<&Change> {
        match self {
            Effect::Capability { change, .. }
            | Effect::Salience { change, .. }
            | Effect::Position { change, .. }
            | Effect::Relation { change, .. }
            | Effect::StatusQuo { change, .. } => Some(change),
            Effect::RemoveActor { .. } => None,
        }
    }
}

impl Model {
    /// Indices of the principals, in file order.
    pub fn principals(&self) -> impl Iterator<Item = usize> + '_ {
        self.actors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.role == Role::Principal)
            .map(|(i, _)| i)
    }

    /// The index of the actor with this id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    /// The index of the issue with this id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }
}
