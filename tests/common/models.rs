//! Models built directly in Rust, and an observer that records what a run does.
#![allow(dead_code)]

use treaty::engine::{
    Answer, Concession, ForceDecision, Observer, Proposal, ProposalKind, Response, RunOutcome,
    Shift,
};
use treaty::model::Value;
use treaty::model::{
    Acceptance, Actor, Calendar, Escalation, Family, Issue, IssueOption, Model, Proposer, Protocol,
    Relation, Stance, Strategy, Tactic, TimeUnit, World,
};
use treaty::model::{Disagreement, MediatorText, Role};

/// A model with no issues, actors or relations yet.
pub fn model(protocol: Protocol) -> Model {
    Model {
        name: "test".into(),
        origin: Default::default(),
        description: "a test model".into(),
        sources: Vec::new(),
        calendar: Calendar {
            count: 1,
            unit: TimeUnit::Month,
            start: None,
        },
        issues: Vec::new(),
        actors: Vec::new(),
        relations: Vec::new(),
        protocol,
        escalation: None,
        events: Vec::new(),
        perception_noise: Value::Const(0.0),
        interdependence: Value::Const(0.0),
        pie: Vec::new(),
        disagreement: Disagreement::StatusQuo,
        loss: treaty::model::Loss::Linear,
    }
}

/// Alternating offers.
pub fn alternating(max_rounds: u32, proposer: Proposer, acceptance: Acceptance) -> Protocol {
    Protocol::AlternatingOffers {
        max_rounds,
        proposer,
        acceptance,
    }
}

/// A mediated protocol.
pub fn mediated(
    mediator: usize,
    text: MediatorText,
    step: f64,
    max_rounds: u32,
    disagreement: Disagreement,
) -> Protocol {
    Protocol::Mediated {
        mediator,
        text,
        step: Value::Const(step),
        max_rounds,
        disagreement,
    }
}

/// A continuous issue.
pub fn issue(id: &str, status_quo: f64) -> Issue {
    Issue {
        id: id.into(),
        name: format!("Issue {id}"),
        low: "low".into(),
        high: "high".into(),
        status_quo: Value::Const(status_quo),
        options: Vec::new(),
    }
}

/// An issue with options at the given points.
pub fn optioned(id: &str, status_quo: f64, points: &[f64]) -> Issue {
    let mut i = issue(id, status_quo);
    i.options = points
        .iter()
        .map(|&at| IssueOption {
            at,
            label: format!("option {at}"),
        })
        .collect();
    i
}

/// A time-dependent strategy.
pub fn tactic(beta: f64, kappa: f64) -> Strategy {
    let tactic = if beta < 1.0 {
        Tactic::Boulware
    } else if beta > 1.0 {
        Tactic::Conceder
    } else {
        Tactic::Linear
    };
    Strategy::TimeDependent {
        tactic,
        family: Family::Polynomial,
        beta: Value::Const(beta),
        kappa: Value::Const(kappa),
    }
}

/// An actor with one (position, salience) per issue.
pub fn actor(
    id: &str,
    role: Role,
    capability: f64,
    strategy: Strategy,
    stances: &[(f64, f64)],
) -> Actor {
    Actor {
        id: id.into(),
        name: format!("Actor {id}"),
        role,
        capability: Value::Const(capability),
        risk: Value::Const(1.0),
        reservation: Value::Const(0.0),
        strategy,
        discount: Value::Const(1.0),
        optimism: Value::Const(0.0),
        stances: stances
            .iter()
            .map(|&(p, s)| Stance {
                position: Value::Const(p),
                salience: Value::Const(s),
            })
            .collect(),
    }
}

/// A relation both ways.
pub fn relate(model: &mut Model, a: usize, b: usize, strength: f64) {
    for (from, to) in [(a, b), (b, a)] {
        model.relations.push(Relation {
            from,
            to,
            strength: Value::Const(strength),
            key: format!("relation:{}:{}", model.actors[a].id, model.actors[b].id),
        });
    }
}

/// Escalation open to `initiators`, deciding every issue of `model` (set its issues first).
pub fn escalation(
    model: &Model,
    cost: f64,
    imposition: f64,
    propensity: f64,
    initiators: Vec<usize>,
) -> Escalation {
    Escalation {
        cost: Value::Const(cost),
        imposition: Value::Const(imposition),
        propensity: Value::Const(propensity),
        initiators,
        issues: (0..model.issues.len()).collect(),
    }
}

/// A proposal as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Tabled {
    /// Round.
    pub round: u32,
    /// Proposer.
    pub proposer: Option<usize>,
    /// Kind.
    pub kind: ProposalKind,
    /// Point.
    pub point: Vec<f64>,
    /// Whether principals voted.
    pub vote: bool,
}

/// Everything an observer sees, in order.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// Proposals.
    pub proposals: Vec<Tabled>,
    /// Responses.
    pub responses: Vec<Response>,
    /// Concessions.
    pub concessions: Vec<Concession>,
    /// Force decisions.
    pub force: Vec<ForceDecision>,
    /// Shifts.
    pub shifts: Vec<Shift>,
    /// Events: (round, event).
    pub events: Vec<(u32, usize)>,
    /// Aspirations at each round start.
    pub aspirations: Vec<(u32, Vec<f64>)>,
    /// Worlds at each round start.
    pub worlds: Vec<World>,
    /// The outcome.
    pub outcome: Option<RunOutcome>,
}

impl Observer for Recorder {
    fn on_round(&mut self, round: u32, world: &World, aspiration: &[f64]) {
        self.aspirations.push((round, aspiration.to_vec()));
        self.worlds.push(world.clone());
    }
    fn on_event(&mut self, round: u32, event: usize, _world: &World) {
        self.events.push((round, event));
    }
    fn on_proposal(&mut self, p: &Proposal<'_>) {
        self.proposals.push(Tabled {
            round: p.round,
            proposer: p.proposer,
            kind: p.kind,
            point: p.point.to_vec(),
            vote: p.vote,
        });
    }
    fn on_response(&mut self, r: &Response) {
        self.responses.push(*r);
    }
    fn on_force(&mut self, d: &ForceDecision) {
        self.force.push(*d);
    }
    fn on_concession(&mut self, c: &Concession) {
        self.concessions.push(*c);
    }
    fn on_shift(&mut self, s: &Shift) {
        self.shifts.push(*s);
    }
    fn on_end(&mut self, o: &RunOutcome) {
        self.outcome = Some(o.clone());
    }
}

impl Recorder {
    /// Responses of one round.
    pub fn responses_in(&self, round: u32) -> Vec<Response> {
        self.responses
            .iter()
            .copied()
            .filter(|r| r.round == round)
            .collect()
    }

    /// The actors that accepted in a round.
    pub fn accepted_in(&self, round: u32) -> Vec<usize> {
        self.responses_in(round)
            .iter()
            .filter(|r| r.answer == Answer::Accept)
            .map(|r| r.actor)
            .collect()
    }
}

/// Plays run `run` of seed `seed` with a recorder.
pub fn play(model: &Model, seed: u64, run: u64) -> Recorder {
    let mut rec = Recorder::default();
    let mut rng = treaty::rng::SimRng::for_run(seed, run);
    let out = treaty::engine::simulate_run(model, &mut rng, &mut rec);
    assert_eq!(rec.outcome.as_ref(), Some(&out));
    rec
}
