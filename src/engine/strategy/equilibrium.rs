//! `Equilibrium`: subgame-perfect play in the games with a known solution.
//!
//! # The games
//!
//! `Equilibrium` is allowed only when the scenario is one of the games with a known solution
//! that [`crate::model::games`] recognises (Rubinstein's alternating offers, Baron–Ferejohn's
//! closed-rule quota bargaining); validation refuses it otherwise.
//!
//! Equilibrium players evaluate proposals by their own utility (the game's payoffs) and do not
//! feel stakeholder pressure.
//!
//! # Rubinstein play
//!
//! With k = T − r + 1 rounds left in round r, the proposer offers the subgame-perfect split of
//! [`crate::solvers::rubinstein`] (backward induction from the deadline: Rubinstein 1982, with
//! the reservation utilities as outside options after Binmore, Shaked & Sutton 1989), keeping
//! share v_k; the responder accepts a share worth
//!
//! ```text
//! u ≥ r                                   in the last round (k = 1)
//! u ≥ max(r, δ · u(v'_{k−1}))             otherwise
//! ```
//!
//! where v'_{k−1} is the share it would keep as the next round's proposer: the discounted value
//! of waiting. In the classic game (r = 0, linear utility) the first offer is accepted and gives
//! the first proposer 1 − δ_2 v'_{k−1}, i.e. the finite-horizon shares of docs/theory.md §1, which tend
//! to (1 − δ_2)/(1 − δ_1 δ_2). Once the deadline is so far that (δ_1 δ_2)^(k/2) < 10⁻¹⁷, the
//! stationary offer (the fixed point of the two conditions) is used instead: the two agree to the
//! last bit. The game's breakdown value is each player's reservation utility, as in Rubinstein's
//! model (0 there); the engine's deadlock still leaves the status quo. If no split gives both
//! their reservation utility, each proposer asks for everything and the talks deadlock.
//!
//! # Baron–Ferejohn play
//!
//! The stationary equilibrium of [`crate::solvers::baron_ferejohn`] (Baron & Ferejohn 1989;
//! Eraslan 2002 for unequal recognition probabilities p_i = c_i / Σ c and discount factors δ_i)
//! gives each player its ex-ante value v_i and the price of its vote, c_i = δ_i v_i: the
//! discounted value of waiting for the next round. A recognised proposer buys the q − 1 cheapest
//! votes, paying each partner exactly its price, gives the others nothing and keeps the rest;
//! where partners tie it draws them from the equilibrium mixing (systematic sampling with one
//! uniform number from the run's engine stream, so each j is included with its equilibrium
//! probability). A responder accepts a share worth max(r, c_i). With equal recognition and common
//! δ the proposer keeps 1 − δ(q − 1)/n and each of its q − 1 partners gets δ/n (docs/theory.md §3).
//! The same stationary play is used in every round up to the deadline (the infinite-horizon
//! equilibrium; with a symmetric game it is also the finite game's until its last round).

use crate::engine::RunState;
use crate::model::Loss;
use crate::model::games::{Game, Good, recognise_game};
use crate::solvers::baron_ferejohn::{self, ProposalScratch, StationaryEquilibrium};
use crate::solvers::rubinstein::{self, Bargainer};

/// Subgame-perfect offers and thresholds of one run.
#[derive(Debug, Clone)]
pub struct Plan {
    game: Option<Game>,
    /// The stationary equilibrium of a Baron–Ferejohn game (players in `shares` order).
    quota_game: Option<StationaryEquilibrium>,
    /// The responder's threshold worked out when this round's offer was made: (round, actor,
    /// threshold).
    answered: Option<(u32, usize, f64)>,
    /// Buffers for drawn Baron–Ferejohn proposals (sized for every player up front, so a
    /// round never allocates).
    scratch: ProposalScratch,
    split: Vec<f64>,
}

/// Utility of one's own share s of a Rubinstein good: s^a under linear loss, (1 − (1 − s)²)^a
/// under quadratic loss. This is exactly [`crate::model::own_utility`] in these games (ideal point
/// at the pole, salience on this good only): the distance from the ideal is 1 − s, the largest
/// distance 1.
fn share_utility(s: f64, risk: f64, loss: Loss) -> f64 {
    let s = s.clamp(0.0, 1.0);
    let closeness = match loss {
        Loss::Linear => s,
        Loss::Quadratic => 1.0 - (1.0 - s) * (1.0 - s),
    };
    if risk == 1.0 {
        closeness
    } else {
        closeness.powf(risk)
    }
}

/// The bargainer `a` of a Rubinstein game in this run's world.
fn bargainer(state: &RunState<'_>, a: usize) -> Bargainer<impl Fn(f64) -> f64 + use<>> {
    let risk = state.world().risk[a];
    let loss = state.world().loss;
    Bargainer {
        utility: move |s: f64| share_utility(s, risk, loss),
        discount: state.world().discount[a],
        reservation: state.world().reservation[a],
    }
}

/// The subgame-perfect share of proposer `p` against responder `r` with `left` rounds left
/// (module docs: backward induction, or the stationary offer once the deadline is too far away
/// to matter in double precision).
fn spe_share(state: &RunState<'_>, p: usize, r: usize, left: u32) -> Option<f64> {
    let (bp, br) = (bargainer(state, p), bargainer(state, r));
    let cycle = bp.discount * br.discount;
    // (δ_p δ_r)^(left/2) < 1e-17: the finite and infinite games agree to the last bit.
    if left > 64 && cycle < 1.0 && f64::from(left / 2) * cycle.ln() < -39.0 {
        return rubinstein::stationary_offer(&bp, &br);
    }
    rubinstein::spe_offer(&bp, &br, left)
}

impl Plan {
    /// The plan for the run on `state`.
    pub fn new(state: &RunState<'_>) -> Self {
        let game = recognise_game(state.model()).ok();
        let quota_game = match &game {
            Some(Game::BaronFerejohn { shares, quota }) => {
                let w = state.world();
                let recognition: Vec<f64> = shares.iter().map(|&(a, _)| w.capability[a]).collect();
                let discount: Vec<f64> = shares.iter().map(|&(a, _)| w.discount[a]).collect();
                Some(baron_ferejohn::stationary_equilibrium(
                    &recognition,
                    &discount,
                    *quota,
                ))
            }
            _ => None,
        };
        let players = state.world().n_actors;
        Plan {
            game,
            quota_game,
            answered: None,
            scratch: ProposalScratch::with_capacity(players),
            split: Vec::with_capacity(players),
        }
    }

    /// Writes the equilibrium offer of `proposer` in this round into `point`, and records both
    /// parties' aspirations (the proposer's utility of its offer, the responder's threshold).
    pub fn propose(&mut self, state: &mut RunState<'_>, proposer: usize, point: &mut [f64]) {
        point.copy_from_slice(&state.world().status_quo);
        match &self.game {
            Some(Game::Rubinstein { parties, good }) => {
                let (first, second) = (parties[0], parties[1]);
                let other = if proposer == first { second } else { first };
                // The responder's threshold (its continuation value), then the largest share
                // the proposer can keep while meeting it: one step of the backward induction,
                // taken here so that offer and answer rest on the same numbers to the last bit.
                // Everything if no split gives the proposer its reservation utility too.
                self.answered = None;
                let needs = self.threshold(state, other);
                let keep = rubinstein::largest_share(&bargainer(state, other), needs)
                    .filter(|&k| {
                        share_utility(k, state.world().risk[proposer], state.world().loss)
                            >= state.world().reservation[proposer]
                    })
                    .unwrap_or(1.0);
                let first_share = if proposer == first { keep } else { 1.0 - keep };
                match *good {
                    Good::Issue { issue, first_high } => {
                        point[issue] = if first_high {
                            first_share
                        } else {
                            1.0 - first_share
                        };
                    }
                    Good::Pie { first, second } => {
                        point[first] = first_share;
                        point[second] = 1.0 - first_share;
                    }
                }
                let own = share_utility(keep, state.world().risk[proposer], state.world().loss);
                state.set_aspiration(proposer, own);
                self.answered = Some((state.round(), other, needs));
                state.set_aspiration(other, needs);
            }
            Some(Game::BaronFerejohn { shares, .. }) => {
                let (Some(eq), Some(k)) = (
                    &self.quota_game,
                    shares.iter().position(|&(a, _)| a == proposer),
                ) else {
                    state.offer_of(proposer, 1.0, point);
                    return;
                };
                // Partners drawn from the equilibrium mixing with one uniform number.
                let u = state.engine_rng().next_unit();
                eq.proposal_drawn_into(k, u, &mut self.scratch, &mut self.split);
                for (&(a, j), &x) in shares.iter().zip(&self.split) {
                    point[j] = x;
                    let level = if a == proposer {
                        x
                    } else {
                        eq.price(k_of(shares, a))
                    };
                    state.set_aspiration(a, level);
                }
            }
            None => {
                state.offer_of(proposer, 1.0, point);
            }
        }
    }

    /// What `actor` needs to accept in this round: its reservation utility in the last round,
    /// otherwise max(r, δ · u(the share it would get as the next round's proposer)) (module docs).
    pub fn threshold(&self, state: &RunState<'_>, actor: usize) -> f64 {
        if let Some((round, who, needs)) = self.answered
            && round == state.round()
            && who == actor
        {
            return needs;
        }
        match &self.game {
            Some(Game::Rubinstein { parties, .. }) => {
                let other = if actor == parties[0] {
                    parties[1]
                } else {
                    parties[0]
                };
                let reservation = state.world().reservation[actor];
                let left = state.horizon() - state.round() + 1;
                if left <= 1 {
                    return reservation;
                }
                match spe_share(state, actor, other, left - 1) {
                    Some(next) => reservation.max(
                        state.world().discount[actor]
                            * share_utility(next, state.world().risk[actor], state.world().loss),
                    ),
                    None => 1.0,
                }
            }
            Some(Game::BaronFerejohn { shares, .. }) => match &self.quota_game {
                Some(eq) => state.world().reservation[actor].max(eq.price(k_of(shares, actor))),
                None => 1.0,
            },
            None => state.aspiration(actor),
        }
    }
}

/// The player index of actor `a` in a quota game.
fn k_of(shares: &[(usize, usize)], a: usize) -> usize {
    shares.iter().position(|&(p, _)| p == a).unwrap_or(0)
}
