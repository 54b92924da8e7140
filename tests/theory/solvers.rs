//! The solvers against the closed forms and worked numbers of docs/theory.md (§1 Rubinstein, §2 Nash,
//! §3 Baron–Ferejohn, §5 Bueno de Mesquita / Scholz, §6 compromise model), plus properties.

mod bargaining;
mod baron_ferejohn;
mod expected_utility;
mod mediation;
mod quadratic;
mod rubinstein;

use treaty::model::World;
use treaty::solvers::mediation::{SettlementSpace, nash_point};

/// One actor of a test world: capability, risk exponent, ideal point and salience per issue.
struct Actor<'a> {
    capability: f64,
    risk: f64,
    position: &'a [f64],
    salience: &'a [f64],
}

fn actor<'a>(capability: f64, risk: f64, position: &'a [f64], salience: &'a [f64]) -> Actor<'a> {
    Actor {
        capability,
        risk,
        position,
        salience,
    }
}

/// Builds a world directly (its fields are public); everything not given is neutral.
fn world(actors: &[Actor<'_>], status_quo: &[f64]) -> World {
    let n = actors.len();
    let m = status_quo.len();
    World {
        n_actors: n,
        n_issues: m,
        capability: actors.iter().map(|a| a.capability).collect(),
        risk: actors.iter().map(|a| a.risk).collect(),
        reservation: vec![0.0; n],
        discount: vec![1.0; n],
        beta: vec![1.0; n],
        kappa: vec![0.0; n],
        optimism: vec![0.0; n],
        position: actors.iter().flat_map(|a| a.position.to_vec()).collect(),
        salience: actors.iter().flat_map(|a| a.salience.to_vec()).collect(),
        relation: vec![0.0; n * n],
        status_quo: status_quo.to_vec(),
        active: vec![true; n],
        perception_noise: 0.0,
        interdependence: 0.0,
        step: 0.0,
        war_cost: 0.0,
        imposition: 0.0,
        propensity: 0.0,
        event_probability: Vec::new(),
        effect_amount: Vec::new(),
        loss: treaty::model::Loss::Linear,
    }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// One issue in [0, 1]: actor 0 has ideal 1 and u0 = x^r0, actor 1 has ideal 0 and
/// u1 = (1 − x)^r1.
fn pie_of_two(r0: f64, r1: f64) -> World {
    world(
        &[
            actor(1.0, r0, &[1.0], &[1.0]),
            actor(1.0, r1, &[0.0], &[1.0]),
        ],
        &[0.5],
    )
}

fn nash_1d(w: &World, weights: [f64; 2], d: [f64; 2]) -> f64 {
    nash_point(w, &[0, 1], &weights, &d, &SettlementSpace::CONTINUOUS).expect("feasible")[0]
}

/// docs/theory.md §5 toy data (c, x, s) with positions on [0, 1].
fn toy_world(cap_scale: f64, sal_scale: f64) -> World {
    let data = [
        (1.0, 0.0, 0.5),
        (0.5, 0.30, 0.9),
        (0.8, 0.60, 0.6),
        (0.3, 0.80, 1.0),
        (0.6, 1.00, 0.4),
    ];
    let pos: Vec<[f64; 2]> = data.iter().map(|d| [d.1, 0.2]).collect();
    let sal: Vec<[f64; 2]> = data.iter().map(|d| [d.2 * sal_scale, 0.0]).collect();
    let actors: Vec<Actor<'_>> = (0..5)
        .map(|i| actor(data[i].0 * cap_scale, 1.0, &pos[i], &sal[i]))
        .collect();
    world(&actors, &[0.5, 0.7])
}
