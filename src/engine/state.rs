//! [`RunState`]: the state of one run, behind named methods.
//!
//! The run's world (its sampled numbers, changed by events), the round, every actor's
//! aspiration and answer, the evaluation of the proposal on the table, the random streams, and
//! the buffers a run reuses. The round loop ([`crate::engine`]), the protocols and the
//! strategies read and change it only through the methods below, so each piece of state has
//! one meaning for the whole run.

use super::observe::{Answer, Concession, Observer};
use super::outcome::WarRecord;
use super::strategy::offer::{OfferScratch, fit_point, make_offer};
use super::strategy::{self, Curves};
use crate::model::{
    Disagreement, Model, Role, SamplePlan, Strategy, World, effective_utility,
    own_utility_at_scale, utility_scale,
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

/// War records made up front, so that no round allocates one: 16 (more than a run of the bundled
/// scenarios has had), within a budget of 2¹⁶ numbers for large models. A run with more wars
/// makes the pool grow once.
pub(super) fn war_records(model: &Model) -> Vec<WarRecord> {
    let (n, m) = (model.actors.len(), model.issues.len());
    let per_record = 2 * n + m + 1;
    let count = ((1 << 16) / per_record).clamp(1, 16);
    (0..count).map(|_| WarRecord::with_capacity(n, m)).collect()
}

/// Slots per round kept for each actor-keyed draw: room for the most actors a scenario may have
/// (more for a model built in code with more), whatever this model's number, so that adding an
/// actor (a mediator, a stakeholder) moves no other actor's draws: variants that differ in their
/// actors still meet the same noise and the same dice of war.
pub(super) fn actor_slots(n: usize) -> u64 {
    n.max(crate::model::MAX_ACTORS) as u64
}

/// Which proposal of a round is being evaluated (each draws its perception noise from its own
/// slots, so a mediator's text disturbs no draw of the offers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluation {
    /// The round's offer (or text, or forecast) from its protocol; `text_follows` if the
    /// mediators may table a text after it (their evaluators' noise is then drawn with the
    /// offer's, from the next slots).
    Offer {
        /// Whether a mediators' text may follow in this round.
        text_follows: bool,
    },
    /// The mediators' text tabled after a rejected offer (its noise drawn with the offer's).
    MediatorText,
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
    lowest: Vec<f64>,
    /// Each actor's value of breakdown (module docs of [`crate::engine::force`]): its effective
    /// utility of the status quo, or of the war a credible initiator would then start.
    breakdown: Vec<f64>,
    /// The least each actor accepts or offers: its reservation utility or its value of
    /// breakdown, whichever is higher (at most 1).
    floor: Vec<f64>,
    /// The best each actor has been offered since the world last changed (its perceived
    /// utility; at least its utility of the status quo): what the table offers it.
    table: Vec<f64>,
    /// Whether each issue has been decided by force (then it stays at the status quo).
    settled: Vec<bool>,
    /// Each actor's cost of the wars it fought in this run.
    war_cost: Vec<f64>,
    /// The expected settlement of the talks: the capability × salience weighted mean of the
    /// principals' ideal points (Achen's compromise model), on options and inside the pie.
    expected: Vec<f64>,
    /// Each actor's effective utility of [`RunState::expected`].
    expected_value: Vec<f64>,
    /// Scratch: own utilities of a point, per actor.
    own_scratch: Vec<f64>,
    /// The capability of every actor at the table, summed.
    capability_total: f64,
    /// War records, the first `war_count` of them this run's wars so far (the rest kept from
    /// earlier runs, for reuse).
    wars: Vec<WarRecord>,
    war_count: usize,
    /// Records for an outcome's list (made up front, and those it gave back when it had more
    /// wars than a run).
    spare_wars: Vec<WarRecord>,
    /// Each actor's concession in the last rejected round.
    last_concession: Vec<f64>,
    /// Each actor's aspiration after the round now ending, until every actor has moved.
    next_aspiration: Vec<f64>,
    /// Each actor's own utility of the proposal being evaluated.
    own_x: Vec<f64>,
    /// Each actor's perceived utility of the proposal being evaluated.
    perceived: Vec<f64>,
    /// Each actor's perception noise on this round's mediators' text, drawn with the offer's.
    text_noise: Vec<f64>,
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
            lowest: vec![1.0; n],
            breakdown: vec![0.0; n],
            floor: vec![0.0; n],
            table: vec![0.0; n],
            settled: vec![false; model.issues.len()],
            war_cost: vec![0.0; n],
            expected: vec![0.0; model.issues.len()],
            expected_value: vec![0.0; n],
            own_scratch: vec![0.0; n],
            capability_total: 0.0,
            wars: war_records(model),
            war_count: 0,
            spare_wars: war_records(model),
            last_concession: vec![0.0; n],
            next_aspiration: vec![1.0; n],
            own_x: vec![0.0; n],
            perceived: vec![0.0; n],
            text_noise: vec![0.0; n],
            answers: vec![None; n],
            others: Vec::with_capacity(n),
            offer: OfferScratch::new(model),
            curves: Curves::new(model),
            streams: Streams {
                recognition: RoundStream::new(rng, Purpose::Recognition, 1),
                perception: RoundStream::new(rng, Purpose::Perception, 2 * actor_slots(n)),
                events: RoundStream::new(rng, Purpose::Events, model.events.len() as u64),
                force: RoundStream::new(rng, Purpose::Force, 2 * actor_slots(n)),
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
    /// world by `plan` (the plan of the state's model) and moves each stream to its purpose's
    /// region of the run's stream. Every actor's value of breakdown is its utility of the status
    /// quo until [`RunState::set_breakdown`]; [`RunState::open`] then sets every actor at its
    /// opening aspiration.
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
        self.lowest.fill(1.0);
        self.settled.fill(false);
        self.war_cost.fill(0.0);
        self.war_count = 0;
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
    }

    /// Every actor but the mediators takes its opening aspiration (after its value of
    /// breakdown is known).
    pub fn open(&mut self) {
        for a in 0..self.world.n_actors {
            if self.model.actors[a].role != Role::Mediator {
                let open = strategy::opening_aspiration(self, a);
                self.aspiration[a] = open;
                self.lowest[a] = open;
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
        self.lowest[a]
    }

    /// Actor `a`'s value of breakdown: what it gets if the talks fail now.
    #[inline]
    pub fn breakdown(&self, a: usize) -> f64 {
        self.breakdown[a]
    }

    /// The least actor `a` accepts or offers: max(reservation, value of breakdown), at most 1.
    #[inline]
    pub fn floor(&self, a: usize) -> f64 {
        self.floor[a]
    }

    /// What the table offers actor `a`: the best proposal it could have had by saying yes (one
    /// that the others accepted or made) since the world last changed, and at least its
    /// utility of the status quo.
    #[inline]
    pub fn table_value(&self, a: usize) -> f64 {
        self.table[a]
    }

    /// Whether issue `j` has been decided by force.
    #[inline]
    pub fn is_settled(&self, j: usize) -> bool {
        self.settled[j]
    }

    /// The issues decided by force, issue by issue.
    #[inline]
    pub fn settled(&self) -> &[bool] {
        &self.settled
    }

    /// Actor `a`'s cost of the wars it fought so far.
    #[inline]
    pub fn war_cost(&self, a: usize) -> f64 {
        self.war_cost[a]
    }

    /// Every actor's own utility of the current status quo.
    #[inline]
    pub fn status_quo_utilities(&self) -> &[f64] {
        &self.own_q
    }

    /// What failed talks are worth to actor `a` without a war: its utility of the status quo,
    /// or its reservation utility where the scenario says breakdown leaves only that.
    #[inline]
    pub fn peaceful_breakdown(&self, a: usize) -> f64 {
        match self.model.disagreement {
            Disagreement::StatusQuo => self.own_q[a],
            Disagreement::Reservation => self.world.reservation[a],
        }
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

    /// The proposal just evaluated was actor `a`'s for the taking (its yes would have carried
    /// it): what the table offers it is at least its perceived utility of it.
    #[inline]
    pub fn offered(&mut self, a: usize) {
        if self.perceived[a] > self.table[a] {
            self.table[a] = self.perceived[a];
        }
    }

    /// Records actor `a`'s answer to this round's proposal.
    #[inline]
    pub fn set_answer(&mut self, a: usize, answer: Answer) {
        self.answers[a] = Some(answer);
    }

    /// Sets every actor's value of breakdown (its effective utility of what failure would bring)
    /// and so its floor, max(reservation, breakdown) capped at 1.
    pub fn set_breakdown(&mut self, values: &[f64]) {
        for a in 0..self.world.n_actors {
            self.breakdown[a] = values[a];
            self.floor[a] = self.world.reservation[a].max(values[a]).min(1.0);
        }
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
        if level < self.lowest[a] {
            self.lowest[a] = level;
        }
    }

    /// Every actor holds aspiration `level` and has held nothing lower (a protocol that sets
    /// aspirations itself, at the start of a run).
    pub fn reset_aspirations(&mut self, level: f64) {
        self.aspiration.fill(level);
        self.lowest.fill(level);
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
            &self.settled,
            &mut self.offer,
            out,
        );
    }

    /// Evaluates `point`, the round's `kind` proposal: every active actor's own utility, and
    /// the perceived utility of every active actor other than `proposer` and the mediators
    /// (effective utility,
    /// own utility for equilibrium players, plus a Normal(0, σ) draw when σ > 0: actor a's slot
    /// of this round in the perception stream, the mediators' text drawing from a second range
    /// of slots so that it disturbs no draw of the offers). The best proposal each actor has
    /// been made is what the table offers it ([`RunState::table_value`]).
    pub fn evaluate(&mut self, point: &[f64], proposer: Option<usize>, kind: Evaluation) {
        let n = self.world.n_actors;
        for a in 0..n {
            self.own_x[a] = if self.world.active[a] {
                self.own_utility(a, point)
            } else {
                self.own_q[a]
            };
        }
        for a in 0..n {
            // Equilibrium players evaluate by their own utility (the game's payoffs); mediators
            // do not weigh proposals (they table texts).
            let own = !self.world.active[a]
                || Some(a) == proposer
                || self.model.actors[a].role == Role::Mediator
                || matches!(self.model.actors[a].strategy, Strategy::Equilibrium);
            self.perceived[a] = if own {
                self.own_x[a]
            } else {
                effective_utility(&self.world, a, &self.own_x, &self.own_q)
            };
        }
        // The noise after the utilities: actor a's draws of the round are slot 2a (on the
        // offer) and 2a + 1 (on the mediators' text), taken together when the offer is evaluated
        // (the second kept for the text), so the round's draws follow each other.
        let sigma = self.world.perception_noise;
        if sigma > 0.0 {
            let round = self.round;
            for a in 0..n {
                let weighs = self.world.active[a] && self.model.actors[a].role != Role::Mediator;
                if !weighs {
                    continue;
                }
                match kind {
                    Evaluation::Offer { text_follows } => {
                        if Some(a) != proposer {
                            let z = self.streams.perception.standard_normal(round, 2 * a as u64);
                            self.perceived[a] += sigma * z;
                        }
                        if text_follows {
                            self.text_noise[a] = self
                                .streams
                                .perception
                                .standard_normal(round, 2 * a as u64 + 1);
                        }
                    }
                    Evaluation::MediatorText => {
                        if Some(a) != proposer {
                            self.perceived[a] += sigma * self.text_noise[a];
                        }
                    }
                }
            }
        }
        if self.stakeholders {
            self.stakeholder_shares(point);
        }
    }

    /// For the proposal at `point`: how far it moves from the status quo, Σ_j |x_j − q_j|, and
    /// each active stakeholder's salience on what it moves, σ_k(x) (engine docs), for
    /// [`RunState::pressure`]. A weighting of the movement, not a utility: the same under
    /// either `loss`.
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
            // The ally's share of the capability of everyone else at the table: what it can bring
            // to bear, independent of i's own capability.
            let weight = w.capability[k] / (self.capability_total - w.capability[i]);
            let approval = self.perceived[k] - self.expected_value[k];
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

    /// A war imposed `settlement` (the status quo but on `issues`, which force decided): it is
    /// the new status quo and those issues are settled.
    pub fn impose(&mut self, settlement: &[f64], issues: &[usize]) {
        self.world.status_quo.copy_from_slice(settlement);
        for &j in issues {
            self.settled[j] = true;
        }
        self.world_changed();
    }

    /// Each actor `k` pays `cost[k]` for a war it fought.
    pub fn pay(&mut self, cost: &[f64]) {
        for (paid, c) in self.war_cost.iter_mut().zip(cost) {
            *paid += c;
        }
    }

    /// A new war record for this run, reusing the memory of earlier runs' records.
    pub fn new_war(&mut self) -> &mut WarRecord {
        if self.war_count == self.wars.len() {
            let (n, m) = (self.world.n_actors, self.world.n_issues);
            self.wars.push(WarRecord::with_capacity(n, m));
        }
        self.war_count += 1;
        &mut self.wars[self.war_count - 1]
    }

    /// The wars of this run so far, in order.
    pub fn wars(&self) -> &[WarRecord] {
        &self.wars[..self.war_count]
    }

    /// Copies this run's wars into `out` (an outcome's list), reusing the records `out` holds
    /// and those it gave back before.
    pub fn copy_wars_into(&mut self, out: &mut Vec<WarRecord>) {
        while out.len() > self.war_count {
            if let Some(record) = out.pop() {
                self.spare_wars.push(record);
            }
        }
        for k in 0..self.war_count {
            if k == out.len() {
                let (n, m) = (self.world.n_actors, self.world.n_issues);
                out.push(
                    self.spare_wars
                        .pop()
                        .unwrap_or_else(|| WarRecord::with_capacity(n, m)),
                );
            }
            out[k].copy_from(&self.wars[k]);
        }
    }

    /// Every actor's value of breakdown.
    #[inline]
    pub fn breakdowns(&self) -> &[f64] {
        &self.breakdown
    }

    /// Every actor's floor.
    #[inline]
    pub fn floors(&self) -> &[f64] {
        &self.floor
    }

    /// Keeps every issue decided by force at the status quo in `point` (a proposal): talks go on
    /// over the rest. Pie shares left free are scaled down if the pie would overflow.
    pub fn freeze(&self, point: &mut [f64]) {
        if !self.settled.iter().any(|&s| s) {
            return;
        }
        let q = &self.world.status_quo;
        for (j, x) in point.iter_mut().enumerate() {
            if self.settled[j] {
                *x = q[j];
            }
        }
        let pie = &self.model.pie;
        if pie.is_empty() {
            return;
        }
        let (mut fixed, mut free) = (0.0, 0.0);
        for &j in pie {
            if self.settled[j] {
                fixed += point[j];
            } else {
                free += point[j];
            }
        }
        if fixed + free > 1.0 && free > 0.0 {
            let scale = (1.0 - fixed).max(0.0) / free;
            for &j in pie {
                if !self.settled[j] {
                    point[j] *= scale;
                }
            }
        }
    }

    /// Puts the status quo on options and inside the pie; recomputes every actor's utility scale
    /// and utility of the status quo, the expected settlement and its values (after sampling,
    /// events and wars). What the table offered is forgotten, and until the threat of force is
    /// assessed every actor's value of breakdown is its utility of the status quo.
    fn refresh_status_quo(&mut self) {
        fit_point(self.model, &mut self.world.status_quo);
        self.capability_total = (0..self.world.n_actors)
            .filter(|&a| self.world.active[a])
            .map(|a| self.world.capability[a])
            .sum();
        for a in 0..self.world.n_actors {
            self.scale[a] = utility_scale(&self.world, a);
            self.own_q[a] =
                own_utility_at_scale(&self.world, a, &self.world.status_quo, self.scale[a]);
        }
        self.table.copy_from_slice(&self.own_q);
        let base = std::mem::take(&mut self.own_scratch);
        let mut base = base;
        for a in 0..self.world.n_actors {
            base[a] = self.peaceful_breakdown(a);
        }
        self.set_breakdown(&base);
        self.own_scratch = base;
        self.refresh_expected();
    }

    /// The expected settlement: the capability × salience weighted mean of the active
    /// principals' ideal points, issue by issue (the status quo where none of them cares), on
    /// options and inside the pie, force-decided issues at the status quo; and each actor's
    /// effective utility of it (allocates nothing).
    fn refresh_expected(&mut self) {
        let w = &self.world;
        for j in 0..w.n_issues {
            let mut num = 0.0;
            let mut den = 0.0;
            for &i in &self.principals {
                if w.active[i] {
                    let c = w.capability[i] * w.salience(i, j);
                    num += c * w.position(i, j);
                    den += c;
                }
            }
            self.expected[j] = if den > 0.0 {
                num / den
            } else {
                w.status_quo[j]
            };
        }
        fit_point(self.model, &mut self.expected);
        let mut expected = std::mem::take(&mut self.expected);
        self.freeze(&mut expected);
        for a in 0..self.world.n_actors {
            self.own_scratch[a] = self.own_utility(a, &expected);
        }
        for a in 0..self.world.n_actors {
            self.expected_value[a] =
                effective_utility(&self.world, a, &self.own_scratch, &self.own_q);
        }
        self.expected = expected;
    }
}
