//! The protocol (with the per-actor discount) and escalation.

use super::{Checker, Ids, quoted};
use crate::model::{Acceptance, Escalation, MAX_ROUNDS, MAX_ROUNDS_OTHER, Proposer, Protocol};
use crate::model::{Domain, Value};
use crate::scenario::schema::{AcceptanceSpec, ProposerSpec, ProtocolSpec, RoleSpec, Scenario};

/// (0, 1]: discount factors and the mediator's step.
const OPEN_UNIT: Domain = Domain {
    lo: 0.0,
    hi: 1.0,
    lo_open: true,
};

/// Actors' ids with a role, for messages.
fn with_role(s: &Scenario, role: RoleSpec) -> Vec<&str> {
    s.actors
        .iter()
        .filter(|a| a.role == role)
        .map(|a| a.id.as_str())
        .collect()
}

/// Checks the protocol; returns it and each actor's discount factor (in actor order).
pub(super) fn protocol(c: &mut Checker, s: &Scenario, actor_ids: &Ids) -> (Protocol, Vec<Value>) {
    let mut discount = vec![Value::Const(1.0); s.actors.len()];
    let protocol = match &s.protocol {
        ProtocolSpec::AlternatingOffers {
            max_rounds,
            proposer,
            acceptance,
            discount: given,
        } => {
            let at = "protocol.AlternatingOffers";
            c.max_rounds(&format!("{at}.max_rounds"), *max_rounds, MAX_ROUNDS);
            let proposer = match proposer {
                ProposerSpec::RoundRobin => Proposer::RoundRobin,
                ProposerSpec::PowerWeighted => Proposer::PowerWeighted,
                ProposerSpec::Order(ids) => {
                    let here = format!("{at}.proposer.Order");
                    if ids.is_empty() {
                        c.problem(&here, "an empty list", "at least one actor id");
                    }
                    let mut order = Vec::with_capacity(ids.len());
                    for (k, id) in ids.iter().enumerate() {
                        let path = format!("{here}[{k}]");
                        let Some(i) = c.resolve(&path, id, actor_ids) else {
                            continue;
                        };
                        if s.actors[i].role == RoleSpec::Stakeholder {
                            let mut can = with_role(s, RoleSpec::Principal);
                            can.extend(with_role(s, RoleSpec::Mediator));
                            c.problem(
                                path,
                                format!("{} (a Stakeholder)", quoted(id)),
                                &format!(
                                    "a Principal or Mediator (stakeholders do not propose): one of {}",
                                    can.join(", ")
                                ),
                            );
                        }
                        order.push(i);
                    }
                    Proposer::Order(order)
                }
            };
            let principals = with_role(s, RoleSpec::Principal).len();
            let acceptance = match acceptance {
                AcceptanceSpec::Unanimous => Acceptance::Unanimous,
                AcceptanceSpec::Quota(k) => {
                    if *k == 0 || *k as usize > principals {
                        c.problem(
                            format!("{at}.acceptance.Quota"),
                            k.to_string(),
                            &format!("a quota in 1..={principals} (the number of principals)"),
                        );
                    }
                    Acceptance::Quota(*k)
                }
            };
            c.unique(
                given
                    .iter()
                    .map(|(k, _)| (format!("{at}.discount[{}]", quoted(k)), k)),
                "actor in discount",
            );
            for (id, d) in given.iter() {
                let path = format!("{at}.discount[{}]", quoted(id));
                let i = c.resolve(&path, id, actor_ids);
                c.value(&path, d, OPEN_UNIT);
                if let Some(i) = i
                    && discount[i] == Value::Const(1.0)
                {
                    discount[i] = *d;
                }
            }
            Protocol::AlternatingOffers {
                max_rounds: *max_rounds,
                proposer,
                acceptance,
            }
        }
        ProtocolSpec::Mediated {
            mediator,
            text,
            step,
            max_rounds,
            disagreement,
        } => {
            let at = "protocol.Mediated";
            c.max_rounds(&format!("{at}.max_rounds"), *max_rounds, MAX_ROUNDS_OTHER);
            let step = c.value(&format!("{at}.step"), step, OPEN_UNIT);
            let mediators = with_role(s, RoleSpec::Mediator);
            let allowed = if mediators.is_empty() {
                "the id of an actor with role Mediator (no actor has that role)".to_string()
            } else {
                format!(
                    "an actor with role Mediator: one of {}",
                    mediators.join(", ")
                )
            };
            let path = format!("{at}.mediator");
            let index = match actor_ids.get(mediator) {
                None => {
                    c.problem(&path, quoted(mediator), &allowed);
                    0
                }
                Some(i) => {
                    let role = s.actors[i].role;
                    if role != RoleSpec::Mediator {
                        c.problem(
                            &path,
                            format!("{} (a {role:?})", quoted(mediator)),
                            &allowed,
                        );
                    }
                    i
                }
            };
            Protocol::Mediated {
                mediator: index,
                text: (*text).into(),
                step,
                max_rounds: *max_rounds,
                disagreement: (*disagreement).into(),
            }
        }
        ProtocolSpec::ExpectedUtility {
            max_rounds,
            variant,
        } => {
            c.max_rounds(
                "protocol.ExpectedUtility.max_rounds",
                *max_rounds,
                MAX_ROUNDS_OTHER,
            );
            Protocol::ExpectedUtility {
                max_rounds: *max_rounds,
                variant: (*variant).into(),
            }
        }
    };
    (protocol, discount)
}

/// Checks escalation; returns it if force is allowed.
pub(super) fn escalation(
    c: &mut Checker,
    s: &Scenario,
    actor_ids: &Ids,
    issue_ids: &Ids,
) -> Option<Escalation> {
    let spec = s.escalation.as_ref()?;
    let cost = c.value("escalation.cost", &spec.cost, Domain::UNIT);
    let imposition = c.value("escalation.imposition", &spec.imposition, Domain::UNIT);
    let propensity = c.value("escalation.propensity", &spec.propensity, Domain::UNIT);
    let initiators = match &spec.initiators {
        None => s
            .actors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.role == RoleSpec::Principal)
            .map(|(i, _)| i)
            .collect(),
        Some(ids) => {
            c.unique(
                ids.iter()
                    .enumerate()
                    .map(|(k, id)| (format!("escalation.initiators[{k}]"), id.as_str())),
                "initiator",
            );
            let mut out: Vec<usize> = Vec::with_capacity(ids.len());
            for (k, id) in ids.iter().enumerate() {
                if let Some(i) = c.resolve(&format!("escalation.initiators[{k}]"), id, actor_ids)
                    && !out.contains(&i)
                {
                    out.push(i);
                }
            }
            out
        }
    };
    let issues = match &spec.issues {
        None => (0..s.issues.len()).collect(),
        Some(ids) => {
            if ids.is_empty() {
                c.problem(
                    "escalation.issues",
                    "an empty list".to_string(),
                    "the ids of the issues force can decide, or no `issues` field (every issue)",
                );
            }
            c.unique(
                ids.iter()
                    .enumerate()
                    .map(|(k, id)| (format!("escalation.issues[{k}]"), id.as_str())),
                "issue",
            );
            let mut out: Vec<usize> = Vec::with_capacity(ids.len());
            for (k, id) in ids.iter().enumerate() {
                if let Some(j) = c.resolve(&format!("escalation.issues[{k}]"), id, issue_ids)
                    && !out.contains(&j)
                {
                    out.push(j);
                }
            }
            out.sort_unstable();
            out
        }
    };
    spec.allowed.then_some(Escalation {
        cost,
        imposition,
        propensity,
        initiators,
        issues,
    })
}
