//! Bueno de Mesquita's expected-utility model of challenges and offers, issue by issue, as
//! reconstructed by Scholz, Calbert & Smith (2011, *J. Theoretical Politics* 23(4):510–531),
//! in the variant the scenario names (`ScholzPaper`, the printed equations, by default, or
//! `ScholzCode`, the dynamics of their published code); the formulas and where the variants
//! differ are in [`crate::solvers::expected_utility`].
//!
//! # A run
//!
//! Every actor at the table takes part on every issue, with its ideal point as its starting
//! position, its capability, and its salience on the issue (capped at 1). Each round:
//!
//! 1. every issue's model takes one step: risk exponents, probabilities of success, expected
//!    utilities, and each actor's move to the offer that moves it least (confrontation,
//!    compromise or capitulation), all simultaneous. Each move is reported as a shift;
//! 2. an actor's aspiration is its own utility of its current positions (mediators excepted) (so a move away from its
//!    ideal is a concession, reported as such; the force check uses this aspiration);
//! 3. the forecast is, issue by issue, the c·s-weighted median of the current positions (the
//!    "median voter" forecast of Bueno de Mesquita 1994; docs/theory.md §5), put on options and inside
//!    the pie.
//!
//! The model stops when positions stop moving (no position moves by more than 10⁻⁹ in a round)
//! or at the deadline. Then, and only then, the principals vote on the forecast: each signs if
//! it is worth (effective utility, with perception noise) at least its floor (its reservation
//! utility or its value of breakdown, whichever is higher), under
//! unanimity. So the outcome is an **Agreement** on the forecast in the round the model stopped if
//! every principal signs, and otherwise a **Deadlock** in that round (the status quo holds).
//!
//! Every actor follows the model's calculus: concession strategies (time-dependent tactics, tit
//! for tat, hardliners) do not apply under this protocol.
//!
//! An event restarts each issue's model from the current positions (an actor whose ideal point
//! the event moved starts from its new ideal) with the current capabilities, saliences and the
//! actors still at the table; the range Δ is then that of the current positions.

use super::{Procedure, Tabled, Threshold};
use crate::engine::strategy::offer::fit_point;
use crate::engine::{
    Concession, IssueForecast, Observer, ProposalKind, RiskExponents, RunState, Shift,
};
use crate::model::own_utility;
use crate::model::{Protocol, Role};
use crate::solvers::expected_utility::{ExpectedUtilityModel, Variant};

/// Positions closer than this count as not moving.
const STILL: f64 = 1e-9;

/// The expected-utility protocol of one run.
#[derive(Debug, Clone)]
pub struct ExpectedUtility {
    /// One model per issue.
    models: Vec<ExpectedUtilityModel>,
    /// The actors in the models (model actor k is `actors[k]`).
    actors: Vec<usize>,
    /// Which reconstruction the models run.
    variant: Variant,
    /// Current positions, actor × issue (all actors; those not in the models keep their ideal).
    position: Vec<f64>,
    /// World positions when the models were last built, actor × issue.
    ideal_seen: Vec<f64>,
    /// The world version the models were built from.
    version: u64,
    /// Scratch for building the models: capabilities, positions, saliences.
    caps: Vec<f64>,
    pos: Vec<f64>,
    sal: Vec<f64>,
}

impl ExpectedUtility {
    /// The protocol for the run on `state`; every actor's aspiration starts at its ideal (1).
    pub fn new(state: &mut RunState<'_>) -> Self {
        let w = state.world();
        let variant = match state.model().protocol {
            Protocol::ExpectedUtility { variant, .. } => variant,
            _ => Variant::default(),
        };
        let mut eu = ExpectedUtility {
            models: Vec::with_capacity(w.n_issues),
            actors: Vec::with_capacity(w.n_actors),
            variant,
            position: w.position.clone(),
            ideal_seen: w.position.clone(),
            version: state.version(),
            caps: Vec::with_capacity(w.n_actors),
            pos: Vec::with_capacity(w.n_actors),
            sal: Vec::with_capacity(w.n_actors),
        };
        eu.restart(state);
        eu
    }

    /// Sets the protocol up for the run now on `state` (a run of the same model), reusing its
    /// memory; every actor's aspiration starts at its ideal (1).
    pub fn restart(&mut self, state: &mut RunState<'_>) {
        state.reset_aspirations(1.0);
        self.position.clone_from(&state.world().position);
        self.ideal_seen.clone_from(&state.world().position);
        self.build(state);
    }

    /// (Re)builds every issue's model from the current positions and the world.
    fn build(&mut self, state: &RunState<'_>) {
        let w = state.world();
        let m = w.n_issues;
        for k in 0..w.n_actors * m {
            if w.position[k] != self.ideal_seen[k] {
                self.position[k] = w.position[k];
                self.ideal_seen[k] = w.position[k];
            }
        }
        self.actors.clear();
        self.actors.extend((0..w.n_actors).filter(|&a| w.active[a]));
        self.caps.clear();
        self.caps
            .extend(self.actors.iter().map(|&a| w.capability[a]));
        // The models are rebuilt in place (their memory is kept from run to run).
        self.models.truncate(m);
        for j in 0..m {
            self.pos.clear();
            self.pos
                .extend(self.actors.iter().map(|&a| self.position[a * m + j]));
            self.sal.clear();
            self.sal.extend(
                self.actors
                    .iter()
                    .map(|&a| w.salience(a, j).clamp(0.0, 1.0)),
            );
            match self.models.get_mut(j) {
                Some(model) => model.reset(&self.pos, &self.caps, &self.sal),
                None => self.models.push(
                    ExpectedUtilityModel::new(&self.pos, &self.caps, &self.sal)
                        .with_variant(self.variant),
                ),
            }
        }
        self.version = state.version();
    }

    /// Current positions of actor `a`, issue by issue.
    fn positions_of(&self, a: usize, m: usize) -> &[f64] {
        &self.position[a * m..(a + 1) * m]
    }
}

impl Procedure for ExpectedUtility {
    fn propose(
        &mut self,
        state: &mut RunState<'_>,
        point: &mut [f64],
        observer: &mut impl Observer,
    ) -> Option<Tabled> {
        if self.version != state.version() {
            self.build(state);
        }
        if self.actors.is_empty() {
            return None;
        }
        let m = state.world().n_issues;
        let round = state.round();
        let mut moved = 0.0_f64;
        for j in 0..m {
            self.models[j].step_moves();
            observer.on_risk(&RiskExponents {
                round,
                issue: j,
                actors: &self.actors,
                risk: self.models[j].last_risk(),
            });
            for mv in self.models[j].last_moves() {
                let a = self.actors[mv.actor];
                self.position[a * m + j] = mv.new;
                moved = moved.max((mv.new - mv.old).abs());
                observer.on_shift(&Shift {
                    round,
                    actor: a,
                    issue: j,
                    from: mv.old,
                    to: mv.new,
                });
            }
        }
        for idx in 0..self.actors.len() {
            let a = self.actors[idx];
            if state.model().actors[a].role == Role::Mediator {
                continue;
            }
            let held = state.aspiration(a);
            let now = own_utility(state.world(), a, self.positions_of(a, m));
            if now != held {
                state.set_aspiration(a, now);
                observer.on_concession(&Concession {
                    round,
                    actor: a,
                    from: held,
                    to: now,
                });
            }
        }
        for j in 0..m {
            point[j] = self.models[j].weighted_median();
        }
        fit_point(state.model(), point);
        let stopped = moved <= STILL || round >= state.horizon();
        Some(Tabled {
            proposer: None,
            kind: ProposalKind::Forecast,
            vote: stopped,
            last: stopped,
        })
    }

    fn forecasts(&self, out: &mut Vec<IssueForecast>) {
        out.clear();
        if self.actors.is_empty() {
            return;
        }
        out.extend(self.models.iter().map(|m| IssueForecast {
            weighted_median: m.weighted_median(),
            condorcet: m.condorcet_winner(),
        }));
    }

    fn threshold(&self, state: &RunState<'_>, actor: usize) -> Threshold {
        Threshold {
            value: state.floor(actor),
            pressure: false,
        }
    }

    fn rejected(
        &mut self,
        _state: &mut RunState<'_>,
        _point: &[f64],
        _observer: &mut impl Observer,
    ) {
    }
}
