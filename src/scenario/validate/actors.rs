//! Issues, actors, relations and the pie.

use super::{
    Checker, Ids, MAX_ACTORS, MAX_ISSUES, MAX_LABEL_CHARS, MAX_NAME_CHARS, NON_NEGATIVE, POSITIVE,
    quoted, show_num, show_value,
};
use crate::model::{Actor, Family, Issue, IssueOption, Relation, Stance, Strategy, Tactic};
use crate::model::{Domain, Value};
use crate::scenario::schema::{FamilySpec, RoleSpec, Scenario, StrategySpec};

/// The domain a tactic's κ is checked against; a constant must also be < 1.
const KAPPA: Domain = Domain::UNIT;

/// Checks the issues and returns them.
/// `paths` are the issues' paths (by id where it is valid and unique).
pub(super) fn issues(c: &mut Checker, s: &Scenario, paths: &[String]) -> Vec<Issue> {
    if s.issues.is_empty() {
        c.problem("issues", "no issues", "1 to 1000 issues");
    } else if s.issues.len() > MAX_ISSUES {
        c.problem(
            "issues",
            format!("{} issues", s.issues.len()),
            "at most 1000 issues",
        );
    }
    c.unique(
        s.issues
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("{}.id", paths[i]), x.id.as_str())),
        "issue id",
    );
    let mut out = Vec::with_capacity(s.issues.len());
    for (i, spec) in s.issues.iter().enumerate() {
        let at = &paths[i];
        c.id(&format!("{at}.id"), &spec.id);
        c.text(format!("{at}.name"), &spec.name, "a name", MAX_NAME_CHARS);
        c.text(
            format!("{at}.low"),
            &spec.low,
            "a pole description",
            MAX_LABEL_CHARS,
        );
        c.text(
            format!("{at}.high"),
            &spec.high,
            "a pole description",
            MAX_LABEL_CHARS,
        );
        let status_quo = c.value(&format!("{at}.status_quo"), &spec.status_quo, Domain::UNIT);
        if spec.options.len() == 1 {
            c.problem(
                format!("{at}.options"),
                "1 option",
                "no options (a continuous issue) or at least 2",
            );
        }
        let mut options = Vec::with_capacity(spec.options.len());
        for (k, o) in spec.options.iter().enumerate() {
            let here = format!("{at}.options[{k}]");
            if !Domain::UNIT.contains(o.at) {
                c.problem(format!("{here}.at"), show_num(o.at), "a point in [0, 1]");
            } else if k > 0 && Domain::UNIT.contains(spec.options[k - 1].at) {
                let prev = spec.options[k - 1].at;
                if o.at == prev {
                    c.problem(
                        format!("{here}.at"),
                        format!("{} again (also options[{}])", show_num(o.at), k - 1),
                        "each point once, options sorted by `at`",
                    );
                } else if o.at < prev {
                    c.problem(
                        format!("{here}.at"),
                        format!("{} after {}", show_num(o.at), show_num(prev)),
                        "options sorted by `at`, in increasing order",
                    );
                }
            }
            if o.label.trim().is_empty() {
                c.problem(
                    format!("{here}.label"),
                    quoted(&o.label),
                    "a non-empty label",
                );
            }
            c.text(
                format!("{here}.label"),
                &o.label,
                "a label",
                MAX_LABEL_CHARS,
            );
            options.push(IssueOption {
                at: o.at,
                label: o.label.clone(),
            });
        }
        c.unique(
            spec.options
                .iter()
                .enumerate()
                .filter(|(_, o)| !o.label.trim().is_empty())
                .map(|(k, o)| (format!("{at}.options[{k}].label"), o.label.as_str())),
            "option label",
        );
        out.push(Issue {
            id: spec.id.clone(),
            name: spec.name.clone(),
            low: spec.low.clone(),
            high: spec.high.clone(),
            status_quo,
            options,
        });
    }
    out
}

/// Checks the actors and returns them (discount still 1: set from the protocol later).
/// `paths` are the actors' paths (by id where it is valid and unique).
pub(super) fn actors(
    c: &mut Checker,
    s: &Scenario,
    issue_ids: &Ids,
    paths: &[String],
) -> Vec<Actor> {
    if s.actors.len() > MAX_ACTORS {
        c.problem(
            "actors",
            format!("{} actors", s.actors.len()),
            "at most 1000 actors",
        );
    }
    c.unique(
        s.actors
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("{}.id", paths[i]), x.id.as_str())),
        "actor id",
    );
    let principals: Vec<&str> = s
        .actors
        .iter()
        .filter(|a| a.role == RoleSpec::Principal)
        .map(|a| a.id.as_str())
        .collect();
    if principals.len() < 2 {
        let found = match principals.as_slice() {
            [] => "no principal".to_string(),
            [one] => format!("1 principal ({one})"),
            _ => unreachable!("fewer than two"),
        };
        c.problem("actors", found, "at least 2 actors with role Principal");
    }

    let mut out = Vec::with_capacity(s.actors.len());
    for (i, spec) in s.actors.iter().enumerate() {
        let at = &paths[i];
        c.id(&format!("{at}.id"), &spec.id);
        c.text(format!("{at}.name"), &spec.name, "a name", MAX_NAME_CHARS);
        let capability = c.value(&format!("{at}.capability"), &spec.capability, POSITIVE);
        let risk = c.value(&format!("{at}.risk"), &spec.risk, POSITIVE);
        let reservation = c.value(
            &format!("{at}.reservation"),
            &spec.reservation,
            Domain::UNIT,
        );
        let strategy = strategy(c, at, &spec.strategy);
        let optimism = c.value(
            &format!("{at}.optimism"),
            &spec.optimism,
            Domain::SIGNED_UNIT,
        );

        c.unique(
            spec.stances
                .iter()
                .map(|(k, _)| (format!("{at}.stances[{}]", quoted(k)), k)),
            "issue in stances",
        );
        let mut any_salience = false;
        let before = c.problems.len();
        for (key, stance) in spec.stances.iter() {
            let here = format!("{at}.stances[{}]", quoted(key));
            c.resolve(&here, key, issue_ids);
            c.value(&format!("{here}.position"), &stance.position, Domain::UNIT);
            c.value(&format!("{here}.salience"), &stance.salience, NON_NEGATIVE);
            any_salience |= match stance.salience {
                Value::Const(x) => x > 0.0,
                Value::Dist(_) => true,
            };
        }
        // Only when the saliences are otherwise fine, and there are issues to care about.
        if !any_salience && c.problems.len() == before && !s.issues.is_empty() {
            let found = if spec.stances.is_empty() {
                "no stances"
            } else {
                "salience 0 on every issue"
            };
            c.problem(
                format!("{at}.stances"),
                found,
                "a salience > 0 on at least one issue",
            );
        }
        let mut given: std::collections::BTreeMap<&str, &crate::scenario::schema::StanceSpec> =
            Default::default();
        for (key, stance) in spec.stances.iter() {
            given.entry(key).or_insert(stance);
        }
        let stances = s
            .issues
            .iter()
            .map(|issue| match given.get(issue.id.as_str()) {
                Some(st) => Stance {
                    position: st.position,
                    salience: st.salience,
                },
                None => Stance {
                    position: Value::Const(0.5),
                    salience: Value::Const(0.0),
                },
            })
            .collect();
        out.push(Actor {
            id: spec.id.clone(),
            name: spec.name.clone(),
            role: spec.role.into(),
            capability,
            risk,
            reservation,
            strategy,
            discount: Value::Const(1.0),
            optimism,
            stances,
        });
    }
    out
}

/// Checks a strategy and returns the model's.
fn strategy(c: &mut Checker, at: &str, spec: &StrategySpec) -> Strategy {
    match spec {
        StrategySpec::Boulware {
            beta,
            kappa,
            family,
        } => {
            let path = format!("{at}.strategy.Boulware");
            let ok = c.value_in(&format!("{path}.beta"), beta, POSITIVE, "(0, 1)");
            let b = beta.central(POSITIVE);
            if ok && b >= 1.0 {
                let allowed = if beta.is_uncertain() {
                    "β in (0, 1) for Boulware: a distribution whose mean is below 1".to_string()
                } else if b == 1.0 {
                    "β in (0, 1) for Boulware (β = 1 concedes steadily: write `Linear`)".to_string()
                } else {
                    format!(
                        "β in (0, 1) for Boulware (β > 1 concedes early: write `Conceder(beta: {})`)",
                        show_value(beta)
                    )
                };
                c.problem(format!("{path}.beta"), show_value(beta), &allowed);
            }
            let (family, kappa) = self::kappa(c, &path, kappa, *family);
            Strategy::TimeDependent {
                tactic: Tactic::Boulware,
                family,
                beta: *beta,
                kappa,
            }
        }
        StrategySpec::Conceder {
            beta,
            kappa,
            family,
        } => {
            let path = format!("{at}.strategy.Conceder");
            let ok = c.value_in(&format!("{path}.beta"), beta, POSITIVE, "[1, 1e12]");
            let b = beta.central(POSITIVE);
            if ok && b < 1.0 {
                let allowed = if beta.is_uncertain() {
                    "β ≥ 1 for Conceder: a distribution whose mean is at least 1".to_string()
                } else {
                    format!(
                        "β ≥ 1 for Conceder (β < 1 holds out: write `Boulware(beta: {})`)",
                        show_value(beta)
                    )
                };
                c.problem(format!("{path}.beta"), show_value(beta), &allowed);
            }
            let (family, kappa) = self::kappa(c, &path, kappa, *family);
            Strategy::TimeDependent {
                tactic: Tactic::Conceder,
                family,
                beta: *beta,
                kappa,
            }
        }
        StrategySpec::Linear => Strategy::TimeDependent {
            tactic: Tactic::Linear,
            family: Family::Polynomial,
            beta: Value::Const(1.0),
            kappa: Value::Const(0.0),
        },
        StrategySpec::TitForTat => Strategy::TitForTat,
        StrategySpec::Hardliner => Strategy::Hardliner,
        StrategySpec::Equilibrium => Strategy::Equilibrium,
    }
}

/// Checks a tactic's κ: in [0, 1), and above 0 for the exponential family (whose curve
/// κ^((1 − t/T)^β) would otherwise hold at the ideal until the deadline whatever β). Returns the
/// model's family and κ.
fn kappa(c: &mut Checker, path: &str, kappa: &Value, family: FamilySpec) -> (Family, Value) {
    let here = format!("{path}.kappa");
    let ok = c.value_in(&here, kappa, KAPPA, "[0, 1)");
    if ok && matches!(kappa, Value::Const(x) if *x >= 1.0) {
        c.problem(
            here.clone(),
            show_value(kappa),
            "a number or distribution in [0, 1) (κ = 1 would concede everything at once)",
        );
    }
    let family = match family {
        FamilySpec::Polynomial => Family::Polynomial,
        FamilySpec::Exponential => Family::Exponential,
    };
    if ok && family == Family::Exponential && kappa.central(KAPPA) <= 0.0 {
        c.problem(
            here,
            show_value(kappa),
            "κ in (0, 1) for `family: Exponential` (its curve κ^((1 − t/T)^β) starts at κ; with \
             κ = 0 it would hold at the ideal until the deadline whatever β)",
        );
    }
    (family, *kappa)
}

/// Checks the relations and returns them as directed relations.
pub(super) fn relations(c: &mut Checker, s: &Scenario, actor_ids: &Ids) -> Vec<Relation> {
    let mut out = Vec::with_capacity(2 * s.relations.len());
    // Each directed pair (from, to) and the relation that first gave it.
    let mut given: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    for (k, r) in s.relations.iter().enumerate() {
        let at = format!("relations[{k}]");
        let a = c.resolve(&format!("{at}.a"), &r.a, actor_ids);
        let b = c.resolve(&format!("{at}.b"), &r.b, actor_ids);
        let strength = c.value(&format!("{at}.strength"), &r.strength, Domain::SIGNED_UNIT);
        let (Some(a), Some(b)) = (a, b) else { continue };
        if a == b {
            c.problem(
                format!("{at}.b"),
                format!("{} (the same actor as `a`)", quoted(&r.b)),
                "another actor: a relation links two different actors",
            );
            continue;
        }
        let pairs: &[(usize, usize)] = if r.directed {
            &[(a, b)]
        } else {
            &[(a, b), (b, a)]
        };
        let mut clash = None;
        for pair in pairs {
            match given.get(pair) {
                Some(first) => clash = clash.or(Some(*first)),
                None => {
                    given.insert(*pair, k);
                }
            }
        }
        if let Some(first) = clash {
            c.problem(
                at,
                format!("{}–{} again (also relations[{first}])", r.a, r.b),
                "each pair once (a symmetric relation already covers both directions)",
            );
            continue;
        }
        if r.directed {
            out.push(Relation {
                from: a,
                to: b,
                strength,
                key: format!("relation:{}>{}", r.a, r.b),
            });
        } else {
            let key = format!("relation:{}:{}", r.a, r.b);
            out.push(Relation {
                from: a,
                to: b,
                strength,
                key: key.clone(),
            });
            out.push(Relation {
                from: b,
                to: a,
                strength,
                key,
            });
        }
    }
    out
}

/// Checks the pie and returns its issue indices.
pub(super) fn pie(c: &mut Checker, s: &Scenario, issue_ids: &Ids) -> Vec<usize> {
    c.unique(
        s.pie
            .iter()
            .enumerate()
            .map(|(k, id)| (format!("pie[{k}]"), id.as_str())),
        "pie issue",
    );
    let mut out: Vec<usize> = Vec::with_capacity(s.pie.len());
    for (k, id) in s.pie.iter().enumerate() {
        let Some(j) = c.resolve(&format!("pie[{k}]"), id, issue_ids) else {
            continue;
        };
        if !s.issues[j].options.is_empty() {
            c.problem(
                format!("pie[{k}]"),
                format!("{} (an issue with options)", quoted(id)),
                "a continuous issue: pie shares are divisible",
            );
        }
        if !out.contains(&j) {
            out.push(j);
        }
    }
    let total: f64 = out
        .iter()
        .map(|&j| s.issues[j].status_quo.central(Domain::UNIT))
        .sum();
    if total > 1.0 + 1e-12 {
        c.problem(
            "pie",
            format!(
                "status quo shares summing to {}",
                show_num((total * 1e9).round() / 1e9)
            ),
            "status quo shares of the pie issues summing to at most 1",
        );
    }
    out
}
