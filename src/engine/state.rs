//! [`RunState`]: the state of one run, behind named methods.
//!
//! The run's world (its sampled numbers, changed by events), the round, every actor's
//! aspiration and answer, the evaluation of the proposal on the table, the random streams, and
//! the buffers a run reuses. The round loop ([`crate::engine`]), the protocols and the
//! strategies read and change it only through the methods below, so each piece of state has
//! one meaning for the whole run.

use super::observe::{Answer, Concession, Observer};
use super::strategy::offer::{OfferScratch, fit_point, make_offer};
use super::strategy::{self, Curves};
use crate::model::{
    Model, Role, SamplePlan, Strategy, World, effective_utility, own_utility_at_scale,
    utility_scale,
};
use crate::rng::{Purpose, RoundStream, SimRng};

/// Tolerance of the acceptance test: a proposal worth its threshold up to this much is accepted
/// (Rubinstein's responders accept when indifferent).
pub const ACCEPT_TOLERANCE: f64 = 1e-12;

/// The run's random streams, one per purpose, the draws of the rounds keyed by round and slot
/// (see [`crate::rng`], "Draws keyed by round").
#[derive(Debug, Clone)]
struct Streams {
    /// Who proposes: one slot per round.
    recognition: RoundStream,
    /// Perception noise: one slot per actor per round.
    perception: RoundStream,
    /// Random events: one slot per event per round.
    events: RoundStream,
    /// Escalation and war: two slots per actor per round (escalate, win).
    force: RoundStream,
    /// Tie breaks.
    engine: SimRng,
}

/// The state of one run (module docs).
#[derive(Debug, Clone)]
pub struct RunState<'m> {
    model: &'m Model,
    /// This run's numbers, changed in place by events.
    world: World,
    /// The current round (0 before round 1).
    round: u32,
    /// The deadline T.
    horizon: u32,
    /// Every principal, in file order.
    principals: Vec<usize>,
    /// Each actor's own utility of the current status quo.
    own_q: Vec<f64>,
    /// Each actor's utility scale in the current world ([`utility_scale`]).
    scale: Vec<f64>,
    /// Each actor's held aspiration.
    aspiration: Vec<f64>,
    /// The lowest aspiration each actor has held (for its total concession).
    floor: Vec<f64>,
    /// Each actor's concession in the last rejected round.
    last_concession: Vec<f64>,
    /// Each actor's aspiration after the round now ending, until every actor has moved.
    next_aspiration: Vec<f64>,
    /// Each actor's own utility of the proposal being evaluated.
    own_x: Vec<f64>,
    /// Each actor's perceived utility of the proposal being evaluated.
    perceived: Vec<f64>,
    /// Each actor's answer to the proposal being evaluated (`None`: inactive).
    answers: Vec<Option<Answer>>,
    /// Scratch: a list of actors.
    others: Vec<usize>,
    /// Scratch for offers.
    offer: OfferScratch,
    /// The time-dependent actors' concession curves.
    curves: Curves,
    /// The random streams.
    streams: Streams,
    /// Whether each event has fired.
    fired: Vec<bool>,
    /// Events that fired: (round, event).
    events_fired: Vec<(u32, usize)>,
    /// Counts the changes of the world, by events and by the start of each run (for caches).
    version: u64,
    /// Whether the model has stakeholders (who put pressure on principals).
    stakeholders: bool,
    /// For the proposal evaluated last: Σ_j |x_j − q_j| and each stakeholder's σ_k(x).
    moved: f64,
    share: Vec<f64>,
}

impl<'m> RunState<'m> {
    /// Samples the run's world from `rng` and sets every actor at its opening aspiration.
    pub fn new(model: &'m Model, rng: &SimRng) -> Self {
        let plan = SamplePlan::new(model);
        let mut state = RunState::empty(model, &plan, rng);
        state.start(&plan, rng);
        state
    }

    /// A state for runs of `model` drawn by `plan` (the plan of `model`), before any run: call
    /// [`RunState::start`] to set up a run. `rng` only shapes the streams.
    pub fn empty(model: &'m Model, plan: &SamplePlan, rng: &SimRng) -> Self {
        let n = model.actors.len();
        RunState {
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
            next_aspiration: vec![1.0; n],
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

    /// Sets up the run of generator `rng` on this state, reusing its memory: samples the run's
    /// world by `plan` (the plan of the state's model), moves each stream to its purpose's
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

    // ----- reading -----

    /// The model.
    #[inline]
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// This run's numbers, as events have left them.
    #[inline]
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The current round (0 before round 1).
    #[inline]
    pub fn round(&self) -> u32 {
        self.round
    }

    /// The deadline T.
    #[inline]
    pub fn horizon(&self) -> u32 {
        self.horizon
    }

    /// Every principal, in file order.
    #[inline]
    pub fn principals(&self) -> &[usize] {
        &self.principals
    }

    /// Whether actor `a` is a principal.
    #[inline]
    pub fn is_principal(&self, a: usize) -> bool {
        self.model.actors[a].role == Role::Principal
    }

    /// Whether actor `a` is still at the table.
    #[inline]
    pub fn is_active(&self, a: usize) -> bool {
        self.world.active[a]
    }

    /// Whether actor `a` holds an aspiration and concedes: at the table and not a mediator.
    #[inline]
    pub fn negotiates(&self, a: usize) -> bool {
        self.world.active[a] && self.model.actors[a].role != Role::Mediator
    }

    /// Number of active principals.
    pub fn active_principals(&self) -> usize {
        self.principals
            .iter()
            .filter(|&&p| self.world.active[p])
            .count()
    }

    /// Actor `a`'s held aspiration: the utility it insists on now.
    #[inline]
    pub fn aspiration(&self, a: usize) -> f64 {
        self.aspiration[a]
    }

    /// Every actor's held aspiration.
    #[inline]
    pub fn aspirations(&self) -> &[f64] {
        &self.aspiration
    }

    /// The lowest aspiration actor `a` has held in this run.
    #[inline]
    pub fn lowest_aspiration(&self, a: usize) -> f64 {
        self.floor[a]
    }

    /// How far actor `a`'s aspiration fell after the last rejected round.
    #[inline]
    pub fn last_concession(&self, a: usize) -> f64 {
        self.last_concession[a]
    }

    /// Actor `a`'s own utility of the current status quo.
    #[inline]
    pub fn status_quo_utility(&self, a: usize) -> f64 {
        self.own_q[a]
    }

    /// Actor `a`'s own utility of `x` (as [`crate::model::own_utility`], with the scale kept
    /// for the world).
    #[inline]
    pub fn own_utility(&self, a: usize, x: &[f64]) -> f64 {
        own_utility_at_scale(&self.world, a, x, self.scale[a])
    }

    /// Actor `a`'s perceived utility of the proposal evaluated last ([`RunState::evaluate`]).
    #[inline]
    pub fn perceived(&self, a: usize) -> f64 {
        self.perceived[a]
    }

    /// Actor `a`'s answer to this round's proposal (`None`: not at the table, or no vote yet).
    #[inline]
    pub fn answer(&self, a: usize) -> Option<Answer> {
        self.answers[a]
    }

    /// The time-dependent actors' concession curves.
    #[inline]
    pub fn curves(&self) -> &Curves {
        &self.curves
    }

    /// A number that changes whenever the world does (a new run, an event): caches keyed by it
    /// are current while it stays the same.
    #[inline]
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Whether event `e` has fired in this run.
    #[inline]
    pub fn has_fired(&self, e: usize) -> bool {
        self.fired[e]
    }

    /// The events that fired, (round, event), in firing order.
    #[inline]
    pub fn events_fired(&self) -> &[(u32, usize)] {
        &self.events_fired
    }

    // ----- the round -----

    /// Round `round` begins: no answers yet.
    pub fn begin_round(&mut self, round: u32) {
        self.round = round;
        self.answers.fill(None);
    }

    /// Records actor `a`'s answer to this round's proposal.
    #[inline]
    pub fn set_answer(&mut self, a: usize, answer: Answer) {
        self.answers[a] = Some(answer);
    }

    /// Actor `a` now holds aspiration `level` (also its lowest so far, if lower).
    #[inline]
    pub fn set_aspiration(&mut self, a: usize, level: f64) {
        self.aspiration[a] = level;
        self.note_level(a, level);
    }

    /// Records that actor `a` offered or demanded `level` (its lowest aspiration so far, if
    /// lower), without changing its held aspiration.
    #[inline]
    pub fn note_level(&mut self, a: usize, level: f64) {
        if level < self.floor[a] {
            self.floor[a] = level;
        }
    }

    /// Every actor holds aspiration `level` and has held nothing lower (a protocol that sets
    /// aspirations itself, at the start of a run).
    pub fn reset_aspirations(&mut self, level: f64) {
        self.aspiration.fill(level);
        self.floor.fill(level);
    }

    /// Actor `a` will hold aspiration `next` after this round; takes effect, for every actor at
    /// once, at [`RunState::commit_concessions`].
    #[inline]
    pub fn plan_concession(&mut self, a: usize, next: f64) {
        self.next_aspiration[a] = next;
    }

    /// Every negotiating actor moves to the aspiration planned for it; the others' concessions
    /// are 0. The observer sees each actor that moved.
    pub fn commit_concessions(&mut self, observer: &mut impl Observer) {
        for a in 0..self.world.n_actors {
            if !self.negotiates(a) {
                self.last_concession[a] = 0.0;
                continue;
            }
            let held = self.aspiration[a];
            let next = self.next_aspiration[a];
            self.last_concession[a] = held - next;
            self.set_aspiration(a, next);
            if next != held {
                observer.on_concession(&Concession {
                    round: self.round,
                    actor: a,
                    from: held,
                    to: next,
                });
            }
        }
    }

    /// Writes into `out` the offer of `proposer` at `aspiration` against the other active
    /// principals (see [`crate::engine::strategy::offer`]).
    pub fn offer_of(&mut self, proposer: usize, aspiration: f64, out: &mut [f64]) {
        self.others.clear();
        for &p in &self.principals {
            if p != proposer && self.world.active[p] {
                self.others.push(p);
            }
        }
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
                || matches!(self.model.actors[a].strategy, Strategy::Equilibrium);
            self.perceived[a] = if own {
                self.own_x[a]
            } else {
                effective_utility(&self.world, a, &self.own_x, &self.own_q)
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
    /// [`RunState::pressure`].
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

    // ----- random streams -----

    /// Draws the principal recognised in this round with probability ∝ capability among the
    /// principals at the table (one draw, the round's slot of the recognition stream); returns
    /// its index in [`RunState::principals`]. At least one principal must be at the table.
    pub fn recognise_by_capability(&mut self) -> usize {
        let w = &self.world;
        self.streams.recognition.pick_weighted(
            self.round,
            0,
            self.principals
                .iter()
                .map(|&p| if w.active[p] { w.capability[p] } else { 0.0 }),
        )
    }

    /// The events stream: one slot per event per round.
    #[inline]
    pub fn events_stream(&mut self) -> &mut RoundStream {
        &mut self.streams.events
    }

    /// The force stream: two slots per actor per round (escalate, win).
    #[inline]
    pub fn force_stream(&mut self) -> &mut RoundStream {
        &mut self.streams.force
    }

    /// The engine's stream, for tie breaks.
    #[inline]
    pub fn engine_rng(&mut self) -> &mut SimRng {
        &mut self.streams.engine
    }

    // ----- events -----

    /// The world, to change it (events). Call [`RunState::world_changed`] after the change.
    #[inline]
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// Records that event `e` fired in this round.
    pub fn mark_fired(&mut self, e: usize) {
        self.fired[e] = true;
        self.events_fired.push((self.round, e));
    }

    /// After the world changed: the status quo is put back on options and inside the pie, every
    /// utility of it is worked out again, and every cache of the world is stale.
    pub fn world_changed(&mut self) {
        self.refresh_status_quo();
        self.offer.invalidate();
        self.version += 1;
    }

    /// Puts the status quo on options and inside the pie, and recomputes every actor's utility
    /// scale and utility of the status quo (after sampling and after events).
    fn refresh_status_quo(&mut self) {
        fit_point(self.model, &mut self.world.status_quo);
        for a in 0..self.world.n_actors {
            self.scale[a] = utility_scale(&self.world, a);
            self.own_q[a] =
                own_utility_at_scale(&self.world, a, &self.world.status_quo, self.scale[a]);
        }
    }
}
