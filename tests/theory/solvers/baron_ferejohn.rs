//! docs/theory.md §3: Baron–Ferejohn closed-rule quota bargaining.

use super::*;
use treaty::solvers::baron_ferejohn::{StationaryEquilibrium, stationary_equilibrium};

/// Checks the stationary equilibrium conditions of `eq` directly: value equations, mixing that
/// sums to q − 1 and buys only the cheapest votes.
fn assert_equilibrium(eq: &StationaryEquilibrium, p: &[f64], delta: &[f64], q: usize) {
    let n = p.len();
    let total: f64 = p.iter().sum();
    let v = eq.values();
    for i in 0..n {
        assert!(close(eq.price(i), delta[i] * v[i], 1e-12));
        let paid: f64 = (0..n).map(|j| eq.inclusion(i, j) * eq.price(j)).sum();
        let rho: f64 = (0..n).map(|k| p[k] / total * eq.inclusion(k, i)).sum();
        let rhs = p[i] / total * (1.0 - paid) + delta[i] * v[i] * rho;
        assert!(
            close(v[i], rhs, 1e-9),
            "value equation of {i}: {} vs {rhs}",
            v[i]
        );
    }
    for k in 0..n {
        let row: Vec<f64> = (0..n).map(|j| eq.inclusion(k, j)).collect();
        assert_eq!(row[k], 0.0);
        assert!(
            close(row.iter().sum::<f64>(), (q - 1) as f64, 1e-9),
            "{row:?}"
        );
        let bought = (0..n).filter(|&j| row[j] > 1e-9).map(|j| eq.price(j));
        let left = (0..n)
            .filter(|&j| j != k && row[j] < 1.0 - 1e-9)
            .map(|j| eq.price(j));
        let (dearest, cheapest) = (
            bought.fold(f64::NEG_INFINITY, f64::max),
            left.fold(f64::INFINITY, f64::min),
        );
        assert!(dearest <= cheapest + 1e-9, "proposer {k} overpays");
    }
}

#[test]
fn bf_symmetric_majority() {
    let (n, d) = (11, 0.9);
    let eq = stationary_equilibrium(&[1.0; 11], &[d; 11], 6);
    assert!(eq.is_exact());
    for k in 0..n {
        assert!(close(eq.values()[k], 1.0 / 11.0, 1e-12));
        assert!(close(eq.proposer_share(k), 0.590909091, 1e-9));
        let shares = eq.proposal(k);
        let partners: Vec<f64> = (0..n)
            .filter(|&j| j != k && shares[j] > 0.0)
            .map(|j| shares[j])
            .collect();
        assert_eq!(partners.len(), 5, "exactly q − 1 partners");
        for s in partners {
            assert!(close(s, 0.081818182, 1e-9), "{s}");
            assert!(close(s, d / 11.0, 1e-12), "δ/n, not 1/n");
        }
        assert!(close(shares.iter().sum::<f64>(), 1.0, 1e-12));
    }
    assert_equilibrium(&eq, &[1.0; 11], &[d; 11], 6);
}

#[test]
fn bf_symmetric_general_quota() {
    let (n, d) = (7usize, 0.8);
    for q in 1..=n {
        let eq = stationary_equilibrium(&[1.0; 7], &[d; 7], q);
        assert!(eq.is_exact());
        let want = 1.0 - (q - 1) as f64 * d / n as f64;
        for k in 0..n {
            assert!(close(eq.proposer_share(k), want, 1e-9), "q = {q}");
        }
        assert_equilibrium(&eq, &[1.0; 7], &[d; 7], q);
    }
}

#[test]
fn bf_unequal_recognition_mixes() {
    let p = [0.7, 0.2, 0.1];
    let eq = stationary_equilibrium(&p, &[0.8; 3], 2);
    assert!(eq.is_exact());
    let want = [7.0 / 12.0, 5.0 / 24.0, 5.0 / 24.0];
    for (i, &w) in want.iter().enumerate() {
        assert!(close(eq.values()[i], w, 1e-9), "{:?}", eq.values());
        assert!(close(eq.proposer_share(i), 5.0 / 6.0, 1e-9));
    }
    assert!(close(eq.inclusion(0, 1), 3.0 / 14.0, 1e-9));
    assert!(close(eq.inclusion(0, 2), 11.0 / 14.0, 1e-9));
    assert_eq!((eq.inclusion(1, 2), eq.inclusion(2, 1)), (1.0, 1.0));
    assert_equilibrium(&eq, &p, &[0.8; 3], 2);
}

#[test]
fn bf_three_players_closed_form() {
    // docs/theory.md §3: all 1/3 if p0 ≤ 1/(3 − δ); else v1 = v2 = w = (p1 + p2)/(2 − δ p0),
    // v0 = p0 (1 − δ w), and P0 includes P1 with probability μ.
    for (p, d) in [
        ([0.5, 0.3, 0.2], 0.9),
        ([0.55, 0.25, 0.2], 0.9),
        ([0.4, 0.35, 0.25], 0.9),
        ([0.38, 0.32, 0.3], 0.5),
    ] {
        let eq = stationary_equilibrium(&p, &[d; 3], 2);
        assert!(eq.is_exact());
        let v = eq.values();
        if p[0] <= 1.0 / (3.0 - d) {
            for &vi in v {
                assert!(close(vi, 1.0 / 3.0, 1e-9), "{p:?} {d}: {v:?}");
            }
        } else {
            let w = (p[1] + p[2]) / (2.0 - d * p[0]);
            let mu = (w - p[1] * (1.0 - d * w) - p[2] * d * w) / (p[0] * d * w);
            assert!((0.0..=1.0).contains(&mu));
            assert!(close(v[0], p[0] * (1.0 - d * w), 1e-9), "{p:?}: {v:?}");
            assert!(close(v[1], w, 1e-9) && close(v[2], w, 1e-9), "{p:?}: {v:?}");
            assert!(close(eq.inclusion(0, 1), mu, 1e-9), "{p:?}");
        }
        assert_equilibrium(&eq, &p, &[d; 3], 2);
    }
    // Beyond the closed form's range (μ < 0): P0 buys P2 only, and v1 > v2.
    for (p, d) in [([0.6, 0.25, 0.15], 0.5), ([0.8, 0.15, 0.05], 0.6)] {
        let eq = stationary_equilibrium(&p, &[d; 3], 2);
        assert!(eq.is_exact());
        assert_eq!((eq.inclusion(0, 1), eq.inclusion(0, 2)), (0.0, 1.0));
        assert!(eq.values()[1] > eq.values()[2]);
        assert_equilibrium(&eq, &p, &[d; 3], 2);
    }
}

#[test]
fn bf_drawn_proposals_average_to_the_values() {
    // Round-1 payoffs with recognition p and partners drawn from the mixing: their expectation
    // is v (agreement is immediate). Systematic sampling on a grid of u is exact to 1/N.
    let p = [0.35, 0.05, 0.3, 0.1, 0.2];
    let delta = [0.9, 0.6, 0.95, 0.8, 0.7];
    let eq = stationary_equilibrium(&p, &delta, 3);
    assert!(eq.is_exact());
    assert_equilibrium(&eq, &p, &delta, 3);
    let grid = 20_000;
    let mut mean = [0.0; 5];
    for (k, &pk) in p.iter().enumerate() {
        for s in 0..grid {
            let shares = eq.proposal_drawn(k, (s as f64 + 0.5) / grid as f64);
            assert!(close(shares.iter().sum::<f64>(), 1.0, 1e-12));
            assert_eq!(shares.iter().filter(|&&x| x > 0.0).count(), 3);
            for (m, &x) in mean.iter_mut().zip(&shares) {
                *m += pk * x / grid as f64;
            }
        }
    }
    for (m, v) in mean.iter().zip(eq.values()) {
        assert!(close(*m, *v, 1e-4), "{m} vs {v}");
    }
}

#[test]
fn bf_free_votes_and_degenerate_games() {
    // A player never recognised is worth 0 and its vote is free; one with δ = 0 is also free but
    // keeps what it gets when it proposes.
    let eq = stationary_equilibrium(&[0.5, 0.0, 0.3, 0.2], &[0.9, 0.9, 0.0, 0.8], 3);
    assert!(eq.is_exact());
    assert_equilibrium(&eq, &[0.5, 0.0, 0.3, 0.2], &[0.9, 0.9, 0.0, 0.8], 3);
    assert_eq!(eq.values()[1], 0.0);
    assert_eq!((eq.price(1), eq.price(2)), (0.0, 0.0));
    // Dictator quota: everyone keeps its recognition probability.
    let eq = stationary_equilibrium(&[3.0, 1.0], &[0.9, 0.5], 1);
    assert!(close(eq.values()[0], 0.75, 1e-12) && close(eq.values()[1], 0.25, 1e-12));
    // One player.
    let eq = stationary_equilibrium(&[1.0], &[0.9], 1);
    assert!(close(eq.values()[0], 1.0, 1e-12));
    // No discounting under unanimity: every division is stationary, the payoffs are not unique
    // and the solver says so, returning one stationary division.
    let eq = stationary_equilibrium(&[0.5, 0.3, 0.2], &[1.0; 3], 3);
    assert!(!eq.is_exact());
    assert!(close(eq.values().iter().sum::<f64>(), 1.0, 1e-9));
    assert_equilibrium(&eq, &[0.5, 0.3, 0.2], &[1.0; 3], 3);
}

proptest::proptest! {
    #![proptest_config(crate::common::proptest_cases(300))]

    #[test]
    fn bf_random_games_are_verified_equilibria(
        n in 1usize..=8,
        weights in proptest::collection::vec(0.01f64..1.0, 8),
        discounts in proptest::collection::vec(0.05f64..0.99, 8),
        common in proptest::bool::ANY,
        quota in 0.0f64..1.0,
    ) {
        let p = &weights[..n];
        let delta: Vec<f64> = if common { vec![discounts[0]; n] } else { discounts[..n].to_vec() };
        let q = 1 + ((quota * n as f64) as usize).min(n - 1);
        let eq = stationary_equilibrium(p, &delta, q);
        proptest::prop_assert!(eq.is_exact());
        assert_equilibrium(&eq, p, &delta, q);
        let total: f64 = eq.values().iter().sum();
        proptest::prop_assert!(total <= 1.0 + 1e-12);
    }
}
