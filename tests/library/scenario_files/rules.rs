//! The rules of the scenario-language issue that a bundled file could break, checked on the raw
//! file so that the bundled scenarios are known to keep them (the validator checks them again,
//! with located messages).

use treaty::model::{Domain, Value};
use treaty::scenario::Scenario;
use treaty::scenario::schema::{
    AcceptanceSpec, EffectSpec, ProposerSpec, ProtocolSpec, RoleSpec, StrategySpec, TimingSpec,
};

/// The constant a number holds; panics on a distribution.
pub fn constant(v: &Value) -> f64 {
    match v {
        Value::Const(x) => *x,
        Value::Dist(d) => panic!("expected a constant, found {d:?}"),
    }
}

fn max_rounds(p: &ProtocolSpec) -> u32 {
    match p {
        ProtocolSpec::AlternatingOffers { max_rounds, .. }
        | ProtocolSpec::Mediated { max_rounds, .. }
        | ProtocolSpec::ExpectedUtility { max_rounds, .. } => *max_rounds,
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Every rule the scenario breaks, as readable lines; empty when it keeps them all.
pub fn rule_problems(s: &Scenario) -> Vec<String> {
    let mut p = Vec::new();
    let issue_ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    let actor_ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    for (kind, ids) in [("issue", &issue_ids), ("actor", &actor_ids)] {
        for (k, id) in ids.iter().enumerate() {
            if !valid_id(id) {
                p.push(format!(
                    "{kind} id {id:?} has characters outside [A-Za-z0-9_-]"
                ));
            }
            if ids[..k].contains(id) {
                p.push(format!("{kind} id {id} given twice"));
            }
        }
    }
    let roles = |id: &str| s.actors.iter().find(|a| a.id == id).map(|a| a.role);
    for i in &s.issues {
        if i.status_quo.check(Domain::UNIT).is_some() {
            p.push(format!("issue {}: status quo outside [0, 1]", i.id));
        }
        if i.options.windows(2).any(|w| w[0].at >= w[1].at) {
            p.push(format!("issue {}: options not strictly sorted", i.id));
        }
        if i.options.iter().any(|o| !(0.0..=1.0).contains(&o.at)) {
            p.push(format!("issue {}: option outside [0, 1]", i.id));
        }
        if !i.options.is_empty() {
            if let Value::Const(q) = i.status_quo {
                if !i.options.iter().any(|o| o.at == q) {
                    p.push(format!("issue {}: status quo {q} is not an option", i.id));
                }
            } else {
                p.push(format!("issue {}: uncertain status quo on options", i.id));
            }
        }
    }
    for a in &s.actors {
        if a.capability.check(Domain::POSITIVE).is_some() {
            p.push(format!("actor {}: capability", a.id));
        }
        if a.reservation.check(Domain::UNIT).is_some() {
            p.push(format!("actor {}: reservation", a.id));
        }
        let mut cares = false;
        let mut seen: Vec<&str> = Vec::new();
        for (key, st) in a.stances.iter() {
            if !issue_ids.contains(&key) {
                p.push(format!("actor {}: stance on unknown issue {key}", a.id));
            }
            if seen.contains(&key) {
                p.push(format!("actor {}: stance on {key} given twice", a.id));
            }
            seen.push(key);
            if st.position.check(Domain::UNIT).is_some() {
                p.push(format!("actor {}: position on {key}", a.id));
            }
            if st.salience.check(Domain::NON_NEGATIVE).is_some() {
                p.push(format!("actor {}: salience on {key}", a.id));
            }
            cares |= st.salience.central(Domain::NON_NEGATIVE) > 0.0;
        }
        if !cares {
            p.push(format!("actor {}: no positive salience anywhere", a.id));
        }
        let tactic = match &a.strategy {
            StrategySpec::Boulware { beta, kappa, .. } => Some(("Boulware", 0.0..1.0, beta, kappa)),
            StrategySpec::Conceder { beta, kappa, .. } => {
                Some(("Conceder", 1.0..f64::INFINITY, beta, kappa))
            }
            _ => None,
        };
        if let Some((family, range, beta, kappa)) = tactic {
            let b = constant(beta);
            if b <= 0.0 || !range.contains(&b) || !(0.0..1.0).contains(&constant(kappa)) {
                p.push(format!(
                    "actor {}: {family} beta {b} outside {range:?}",
                    a.id
                ));
            }
        }
    }
    if s.actors
        .iter()
        .filter(|a| a.role == RoleSpec::Principal)
        .count()
        < 2
    {
        p.push("fewer than two principals".into());
    }
    for r in &s.relations {
        for id in [&r.a, &r.b] {
            if !actor_ids.contains(&id.as_str()) {
                p.push(format!("relation names unknown actor {id}"));
            }
        }
        if r.a == r.b {
            p.push(format!("relation of {} to itself", r.a));
        }
        if r.strength.check(Domain::SIGNED_UNIT).is_some() {
            p.push(format!("relation {}-{}: strength", r.a, r.b));
        }
    }
    for id in &s.pie {
        if !issue_ids.contains(&id.as_str()) {
            p.push(format!("pie names unknown issue {id}"));
        }
    }
    let rounds = max_rounds(&s.protocol);
    match &s.protocol {
        ProtocolSpec::AlternatingOffers {
            proposer,
            acceptance,
            discount,
            ..
        } => {
            if let ProposerSpec::Order(order) = proposer {
                for id in order {
                    match roles(id) {
                        None => p.push(format!("proposer order names unknown actor {id}")),
                        Some(RoleSpec::Stakeholder) => {
                            p.push(format!("proposer order names stakeholder {id}"))
                        }
                        Some(_) => {}
                    }
                }
            }
            let principals = s
                .actors
                .iter()
                .filter(|a| a.role == RoleSpec::Principal)
                .count() as u32;
            if let AcceptanceSpec::Quota(k) = acceptance
                && !(1..=principals).contains(k)
            {
                p.push(format!("quota {k} with {principals} principals"));
            }
            for (id, d) in discount.iter() {
                if roles(id).is_none() {
                    p.push(format!("discount for unknown actor {id}"));
                }
                let x = constant(d);
                if !(x > 0.0 && x <= 1.0) {
                    p.push(format!("discount of {id} outside (0, 1]"));
                }
            }
        }
        ProtocolSpec::Mediated { mediator, .. } => {
            if roles(mediator) != Some(RoleSpec::Mediator) {
                p.push(format!(
                    "mediator {mediator} is not an actor with role Mediator"
                ));
            }
        }
        ProtocolSpec::ExpectedUtility { .. } => {}
    }
    if let Some(e) = &s.escalation {
        for id in e.initiators.iter().flatten() {
            if roles(id).is_none() {
                p.push(format!("escalation initiator {id} unknown"));
            }
        }
    }
    for e in &s.events {
        let (from, to) = match &e.at {
            TimingSpec::Round(r) => (*r, *r),
            TimingSpec::Window {
                from,
                to,
                probability,
            } => {
                if probability.check(Domain::UNIT).is_some() {
                    p.push(format!("event {:?}: probability", e.label));
                }
                (*from, *to)
            }
        };
        if from < 1 || from > to || to > rounds {
            p.push(format!("event {:?}: rounds outside 1..={rounds}", e.label));
        }
        if e.effects.is_empty() {
            p.push(format!("event {:?}: no effects", e.label));
        }
        for eff in &e.effects {
            let (actors, issues): (Vec<&String>, Vec<&String>) = match eff {
                EffectSpec::Capability { actor, .. } | EffectSpec::RemoveActor { actor } => {
                    (vec![actor], vec![])
                }
                EffectSpec::Salience { actor, issue, .. }
                | EffectSpec::Position { actor, issue, .. } => (vec![actor], vec![issue]),
                EffectSpec::Relation { a, b, .. } => (vec![a, b], vec![]),
                EffectSpec::StatusQuo { issue, .. } => (vec![], vec![issue]),
            };
            for id in actors {
                if roles(id).is_none() {
                    p.push(format!("event {:?} names unknown actor {id}", e.label));
                }
            }
            for id in issues {
                if !issue_ids.contains(&id.as_str()) {
                    p.push(format!("event {:?} names unknown issue {id}", e.label));
                }
            }
        }
    }
    p
}
