//! One run's realisation of a model: every number concrete.
//!
//! # Sampling order (part of the determinism promise)
//!
//! Each owner of uncertain numbers draws from its own region of the run's stream
//! ([`Purpose::Sample`] keyed by the owner's text key, see [`crate::rng`]). Inside the region every
//! number of the owner takes exactly one uniform draw, in this order, whether it is uncertain or
//! not (a constant discards its draw); an owner with no uncertain number draws nothing.
//!
//! | owner key | numbers, in order |
//! |---|---|
//! | `global` | perception_noise, interdependence |
//! | `protocol` | step (Mediated) |
//! | `escalation` | cost, imposition, propensity |
//! | `issue:ID` | status_quo |
//! | `actor:ID` | capability, risk, reservation, discount, beta, kappa, then per issue in file order: position, salience; then optimism |
//! | `relation:A:B` | strength |
//! | `event:N` (N = index in file) | probability (windows), then each effect's amount in order |
//!
//! Each uncertain number is drawn by truncated inverse CDF (see [`crate::model::value`]).
//!
//! A batch works out the owners once per model ([`SamplePlan`]: the hashed keys, which owners
//! draw at all, the truncation bounds F(a) and F(b) of every distribution, a template world
//! holding the constants), so a run's sampling formats nothing and allocates nothing; it draws
//! exactly the numbers above, in the same order.

use super::{Domain, Truncated, Value};
use super::{Effect, Loss, Model, Protocol, Strategy};
use crate::rng::{Purpose, SimRng, owner_key};

/// The concrete numbers of one run. Actor × issue tables are row-major by actor
/// (`position[actor * n_issues + issue]`); `relation[from * n_actors + to]` is `from`'s regard for
/// `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    /// Number of actors.
    pub n_actors: usize,
    /// Number of issues.
    pub n_issues: usize,
    /// Capability per actor.
    pub capability: Vec<f64>,
    /// Risk exponent per actor.
    pub risk: Vec<f64>,
    /// Reservation utility per actor.
    pub reservation: Vec<f64>,
    /// Discount factor per actor.
    pub discount: Vec<f64>,
    /// Tactic β per actor (1 for non-time-dependent strategies).
    pub beta: Vec<f64>,
    /// Tactic κ per actor (0 for non-time-dependent strategies).
    pub kappa: Vec<f64>,
    /// Optimism per actor: the shift of the win probability it perceives.
    pub optimism: Vec<f64>,
    /// Ideal positions, actor × issue.
    pub position: Vec<f64>,
    /// Saliences, actor × issue.
    pub salience: Vec<f64>,
    /// Relation strengths, actor × actor.
    pub relation: Vec<f64>,
    /// Status quo per issue.
    pub status_quo: Vec<f64>,
    /// Whether each actor is still at the table.
    pub active: Vec<bool>,
    /// Perception noise sd.
    pub perception_noise: f64,
    /// Interdependence λ.
    pub interdependence: f64,
    /// Mediated amendment step (0 for other protocols).
    pub step: f64,
    /// Escalation cost, imposition, propensity (0 without escalation).
    pub war_cost: f64,
    /// How far winners' positions are imposed.
    pub imposition: f64,
    /// Probability per round of escalating when force looks better.
    pub propensity: f64,
    /// Per event: probability per round (1 for scheduled events).
    pub event_probability: Vec<f64>,
    /// Per event, per effect: the realised amount of its change (0 for `RemoveActor`).
    pub effect_amount: Vec<Vec<f64>>,
    /// How utility falls with distance (the model's, never sampled).
    pub loss: Loss,
}

/// Where a sampled number goes in a [`World`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    PerceptionNoise,
    Interdependence,
    Step,
    WarCost,
    Imposition,
    Propensity,
    StatusQuo(usize),
    Capability(usize),
    Risk(usize),
    Reservation(usize),
    Discount(usize),
    Beta(usize),
    Kappa(usize),
    Optimism(usize),
    /// Index into the actor × issue table.
    Position(usize),
    /// Index into the actor × issue table.
    Salience(usize),
    /// Index into the actor × actor table.
    Relation(usize),
    EventProbability(usize),
    /// Event, effect.
    EffectAmount(usize, usize),
}

/// One number of an owner with uncertain numbers: it takes one draw; a constant discards it.
#[derive(Debug, Clone, Copy)]
struct Draw {
    /// The truncated distribution, `None` for a constant (already in the template).
    dist: Option<Truncated>,
    /// Where the value goes.
    slot: Slot,
    /// A second place for the same value (the other direction of a symmetric relation, which
    /// shares its owner key and so its draw).
    mirror: Option<Slot>,
}

/// An owner with at least one uncertain number: its region and its draws, in order.
#[derive(Debug, Clone)]
struct Owner {
    /// FNV-1a hash of the owner's text key.
    key: u64,
    draws: std::ops::Range<usize>,
}

/// How to draw the worlds of one model, worked out once ([`SamplePlan::new`]) and used for every
/// run: a template world holding every constant, and for each owner with an uncertain number its
/// hashed key and its numbers in the documented order (module docs), each with its truncated
/// distribution ready ([`Truncated`]). [`SamplePlan::sample_into`] then makes a run's world with
/// no formatting, no hashing and no allocation, drawing exactly the numbers
/// [`Model::sample`] draws.
#[derive(Debug, Clone)]
pub struct SamplePlan {
    template: World,
    owners: Vec<Owner>,
    draws: Vec<Draw>,
}

impl SamplePlan {
    /// The plan of `model`.
    pub fn new(model: &Model) -> Self {
        let n_actors = model.actors.len();
        let n_issues = model.issues.len();
        let template = World {
            n_actors,
            n_issues,
            capability: vec![0.0; n_actors],
            risk: vec![0.0; n_actors],
            reservation: vec![0.0; n_actors],
            discount: vec![0.0; n_actors],
            beta: vec![0.0; n_actors],
            kappa: vec![0.0; n_actors],
            optimism: vec![0.0; n_actors],
            position: vec![0.0; n_actors * n_issues],
            salience: vec![0.0; n_actors * n_issues],
            relation: vec![0.0; n_actors * n_actors],
            status_quo: vec![0.0; n_issues],
            active: vec![true; n_actors],
            perception_noise: 0.0,
            interdependence: 0.0,
            step: 0.0,
            war_cost: 0.0,
            imposition: 0.0,
            propensity: 0.0,
            event_probability: vec![1.0; model.events.len()],
            effect_amount: model
                .events
                .iter()
                .map(|e| vec![0.0; e.effects.len()])
                .collect(),
            loss: model.loss,
        };
        let mut plan = SamplePlan {
            template,
            owners: Vec::new(),
            draws: Vec::new(),
        };

        plan.owner(
            || "global".to_string(),
            &[
                (
                    &model.perception_noise,
                    Domain::NON_NEGATIVE,
                    Slot::PerceptionNoise,
                ),
                (&model.interdependence, Domain::UNIT, Slot::Interdependence),
            ],
        );
        if let Protocol::Mediated { step, .. } = &model.protocol {
            plan.owner(
                || "protocol".to_string(),
                &[(step, Domain::closed(0.0, 1.0), Slot::Step)],
            );
        }
        if let Some(e) = &model.escalation {
            plan.owner(
                || "escalation".to_string(),
                &[
                    (&e.cost, Domain::UNIT, Slot::WarCost),
                    (&e.imposition, Domain::UNIT, Slot::Imposition),
                    (&e.propensity, Domain::UNIT, Slot::Propensity),
                ],
            );
        }
        for (j, issue) in model.issues.iter().enumerate() {
            plan.owner(
                || format!("issue:{}", issue.id),
                &[(&issue.status_quo, Domain::UNIT, Slot::StatusQuo(j))],
            );
        }

        let zero = Value::Const(0.0);
        let unit = Value::Const(1.0);
        let mut numbers = Vec::new();
        for (a, actor) in model.actors.iter().enumerate() {
            let (beta, kappa) = match &actor.strategy {
                Strategy::TimeDependent { beta, kappa, .. } => (beta, kappa),
                _ => (&unit, &zero),
            };
            numbers.clear();
            numbers.extend([
                (&actor.capability, Domain::POSITIVE, Slot::Capability(a)),
                (&actor.risk, Domain::POSITIVE, Slot::Risk(a)),
                (&actor.reservation, Domain::UNIT, Slot::Reservation(a)),
                (&actor.discount, Domain::closed(0.0, 1.0), Slot::Discount(a)),
                (beta, Domain::POSITIVE, Slot::Beta(a)),
                (kappa, Domain::UNIT, Slot::Kappa(a)),
            ]);
            for (j, s) in actor.stances.iter().enumerate() {
                let at = a * n_issues + j;
                numbers.push((&s.position, Domain::UNIT, Slot::Position(at)));
                numbers.push((&s.salience, Domain::NON_NEGATIVE, Slot::Salience(at)));
            }
            // Last, so that a scenario without it draws every other number as before.
            numbers.push((&actor.optimism, Domain::SIGNED_UNIT, Slot::Optimism(a)));
            plan.owner(|| format!("actor:{}", actor.id), &numbers);
        }

        let mut last: Option<&super::Relation> = None;
        for r in &model.relations {
            let slot = Slot::Relation(r.from * n_actors + r.to);
            // The two directions of a symmetric relation follow each other with one key and one
            // strength: the second takes the first's value.
            if let Some(prev) = last
                && prev.key == r.key
                && prev.strength == r.strength
            {
                let value = *plan
                    .template
                    .slot(Slot::Relation(prev.from * n_actors + prev.to));
                *plan.template.slot(slot) = value;
                if r.strength.is_uncertain()
                    && let Some(d) = plan.draws.last_mut()
                {
                    d.mirror = Some(slot);
                }
                last = None;
                continue;
            }
            plan.owner(
                || r.key.clone(),
                &[(&r.strength, Domain::SIGNED_UNIT, slot)],
            );
            last = Some(r);
        }

        for (e, event) in model.events.iter().enumerate() {
            numbers.clear();
            if let super::Timing::Window { probability, .. } = &event.timing {
                numbers.push((probability, Domain::UNIT, Slot::EventProbability(e)));
            }
            for (f, effect) in event.effects.iter().enumerate() {
                if let Some(c) = effect.change() {
                    numbers.push((c.amount(), amount_domain(effect), Slot::EffectAmount(e, f)));
                }
            }
            plan.owner(|| format!("event:{e}"), &numbers);
        }
        plan
    }

    /// Adds one owner's numbers, in order: constants (and the central values of uncertain
    /// numbers) into the template, and, if any number is uncertain, the owner's draws.
    fn owner(&mut self, key: impl FnOnce() -> String, numbers: &[(&Value, Domain, Slot)]) {
        for &(v, domain, slot) in numbers {
            *self.template.slot(slot) = v.central(domain);
        }
        if !numbers.iter().any(|(v, _, _)| v.is_uncertain()) {
            return;
        }
        let start = self.draws.len();
        for &(v, domain, slot) in numbers {
            let dist = match *v {
                Value::Dist(d) => Some(Truncated::new(d, domain)),
                Value::Const(_) => None,
            };
            self.draws.push(Draw {
                dist,
                slot,
                mirror: None,
            });
        }
        self.owners.push(Owner {
            key: owner_key(&key()),
            draws: start..self.draws.len(),
        });
    }

    /// A world of the plan's shape (every constant in place; uncertain numbers at their
    /// central values until drawn).
    pub fn world(&self) -> World {
        self.template.clone()
    }

    /// Draws this run's world from the run's generator into `world` (a world of this plan,
    /// e.g. from [`SamplePlan::world`]), reusing its memory. The same numbers as
    /// [`Model::sample`].
    pub fn sample_into(&self, run: &SimRng, world: &mut World) {
        world.copy_from(&self.template);
        if self.owners.is_empty() {
            return;
        }
        let mut rng = run.clone();
        for owner in &self.owners {
            rng.seek(Purpose::Sample(owner.key));
            for d in &self.draws[owner.draws.clone()] {
                let u = rng.next_open_unit();
                if let Some(t) = &d.dist {
                    let x = t.at(u);
                    *world.slot(d.slot) = x;
                    if let Some(m) = d.mirror {
                        *world.slot(m) = x;
                    }
                }
            }
        }
    }
}

/// One uncertain number of a model: the override path that names it and where a [`World`]
/// holds it ([`SamplePlan::inputs`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// The path an override would set it by, e.g. `actors.RUS.capability`,
    /// `actors.ARM.stances.I1.position`, `issues.I1.status_quo`, `escalation.cost`.
    pub name: String,
    slot: Slot,
}

impl Input {
    /// Its value in `world` (a world of the plan's model).
    pub fn value(&self, world: &World) -> f64 {
        world.get(self.slot)
    }
}

impl SamplePlan {
    /// Every uncertain number of `model` (the model of this plan), in the order they are drawn;
    /// the second direction of a symmetric relation, which takes the first's draw, is not listed
    /// again.
    pub fn inputs(&self, model: &Model) -> Vec<Input> {
        let actor = |a: usize| model.actors[a].id.as_str();
        let m = model.issues.len().max(1);
        let n = model.actors.len().max(1);
        self.draws
            .iter()
            .filter(|d| d.dist.is_some())
            .map(|d| {
                let name = match d.slot {
                    Slot::PerceptionNoise => "perception_noise".to_string(),
                    Slot::Interdependence => "interdependence".to_string(),
                    Slot::Step => "protocol.step".to_string(),
                    Slot::WarCost => "escalation.cost".to_string(),
                    Slot::Imposition => "escalation.imposition".to_string(),
                    Slot::Propensity => "escalation.propensity".to_string(),
                    Slot::StatusQuo(j) => format!("issues.{}.status_quo", model.issues[j].id),
                    Slot::Capability(a) => format!("actors.{}.capability", actor(a)),
                    Slot::Risk(a) => format!("actors.{}.risk", actor(a)),
                    Slot::Reservation(a) => format!("actors.{}.reservation", actor(a)),
                    Slot::Discount(a) => format!("protocol.discount.{}", actor(a)),
                    Slot::Beta(a) => format!("actors.{}.strategy.beta", actor(a)),
                    Slot::Kappa(a) => format!("actors.{}.strategy.kappa", actor(a)),
                    Slot::Optimism(a) => format!("actors.{}.optimism", actor(a)),
                    Slot::Position(k) => format!(
                        "actors.{}.stances.{}.position",
                        actor(k / m),
                        model.issues[k % m].id
                    ),
                    Slot::Salience(k) => format!(
                        "actors.{}.stances.{}.salience",
                        actor(k / m),
                        model.issues[k % m].id
                    ),
                    Slot::Relation(k) => {
                        format!("relations.{}-{}.strength", actor(k / n), actor(k % n))
                    }
                    Slot::EventProbability(e) => format!("events.{e}.probability"),
                    Slot::EffectAmount(e, f) => format!("events.{e}.effects.{f}.amount"),
                };
                Input { name, slot: d.slot }
            })
            .collect()
    }
}

/// The domain of an effect's amount.
fn amount_domain(effect: &Effect) -> Domain {
    use super::Change;
    let change = effect.change();
    match (effect, change) {
        (_, Some(Change::Scale(_))) => Domain::NON_NEGATIVE,
        (_, Some(Change::Add(_))) => Domain::closed(f64::MIN, f64::MAX),
        (Effect::Capability { .. }, _) => Domain::POSITIVE,
        (Effect::Relation { .. }, _) => Domain::SIGNED_UNIT,
        (Effect::Salience { .. }, _) => Domain::NON_NEGATIVE,
        _ => Domain::UNIT,
    }
}

impl Model {
    /// Draws this run's world from the run's generator (see the module docs for the order).
    /// A batch makes a [`SamplePlan`] once and calls [`SamplePlan::sample_into`] instead.
    pub fn sample(&self, run: &SimRng) -> World {
        let plan = SamplePlan::new(self);
        let mut w = plan.world();
        plan.sample_into(run, &mut w);
        w
    }
}

impl World {
    /// The number at `slot`.
    fn get(&self, slot: Slot) -> f64 {
        match slot {
            Slot::PerceptionNoise => self.perception_noise,
            Slot::Interdependence => self.interdependence,
            Slot::Step => self.step,
            Slot::WarCost => self.war_cost,
            Slot::Imposition => self.imposition,
            Slot::Propensity => self.propensity,
            Slot::StatusQuo(j) => self.status_quo[j],
            Slot::Capability(a) => self.capability[a],
            Slot::Risk(a) => self.risk[a],
            Slot::Reservation(a) => self.reservation[a],
            Slot::Discount(a) => self.discount[a],
            Slot::Beta(a) => self.beta[a],
            Slot::Kappa(a) => self.kappa[a],
            Slot::Optimism(a) => self.optimism[a],
            Slot::Position(k) => self.position[k],
            Slot::Salience(k) => self.salience[k],
            Slot::Relation(k) => self.relation[k],
            Slot::EventProbability(e) => self.event_probability[e],
            Slot::EffectAmount(e, f) => self.effect_amount[e][f],
        }
    }

    fn slot(&mut self, slot: Slot) -> &mut f64 {
        match slot {
            Slot::PerceptionNoise => &mut self.perception_noise,
            Slot::Interdependence => &mut self.interdependence,
            Slot::Step => &mut self.step,
            Slot::WarCost => &mut self.war_cost,
            Slot::Imposition => &mut self.imposition,
            Slot::Propensity => &mut self.propensity,
            Slot::StatusQuo(j) => &mut self.status_quo[j],
            Slot::Capability(a) => &mut self.capability[a],
            Slot::Risk(a) => &mut self.risk[a],
            Slot::Reservation(a) => &mut self.reservation[a],
            Slot::Discount(a) => &mut self.discount[a],
            Slot::Beta(a) => &mut self.beta[a],
            Slot::Kappa(a) => &mut self.kappa[a],
            Slot::Optimism(a) => &mut self.optimism[a],
            Slot::Position(k) => &mut self.position[k],
            Slot::Salience(k) => &mut self.salience[k],
            Slot::Relation(k) => &mut self.relation[k],
            Slot::EventProbability(e) => &mut self.event_probability[e],
            Slot::EffectAmount(e, f) => &mut self.effect_amount[e][f],
        }
    }

    /// Makes this world a copy of `other`, a world of the same model, reusing its memory.
    pub fn copy_from(&mut self, other: &World) {
        self.n_actors = other.n_actors;
        self.n_issues = other.n_issues;
        self.capability.clone_from(&other.capability);
        self.risk.clone_from(&other.risk);
        self.reservation.clone_from(&other.reservation);
        self.discount.clone_from(&other.discount);
        self.beta.clone_from(&other.beta);
        self.kappa.clone_from(&other.kappa);
        self.optimism.clone_from(&other.optimism);
        self.position.clone_from(&other.position);
        self.salience.clone_from(&other.salience);
        self.relation.clone_from(&other.relation);
        self.status_quo.clone_from(&other.status_quo);
        self.active.clone_from(&other.active);
        self.perception_noise = other.perception_noise;
        self.interdependence = other.interdependence;
        self.step = other.step;
        self.war_cost = other.war_cost;
        self.imposition = other.imposition;
        self.propensity = other.propensity;
        self.event_probability.clone_from(&other.event_probability);
        self.effect_amount.clone_from(&other.effect_amount);
        self.loss = other.loss;
    }

    /// Actor `a`'s ideal position on issue `j`.
    #[inline]
    pub fn position(&self, a: usize, j: usize) -> f64 {
        self.position[a * self.n_issues + j]
    }

    /// Actor `a`'s salience on issue `j`.
    #[inline]
    pub fn salience(&self, a: usize, j: usize) -> f64 {
        self.salience[a * self.n_issues + j]
    }

    /// Actor `from`'s regard for actor `to`.
    #[inline]
    pub fn relation(&self, from: usize, to: usize) -> f64 {
        self.relation[from * self.n_actors + to]
    }

    /// Every per-actor, per-issue, per-relation and per-effect number of the run, for checks
    /// that a world holds only finite values.
    pub fn numbers(&self) -> impl Iterator<Item = &f64> {
        self.capability
            .iter()
            .chain(&self.risk)
            .chain(&self.reservation)
            .chain(&self.optimism)
            .chain(&self.position)
            .chain(&self.salience)
            .chain(&self.relation)
            .chain(&self.status_quo)
            .chain(self.effect_amount.iter().flatten())
    }
}
