//! The teaching trace: one run told round by round.
//!
//! [`TraceRecorder`] is an [`Observer`] that writes down everything a run does, with ids,
//! names, option labels and dates resolved from the model, into a [`Trace`]. A trace renders as
//! prose a student can read ([`Trace::to_text`]) or as one JSON document ([`Trace::to_json`]).
//! [`trace_run`] plays run `k` of a seed exactly as run `k` of a batch
//! (`SimRng::for_run(seed, k)`), so a trace explains any run of a report.

mod text;

use serde::Serialize;

use crate::engine::{
    Answer, Concession, ForceDecision, Observer, Proposal, ProposalKind, Response, RunOutcome,
    Shift, simulate_run,
};
use crate::model::{Change, Effect, Model, Strategy, Tactic, World};
use crate::rng::SimRng;
use crate::scenario::schema::Role;

/// One run, round by round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// The program and version that made it.
    pub treaty: String,
    /// The scenario's name.
    pub scenario: String,
    /// The master seed.
    pub seed: u64,
    /// The run index.
    pub run: u64,
    /// The protocol's name.
    pub protocol: String,
    /// The status quo this run drew (after options and the pie), issue by issue.
    pub status_quo: Vec<Value>,
    /// What this run drew for each actor.
    pub actors: Vec<ActorDraw>,
    /// Standard deviation of perception noise this run.
    pub perception_noise: f64,
    /// Weight of others' gains and losses in effective utility this run.
    pub interdependence: f64,
    /// Force, if the scenario allows it.
    pub force: Option<ForceDraw>,
    /// The rounds played.
    pub rounds: Vec<Round>,
    /// How the run ended.
    pub outcome: Outcome,
}

/// What a run drew for one actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorDraw {
    /// Actor id.
    pub actor: String,
    /// Capability.
    pub capability: f64,
    /// Reservation utility.
    pub reservation: f64,
    /// Utility of the status quo.
    pub status_quo_utility: f64,
    /// `principal`, `mediator` or `stakeholder`.
    pub role: &'static str,
    /// Its strategy with this run's parameters, e.g. `Boulware (β 0.30)`.
    pub strategy: String,
}

/// What a run drew for force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForceDraw {
    /// Who may start a war (actor ids).
    pub initiators: Vec<String>,
    /// Utility each side pays.
    pub cost: f64,
    /// How far the winners' positions are imposed.
    pub imposition: f64,
    /// Probability per round of escalating when force looks better.
    pub propensity: f64,
}

/// A point on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    /// Issue id.
    pub issue: String,
    /// The point on [0, 1].
    pub value: f64,
    /// The option's label, on an optioned issue.
    pub option: Option<String>,
}

/// One round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    /// The round number.
    pub round: u32,
    /// Its date, if the scenario has a calendar start (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Each active actor's held aspiration as the round starts.
    pub aspiration: Vec<AspirationRecord>,
    /// Events that fired.
    pub events: Vec<EventRecord>,
    /// The proposal, if one was tabled.
    pub proposal: Option<ProposalRecord>,
    /// Each active actor's evaluation.
    pub responses: Vec<ResponseRecord>,
    /// Initiators to whom force looked better than the talks.
    pub force: Vec<ForceRecord>,
    /// Concessions after a rejection.
    pub concessions: Vec<ConcessionRecord>,
    /// Position moves (expected-utility model).
    pub shifts: Vec<ShiftRecord>,
}

/// An actor's held aspiration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AspirationRecord {
    /// Actor id.
    pub actor: String,
    /// Its aspiration.
    pub aspiration: f64,
}

/// An event that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    /// Its label.
    pub label: String,
    /// What each effect did, in words.
    pub effects: Vec<String>,
}

/// A proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalRecord {
    /// Who tabled it (actor id), if anyone.
    pub proposer: Option<String>,
    /// `offer`, `text` or `forecast`.
    pub kind: &'static str,
    /// Whether the principals voted on it.
    pub vote: bool,
    /// The point.
    pub point: Vec<Value>,
}

/// An actor's evaluation of a proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseRecord {
    /// Actor id.
    pub actor: String,
    /// Its perceived utility of the proposal.
    pub utility: f64,
    /// What it needed (a principal) or its utility of the status quo (others).
    pub threshold: f64,
    /// Stakeholder pressure on a principal's threshold (positive: lowered it).
    pub pressure: f64,
    /// `accept`, `reject`, `proposed`, `approve` or `oppose`.
    pub answer: &'static str,
}

/// An initiator weighing force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForceRecord {
    /// Initiator id.
    pub initiator: String,
    /// Target id.
    pub target: String,
    /// Probability the initiator's side wins.
    pub win_probability: f64,
    /// Expected value of force.
    pub value: f64,
    /// The initiator's aspiration.
    pub aspiration: f64,
    /// Whether it escalated.
    pub escalated: bool,
}

/// A concession.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcessionRecord {
    /// Actor id.
    pub actor: String,
    /// Aspiration before.
    pub from: f64,
    /// Aspiration after.
    pub to: f64,
}

/// A position move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftRecord {
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// Old position.
    pub from: f64,
    /// New position.
    pub to: f64,
}

/// How the run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// `Agreement`, `Deadlock` or `Conflict`.
    pub kind: &'static str,
    /// The round it ended in.
    pub round: u32,
    /// That round's date, if the scenario has a calendar start.
    pub date: Option<String>,
    /// The settlement.
    pub settlement: Vec<Value>,
    /// Each actor's utility and total concession.
    pub actors: Vec<ActorResult>,
    /// The war, for a conflict.
    pub conflict: Option<ConflictRecord>,
}

/// One actor's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorResult {
    /// Actor id.
    pub actor: String,
    /// Own utility of the settlement (after the cost of war).
    pub utility: f64,
    /// Total concession.
    pub concession: f64,
}

/// A war.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictRecord {
    /// Who escalated.
    pub initiator: String,
    /// Whom it attacked.
    pub target: String,
    /// Whether the initiator's side won.
    pub initiator_won: bool,
    /// The winning side.
    pub winners: Vec<String>,
}

/// Records a run into a [`Trace`].
#[derive(Debug)]
pub struct TraceRecorder<'m> {
    model: &'m Model,
    trace: Trace,
    before: Option<World>,
    /// The run's outcome, once it ended.
    pub outcome: Option<RunOutcome>,
}

/// Plays run `run` of master seed `seed` (exactly run `run` of a batch) and records it.
pub fn trace_run(model: &Model, seed: u64, run: u64) -> Trace {
    let mut recorder = TraceRecorder::new(model, seed, run);
    let mut rng = SimRng::for_run(seed, run);
    simulate_run(model, &mut rng, &mut recorder);
    recorder.finish()
}

impl<'m> TraceRecorder<'m> {
    /// A recorder for run `run` of seed `seed`.
    pub fn new(model: &'m Model, seed: u64, run: u64) -> Self {
        TraceRecorder {
            model,
            trace: Trace {
                treaty: format!("treaty {}", env!("CARGO_PKG_VERSION")),
                scenario: model.name.clone(),
                seed,
                run,
                protocol: model.protocol.name().to_string(),
                status_quo: Vec::new(),
                actors: Vec::new(),
                perception_noise: 0.0,
                interdependence: 0.0,
                force: None,
                rounds: Vec::new(),
                outcome: Outcome {
                    kind: "Deadlock",
                    round: 0,
                    date: None,
                    settlement: Vec::new(),
                    actors: Vec::new(),
                    conflict: None,
                },
            },
            before: None,
            outcome: None,
        }
    }

    /// The trace recorded so far.
    pub fn finish(self) -> Trace {
        self.trace
    }

    fn point(&self, x: &[f64]) -> Vec<Value> {
        self.model
            .issues
            .iter()
            .zip(x)
            .map(|(issue, &value)| Value {
                issue: issue.id.clone(),
                value,
                option: issue
                    .nearest_option(value)
                    .map(|k| issue.options[k].label.clone()),
            })
            .collect()
    }

    fn id(&self, a: usize) -> String {
        self.model.actors[a].id.clone()
    }

    fn date(&self, round: u32) -> Option<String> {
        self.model
            .calendar
            .date_of_round(round)
            .map(|d| d.to_string())
    }

    fn current(&mut self) -> &mut Round {
        if self.trace.rounds.is_empty() {
            self.trace.rounds.push(Round {
                round: 0,
                date: None,
                aspiration: Vec::new(),
                events: Vec::new(),
                proposal: None,
                responses: Vec::new(),
                force: Vec::new(),
                concessions: Vec::new(),
                shifts: Vec::new(),
            });
        }
        let last = self.trace.rounds.len() - 1;
        &mut self.trace.rounds[last]
    }

    /// Describes one effect of event `e` in words, from the world before and after it.
    fn describe(&self, e: usize, f: usize, before: &World, after: &World) -> String {
        let model = self.model;
        let effect = &model.events[e].effects[f];
        let amount = after.effect_amount[e][f];
        let change = |c: &Change| match c {
            Change::Set(_) => format!("set to {}", signed(amount, false)),
            Change::Add(_) => signed(amount, true),
            Change::Scale(_) => format!("×{amount:.2}"),
        };
        let name = |a: usize| model.actors[a].name.as_str();
        let issue = |j: usize| model.issues[j].name.as_str();
        let moved = |from: f64, to: f64, plus: bool| {
            format!("({} → {})", signed(from, plus), signed(to, plus))
        };
        match effect {
            Effect::Capability { actor, change: c } => format!(
                "{}: capability {} {}",
                name(*actor),
                change(c),
                moved(before.capability[*actor], after.capability[*actor], false)
            ),
            Effect::Salience {
                actor,
                issue: j,
                change: c,
            } => format!(
                "{}: salience on {} {} {}",
                name(*actor),
                issue(*j),
                change(c),
                moved(
                    before.salience(*actor, *j),
                    after.salience(*actor, *j),
                    false
                )
            ),
            Effect::Position {
                actor,
                issue: j,
                change: c,
            } => format!(
                "{}: position on {} {} {}",
                name(*actor),
                issue(*j),
                change(c),
                moved(
                    before.position(*actor, *j),
                    after.position(*actor, *j),
                    false
                )
            ),
            Effect::Relation {
                from,
                to,
                change: c,
                directed,
            } => format!(
                "{} {} {}: relation {} {}",
                name(*from),
                if *directed { "→" } else { "–" },
                name(*to),
                change(c),
                moved(
                    before.relation(*from, *to),
                    after.relation(*from, *to),
                    true
                )
            ),
            Effect::StatusQuo {
                issue: j,
                change: c,
            } => format!(
                "Status quo on {}: {} {}",
                issue(*j),
                change(c),
                moved(before.status_quo[*j], after.status_quo[*j], false)
            ),
            Effect::RemoveActor { actor } => format!("{} leaves the table", name(*actor)),
        }
    }
}

/// A number with two decimals and a real minus sign (and a plus sign if `plus`).
fn signed(x: f64, plus: bool) -> String {
    if x < 0.0 {
        format!("−{:.2}", -x)
    } else if plus {
        format!("+{x:.2}")
    } else {
        format!("{x:.2}")
    }
}

/// An actor's strategy with this run's parameters.
fn strategy_name(model: &Model, world: &World, a: usize) -> String {
    match &model.actors[a].strategy {
        Strategy::TimeDependent { tactic, .. } => {
            let name = match tactic {
                Tactic::Boulware => "Boulware",
                Tactic::Linear => "Linear",
                Tactic::Conceder => "Conceder",
            };
            let kappa = world.kappa[a];
            match (*tactic, kappa > 0.0) {
                (Tactic::Linear, false) => name.to_string(),
                (_, false) => format!("{name} (β {:.2})", world.beta[a]),
                (_, true) => format!("{name} (β {:.2}, κ {kappa:.2})", world.beta[a]),
            }
        }
        Strategy::TitForTat => "TitForTat".to_string(),
        Strategy::Hardliner => "Hardliner".to_string(),
        Strategy::Equilibrium => "Equilibrium".to_string(),
    }
}

fn kind_name(kind: ProposalKind) -> &'static str {
    match kind {
        ProposalKind::Offer => "offer",
        ProposalKind::Text => "text",
        ProposalKind::Forecast => "forecast",
    }
}

fn answer_name(answer: Answer) -> &'static str {
    match answer {
        Answer::Accept => "accept",
        Answer::Reject => "reject",
        Answer::Proposed => "proposed",
        Answer::Approve => "approve",
        Answer::Oppose => "oppose",
    }
}

impl Observer for TraceRecorder<'_> {
    fn on_round(&mut self, round: u32, world: &World, aspiration: &[f64]) {
        if self.trace.rounds.is_empty() {
            self.trace.status_quo = self.point(&world.status_quo);
            self.trace.actors = (0..world.n_actors)
                .map(|a| ActorDraw {
                    actor: self.id(a),
                    capability: world.capability[a],
                    reservation: world.reservation[a],
                    status_quo_utility: crate::model::own_utility(world, a, &world.status_quo),
                    role: match self.model.actors[a].role {
                        Role::Principal => "principal",
                        Role::Mediator => "mediator",
                        Role::Stakeholder => "stakeholder",
                    },
                    strategy: strategy_name(self.model, world, a),
                })
                .collect();
            self.trace.perception_noise = world.perception_noise;
            self.trace.interdependence = world.interdependence;
            self.trace.force = self.model.escalation.as_ref().map(|e| ForceDraw {
                initiators: e.initiators.iter().map(|&a| self.id(a)).collect(),
                cost: world.war_cost,
                imposition: world.imposition,
                propensity: world.propensity,
            });
        }
        let round = Round {
            round,
            date: self.date(round),
            aspiration: (0..world.n_actors)
                .filter(|&a| world.active[a])
                .map(|a| AspirationRecord {
                    actor: self.id(a),
                    aspiration: aspiration[a],
                })
                .collect(),
            events: Vec::new(),
            proposal: None,
            responses: Vec::new(),
            force: Vec::new(),
            concessions: Vec::new(),
            shifts: Vec::new(),
        };
        self.trace.rounds.push(round);
        self.before = Some(world.clone());
    }

    fn on_event(&mut self, _round: u32, event: usize, world: &World) {
        let before = self.before.take().unwrap_or_else(|| world.clone());
        let effects = (0..self.model.events[event].effects.len())
            .map(|f| self.describe(event, f, &before, world))
            .collect();
        let label = self.model.events[event].label.clone();
        self.current().events.push(EventRecord { label, effects });
        self.before = Some(world.clone());
    }

    fn on_proposal(&mut self, p: &Proposal<'_>) {
        let record = ProposalRecord {
            proposer: p.proposer.map(|a| self.id(a)),
            kind: kind_name(p.kind),
            vote: p.vote,
            point: self.point(p.point),
        };
        self.current().proposal = Some(record);
    }

    fn on_response(&mut self, r: &Response) {
        let record = ResponseRecord {
            actor: self.id(r.actor),
            utility: r.utility,
            threshold: r.threshold,
            pressure: r.pressure,
            answer: answer_name(r.answer),
        };
        self.current().responses.push(record);
    }

    fn on_force(&mut self, d: &ForceDecision) {
        let record = ForceRecord {
            initiator: self.id(d.initiator),
            target: self.id(d.target),
            win_probability: d.win_probability,
            value: d.value,
            aspiration: d.aspiration,
            escalated: d.escalated,
        };
        self.current().force.push(record);
    }

    fn on_concession(&mut self, c: &Concession) {
        let record = ConcessionRecord {
            actor: self.id(c.actor),
            from: c.from,
            to: c.to,
        };
        self.current().concessions.push(record);
    }

    fn on_shift(&mut self, s: &Shift) {
        let record = ShiftRecord {
            actor: self.id(s.actor),
            issue: self.model.issues[s.issue].id.clone(),
            from: s.from,
            to: s.to,
        };
        self.current().shifts.push(record);
    }

    fn on_end(&mut self, o: &RunOutcome) {
        self.trace.outcome = Outcome {
            kind: o.kind.name(),
            round: o.round,
            date: self.date(o.round),
            settlement: self.point(&o.settlement),
            actors: (0..o.utility.len())
                .map(|a| ActorResult {
                    actor: self.id(a),
                    utility: o.utility[a],
                    concession: o.concession[a],
                })
                .collect(),
            conflict: o.conflict.as_ref().map(|c| ConflictRecord {
                initiator: self.id(c.initiator),
                target: self.id(c.target),
                initiator_won: c.initiator_won,
                winners: c.winners.iter().map(|&a| self.id(a)).collect(),
            }),
        };
        self.outcome = Some(o.clone());
    }
}

impl Trace {
    /// The trace as one JSON document (pretty-printed, ends with a newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string());
        s.push('\n');
        s
    }

    /// The trace as prose for a student (see the module docs); `model` must be the model the
    /// trace was recorded from.
    pub fn to_text(&self, model: &Model) -> String {
        text::render(self, model)
    }
}
