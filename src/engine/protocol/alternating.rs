//! Stacked alternating offers among the principals.
//!
//! # Recognition
//!
//! - `RoundRobin`: the principals in file order, round r recognising principal (r − 1) mod n;
//! - `Order([...])`: the listed actors in a cycle, the same way (a mediator named there takes
//!   no turn: mediators table their text in every round, below);
//! - `PowerWeighted`: one draw per round (the round's slot of the run's recognition stream),
//!   principal i recognised with probability c_i / Σ_k c_k over the principals at the table
//!   (Baron & Ferejohn 1989, with recognition probabilities proportional to capability).
//!
//! A recognised actor that has left the table passes the turn to the next one in the cycle.
//!
//! # Proposals
//!
//! A party (a principal, or a stakeholder named in an `Order`) offers its own offer at its held
//! aspiration ([`crate::engine::strategy::offer`]); an `Equilibrium` player offers its
//! subgame-perfect offer ([`crate::engine::strategy::equilibrium`]).
//!
//! # Mediators
//!
//! When the round's offer is rejected and a mediator is at the table, the mediators table one
//! text (in the name of the first mediator at the table, in file order): the compromise of the
//! principals' current offers, issue by issue,
//!
//! ```text
//! x_j = Σ_i c_i s_ij o_ij / Σ_i c_i s_ij
//! ```
//!
//! over the principals at the table, o_i being the offer principal i would make now, at its
//! held aspiration (the compromise model of Achen 2006 applied to what the parties would table
//! instead of their ideal points), put on options and inside the pie. The principals vote on it in the same round, as on the offer. The text is an
//! extra chance of agreement that changes nothing else in the round (its evaluation draws its
//! perception noise from slots of its own), so on common random numbers a run that agrees without
//! the mediators agrees with them, in the same round or earlier: adding a mediator never lowers
//! the chance of agreement. (The mediator's role as a formulator of proposals the parties would
//! not table themselves: Zartman & Touval 1985, "International mediation: conflict resolution
//! and power politics", *Journal of Social Issues* 41(2).)
//!
//! # Acceptance
//!
//! `Unanimous` or `Quota(k)` among the principals at the table, a principal proposer counting as
//! accepting its own offer. Thresholds are the strategies' ([`crate::engine::strategy`]); equilibrium
//! players need the discounted value of waiting.

use super::{Procedure, Tabled, Threshold};
use crate::engine::strategy::equilibrium::Plan;
use crate::engine::strategy::offer::fit_point;
use crate::engine::strategy::{answer_threshold, concede_all, feels_pressure};
use crate::engine::{Observer, ProposalKind, RunState};
use crate::model::{Acceptance, Proposer, Role, Strategy};

/// The alternating-offers protocol of one run.
#[derive(Debug, Clone)]
pub struct AlternatingOffers {
    acceptance: Acceptance,
    /// Who takes turns to offer (the recognition cycle without mediators).
    cycle: Vec<usize>,
    /// The mediators, in file order.
    mediators: Vec<usize>,
    /// Each principal's offer at its held aspiration (principal × issue), and the world version
    /// and aspiration it was made for.
    offers: Vec<f64>,
    offer_key: Vec<Option<(u64, u64)>>,
    num: Vec<f64>,
    den: Vec<f64>,
    plan: Option<Plan>,
}

impl AlternatingOffers {
    /// The protocol for the run on `state`.
    pub fn new(state: &RunState<'_>) -> Self {
        let acceptance = match state.model().protocol {
            crate::model::Protocol::AlternatingOffers { acceptance, .. } => acceptance,
            _ => Acceptance::Unanimous,
        };
        let m = state.world().n_issues;
        let principals = state.principals().len();
        let mut protocol = AlternatingOffers {
            acceptance,
            cycle: Vec::new(),
            mediators: Vec::new(),
            offers: vec![0.0; principals * m],
            offer_key: vec![None; principals],
            num: vec![0.0; m],
            den: vec![0.0; m],
            plan: None,
        };
        protocol.restart(state);
        protocol
    }

    /// Sets the protocol up for the run now on `state` (a run of the same model), reusing its
    /// memory.
    pub fn restart(&mut self, state: &RunState<'_>) {
        self.offer_key.fill(None);
        self.plan = state
            .model()
            .actors
            .iter()
            .any(|a| a.strategy == Strategy::Equilibrium)
            .then(|| Plan::new(state));
        let model = state.model();
        self.mediators.clear();
        self.mediators
            .extend((0..model.actors.len()).filter(|&a| model.actors[a].role == Role::Mediator));
        self.cycle.clear();
        match &model.protocol {
            crate::model::Protocol::AlternatingOffers {
                proposer: Proposer::Order(order),
                ..
            } => self.cycle.extend(
                order
                    .iter()
                    .copied()
                    .filter(|&a| model.actors[a].role != Role::Mediator),
            ),
            _ => self.cycle.extend_from_slice(state.principals()),
        }
    }

    /// The actor recognised in this round, if any is at the table.
    fn recognise(&self, state: &mut RunState<'_>) -> Option<usize> {
        let round = state.round() as usize;
        if let crate::model::Protocol::AlternatingOffers {
            proposer: Proposer::PowerWeighted,
            ..
        } = &state.model().protocol
        {
            if !state.principals().iter().any(|&p| state.is_active(p)) {
                return None;
            }
            let k = state.recognise_by_capability();
            return Some(state.principals()[k]);
        }
        let cycle = &self.cycle;
        let n = cycle.len();
        (0..n)
            .map(|s| cycle[(round - 1 + s) % n])
            .find(|&a| state.is_active(a))
    }

    /// Principal number `idx` (in [`RunState::principals`]) tables its offer at its held
    /// aspiration into `point`.
    fn offer(&mut self, state: &mut RunState<'_>, idx: usize, point: &mut [f64]) {
        let m = state.world().n_issues;
        self.current_offer(state, idx);
        point.copy_from_slice(&self.offers[idx * m..(idx + 1) * m]);
    }

    /// Makes sure the kept offer of principal number `idx` is the offer it would make now, at
    /// its held aspiration: kept while the world and that aspiration stay the same (an offer
    /// depends on nothing else), else worked out again.
    fn current_offer(&mut self, state: &mut RunState<'_>, idx: usize) {
        let m = state.world().n_issues;
        let i = state.principals()[idx];
        let key = (state.version(), state.aspiration(i).to_bits());
        if self.offer_key[idx] != Some(key) {
            state.offer_of(
                i,
                state.aspiration(i),
                &mut self.offers[idx * m..(idx + 1) * m],
            );
            self.offer_key[idx] = Some(key);
        }
    }

    /// The compromise of the principals' current offers (module docs).
    fn mediator_text(&mut self, state: &mut RunState<'_>, point: &mut [f64]) {
        let m = state.world().n_issues;
        self.num.fill(0.0);
        self.den.fill(0.0);
        for idx in 0..state.principals().len() {
            let i = state.principals()[idx];
            if !state.is_active(i) {
                continue;
            }
            self.current_offer(state, idx);
            let offer = &self.offers[idx * m..(idx + 1) * m];
            for j in 0..m {
                let w = state.world().capability[i] * state.world().salience(i, j);
                self.num[j] += w * offer[j];
                self.den[j] += w;
            }
        }
        for j in 0..m {
            point[j] = if self.den[j] > 0.0 {
                self.num[j] / self.den[j]
            } else {
                state.world().status_quo[j]
            };
        }
        fit_point(state.model(), point);
    }
}

impl Procedure for AlternatingOffers {
    fn acceptance(&self) -> Acceptance {
        self.acceptance
    }

    fn propose(
        &mut self,
        state: &mut RunState<'_>,
        point: &mut [f64],
        _observer: &mut impl Observer,
    ) -> Option<Tabled> {
        let proposer = self.recognise(state)?;
        let actor = &state.model().actors[proposer];
        match (&actor.strategy, &mut self.plan) {
            (Strategy::Equilibrium, Some(plan)) => plan.propose(state, proposer, point),
            _ => {
                let aspiration = state.aspiration(proposer);
                match state.principals().iter().position(|&p| p == proposer) {
                    Some(idx) => self.offer(state, idx, point),
                    None => state.offer_of(proposer, aspiration, point),
                }
                state.note_level(proposer, aspiration);
            }
        }
        Some(Tabled {
            proposer: Some(proposer),
            kind: ProposalKind::Offer,
            vote: true,
            last: false,
        })
    }

    fn threshold(&self, state: &RunState<'_>, actor: usize) -> Threshold {
        if let (Strategy::Equilibrium, Some(plan)) =
            (&state.model().actors[actor].strategy, &self.plan)
        {
            return Threshold {
                value: plan.threshold(state, actor),
                pressure: false,
            };
        }
        Threshold {
            value: answer_threshold(state, actor, state.aspiration(actor), state.round()),
            pressure: feels_pressure(state.model(), actor),
        }
    }

    fn mediate(&mut self, state: &mut RunState<'_>, text: &mut [f64]) -> Option<usize> {
        let model = state.model();
        let mediator = (0..model.actors.len())
            .find(|&a| model.actors[a].role == Role::Mediator && state.is_active(a))?;
        self.mediator_text(state, text);
        Some(mediator)
    }

    fn rejected(&mut self, state: &mut RunState<'_>, _point: &[f64], observer: &mut impl Observer) {
        concede_all(state, observer);
    }
}
