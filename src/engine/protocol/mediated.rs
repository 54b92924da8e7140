//! A mediator's single negotiating text (Fisher's single-text procedure, as in Raiffa 1982,
//! *The Art and Science of Negotiation*: the mediator drafts, the parties criticise, the
//! mediator amends).
//!
//! # The first text
//!
//! - `Compromise`: the capability × salience weighted mean of the principals' ideal points,
//!   issue by issue (the compromise model, Achen 2006; docs/theory.md §6):
//!   x_j = Σ_i c_i s_ij p_ij / Σ_i c_i s_ij (the status quo where no principal cares), the
//!   minimiser of the capability-weighted squared distances, used under either `loss`;
//! - `NashBargaining`: the point maximising Π_i (u_i(x) − d_i)^(c_i) over the principals, with
//!   weights = capabilities and disagreement utilities d_i = u_i(status quo) or the reservation
//!   utilities (the asymmetric Nash bargaining solution, Nash 1950, Kalai 1977), computed by
//!   [`crate::solvers::mediation`] on options and inside the pie. If no settlement gives every
//!   principal more than its disagreement utility there is no Nash point, and the mediator
//!   starts from the compromise.
//! - `KalaiSmorodinsky`: the point giving every principal the same share
//!   (u_i(x) − d_i)/(I_i − d_i) of its maximal gain, I_i its best utility over the settlements
//!   every principal weakly prefers to disagreement (Kalai & Smorodinsky 1975), with the same
//!   disagreement utilities as the Nash text; computed by
//!   [`crate::solvers::bargaining::kalai_smorodinsky_point`] on the principals' Pareto frontier
//!   (exact on options; on continuous issues a grid of 200 steps between the principals' ideal
//!   points, within the frontier's stated error). Without a settlement giving every principal
//!   more than its disagreement utility, the mediator starts from the compromise.
//!
//! # Amendments
//!
//! After a rejected round the principals concede by their strategies, then the mediator moves its
//! (continuous) draft toward the principals that rejected, by the scenario's `step` σ of the
//! distance to the salience-weighted mean of their current offers o_i (what each would now
//! propose at its aspiration, [`crate::engine::strategy::offer`]: its ideal point at first,
//! closer as it concedes):
//!
//! ```text
//! x_j ← x_j + σ (m_j − x_j),   m_j = Σ_{i rejects} s_ij o_ij / Σ_{i rejects} s_ij
//! ```
//!
//! (issues no rejecting principal cares about stay). The text must carry every principal
//! (the protocol asks unanimity), so each rejection is a veto, and a veto is worth the same
//! whoever casts it: under unanimity every member's voting power is equal (the Shapley–Shubik
//! and Banzhaf indices of a unanimity game give each player 1/n; Tsebelis 2002, *Veto
//! Players*). Capability has had its say in the first text (the compromise weighs it); the
//! amendments answer the objections that block agreement in proportion to how much each
//! objector cares about the issue, not to its size. Weighing the amendments by capability as
//! well would pull the text toward the strongest objector twice, and away from a weak party
//! whose veto blocks the text just the same. So a text rejected by one side moves toward
//! it, and a text rejected by all follows the parties as they converge. An amendment keeps the
//! gains of those who accepted: if the amended text (put on options and inside the pie) would
//! give a principal that accepted the last text less than that text did, the step is halved
//! (down to σ/2¹⁰, then no amendment this round). So the mediator revises the text to meet the
//! objections of some without losing the others, as the single-text procedure asks (Raiffa
//! 1982, ch. 14), instead of walking away from a text one side already takes. The tabled text is
//! the draft put on options and inside the pie. The principals answer by their strategies under
//! unanimity; a mediator that has left tables nothing.

use super::{Procedure, Tabled, Threshold};
use crate::engine::strategy::concede_all;
use crate::engine::strategy::offer::fit_point;
use crate::engine::strategy::{answer_threshold, feels_pressure};
use crate::engine::{Answer, Observer, ProposalKind, RunState};
use crate::model::{Disagreement, MediatorText};
use crate::solvers::bargaining::{Resolution, kalai_smorodinsky_point};
use crate::solvers::mediation::{SettlementSpace, nash_point};

/// The mediated protocol of one run.
#[derive(Debug, Clone)]
pub struct Mediated {
    mediator: usize,
    draft: Vec<f64>,
    /// An amended draft being tried, and its tabled form.
    trial: Vec<f64>,
    fitted: Vec<f64>,
    offer: Vec<f64>,
    num: Vec<f64>,
    den: Vec<f64>,
}

impl Mediated {
    /// The protocol for the run on `state`, with its first text.
    pub fn new(state: &RunState<'_>) -> Self {
        let m = state.world().n_issues;
        let mut protocol = Mediated {
            mediator: 0,
            draft: vec![0.0; m],
            trial: vec![0.0; m],
            fitted: vec![0.0; m],
            offer: vec![0.0; m],
            num: vec![0.0; m],
            den: vec![0.0; m],
        };
        protocol.restart(state);
        protocol
    }

    /// Sets the protocol up for the run now on `state` (a run of the same model), with its
    /// first text, reusing its memory.
    pub fn restart(&mut self, state: &RunState<'_>) {
        let (mediator, text, disagreement) = match &state.model().protocol {
            crate::model::Protocol::Mediated {
                mediator,
                text,
                disagreement,
                ..
            } => (*mediator, *text, *disagreement),
            _ => (0, MediatorText::Compromise, Disagreement::StatusQuo),
        };
        self.mediator = mediator;
        match text {
            MediatorText::Compromise => compromise(state, |i| state.is_active(i), &mut self.draft),
            MediatorText::NashBargaining => nash_text(state, disagreement, &mut self.draft),
            MediatorText::KalaiSmorodinsky => ks_text(state, disagreement, &mut self.draft),
        }
    }

    /// The current draft (before options and the pie).
    pub fn draft(&self) -> &[f64] {
        &self.draft
    }
}

/// The capability × salience weighted mean of the ideal points of the principals selected by
/// `take`, issue by issue (the status quo where none of them cares).
fn compromise(state: &RunState<'_>, take: impl Fn(usize) -> bool, out: &mut [f64]) {
    let w = state.world();
    for (j, x) in out.iter_mut().enumerate() {
        let mut num = 0.0;
        let mut den = 0.0;
        for &i in state.principals() {
            if take(i) {
                let c = w.capability[i] * w.salience(i, j);
                num += c * w.position(i, j);
                den += c;
            }
        }
        *x = if den > 0.0 {
            num / den
        } else {
            w.status_quo[j]
        };
    }
}

/// What the Nash and Kalai–Smorodinsky texts bargain over: the principals at the table, what
/// disagreement is worth to each (the status quo or its reservation utility), and each issue's
/// option points (empty on a continuous issue).
fn bargainers(
    state: &RunState<'_>,
    disagreement: Disagreement,
) -> (Vec<usize>, Vec<f64>, Vec<Vec<f64>>) {
    let w = state.world();
    let parties: Vec<usize> = state
        .principals()
        .iter()
        .copied()
        .filter(|&i| w.active[i])
        .collect();
    let floor: Vec<f64> = parties
        .iter()
        .map(|&i| match disagreement {
            Disagreement::StatusQuo => state.status_quo_utility(i),
            Disagreement::Reservation => w.reservation[i],
        })
        .collect();
    let options: Vec<Vec<f64>> = state
        .model()
        .issues
        .iter()
        .map(|issue| issue.options.iter().map(|o| o.at).collect())
        .collect();
    (parties, floor, options)
}

/// The Nash bargaining text (module docs), or the compromise if there is none.
fn nash_text(state: &RunState<'_>, disagreement: Disagreement, out: &mut [f64]) {
    let w = state.world();
    let (parties, floor, options) = bargainers(state, disagreement);
    let weights: Vec<f64> = parties.iter().map(|&i| w.capability[i]).collect();
    let space = SettlementSpace {
        options: &options,
        pie: &state.model().pie,
    };
    match nash_point(w, &parties, &weights, &floor, &space) {
        Some(x) => out.copy_from_slice(&x),
        None => compromise(state, |i| w.active[i], out),
    }
}

/// The Kalai–Smorodinsky text (module docs), or the compromise if there is none.
fn ks_text(state: &RunState<'_>, disagreement: Disagreement, out: &mut [f64]) {
    let w = state.world();
    let (parties, floor, options) = bargainers(state, disagreement);
    let space = SettlementSpace {
        options: &options,
        pie: &state.model().pie,
    };
    match kalai_smorodinsky_point(w, &parties, &floor, &space, Resolution::default()) {
        Some(x) => out.copy_from_slice(&x),
        None => compromise(state, |i| w.active[i], out),
    }
}

impl Procedure for Mediated {
    fn propose(
        &mut self,
        state: &mut RunState<'_>,
        point: &mut [f64],
        _observer: &mut impl Observer,
    ) -> Option<Tabled> {
        if !state.is_active(self.mediator) {
            return None;
        }
        point.copy_from_slice(&self.draft);
        fit_point(state.model(), point);
        Some(Tabled {
            proposer: Some(self.mediator),
            kind: ProposalKind::Text,
            vote: true,
            last: false,
        })
    }

    fn threshold(&self, state: &RunState<'_>, actor: usize) -> Threshold {
        Threshold {
            value: answer_threshold(state, actor, state.aspiration(actor), state.round()),
            pressure: feels_pressure(state.model(), actor),
        }
    }

    fn rejected(&mut self, state: &mut RunState<'_>, point: &[f64], observer: &mut impl Observer) {
        concede_all(state, observer);
        let m = state.world().n_issues;
        self.num.fill(0.0);
        self.den.fill(0.0);
        for idx in 0..state.principals().len() {
            let i = state.principals()[idx];
            if state.answer(i) != Some(Answer::Reject) {
                continue;
            }
            state.offer_of(i, state.aspiration(i), &mut self.offer);
            // Every principal's rejection is a veto: weighed by salience alone (module docs).
            for j in 0..m {
                let c = state.world().salience(i, j);
                self.num[j] += c * self.offer[j];
                self.den[j] += c;
            }
        }
        // The largest step (σ, σ/2, …) whose text leaves every acceptor its utility of the
        // text it accepted.
        let mut step = state.world().step;
        for _ in 0..=10 {
            for j in 0..m {
                self.trial[j] = if self.den[j] > 0.0 {
                    self.draft[j] + step * (self.num[j] / self.den[j] - self.draft[j])
                } else {
                    self.draft[j]
                };
            }
            self.fitted.copy_from_slice(&self.trial);
            fit_point(state.model(), &mut self.fitted);
            state.freeze(&mut self.fitted);
            let fitted = &self.fitted;
            let keeps = state.principals().iter().all(|&i| {
                state.answer(i) != Some(Answer::Accept)
                    || state.own_utility(i, fitted) >= state.own_utility(i, point) - 1e-12
            });
            if keeps {
                self.draft.copy_from_slice(&self.trial);
                return;
            }
            step *= 0.5;
        }
    }
}
