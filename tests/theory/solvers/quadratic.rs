//! Quadratic loss against closed forms: the Nash point on a line (symmetric, asymmetric by
//! Newton's method, and the spatial case of docs/theory.md §2 where linear loss does not
//! compromise and quadratic loss does), and the maximum-welfare point of the analytics, which
//! under quadratic loss and risk 1 is the weighted mean of the ideal points.

use super::*;
use treaty::model::{Loss, own_utility};
use treaty::solvers::bargaining::{Resolution, bargaining, pareto_frontier};

fn quadratic(mut w: World) -> World {
    w.loss = Loss::Quadratic;
    w
}

/// Newton's method on g from `x`, to the last bits (g' by central differences is enough: the
/// iteration converges quadratically near a simple root whatever small error g' has).
fn newton(g: impl Fn(f64) -> f64, mut x: f64) -> f64 {
    for _ in 0..100 {
        let h = 1e-7;
        let step = g(x) / ((g(x + h) - g(x - h)) / (2.0 * h));
        x -= step;
        if step.abs() < 1e-15 {
            break;
        }
    }
    x
}

#[test]
fn quadratic_nash_point_between_ideals_zero_and_one() {
    // u_0 = 1 − (1 − x)², u_1 = 1 − x², d = 0: (1 − (1 − x)²)(1 − x²) is symmetric about 1/2.
    let w = quadratic(pie_of_two(1.0, 1.0));
    let x = nash_1d(&w, [1.0, 1.0], [0.0, 0.0]);
    assert!(close(x, 0.5, 1e-9), "{x}");
    // Weights 1 and 2: maximise ln(x(2 − x)) + 2 ln(1 − x²); the first-order condition
    // (2 − 2x)/(x(2 − x)) = 4x/(1 − x²), solved by Newton's method.
    let foc = |x: f64| (2.0 - 2.0 * x) / (x * (2.0 - x)) - 4.0 * x / (1.0 - x * x);
    let want = newton(foc, 0.4);
    assert!(want > 0.3 && want < 0.45, "{want}");
    let x = nash_1d(&w, [1.0, 2.0], [0.0, 0.0]);
    assert!(close(x, want, 1e-9), "{x} vs {want}");
    // Risk exponents 0.5 and 1 (u_0 = (x(2 − x))^0.5): the first-order condition is
    // 0.5 (2 − 2x)/(x(2 − x)) = 2x/(1 − x²).
    let w = quadratic(pie_of_two(0.5, 1.0));
    let foc = |x: f64| 0.5 * (2.0 - 2.0 * x) / (x * (2.0 - x)) - 2.0 * x / (1.0 - x * x);
    let want = newton(foc, 0.4);
    let x = nash_1d(&w, [1.0, 1.0], [0.0, 0.0]);
    assert!(close(x, want, 1e-9), "{x} vs {want}");
    // Disagreement utilities (0.3, 0): (x(2 − x) − 0.3)(1 − x²), condition
    // (2 − 2x)/(x(2 − x) − 0.3) = 2x/(1 − x²).
    let w = quadratic(pie_of_two(1.0, 1.0));
    let foc = |x: f64| (2.0 - 2.0 * x) / (x * (2.0 - x) - 0.3) - 2.0 * x / (1.0 - x * x);
    let want = newton(foc, 0.55);
    let x = nash_1d(&w, [1.0, 1.0], [0.3, 0.0]);
    assert!(close(x, want, 1e-9), "{x} vs {want}");
    assert!(
        want > 0.5,
        "a better outside option pulls the point toward its holder"
    );
}

#[test]
fn linear_loss_does_not_compromise_against_a_far_status_quo_and_quadratic_loss_does() {
    // docs/theory.md §2 (Butler 2004): ideals 0 and 1, status quo 3, symmetric weights: linear
    // loss puts the Nash point at the ideal nearer the status quo (1), quadratic loss at
    // (√33 − 3)/4. Scaled by 1/3 onto the unit issue: ideals 0 and 1/3, status quo 1. Each
    // party's utility is a positive affine map of −(x − p)² (or of −|x − p|), and the Nash
    // point does not change under such maps, so the scaled answers are (√33 − 3)/12 and 1/3.
    let lin = world(
        &[
            actor(1.0, 1.0, &[0.0], &[1.0]),
            actor(1.0, 1.0, &[1.0 / 3.0], &[1.0]),
        ],
        &[1.0],
    );
    let quad = quadratic(lin.clone());
    for (w, want) in [(&lin, 1.0 / 3.0), (&quad, (33f64.sqrt() - 3.0) / 12.0)] {
        let d = [
            own_utility(w, 0, &w.status_quo),
            own_utility(w, 1, &w.status_quo),
        ];
        let x = nash_1d(w, [1.0, 1.0], d);
        assert!(close(x, want, 1e-9), "{:?}: {x} vs {want}", w.loss);
    }
    assert!(close((33f64.sqrt() - 3.0) / 4.0, 0.686140662, 1e-9));
}

#[test]
fn quadratic_nash_point_on_several_issues_meets_its_first_order_conditions() {
    // Three parties, two issues, unequal saliences and weights: at an interior maximum of
    // Σ w_i ln u_i every partial derivative vanishes.
    let w = quadratic(world(
        &[
            actor(1.0, 1.0, &[0.1, 0.9], &[1.0, 0.3]),
            actor(2.0, 0.7, &[0.8, 0.2], &[0.4, 1.0]),
            actor(0.5, 1.0, &[0.5, 0.6], &[0.7, 0.7]),
        ],
        &[0.5, 0.5],
    ));
    let weights = [1.0, 2.0, 0.5];
    let x = nash_point(
        &w,
        &[0, 1, 2],
        &weights,
        &[0.0; 3],
        &SettlementSpace::CONTINUOUS,
    )
    .expect("feasible");
    let f = |y: &[f64]| -> f64 {
        (0..3)
            .map(|i| weights[i] * own_utility(&w, i, y).ln())
            .sum()
    };
    let h = 1e-6;
    for j in 0..2 {
        let (mut up, mut down) = (x.clone(), x.clone());
        up[j] += h;
        down[j] -= h;
        let g = (f(&up) - f(&down)) / (2.0 * h);
        assert!(g.abs() < 1e-6, "issue {j}: ∂f = {g} at {x:?}");
    }
}

#[test]
fn quadratic_max_welfare_is_the_weighted_mean_within_the_grid_error() {
    // With risk 1 the welfare Σ_i u_i = n − Σ_j Σ_i (s_ij/D_i)(x_j − p_ij)² is maximal at
    // x_j = Σ_i (s_ij/D_i) p_ij / Σ_i (s_ij/D_i), D_i = Σ_j s_ij max(p_ij, 1 − p_ij)².
    let positions: [[f64; 2]; 3] = [[0.1, 0.9], [0.8, 0.2], [0.5, 0.65]];
    let saliences: [[f64; 2]; 3] = [[1.0, 0.3], [0.4, 1.0], [0.7, 0.7]];
    let actors: Vec<Actor<'_>> = (0..3)
        .map(|i| actor(1.0, 1.0, &positions[i], &saliences[i]))
        .collect();
    let w = quadratic(world(&actors, &[0.5, 0.5]));
    let d: Vec<f64> = (0..3)
        .map(|i| {
            (0..2)
                .map(|j| {
                    let p = positions[i][j];
                    saliences[i][j] * p.max(1.0 - p).powi(2)
                })
                .sum()
        })
        .collect();
    let weight = |i: usize, j: usize| saliences[i][j] / d[i];
    let mean: Vec<f64> = (0..2)
        .map(|j| {
            (0..3).map(|i| weight(i, j) * positions[i][j]).sum::<f64>()
                / (0..3).map(|i| weight(i, j)).sum::<f64>()
        })
        .collect();
    let welfare = |x: &[f64]| (0..3).map(|i| own_utility(&w, i, x)).sum::<f64>();
    let best = welfare(&mean);
    for grid in [50, 200] {
        let f = pareto_frontier(
            &w,
            &[0, 1, 2],
            &SettlementSpace::CONTINUOUS,
            Resolution {
                grid,
                max_points: 100_000,
            },
        );
        let b = bargaining(&f, &[0.0; 3]);
        let k = b.max_welfare.expect("a maximum-welfare point");
        let x = f.settlement(k);
        let got = welfare(x);
        // The frontier's stated error bounds how far below the true maximum it may fall.
        let slack: f64 = f.error.iter().sum();
        assert!(slack > 0.0 && slack < 0.1, "grid {grid}: error {slack}");
        assert!(
            got <= best + 1e-12,
            "grid {grid}: {got} above the maximum {best}"
        );
        assert!(got >= best - slack, "grid {grid}: {got} < {best} − {slack}");
        // W(mean) − W(x) = Σ_j A_j (x_j − mean_j)² with A_j = Σ_i s_ij/D_i.
        let gap: f64 = (0..2)
            .map(|j| (0..3).map(|i| weight(i, j)).sum::<f64>() * (x[j] - mean[j]).powi(2))
            .sum();
        assert!(
            (best - got - gap).abs() < 1e-12,
            "grid {grid}: {best} − {got} vs {gap}"
        );
        for j in 0..2 {
            let a: f64 = (0..3).map(|i| weight(i, j)).sum();
            assert!(
                (x[j] - mean[j]).abs() <= (slack / a).sqrt(),
                "grid {grid}, issue {j}: {} vs {}",
                x[j],
                mean[j]
            );
        }
    }
}

#[test]
fn quadratic_frontier_error_bound_holds_on_a_coarse_grid() {
    // Every settlement of a fine sweep is within the stated error of some frontier point in
    // every principal's utility (the bound restated for squared distances).
    let w = quadratic(world(
        &[
            actor(1.0, 1.0, &[0.05, 0.9], &[1.0, 0.5]),
            actor(1.0, 0.6, &[0.95, 0.3], &[0.6, 1.0]),
        ],
        &[0.5, 0.5],
    ));
    let f = pareto_frontier(
        &w,
        &[0, 1],
        &SettlementSpace::CONTINUOUS,
        Resolution {
            grid: 8,
            max_points: 100_000,
        },
    );
    assert!(!f.exact);
    for a in 0..=40 {
        for b in 0..=40 {
            let x = [a as f64 / 40.0, b as f64 / 40.0];
            let u = [own_utility(&w, 0, &x), own_utility(&w, 1, &x)];
            let covered = (0..f.len()).any(|k| {
                let v = f.utility(k);
                v[0] >= u[0] - f.error[0] - 1e-12 && v[1] >= u[1] - f.error[1] - 1e-12
            });
            assert!(
                covered,
                "{x:?} with {u:?} beyond the frontier by more than {:?}",
                f.error
            );
        }
    }
}

#[test]
fn quadratic_kalai_smorodinsky_point_equalises_shares_of_the_ideal_gains() {
    // u_0 = (x(2 − x))^0.5, u_1 = 1 − x², d = 0, ideals (1, 1): KS solves
    // (x(2 − x))^0.5 = 1 − x², found by Newton's method; the frontier's grid is 1/400.
    let w = quadratic(pie_of_two(0.5, 1.0));
    let want = newton(|x| (x * (2.0 - x)).sqrt() - (1.0 - x * x), 0.3);
    assert!(want > 0.4 && want < 0.45, "{want}");
    let x = treaty::solvers::bargaining::kalai_smorodinsky_point(
        &w,
        &[0, 1],
        &[0.0, 0.0],
        &SettlementSpace::CONTINUOUS,
        Resolution {
            grid: 400,
            max_points: 100_000,
        },
    )
    .expect("a point")[0];
    assert!((x - want).abs() <= 1.0 / 400.0, "{x} vs {want}");
    // The symmetric case is the midpoint, a grid point.
    let w = quadratic(pie_of_two(1.0, 1.0));
    let x = treaty::solvers::bargaining::kalai_smorodinsky_point(
        &w,
        &[0, 1],
        &[0.0, 0.0],
        &SettlementSpace::CONTINUOUS,
        Resolution::default(),
    )
    .expect("a point")[0];
    assert_eq!(x, 0.5);
}
