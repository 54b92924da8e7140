//! Subgame-perfect alternating offers on one divisible issue (Rubinstein 1982,
//! *Econometrica* 50(1):97–109), with general utilities, per-player discount factors and
//! reservation utilities.
//!
//! # The game
//!
//! Two players split a pie of size 1. In each round one proposes a split (its own share x, the
//! other's 1 − x) and the other accepts or rejects; proposers alternate. A player's utility of its
//! own share s is u(s), continuous and increasing on [0, 1] (the engine passes its own utility
//! along the issue, so risk exponents ≠ 1 work). Agreement in round t is worth δ^(t−1) u(s) to a
//! player with per-round discount factor δ ∈ [0, 1]: round 1 is not discounted.
//!
//! **Reservation utilities** r (0 in the classic game) are outside options in the sense of
//! Binmore, Shaked & Sutton (1989, *QJE* 104(4):753–770): a responder who rejects may walk away
//! at once and get r. So a responder accepts a share s iff
//!
//! ```text
//! u_resp(s) ≥ max(r_resp, δ_resp · U_resp(next))
//! ```
//!
//! where U_resp(next) is what it gets as the proposer of the next round (its continuation value),
//! and accepts when indifferent (rejecting when indifferent has no equilibrium on a continuum).
//! With a finite horizon, a rejection in the last round ends the talks with r for both. The
//! proposer offers the least share the responder accepts: it keeps
//!
//! ```text
//! x = max { x ∈ [0, 1] : u_resp(1 − x) ≥ threshold }
//! ```
//!
//! (all of it, x = 1, if the responder accepts nothing at all). There is an agreement only if the
//! zone {x : u_1(x) ≥ r_1, u_2(1 − x) ≥ r_2} is not empty; otherwise the solvers return `None`.
//! With r = 0 and u(0) = 0 this is the classic game, and an outside option that does not bind
//! (r ≤ δ × continuation) changes nothing (the outside option principle).
//!
//! # Finite horizon: backward induction
//!
//! With k rounds left, v_k is the proposer's share: v_1 = max{x : u_resp(1 − x) ≥ r_resp} (the
//! last proposer leaves the responder its reservation utility, so with r = 0 it takes all), and
//!
//! ```text
//! v_k = max { x : u_resp(1 − x) ≥ max(r_resp, δ_resp · u_resp(v_{k−1})) }
//! ```
//!
//! since the responder at k is the proposer at k − 1. With linear utilities this is
//! v_k = 1 − δ_resp v_{k−1} (docs/theory.md §1). [`spe_offer`] computes it for any k ≥ 1.
//!
//! # Infinite horizon: stationary offers
//!
//! The stationary SPE offers (x*, y*) (x* the first player's share when it proposes, y* its
//! share when the other proposes) solve
//!
//! ```text
//! u_2(1 − x*) = max(r_2, δ_2 u_2(1 − y*)),   u_1(y*) = max(r_1, δ_1 u_1(x*))
//! ```
//!
//! (with r = 0: the classic conditions of Rubinstein 1982 for concave utilities). Given a guess
//! x, the two conditions give y(x) and then a new x' = F(x); F is non-decreasing, F(0) ≥ 0 and
//! F(1) ≤ 1, so [`stationary_offer`] finds the fixed point x* = F(x*) as the root of F(x) − x
//! (unique for linear or concave utilities, where F is a contraction; δ_1 δ_2 < 1 is required).
//! Every inversion (the largest x with u(1 − x) ≥ a threshold) is itself a root search, so
//! utilities need only be monotone, not invertible in closed form. Both searches keep a bracket
//! whose left end satisfies the condition and shrink it to width ε ≈ 2.2e-16 by false position
//! (Illinois variant) safeguarded by bisection.

/// One bargainer: its utility of its own share, its per-round discount factor and its reservation
/// utility (outside option).
#[derive(Debug, Clone, Copy)]
pub struct Bargainer<U> {
    /// Utility of one's own share s ∈ [0, 1]: continuous and increasing.
    pub utility: U,
    /// Per-round discount factor δ ∈ [0, 1].
    pub discount: f64,
    /// Reservation utility: what walking away is worth (0 in the classic game).
    pub reservation: f64,
}

impl<U: Fn(f64) -> f64> Bargainer<U> {
    /// A bargainer with reservation utility 0.
    pub fn new(utility: U, discount: f64) -> Self {
        Bargainer {
            utility,
            discount,
            reservation: 0.0,
        }
    }

    /// The same bargainer with reservation utility `reservation`.
    pub fn with_reservation(mut self, reservation: f64) -> Self {
        self.reservation = reservation;
        self
    }

    fn u(&self, share: f64) -> f64 {
        (self.utility)(share)
    }
}

/// The subgame-perfect proposal of `proposer` with `rounds_left` rounds left (the proposer's own
/// share; the responder gets the rest), players alternating from here on; `None` if
/// `rounds_left` is 0 or no split gives both their reservation utility (module docs).
pub fn spe_offer<A, B>(
    proposer: &Bargainer<A>,
    responder: &Bargainer<B>,
    rounds_left: u32,
) -> Option<f64>
where
    A: Fn(f64) -> f64,
    B: Fn(f64) -> f64,
{
    if rounds_left == 0 || !zone_of_agreement(proposer, responder) {
        return None;
    }
    // Walk back from the last round. `share` is the proposer's share with j rounds left; the
    // proposer with j rounds left is `proposer` iff rounds_left − j is even.
    let last_is_first = (rounds_left - 1).is_multiple_of(2);
    let mut share = if last_is_first {
        largest_share(responder, responder.reservation)?
    } else {
        largest_share(proposer, proposer.reservation)?
    };
    for j in 2..=rounds_left {
        let first_proposes = (rounds_left - j).is_multiple_of(2);
        // The responder now is the proposer of round j − 1, whose share there is `share`.
        share = if first_proposes {
            let wait = responder.discount * responder.u(share);
            largest_share(responder, responder.reservation.max(wait))?
        } else {
            let wait = proposer.discount * proposer.u(share);
            largest_share(proposer, proposer.reservation.max(wait))?
        };
    }
    Some(share)
}

/// The stationary subgame-perfect proposal of `proposer` in the infinite-horizon game (its own
/// share x*); `None` if no split gives both their reservation utility or if
/// δ_proposer δ_responder ≥ 1 (module docs).
pub fn stationary_offer<A, B>(proposer: &Bargainer<A>, responder: &Bargainer<B>) -> Option<f64>
where
    A: Fn(f64) -> f64,
    B: Fn(f64) -> f64,
{
    if proposer.discount * responder.discount >= 1.0 || !zone_of_agreement(proposer, responder) {
        return None;
    }
    // F(x): the responder's own share y' when it proposes, then the proposer's share again.
    let next = |x: f64| -> Option<f64> {
        let keep = proposer.reservation.max(proposer.discount * proposer.u(x));
        let theirs = largest_share(proposer, keep)?;
        let wait = responder
            .reservation
            .max(responder.discount * responder.u(theirs));
        largest_share(responder, wait)
    };
    let h1 = next(1.0)? - 1.0;
    if h1 >= 0.0 {
        return Some(1.0);
    }
    let h0 = next(0.0)?;
    // F never fails once the zone of agreement is known to be non-empty.
    let x = last_non_negative(|x| next(x).map_or(f64::NEG_INFINITY, |f| f - x), h0, h1);
    Some(x)
}

/// Whether some split gives both players at least their reservation utility.
fn zone_of_agreement<A, B>(first: &Bargainer<A>, second: &Bargainer<B>) -> bool
where
    A: Fn(f64) -> f64,
    B: Fn(f64) -> f64,
{
    largest_share(second, second.reservation).is_some_and(|x| first.u(x) >= first.reservation)
}

/// The largest share x ∈ [0, 1] a proposer can keep while the `responder` still gets utility at
/// least `threshold` from 1 − x; `None` if even the whole pie is not enough. This is one step of
/// the backward induction: with `threshold` = max(r, δ u(the responder's next share)) it is the
/// proposer's subgame-perfect share.
pub fn largest_share<R: Fn(f64) -> f64>(responder: &Bargainer<R>, threshold: f64) -> Option<f64> {
    let h = |x: f64| responder.u(1.0 - x) - threshold;
    let (h0, h1) = (h(0.0), h(1.0));
    if h1 >= 0.0 {
        return Some(1.0);
    }
    if h0.is_nan() || h0 < 0.0 {
        return None;
    }
    Some(last_non_negative(h, h0, h1))
}

/// For h non-increasing on [0, 1] with h(0) = `h0` ≥ 0 > h(1) = `h1`: a point x with h(x) ≥ 0
/// within ε ≈ 2.2e-16 of where h changes sign. False position (Illinois variant), with a
/// bisection whenever two steps fail to halve the bracket, so steps and flat stretches of h
/// cannot stall it.
fn last_non_negative(mut h: impl FnMut(f64) -> f64, h0: f64, h1: f64) -> f64 {
    let (mut lo, mut hi, mut f_lo, mut f_hi) = (0.0_f64, 1.0_f64, h0, h1);
    let mut last_lo: Option<bool> = None;
    let mut width = hi - lo;
    for iter in 0..400 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi || hi - lo <= f64::EPSILON {
            break;
        }
        let secant = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
        let t = if iter % 2 == 1 && hi - lo > 0.5 * width {
            mid
        } else if secant > lo && secant < hi {
            secant
        } else {
            mid
        };
        if iter % 2 == 1 {
            width = hi - lo;
        }
        let f = h(t);
        if f >= 0.0 {
            if last_lo == Some(true) {
                f_hi *= 0.5;
            }
            (lo, f_lo, last_lo) = (t, f, Some(true));
        } else {
            if last_lo == Some(false) {
                f_lo *= 0.5;
            }
            (hi, f_hi, last_lo) = (t, f, Some(false));
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_search_handles_smooth_steep_and_step_functions() {
        let cases: [(&dyn Fn(f64) -> f64, f64); 4] = [
            (&|x| 0.3 - x, 0.3),
            (&|x| (0.7 - x).powi(3), 0.7),
            (&|x| if x < 0.3 { 1.0 } else { -1.0 }, 0.3),
            (&|x| if x < 0.6 { 1e-300 } else { -5.0 }, 0.6),
        ];
        for (h, root) in cases {
            let x = last_non_negative(h, h(0.0), h(1.0));
            assert!(h(x) >= 0.0, "{x}");
            assert!((x - root).abs() <= 4.0 * f64::EPSILON, "{x} vs {root}");
        }
    }

    #[test]
    fn largest_share_leaves_the_responder_its_threshold() {
        let r = Bargainer::new(|s: f64| s * s, 0.9);
        let x = largest_share(&r, 0.25).unwrap();
        assert!(r.u(1.0 - x) >= 0.25 && (x - 0.5).abs() < 1e-15, "{x}");
        assert_eq!(largest_share(&r, 0.0), Some(1.0));
        assert_eq!(largest_share(&r, 1.5), None);
    }
}
