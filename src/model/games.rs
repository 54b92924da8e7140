//! The games with a known solution: which a model is, if any.
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
//!   principal's share, u_1 = s^(a_1) and u_2 = (1 − s)^(a_2) (risk exponents a) under linear
//!   loss, u_1 = (1 − (1 − s)²)^(a_1) and u_2 = (1 − s²)^(a_2) under quadratic loss (continuous
//!   and increasing in one's own share, as the solver needs; concave for a ≤ 1). The discount
//!   factors are the protocol's `discount`s; a rejection in the last round T leaves the status
//!   quo.
//! - **Baron–Ferejohn (1989) closed-rule bargaining.** n ≥ 2 principals recognised with
//!   probabilities proportional to capability (`PowerWeighted`), dividing a `pie` of n
//!   continuous shares, each principal caring only about its own share with ideal point 1 and
//!   risk exponent 1 and linear loss (linear utility: the stationary equilibrium splits the pie
//!   by prices that are linear in the shares), under `Quota(q)` or `Unanimous` (q = n).
//!   Quadratic loss is refused here: it makes a share s worth 1 − (1 − s)², and the closed-form
//!   stationary equilibrium of Baron & Ferejohn and Eraslan (2002) is for linear utility.
//!
//! Players of `Equilibrium` play these games' subgame-perfect or stationary equilibria (the run
//! core's equilibrium strategy); here the model is only recognised, from its numbers and choices.

use super::{Acceptance, Loss, Model, Proposer, Protocol, Role, Strategy, Value};

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
    (Baron–Ferejohn, with risk 1 and loss Linear); AlternatingOffers, no escalation, no events (see the scenario reference)";

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
            if model.loss == Loss::Quadratic {
                return Err(
                    "loss: Quadratic (Baron–Ferejohn needs linear utility: a share s \
                     is then worth 1 − (1 − s)², not s)"
                        .into(),
                );
            }
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
