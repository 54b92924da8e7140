//! THEORY §2 (Nash bargaining) and §6 (compromise model).

use super::*;
use treaty::model::own_utility;
use treaty::solvers::mediation::compromise_point;

#[test]
fn nash_concave_symmetric_is_two_thirds() {
    let x = nash_1d(&pie_of_two(1.0, 0.5), [1.0, 1.0], [0.0, 0.0]);
    assert!(close(x, 2.0 / 3.0, 1e-9), "{x}");
}

#[test]
fn nash_asymmetric_weights() {
    let x = nash_1d(&pie_of_two(1.0, 0.5), [0.4, 0.6], [0.0, 0.0]);
    assert!(close(x, 0.571428571, 1e-9), "{x}");
    // Weights only matter up to scale.
    let y = nash_1d(&pie_of_two(1.0, 0.5), [4.0, 6.0], [0.0, 0.0]);
    assert!(close(x, y, 1e-12));
}

#[test]
fn nash_cube_root_utility() {
    let x = nash_1d(&pie_of_two(1.0, 1.0 / 3.0), [1.0, 1.0], [0.0, 0.0]);
    assert!(close(x, 0.75, 1e-9), "{x}");
}

#[test]
fn nash_linear_with_disagreement() {
    // x* = d1 + α(1 − d1 − d2)
    for (alpha, d1, d2) in [(0.5, 0.0, 0.0), (0.3, 0.2, 0.1), (0.8, 0.05, 0.4)] {
        let x = nash_1d(&pie_of_two(1.0, 1.0), [alpha, 1.0 - alpha], [d1, d2]);
        assert!(close(x, d1 + alpha * (1.0 - d1 - d2), 1e-9), "{x}");
    }
}

#[test]
fn nash_needs_phase_one_when_no_start_candidate_is_feasible() {
    // Compromise 0.5, ideals 0 and 1, status quo 0.5: all violate u0 > 0.6 or u1 > 0.35.
    let x = nash_1d(&pie_of_two(1.0, 1.0), [1.0, 1.0], [0.6, 0.35]);
    assert!(close(x, 0.6 + 0.5 * (1.0 - 0.95), 1e-9), "{x}");
}

#[test]
fn nash_none_when_no_point_beats_disagreement() {
    let w = pie_of_two(1.0, 1.0);
    let none = nash_point(
        &w,
        &[0, 1],
        &[1.0, 1.0],
        &[0.7, 0.7],
        &SettlementSpace::CONTINUOUS,
    );
    assert_eq!(none, None);
    // Touching disagreement is not enough: u0 > 0.5 and u1 > 0.5 cannot both hold.
    let touch = nash_point(
        &w,
        &[0, 1],
        &[1.0, 1.0],
        &[0.5, 0.5],
        &SettlementSpace::CONTINUOUS,
    );
    assert_eq!(touch, None);
    // An actor whose ideal is the status quo prefers it to every change.
    let sq = world(
        &[
            actor(1.0, 1.0, &[0.5], &[1.0]),
            actor(1.0, 1.0, &[0.0], &[1.0]),
        ],
        &[0.5],
    );
    let d: Vec<f64> = (0..2).map(|a| own_utility(&sq, a, &[0.5])).collect();
    let none = nash_point(&sq, &[0, 1], &[1.0, 1.0], &d, &SettlementSpace::CONTINUOUS);
    assert_eq!(none, None);
}

#[test]
fn nash_n_players_on_a_pie() {
    // Issue i is actor i's share: u_i = x_i. Expect x_i = d_i + w_i/Σw (1 − Σd).
    let sal: Vec<Vec<f64>> = (0..4)
        .map(|i| (0..4).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let ones = [1.0; 4];
    let actors: Vec<Actor<'_>> = (0..4).map(|i| actor(1.0, 1.0, &ones, &sal[i])).collect();
    let w = world(&actors, &[0.25; 4]);
    let weights = [1.0, 2.0, 3.0, 4.0];
    let d = [0.1, 0.05, 0.0, 0.2];
    let pie = [0, 1, 2, 3];
    let space = SettlementSpace {
        options: &[],
        pie: &pie,
    };
    let x = nash_point(&w, &[0, 1, 2, 3], &weights, &d, &space).unwrap();
    let rest = 1.0 - d.iter().sum::<f64>();
    for i in 0..4 {
        let expect = d[i] + weights[i] / 10.0 * rest;
        assert!(close(x[i], expect, 1e-6), "{i}: {} vs {expect}", x[i]);
    }
    assert!(x.iter().sum::<f64>() <= 1.0 + 1e-12);
}

#[test]
fn nash_is_invariant_to_affine_rescaling_of_one_utility() {
    // Actor 0 with ideal 0.8 has u0 = x / 0.8 on [0, 0.8]: a rescaling of u0 = x. Rescaling its
    // disagreement value the same way must leave the solution unchanged.
    for r1 in [1.0, 0.5] {
        let base = nash_1d(&pie_of_two(1.0, r1), [1.0, 1.0], [0.1, 0.0]);
        let scaled = world(
            &[
                actor(1.0, 1.0, &[0.8], &[1.0]),
                actor(1.0, r1, &[0.0], &[1.0]),
            ],
            &[0.5],
        );
        let x = nash_1d(&scaled, [1.0, 1.0], [0.1 / 0.8, 0.0]);
        assert!(close(x, base, 1e-9), "{x} vs {base}");
    }
}

#[test]
fn nash_symmetry_gives_an_equal_split() {
    for r in [0.3, 1.0, 2.5] {
        let x = nash_1d(&pie_of_two(r, r), [1.0, 1.0], [0.0, 0.0]);
        assert!(close(x, 0.5, 1e-9), "{x}");
    }
    // Two shares of a pie, one per actor.
    let w = world(
        &[
            actor(1.0, 0.7, &[1.0, 0.0], &[1.0, 0.0]),
            actor(1.0, 0.7, &[0.0, 1.0], &[0.0, 1.0]),
        ],
        &[0.0, 0.0],
    );
    let space = SettlementSpace {
        options: &[],
        pie: &[0, 1],
    };
    let x = nash_point(&w, &[0, 1], &[1.0, 1.0], &[0.0, 0.0], &space).unwrap();
    assert!(close(x[0], 0.5, 1e-6) && close(x[1], 0.5, 1e-6), "{x:?}");
}

#[test]
fn nash_on_options_picks_the_best_option() {
    let w = pie_of_two(1.0, 0.5);
    let opts = vec![vec![0.0, 0.25, 0.6, 1.0]];
    let space = SettlementSpace {
        options: &opts,
        pie: &[],
    };
    let x = nash_point(&w, &[0, 1], &[1.0, 1.0], &[0.0, 0.0], &space).unwrap()[0];
    let f = |x: f64| x.ln() + 0.5 * (1.0 - x).ln();
    let best = opts[0]
        .iter()
        .copied()
        .filter(|&o| o > 0.0 && o < 1.0)
        .fold(
            f64::NAN,
            |b, o| if b.is_nan() || f(o) > f(b) { o } else { b },
        );
    assert_eq!(x, best);
    assert_eq!(x, 0.6);
}

#[test]
fn nash_several_issues_is_a_local_maximum_and_leaves_idle_issues_alone() {
    let w = world(
        &[
            actor(1.0, 0.5, &[0.9, 0.2, 0.1], &[1.0, 0.5, 0.0]),
            actor(2.0, 1.0, &[0.1, 0.7, 0.4], &[0.8, 1.0, 0.0]),
            actor(0.5, 0.8, &[0.6, 0.9, 0.3], &[0.2, 0.6, 0.0]),
        ],
        &[0.5, 0.5, 0.35],
    );
    let parties = [0, 1, 2];
    let weights = [1.0, 2.0, 0.5];
    let d: Vec<f64> = parties
        .iter()
        .map(|&a| own_utility(&w, a, &w.status_quo))
        .collect();
    let x = nash_point(&w, &parties, &weights, &d, &SettlementSpace::CONTINUOUS).unwrap();
    assert_eq!(x[2], 0.35, "nobody cares about issue 2");
    let f = |y: &[f64]| -> f64 {
        parties
            .iter()
            .enumerate()
            .map(|(n, &a)| weights[n] * (own_utility(&w, a, y) - d[n]).ln())
            .sum()
    };
    let best = f(&x);
    for step in [1e-3, 1e-5] {
        for dx in [-1.0, 0.0, 1.0] {
            for dy in [-1.0, 0.0, 1.0] {
                let y = [x[0] + step * dx, x[1] + step * dy, x[2]];
                assert!(f(&y) <= best + 1e-12, "{y:?} beats {x:?}");
            }
        }
    }
}

// ---------------------------------------------------------------- §6 compromise model

#[test]
fn compromise_point_is_the_mean_voter() {
    let x = compromise_point(&toy_world(1.0, 1.0), &[0, 1, 2, 3, 4]);
    assert!(close(x[0], 0.458_375_634_517_766_5, 1e-12), "{}", x[0]);
    assert_eq!(x[1], 0.7, "no one cares: the status quo");
}

#[test]
fn compromise_point_invariances() {
    let all = [0, 1, 2, 3, 4];
    let base = compromise_point(&toy_world(1.0, 1.0), &all)[0];
    for (c, s) in [(3.7, 1.0), (1.0, 0.3), (0.01, 25.0)] {
        let x = compromise_point(&toy_world(c, s), &all)[0];
        assert!(close(x, base, 1e-12 * base), "{c} {s}: {x}");
    }
    // Actor C split into two copies with half its capability each.
    let mut w = toy_world(1.0, 1.0);
    w.capability[2] *= 0.5;
    w.n_actors += 1;
    w.capability.push(w.capability[2]);
    w.risk.push(1.0);
    w.position.extend([0.60, 0.2]);
    w.salience.extend([0.6, 0.0]);
    let x = compromise_point(&w, &[0, 1, 2, 3, 4, 5])[0];
    assert!(close(x, base, 1e-12 * base), "{x}");
}
