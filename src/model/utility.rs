//! Utility.
//!
//! # Own utility
//!
//! Actor i with ideal points p_ij, saliences s_ij ≥ 0 and risk exponent a_i > 0 values a settlement
//! x ∈ [0, 1]^m by its salience-weighted distance from its ideal, normalised by the largest
//! distance possible on the issues it cares about (the far pole of each). The scenario's `loss`
//! chooses the distance ([`Loss`]):
//!
//! ```text
//! Linear (default, city-block):
//!   d_i(x) = Σ_j s_ij |x_j − p_ij|    /  Σ_j s_ij · max(p_ij, 1 − p_ij)        ∈ [0, 1]
//! Quadratic (weighted squared Euclidean):
//!   d_i(x) = Σ_j s_ij (x_j − p_ij)²   /  Σ_j s_ij · max(p_ij, 1 − p_ij)²       ∈ [0, 1]
//!
//! u_i(x) = (1 − d_i(x))^a_i
//! ```
//!
//! so under either loss u = 1 at its ideal and 0 at the far pole of everything it cares about.
//! Only the ratios of an actor's saliences matter: saliences so small (down to subnormal numbers)
//! or so large that their sums would lose precision are divided by the largest first. The
//! exponent sets the curvature: a = 1 is risk neutral, a < 1 is risk averse (concave in the share
//! it gets, e.g. u = x^a for a pie, as in the Nash (1950) and Rubinstein (1982) concave cases),
//! a > 1 is risk acceptant. On a single issue with ideal 1 the linear loss gives exactly u = x^a,
//! the quadratic loss u = (1 − (1 − x)²)^a = (x(2 − x))^a.
//!
//! **Linear loss** is the city-block spatial model ("linear utility" of the bargaining
//! literature): every unit of distance costs the same, so an actor trades issues at constant
//! rates, which is what the logrolling offers of [`crate::engine::strategy::offer`] assume.
//!
//! **Quadratic loss** is the established form of the spatial theory of voting: utility falling
//! with the squared weighted Euclidean distance from the ideal point (Davis, Hinich & Ordeshook
//! 1970, "An expository development of a mathematical model of the electoral process", *APSR*
//! 64(2):426–448; Enelow & Hinich 1984, *The Spatial Theory of Voting*, ch. 2–3), here with a
//! diagonal salience matrix (no cross-issue terms), so it stays a sum of one term per issue.
//! Small deviations cost little and large ones much: on one issue, with t = |x − p| / max(p, 1 − p)
//! the distance as a share of the largest, the quadratic d = t² is below the linear d = t
//! everywhere but at the ideal (t = 0) and the far pole (t = 1), where they agree;
//! and it is the loss under which the capability × salience weighted mean of the ideal points is
//! the best compromise (Achen 2006's compromise model, [`crate::solvers::mediation`]). The
//! denominator squares each issue's largest distance so that d_i still runs from 0 to exactly 1.
//!
//! The loss is chosen once per evaluation (not per issue): each loss has its own loop, compiled
//! separately, so the linear path is the plain city-block sum.
//!
//! # Effective utility
//!
//! Relations make utilities interdependent (after the "interdependent utility" of Bueno de Mesquita
//! & Lalman's alliance portfolios and Snidal's relative-gains concerns). With ρ_ik ∈ [−1, 1] the
//! regard of i for k and λ ∈ [0, 1] the scenario's `interdependence`, i's effective utility counts
//! its allies' gains and its rivals' losses relative to the status quo q:
//!
//! ```text
//! U_i(x) = u_i(x) + λ Σ_{k ≠ i, k active} ρ_ik (u_k(x) − u_k(q))
//! ```
//!
//! At the status quo U_i(q) = u_i(q), so the status quo is a common reference, and without
//! relations U_i = u_i (the closed forms of the theory checks hold unchanged).

use super::{Loss, World};

/// One issue's term of a distance: |x − p| (linear loss) or (x − p)² (quadratic loss).
#[inline(always)]
fn term<const SQUARED: bool>(diff: f64) -> f64 {
    if SQUARED { diff * diff } else { diff.abs() }
}

/// One issue's largest distance max(p, 1 − p), squared under quadratic loss.
#[inline(always)]
fn reach<const SQUARED: bool>(p: f64) -> f64 {
    let r = p.max(1.0 - p);
    if SQUARED { r * r } else { r }
}

/// The denominator of actor `a`'s distance, Σ_j s_aj · max(p_aj, 1 − p_aj) (squared under
/// quadratic loss): the largest distance possible on the issues it cares about. It changes only
/// when the world does, so a run works it out once per actor (and again after events).
#[inline]
pub fn utility_scale(world: &World, a: usize) -> f64 {
    match world.loss {
        Loss::Linear => scale_of::<false>(world, a),
        Loss::Quadratic => scale_of::<true>(world, a),
    }
}

#[inline(always)]
fn scale_of<const SQUARED: bool>(world: &World, a: usize) -> f64 {
    let m = world.n_issues;
    let pos = &world.position[a * m..(a + 1) * m];
    let sal = &world.salience[a * m..(a + 1) * m];
    let mut den = 0.0;
    for (s, p) in sal.iter().zip(pos) {
        den += s * reach::<SQUARED>(*p);
    }
    den
}

/// Salience-weighted normalised distance d_a(x) of `x` from actor `a`'s ideal point, in
/// [0, 1], given its [`utility_scale`]. An actor that cares about nothing has distance 0
/// everywhere.
#[inline]
fn distance_at_scale(world: &World, a: usize, x: &[f64], scale: f64) -> f64 {
    match world.loss {
        Loss::Linear => distance_of::<false>(world, a, x, scale),
        Loss::Quadratic => distance_of::<true>(world, a, x, scale),
    }
}

#[inline(always)]
fn distance_of<const SQUARED: bool>(world: &World, a: usize, x: &[f64], scale: f64) -> f64 {
    let m = world.n_issues;
    let pos = &world.position[a * m..(a + 1) * m];
    let sal = &world.salience[a * m..(a + 1) * m];
    let x = &x[..m];
    // Four running sums, added in a fixed order at the end (the same bits on every machine and
    // thread; the processor can work on four issues at once).
    let mut lanes = [0.0; 4];
    let whole = m / 4 * 4;
    for j in (0..whole).step_by(4) {
        for l in 0..4 {
            lanes[l] += sal[j + l] * term::<SQUARED>(x[j + l] - pos[j + l]);
        }
    }
    let mut num = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for j in whole..m {
        num += sal[j] * term::<SQUARED>(x[j] - pos[j]);
    }
    if !(PRECISE_SCALES.0..=PRECISE_SCALES.1).contains(&scale) {
        return distance_rescaled::<SQUARED>(world, a, x);
    }
    (num / scale).min(1.0)
}

/// The utility scales at which the salience-weighted sums keep their precision. Outside this
/// range (saliences that are all tiny, subnormal or huge, or none at all) the distance is
/// worked out from the saliences divided by the largest, so only their ratios matter.
const PRECISE_SCALES: (f64, f64) = (1e-150, 1e150);

/// [`distance_at_scale`] with actor `a`'s saliences divided by the largest first: the same
/// distance for saliences of any size (5e-324 alone is salience 1 alone). An actor with no
/// salience anywhere has distance 0.
#[cold]
fn distance_rescaled<const SQUARED: bool>(world: &World, a: usize, x: &[f64]) -> f64 {
    let m = world.n_issues;
    let pos = &world.position[a * m..(a + 1) * m];
    let sal = &world.salience[a * m..(a + 1) * m];
    let largest = sal.iter().copied().fold(0.0, f64::max);
    if !(largest > 0.0 && largest.is_finite()) {
        return 0.0;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for ((s, p), x) in sal.iter().zip(pos).zip(&x[..m]) {
        let w = s / largest;
        num += w * term::<SQUARED>(x - p);
        den += w * reach::<SQUARED>(*p);
    }
    if den > 0.0 { (num / den).min(1.0) } else { 0.0 }
}

/// Own utility u_a(x) = (1 − d_a(x))^risk_a (module docs).
#[inline]
pub fn own_utility(world: &World, a: usize, x: &[f64]) -> f64 {
    own_utility_at_scale(world, a, x, utility_scale(world, a))
}

/// [`own_utility`] given actor `a`'s [`utility_scale`] (the same number, faster).
#[inline]
pub fn own_utility_at_scale(world: &World, a: usize, x: &[f64], scale: f64) -> f64 {
    let closeness = 1.0 - distance_at_scale(world, a, x, scale);
    let r = world.risk[a];
    if r == 1.0 {
        closeness
    } else {
        closeness.powf(r)
    }
}

/// Effective utility U_a(x) (module docs), given every actor's own utility of `x` (`own_x`) and
/// of the status quo (`own_q`).
#[inline]
pub fn effective_utility(world: &World, a: usize, own_x: &[f64], own_q: &[f64]) -> f64 {
    let mut u = own_x[a];
    if world.interdependence > 0.0 {
        let n = world.n_actors;
        let row = &world.relation[a * n..(a + 1) * n];
        let mut extra = 0.0;
        // Branch-light: a zero regard (and the diagonal, always 0) adds exactly 0, as does an
        // actor away from the table.
        for k in 0..n {
            let gain = if world.active[k] {
                own_x[k] - own_q[k]
            } else {
                0.0
            };
            extra += row[k] * gain;
        }
        u += world.interdependence * extra;
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issues of the test world.
    const M: usize = 3;

    /// The utility of `x` to one risk-neutral actor with ideal points 0.1, 0.8, 0.4 and
    /// saliences `sal`.
    fn utility_with(sal: &[f64], x: &[f64]) -> f64 {
        utility_of(sal, x, 1.0, Loss::Linear)
    }

    /// The utility of `x` to one actor with ideal points 0.1, 0.8, 0.4, saliences `sal`, risk
    /// exponent `risk` under `loss`.
    fn utility_of(sal: &[f64], x: &[f64], risk: f64, loss: Loss) -> f64 {
        assert_eq!(sal.len(), M);
        let world = World {
            n_actors: 1,
            n_issues: M,
            capability: vec![1.0],
            risk: vec![risk],
            reservation: vec![0.0],
            discount: vec![1.0],
            beta: vec![1.0],
            kappa: vec![0.0],
            optimism: vec![0.0],
            position: vec![0.1, 0.8, 0.4],
            salience: sal.to_vec(),
            relation: vec![0.0],
            status_quo: vec![0.5; M],
            active: vec![true],
            perception_noise: 0.0,
            interdependence: 0.0,
            step: 0.0,
            war_cost: 0.0,
            imposition: 0.0,
            propensity: 0.0,
            event_probability: Vec::new(),
            effect_amount: Vec::new(),
            loss,
        };
        own_utility(&world, 0, x)
    }

    #[test]
    fn only_the_ratios_of_saliences_matter_however_small_or_large() {
        let m = M;
        let x: Vec<f64> = (0..m).map(|j| 0.15 + 0.2 * j as f64).collect();
        let mut one = vec![0.0; m];
        one[0] = 1.0;
        let reference = utility_with(&one, &x);
        assert!(reference > 0.0 && reference < 1.0, "{reference}");
        for s in [5e-324, 1e-310, 1e-300, 1e300, f64::MAX] {
            let mut sal = vec![0.0; m];
            sal[0] = s;
            let u = utility_with(&sal, &x);
            assert!(
                (u - reference).abs() < 1e-12,
                "salience {s:e}: {u} vs {reference}"
            );
        }
        // Several issues, all tiny or all huge: the same as the same ratios at ordinary size.
        let ordinary: Vec<f64> = (0..m).map(|j| 1.0 + j as f64).collect();
        let reference = utility_with(&ordinary, &x);
        for scale in [5e-324, 1e-318, f64::MAX / 8.0] {
            let sal: Vec<f64> = ordinary.iter().map(|s| s * scale).collect();
            if sal.contains(&0.0) {
                continue;
            }
            let u = utility_with(&sal, &x);
            if scale < 1e-300 {
                // The tiniest saliences keep their ratios only roughly (few bits of precision).
                assert!(
                    (u - reference).abs() < 0.1,
                    "scale {scale:e}: {u} vs {reference}"
                );
            } else {
                assert!(
                    (u - reference).abs() < 1e-12,
                    "scale {scale:e}: {u} vs {reference}"
                );
            }
        }
        // No salience at all: nothing matters, utility 1 everywhere.
        assert_eq!(utility_with(&vec![0.0; m], &x), 1.0);
    }

    #[test]
    fn quadratic_loss_on_hand_worked_points() {
        let sal = [1.0, 2.0, 1.0];
        let mid = [0.5, 0.5, 0.5];
        // Linear: (0.4 + 2·0.3 + 0.1) / (0.9 + 2·0.8 + 0.6) = 1.1 / 3.1.
        let linear = utility_of(&sal, &mid, 1.0, Loss::Linear);
        assert!((linear - (1.0 - 1.1 / 3.1)).abs() < 1e-15, "{linear}");
        // Quadratic: (0.16 + 2·0.09 + 0.01) / (0.81 + 2·0.64 + 0.36) = 0.35 / 2.45 = 1/7.
        let quadratic = utility_of(&sal, &mid, 1.0, Loss::Quadratic);
        assert!((quadratic - 6.0 / 7.0).abs() < 1e-15, "{quadratic}");
        // The risk exponent curves the same closeness: (6/7)^0.5 and (6/7)^2.
        let averse = utility_of(&sal, &mid, 0.5, Loss::Quadratic);
        assert!((averse - (6.0f64 / 7.0).sqrt()).abs() < 1e-15, "{averse}");
        let acceptant = utility_of(&sal, &mid, 2.0, Loss::Quadratic);
        assert!((acceptant - 36.0 / 49.0).abs() < 1e-15, "{acceptant}");
        // One issue only (salience on the first): ideal 0.1, x = 0.7, largest distance 0.9:
        // d = 0.36 / 0.81 = 4/9 against 0.6 / 0.9 = 2/3 under linear loss.
        let one = [1.0, 0.0, 0.0];
        let q = utility_of(&one, &[0.7, 0.0, 0.0], 1.0, Loss::Quadratic);
        assert!((q - 5.0 / 9.0).abs() < 1e-15, "{q}");
        let l = utility_of(&one, &[0.7, 0.0, 0.0], 1.0, Loss::Linear);
        assert!((l - 1.0 / 3.0).abs() < 1e-15, "{l}");
        // Both losses: 1 at the ideal, 0 at the far pole of every issue.
        for loss in [Loss::Linear, Loss::Quadratic] {
            assert_eq!(utility_of(&sal, &[0.1, 0.8, 0.4], 0.7, loss), 1.0);
            assert_eq!(utility_of(&sal, &[1.0, 0.0, 1.0], 0.7, loss), 0.0);
        }
    }

    #[test]
    fn quadratic_loss_keeps_only_the_ratios_of_saliences() {
        let x = [0.15, 0.35, 0.55];
        let ordinary = [1.0, 2.0, 3.0];
        let reference = utility_of(&ordinary, &x, 1.0, Loss::Quadratic);
        // By hand: (0.0025 + 2·0.2025 + 3·0.0225) / (0.81 + 2·0.64 + 3·0.36).
        let want = 1.0 - (0.0025 + 0.405 + 0.0675) / (0.81 + 1.28 + 1.08);
        assert!((reference - want).abs() < 1e-15, "{reference} vs {want}");
        for scale in [1e-310, 1e-200, 1e200, f64::MAX / 8.0] {
            let sal: Vec<f64> = ordinary.iter().map(|s| s * scale).collect();
            let u = utility_of(&sal, &x, 1.0, Loss::Quadratic);
            assert!(
                (u - reference).abs() < 1e-9,
                "scale {scale:e}: {u} vs {reference}"
            );
        }
        assert_eq!(utility_of(&[0.0; 3], &x, 1.0, Loss::Quadratic), 1.0);
    }
}
