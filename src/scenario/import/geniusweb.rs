//! GeniusWeb linear additive profiles (JSON).
//!
//! A GeniusWeb profile (Pronk & Jonker, GeniusWeb documentation, `geniusweb.profile.
//! utilityspace.LinearAdditiveUtilitySpace`) carries its own domain:
//!
//! ```text
//! {"LinearAdditiveUtilitySpace": {
//!   "name": "party1",
//!   "domain": {"name": "party", "issuesValues": {
//!       "Food": {"values": ["Chips", "Catering"]},
//!       "Guests": {"range": {"low": 10, "high": 50, "step": 10}}}},
//!   "issueUtilities": {
//!       "Food": {"discreteutils": {"valueUtilities": {"Chips": 0.2, "Catering": 1}}},
//!       "Guests": {"numberutils": {"lowValue": 10, "lowUtility": 1,
//!                                  "highValue": 50, "highUtility": 0}}},
//!   "issueWeights": {"Food": 0.6, "Guests": 0.4},
//!   "reservationBid": {"issuevalues": {"Food": "Chips", "Guests": 50}}}}
//! ```
//!
//! Utilities follow GeniusWeb's reading: U(bid) = Σ_j w_j u_j(v_j); a discrete value missing
//! from `valueUtilities` is worth 0 (said on stderr); a number between `lowValue` and
//! `highValue` is interpolated linearly, one outside is worth 0. A range may also be written
//! `[low, high, step]`. The reservation value is U of the `reservationBid` (an issue it leaves
//! out counts 0), none without one. GeniusWeb profiles have no discount factor (time is the
//! protocol's). Every profile must carry the same domain (the issues in the first profile's
//! order). A profile of another kind (`SumOfGroupsUtilitySpace`, a partial ordering, ...) is
//! refused.

use super::Template;
use super::additive::{Domain, Evaluation, Issue, Profile, Values};
use super::genius::{DomainOptions, ImportedDomain, finish, id_of, read_text, whole};
use super::json::{self, Json, Pos, Value};
use crate::scenario::error::ScenarioError;
use std::path::{Path, PathBuf};

/// A located error.
fn at(file: &str, pos: Pos, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Table {
        file: file.to_string(),
        line: pos.line,
        column: pos.column,
        message: message.into(),
    }
}

/// The object items of `j`, or an error naming `what`.
fn object<'a>(
    file: &str,
    j: &'a Json,
    what: &str,
) -> Result<&'a [(String, Pos, Json)], ScenarioError> {
    match &j.value {
        Value::Object(items) => Ok(items),
        _ => Err(at(
            file,
            j.pos,
            format!("{what}: expected an object, found {}", j.kind()),
        )),
    }
}

/// A required key of an object.
fn key<'a>(file: &str, j: &'a Json, name: &str, what: &str) -> Result<&'a Json, ScenarioError> {
    object(file, j, what)?;
    j.get(name)
        .ok_or_else(|| at(file, j.pos, format!("{what}: no `{name}`")))
}

/// A finite number.
fn number(file: &str, j: &Json, what: &str) -> Result<f64, ScenarioError> {
    match &j.value {
        Value::Number(x, _) => Ok(*x),
        _ => Err(at(
            file,
            j.pos,
            format!("{what}: expected a number, found {}", j.kind()),
        )),
    }
}

/// A discrete value or a number, as text (for comparison with a domain's values).
fn value_text(j: &Json) -> Option<String> {
    match &j.value {
        Value::String(s) => Some(s.clone()),
        Value::Number(_, text) => Some(text.clone()),
        _ => None,
    }
}

/// One profile read: its domain (with positions) and its profile.
struct Read {
    domain: Vec<Issue>,
    domain_pos: Pos,
    domain_name: String,
    profile: Profile,
    /// Per issue: the values the profile leaves without a utility.
    unvalued: Vec<String>,
}

fn read_domain(file: &str, d: &Json) -> Result<(String, Vec<Issue>), ScenarioError> {
    let name = match d.get("name").map(|n| &n.value) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let issues_json = key(file, d, "issuesValues", "the domain")?;
    let mut issues = Vec::new();
    for (issue, _, set) in object(file, issues_json, "issuesValues")? {
        let what = format!("issue `{issue}` of the domain");
        object(file, set, &what)?;
        let values = if let Some(values) = set.get("values") {
            let Value::Array(items) = &values.value else {
                return Err(at(
                    file,
                    values.pos,
                    format!("{what}: `values` is {}, expected an array", values.kind()),
                ));
            };
            let mut labels: Vec<String> = Vec::new();
            for item in items {
                let Some(label) = value_text(item) else {
                    return Err(at(
                        file,
                        item.pos,
                        format!("{what}: a value is {}, expected a string", item.kind()),
                    ));
                };
                if labels.contains(&label) {
                    return Err(at(file, item.pos, format!("{what}: value `{label}` again")));
                }
                labels.push(label);
            }
            if labels.is_empty() {
                return Err(at(file, values.pos, format!("{what}: no values")));
            }
            Values::Discrete(labels)
        } else if let Some(range) = set.get("range") {
            let (low, high, step) = match &range.value {
                Value::Array(items) if items.len() == 3 => (
                    number(file, &items[0], &what)?,
                    number(file, &items[1], &what)?,
                    number(file, &items[2], &what)?,
                ),
                Value::Object(_) => (
                    number(file, key(file, range, "low", &what)?, &what)?,
                    number(file, key(file, range, "high", &what)?, &what)?,
                    number(file, key(file, range, "step", &what)?, &what)?,
                ),
                _ => {
                    return Err(at(
                        file,
                        range.pos,
                        format!(
                            "{what}: `range` is {}, expected {{\"low\", \"high\", \"step\"}}",
                            range.kind()
                        ),
                    ));
                }
            };
            if low > high || step <= 0.0 {
                return Err(at(
                    file,
                    range.pos,
                    format!(
                        "{what}: a range needs low ≤ high and step > 0 (found {low}, {high}, \
                         {step})"
                    ),
                ));
            }
            Values::Numbers {
                low,
                high,
                step: Some(step),
            }
        } else {
            return Err(at(
                file,
                set.pos,
                format!("{what}: neither `values` (discrete) nor `range` (numbers)"),
            ));
        };
        issues.push(Issue {
            name: issue.clone(),
            values,
        });
    }
    if issues.is_empty() {
        return Err(at(file, issues_json.pos, "the domain has no issues"));
    }
    Ok((name, issues))
}

fn read_profile(path: &Path) -> Result<Read, ScenarioError> {
    let (file, text) = read_text(path)?;
    let file = file.as_str();
    let root = json::parse(file, &text)?;
    let items = object(file, &root, "a GeniusWeb profile")?;
    let [(kind, kind_pos, space)] = items else {
        return Err(at(
            file,
            root.pos,
            format!(
                "a GeniusWeb profile is an object with one key (its kind), found {} keys",
                items.len()
            ),
        ));
    };
    if kind != "LinearAdditiveUtilitySpace" {
        return Err(at(
            file,
            *kind_pos,
            format!(
                "a `{kind}` profile; only LinearAdditiveUtilitySpace profiles can be imported \
                 (treaty's utility is additive over issues)"
            ),
        ));
    }
    let domain_json = key(file, space, "domain", "the profile")?;
    let (domain_name, domain) = read_domain(file, domain_json)?;
    let utilities = key(file, space, "issueUtilities", "the profile")?;
    let weights_json = key(file, space, "issueWeights", "the profile")?;
    let find = |name: &str, pos: Pos, what: &str| {
        domain.iter().position(|i| i.name == name).ok_or_else(|| {
            at(
                file,
                pos,
                format!("{what} names issue `{name}`, which the profile's domain does not have"),
            )
        })
    };
    let mut weights: Vec<Option<f64>> = vec![None; domain.len()];
    for (name, pos, w) in object(file, weights_json, "issueWeights")? {
        let j = find(name, *pos, "issueWeights")?;
        let w = number(file, w, &format!("the weight of `{name}`"))?;
        if w < 0.0 {
            return Err(at(
                file,
                *pos,
                format!("a negative weight ({w}) for `{name}`; weights are 0 or more"),
            ));
        }
        weights[j] = Some(w);
    }
    let mut evaluations: Vec<Option<Evaluation>> = vec![None; domain.len()];
    let mut unvalued = Vec::new();
    for (name, pos, u) in object(file, utilities, "issueUtilities")? {
        let j = find(name, *pos, "issueUtilities")?;
        let what = format!("the utilities of `{name}`");
        let [(kind, kind_pos, body)] = object(file, u, &what)? else {
            return Err(at(
                file,
                u.pos,
                format!("{what}: expected one key, `discreteutils` or `numberutils`"),
            ));
        };
        let evaluation = match (kind.as_str(), &domain[j].values) {
            ("discreteutils", Values::Discrete(labels)) => {
                let table_json = key(file, body, "valueUtilities", &what)?;
                let mut table: Vec<Option<f64>> = vec![None; labels.len()];
                for (value, vpos, x) in object(file, table_json, "valueUtilities")? {
                    let Some(k) = labels.iter().position(|l| l == value) else {
                        return Err(at(
                            file,
                            *vpos,
                            format!(
                                "value `{value}` of issue `{name}` is not in the domain (it has \
                                 {})",
                                labels.join(", ")
                            ),
                        ));
                    };
                    let x = number(file, x, &format!("the utility of `{value}`"))?;
                    if x < 0.0 {
                        return Err(at(
                            file,
                            *vpos,
                            format!("a negative utility ({x}) for `{value}`"),
                        ));
                    }
                    table[k] = Some(x);
                }
                for (l, x) in labels.iter().zip(&table) {
                    if x.is_none() {
                        unvalued.push(format!("`{name}` = `{l}`"));
                    }
                }
                Evaluation::Table(table.into_iter().map(|x| x.unwrap_or(0.0)).collect())
            }
            ("numberutils", Values::Numbers { .. }) => {
                let get = |k: &str| number(file, key(file, body, k, &what)?, &what);
                let (low_value, low_utility, high_value, high_utility) = (
                    get("lowValue")?,
                    get("lowUtility")?,
                    get("highValue")?,
                    get("highUtility")?,
                );
                if low_value > high_value {
                    return Err(at(
                        file,
                        body.pos,
                        format!("{what}: lowValue {low_value} is above highValue {high_value}"),
                    ));
                }
                if low_utility < 0.0 || high_utility < 0.0 {
                    return Err(at(file, body.pos, format!("{what}: a negative utility")));
                }
                Evaluation::Between {
                    low_value,
                    low_utility,
                    high_value,
                    high_utility,
                }
            }
            ("discreteutils" | "numberutils", values) => {
                return Err(at(
                    file,
                    *kind_pos,
                    format!(
                        "{what}: `{kind}`, but the issue is {} in the domain",
                        match values {
                            Values::Discrete(_) => "discrete",
                            Values::Numbers { .. } => "a number range",
                        }
                    ),
                ));
            }
            (other, _) => {
                return Err(at(
                    file,
                    *kind_pos,
                    format!(
                        "{what}: `{other}`; only `discreteutils` and `numberutils` (linear) can \
                         be imported"
                    ),
                ));
            }
        };
        evaluations[j] = Some(evaluation);
    }
    let mut missing = Vec::new();
    for (j, issue) in domain.iter().enumerate() {
        if evaluations[j].is_none() {
            missing.push(format!("no issueUtilities for `{}`", issue.name));
        }
        if weights[j].is_none() {
            missing.push(format!("no issueWeights for `{}`", issue.name));
        }
    }
    if !missing.is_empty() {
        return Err(at(file, space.pos, missing.join("; ")));
    }
    let weights: Vec<f64> = weights.into_iter().map(|w| w.unwrap_or(0.0)).collect();
    let evaluations: Vec<Evaluation> = evaluations
        .into_iter()
        .map(|e| e.unwrap_or(Evaluation::Table(Vec::new())))
        .collect();
    let reservation = match space.get("reservationBid") {
        None => None,
        Some(b) if b.value == Value::Null => None,
        Some(b) => {
            let values = key(file, b, "issuevalues", "reservationBid")?;
            let mut u = 0.0;
            for (name, pos, v) in object(file, values, "reservationBid.issuevalues")? {
                let j = find(name, *pos, "reservationBid")?;
                let here = |m: String| at(file, v.pos, m);
                let e = match (&domain[j].values, &evaluations[j]) {
                    (Values::Discrete(labels), Evaluation::Table(t)) => {
                        let text = value_text(v).unwrap_or_default();
                        let k = labels.iter().position(|l| *l == text).ok_or_else(|| {
                            here(format!(
                                "reservationBid: `{text}` is not a value of issue `{name}`"
                            ))
                        })?;
                        t[k]
                    }
                    (Values::Numbers { low, high, .. }, ev) => {
                        let x = number(file, v, "reservationBid")?;
                        if x < *low || x > *high {
                            return Err(here(format!(
                                "reservationBid: {x} is outside issue `{name}`'s range [{low}, \
                                 {high}]"
                            )));
                        }
                        ev.at(x)
                    }
                    _ => 0.0,
                };
                u += weights[j] * e;
            }
            Some(u)
        }
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match space.get("name").map(|n| &n.value) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => stem,
    };
    Ok(Read {
        domain,
        domain_pos: domain_json.pos,
        domain_name,
        profile: Profile {
            file: file.to_string(),
            id: id_of(&name, "profile"),
            name,
            weights,
            evaluations,
            reservation,
            discount: 1.0,
        },
        unvalued,
    })
}

/// Puts a profile's issues in the first profile's order, or says how its domain differs.
fn align(first: &Read, other: Read) -> Result<Profile, ScenarioError> {
    let file = other.profile.file.clone();
    let differ = |m: String| {
        at(
            &file,
            other.domain_pos,
            format!(
                "this profile's domain differs from that of {}: {m}",
                first.profile.file
            ),
        )
    };
    let mut weights = Vec::with_capacity(first.domain.len());
    let mut evaluations = Vec::with_capacity(first.domain.len());
    for issue in &first.domain {
        let Some(k) = other.domain.iter().position(|i| i.name == issue.name) else {
            return Err(differ(format!("it has no issue `{}`", issue.name)));
        };
        let mine = &other.domain[k];
        let same = match (&issue.values, &mine.values) {
            (Values::Discrete(a), Values::Discrete(b)) => {
                a.len() == b.len() && a.iter().all(|v| b.contains(v))
            }
            (a, b) => a == b,
        };
        if !same {
            return Err(differ(format!("issue `{}` has other values", issue.name)));
        }
        let evaluation = match (&issue.values, &mine.values, &other.profile.evaluations[k]) {
            (Values::Discrete(a), Values::Discrete(b), Evaluation::Table(t)) => Evaluation::Table(
                a.iter()
                    .map(|v| b.iter().position(|w| w == v).map_or(0.0, |i| t[i]))
                    .collect(),
            ),
            (_, _, e) => e.clone(),
        };
        weights.push(other.profile.weights[k]);
        evaluations.push(evaluation);
    }
    if let Some(extra) = other
        .domain
        .iter()
        .find(|i| !first.domain.iter().any(|f| f.name == i.name))
    {
        return Err(differ(format!("it has an issue `{}` more", extra.name)));
    }
    Ok(Profile {
        weights,
        evaluations,
        ..other.profile
    })
}

/// Reads GeniusWeb profiles into one scenario (validated).
pub(super) fn import(
    paths: &[PathBuf],
    template: &Template,
    options: &DomainOptions,
) -> Result<ImportedDomain, ScenarioError> {
    let mut reads = paths
        .iter()
        .map(|p| read_profile(p))
        .collect::<Result<Vec<_>, _>>()?;
    if reads.is_empty() {
        return Err(whole("(no file)", "no profile given".to_string()));
    }
    let first = reads.remove(0);
    let mut warnings = Vec::new();
    for r in std::iter::once(&first).chain(&reads) {
        if !r.unvalued.is_empty() {
            warnings.push(format!(
                "{}: no utility for {}; worth 0, as in GeniusWeb",
                r.profile.file,
                r.unvalued.join(", ")
            ));
        }
    }
    let mut profiles = Vec::with_capacity(reads.len() + 1);
    for r in reads {
        profiles.push(align(&first, r)?);
    }
    let domain = Domain {
        issues: first.domain.clone(),
    };
    let first_file = first.profile.file.clone();
    let stem = paths[0]
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "domain".to_string());
    let name = options
        .name
        .clone()
        .unwrap_or(if first.domain_name.is_empty() {
            stem
        } else {
            first.domain_name.clone()
        });
    let file = paths[0]
        .with_file_name(format!("{}.ron", id_of(&name, "domain")))
        .display()
        .to_string();
    profiles.insert(0, first.profile);
    let sources: Vec<String> = profiles.iter().map(|p| p.file.clone()).collect();
    let mut imported = finish(
        "geniusweb",
        &first_file,
        name,
        &domain,
        profiles,
        template,
        sources,
        file,
    )?;
    warnings.append(&mut imported.warnings);
    imported.warnings = warnings;
    Ok(imported)
}
