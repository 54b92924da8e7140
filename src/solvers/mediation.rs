//! The mediator's single negotiating text: the compromise point and the Nash bargaining point.
//!
//! # Compromise point
//!
//! The compromise model of Achen (2006, "Institutional realism and bargaining models", ch. 4 of
//! Thomson, Stokman, Achen & König (eds), *The European Union Decides*), the same as Bueno de
//! Mesquita's "mean voter": issue by issue, the capability × salience weighted mean of the parties'
//! ideal points,
//!
//! ```text
//! x̂_j = Σ_i c_i s_ij p_ij / Σ_i c_i s_ij
//! ```
//!
//! and the status quo q_j on an issue no party cares about (Σ_i c_i s_ij = 0). It is the point
//! that minimises the capability-weighted sum of the parties' squared salience-weighted distances
//! Σ_i c_i Σ_j s_ij (x_j − p_ij)² (set each issue's derivative to zero), which is why Achen
//! derives it as the bargaining outcome under quadratic loss; the engine uses it as a first text
//! under either loss. Scaling every
//! capability, or every salience on an issue, by one constant leaves x̂ unchanged, and so does
//! splitting an actor into two copies with half its capability each.
//!
//! # Nash bargaining point
//!
//! The (asymmetric, n-person) Nash bargaining solution (Nash 1950, *Econometrica* 18:155–162;
//! asymmetric form Kalai 1977, Roth 1979) over the settlement space X:
//!
//! ```text
//! x* = argmax_{x ∈ X, u_i(x) > d_i ∀i}  Π_i (u_i(x) − d_i)^(w_i)
//!    = argmax                            Σ_i w_i ln(u_i(x) − d_i)
//! ```
//!
//! with u_i the actor's own utility ([`crate::model::own_utility`]:
//! u_i(x) = (1 − d_i(x))^(a_i), d_i(x) = Σ_j s_ij |x_j − p_ij| / Σ_j s_ij max(p_ij, 1 − p_ij)
//! under linear loss, Σ_j s_ij (x_j − p_ij)² / Σ_j s_ij max(p_ij, 1 − p_ij)² under quadratic loss),
//! d_i the disagreement utilities (the engine passes each party's utility of the status quo, or
//! its reservation utility) and w_i > 0 the bargaining weights (capabilities in the engine). X is
//! [0, 1]^m, with two restrictions given by a [`SettlementSpace`]:
//!
//! - an issue with labelled options takes only its option points;
//! - the issues of a divisible pie are shares: their values sum to at most 1. [`nash_point`]
//!   respects this constraint itself (the engine need not project afterwards).
//!
//! An issue no party cares about stays at the status quo. If no point of X gives every party more
//! than its disagreement utility, there is no bargaining solution and [`nash_point`] returns `None`
//! (Butler 2004's pitfall: a party whose ideal point is the status quo prefers it to every change).
//!
//! ## How it is computed
//!
//! By cyclic coordinate ascent on f(x) = Σ_i w_i ln(u_i(x) − d_i), with two kinds of long step:
//!
//! - each continuous issue in turn is moved to the best point on its line. The line function is
//!   smooth between the *kinks* t = p_ij (where |x_j − p_ij| bends); from the current point the
//!   search follows the sign of the analytic derivative
//!   f'(t) = Σ_i w_i u_i'(t) / (u_i − d_i), u_i' = −a_i (1 − d_i(x))^(a_i − 1) · ∂d_i/∂t
//!   over every kink it keeps rising through (so kinks within rounding of each other cannot stop
//!   it), and in the segment where it stops rising finds the root of f' by false position
//!   (Illinois variant), bisecting where the far side leaves the domain. A root of f' is accurate
//!   to the last bits of t, where a search on values of f would stop near √ε, so the root is kept
//!   even if rounding makes f there look a few ulps worse;
//! - an issue with options is set to its best option;
//! - on a divisible pie, besides single moves (limited by the pie's slack), every pair (j, k) of
//!   its continuous issues trades share along e_j − e_k, so the search does not stall on the
//!   face Σ x = 1;
//! - after each sweep, a line search along the sweep's total displacement (a pattern move, after
//!   Hooke & Jeeves 1961), and one along a regularised Newton step on the smooth piece around the
//!   point (over the issues not on a kink; on a full pie, along its face). Within a piece every
//!   d_i(x) is linear, so the Hessian is Σ_i c_i σ_i σ_iᵀ with σ_ij = s_ij sign(x_j − p_ij): of
//!   rank at most the number of parties, and nearly singular exactly where single-issue moves
//!   zigzag (parties whose saliences make their σ_i nearly parallel);
//! - every line search (issue, trade, pattern, Newton) walks its own kinks as above, and sweeps
//!   repeat until no coordinate moves by more than 1e-12 (at most 500 sweeps).
//!
//! **Quadratic loss** makes every d_i(x) a smooth convex quadratic: the lines have no kinks
//! (the walk then has only the line's ends and t = 0 as breakpoints, and the root of f' on the
//! one smooth segment is the line's maximum), and the Newton step uses the full Hessian, whose
//! second derivative of the distance, 2 s_ij on the diagonal, makes it of full rank. The same
//! coordinate-wise argument below applies (more simply: f is then differentiable, so a point
//! where no coordinate move improves a concave f is its maximum).
//!
//! Why this finds the maximum when f is concave (always when every a_i ≤ 1, and for any a_i with
//! d_i = 0, since 1 − d_i(x) is concave): the non-smooth parts |x_j − p_ij| are separable by
//! issue and the outer functions are smooth, so the directional derivative of f is a sum of
//! one-issue terms, f'(x; v) = Σ_j φ_j(v_j). At a point where no single-issue move (and, on a pie,
//! no pairwise trade) improves f, every φ_j is ≤ 0 in each feasible direction, hence so is every
//! f'(x; v): the point is the maximum. (Where f is not concave, the result is a local maximum.)
//! On labelled options the search is a coordinate-wise best response, which is exact on one
//! issue and a local optimum on several.
//!
//! The start is the best of a few candidates (the compromise point, each party's ideal point, the
//! status quo, snapped to options and projected onto the pie). If none gives every party more than
//! its disagreement utility, a shifted problem Σ w_i ln(u_i − d_i + c) is solved, starting from
//! c = max(0.1, −2 g) with g = min_i (u_i − d_i) at the start, and after each solution x_c moving
//! c to −g(x_c) + (c + g(x_c))/10, until a sweep reaches a point with g > 0. If instead c comes
//! within 1e-12 of −g(x_c) (the largest min_i (u_i − d_i) is ≤ 0), there is no feasible point.

mod nash;

use crate::model::World;
use nash::NashProblem;

/// Where a settlement may lie, beyond the unit box.
#[derive(Debug, Clone, Copy, Default)]
pub struct SettlementSpace<'a> {
    /// Option points per issue: empty for all-continuous, otherwise one entry per issue (an
    /// empty entry for a continuous issue).
    pub options: &'a [Vec<f64>],
    /// Issues that are shares of one divisible pie: their values must sum to at most 1.
    pub pie: &'a [usize],
}

impl<'a> SettlementSpace<'a> {
    /// Every issue continuous, no pie.
    pub const CONTINUOUS: SettlementSpace<'static> = SettlementSpace {
        options: &[],
        pie: &[],
    };

    /// The option points of issue `j` (empty for a continuous issue).
    pub(super) fn options_of(&self, j: usize) -> &'a [f64] {
        self.options.get(j).map_or(&[], Vec::as_slice)
    }

    pub(super) fn in_pie(&self, j: usize) -> bool {
        self.pie.contains(&j)
    }
}

/// The compromise point (module docs): per issue the capability × salience weighted mean of the
/// `parties`' ideal points, the status quo where none of them cares.
pub fn compromise_point(world: &World, parties: &[usize]) -> Vec<f64> {
    (0..world.n_issues)
        .map(|j| {
            let mut num = 0.0;
            let mut den = 0.0;
            for &a in parties {
                let w = world.capability[a] * world.salience(a, j);
                num += w * world.position(a, j);
                den += w;
            }
            if den > 0.0 {
                num / den
            } else {
                world.status_quo[j]
            }
        })
        .collect()
}

/// Projects the pie issues of `x` onto {x_j ≥ 0, Σ_pie x_j ≤ 1} (Euclidean projection: if the
/// shares sum to more than 1, x_j ← max(0, x_j − τ) with τ such that they sum to 1). Other
/// issues are left alone.
pub fn project_onto_pie(x: &mut [f64], pie: &[usize]) {
    let total: f64 = pie.iter().map(|&j| x[j].max(0.0)).sum();
    if total <= 1.0 {
        for &j in pie {
            x[j] = x[j].max(0.0);
        }
        return;
    }
    let sum_at = |tau: f64| pie.iter().map(|&j| (x[j] - tau).max(0.0)).sum::<f64>();
    let (mut lo, mut hi) = (0.0, pie.iter().map(|&j| x[j]).fold(0.0, f64::max));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if sum_at(mid) > 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    for &j in pie {
        x[j] = (x[j] - hi).max(0.0);
    }
}

/// The Nash bargaining point (module docs): the x in the settlement space maximising
/// Σ_i w_i ln(u_i(x) − d_i) with every u_i(x) > d_i, or `None` if no such x exists.
///
/// `weights[n]` and `disagreement[n]` belong to `parties[n]`; weights must be positive.
///
/// # Panics
///
/// If `weights` or `disagreement` is not as long as `parties`.
pub fn nash_point(
    world: &World,
    parties: &[usize],
    weights: &[f64],
    disagreement: &[f64],
    space: &SettlementSpace<'_>,
) -> Option<Vec<f64>> {
    assert_eq!(weights.len(), parties.len(), "one weight per party");
    assert_eq!(
        disagreement.len(),
        parties.len(),
        "one disagreement value per party"
    );
    debug_assert!(weights.iter().all(|&w| w > 0.0), "weights must be positive");
    if disagreement.iter().any(|&d| d >= 1.0) {
        return None; // u_i ≤ 1 everywhere
    }
    let mut problem = NashProblem::new(world, parties, weights, disagreement, *space);
    let mut x = problem.start();
    if problem.gap(&x) <= 0.0 && !problem.reach_feasible(&mut x) {
        return None;
    }
    problem.shift = 0.0;
    problem.ascend(&mut x, false);
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_keeps_feasible_points_and_caps_the_pie() {
        let mut x = [0.2, 0.3, 0.9];
        project_onto_pie(&mut x, &[0, 1]);
        assert_eq!(x, [0.2, 0.3, 0.9]);
        let mut y = [0.8, 0.6, 0.9];
        project_onto_pie(&mut y, &[0, 1]);
        assert!((y[0] - 0.6).abs() < 1e-12 && (y[1] - 0.4).abs() < 1e-12);
        assert!(y[0] + y[1] <= 1.0);
        assert_eq!(y[2], 0.9);
    }
}
