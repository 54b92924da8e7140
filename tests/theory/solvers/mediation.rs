//! docs/theory.md §2 (Nash bargaining) and §6 (compromise model).

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
fn nash_mixed_options_and_continuous_issues() {
    // Issue 0 has options, issue 1 is continuous: the result sits on an option, is the best
    // option given issue 1, and issue 1 is the best continuous value given issue 0.
    let w = world(
        &[
            actor(1.0, 0.6, &[0.9, 0.2], &[1.0, 0.7]),
            actor(1.5, 1.0, &[0.1, 0.8], &[0.6, 1.0]),
            actor(0.8, 0.5, &[0.5, 0.1], &[0.4, 0.3]),
        ],
        &[0.5, 0.5],
    );
    let opts = vec![vec![0.0, 0.3, 0.45, 0.7, 1.0], vec![]];
    let space = SettlementSpace {
        options: &opts,
        pie: &[],
    };
    let parties = [0, 1, 2];
    let weights = [1.0, 1.5, 0.8];
    let d = [0.1, 0.05, 0.2];
    let x = nash_point(&w, &parties, &weights, &d, &space).unwrap();
    assert!(opts[0].contains(&x[0]), "{x:?}");
    let f = |y: &[f64]| nash_objective(&w, &weights, &d, y);
    for &o in &opts[0] {
        assert!(f(&[o, x[1]]) <= f(&x), "option {o} beats {x:?}");
    }
    for h in [1e-3, 1e-6] {
        assert!(f(&[x[0], x[1] + h]) <= f(&x) && f(&[x[0], x[1] - h]) <= f(&x));
    }
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

/// Σ w ln(u − d) at `x`, −∞ where some u ≤ d.
fn nash_objective(w: &World, weights: &[f64], d: &[f64], x: &[f64]) -> f64 {
    let mut f = 0.0;
    for (a, (&wt, &da)) in weights.iter().zip(d).enumerate() {
        let gap = own_utility(w, a, x) - da;
        if gap <= 0.0 {
            return f64::NEG_INFINITY;
        }
        f += wt * gap.ln();
    }
    f
}

proptest::proptest! {
    #![proptest_config(crate::common::proptest_cases(300))]

    /// Random concave problems (risk ≤ 1) on one or two issues, optionally a pie: the solution
    /// is feasible and no point of a fine grid beats it; `None` only if no grid point is
    /// feasible.
    #[test]
    fn nash_beats_a_grid_on_random_concave_problems(
        n in 2usize..=4,
        two_issues in proptest::bool::ANY,
        pie in proptest::bool::ANY,
        pos in proptest::collection::vec(0.0f64..1.0, 8),
        sal in proptest::collection::vec(0.0f64..1.0, 8),
        risk in proptest::collection::vec(0.3f64..1.0, 4),
        weights in proptest::collection::vec(0.2f64..2.0, 4),
        slack in proptest::collection::vec(-0.05f64..0.3, 4),
        sq in proptest::collection::vec(0.0f64..1.0, 2),
    ) {
        let m = if two_issues { 2 } else { 1 };
        let mut sq = sq[..m].to_vec();
        if pie && m == 2 && sq[0] + sq[1] > 1.0 {
            sq = vec![sq[0] / (sq[0] + sq[1]), sq[1] / (sq[0] + sq[1])];
        }
        let actors: Vec<Actor<'_>> = (0..n)
            .map(|a| actor(1.0, risk[a], &pos[a * m..a * m + m], &sal[a * m..a * m + m]))
            .collect();
        let w = world(&actors, &sq);
        let parties: Vec<usize> = (0..n).collect();
        // Disagreement a little below (or above) each party's status-quo utility.
        let d: Vec<f64> = (0..n).map(|a| own_utility(&w, a, &sq) - slack[a]).collect();
        let pie_issues: Vec<usize> = if pie && m == 2 { vec![0, 1] } else { vec![] };
        let space = SettlementSpace { options: &[], pie: &pie_issues };
        let result = nash_point(&w, &parties, &weights[..n], &d, &space);
        let steps = 200;
        let mut best_grid = f64::NEG_INFINITY;
        let mut point = vec![0.0; m];
        for i in 0..=steps {
            for j in 0..=if m == 2 { steps } else { 0 } {
                point[0] = i as f64 / steps as f64;
                if m == 2 {
                    point[1] = j as f64 / steps as f64;
                    if pie && point[0] + point[1] > 1.0 {
                        continue;
                    }
                }
                best_grid = best_grid.max(nash_objective(&w, &weights[..n], &d, &point));
            }
        }
        match result {
            Some(x) => {
                let f = nash_objective(&w, &weights[..n], &d, &x);
                proptest::prop_assert!(f > f64::NEG_INFINITY, "infeasible {x:?}");
                proptest::prop_assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
                if pie && m == 2 {
                    proptest::prop_assert!(x[0] + x[1] <= 1.0 + 1e-12);
                }
                proptest::prop_assert!(f >= best_grid - 1e-9, "{x:?}: {f} < grid {best_grid}");
            }
            None => proptest::prop_assert!(best_grid == f64::NEG_INFINITY, "missed a feasible point"),
        }
    }
}

proptest::proptest! {
    #![proptest_config(crate::common::proptest_cases(200))]

    /// Random concave problems on three or four issues: the solution is feasible and no small
    /// move along an issue or a pair of issues improves on it (for a concave objective, a local
    /// maximum is the maximum).
    #[test]
    fn nash_is_locally_optimal_on_several_issues(
        n in 2usize..=5,
        m in 3usize..=4,
        pos in proptest::collection::vec(0.0f64..1.0, 20),
        sal in proptest::collection::vec(0.0f64..1.0, 20),
        risk in proptest::collection::vec(0.3f64..1.0, 5),
        weights in proptest::collection::vec(0.2f64..2.0, 5),
        slack in proptest::collection::vec(0.0f64..0.2, 5),
    ) {
        let sq = vec![0.5; m];
        let actors: Vec<Actor<'_>> = (0..n)
            .map(|a| actor(1.0, risk[a], &pos[a * m..a * m + m], &sal[a * m..a * m + m]))
            .collect();
        let w = world(&actors, &sq);
        let parties: Vec<usize> = (0..n).collect();
        let d: Vec<f64> = (0..n).map(|a| own_utility(&w, a, &sq) - slack[a]).collect();
        let x = nash_point(&w, &parties, &weights[..n], &d, &SettlementSpace::CONTINUOUS);
        let Some(x) = x else {
            // The status quo is feasible whenever every slack is positive.
            proptest::prop_assert!(slack[..n].contains(&0.0));
            return Ok(());
        };
        let f = nash_objective(&w, &weights[..n], &d, &x);
        proptest::prop_assert!(f > f64::NEG_INFINITY);
        for h in [1e-3, 1e-5] {
            for j in 0..m {
                for k in j..m {
                    for (sj, sk) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
                        let mut y = x.clone();
                        y[j] += sj * h;
                        if k != j {
                            y[k] += sk * h;
                        }
                        if y.iter().all(|v| (0.0..=1.0).contains(v)) {
                            let g = nash_objective(&w, &weights[..n], &d, &y);
                            proptest::prop_assert!(g <= f + 1e-10, "{y:?} beats {x:?}");
                        }
                    }
                }
            }
        }
    }
}
