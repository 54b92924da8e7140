//! `Equilibrium`: subgame-perfect play in the games with a known solution.
//!
//! # The games
//!
//! `Equilibrium` is allowed only when the scenario is one of these games (checked by
//! [`equilibrium_problems`], which validation calls), under `AlternatingOffers`, without
//! escalation and without events (a shock would change the game mid-way), with the equilibrium
//! players among the principals:
//!
//! - **Rubinstein (1982) bargaining.** Exactly two principals, recognised in alternation
//!   (`RoundRobin`, or an `Order` of the two), both needed to agree (`Unanimous` or `Quota(2)`),
//!   splitting one divisible good, written either as one continuous issue on which they alone
//!   care, with ideal points fixed at the opposite poles 0 and 1, or as a `pie` of two continuous
//!   shares, each principal caring only about its own share with ideal point 1. With s the first
//!   principal's share, u_1 = s^(a_1) and u_2 = (1 − s)^(a_2) (risk exponents a). The discount
//!   factors are the protocol's `discount`s; a rejection in the last round T leaves the status
//!   quo.
//! - **Baron–Ferejohn (1989) closed-rule bargaining.** n ≥ 2 principals recognised with
//!   probabilities proportional to capability (`PowerWeighted`), dividing a `pie` of n
//!   continuous shares, each principal caring only about its own share with ideal point 1 and
//!   risk exponent 1 (linear utility), under `Quota(q)` or `Unanimous` (q = n).
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
//! the first proposer 1 − δ_2 v'_{k−1}, i.e. the finite-horizon shares of THEORY.md §1, which tend
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
//! δ the proposer keeps 1 − δ(q − 1)/n and each of its q − 1 partners gets δ/n (THEORY.md §3).
//! The same stationary play is used in every round up to the deadline (the infinite-horizon
//! equilibrium; with a symmetric game it is also the finite game's until its last round).

use crate::engine::Table;
use crate::model::Role;
use crate::model::Value;
use crate::model::{Acceptance, Model, Proposer, Protocol, Strategy};
use crate::solvers::baron_ferejohn::{self, ProposalScratch, StationaryEquilibrium};
use crate::solvers::rubinstein::{self, Bargainer};

/// A reason why `Equilibrium` is not allowed for an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquilibriumProblem {
    /// The actor's index.
    pub actor: usize,
    /// Where: `actors[i].strategy`.
    pub path: String,
    /// What the scenario has.
    pub found: String,
    /// What would be accepted.
    pub allowed: String,
}

/// The game an equilibrium scenario plays.
#[derive(Debug, Clone, PartialEq)]
pub enum Game {
    /// Two principals splitting one good by alternating offers.
    Rubinstein {
        /// The two principals, the first being the one whose share s is.
        parties: [usize; 2],
        /// How the good is written.
        good: Good,
    },
    /// Closed-rule quota bargaining over a pie with random recognition.
    BaronFerejohn {
        /// Each principal and its share issue, in file order.
        shares: Vec<(usize, usize)>,
        /// Votes needed, the proposer's included.
        quota: usize,
    },
}

/// How the good of a Rubinstein game is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Good {
    /// One issue; the first party's ideal is at `high` (1) if true, at 0 otherwise.
    Issue {
        /// The issue.
        issue: usize,
        /// Whether the first party's ideal point is 1.
        first_high: bool,
    },
    /// Two pie shares, the first party's and the second's.
    Pie {
        /// The first party's share issue.
        first: usize,
        /// The second party's share issue.
        second: usize,
    },
}

const ALLOWED: &str = "Equilibrium only in a game with a known solution: two principals \
    splitting one divisible issue or a two-share pie by alternating offers (Rubinstein), or \
    principals dividing a pie of their own shares with PowerWeighted recognition and a quota \
    (Baron–Ferejohn); AlternatingOffers, no escalation, no events (see the scenario reference)";

/// The issues actor `a` cares about (salience possibly positive).
fn salient_issues(model: &Model, a: usize) -> impl Iterator<Item = usize> + '_ {
    model.actors[a]
        .stances
        .iter()
        .enumerate()
        .filter(|(_, s)| s.salience != Value::Const(0.0))
        .map(|(j, _)| j)
}

/// The one issue actor `a` cares about, if it cares about exactly one.
fn only_issue(model: &Model, a: usize) -> Option<usize> {
    let mut it = salient_issues(model, a);
    let j = it.next()?;
    it.next().is_none().then_some(j)
}

/// Recognises the game of `model`, or says why it is not one with a known solution.
pub fn recognise_game(model: &Model) -> Result<Game, String> {
    let Protocol::AlternatingOffers {
        proposer,
        acceptance,
        ..
    } = &model.protocol
    else {
        return Err(format!("protocol {}", model.protocol.name()));
    };
    if model.escalation.is_some() {
        return Err("escalation is on".into());
    }
    if !model.events.is_empty() {
        return Err(format!("{} event(s)", model.events.len()));
    }
    let principals: Vec<usize> = model.principals().collect();
    let n = principals.len();
    let quota = match acceptance {
        Acceptance::Unanimous => n,
        Acceptance::Quota(k) => (*k as usize).min(n),
    };
    let linear = |a: usize| model.actors[a].risk == Value::Const(1.0);
    let own_share = |a: usize| -> Option<usize> {
        let j = only_issue(model, a)?;
        (model.pie.contains(&j)
            && model.issues[j].options.is_empty()
            && model.actors[a].stances[j].position == Value::Const(1.0))
        .then_some(j)
    };
    let shares: Option<Vec<(usize, usize)>> = principals
        .iter()
        .map(|&a| own_share(a).map(|j| (a, j)))
        .collect();
    let pie_game = shares.filter(|s| {
        let mut issues: Vec<usize> = s.iter().map(|&(_, j)| j).collect();
        issues.sort_unstable();
        issues.dedup();
        issues.len() == n && model.pie.len() == n
    });

    match proposer {
        Proposer::PowerWeighted => {
            let Some(shares) = pie_game else {
                return Err("PowerWeighted recognition without a pie of one share per \
                    principal (each principal caring only about its own share, ideal point 1)"
                    .into());
            };
            if let Some(&(a, _)) = shares.iter().find(|&&(a, _)| !linear(a)) {
                return Err(format!(
                    "actor {} has a risk exponent other than 1 (Baron–Ferejohn needs linear \
                     utility)",
                    model.actors[a].id
                ));
            }
            Ok(Game::BaronFerejohn { shares, quota })
        }
        _ => {
            if n != 2 {
                return Err(format!("{n} principals in alternation"));
            }
            if let Proposer::Order(order) = proposer {
                let mut sorted = order.clone();
                sorted.sort_unstable();
                if order.len() != 2 || sorted != principals {
                    return Err("an Order other than the two principals in turn".into());
                }
            }
            if quota != 2 {
                return Err("a quota of one".into());
            }
            let parties = match proposer {
                Proposer::Order(order) => [order[0], order[1]],
                _ => [principals[0], principals[1]],
            };
            if let Some(shares) = pie_game {
                let share = |a: usize| shares.iter().find(|&&(p, _)| p == a).map(|&(_, j)| j);
                let (Some(first), Some(second)) = (share(parties[0]), share(parties[1])) else {
                    return Err("shares not found".into());
                };
                return Ok(Game::Rubinstein {
                    parties,
                    good: Good::Pie { first, second },
                });
            }
            let (Some(i0), Some(i1)) =
                (only_issue(model, parties[0]), only_issue(model, parties[1]))
            else {
                return Err("the principals care about more than one issue".into());
            };
            if i0 != i1 || model.pie.contains(&i0) || !model.issues[i0].options.is_empty() {
                return Err("no single continuous issue that both principals split".into());
            }
            let p0 = &model.actors[parties[0]].stances[i0].position;
            let p1 = &model.actors[parties[1]].stances[i0].position;
            let first_high = match (p0, p1) {
                (Value::Const(a), Value::Const(b)) if *a == 1.0 && *b == 0.0 => true,
                (Value::Const(a), Value::Const(b)) if *a == 0.0 && *b == 1.0 => false,
                _ => {
                    return Err("ideal points not fixed at the opposite poles 0 and 1".into());
                }
            };
            Ok(Game::Rubinstein {
                parties,
                good: Good::Issue {
                    issue: i0,
                    first_high,
                },
            })
        }
    }
}

/// The validation rule for `Equilibrium`: one problem per actor whose strategy is `Equilibrium`
/// when the scenario is not a game with a known solution (module docs), or when the actor is not
/// a principal. Empty when no actor plays `Equilibrium` or the game is allowed.
pub fn equilibrium_problems(model: &Model) -> Vec<EquilibriumProblem> {
    let players: Vec<usize> = (0..model.actors.len())
        .filter(|&a| model.actors[a].strategy == Strategy::Equilibrium)
        .collect();
    if players.is_empty() {
        return Vec::new();
    }
    let game = recognise_game(model);
    players
        .into_iter()
        .filter_map(|a| {
            let found = if model.actors[a].role != Role::Principal {
                format!(
                    "Equilibrium for a {:?}, which does not bargain",
                    model.actors[a].role
                )
            } else {
                match &game {
                    Ok(_) => return None,
                    Err(why) => format!("Equilibrium with {why}"),
                }
            };
            Some(EquilibriumProblem {
                actor: a,
                path: format!("actors[{a}].strategy"),
                found,
                allowed: ALLOWED.to_string(),
            })
        })
        .collect()
}

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

/// Utility of one's own share s of a Rubinstein good: s^a. This is exactly
/// [`crate::model::own_utility`] in these games (ideal point at the pole, salience on this good
/// only): the distance from the ideal is 1 − s.
fn share_utility(s: f64, risk: f64) -> f64 {
    let s = s.clamp(0.0, 1.0);
    if risk == 1.0 { s } else { s.powf(risk) }
}

/// The bargainer `a` of a Rubinstein game in this run's world.
fn bargainer(table: &Table<'_>, a: usize) -> Bargainer<impl Fn(f64) -> f64 + use<>> {
    let risk = table.world.risk[a];
    Bargainer {
        utility: move |s: f64| share_utility(s, risk),
        discount: table.world.discount[a],
        reservation: table.world.reservation[a],
    }
}

/// The subgame-perfect share of proposer `p` against responder `r` with `left` rounds left
/// (module docs: backward induction, or the stationary offer once the deadline is too far away
/// to matter in double precision).
fn spe_share(table: &Table<'_>, p: usize, r: usize, left: u32) -> Option<f64> {
    let (bp, br) = (bargainer(table, p), bargainer(table, r));
    let cycle = bp.discount * br.discount;
    // (δ_p δ_r)^(left/2) < 1e-17: the finite and infinite games agree to the last bit.
    if left > 64 && cycle < 1.0 && f64::from(left / 2) * cycle.ln() < -39.0 {
        return rubinstein::stationary_offer(&bp, &br);
    }
    rubinstein::spe_offer(&bp, &br, left)
}

impl Plan {
    /// The plan for the run on `table`.
    pub fn new(table: &Table<'_>) -> Self {
        let game = recognise_game(table.model).ok();
        let quota_game = match &game {
            Some(Game::BaronFerejohn { shares, quota }) => {
                let w = &table.world;
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
        let players = table.world.n_actors;
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
    pub fn propose(&mut self, table: &mut Table<'_>, proposer: usize, point: &mut [f64]) {
        point.copy_from_slice(&table.world.status_quo);
        match &self.game {
            Some(Game::Rubinstein { parties, good }) => {
                let (first, second) = (parties[0], parties[1]);
                let other = if proposer == first { second } else { first };
                // The responder's threshold (its continuation value), then the largest share
                // the proposer can keep while meeting it: one step of the backward induction,
                // taken here so that offer and answer rest on the same numbers to the last bit.
                // Everything if no split gives the proposer its reservation utility too.
                self.answered = None;
                let needs = self.threshold(table, other);
                let keep = rubinstein::largest_share(&bargainer(table, other), needs)
                    .filter(|&k| {
                        share_utility(k, table.world.risk[proposer])
                            >= table.world.reservation[proposer]
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
                let own = share_utility(keep, table.world.risk[proposer]);
                table.aspiration[proposer] = own;
                table.note_level(proposer, own);
                self.answered = Some((table.round, other, needs));
                table.aspiration[other] = needs;
                table.note_level(other, needs);
            }
            Some(Game::BaronFerejohn { shares, .. }) => {
                let (Some(eq), Some(k)) = (
                    &self.quota_game,
                    shares.iter().position(|&(a, _)| a == proposer),
                ) else {
                    table.offer_of(proposer, 1.0, point);
                    return;
                };
                // Partners drawn from the equilibrium mixing with one uniform number.
                let u = table.streams.engine.next_unit();
                eq.proposal_drawn_into(k, u, &mut self.scratch, &mut self.split);
                for (&(a, j), &x) in shares.iter().zip(&self.split) {
                    point[j] = x;
                    let level = if a == proposer {
                        x
                    } else {
                        eq.price(k_of(shares, a))
                    };
                    table.aspiration[a] = level;
                    table.note_level(a, level);
                }
            }
            None => {
                table.offer_of(proposer, 1.0, point);
            }
        }
    }

    /// What `actor` needs to accept in this round: its reservation utility in the last round,
    /// otherwise max(r, δ · u(the share it would get as the next round's proposer)) (module docs).
    pub fn threshold(&self, table: &Table<'_>, actor: usize) -> f64 {
        if let Some((round, who, needs)) = self.answered
            && round == table.round
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
                let reservation = table.world.reservation[actor];
                let left = table.horizon - table.round + 1;
                if left <= 1 {
                    return reservation;
                }
                match spe_share(table, actor, other, left - 1) {
                    Some(next) => reservation.max(
                        table.world.discount[actor] * share_utility(next, table.world.risk[actor]),
                    ),
                    None => 1.0,
                }
            }
            Some(Game::BaronFerejohn { shares, .. }) => match &self.quota_game {
                Some(eq) => table.world.reservation[actor].max(eq.price(k_of(shares, actor))),
                None => 1.0,
            },
            None => table.aspiration[actor],
        }
    }
}

/// The player index of actor `a` in a quota game.
fn k_of(shares: &[(usize, usize)], a: usize) -> usize {
    shares.iter().position(|&(p, _)| p == a).unwrap_or(0)
}
