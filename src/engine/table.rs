//! The state of one run: the world, every actor's aspiration, the random streams, and scratch
//! buffers allocated once per run.

use super::observe::Answer;
use crate::model::Role;
use crate::model::{
    Model, SamplePlan, World, effective_utility, own_utility_at_scale, utility_scale,
};
use crate::rng::{Purpose, RoundStream, SimRng};
use crate::strategy::offer::{OfferScratch, fit_point, make_offer};
use crate::strategy::{self, Curves};

/// Tolerance of the acceptance test: a proposal worth its threshold up to this much is accepted
/// (Rubinstein's responders accept when indifferent).
pub const ACCEPT_TOLERANCE: f64 = 1e-12;

/// The run's random streams, one per purpose, the draws of the rounds keyed by round and slot
/// (see [`crate::rng`], "Draws keyed by round").
#[derive(Debug, Clone)]
pub struct Streams {
    /// Who proposes: one slot per round.
    pub recognition: RoundStream,
    /// Perception noise: one slot per actor per round.
    pub perception: RoundStream,
    /// Random events: one slot per event per round.
    pub events: RoundStream,
    /// Escalation and war: two slots per actor per round (escalate, win).
    pub force: RoundStream,
    /// Tie breaks.
    pub engine: SimRng,
}

/// The state of one run.
#[derive(Debug, Clone)]
pub struct Table<'m> {
    /// The model.
    pub model: &'m Model,
    /// This run's numbers, changed in place by events.
    pub world: World,
    /// The current round (0 before round 1).
    pub round: u32,
    /// The deadline T.
    pub horizon: u32,
    /// Every principal, in file order.
    pub principals: Vec<usize>,
    /// Each actor's own utility of the current status quo.
    pub own_q: Vec<f64>,
    /// Each actor's utility scale in the current world
    /// ([`utility_scale`](crate::model::utility_scale)).
    pub scale: Vec<f64>,
    /// Each actor's held aspiration.
    pub aspiration: Vec<f64>,
    /// The lowest aspiration each actor has held (for its total concession).
    pub floor: Vec<f64>,
    /// Each actor's concession in the last rejected round.
    pub last_concession: Vec<f64>,
    /// Each actor's own utility of the proposal being evaluated.
    pub own_x: Vec<f64>,
    /// Each actor's perceived utility of the proposal being evaluated.
    pub perceived: Vec<f64>,
    /// Each actor's answer to the proposal being evaluated (`None`: inactive).
    pub answers: Vec<Option<Answer>>,
    /// Scratch: a list of actors.
    pub others: Vec<usize>,
    /// Scratch for offers.
    pub offer: OfferScratch,
    /// The time-dependent actors' concession curves.
    pub curves: Curves,
    /// The random streams.
    pub streams: Streams,
    /// Whether each event has fired.
    pub fired: Vec<bool>,
    /// Events that fired: (round, event).
    pub events_fired: Vec<(u32, usize)>,
    /// Counts the changes of the world, by events and by the start of each run (for caches).
    pub version: u64,
    /// Whether the model has stakeholders (who put pressure on principals).
    stakeholders: bool,
    /// For the proposal evaluated last: Σ_j |x_j − q_j| and each stakeholder's σ_k(x).
    moved: f64,
    share: Vec<f64>,
}

impl<'m> Table<'m> {
    /// Samples the run's world from `rng` and sets every actor at its opening aspiration.
    pub fn new(model: &'m Model, rng: &SimRng) -> Self {
        let plan = SamplePlan::new(model);
        let mut table = Table::empty(model, &plan, rng);
        table.start(&plan, rng);
        table
    }

    /// A table for runs of `model` drawn by `plan` (the plan of `model`), before any run: call
    /// [`Table::start`] to set up a run. `rng` only shapes the streams.
    pub fn empty(model: &'m Model, plan: &SamplePlan, rng: &SimRng) -> Self {
        let n = model.actors.len();
        Table {
            model,
            world: plan.world(),
            round: 0,
            horizon: model.protocol.max_rounds(),
            principals: model.principals().collect(),
            own_q: vec![0.0; n],
            scale: vec![0.0; n],
            aspiration: vec![1.0; n],
            floor: vec![1.0; n],
            last_concession: vec![0.0; n],
            own_x: vec![0.0; n],
            perceived: vec![0.0; n],
            answers: vec![None; n],
            others: Vec::with_capacity(n),
            offer: OfferScratch::new(model),
            curves: Curves::new(model),
            streams: Streams {
                recognition: RoundStream::new(rng, Purpose::Recognition, 1),
                perception: RoundStream::new(rng, Purpose::Perception, n as u64),
                events: RoundStream::new(rng, Purpose::Events, model.events.len() as u64),
                force: RoundStream::new(rng, Purpose::Force, 2 * n as u64),
                engine: rng.substream(Purpose::Engine),
            },
            fired: vec![false; model.events.len()],
            events_fired: Vec::with_capacity(model.events.len()),
            version: 0,
            stakeholders: model.actors.iter().any(|a| a.role == Role::Stakeholder),
            moved: 0.0,
            share: vec![0.0; n],
        }
    }

    /// Sets up the run of generator `rng` on this table, reusing its memory: samples the run's
    /// world by `plan` (the plan of the table's model), moves each stream to its purpose's
    /// region of the run's stream, and sets every actor at its opening aspiration.
    pub fn start(&mut self, plan: &SamplePlan, rng: &SimRng) {
        let model = self.model;
        plan.sample_into(rng, &mut self.world);
        let streams = &mut self.streams;
        for stream in [
            &mut streams.recognition,
            &mut streams.perception,
            &mut streams.events,
            &mut streams.force,
        ] {
            stream.restart(rng);
        }
        streams.engine.clone_from(rng);
        streams.engine.seek(Purpose::Engine);
        self.round = 0;
        self.aspiration.fill(1.0);
        self.floor.fill(1.0);
        self.last_concession.fill(0.0);
        self.own_x.fill(0.0);
        self.perceived.fill(0.0);
        self.answers.fill(None);
        self.offer.invalidate();
        self.fired.fill(false);
        self.events_fired.clear();
        // A new world: every cache keyed by the version is stale.
        self.version = self.version.wrapping_add(1);
        self.curves.start(model, &self.world);
        self.refresh_status_quo();
        for a in 0..self.world.n_actors {
            if model.actors[a].role != Role::Mediator {
                let open = strategy::opening_aspiration(model, &self.world, &self.curves, a);
                self.aspiration[a] = open;
                self.floor[a] = open;
            }
        }
    }

    /// Puts the status quo on options and inside the pie, and recomputes every actor's utility
    /// scale and utility of the status quo (after sampling and after events).
    pub fn refresh_status_quo(&mut self) {
        fit_point(self.model, &mut self.world.status_quo);
        for a in 0..self.world.n_actors {
            self.scale[a] = utility_scale(&self.world, a);
            self.own_q[a] =
                own_utility_at_scale(&self.world, a, &self.world.status_quo, self.scale[a]);
        }
    }

    /// Actor `a`'s own utility of `x` (as [`crate::model::own_utility`], with the scale kept
    /// for the world).
    #[inline]
    pub fn own_utility(&self, a: usize, x: &[f64]) -> f64 {
        own_utility_at_scale(&self.world, a, x, self.scale[a])
    }

    /// Whether actor `a` is a principal.
    #[inline]
    pub fn is_principal(&self, a: usize) -> bool {
        self.model.actors[a].role == Role::Principal
    }

    /// Number of active principals.
    pub fn active_principals(&self) -> usize {
        self.principals
            .iter()
            .filter(|&&p| self.world.active[p])
            .count()
    }

    /// Fills [`Table::others`] with the active principals other than `except`.
    pub fn fill_others(&mut self, except: usize) {
        self.others.clear();
        for &p in &self.principals {
            if p != except && self.world.active[p] {
                self.others.push(p);
            }
        }
    }

    /// Writes into `out` the offer of `proposer` at `aspiration` against the other active
    /// principals (see [`crate::strategy::offer`]).
    pub fn offer_of(&mut self, proposer: usize, aspiration: f64, out: &mut [f64]) {
        self.fill_others(proposer);
        make_offer(
            self.model,
            &self.world,
            proposer,
            aspiration,
            &self.others,
            &mut self.offer,
            out,
        );
    }

    /// Actor `a`'s effective utility of the point whose own utilities are in
    /// [`Table::own_x`].
    #[inline]
    pub fn effective(&self, a: usize) -> f64 {
        effective_utility(&self.world, a, &self.own_x, &self.own_q)
    }

    /// Evaluates `point`: every active actor's own utility, and the perceived utility of every
    /// active actor other than `proposer` (effective utility, own utility for equilibrium
    /// players, plus a Normal(0, σ) draw when σ > 0: actor a's slot of this round in the
    /// perception stream).
    pub fn evaluate(&mut self, point: &[f64], proposer: Option<usize>) {
        let n = self.world.n_actors;
        for a in 0..n {
            self.own_x[a] = if self.world.active[a] {
                self.own_utility(a, point)
            } else {
                self.own_q[a]
            };
        }
        for a in 0..n {
            // Equilibrium players evaluate by their own utility (the game's payoffs).
            let own = !self.world.active[a]
                || Some(a) == proposer
                || matches!(
                    self.model.actors[a].strategy,
                    crate::model::Strategy::Equilibrium
                );
            self.perceived[a] = if own {
                self.own_x[a]
            } else {
                self.effective(a)
            };
        }
        // The noise after the utilities (actor a's slot of the round in the perception stream,
        // for each evaluating actor), so the independent inverse-CDF draws follow each other.
        let sigma = self.world.perception_noise;
        if sigma > 0.0 {
            for a in 0..n {
                if self.world.active[a] && Some(a) != proposer {
                    let z = self
                        .streams
                        .perception
                        .standard_normal(self.round, a as u64);
                    self.perceived[a] += sigma * z;
                }
            }
        }
        if self.stakeholders {
            self.stakeholder_shares(point);
        }
    }

    /// For the proposal at `point`: how far it moves from the status quo, Σ_j |x_j − q_j|, and
    /// each active stakeholder's salience on what it moves, σ_k(x) (engine docs), for
    /// [`Table::pressure`].
    fn stakeholder_shares(&mut self, point: &[f64]) {
        let w = &self.world;
        let mut moved = 0.0;
        for j in 0..w.n_issues {
            moved += (point[j] - w.status_quo[j]).abs();
        }
        self.moved = moved;
        if moved == 0.0 {
            return;
        }
        for k in 0..w.n_actors {
            if !w.active[k] || self.model.actors[k].role != Role::Stakeholder {
                continue;
            }
            let mut sal = 0.0;
            for j in 0..w.n_issues {
                sal += w.salience(k, j) * (point[j] - w.status_quo[j]).abs();
            }
            self.share[k] = (sal / moved).min(1.0);
        }
    }

    /// Stakeholder pressure on principal `i` for the proposal just evaluated (the amount its
    /// threshold falls; negative raises it). See the engine docs for the formula.
    pub fn pressure(&self, i: usize) -> f64 {
        if !self.stakeholders || self.moved == 0.0 {
            return 0.0;
        }
        let w = &self.world;
        let mut total = 0.0;
        for k in 0..w.n_actors {
            if k == i
                || !w.active[k]
                || self.model.actors[k].role != Role::Stakeholder
                || w.relation(i, k) <= 0.0
            {
                continue;
            }
            let weight = w.capability[k] / (w.capability[k] + w.capability[i]);
            let approval = self.perceived[k] - self.own_q[k];
            total += w.relation(i, k) * weight * self.share[k] * approval;
        }
        total
    }

    /// Lowers actor `a`'s record of the lowest aspiration it held.
    #[inline]
    pub fn note_level(&mut self, a: usize, level: f64) {
        if level < self.floor[a] {
            self.floor[a] = level;
        }
    }
}
