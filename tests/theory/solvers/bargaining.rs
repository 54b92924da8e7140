//! Outcome analytics against closed forms: the bargaining solutions of split-the-pie problems
//! with linear and concave utilities, the exact frontier on options against brute force, and
//! the stated error bound of the frontier on continuous issues.

use super::*;
use treaty::model::own_utility;
use treaty::solvers::bargaining::{
    Analysis, Frontier, Resolution, bargaining, kalai_smorodinsky_point, pareto_frontier,
};

fn fine(grid: usize) -> Resolution {
    Resolution {
        grid,
        max_points: 100_000,
    }
}

/// Frontier and bargaining solutions of a one-issue pie of two (party 0 gets x).
fn solutions(w: &World, d: [f64; 2], grid: usize) -> (Frontier, [Option<f64>; 4]) {
    let f = pareto_frontier(w, &[0, 1], &SettlementSpace::CONTINUOUS, fine(grid));
    let b = bargaining(&f, &d);
    let at = |k: Option<usize>| k.map(|k| f.settlement(k)[0]);
    let points = [
        at(b.nash),
        at(b.kalai_smorodinsky),
        at(b.egalitarian),
        at(b.max_welfare),
    ];
    (f, points)
}

#[test]
fn linear_pie_every_solution_splits_in_half() {
    let (f, [nash, ks, egal, welfare]) = solutions(&pie_of_two(1.0, 1.0), [0.0, 0.0], 200);
    for x in [nash, ks, egal, welfare] {
        assert_eq!(x, Some(0.5));
    }
    // The whole frontier is u0 + u1 = 1, exactly (0.5 is a grid point, so no error there).
    for k in 0..f.len() {
        let u = f.utility(k);
        assert!(close(u[0] + u[1], 1.0, 1e-12), "{u:?}");
    }
    // Opposition level: the closest acceptable point to (1, 1) is (1/2, 1/2).
    let b = bargaining(&f, &[0.0, 0.0]);
    assert!(close(b.opposition.unwrap(), 0.5f64.sqrt(), 1e-12));
}

#[test]
fn concave_pie_nash_is_a_over_a_plus_b_and_ks_equalises_utilities() {
    // u0 = x^a, u1 = (1 − x)^b, d = 0: Nash x = a/(a + b); KS = egalitarian: x^a = (1 − x)^b.
    let grid = 2_000;
    let h = 1.0 / grid as f64;
    for (a, b) in [(0.5, 1.0), (1.0, 0.5), (0.3, 0.8), (1.0, 1.0 / 3.0)] {
        let (_, [nash, ks, egal, _]) = solutions(&pie_of_two(a, b), [0.0, 0.0], grid);
        let nash = nash.unwrap();
        assert!(close(nash, a / (a + b), h), "a {a} b {b}: {nash}");
        // Root of x^a − (1 − x)^b by bisection (the closed form's equation).
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid.powf(a) < (1.0 - mid).powf(b) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assert!(close(ks.unwrap(), lo, h), "a {a} b {b}: {ks:?} vs {lo}");
        assert!(close(egal.unwrap(), lo, h), "a {a} b {b}: {egal:?} vs {lo}");
    }
}

#[test]
fn asymmetric_pie_separates_all_four_points() {
    // u0 = x, u1 = (1 − x)^(1/2), d = (0, 0.2). With y = (1 − x)^(1/2):
    // Nash:        3y² − 0.4y − 1 = 0           (∂/∂x [ln x + ln(y − 0.2)] = 0)
    // KS: the ideal is over the acceptable points: I0 = 0.96 (u1 ≥ 0.2 needs x ≤ 0.96), I1 = 1;
    //              x/0.96 = (y − 0.2)/0.8,  0.8y² + 0.96y − 0.992 = 0
    // egalitarian: x = y − 0.2,          y² + y − 1.2 = 0
    // max welfare: x + y maximal,        y = 1/2
    let grid = 4_000;
    let h = 1.0 / grid as f64;
    let (f, [nash, ks, egal, welfare]) = solutions(&pie_of_two(1.0, 0.5), [0.0, 0.2], grid);
    let root = |a: f64, b: f64, c: f64| (-b + (b * b - 4.0 * a * c).sqrt()) / (2.0 * a);
    let x_of = |y: f64| 1.0 - y * y;
    let expected = [
        x_of(root(3.0, -0.4, -1.0)),
        x_of(root(0.8, 0.96, -0.992)),
        x_of(root(1.0, 1.0, -1.2)),
        0.75,
    ];
    for (got, want) in [nash, ks, egal, welfare].iter().zip(expected) {
        assert!(close(got.unwrap(), want, h), "{got:?} vs {want}");
    }
    // The four are distinct (KS ≠ Nash ≠ egalitarian ≠ welfare), well beyond the grid.
    for i in 0..4 {
        for j in i + 1..4 {
            assert!((expected[i] - expected[j]).abs() > 0.01);
        }
    }
    // KS gives equal shares of the ideal gains; egalitarian equal gains.
    let b = bargaining(&f, &[0.0, 0.2]);
    assert!(close(b.ideal[0], 0.96, 1e-12) && close(b.ideal[1], 1.0, 1e-12));
    let u = f.utility(b.kalai_smorodinsky.unwrap());
    assert!(close(u[0] / 0.96, (u[1] - 0.2) / 0.8, 2e-3), "{u:?}");
    let u = f.utility(b.egalitarian.unwrap());
    assert!(close(u[0], u[1] - 0.2, 2e-3), "{u:?}");
}

#[test]
fn ks_point_of_the_mediator_matches_the_closed_form() {
    let w = pie_of_two(1.0, 0.5);
    // d = 0, ideal (1, 1): x = (1 − x)^(1/2), x = (√5 − 1)/2.
    let x = kalai_smorodinsky_point(
        &w,
        &[0, 1],
        &[0.0, 0.0],
        &SettlementSpace::CONTINUOUS,
        fine(4_000),
    )
    .unwrap();
    assert!(
        close(x[0], (5f64.sqrt() - 1.0) / 2.0, 1.0 / 4_000.0),
        "{x:?}"
    );
    // No settlement gives both more than 0.7 and 0.8: no point.
    assert!(
        kalai_smorodinsky_point(
            &w,
            &[0, 1],
            &[0.7, 0.8],
            &SettlementSpace::CONTINUOUS,
            fine(100)
        )
        .is_none()
    );
}

/// A small deterministic generator for the random cases.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn random_world(rng: &mut Lcg, n: usize, m: usize) -> World {
    let positions: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..m).map(|_| (rng.next() * 10.0).round() / 10.0).collect())
        .collect();
    let saliences: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            (0..m)
                .map(|_| if rng.next() < 0.15 { 0.0 } else { rng.next() })
                .collect()
        })
        .collect();
    let risks: Vec<f64> = (0..n).map(|_| 0.4 + 1.4 * rng.next()).collect();
    let actors: Vec<Actor<'_>> = (0..n)
        .map(|i| actor(1.0, risks[i], &positions[i], &saliences[i]))
        .collect();
    let sq: Vec<f64> = (0..m).map(|_| rng.next()).collect();
    world(&actors, &sq)
}

/// Whether utility vector `a` is at least `b` everywhere and above it somewhere.
fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
}

#[test]
fn frontier_on_options_is_exact_against_brute_force() {
    let mut rng = Lcg(7);
    for case in 0..60 {
        let n = 2 + case % 3;
        let m = 2 + case % 3;
        let w = random_world(&mut rng, n, m);
        let options: Vec<Vec<f64>> = (0..m)
            .map(|_| {
                let k = 2 + (rng.next() * 3.0) as usize;
                let mut o: Vec<f64> = (0..k).map(|_| (rng.next() * 20.0).round() / 20.0).collect();
                o.sort_by(f64::total_cmp);
                o.dedup();
                o
            })
            .collect();
        let pie: Vec<usize> = if case % 2 == 0 { vec![0, 1] } else { vec![] };
        let space = SettlementSpace {
            options: &options,
            pie: &pie,
        };
        let parties: Vec<usize> = (0..n).collect();
        let f = pareto_frontier(&w, &parties, &space, Resolution::default());
        assert!(f.exact);
        assert!(f.error.iter().all(|&e| e == 0.0));
        // Every settlement, by brute force.
        let mut all: Vec<Vec<f64>> = Vec::new();
        let mut idx = vec![0usize; m];
        loop {
            let x: Vec<f64> = (0..m).map(|j| options[j][idx[j]]).collect();
            if pie.iter().map(|&j| x[j]).sum::<f64>() <= 1.0 + 1e-12 {
                all.push(parties.iter().map(|&a| own_utility(&w, a, &x)).collect());
            }
            let mut j = 0;
            while j < m {
                idx[j] += 1;
                if idx[j] < options[j].len() {
                    break;
                }
                idx[j] = 0;
                j += 1;
            }
            if j == m {
                break;
            }
        }
        let brute: Vec<&Vec<f64>> = all
            .iter()
            .filter(|u| !all.iter().any(|v| dominates(v, u)))
            .collect();
        // Each Pareto-optimal vector is on the frontier, and each frontier point is one.
        let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        for u in &brute {
            assert!(
                (0..f.len()).any(|k| near(f.utility(k), u)),
                "case {case}: {u:?} missing"
            );
        }
        for k in 0..f.len() {
            assert!(
                brute.iter().any(|u| near(f.utility(k), u)),
                "case {case}: {:?} not Pareto optimal",
                f.utility(k)
            );
            let x = f.settlement(k);
            assert!(pie.iter().map(|&j| x[j]).sum::<f64>() <= 1.0 + 1e-12);
            for (j, xj) in x.iter().enumerate() {
                assert!(options[j].contains(xj));
            }
        }
    }
}

#[test]
fn frontier_on_continuous_issues_keeps_its_error_bound() {
    let mut rng = Lcg(11);
    for case in 0..24 {
        let n = 2 + case % 2;
        let m = 1 + case % 3;
        let w = random_world(&mut rng, n, m);
        let pie: Vec<usize> = if case % 4 < 2 {
            (0..m).collect()
        } else {
            vec![]
        };
        let space = SettlementSpace {
            options: &[],
            pie: &pie,
        };
        let parties: Vec<usize> = (0..n).collect();
        // A coarse grid, and a small cap that forces thinning in some cases.
        let resolution = Resolution {
            grid: 12,
            max_points: if case % 3 == 0 { 40 } else { 10_000 },
        };
        let f = pareto_frontier(&w, &parties, &space, resolution);
        for k in 0..f.len() {
            for l in 0..f.len() {
                assert!(!dominates(f.utility(l), f.utility(k)));
            }
            let x = f.settlement(k);
            assert!(pie.iter().map(|&j| x[j]).sum::<f64>() <= 1.0 + 1e-12);
        }
        let mut worst_ratio: f64 = 0.0;
        for _ in 0..3_000 {
            let mut x: Vec<f64> = (0..m).map(|_| rng.next()).collect();
            let total: f64 = pie.iter().map(|&j| x[j]).sum();
            if total > 1.0 {
                for &j in &pie {
                    x[j] /= total;
                }
            }
            let u: Vec<f64> = parties.iter().map(|&a| own_utility(&w, a, &x)).collect();
            // Some frontier point is within the stated error of beating x.
            let covered = (0..f.len()).any(|k| {
                f.utility(k)
                    .iter()
                    .zip(&u)
                    .zip(&f.error)
                    .all(|((fu, xu), e)| fu + e + 1e-12 >= *xu)
            });
            assert!(
                covered,
                "case {case}: {x:?} with {u:?} beyond {:?}",
                f.error
            );
            // How much of the bound is used (a bound far above the shortfall would be loose).
            let shortfall = (0..f.len())
                .map(|k| {
                    f.utility(k)
                        .iter()
                        .zip(&u)
                        .zip(&f.error)
                        .map(|((fu, xu), e)| if *e > 0.0 { (xu - fu) / e } else { 0.0 })
                        .fold(f64::NEG_INFINITY, f64::max)
                })
                .fold(f64::INFINITY, f64::min);
            worst_ratio = worst_ratio.max(shortfall);
        }
        assert!(worst_ratio <= 1.0 + 1e-9, "case {case}: {worst_ratio}");
    }
}

#[test]
fn finer_grids_shrink_the_error_bound() {
    let w = pie_of_two(1.0, 0.5);
    let coarse = pareto_frontier(&w, &[0, 1], &SettlementSpace::CONTINUOUS, fine(10));
    let finer = pareto_frontier(&w, &[0, 1], &SettlementSpace::CONTINUOUS, fine(1_000));
    assert!(!coarse.exact);
    // δ = h/2 on one issue of salience 1 and scale 1; ε0 = δ (a = 1), ε1 = δ^(1/2).
    assert!(close(coarse.error[0], 0.05, 1e-12));
    assert!(close(coarse.error[1], 0.05f64.sqrt(), 1e-12));
    assert!(close(finer.error[0], 0.0005, 1e-12));
}

#[test]
fn settlements_are_judged_in_normalised_gains() {
    // Linear pie, d = (0, 0), ideals (1, 1): normalised gains are the utilities themselves.
    let w = pie_of_two(1.0, 1.0);
    let frontier = pareto_frontier(&w, &[0, 1], &SettlementSpace::CONTINUOUS, fine(200));
    let bargaining = bargaining(&frontier, &[0.0, 0.0]);
    let analysis = Analysis {
        frontier,
        bargaining,
    };
    // The split (0.3, 0.7) is on the frontier, 0.2√2/√2 = 0.2 from the half split.
    let j = analysis.judge(&[0.3, 0.7]);
    assert!(j.frontier < 1e-12, "{j:?}");
    assert!(close(j.nash.unwrap(), 0.2, 1e-12), "{j:?}");
    assert!(close(j.kalai_smorodinsky.unwrap(), 0.2, 1e-12), "{j:?}");
    // Wasting a fifth of the pie, (0.4, 0.4): nearest frontier point (0.5, 0.5), √0.02/√2 = 0.1.
    let j = analysis.judge(&[0.4, 0.4]);
    assert!(close(j.frontier, 0.1, 1e-12), "{j:?}");
    // Disagreement is at distance 1 from the ideal (1, 1), and 1/2 from the half split.
    let j = analysis.judge(&[0.0, 0.0]);
    assert!(close(j.nash.unwrap(), 0.5, 1e-12), "{j:?}");
    assert!(close(
        analysis.bargaining.distance(&[0.0, 0.0], &[1.0, 1.0]),
        1.0,
        1e-12
    ));
}

/// The logrolling fixture: Nash, Kalai–Smorodinsky and egalitarian points all at (0, 1) with
/// utilities (2/3, 2/3); disagreement (1/2, 1/2), ideals (3/4, 3/4) (the fixture's comment).
fn logroll() -> treaty::model::Model {
    treaty::scenario::load("tests/fixtures/good/logroll.ron")
        .expect("the fixture loads")
        .model
}

#[test]
fn runs_are_judged_against_the_central_analysis() {
    use treaty::solvers::bargaining::Referee;
    let model = logroll();
    let referee = Referee::new(&model, Resolution::default()).expect("something to judge");
    assert!(!referee.preferences_uncertain());
    let mut scratch = Vec::new();
    // The settlement every solution agrees on: distance 0 from the frontier and both points.
    let j = referee.judge(&[0.0, 1.0], &mut scratch);
    assert_eq!(j.frontier, 0.0, "{j:?}");
    assert_eq!(j.nash, Some(0.0), "{j:?}");
    assert_eq!(j.kalai_smorodinsky, Some(0.0), "{j:?}");
    // The status quo is the disagreement point: gains (0, 0). Its distance from the points
    // (2/3, 2/3) in gains is (2/3)·√2/√2 = 2/3; the nearest frontier point is on the segment
    // from gains (1, 0) to (2/3, 2/3), at (0.8, 0.4) (settlement (0, 0.9), a grid point), so the
    // frontier distance is √(0.8)/√2 = √0.4.
    let j = referee.judge(&[0.5, 0.5], &mut scratch);
    assert!(close(j.frontier, 0.4f64.sqrt(), 1e-12), "{j:?}");
    assert!(close(j.nash.unwrap(), 2.0 / 3.0, 1e-12), "{j:?}");
    assert!(
        close(j.kalai_smorodinsky.unwrap(), 2.0 / 3.0, 1e-12),
        "{j:?}"
    );
    // The pruned search finds the same nearest point as a scan of the whole frontier, anywhere
    // in the space.
    let mut rng = Lcg(7);
    for _ in 0..2_000 {
        let x = [rng.next(), rng.next()];
        let j = referee.judge(&x, &mut scratch);
        assert_eq!(j, referee.analysis().judge(&scratch), "{x:?}");
    }
}

#[test]
fn uncertain_preferences_are_flagged_and_runs_without_a_reference_are_not_judged() {
    use treaty::model::{Disagreement, Distribution, Role, Value};
    use treaty::solvers::bargaining::Referee;
    let mut model = logroll();
    model.actors[0].stances[1].position = Value::Dist(Distribution::Uniform(0.0, 0.2));
    let referee = Referee::new(&model, Resolution::default()).expect("something to judge");
    assert!(referee.preferences_uncertain());
    // Reservation utilities no settlement reaches for both (the best both get together is
    // 2/3 each): no mutually acceptable point, nothing to judge against.
    let mut model = logroll();
    model.disagreement = Disagreement::Reservation;
    for a in &mut model.actors[..2] {
        a.reservation = Value::Const(0.9);
    }
    assert!(Referee::new(&model, Resolution::default()).is_none());
    // No principal: no bargaining.
    let mut model = logroll();
    for a in &mut model.actors[..2] {
        a.role = Role::Stakeholder;
    }
    assert!(Referee::new(&model, Resolution::default()).is_none());
}

#[test]
fn models_beyond_the_size_budget_are_not_judged() {
    use treaty::solvers::bargaining::{MAX_JUDGED_PAIRS, Referee};
    // Six principals on eight issues: 48 pairs, at the budget, judged.
    let mut model = treaty::scenario::load("bench-6x8").unwrap().model;
    assert_eq!(
        model.principals().count() * model.issues.len(),
        MAX_JUDGED_PAIRS
    );
    assert!(Referee::new(&model, Resolution::default()).is_some());
    // A ninth issue (a copy of the first): 54 pairs, beyond it.
    let issue = model.issues[0].clone();
    model.issues.push(issue);
    for a in &mut model.actors {
        let stance = a.stances[0].clone();
        a.stances.push(stance);
    }
    assert!(Referee::new(&model, Resolution::default()).is_none());
}
