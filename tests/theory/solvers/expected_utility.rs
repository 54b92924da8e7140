//! docs/theory.md §5: Bueno de Mesquita's expected-utility model as reconstructed by Scholz et al.

use super::*;
use treaty::solvers::expected_utility::{ExpectedUtilityModel, OfferKind};

/// docs/theory.md §5 toy data: A..E as (c, x, s), positions scaled by `scale`.
fn toy_eu(scale: f64) -> ExpectedUtilityModel {
    let c = [1.0, 0.5, 0.8, 0.3, 0.6];
    let x = [0.0, 30.0, 60.0, 80.0, 100.0].map(|v| v * scale);
    let s = [0.5, 0.9, 0.6, 1.0, 0.4];
    ExpectedUtilityModel::new(&x, &c, &s)
}

#[test]
fn eu_baselines_on_the_toy_data() {
    let m = toy_eu(1.0);
    assert!(close(m.mean_voter(), 90.3 / 1.97, 1e-12));
    assert!(close(m.mean_voter(), 45.837563452, 1e-9));
    assert_eq!(m.weighted_median(), 60.0);
    let unit = toy_eu(0.01);
    assert!(close(unit.mean_voter(), 0.458_375_634_517_766_5, 1e-12));
    assert_eq!(unit.weighted_median(), 0.6);
}

#[test]
fn eu_first_pass_risk_exponents() {
    let expect = [0.745508, 2.0, 1.096792, 1.889499, 0.5];
    for scale in [1.0, 0.01] {
        let r = toy_eu(scale).risk_exponents();
        for (a, (&got, &want)) in r.iter().zip(&expect).enumerate() {
            assert!(close(got, want, 1e-6), "actor {a}: {got} vs {want}");
        }
    }
    // Scale-free: the same numbers to rounding on both scales.
    let (big, unit) = (toy_eu(1.0).risk_exponents(), toy_eu(0.01).risk_exponents());
    for (a, b) in big.iter().zip(&unit) {
        assert!(close(*a, *b, 1e-12));
    }
}

#[test]
fn eu_first_step_on_the_toy_data() {
    // Independent computation of the §5 equations (Q = T = 1; each actor weighs offers with its
    // own risk exponent and takes the one that moves it least): A and E compromise toward C,
    // B, C (alone at the weighted median) and D stay.
    let mut m = toy_eu(1.0);
    let step = m.step();
    let moved: Vec<(usize, OfferKind, usize)> = step
        .moves
        .iter()
        .map(|v| (v.actor, v.kind, v.from))
        .collect();
    assert_eq!(
        moved,
        [(0, OfferKind::Compromise, 2), (4, OfferKind::Compromise, 2)]
    );
    let x = m.positions();
    assert!(close(x[0], 16.6280517806324, 1e-9), "{}", x[0]);
    assert!(close(x[4], 95.56826363199275, 1e-9), "{}", x[4]);
    assert_eq!(&x[1..4], &[30.0, 60.0, 80.0]);
    // The risk exponents used are the first-pass ones.
    assert!(close(m.last_risk()[0], 0.745508, 1e-6));
    // Scale-free dynamics: the same moves on [0, 1].
    let mut u = toy_eu(0.01);
    u.step();
    for (a, b) in m.positions().iter().zip(u.positions()) {
        assert!(close(*a * 0.01, *b, 1e-12));
    }
    // Step 2: A capitulates to B (its offer moves A least), E compromises again.
    let step = m.step();
    assert_eq!(step.moves[0].kind, OfferKind::Capitulation);
    assert_eq!((step.moves[0].actor, step.moves[0].from), (0, 1));
    assert_eq!(m.positions()[0], 30.0);
}

#[test]
fn eu_positions_stay_in_the_initial_range_and_runs_are_deterministic() {
    let c = [1.0, 0.4, 0.9, 0.2, 0.7, 0.5, 0.3];
    let x = [0.1, 0.35, 0.5, 0.62, 0.9, 0.2, 0.75];
    let s = [0.8, 0.3, 0.5, 1.0, 0.6, 0.2, 0.9];
    for (q, t) in [(1.0, 1.0), (0.5, 0.5), (0.0, 1.0)] {
        let mut a = ExpectedUtilityModel::new(&x, &c, &s).with_status_quo_weights(q, t);
        let mut b = a.clone();
        for _ in 0..30 {
            let before = a.positions().to_vec();
            let sa = a.step();
            let sb = b.step();
            assert_eq!(sa, sb);
            for m in &sa.moves {
                // Each move ends between the mover and the sender of the offer.
                let (lo, hi) = (m.old.min(before[m.from]), m.old.max(before[m.from]));
                assert_eq!(m.old, before[m.actor]);
                assert!(m.new != m.old && lo <= m.new && m.new <= hi);
            }
            for &p in a.positions() {
                assert!((0.1..=0.9).contains(&p), "{p}");
            }
            for &r in a.last_risk() {
                assert!((0.5..=2.0).contains(&r), "{r} {q} {t}");
            }
        }
    }
}

#[test]
fn eu_win_probabilities_are_pairwise_normalised() {
    let m = toy_eu(1.0);
    for i in 0..5 {
        for j in 0..5 {
            let (p, q) = (m.win_probability(i, j), m.win_probability(j, i));
            assert!((0.0..=1.0).contains(&p));
            if i != j {
                // max(0, Σ)/Σ|·| on both sides: at most one is positive, and they sum to ≤ 1.
                assert!(p * q == 0.0 && p + q <= 1.0 + 1e-15);
            }
        }
    }
    // An actor at the same position as another has nothing to contest.
    let same = ExpectedUtilityModel::new(&[0.2, 0.2, 0.8], &[1.0; 3], &[0.5; 3]);
    assert_eq!(same.win_probability(0, 1), 0.0);
}

#[test]
fn eu_model_from_a_world_issue() {
    let w = toy_world(1.0, 1.0);
    let from_world = ExpectedUtilityModel::for_issue(&w, 0, &[0, 1, 2, 3, 4]);
    let direct = toy_eu(0.01);
    assert_eq!(from_world.positions(), direct.positions());
    assert_eq!(from_world.risk_exponents(), direct.risk_exponents());
    // A subset of actors: k-th model actor is actors[k].
    let sub = ExpectedUtilityModel::for_issue(&w, 0, &[4, 2]);
    assert_eq!(sub.positions(), &[1.0, 0.6]);
}
