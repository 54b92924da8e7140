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
//! | `actor:ID` | capability, risk, reservation, discount, beta, kappa, then per issue in file order: position, salience |
//! | `relation:A:B` | strength |
//! | `event:N` (N = index in file) | probability (windows), then each effect's amount in order |
//!
//! Each uncertain number is drawn by truncated inverse CDF (see [`crate::scenario::value`]).

use super::{Effect, Model, Protocol, Strategy};
use crate::rng::{Purpose, SimRng, owner_key};
use crate::scenario::value::{Domain, Value};

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
}

/// Draws the numbers of one owner in order: one uniform per number if any is uncertain.
struct OwnerDraws {
    rng: Option<SimRng>,
}

impl OwnerDraws {
    fn new(run: &SimRng, key: &str, values: &[&Value]) -> Self {
        let rng = values
            .iter()
            .any(|v| v.is_uncertain())
            .then(|| run.substream(Purpose::Sample(owner_key(key))));
        OwnerDraws { rng }
    }

    fn next(&mut self, v: &Value, domain: Domain) -> f64 {
        match &mut self.rng {
            Some(r) => {
                let u = r.next_open_unit();
                v.realise(domain, u)
            }
            None => v.central(domain),
        }
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
    pub fn sample(&self, run: &SimRng) -> World {
        let n_actors = self.actors.len();
        let n_issues = self.issues.len();
        let mut w = World {
            n_actors,
            n_issues,
            capability: Vec::with_capacity(n_actors),
            risk: Vec::with_capacity(n_actors),
            reservation: Vec::with_capacity(n_actors),
            discount: Vec::with_capacity(n_actors),
            beta: Vec::with_capacity(n_actors),
            kappa: Vec::with_capacity(n_actors),
            position: Vec::with_capacity(n_actors * n_issues),
            salience: Vec::with_capacity(n_actors * n_issues),
            relation: vec![0.0; n_actors * n_actors],
            status_quo: Vec::with_capacity(n_issues),
            active: vec![true; n_actors],
            perception_noise: 0.0,
            interdependence: 0.0,
            step: 0.0,
            war_cost: 0.0,
            imposition: 0.0,
            propensity: 0.0,
            event_probability: Vec::with_capacity(self.events.len()),
            effect_amount: Vec::with_capacity(self.events.len()),
        };

        let mut g = OwnerDraws::new(
            run,
            "global",
            &[&self.perception_noise, &self.interdependence],
        );
        w.perception_noise = g.next(&self.perception_noise, Domain::NON_NEGATIVE);
        w.interdependence = g.next(&self.interdependence, Domain::UNIT);

        if let Protocol::Mediated { step, .. } = &self.protocol {
            let mut p = OwnerDraws::new(run, "protocol", &[step]);
            w.step = p.next(step, Domain::closed(0.0, 1.0));
        }

        if let Some(e) = &self.escalation {
            let mut d =
                OwnerDraws::new(run, "escalation", &[&e.cost, &e.imposition, &e.propensity]);
            w.war_cost = d.next(&e.cost, Domain::UNIT);
            w.imposition = d.next(&e.imposition, Domain::UNIT);
            w.propensity = d.next(&e.propensity, Domain::UNIT);
        }

        for issue in &self.issues {
            let mut d = OwnerDraws::new(run, &format!("issue:{}", issue.id), &[&issue.status_quo]);
            w.status_quo.push(d.next(&issue.status_quo, Domain::UNIT));
        }

        let zero = Value::Const(0.0);
        let unit = Value::Const(1.0);
        for actor in &self.actors {
            let (beta, kappa) = match &actor.strategy {
                Strategy::TimeDependent { beta, kappa, .. } => (beta, kappa),
                _ => (&unit, &zero),
            };
            let mut values: Vec<&Value> = vec![
                &actor.capability,
                &actor.risk,
                &actor.reservation,
                &actor.discount,
                beta,
                kappa,
            ];
            for s in &actor.stances {
                values.push(&s.position);
                values.push(&s.salience);
            }
            let mut d = OwnerDraws::new(run, &format!("actor:{}", actor.id), &values);
            w.capability
                .push(d.next(&actor.capability, Domain::POSITIVE));
            w.risk.push(d.next(&actor.risk, Domain::POSITIVE));
            w.reservation.push(d.next(&actor.reservation, Domain::UNIT));
            w.discount
                .push(d.next(&actor.discount, Domain::closed(0.0, 1.0)));
            w.beta.push(d.next(beta, Domain::POSITIVE));
            w.kappa.push(d.next(kappa, Domain::UNIT));
            for s in &actor.stances {
                w.position.push(d.next(&s.position, Domain::UNIT));
                w.salience.push(d.next(&s.salience, Domain::NON_NEGATIVE));
            }
        }

        for r in &self.relations {
            let mut d = OwnerDraws::new(run, &r.key, &[&r.strength]);
            w.relation[r.from * n_actors + r.to] = d.next(&r.strength, Domain::SIGNED_UNIT);
        }

        for (n, event) in self.events.iter().enumerate() {
            let mut values: Vec<&Value> = Vec::new();
            if let super::Timing::Window { probability, .. } = &event.timing {
                values.push(probability);
            }
            values.extend(
                event
                    .effects
                    .iter()
                    .filter_map(|e| e.change().map(|c| c.amount())),
            );
            let mut d = OwnerDraws::new(run, &format!("event:{n}"), &values);
            let p = match &event.timing {
                super::Timing::Window { probability, .. } => d.next(probability, Domain::UNIT),
                super::Timing::Round(_) => 1.0,
            };
            w.event_probability.push(p);
            let amounts = event
                .effects
                .iter()
                .map(|e| match e.change() {
                    Some(c) => d.next(c.amount(), amount_domain(e)),
                    None => 0.0,
                })
                .collect();
            w.effect_amount.push(amounts);
        }
        w
    }
}

impl World {
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
}
