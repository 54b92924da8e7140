//! Events: timing, effects, and the amounts of their changes.

use super::{
    ANY, Checker, Ids, MAX_LABEL_CHARS, MAX_ROUNDS, NON_NEGATIVE, POSITIVE, quoted, show_domain,
};
use crate::model::Domain;
use crate::model::{Change, Effect, Event, Timing};
use crate::scenario::schema::{ChangeSpec, EffectSpec, Scenario, TimingSpec};

/// Checks the events and returns them.
pub(super) fn events(
    c: &mut Checker,
    s: &Scenario,
    actor_ids: &Ids,
    issue_ids: &Ids,
    max_rounds: u32,
) -> Vec<Event> {
    // A deadline that is itself wrong (reported with the protocol) is not held against events.
    let max_rounds = if (1..=MAX_ROUNDS).contains(&max_rounds) {
        max_rounds
    } else {
        MAX_ROUNDS
    };
    let mut out = Vec::with_capacity(s.events.len());
    let rounds = format!("a round in 1..={max_rounds} (the protocol's max_rounds)");
    for (n, spec) in s.events.iter().enumerate() {
        let at = format!("events[{n}]");
        c.text(
            format!("{at}.label"),
            &spec.label,
            "a label",
            MAX_LABEL_CHARS,
        );
        let timing = match &spec.at {
            TimingSpec::Round(r) => {
                if *r == 0 || *r > max_rounds {
                    c.problem(format!("{at}.at.Round"), r.to_string(), &rounds);
                }
                Timing::Round(*r)
            }
            TimingSpec::Window {
                from,
                to,
                probability,
            } => {
                let here = format!("{at}.at.Window");
                if *from == 0 || *from > max_rounds {
                    c.problem(format!("{here}.from"), from.to_string(), &rounds);
                }
                if *to == 0 || *to > max_rounds {
                    c.problem(format!("{here}.to"), to.to_string(), &rounds);
                }
                if from > to {
                    c.problem(
                        format!("{here}.to"),
                        format!("{to}, before from = {from}"),
                        "a last round no earlier than `from`",
                    );
                }
                let probability =
                    c.value(&format!("{here}.probability"), probability, Domain::UNIT);
                Timing::Window {
                    from: *from,
                    to: *to,
                    probability,
                }
            }
        };
        if spec.effects.is_empty() {
            c.problem(
                format!("{at}.effects"),
                "no effects",
                "at least one effect (an event that changes nothing is a mistake)",
            );
        }
        let effects = spec
            .effects
            .iter()
            .enumerate()
            .map(|(k, e)| effect(c, &format!("{at}.effects[{k}]"), e, actor_ids, issue_ids))
            .collect();
        out.push(Event {
            label: spec.label.clone(),
            timing,
            effects,
        });
    }
    out
}

/// Checks one effect.
fn effect(c: &mut Checker, at: &str, spec: &EffectSpec, actors: &Ids, issues: &Ids) -> Effect {
    let actor = |c: &mut Checker, path: String, id: &str| c.resolve(&path, id, actors);
    match spec {
        EffectSpec::Capability { actor: a, change } => {
            let at = format!("{at}.Capability");
            Effect::Capability {
                actor: actor(c, format!("{at}.actor"), a).unwrap_or(0),
                change: self::change(c, &at, change, POSITIVE),
            }
        }
        EffectSpec::Salience {
            actor: a,
            issue,
            change,
        } => {
            let at = format!("{at}.Salience");
            Effect::Salience {
                actor: actor(c, format!("{at}.actor"), a).unwrap_or(0),
                issue: c
                    .resolve(&format!("{at}.issue"), issue, issues)
                    .unwrap_or(0),
                change: self::change(c, &at, change, NON_NEGATIVE),
            }
        }
        EffectSpec::Position {
            actor: a,
            issue,
            change,
        } => {
            let at = format!("{at}.Position");
            Effect::Position {
                actor: actor(c, format!("{at}.actor"), a).unwrap_or(0),
                issue: c
                    .resolve(&format!("{at}.issue"), issue, issues)
                    .unwrap_or(0),
                change: self::change(c, &at, change, Domain::UNIT),
            }
        }
        EffectSpec::Relation {
            a,
            b,
            change,
            directed,
        } => {
            let at = format!("{at}.Relation");
            let from = actor(c, format!("{at}.a"), a);
            let to = actor(c, format!("{at}.b"), b);
            if from.is_some() && from == to {
                c.problem(
                    format!("{at}.b"),
                    format!("{} (the same actor as `a`)", quoted(b)),
                    "another actor: a relation links two different actors",
                );
            }
            Effect::Relation {
                from: from.unwrap_or(0),
                to: to.unwrap_or(0),
                change: self::change(c, &at, change, Domain::SIGNED_UNIT),
                directed: *directed,
            }
        }
        EffectSpec::StatusQuo { issue, change } => {
            let at = format!("{at}.StatusQuo");
            Effect::StatusQuo {
                issue: c
                    .resolve(&format!("{at}.issue"), issue, issues)
                    .unwrap_or(0),
                change: self::change(c, &at, change, Domain::UNIT),
            }
        }
        EffectSpec::RemoveActor { actor: a } => Effect::RemoveActor {
            actor: actor(c, format!("{at}.RemoveActor.actor"), a).unwrap_or(0),
        },
    }
}

/// Checks a change whose target lies in `target`.
fn change(c: &mut Checker, at: &str, spec: &ChangeSpec, target: Domain) -> Change {
    match spec {
        ChangeSpec::Set(v) => {
            let shown = format!("{} (the domain of what it sets)", show_domain(target));
            c.value_in(&format!("{at}.change.Set"), v, target, &shown);
            Change::Set(*v)
        }
        ChangeSpec::Add(v) => {
            c.value(&format!("{at}.change.Add"), v, ANY);
            Change::Add(*v)
        }
        ChangeSpec::Scale(v) => {
            c.value(&format!("{at}.change.Scale"), v, NON_NEGATIVE);
            Change::Scale(*v)
        }
    }
}
