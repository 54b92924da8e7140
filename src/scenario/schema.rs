//! The scenario file format: raw serde types, exactly as written in RON.
//!
//! These types mirror the file one to one; they are checked and turned into the engine's
//! [`Model`](crate::model::Model) by [`validate`](super::validate). Every struct and enum denies
//! unknown fields, so a misspelt field is an error at its line and column. Optional fields may be
//! written bare (`kappa: 0.1`): the loader enables RON's `implicit_some` extension.
//!
//! The README's "Scenario format" section is the reference with examples for every field.

use serde::{Deserialize, Serialize};

use super::ordered::OrderedMap;
use crate::model::Value;

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name, description, sources, and the calendar of rounds.
    pub metadata: Metadata,
    /// The issues negotiated (at least one).
    pub issues: Vec<IssueSpec>,
    /// The actors (at least two principals).
    pub actors: Vec<ActorSpec>,
    /// Alliances and rivalries.
    #[serde(default)]
    pub relations: Vec<RelationSpec>,
    /// How the negotiation proceeds.
    pub protocol: ProtocolSpec,
    /// Whether and how actors may resort to force. Absent: force is never used.
    #[serde(default)]
    pub escalation: Option<EscalationSpec>,
    /// Shocks, scheduled or random.
    #[serde(default)]
    pub events: Vec<EventSpec>,
    /// Standard deviation of the perception noise added to every evaluation of a proposal
    /// (utility units, domain [0, ∞)). Default 0: actors see proposals exactly.
    #[serde(default)]
    pub perception_noise: Value,
    /// Issue ids that are shares of one divisible pie (a divide-the-dollar game, as in
    /// Baron–Ferejohn): every settlement's shares sum to at most 1. Default: none.
    #[serde(default)]
    pub pie: Vec<String>,
    /// Weight λ of others' gains and losses in an actor's effective utility (domain [0, 1]).
    /// Default 0.25.
    #[serde(default = "default_interdependence")]
    pub interdependence: Value,
    /// What talks that fail are worth to each party when no threat of force is credible: the
    /// status quo (default), or only its reservation utility.
    #[serde(default)]
    pub disagreement: DisagreementSpec,
    /// How an actor's utility falls with the salience-weighted distance of a settlement from its
    /// ideal point: `Linear` (city-block, the default) or `Quadratic` (squared weighted
    /// Euclidean distance).
    #[serde(default)]
    pub loss: LossSpec,
}

fn default_interdependence() -> Value {
    Value::Const(0.25)
}

/// Descriptive metadata and the calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// A short name.
    pub name: String,
    /// One line saying what the scenario is (shown by `treaty scenarios`).
    pub description: String,
    /// Where the numbers come from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// What one round stands for: `"N day(s)"`, `"N week(s)"`, `"N month(s)"` or `"N year(s)"`.
    /// Default `"1 month"`.
    #[serde(default = "default_round")]
    pub round: String,
    /// The date of round 1, `YYYY-MM-DD`. Absent: reports speak of round numbers only.
    #[serde(default)]
    pub start: Option<String>,
}

fn default_round() -> String {
    "1 month".to_string()
}

/// One issue: a dimension of the settlement on [0, 1].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueSpec {
    /// Identifier used by stances, events and overrides (letters, digits, `_`, `-`).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// What 0 means.
    pub low: String,
    /// What 1 means.
    pub high: String,
    /// What holds without agreement, in [0, 1].
    pub status_quo: Value,
    /// Labelled options. Empty: the issue is continuous. Otherwise settlements are options,
    /// sorted by `at`, in [0, 1].
    #[serde(default)]
    pub options: Vec<OptionSpec>,
}

/// A labelled option on an issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    /// The option's point on [0, 1].
    pub at: f64,
    /// What the option is.
    pub label: String,
}

/// An actor: a state, an organisation, a mediator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    /// Identifier (letters, digits, `_`, `-`).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// What its signature counts for.
    pub role: RoleSpec,
    /// Relative power over this dispute, > 0.
    pub capability: Value,
    /// Risk exponent a > 0 of the utility curve u = (1 − d)^a: 1 neutral, < 1 averse, > 1
    /// acceptant. Default 1.
    #[serde(default = "one")]
    pub risk: Value,
    /// Utility of its best alternative to agreement, in [0, 1]: it never accepts less.
    /// Default 0.
    #[serde(default)]
    pub reservation: Value,
    /// How it concedes. Default `Linear`.
    #[serde(default)]
    pub strategy: StrategySpec,
    /// How far it overrates its own side's chance of winning a war, in [−1, 1] (added to the
    /// win probability it perceives; negative: pessimism). Default 0.
    #[serde(default)]
    pub optimism: Value,
    /// Ideal position and salience per issue id. An issue not listed has salience 0.
    #[serde(default)]
    pub stances: OrderedMap<StanceSpec>,
}

fn one() -> Value {
    Value::Const(1.0)
}

/// What an actor's signature counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RoleSpec {
    /// Must accept for an agreement (subject to the acceptance rule).
    Principal,
    /// Proposes texts, cannot veto.
    Mediator,
    /// Cannot veto; pressures allied principals.
    Stakeholder,
}

/// An actor's ideal point and salience on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceSpec {
    /// Ideal point on [0, 1].
    pub position: Value,
    /// How much the actor cares, ≥ 0 (relative to its other issues).
    pub salience: Value,
}

/// The family of a time-dependent tactic's concession curve (Faratin, Sierra & Jennings 1998).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum FamilySpec {
    /// α(t) = κ + (1 − κ)(t/T)^(1/β).
    #[default]
    Polynomial,
    /// α(t) = exp((1 − t/T)^β ln κ).
    Exponential,
}

impl FamilySpec {
    /// Whether this is the default family (left out when a scenario is written).
    pub fn is_polynomial(&self) -> bool {
        *self == FamilySpec::Polynomial
    }
}

/// A concession strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum StrategySpec {
    /// Faratin et al. time-dependent tactic with β < 1: holds out, concedes late.
    Boulware {
        /// Concession exponent β in (0, 1).
        beta: Value,
        /// Initial concession κ in [0, 1) (in (0, 1) for the exponential family). Default 0.
        #[serde(default)]
        kappa: Value,
        /// The family of the concession curve. Default `Polynomial`.
        #[serde(default, skip_serializing_if = "FamilySpec::is_polynomial")]
        family: FamilySpec,
    },
    /// Faratin et al. time-dependent tactic with β = 1.
    #[default]
    Linear,
    /// Faratin et al. time-dependent tactic with β > 1: concedes early.
    Conceder {
        /// Concession exponent β ≥ 1.
        beta: Value,
        /// Initial concession κ in [0, 1) (in (0, 1) for the exponential family). Default 0.
        #[serde(default)]
        kappa: Value,
        /// The family of the concession curve. Default `Polynomial`.
        #[serde(default, skip_serializing_if = "FamilySpec::is_polynomial")]
        family: FamilySpec,
    },
    /// Concedes as much as the others just did.
    TitForTat,
    /// Never moves.
    Hardliner,
    /// Subgame-perfect play where the game has a known solution (Rubinstein, Baron–Ferejohn).
    Equilibrium,
}

/// An alliance (> 0) or rivalry (< 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationSpec {
    /// First actor id.
    pub a: String,
    /// Second actor id.
    pub b: String,
    /// Signed strength in [−1, 1].
    pub strength: Value,
    /// If true, only `a`'s regard for `b`; otherwise both ways. Default false.
    #[serde(default)]
    pub directed: bool,
}

/// The negotiation protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ProtocolSpec {
    /// Stacked alternating offers among the principals.
    AlternatingOffers {
        /// Deadline in rounds (1 ..= 1,000,000 for alternating offers, 1 ..= 100,000 otherwise).
        max_rounds: u32,
        /// Who proposes each round. Default `RoundRobin`.
        #[serde(default)]
        proposer: ProposerSpec,
        /// When a proposal passes. Default `Unanimous`.
        #[serde(default)]
        acceptance: AcceptanceSpec,
        /// Per-round discount factor δ in (0, 1] per actor id (Rubinstein): an agreement in round
        /// r is worth δ^(r−1) of its utility. Actors not listed do not discount (δ = 1).
        #[serde(default)]
        discount: OrderedMap<Value>,
    },
    /// A mediator tables and amends a single negotiating text.
    Mediated {
        /// The mediator's actor id.
        mediator: String,
        /// The first text.
        #[serde(default)]
        text: TextSpec,
        /// Share of the distance to a rejecting party's position the text moves per round, in
        /// (0, 1]. Default 0.1.
        #[serde(default = "default_step")]
        step: Value,
        /// Deadline in rounds (1 ..= 1,000,000 for alternating offers, 1 ..= 100,000 otherwise).
        max_rounds: u32,
        /// The disagreement point of the Nash text. Default `StatusQuo`.
        #[serde(default)]
        disagreement: DisagreementSpec,
    },
    /// Bueno de Mesquita's expected-utility model (Scholz et al. 2011).
    ExpectedUtility {
        /// Number of challenge rounds (1 ..= 100,000).
        max_rounds: u32,
        /// Which reconstruction runs. Default `ScholzPaper`.
        #[serde(default)]
        variant: EuVariantSpec,
    },
}

fn default_step() -> Value {
    Value::Const(0.1)
}

/// Proposer recognition rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum ProposerSpec {
    /// Principals in turn, in file order.
    #[default]
    RoundRobin,
    /// Drawn each round with probability proportional to capability (Baron–Ferejohn).
    PowerWeighted,
    /// A fixed cycle of actor ids.
    Order(Vec<String>),
}

/// Acceptance rule among principals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum AcceptanceSpec {
    /// Every principal must accept.
    #[default]
    Unanimous,
    /// At least k principals (the proposer included, when it is a principal) must accept.
    Quota(u32),
}

/// The mediator's first text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum TextSpec {
    /// Capability × salience weighted mean of the principals' positions, issue by issue.
    #[default]
    Compromise,
    /// The capability-weighted Nash bargaining point over the disagreement point.
    NashBargaining,
    /// The Kalai–Smorodinsky point over the disagreement point.
    KalaiSmorodinsky,
}

/// Which reconstruction of the expected-utility model runs
/// ([`crate::model::ExpectedUtilityVariant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum EuVariantSpec {
    /// The equations as printed by Scholz, Calbert & Smith (2011).
    #[default]
    ScholzPaper,
    /// The dynamics of their published code, as its public port carries them.
    ScholzCode,
}

/// The disagreement point of a Nash bargaining text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum DisagreementSpec {
    /// Each party's utility of the status quo.
    #[default]
    StatusQuo,
    /// Each party's reservation utility.
    Reservation,
}

/// How utility falls with distance ([`crate::model::Loss`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum LossSpec {
    /// City-block distance.
    #[default]
    Linear,
    /// Squared weighted Euclidean distance.
    Quadratic,
}

/// Whether and how actors may resort to force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationSpec {
    /// Whether force may be used at all. Default true (set false to switch it off in a variant).
    #[serde(default = "yes")]
    pub allowed: bool,
    /// Utility each side pays for fighting, in [0, 1].
    pub cost: Value,
    /// How far the settlement moves from the status quo to the winners' positions, in [0, 1].
    pub imposition: Value,
    /// Probability per round, in [0, 1], that an actor whose expected value of force beats its
    /// aspiration actually escalates. Default 0.1.
    #[serde(default = "default_propensity")]
    pub propensity: Value,
    /// Who may start a war. Default: every principal.
    #[serde(default)]
    pub initiators: Option<Vec<String>>,
    /// The issues force can decide (the ground an initiator can seize). Default: every issue,
    /// and a war ends the talks.
    #[serde(default)]
    pub issues: Option<Vec<String>>,
}

fn yes() -> bool {
    true
}

fn default_propensity() -> Value {
    Value::Const(0.1)
}

/// A shock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// What happened, for traces and reports.
    pub label: String,
    /// When it fires.
    pub at: TimingSpec,
    /// What it changes (at least one effect).
    pub effects: Vec<EffectSpec>,
}

/// When an event fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TimingSpec {
    /// At the start of this round (1-based).
    Round(u32),
    /// With this probability at the start of each round in `from ..= to`, at most once.
    Window {
        /// First round of the window.
        from: u32,
        /// Last round of the window.
        to: u32,
        /// Probability per round, in [0, 1].
        probability: Value,
    },
}

/// How an effect changes a number. The result is clamped to the number's domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ChangeSpec {
    /// Replace the number.
    Set(Value),
    /// Add to it (negative to subtract).
    Add(Value),
    /// Multiply it (≥ 0).
    Scale(Value),
}

/// What an event changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum EffectSpec {
    /// An actor's capability.
    Capability {
        /// Actor id.
        actor: String,
        /// The change.
        change: ChangeSpec,
    },
    /// An actor's salience on an issue.
    Salience {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// The change.
        change: ChangeSpec,
    },
    /// An actor's ideal position on an issue.
    Position {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// The change.
        change: ChangeSpec,
    },
    /// The relation between two actors (both ways unless `directed`).
    Relation {
        /// First actor id.
        a: String,
        /// Second actor id.
        b: String,
        /// The change.
        change: ChangeSpec,
        /// Only `a`'s regard for `b`. Default false.
        #[serde(default)]
        directed: bool,
    },
    /// The status quo of an issue (a fait accompli).
    StatusQuo {
        /// Issue id.
        issue: String,
        /// The change.
        change: ChangeSpec,
    },
    /// An actor leaves the negotiation (it no longer proposes, votes or pressures).
    RemoveActor {
        /// Actor id.
        actor: String,
    },
}

impl From<RoleSpec> for crate::model::Role {
    fn from(role: RoleSpec) -> Self {
        match role {
            RoleSpec::Principal => Self::Principal,
            RoleSpec::Mediator => Self::Mediator,
            RoleSpec::Stakeholder => Self::Stakeholder,
        }
    }
}

impl From<TextSpec> for crate::model::MediatorText {
    fn from(text: TextSpec) -> Self {
        match text {
            TextSpec::Compromise => Self::Compromise,
            TextSpec::NashBargaining => Self::NashBargaining,
            TextSpec::KalaiSmorodinsky => Self::KalaiSmorodinsky,
        }
    }
}

impl From<EuVariantSpec> for crate::model::ExpectedUtilityVariant {
    fn from(v: EuVariantSpec) -> Self {
        match v {
            EuVariantSpec::ScholzPaper => Self::ScholzPaper,
            EuVariantSpec::ScholzCode => Self::ScholzCode,
        }
    }
}

impl From<DisagreementSpec> for crate::model::Disagreement {
    fn from(d: DisagreementSpec) -> Self {
        match d {
            DisagreementSpec::StatusQuo => Self::StatusQuo,
            DisagreementSpec::Reservation => Self::Reservation,
        }
    }
}

impl From<LossSpec> for crate::model::Loss {
    fn from(l: LossSpec) -> Self {
        match l {
            LossSpec::Linear => Self::Linear,
            LossSpec::Quadratic => Self::Quadratic,
        }
    }
}
