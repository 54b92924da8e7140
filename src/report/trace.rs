//! The teaching trace: one run told round by round.
//!
//! [`TraceRecorder`] is an [`Observer`] that writes down everything a run does, with ids,
//! names, option labels and dates resolved from the model, into a [`Trace`]. A trace renders as
//! prose a student can read ([`Trace::to_text`]) or as one JSON document ([`TRACE_SCHEMA`],
//! through [`Render`](crate::report::Render)): what failure would mean for every principal, each
//! round's proposals (the round's proposal, then the mediators' text if it was rejected) each
//! with its answers, each initiator's weighing of force, and the wars fought.
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
    ActorDraw, ActorResult, ActorRisk, AspirationRecord, BreakdownRecord, ConcessionRecord,
    DEFAULT_TRACE_ROUNDS, EventRecord, FloorRecord, ForceDraw, ForceRecord, ForecastRecord,
    ImposedRecord, IssueValue, Outcome, ProposalRecord, ResponseRecord, RiskRecord, Round,
    RoundsShown, ShiftRecord, TRACE_SCHEMA, Trace, WarRecord,
};

use super::format;
use crate::engine::{
    Answer, Breakdown, Concession, ForceDecision, Observer, OutcomeKind, Proposal, ProposalKind,
    Response, RiskExponents, RunOutcome, Shift,
};
use crate::model::Role;
use crate::model::{Change, Effect, Family, Model, Strategy, Tactic, World};

/// Records a run into a [`Trace`].
#[derive(Debug)]
pub struct TraceRecorder<'m> {
    model: &'m Model,
    trace: Trace,
    before: Option<World>,
    /// The status quo as it stands (events and limited wars move it).
    status_quo: Vec<f64>,
    /// Whether an initiator escalated in this round (so the next war is its, not breakdown's).
    escalated: bool,
    /// The run's outcome, once it ended.
    pub outcome: Option<RunOutcome>,
    /// The rounds recorded in full, first and last (the last round played always is).
    window: (u32, u32),
    /// Whether the first round has begun (the run's draws are recorded then).
    started: bool,
    /// Whether a round outside the window was played and left out.
    omitted: bool,
}

impl<'m> TraceRecorder<'m> {
    /// A recorder for run `run` of seed `seed`.
    pub fn new(model: &'m Model, seed: u64, run: u64) -> Self {
        TraceRecorder {
            model,
            trace: Trace {
                schema: TRACE_SCHEMA.into(),
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
                rounds_shown: None,
                outcome: Outcome {
                    kind: "Deadlock",
                    round: 0,
                    date: None,
                    settlement: Vec::new(),
                    actors: Vec::new(),
                    wars: Vec::new(),
                    forecasts: Vec::new(),
                },
            },
            before: None,
            status_quo: Vec::new(),
            escalated: false,
            outcome: None,
            window: (1, DEFAULT_TRACE_ROUNDS),
            started: false,
            omitted: false,
        }
    }

    /// Records rounds `from` to `to` (1 ≤ from ≤ to) in full, and the last round played; the
    /// others are played but left out (memory holds the window, whatever the run's length).
    /// By default rounds 1 to [`DEFAULT_TRACE_ROUNDS`].
    pub fn with_rounds(mut self, from: u32, to: u32) -> Self {
        self.window = (from.max(1), to.max(from.max(1)));
        self
    }

    /// The trace recorded so far.
    pub fn finish(mut self) -> Trace {
        if self.omitted {
            self.trace.rounds_shown = Some(RoundsShown {
                from: self.window.0,
                to: self.window.1,
            });
        }
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

    /// Notes in the current round the status quo as it stands, if it moved since the run's
    /// opening.
    fn moved_status_quo(&mut self) {
        let moved = self
            .trace
            .status_quo
            .iter()
            .zip(&self.status_quo)
            .any(|(v, &x)| v.value != x);
        let point = moved.then(|| self.point(&self.status_quo));
        if let Some(round) = self.trace.rounds.last_mut() {
            round.status_quo = point;
        }
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
                status_quo: None,
                breakdown: None,
                proposals: Vec::new(),
                force: Vec::new(),
                wars: Vec::new(),
                concessions: Vec::new(),
                shifts: Vec::new(),
                risk: Vec::new(),
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
        Strategy::TimeDependent { tactic, family, .. } => {
            let name = match (tactic, family) {
                (Tactic::Boulware, Family::Polynomial) => "Boulware",
                (Tactic::Linear, _) => "Linear",
                (Tactic::Conceder, Family::Polynomial) => "Conceder",
                (Tactic::Boulware, Family::Exponential) => "Boulware exponential",
                (Tactic::Conceder, Family::Exponential) => "Conceder exponential",
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
        // The previous round is left out if it is outside the window (it was not the last).
        if let Some(last) = self.trace.rounds.last()
            && last.round != 0
            && !(self.window.0..=self.window.1).contains(&last.round)
        {
            self.trace.rounds.pop();
            self.omitted = true;
        }
        if !self.started {
            self.started = true;
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
            status_quo: None,
            breakdown: None,
            proposals: Vec::new(),
            force: Vec::new(),
            wars: Vec::new(),
            concessions: Vec::new(),
            shifts: Vec::new(),
            risk: Vec::new(),
        };
        self.trace.rounds.push(round);
        self.before = Some(world.clone());
        self.status_quo.clone_from(&world.status_quo);
        self.escalated = false;
        self.moved_status_quo();
    }

    fn on_event(&mut self, _round: u32, event: usize, world: &World) {
        let before = self.before.take().unwrap_or_else(|| world.clone());
        let effects = (0..self.model.events[event].effects.len())
            .map(|f| self.describe(event, f, &before, world))
            .collect();
        let label = self.model.events[event].label.clone();
        self.current().events.push(EventRecord { label, effects });
        self.before = Some(world.clone());
        self.status_quo.clone_from(&world.status_quo);
        self.moved_status_quo();
    }

    fn on_proposal(&mut self, p: &Proposal<'_>) {
        let record = ProposalRecord {
            proposer: p.proposer.map(|a| self.id(a)),
            kind: kind_name(p.kind),
            vote: p.vote,
            mediator_text: p.mediator_text,
            agreed: false,
            point: self.point(p.point),
            responses: Vec::new(),
        };
        self.current().proposals.push(record);
    }

    fn on_response(&mut self, r: &Response) {
        let record = ResponseRecord {
            actor: self.id(r.actor),
            utility: r.utility,
            threshold: r.threshold,
            pressure: r.pressure,
            floor: r.floor,
            answer: answer_name(r.answer),
        };
        let round = self.current();
        if round.proposals.is_empty() {
            // Answers come after their proposal; an answer without one keeps a blank proposal.
            round.proposals.push(ProposalRecord {
                proposer: None,
                kind: "proposal",
                vote: true,
                mediator_text: r.mediator_text,
                agreed: false,
                point: Vec::new(),
                responses: Vec::new(),
            });
        }
        if let Some(p) = round.proposals.last_mut() {
            p.responses.push(record);
        }
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
        // Worked out during the run: after a limited war of this round, or after its events.
        if b.round > 0
            && let Some(round) = self.trace.rounds.last_mut()
            && round.round == b.round
        {
            if round.wars.is_empty() {
                round.breakdown.get_or_insert_with(|| record.clone());
            } else if let Some(war) = round.wars.last_mut() {
                war.breakdown.get_or_insert_with(|| record.clone());
            }
        }
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
        self.escalated |= d.escalated;
        self.current().force.push(record);
    }

    fn on_war(&mut self, w: &crate::engine::WarRecord) {
        let ids = |list: &[usize]| list.iter().map(|&a| self.id(a)).collect::<Vec<_>>();
        let decided = self
            .model
            .escalation
            .as_ref()
            .map_or(&[][..], |e| e.issues.as_slice());
        let imposed = decided
            .iter()
            .filter_map(|&j| {
                let issue = self.model.issues.get(j)?;
                let to = *w.settlement.get(j)?;
                Some(ImposedRecord {
                    issue: issue.id.clone(),
                    from: self.status_quo.get(j).copied().unwrap_or(f64::NAN),
                    to,
                    option: issue
                        .nearest_option(to)
                        .map(|k| issue.options[k].label.clone()),
                })
            })
            .collect();
        let record = WarRecord {
            round: w.round,
            date: self.date(w.round),
            total: w.total,
            at_breakdown: !self.escalated,
            // Talks go on after a war until the run ends as a conflict (on_end).
            ended_talks: false,
            initiator: self.id(w.initiator),
            target: self.id(w.target),
            initiator_won: w.initiator_won,
            winners: ids(&w.winners),
            losers: ids(&w.losers),
            imposed,
            settlement: self.point(&w.settlement),
            breakdown: None,
        };
        self.escalated = false;
        // A limited war's settlement is the new status quo.
        self.status_quo.clone_from(&w.settlement);
        self.current().wars.push(record);
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

    fn on_risk(&mut self, r: &RiskExponents<'_>) {
        let record = RiskRecord {
            issue: self.model.issues[r.issue].id.clone(),
            exponents: r
                .actors
                .iter()
                .zip(r.risk)
                .map(|(&a, &r)| ActorRisk {
                    actor: self.id(a),
                    r,
                })
                .collect(),
        };
        self.current().risk.push(record);
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
            wars: Vec::new(),
            forecasts: o
                .forecasts
                .iter()
                .zip(&self.model.issues)
                .map(|(f, issue)| ForecastRecord {
                    issue: issue.id.clone(),
                    weighted_median: f.weighted_median,
                    condorcet: f.condorcet,
                })
                .collect(),
        };
        // The run's last war ended the talks if the run is a conflict; an agreement is the last
        // proposal tabled.
        let rounds = &mut self.trace.rounds;
        if o.kind == OutcomeKind::Conflict
            && let Some(war) = rounds.iter_mut().rev().find_map(|r| r.wars.last_mut())
        {
            war.ended_talks = true;
        }
        if o.kind == OutcomeKind::Agreement
            && let Some(p) = rounds.last_mut().and_then(|r| r.proposals.last_mut())
        {
            p.agreed = true;
        }
        self.trace.outcome.wars = rounds.iter().flat_map(|r| r.wars.clone()).collect();
        self.outcome = Some(o.clone());
    }
}

impl Trace {
    /// The trace as prose for a student (see the module docs), safe to print on a terminal:
    /// names and labels are cut to their columns and their control characters replaced
    /// ([`format::terminal_safe`](crate::report::format::terminal_safe)); it ends with a line
    /// feed.
    pub fn to_text(&self) -> String {
        let text = text::render(self, &self.model);
        let mut safe = crate::report::format::terminal_safe(&text).into_owned();
        if !safe.ends_with('\n') {
            safe.push('\n');
        }
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::toy_model;
    use crate::engine::{Answer, ProposalKind, WarRecord as EngineWar};
    use crate::model::{Escalation, Value};
    use crate::report::{Format, Render};
    use crate::rng::SimRng;

    /// The toy model with force: A may attack, and force decides the border only.
    fn model() -> Model {
        let mut m = toy_model();
        m.escalation = Some(Escalation {
            cost: Value::Const(0.1),
            imposition: Value::Const(0.5),
            propensity: Value::Const(0.07),
            initiators: vec![0],
            issues: vec![0],
        });
        m
    }

    fn response(
        actor: usize,
        utility: f64,
        threshold: f64,
        floor: f64,
        answer: Answer,
    ) -> Response {
        Response {
            round: 1,
            actor,
            utility,
            threshold,
            pressure: 0.0,
            floor,
            mediator_text: false,
            answer,
        }
    }

    /// Plays a made-up run into a recorder: A's threat stands behind failure; in round 1 A's
    /// offer and the mediators' text are rejected, A escalates and wins a limited war over the
    /// border; in round 2 B's offer is agreed.
    fn recorded(model: &Model) -> Trace {
        let mut world = model.sample(&SimRng::for_run(0, 0));
        let r = world.reservation.clone();
        let mut rec = TraceRecorder::new(model, 0, 0);
        // A expects 0.8 from its war, B 0.75 (above its reservation: the war is its floor).
        let values = [0.8, 0.75, 0.3];
        let floors = [0.8f64.max(r[0]), 0.75f64.max(r[1]), 0.3f64.max(r[2])];
        rec.on_breakdown(&Breakdown {
            round: 0,
            threat: Some(0),
            values: &values,
            floors: &floors,
        });
        rec.on_round(1, &world, &[1.0, 1.0, 0.0]);
        let offer = [0.2, 0.0];
        rec.on_proposal(&Proposal {
            round: 1,
            proposer: Some(0),
            kind: ProposalKind::Offer,
            point: &offer,
            vote: true,
            mediator_text: false,
        });
        rec.on_response(&response(0, 1.0, 1.0, floors[0], Answer::Proposed));
        rec.on_response(&response(1, 0.30, floors[1], floors[1], Answer::Reject));
        let text = [0.5, 0.5];
        rec.on_proposal(&Proposal {
            round: 1,
            proposer: Some(2),
            kind: ProposalKind::Text,
            point: &text,
            vote: true,
            mediator_text: true,
        });
        let mediated = |r: Response| Response {
            mediator_text: true,
            ..r
        };
        rec.on_response(&mediated(response(0, 0.9, 0.85, floors[0], Answer::Accept)));
        rec.on_response(&mediated(response(1, 0.6, 0.9, floors[1], Answer::Reject)));
        rec.on_force(&ForceDecision {
            round: 1,
            initiator: 0,
            target: 1,
            win_probability: 0.75,
            believed: 0.78,
            value: 0.61,
            table: 0.55,
            going_on: 0.58,
            propensity: 0.07,
            escalated: true,
        });
        let mut settlement = world.status_quo.clone();
        settlement[0] = 0.3;
        let war = EngineWar {
            round: 1,
            initiator: 0,
            target: 1,
            initiator_won: true,
            total: false,
            winners: vec![0],
            losers: vec![1],
            settlement: settlement.clone(),
        };
        rec.on_war(&war);
        let after = [0.7, 0.2, 0.3];
        let after_floors = [0.7f64.max(r[0]), r[1].max(0.2), 0.3f64.max(r[2])];
        rec.on_breakdown(&Breakdown {
            round: 1,
            threat: None,
            values: &after,
            floors: &after_floors,
        });
        world.status_quo.clone_from(&settlement);
        rec.on_round(2, &world, &[0.9, 0.9, 0.0]);
        let agreed = [0.3, 0.5];
        rec.on_proposal(&Proposal {
            round: 2,
            proposer: Some(1),
            kind: ProposalKind::Offer,
            point: &agreed,
            vote: true,
            mediator_text: false,
        });
        rec.on_response(&response(0, 0.9, 0.8, after_floors[0], Answer::Accept));
        rec.on_response(&response(1, 1.0, 1.0, after_floors[1], Answer::Proposed));
        rec.on_end(&RunOutcome {
            kind: OutcomeKind::Agreement,
            round: 2,
            settlement: agreed.to_vec(),
            utility: vec![0.9, 0.8, 0.5],
            concession: vec![0.1, 0.1, 0.0],
            wars: vec![war],
            events: vec![],
            reservation: r,
            forecasts: vec![],
        });
        rec.finish()
    }

    #[test]
    fn each_proposal_keeps_its_own_answers_and_wars_and_breakdowns_their_rounds() {
        let model = model();
        let t = recorded(&model);
        assert_eq!(t.schema, "treaty-trace/2");
        let first = &t.rounds[0];
        assert_eq!(
            first.proposals.len(),
            2,
            "the offer, then the mediators' text"
        );
        let (offer, text) = (&first.proposals[0], &first.proposals[1]);
        assert!(!offer.mediator_text && text.mediator_text);
        assert_eq!(offer.proposer.as_deref(), Some("A"));
        assert_eq!(text.proposer.as_deref(), Some("M"));
        let answers = |p: &ProposalRecord| p.responses.iter().map(|r| r.answer).collect::<Vec<_>>();
        assert_eq!(answers(offer), ["proposed", "reject"]);
        assert_eq!(answers(text), ["accept", "reject"]);
        assert_eq!(offer.point[0].value, 0.2);
        assert_eq!(text.point[0].value, 0.5);
        assert!(!offer.agreed && !text.agreed);
        assert!(t.rounds[1].proposals[0].agreed);
        // The war of round 1, with what it imposed and what failure means after it.
        assert_eq!(first.wars.len(), 1);
        let war = &first.wars[0];
        assert!(!war.at_breakdown && !war.ended_talks && !war.total);
        assert_eq!(war.imposed.len(), 1);
        assert_eq!(war.imposed[0].issue, "border");
        assert_eq!(war.imposed[0].from, t.status_quo[0].value);
        assert_eq!(war.imposed[0].to, 0.3);
        assert_eq!(war.breakdown.as_ref().map(|b| b.round), Some(1));
        assert_eq!(
            first.breakdown, None,
            "no event changed it at the round's start"
        );
        assert_eq!(t.breakdowns.len(), 2);
        assert_eq!(t.breakdowns[0].threat.as_deref(), Some("A"));
        assert_eq!(t.outcome.wars, first.wars);
        // The next round tables against the status quo the war left.
        assert_eq!(first.status_quo, None);
        let moved = t.rounds[1].status_quo.as_ref().unwrap();
        assert_eq!(moved[0].value, 0.3);
        // The JSON carries it all.
        let json: serde_json::Value =
            serde_json::from_slice(&t.render(Format::Json).unwrap()).unwrap();
        assert_eq!(json["schema"], "treaty-trace/2");
        let p = &json["rounds"][0]["proposals"][1];
        assert_eq!(p["mediator_text"], true);
        assert_eq!(p["responses"][1]["answer"], "reject");
        assert!(p["responses"][1]["floor"].is_number());
        assert_eq!(json["rounds"][0]["wars"][0]["imposed"][0]["to"], 0.3);
        assert_eq!(json["rounds"][0]["force"][0]["going_on"], 0.58);
        assert!(json["rounds"][0].get("proposal").is_none());
    }

    #[test]
    fn the_text_tells_floors_odds_the_table_going_on_and_the_war() {
        let model = model();
        let t = recorded(&model);
        let text = t.to_text();
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "too wide: {line}");
        }
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let said = |s: &str| assert!(flat.contains(s), "missing: {s}\n{text}");
        // The header: what failure would mean for each principal.
        said(
            "If the talks fail, Arcadia would go to war: Arcadia's floor is 0.800, what it expects from that war",
        );
        said("Boeotia's floor is 0.750, what it expects from that war");
        // An answer whose floor binds says why.
        said("worth 0.300, needs 0.750 (its floor: the war it would face): rejects");
        said("The offer failed, so Mediator tables the mediators' text:");
        said("Not agreed: Boeotia says no.");
        said(
            "War on Boeotia is worth 0.610 to Arcadia (it believes it wins with 78%; the true odds \
             are 75%); the table offers it 0.550 and going on is worth 0.580 to it, so it \
             escalates with a 7% chance this month. It goes to war.",
        );
        said("War: Arcadia attacks Boeotia. Arcadia wins. It imposes border");
        said("→ 0.300. A limited war: what it imposed is the new status quo");
        said("the talks go on over the rest.");
        said("What failure would mean has changed. If the talks fail now, the status quo holds");
        // The close lists every war.
        said(
            "The war of this run Round 1 — July 2023 (limited; talks went on): Arcadia attacked Boeotia and won; it imposed border",
        );
        said("Outcome: Agreement in round 2 — August 2023");
        said("Arcadia and Boeotia signed Boeotia's offer");
    }

    #[cfg(feature = "html")]
    #[test]
    fn the_page_shows_both_proposals_the_floors_force_and_the_war() {
        let model = model();
        let t = recorded(&model);
        let html = String::from_utf8(t.render(Format::Html).unwrap()).unwrap();
        for s in [
            "<h2 id=\"breakdown\">If the talks fail</h2>",
            "<th scope=\"col\" class=\"num\">B: floor</th>",
            "<td>war by A</td>",
            "<td>M: the mediators&#39; text</td><td>rejected by B</td>",
            "<td>A: offer</td><td>rejected by B</td>",
            "<td>B: offer</td><td>agreed</td>",
            "<h2 id=\"force\">Force and war</h2>",
            "<td class=\"num\">75.0%</td><td class=\"num\">78.0%</td>",
            "<td class=\"num\">0.610</td><td class=\"num\">0.550</td><td class=\"num\">0.580</td>",
            "<td>limited; talks went on</td>",
            "A limited war came before the end",
        ] {
            assert!(html.contains(s), "missing {s}");
        }
        // The war is marked on the time axis beside the events.
        assert!(html.contains(">\nW1\n<"), "no war tag drawn");
    }
}
