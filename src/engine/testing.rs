//! Small models built in code, for the unit tests of the runner, the statistics and the reports.

use crate::engine::{OutcomeKind, RunOutcome, WarRecord};
use crate::model::Role;
use crate::model::{
    Acceptance, Actor, Calendar, Date, Issue, IssueOption, Model, Proposer, Protocol, Relation,
    Stance, Strategy, TimeUnit,
};
use crate::model::{Distribution, Value};

fn actor(id: &str, name: &str, role: Role, positions: [Value; 2], reservation: Value) -> Actor {
    Actor {
        id: id.into(),
        name: name.into(),
        role,
        capability: Value::Const(1.0),
        risk: Value::Const(1.0),
        reservation,
        strategy: Strategy::TitForTat,
        discount: Value::Const(1.0),
        optimism: Value::Const(0.0),
        stances: positions
            .into_iter()
            .map(|position| Stance {
                position,
                salience: Value::Const(1.0),
            })
            .collect(),
    }
}

/// Two issues (a continuous one with an uncertain status quo, and one with three options), two
/// principals and a mediator, uncertain positions and reservations: even the placeholder engine
/// gives every run different numbers.
pub fn toy_model() -> Model {
    let normal = |m, s| Value::Dist(Distribution::Normal(m, s));
    let uniform = |a, b| Value::Dist(Distribution::Uniform(a, b));
    Model {
        name: "toy".into(),
        origin: Default::default(),
        description: "Two parties, a mediator, two issues".into(),
        sources: vec![],
        calendar: Calendar {
            count: 1,
            unit: TimeUnit::Month,
            start: Some(Date {
                year: 2023,
                month: 7,
                day: 1,
            }),
        },
        issues: vec![
            Issue {
                id: "border".into(),
                name: "Where the border runs".into(),
                low: "west".into(),
                high: "east".into(),
                status_quo: uniform(0.2, 0.6),
                options: vec![],
            },
            Issue {
                id: "route".into(),
                name: "Transit route".into(),
                low: "none".into(),
                high: "extraterritorial".into(),
                status_quo: Value::Const(0.0),
                options: vec![
                    IssueOption {
                        at: 0.0,
                        label: "no route".into(),
                    },
                    IssueOption {
                        at: 0.5,
                        label: "third-party operator".into(),
                    },
                    IssueOption {
                        at: 1.0,
                        label: "corridor".into(),
                    },
                ],
            },
        ],
        actors: vec![
            actor(
                "A",
                "Arcadia",
                Role::Principal,
                [normal(0.1, 0.1), Value::Const(0.0)],
                uniform(0.3, 0.7),
            ),
            actor(
                "B",
                "Boeotia",
                Role::Principal,
                [normal(0.9, 0.1), Value::Const(1.0)],
                uniform(0.3, 0.7),
            ),
            actor(
                "M",
                "Mediator",
                Role::Mediator,
                [Value::Const(0.5), Value::Const(0.5)],
                Value::Const(0.0),
            ),
        ],
        relations: vec![Relation {
            from: 0,
            to: 1,
            strength: Value::Const(-0.5),
            key: "relation:A:B".into(),
        }],
        protocol: Protocol::AlternatingOffers {
            max_rounds: 12,
            proposer: Proposer::RoundRobin,
            acceptance: Acceptance::Unanimous,
        },
        escalation: None,
        events: vec![],
        perception_noise: Value::Const(0.0),
        interdependence: Value::Const(0.25),
        pie: vec![],
        disagreement: crate::model::Disagreement::StatusQuo,
        loss: crate::model::Loss::Linear,
    }
}

/// The wars of made-up run `i`: a war over every issue for a conflict (initiator i mod 2, who
/// wins when 3 | i), and a limited war first in every agreement with 7 | i (initiator 0, won).
pub fn toy_wars(i: u64, kind: OutcomeKind, settlement: &[f64]) -> Vec<WarRecord> {
    let mut wars = Vec::new();
    if kind == OutcomeKind::Agreement && i.is_multiple_of(7) {
        wars.push(WarRecord {
            round: 1,
            initiator: 0,
            target: 1,
            initiator_won: true,
            total: false,
            winners: vec![0],
            losers: vec![1],
            settlement: settlement.to_vec(),
        });
    }
    if kind == OutcomeKind::Conflict {
        let initiator = (i % 2) as usize;
        let won = i.is_multiple_of(3);
        let (winner, loser) = if won {
            (initiator, 1 - initiator)
        } else {
            (1 - initiator, initiator)
        };
        wars.push(WarRecord {
            round: 1 + (i % 12) as u32,
            initiator,
            target: 1 - initiator,
            initiator_won: won,
            total: true,
            winners: vec![winner],
            losers: vec![loser],
            settlement: settlement.to_vec(),
        });
    }
    wars
}

/// A made-up outcome of [`toy_model`] for statistics tests: `i` picks the kind, round,
/// settlement and utilities deterministically.
pub fn toy_outcome(i: u64) -> RunOutcome {
    let kind = match i % 5 {
        0..=2 => OutcomeKind::Agreement,
        3 => OutcomeKind::Deadlock,
        _ => OutcomeKind::Conflict,
    };
    let x = ((i * 7919) % 1000) as f64 / 999.0;
    let option = [0.0, 0.5, 1.0][(i % 3) as usize];
    RunOutcome {
        kind,
        round: 1 + (i % 12) as u32,
        settlement: vec![x, option],
        utility: vec![1.0 - x, x, 0.5 - (x - 0.5).abs()],
        concession: vec![x / 2.0, (1.0 - x) / 3.0, 0.0],
        wars: toy_wars(i, kind, &[x, option]),
        events: vec![],
        reservation: vec![0.5, 0.5, 0.0],
        forecasts: vec![],
    }
}
