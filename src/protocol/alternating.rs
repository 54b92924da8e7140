//! Stacked alternating offers among the principals.
//!
//! # Recognition
//!
//! - `RoundRobin`: the principals in file order, round r recognising principal (r − 1) mod n;
//! - `Order([...])`: the listed actors in a cycle, the same way;
//! - `PowerWeighted`: one draw per round (the round's slot of the run's recognition stream),
//!   principal i recognised with probability c_i / Σ_k c_k over the principals at the table
//!   (Baron & Ferejohn 1989, with recognition probabilities proportional to capability).
//!
//! A recognised actor that has left the table passes the turn to the next one in the cycle.
//!
//! # Proposals
//!
//! A party (a principal, or a stakeholder named in an `Order`) offers its own offer at its held
//! aspiration ([`crate::strategy::offer`]); an `Equilibrium` player offers its subgame-perfect
//! offer ([`crate::strategy::equilibrium`]). A recognised mediator tables the compromise of the
//! principals' current offers, issue by issue
//!
//! ```text
//! x_j = Σ_i c_i s_ij o_ij / Σ_i c_i s_ij
//! ```
//!
//! over the principals at the table, o_i being the offer principal i would make now (the
//! compromise model of Achen 2006 applied to offers instead of ideal points), put on options and
//! inside the pie.
//!
//! # Acceptance
//!
//! `Unanimous` or `Quota(k)` among the principals at the table, a principal proposer counting as
//! accepting its own offer. Thresholds are the strategies' ([`crate::strategy`]); equilibrium
//! players need the discounted value of waiting.

use super::{Protocol, Tabled, Threshold};
use crate::engine::{Observer, ProposalKind, Table, concede_all};
use crate::model::Role;
use crate::model::{Acceptance, Proposer, Strategy};
use crate::strategy::equilibrium::Plan;
use crate::strategy::offer::fit_point;
use crate::strategy::{answer_threshold, feels_pressure};

/// The alternating-offers protocol of one run.
#[derive(Debug, Clone)]
pub struct AlternatingOffers {
    acceptance: Acceptance,
    offer: Vec<f64>,
    num: Vec<f64>,
    den: Vec<f64>,
    plan: Option<Plan>,
}

impl AlternatingOffers {
    /// The protocol for the run on `table`.
    pub fn new(table: &Table<'_>) -> Self {
        let acceptance = match table.model.protocol {
            crate::model::Protocol::AlternatingOffers { acceptance, .. } => acceptance,
            _ => Acceptance::Unanimous,
        };
        let m = table.world.n_issues;
        let mut protocol = AlternatingOffers {
            acceptance,
            offer: vec![0.0; m],
            num: vec![0.0; m],
            den: vec![0.0; m],
            plan: None,
        };
        protocol.restart(table);
        protocol
    }

    /// Sets the protocol up for the run now on `table` (a run of the same model), reusing its
    /// memory.
    pub fn restart(&mut self, table: &Table<'_>) {
        self.plan = table
            .model
            .actors
            .iter()
            .any(|a| a.strategy == Strategy::Equilibrium)
            .then(|| Plan::new(table));
    }

    /// The actor recognised in this round, if any is at the table.
    fn recognise(&self, table: &mut Table<'_>) -> Option<usize> {
        let model = table.model;
        let round = table.round as usize;
        let cycle: &[usize] = match &model.protocol {
            crate::model::Protocol::AlternatingOffers {
                proposer: Proposer::Order(order),
                ..
            } => order,
            crate::model::Protocol::AlternatingOffers {
                proposer: Proposer::PowerWeighted,
                ..
            } => {
                let w = &table.world;
                let principals = &table.principals;
                if !principals.iter().any(|&p| w.active[p]) {
                    return None;
                }
                let k = table.streams.recognition.pick_weighted(
                    table.round,
                    0,
                    principals
                        .iter()
                        .map(|&p| if w.active[p] { w.capability[p] } else { 0.0 }),
                );
                return Some(principals[k]);
            }
            _ => &table.principals,
        };
        let n = cycle.len();
        (0..n)
            .map(|s| cycle[(round - 1 + s) % n])
            .find(|&a| table.world.active[a])
    }

    /// The compromise of the principals' current offers (module docs).
    fn mediator_text(&mut self, table: &mut Table<'_>, point: &mut [f64]) {
        let m = table.world.n_issues;
        self.num.fill(0.0);
        self.den.fill(0.0);
        for idx in 0..table.principals.len() {
            let i = table.principals[idx];
            if !table.world.active[i] {
                continue;
            }
            table.offer_of(i, table.aspiration[i], &mut self.offer);
            for j in 0..m {
                let w = table.world.capability[i] * table.world.salience(i, j);
                self.num[j] += w * self.offer[j];
                self.den[j] += w;
            }
        }
        for j in 0..m {
            point[j] = if self.den[j] > 0.0 {
                self.num[j] / self.den[j]
            } else {
                table.world.status_quo[j]
            };
        }
        fit_point(table.model, point);
    }
}

impl Protocol for AlternatingOffers {
    fn acceptance(&self) -> Acceptance {
        self.acceptance
    }

    fn propose(
        &mut self,
        table: &mut Table<'_>,
        point: &mut [f64],
        _observer: &mut impl Observer,
    ) -> Option<Tabled> {
        let proposer = self.recognise(table)?;
        let actor = &table.model.actors[proposer];
        if actor.role == Role::Mediator {
            self.mediator_text(table, point);
            return Some(Tabled {
                proposer: Some(proposer),
                kind: ProposalKind::Text,
                vote: true,
                last: false,
            });
        }
        match (&actor.strategy, &mut self.plan) {
            (Strategy::Equilibrium, Some(plan)) => plan.propose(table, proposer, point),
            _ => {
                let aspiration = table.aspiration[proposer];
                table.offer_of(proposer, aspiration, point);
                table.note_level(proposer, aspiration);
            }
        }
        Some(Tabled {
            proposer: Some(proposer),
            kind: ProposalKind::Offer,
            vote: true,
            last: false,
        })
    }

    fn threshold(&self, table: &Table<'_>, actor: usize) -> Threshold {
        if let (Strategy::Equilibrium, Some(plan)) =
            (&table.model.actors[actor].strategy, &self.plan)
        {
            return Threshold {
                value: plan.threshold(table, actor),
                pressure: false,
            };
        }
        Threshold {
            value: answer_threshold(
                table.model,
                &table.world,
                &table.curves,
                actor,
                table.aspiration[actor],
                table.round,
            ),
            pressure: feels_pressure(table.model, actor),
        }
    }

    fn rejected(&mut self, table: &mut Table<'_>, _point: &[f64], observer: &mut impl Observer) {
        concede_all(table, observer);
    }
}
