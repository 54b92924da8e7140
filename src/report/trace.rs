//! The teaching trace: one run told round by round.
//!
//! [`TraceRecorder`] is an [`Observer`] that writes down everything a run does, with ids,
//! names, option labels and dates resolved from the model, into a [`Trace`]. A trace renders as
//! prose a student can read ([`Trace::to_text`]) or as one JSON document (through
//! [`Render`](crate::report::Render)).
//! [`replay_run`](crate::montecarlo::replay_run) plays run `k` of a seed exactly as run `k` of
//! a batch, so a trace explains any run of a report:
//!
//! ```
//! use treaty::montecarlo::replay_run;
//! use treaty::report::trace::TraceRecorder;
//!
//! let model = treaty::scenario::load("rubinstein-pie")?.model;
//! let mut recorder = TraceRecorder::new(&model, 42, 7); // run 7 of seed 42
//! replay_run(&model, 42, 7, &mut recorder);
//! let trace = recorder.finish();
//! assert!(trace.to_text().contains("Agreement"));
//! # Ok::<(), treaty::scenario::ScenarioError>(())
//! ```

mod ending;
mod header;
mod record;
mod text;

pub use record::{
    ActorDraw, ActorResult, AspirationRecord, BreakdownRecord, ConcessionRecord, ConflictRecord,
    EventRecord, FloorRecord, ForceDraw, ForceRecord, IssueValue, Outcome, ProposalRecord,
    ResponseRecord, Round, ShiftRecord, Trace,
};

use super::format;
use crate::engine::{
    Answer, Breakdown, Concession, ForceDecision, Observer, Proposal, ProposalKind, Response,
    RunOutcome, Shift,
};
use crate::model::Role;
use crate::model::{Change, Effect, Model, Strategy, Tactic, World};

/// Records a run into a [`Trace`].
#[derive(Debug)]
pub struct TraceRecorder<'m> {
    model: &'m Model,
    trace: Trace,
    before: Option<World>,
    /// The run's outcome, once it ended.
    pub outcome: Option<RunOutcome>,
}

impl<'m> TraceRecorder<'m> {
    /// A recorder for run `run` of seed `seed`.
    pub fn new(model: &'m Model, seed: u64, run: u64) -> Self {
        TraceRecorder {
            model,
            trace: Trace {
                model: model.clone(),
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
                breakdowns: Vec::new(),
                rounds: Vec::new(),
                outcome: Outcome {
                    kind: "Deadlock",
                    round: 0,
                    date: None,
                    settlement: Vec::new(),
                    actors: Vec::new(),
                    wars: Vec::new(),
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

    fn point(&self, x: &[f64]) -> Vec<IssueValue> {
        self.model
            .issues
            .iter()
            .zip(x)
            .map(|(issue, &value)| IssueValue {
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

/// A number with two decimals and a real minus sign (and a sign either way if `plus`).
fn signed(x: f64, plus: bool) -> String {
    if plus {
        format::signed(x, 2)
    } else {
        format::number(x, 2)
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

    fn on_breakdown(&mut self, b: &Breakdown<'_>) {
        let record = BreakdownRecord {
            round: b.round,
            threat: b.threat.map(|a| self.id(a)),
            actors: (0..b.values.len())
                .map(|a| FloorRecord {
                    actor: self.id(a),
                    breakdown: b.values[a],
                    floor: b.floors[a],
                })
                .collect(),
        };
        self.trace.breakdowns.push(record);
    }

    fn on_force(&mut self, d: &ForceDecision) {
        let record = ForceRecord {
            initiator: self.id(d.initiator),
            target: self.id(d.target),
            win_probability: d.win_probability,
            believed: d.believed,
            value: d.value,
            table: d.table,
            going_on: d.going_on,
            propensity: d.propensity,
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
            wars: o
                .wars
                .iter()
                .map(|c| ConflictRecord {
                    round: c.round,
                    total: c.total,
                    initiator: self.id(c.initiator),
                    target: self.id(c.target),
                    initiator_won: c.initiator_won,
                    winners: c.winners.iter().map(|&a| self.id(a)).collect(),
                })
                .collect(),
        };
        self.outcome = Some(o.clone());
    }
}

impl Trace {
    /// The trace as prose for a student (see the module docs).
    pub fn to_text(&self) -> String {
        text::render(self, &self.model)
    }
}
