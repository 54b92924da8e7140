//! Overrides: change any number or choice of a scenario from the command line.
//!
//! An override is `PATH=VALUE`. The path names a field of the scenario by ids rather than by
//! position, so it reads like the question an analyst asks:
//!
//! | path | value |
//! |---|---|
//! | `perception_noise`, `interdependence` | a number or distribution |
//! | `disagreement` | `StatusQuo` or `Reservation` |
//! | `loss` | `Linear` or `Quadratic` |
//! | `pie` | a list of issue ids, e.g. `["A", "B"]` |
//! | `metadata.name`, `metadata.description`, `metadata.round`, `metadata.start` | a string |
//! | `issues.ID.status_quo` | a number or distribution |
//! | `issues.ID.name`, `.low`, `.high` | a string |
//! | `issues.ID.options` | a list of options, e.g. `[(at: 0, label: "no"), (at: 1, label: "yes")]` |
//! | `actors.ID.capability`, `.risk`, `.reservation`, `.optimism` | a number or distribution |
//! | `actors.ID.role` | `Principal`, `Mediator` or `Stakeholder` |
//! | `actors.ID.strategy` | e.g. `Boulware(beta: 0.3)`, `Conceder(beta: 2, kappa: 0.1, family: Exponential)`, `Linear`, `Hardliner` |
//! | `actors.ID.name` | a string |
//! | `actors.ID.stances.ISSUE` | a stance, e.g. `(position: 0.4, salience: 0.8)` |
//! | `actors.ID.stances.ISSUE.position`, `.salience` | a number or distribution |
//! | `relations.A-B` or `relations.A-B.strength` | a number or distribution (the relation is added if the file has none) |
//! | `relations.A-B.directed` | `true` or `false` |
//! | `protocol` | a whole protocol, e.g. `Mediated(mediator: "EU", max_rounds: 24)` |
//! | `protocol.max_rounds` | a whole number |
//! | `protocol.proposer` | `RoundRobin`, `PowerWeighted` or `Order(["A", "B"])` |
//! | `protocol.acceptance` | `Unanimous` or `Quota(2)` |
//! | `protocol.discount.ID` | a number or distribution |
//! | `protocol.mediator` | an actor id (string) |
//! | `protocol.text` | `Compromise`, `NashBargaining` or `KalaiSmorodinsky` |
//! | `protocol.step` | a number or distribution |
//! | `protocol.disagreement` | `StatusQuo` or `Reservation` |
//! | `escalation` | a whole escalation block, or `None` |
//! | `escalation.allowed` | `true` or `false` |
//! | `escalation.cost`, `.imposition`, `.propensity` | a number or distribution |
//! | `escalation.initiators` | a list of actor ids |
//! | `escalation.issues` | a list of issue ids (the issues force can decide) |
//! | `events` | a whole list of events (`[]` removes them all) |
//! | `events.N` | one event (N counts from 0 in file order) |
//! | `events.N.at` | `Round(4)` or `Window(from: 1, to: 12, probability: 0.05)` |
//! | `events.N.probability` | a number or distribution (windowed events) |
//! | `events.N.label` | a string |
//!
//! Values are written in RON, as in a scenario file (strings in double quotes). Overrides apply to
//! the raw scenario in the order given, before validation, so an overridden scenario is checked
//! exactly like a file and its problems name the same logical paths.
//!
//! # Variants
//!
//! `--variant "NAME: PATH=VALUE PATH=VALUE; PATH=VALUE"`: an optional name, then overrides.
//!
//! - The name is everything before the first `:` when that `:` comes before the first `=`
//!   (values such as `Boulware(beta: 0.3)` hold colons of their own). Without a name the
//!   variant is called by its overrides.
//! - Overrides are separated by `;`, or by white space before a token of the form `PATH=`
//!   (`PATH` made of letters, digits, `_`, `-` and `.`). Separators count only outside
//!   brackets and double quotes, so `Uniform(0.5, 0.7)`, `Order(["EU", "ARM"])` and
//!   `"two words"` stay whole: `actors.RUS.capability=Uniform(0.2, 0.3) protocol.max_rounds=40`
//!   is two overrides.

use serde::de::DeserializeOwned;

use super::ordered::OrderedMap;
use super::schema::{ProtocolSpec, RelationSpec, Scenario, StanceSpec, TimingSpec};
use crate::model::Value;

/// One `PATH=VALUE` override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The dotted path, e.g. `actors.RUS.capability`.
    pub path: String,
    /// The value in RON, e.g. `0.3` or `Uniform(0.5, 0.7)`.
    pub value: String,
}

/// Why an override cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OverrideError {
    /// The argument is not of the form `PATH=VALUE`.
    #[error("--set {arg:?}: expected PATH=VALUE, e.g. actors.RUS.capability=0.3")]
    Syntax {
        /// The argument as given.
        arg: String,
    },
    /// The path names nothing in this scenario.
    #[error("--set {path}: {found}; allowed: {allowed}")]
    UnknownPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        found: String,
        /// What would be accepted there.
        allowed: String,
    },
    /// A `--variant` argument cannot be read.
    #[error("{arg}: {message}")]
    Variant {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
    },
    /// The value cannot be read as the field's type.
    #[error("--set {path}={value}: {message}")]
    BadValue {
        /// The path as given.
        path: String,
        /// The value as given.
        value: String,
        /// What the field takes and what went wrong.
        message: String,
    },
}

impl Override {
    /// Parses `PATH=VALUE` (the value may itself contain `=` inside strings).
    pub fn parse(arg: &str) -> Result<Override, OverrideError> {
        let syntax = || OverrideError::Syntax {
            arg: arg.to_string(),
        };
        let (path, value) = arg.split_once('=').ok_or_else(syntax)?;
        let (path, value) = (path.trim(), value.trim());
        if path.is_empty() || value.is_empty() {
            return Err(syntax());
        }
        Ok(Override {
            path: path.to_string(),
            value: value.to_string(),
        })
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// A variant as written on the command line: an optional name and its overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSpec {
    /// The name before the colon, if given.
    pub name: Option<String>,
    /// The overrides, in order.
    pub overrides: Vec<Override>,
}

impl VariantSpec {
    /// Reads `NAME: PATH=VALUE ...` (module docs).
    pub fn parse(arg: &str) -> Result<VariantSpec, OverrideError> {
        let bad = |message: String| OverrideError::Variant {
            arg: arg.to_string(),
            message,
        };
        let colon = arg.find(':');
        let equals = arg.find('=');
        let (name, rest) = match colon {
            Some(c) if equals.is_none_or(|e| c < e) => {
                let name = arg[..c].trim();
                if name.is_empty() {
                    return Err(bad("the name before `:` is empty".into()));
                }
                (Some(name.to_string()), &arg[c + 1..])
            }
            _ => (None, arg),
        };
        let pieces = split_overrides(rest).map_err(bad)?;
        if pieces.is_empty() {
            return Err(bad(
                "no override: write NAME: PATH=VALUE ..., e.g. \"weak-russia: actors.RUS.capability=0.25\""
                    .into(),
            ));
        }
        let overrides = pieces
            .iter()
            .map(|p| Override::parse(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(e.to_string()))?;
        Ok(VariantSpec { name, overrides })
    }
}

/// Whether `c` may be part of a path.
fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Whether `s` starts with `PATH=` (white space allowed before the `=`).
fn starts_with_path(s: &str) -> bool {
    let path_len: usize = s
        .chars()
        .take_while(|&c| path_char(c))
        .map(char::len_utf8)
        .sum();
    path_len > 0 && s[path_len..].trim_start().starts_with('=')
}

/// Splits overrides at `;` and at white space before `PATH=`, outside brackets and strings
/// (module docs). Returns the trimmed, non-empty pieces.
pub fn split_overrides(text: &str) -> Result<Vec<String>, String> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| format!("`{c}` closes nothing"))?;
            }
            ';' if depth == 0 => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            c if c.is_whitespace() && depth == 0 && starts_with_path(text[i..].trim_start()) => {
                pieces.push(&text[start..i]);
                start = i;
            }
            _ => {}
        }
    }
    if in_string {
        return Err("a string is not closed (a `\"` is missing)".into());
    }
    if depth > 0 {
        return Err("a bracket is not closed".into());
    }
    pieces.push(&text[start..]);
    Ok(pieces
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
}

/// Applies overrides in order to a raw scenario.
pub fn apply_overrides(
    scenario: &mut Scenario,
    overrides: &[Override],
) -> Result<(), OverrideError> {
    for o in overrides {
        apply_override(scenario, o)?;
    }
    Ok(())
}

/// Marks each of `problems` (found validating `raw` with `overrides` applied in order) that an
/// override brought in with that override ([`Problem::set`](super::Problem::set)): a problem
/// that appears, or changes, when the override is applied and was not there before. Problems the
/// file has without overrides stay the file's.
pub(crate) fn blame(
    raw: &Scenario,
    overrides: &[&Override],
    file: &str,
    problems: &mut [super::Problem],
) {
    let problems_of = |s: &Scenario| match super::validate(s, file) {
        Err(super::ScenarioError::Invalid { problems, .. }) => problems,
        _ => Vec::new(),
    };
    let mut state = raw.clone();
    let mut before = problems_of(&state);
    let mut caused: Vec<(super::Problem, String)> = Vec::new();
    for o in overrides {
        if apply_override(&mut state, o).is_err() {
            return;
        }
        let now = problems_of(&state);
        for p in &now {
            if !before.contains(p) && !caused.iter().any(|(q, _)| q == p) {
                caused.push((p.clone(), o.to_string()));
            }
        }
        before = now;
    }
    for p in problems.iter_mut() {
        if let Some((_, o)) = caused.iter().find(|(q, _)| q == p) {
            p.set = Some(o.clone());
        }
    }
}

/// Applies one override to a raw scenario.
pub fn apply_override(scenario: &mut Scenario, o: &Override) -> Result<(), OverrideError> {
    let segs: Vec<&str> = o.path.split('.').collect();
    let cx = Cx { o };
    match segs.as_slice() {
        ["perception_noise"] => scenario.perception_noise = cx.value()?,
        ["interdependence"] => scenario.interdependence = cx.value()?,
        ["disagreement"] => scenario.disagreement = cx.value()?,
        ["loss"] => scenario.loss = cx.value()?,
        ["pie"] => scenario.pie = cx.value()?,
        ["metadata", field] => {
            let m = &mut scenario.metadata;
            match *field {
                "name" => m.name = cx.value()?,
                "description" => m.description = cx.value()?,
                "round" => m.round = cx.value()?,
                "start" => m.start = cx.value()?,
                _ => return Err(cx.unknown(field, "name, description, round, start")),
            }
        }
        ["issues", id, field] => {
            let known = ids(scenario.issues.iter().map(|i| i.id.as_str()));
            let issue = scenario
                .issues
                .iter_mut()
                .find(|i| i.id == *id)
                .ok_or_else(|| cx.unknown_id("issue", id, &known))?;
            match *field {
                "status_quo" => issue.status_quo = cx.value()?,
                "name" => issue.name = cx.value()?,
                "low" => issue.low = cx.value()?,
                "high" => issue.high = cx.value()?,
                "options" => issue.options = cx.value()?,
                _ => return Err(cx.unknown(field, "status_quo, name, low, high, options")),
            }
        }
        ["actors", id, rest @ ..] if !rest.is_empty() => {
            let issue_ids = ids(scenario.issues.iter().map(|i| i.id.as_str()));
            let known = ids(scenario.actors.iter().map(|a| a.id.as_str()));
            let actor = scenario
                .actors
                .iter_mut()
                .find(|a| a.id == *id)
                .ok_or_else(|| cx.unknown_id("actor", id, &known))?;
            match rest {
                ["capability"] => actor.capability = cx.value()?,
                ["risk"] => actor.risk = cx.value()?,
                ["reservation"] => actor.reservation = cx.value()?,
                ["optimism"] => actor.optimism = cx.value()?,
                ["role"] => actor.role = cx.value()?,
                ["strategy"] => actor.strategy = cx.value()?,
                ["name"] => actor.name = cx.value()?,
                ["stances", issue, tail @ ..] => {
                    if !issue_ids.split(", ").any(|i| i == *issue) {
                        return Err(cx.unknown_id("issue", issue, &issue_ids));
                    }
                    set_stance(&cx, &mut actor.stances, issue, tail)?;
                }
                [field, ..] => {
                    return Err(cx.unknown(
                        field,
                        "capability, risk, reservation, optimism, role, strategy, name, stances.ISSUE[.position|.salience]",
                    ));
                }
                [] => unreachable!("guarded by the match arm"),
            }
        }
        ["relations", pair, tail @ ..] => {
            let known: Vec<String> = scenario.actors.iter().map(|a| a.id.clone()).collect();
            let (a, b) = split_pair(pair, &known).ok_or_else(|| OverrideError::UnknownPath {
                path: o.path.clone(),
                found: format!("{pair:?} is not two actor ids joined by '-'"),
                allowed: format!("A-B with A and B among {}", known.join(", ")),
            })?;
            let existing = scenario
                .relations
                .iter_mut()
                .find(|r| (r.a == a && r.b == b) || (!r.directed && r.a == b && r.b == a));
            let relation = match existing {
                Some(r) => r,
                None => {
                    scenario.relations.push(RelationSpec {
                        a: a.clone(),
                        b: b.clone(),
                        strength: Value::Const(0.0),
                        directed: false,
                    });
                    scenario.relations.last_mut().expect("just pushed")
                }
            };
            match tail {
                [] | ["strength"] => relation.strength = cx.value()?,
                ["directed"] => relation.directed = cx.value()?,
                [field, ..] => return Err(cx.unknown(field, "strength, directed")),
            }
        }
        ["protocol"] => scenario.protocol = cx.value()?,
        ["protocol", rest @ ..] => set_protocol(&cx, &mut scenario.protocol, rest)?,
        ["escalation"] => scenario.escalation = cx.value()?,
        ["escalation", field] => {
            let e = scenario
                .escalation
                .as_mut()
                .ok_or_else(|| OverrideError::UnknownPath {
                    path: o.path.clone(),
                    found: "the scenario has no escalation block".to_string(),
                    allowed: "set the whole block first: escalation=(cost: 0.2, imposition: 0.5)"
                        .to_string(),
                })?;
            match *field {
                "allowed" => e.allowed = cx.value()?,
                "cost" => e.cost = cx.value()?,
                "imposition" => e.imposition = cx.value()?,
                "propensity" => e.propensity = cx.value()?,
                "initiators" => e.initiators = cx.value()?,
                "issues" => e.issues = cx.value()?,
                _ => {
                    return Err(cx.unknown(
                        field,
                        "allowed, cost, imposition, propensity, initiators, issues",
                    ));
                }
            }
        }
        ["events"] => scenario.events = cx.value()?,
        ["events", n, rest @ ..] => {
            let count = scenario.events.len();
            let event = n
                .parse::<usize>()
                .ok()
                .and_then(|k| scenario.events.get_mut(k))
                .ok_or_else(|| OverrideError::UnknownPath {
                    path: o.path.clone(),
                    found: format!("no event {n}"),
                    allowed: if count == 0 {
                        "none: the scenario has no events".to_string()
                    } else {
                        format!("an event index from 0 to {}", count - 1)
                    },
                })?;
            match rest {
                [] => *event = cx.value()?,
                ["at"] => event.at = cx.value()?,
                ["label"] => event.label = cx.value()?,
                ["effects"] => event.effects = cx.value()?,
                ["probability"] => match &mut event.at {
                    TimingSpec::Window { probability, .. } => *probability = cx.value()?,
                    TimingSpec::Round(_) => {
                        return Err(OverrideError::UnknownPath {
                            path: o.path.clone(),
                            found: "the event is scheduled at a round, it has no probability"
                                .to_string(),
                            allowed: "set events.N.at=Window(from: .., to: .., probability: ..)"
                                .to_string(),
                        });
                    }
                },
                [field, ..] => return Err(cx.unknown(field, "at, label, effects, probability")),
            }
        }
        _ => {
            return Err(OverrideError::UnknownPath {
                path: o.path.clone(),
                found: "no such field".to_string(),
                allowed: "perception_noise, interdependence, disagreement, loss, pie, metadata.*, issues.ID.*, \
                          actors.ID.*, relations.A-B, protocol.*, escalation.*, events.N.*"
                    .to_string(),
            });
        }
    }
    Ok(())
}

/// The override being applied, for reading its value and naming it in errors.
struct Cx<'a> {
    o: &'a Override,
}

impl Cx<'_> {
    /// The override's value read as the field's type.
    fn value<T: DeserializeOwned>(&self) -> Result<T, OverrideError> {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        options
            .from_str::<T>(&self.o.value)
            .map_err(|e| OverrideError::BadValue {
                path: self.o.path.clone(),
                value: self.o.value.clone(),
                message: format!(
                    "{} (at column {}; values are written in RON, strings in double quotes)",
                    super::error::readable_parse_error(&e.code),
                    e.span.start.col
                ),
            })
    }

    fn unknown(&self, field: &str, allowed: &str) -> OverrideError {
        OverrideError::UnknownPath {
            path: self.o.path.clone(),
            found: format!("no field {field:?} here"),
            allowed: allowed.to_string(),
        }
    }

    fn unknown_id(&self, kind: &str, id: &str, known: &str) -> OverrideError {
        OverrideError::UnknownPath {
            path: self.o.path.clone(),
            found: format!("no {kind} {id:?}"),
            allowed: format!("one of {known}"),
        }
    }
}

fn ids<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

/// Splits `A-B` into two known actor ids (ids may themselves contain `-`).
fn split_pair(pair: &str, known: &[String]) -> Option<(String, String)> {
    pair.match_indices('-').find_map(|(i, _)| {
        let (a, b) = (&pair[..i], &pair[i + 1..]);
        (known.iter().any(|k| k == a) && known.iter().any(|k| k == b))
            .then(|| (a.to_string(), b.to_string()))
    })
}

fn set_stance(
    cx: &Cx<'_>,
    stances: &mut OrderedMap<StanceSpec>,
    issue: &str,
    tail: &[&str],
) -> Result<(), OverrideError> {
    if tail.is_empty() {
        let stance: StanceSpec = cx.value()?;
        match stances.get_mut(issue) {
            Some(s) => *s = stance,
            None => stances.0.push((issue.to_string(), stance)),
        }
        return Ok(());
    }
    let field = tail[0];
    if tail.len() > 1 || !matches!(field, "position" | "salience") {
        return Err(cx.unknown(field, "position, salience"));
    }
    let v: Value = cx.value()?;
    if stances.get(issue).is_none() {
        // A stance the file does not give: salience 0 and a neutral position until set.
        stances.0.push((
            issue.to_string(),
            StanceSpec {
                position: Value::Const(0.5),
                salience: Value::Const(0.0),
            },
        ));
    }
    let s = stances.get_mut(issue).expect("present or just added");
    if field == "position" {
        s.position = v;
    } else {
        s.salience = v;
    }
    Ok(())
}

fn set_protocol(cx: &Cx<'_>, p: &mut ProtocolSpec, rest: &[&str]) -> Result<(), OverrideError> {
    let name = match p {
        ProtocolSpec::AlternatingOffers { .. } => "AlternatingOffers",
        ProtocolSpec::Mediated { .. } => "Mediated",
        ProtocolSpec::ExpectedUtility { .. } => "ExpectedUtility",
    };
    let wrong = |field: &str, allowed: &str| OverrideError::UnknownPath {
        path: cx.o.path.clone(),
        found: format!("the {name} protocol has no field {field:?}"),
        allowed: allowed.to_string(),
    };
    match (p, rest) {
        (
            ProtocolSpec::AlternatingOffers { max_rounds, .. }
            | ProtocolSpec::Mediated { max_rounds, .. }
            | ProtocolSpec::ExpectedUtility { max_rounds, .. },
            ["max_rounds"],
        ) => *max_rounds = cx.value()?,
        (ProtocolSpec::AlternatingOffers { proposer, .. }, ["proposer"]) => {
            *proposer = cx.value()?
        }
        (ProtocolSpec::AlternatingOffers { acceptance, .. }, ["acceptance"]) => {
            *acceptance = cx.value()?
        }
        (ProtocolSpec::AlternatingOffers { discount, .. }, ["discount", id]) => {
            let v: Value = cx.value()?;
            match discount.get_mut(id) {
                Some(d) => *d = v,
                None => discount.0.push((id.to_string(), v)),
            }
        }
        (ProtocolSpec::Mediated { mediator, .. }, ["mediator"]) => *mediator = cx.value()?,
        (ProtocolSpec::Mediated { text, .. }, ["text"]) => *text = cx.value()?,
        (ProtocolSpec::Mediated { step, .. }, ["step"]) => *step = cx.value()?,
        (ProtocolSpec::Mediated { disagreement, .. }, ["disagreement"]) => {
            *disagreement = cx.value()?
        }
        (ProtocolSpec::AlternatingOffers { .. }, [field, ..]) => {
            return Err(wrong(
                field,
                "max_rounds, proposer, acceptance, discount.ID",
            ));
        }
        (ProtocolSpec::Mediated { .. }, [field, ..]) => {
            return Err(wrong(
                field,
                "max_rounds, mediator, text, step, disagreement",
            ));
        }
        (ProtocolSpec::ExpectedUtility { variant, .. }, ["variant"]) => *variant = cx.value()?,
        (ProtocolSpec::ExpectedUtility { .. }, [field, ..]) => {
            return Err(wrong(field, "max_rounds, variant"));
        }
        (_, []) => unreachable!("`protocol` alone is handled by the caller"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_overrides(s).unwrap()
    }

    #[test]
    fn variants_split_between_overrides_only() {
        assert_eq!(
            split("actors.RUS.capability=Uniform(0.2, 0.3) protocol.max_rounds=40"),
            [
                "actors.RUS.capability=Uniform(0.2, 0.3)",
                "protocol.max_rounds=40"
            ]
        );
        assert_eq!(
            split(" a.b=1 ;c.d = 2;; e=Order([\"EU\", \"ARM\"])  "),
            ["a.b=1", "c.d = 2", "e=Order([\"EU\", \"ARM\"])"]
        );
        assert_eq!(
            split("metadata.name=\"x y=z; w\" relations.ARM-AZE=-0.5"),
            ["metadata.name=\"x y=z; w\"", "relations.ARM-AZE=-0.5"]
        );
        assert_eq!(
            split("actors.AZE.strategy=Boulware(beta: 0.3)"),
            ["actors.AZE.strategy=Boulware(beta: 0.3)"]
        );
        assert!(split_overrides("a=Uniform(0.1, 0.2").is_err());
        assert!(split_overrides("a=\"open").is_err());
        assert!(split_overrides("a=0.1)").is_err());
    }

    #[test]
    fn names_come_before_the_first_colon_ahead_of_any_equals() {
        let v = VariantSpec::parse("weak-russia: actors.RUS.capability=0.25").unwrap();
        assert_eq!(v.name.as_deref(), Some("weak-russia"));
        assert_eq!(v.overrides[0].to_string(), "actors.RUS.capability=0.25");
        let v = VariantSpec::parse("actors.AZE.strategy=Boulware(beta: 0.3)").unwrap();
        assert_eq!(v.name, None);
        assert_eq!(v.overrides[0].value, "Boulware(beta: 0.3)");
        let v = VariantSpec::parse("soft: actors.AZE.strategy=Conceder(beta: 2.0); x.y=1").unwrap();
        assert_eq!(v.name.as_deref(), Some("soft"));
        assert_eq!(v.overrides.len(), 2);
        for bad in ["weak:", ": a=1", "name: nothing", "n: =3"] {
            let err = VariantSpec::parse(bad).unwrap_err().to_string();
            assert!(err.contains(bad.trim()), "{bad}: {err}");
        }
    }

    use crate::scenario::{Source, parse, validate};

    fn flagship() -> Scenario {
        let b = crate::scenario::find_bundled("karabakh-2023").expect("bundled flagship");
        parse(&Source {
            file: b.name.into(),
            text: b.text.into(),
        })
        .expect("flagship parses")
    }

    fn set(s: &mut Scenario, arg: &str) -> Result<(), OverrideError> {
        apply_override(s, &Override::parse(arg)?)
    }

    #[test]
    fn sets_numbers_by_id() {
        let mut s = flagship();
        set(&mut s, "actors.RUS.capability=0.3").unwrap();
        set(&mut s, "actors.ARM.stances.I2.position=Uniform(0.5,0.7)").unwrap();
        set(&mut s, "protocol.max_rounds=60").unwrap();
        set(&mut s, "relations.AZE-TUR=0.5").unwrap();
        set(&mut s, "issues.I1.status_quo=0.4").unwrap();
        let rus = s.actors.iter().find(|a| a.id == "RUS").unwrap();
        assert_eq!(rus.capability, Value::Const(0.3));
        let arm = s.actors.iter().find(|a| a.id == "ARM").unwrap();
        assert_eq!(
            arm.stances.get("I2").unwrap().position,
            Value::Dist(crate::model::Distribution::Uniform(0.5, 0.7))
        );
        assert!(matches!(
            s.protocol,
            ProtocolSpec::AlternatingOffers { max_rounds: 60, .. }
        ));
        let r = s
            .relations
            .iter()
            .find(|r| (r.a == "AZE" && r.b == "TUR") || (r.a == "TUR" && r.b == "AZE"))
            .unwrap();
        assert_eq!(r.strength, Value::Const(0.5));
        let model = validate(&s, "karabakh-2023").expect("still valid");
        assert_eq!(model.protocol.max_rounds(), 60);
    }

    #[test]
    fn relation_order_does_not_matter_and_missing_relations_are_added() {
        let mut s = flagship();
        let before = s.relations.len();
        set(&mut s, "relations.TUR-AZE=0.1").unwrap();
        assert_eq!(s.relations.len(), before);
        set(&mut s, "relations.EU-TUR.strength=0.2").unwrap();
        let exists = s.relations.iter().any(|r| {
            ((r.a == "EU" && r.b == "TUR") || (r.a == "TUR" && r.b == "EU"))
                && r.strength == Value::Const(0.2)
        });
        assert!(exists);
    }

    #[test]
    fn choices_and_whole_blocks() {
        let mut s = flagship();
        set(&mut s, "actors.AZE.strategy=Hardliner").unwrap();
        set(&mut s, "actors.RUS.role=Principal").unwrap();
        set(&mut s, "escalation.allowed=false").unwrap();
        set(&mut s, "events=[]").unwrap();
        set(&mut s, r#"metadata.name="Weak Russia""#).unwrap();
        let model = validate(&s, "x").unwrap();
        assert!(model.escalation.is_none());
        assert!(model.events.is_empty());
        assert_eq!(model.name, "Weak Russia");
        assert_eq!(model.principals().count(), 3);
    }

    #[test]
    fn errors_name_the_path_and_what_is_allowed() {
        let mut s = flagship();
        let e = set(&mut s, "actors.RUZ.capability=0.3").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("actors.RUZ.capability"), "{text}");
        assert!(text.contains("no actor \"RUZ\""), "{text}");
        assert!(text.contains("RUS"), "{text}");

        let e = set(&mut s, "actors.RUS.capabilty=0.3").unwrap_err();
        assert!(e.to_string().contains("capability, risk"), "{e}");

        let e = set(&mut s, "actors.RUS.capability=lots").unwrap_err();
        assert!(matches!(e, OverrideError::BadValue { .. }), "{e}");
        assert!(e.to_string().contains("a number or a distribution"), "{e}");

        let e = set(&mut s, "protocol.text=Compromise").unwrap_err();
        assert!(
            e.to_string()
                .contains("AlternatingOffers protocol has no field"),
            "{e}"
        );

        let e = set(&mut s, "relations.AZE-XYZ=0.2").unwrap_err();
        assert!(e.to_string().contains("two actor ids"), "{e}");

        let e = set(&mut s, "events.99.at=Round(2)").unwrap_err();
        assert!(e.to_string().contains("no event 99"), "{e}");

        assert!(matches!(
            Override::parse("actors.RUS.capability"),
            Err(OverrideError::Syntax { .. })
        ));
    }

    #[test]
    fn an_overridden_value_out_of_its_domain_is_a_validation_problem_at_its_path() {
        let mut s = flagship();
        set(&mut s, "actors.RUS.capability=-1").unwrap();
        let err = validate(&s, "karabakh-2023").unwrap_err().to_string();
        assert!(err.contains("actors[\"RUS\"].capability"), "{err}");
    }
}
