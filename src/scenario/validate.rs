//! Validation: a parsed [`Scenario`] checked rule by rule and turned into the engine's [`Model`].
//!
//! Every problem of a file is collected (none stops the others), each with its logical path,
//! what was found and what is allowed. Only a scenario without problems becomes a model; after
//! that the engine cannot fail on its input.
//!
//! # Domains of numbers
//!
//! | number | domain |
//! |---|---|
//! | position, status quo, reservation, interdependence, probabilities, cost, imposition, propensity | [0, 1] |
//! | κ (tactic floor) | [0, 1) |
//! | salience, perception noise | [0, 1e12] |
//! | capability, risk, β | (0, 1e12]; Boulware β < 1, Conceder β ≥ 1 |
//! | relation strength | [−1, 1] |
//! | discount δ, mediator step | (0, 1] |
//! | `Set` amount | the target's domain; `Add`: [−1e12, 1e12]; `Scale`: [0, 1e12] |
//!
//! Numbers with no natural upper end are capped at [`LARGE`] = 10¹², so that sums over a
//! thousand actors and products of a few such numbers stay finite in the engine (capabilities
//! and saliences are relative: rescale them). A distribution must have valid parameters and
//! probability mass inside its domain (see [`Value::check`]); the value's sampling still
//! truncates it as [`crate::model::value`] describes.
//!
//! # Model conventions
//!
//! Stances become one per issue in issue order (salience 0 and position 0.5 where the file
//! names none). A symmetric relation between A and B (ids in file order) becomes two directed
//! relations sharing the sampling key `relation:A:B`, so both directions get the same sampled
//! strength; a directed one gets the key `relation:A>B`. An actor's discount comes from the
//! `AlternatingOffers` protocol's `discount` map (1 where not listed). Escalation with
//! `allowed: false` becomes no escalation; its initiators default to every principal.

mod actors;
mod events;
mod protocol;

use std::collections::BTreeMap;

use super::calendar;
use super::error::{Problem, ScenarioError};
use super::schema::Scenario;
use crate::model::{Calendar, Loss, Model, Protocol, TimeUnit};
use crate::model::{Distribution, Domain, Value, ValueProblem};

pub use crate::model::{MAX_ACTORS, MAX_ISSUES, MAX_ROUNDS, MAX_ROUNDS_OTHER};

/// The longest id (of an actor or an issue), in characters.
pub const MAX_ID_CHARS: usize = 64;
/// The longest name (of the scenario, an issue or an actor), in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest label (of an option or an event) or pole description (an issue's `low` and
/// `high`), in characters.
pub const MAX_LABEL_CHARS: usize = 200;
/// The longest description or source (in `metadata`), in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// The largest magnitude of a number with no natural upper end (capability, salience, …).
pub const LARGE: f64 = 1e12;

/// (0, 1e12]: capabilities, risk exponents, tactic β.
const POSITIVE: Domain = Domain {
    lo: 0.0,
    hi: LARGE,
    lo_open: true,
};
/// [0, 1e12]: saliences, perception noise, `Scale` amounts.
const NON_NEGATIVE: Domain = Domain::closed(0.0, LARGE);
/// [−1e12, 1e12]: `Add` amounts.
const ANY: Domain = Domain::closed(-LARGE, LARGE);

/// A number as a user would write it: shortest form, in exponent notation when very large or
/// very small.
fn show_num(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-6..1e10).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A scenario number as written in the file.
fn show_value(v: &Value) -> String {
    match *v {
        Value::Const(x) => show_num(x),
        Value::Dist(Distribution::Normal(m, s)) => {
            format!("Normal({}, {})", show_num(m), show_num(s))
        }
        Value::Dist(Distribution::Uniform(a, b)) => {
            format!("Uniform({}, {})", show_num(a), show_num(b))
        }
        Value::Dist(Distribution::Triangular(a, c, b)) => format!(
            "Triangular({}, {}, {})",
            show_num(a),
            show_num(c),
            show_num(b)
        ),
    }
}

/// A domain in interval notation.
fn show_domain(d: Domain) -> String {
    let open = if d.lo_open { "(" } else { "[" };
    let end = |x: f64| {
        if x == f64::INFINITY {
            "∞".to_string()
        } else {
            show_num(x).replace('-', "−")
        }
    };
    let close = if d.hi.is_infinite() { ")" } else { "]" };
    format!("{open}{}, {}{close}", end(d.lo), end(d.hi))
}

/// Checks every rule of `scenario` and builds its [`Model`]; `file` names the scenario in the
/// error. Reports every problem at once ([`ScenarioError::Invalid`]).
pub fn validate(scenario: &Scenario, file: &str) -> Result<Model, ScenarioError> {
    let mut c = Checker::default();
    let calendar = c.calendar(scenario);
    c.metadata_texts(scenario);
    let issue_paths = element_paths("issues", scenario.issues.iter().map(|i| i.id.as_str()));
    let actor_paths = element_paths("actors", scenario.actors.iter().map(|a| a.id.as_str()));
    let issues = actors::issues(&mut c, scenario, &issue_paths);
    let issue_ids = Ids::new(scenario.issues.iter().map(|i| i.id.as_str()), "issue");
    let actor_ids = Ids::new(scenario.actors.iter().map(|a| a.id.as_str()), "actor");
    let mut actors = actors::actors(&mut c, scenario, &issue_ids, &actor_paths);
    let relations = actors::relations(&mut c, scenario, &actor_ids);
    let pie = actors::pie(&mut c, scenario, &issue_ids);
    let (protocol, discount) = protocol::protocol(&mut c, scenario, &actor_ids);
    for (actor, d) in actors.iter_mut().zip(discount) {
        actor.discount = d;
    }
    let escalation = protocol::escalation(&mut c, scenario, &actor_ids, &issue_ids);
    let max_rounds = protocol.max_rounds();
    let events = events::events(&mut c, scenario, &actor_ids, &issue_ids, max_rounds);
    let perception_noise = c.value("perception_noise", &scenario.perception_noise, NON_NEGATIVE);
    let interdependence = c.value("interdependence", &scenario.interdependence, Domain::UNIT);
    let loss: Loss = scenario.loss.into();
    c.loss(loss, &protocol);

    if !c.problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: file.to_string(),
            problems: c.problems,
        });
    }
    let m = &scenario.metadata;
    let model = Model {
        name: m.name.clone(),
        origin: Default::default(),
        description: m.description.clone(),
        sources: m.sources.clone(),
        calendar,
        issues,
        actors,
        relations,
        protocol,
        escalation,
        events,
        perception_noise,
        interdependence,
        disagreement: scenario.disagreement.into(),
        pie,
        loss,
    };
    // Rules that need the whole model: where `Equilibrium` play is defined.
    let problems: Vec<Problem> = crate::model::games::equilibrium_problems(&model)
        .into_iter()
        .map(|p| Problem::new(by_id(&p.path, "actors", &actor_paths), p.found, p.allowed))
        .collect();
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: file.to_string(),
            problems,
        });
    }
    Ok(model)
}

/// Whether `id` is spelt as an id must be (what [`Checker::id`] accepts).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
}

/// The path of each element of the list `list` (`actors`, `issues`) with these ids: by its id
/// (`actors["RUS"]`) where the id is valid and given once, else by its index (`actors[2]`).
fn element_paths<'a>(list: &str, ids: impl Iterator<Item = &'a str> + Clone) -> Vec<String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids.clone() {
        *count.entry(id).or_default() += 1;
    }
    ids.enumerate()
        .map(|(i, id)| {
            if valid_id(id) && count.get(id) == Some(&1) {
                format!("{list}[{id:?}]")
            } else {
                format!("{list}[{i}]")
            }
        })
        .collect()
}

/// `path` with a leading `list[N]` (an index) replaced by that element's path in `paths`.
fn by_id(path: &str, list: &str, paths: &[String]) -> String {
    let Some(rest) = path.strip_prefix(list).and_then(|r| r.strip_prefix('[')) else {
        return path.to_string();
    };
    let Some((index, tail)) = rest.split_once(']') else {
        return path.to_string();
    };
    match index.parse::<usize>().ok().and_then(|i| paths.get(i)) {
        Some(element) => format!("{element}{tail}"),
        None => path.to_string(),
    }
}

/// Collects problems.
#[derive(Debug, Default)]
struct Checker {
    problems: Vec<Problem>,
}

/// Ids of one kind (actors or issues), for lookups and suggestions.
struct Ids<'a> {
    /// Each id's first index.
    index: BTreeMap<&'a str, usize>,
    /// The ids in file order (first occurrences).
    ordered: Vec<&'a str>,
    /// What the ids name, e.g. "actor".
    kind: &'static str,
}

impl<'a> Ids<'a> {
    fn new(ids: impl Iterator<Item = &'a str>, kind: &'static str) -> Self {
        let mut index = BTreeMap::new();
        let mut ordered = Vec::new();
        for (k, id) in ids.enumerate() {
            if !index.contains_key(id) {
                index.insert(id, k);
                ordered.push(id);
            }
        }
        Ids {
            index,
            ordered,
            kind,
        }
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// "one of A, B, C", or for many ids the nearest few.
    fn allowed(&self, found: &str) -> String {
        if self.ordered.is_empty() {
            return format!("an {} id (there are none)", self.kind);
        }
        let show = |id: &str| {
            if !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
            {
                id.to_string()
            } else {
                quoted(id)
            }
        };
        if self.ordered.len() <= 12 {
            let all: Vec<String> = self.ordered.iter().map(|id| show(id)).collect();
            return format!("one of {}", all.join(", "));
        }
        let mut by_distance: Vec<(usize, &str)> = self
            .ordered
            .iter()
            .map(|id| (edit_distance(found, id), *id))
            .collect();
        by_distance.sort();
        let near: Vec<String> = by_distance.iter().take(5).map(|(_, id)| show(id)).collect();
        format!(
            "one of the {} {} ids, the nearest being {}",
            self.ordered.len(),
            self.kind,
            near.join(", ")
        )
    }
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A string as it would be written in the file; a long one is cut after its first
/// [`MAX_ID_CHARS`] characters, with its length.
fn quoted(s: &str) -> String {
    let n = s.chars().count();
    if n <= MAX_ID_CHARS {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX_ID_CHARS).collect();
        format!("{head:?}… ({n} characters)")
    }
}

/// What `loss` may be under each protocol (the README's "Loss" section says which mechanisms
/// honour quadratic loss and why the expected-utility model refuses it).
pub const LOSS_ALLOWED: &str = "Linear under protocol ExpectedUtility (the expected-utility \
    model has its own published utilities, built on linear distances: Scholz, Calbert & Smith \
    2011); Linear or Quadratic under AlternatingOffers and Mediated";

impl Checker {
    /// The combination of `loss` with the protocol: quadratic loss is refused under
    /// `ExpectedUtility`, whose challenges and moves follow the model's own utilities.
    fn loss(&mut self, loss: Loss, protocol: &Protocol) {
        if loss == Loss::Quadratic && matches!(protocol, Protocol::ExpectedUtility { .. }) {
            self.problem(
                "loss",
                "Quadratic with protocol ExpectedUtility",
                LOSS_ALLOWED,
            );
        }
    }

    fn problem(&mut self, path: impl Into<String>, found: impl Into<String>, allowed: &str) {
        self.problems.push(Problem::new(path, found, allowed));
    }

    /// Checks a number against its domain and returns it.
    fn value(&mut self, path: &str, v: &Value, domain: Domain) -> Value {
        if v.check(domain).is_some() {
            self.value_in(path, v, domain, &show_domain(domain));
        }
        *v
    }

    /// Checks a number against `domain`, describing the domain as `shown`.
    fn value_in(&mut self, path: &str, v: &Value, domain: Domain, shown: &str) -> bool {
        let allowed = match v.check(domain) {
            None => return true,
            Some(ValueProblem::NotFinite) => {
                format!("a finite number or distribution in {shown}")
            }
            Some(ValueProblem::OutOfDomain) => format!("a number or distribution in {shown}"),
            Some(ValueProblem::BadParameters(why)) => {
                format!("a distribution with valid parameters ({why})")
            }
            Some(ValueProblem::NoMassInDomain) => {
                format!("a distribution with probability mass inside {shown}")
            }
        };
        self.problem(path, show_value(v), &allowed);
        false
    }

    /// Checks that a text has at most `max` characters; `what` names it (`a name`).
    fn text(&mut self, path: impl Into<String>, text: &str, what: &str, max: usize) {
        let n = text.chars().count();
        if n > max {
            self.problem(
                path,
                format!("{n} characters"),
                &format!("{what} of at most {max} characters"),
            );
        }
    }

    /// Checks the lengths of the metadata's texts.
    fn metadata_texts(&mut self, scenario: &Scenario) {
        let m = &scenario.metadata;
        self.text("metadata.name", &m.name, "a name", MAX_NAME_CHARS);
        self.text(
            "metadata.description",
            &m.description,
            "a description",
            MAX_TEXT_CHARS,
        );
        for (k, source) in m.sources.iter().enumerate() {
            self.text(
                format!("metadata.sources[{k}]"),
                source,
                "a source",
                MAX_TEXT_CHARS,
            );
        }
    }

    /// Checks an id's length and spelling.
    fn id(&mut self, path: &str, id: &str) {
        let n = id.chars().count();
        if n > MAX_ID_CHARS {
            self.problem(
                path,
                format!("{n} characters"),
                &format!("an id of at most {MAX_ID_CHARS} characters"),
            );
            return;
        }
        if !valid_id(id) {
            self.problem(
                path,
                quoted(id),
                "a non-empty id of ASCII letters, digits, `_` and `-`",
            );
        }
    }

    /// Reports ids given more than once (after the first).
    fn unique<'a>(&mut self, items: impl Iterator<Item = (String, &'a str)>, what: &str) {
        let mut first: BTreeMap<&str, String> = BTreeMap::new();
        for (path, id) in items {
            match first.get(id) {
                Some(at) => {
                    let allowed = if *at == path {
                        format!("each {what} once")
                    } else {
                        format!("each {what} once (first given at {at})")
                    };
                    self.problem(path, format!("{} again", quoted(id)), &allowed);
                }
                None => {
                    first.insert(id, path);
                }
            }
        }
    }

    /// Resolves an id, reporting an unknown one.
    fn resolve(&mut self, path: &str, id: &str, ids: &Ids) -> Option<usize> {
        let found = ids.get(id);
        if found.is_none() {
            let allowed = ids.allowed(id);
            self.problem(path, quoted(id), &allowed);
        }
        found
    }

    /// Checks a deadline.
    /// Checks a protocol's deadline against its limit (`limit`, [`Protocol::round_limit`]).
    ///
    /// [`Protocol::round_limit`]: crate::model::Protocol::round_limit
    fn max_rounds(&mut self, path: &str, n: u32, limit: u32) {
        if n == 0 || n > limit {
            let allowed = if limit == MAX_ROUNDS {
                format!("a number of rounds in 1..={limit}")
            } else {
                format!(
                    "a number of rounds in 1..={limit} under this protocol (only \
                     AlternatingOffers takes up to {MAX_ROUNDS})"
                )
            };
            self.problem(path, n.to_string(), &allowed);
        }
    }

    /// The calendar from `metadata.round` and `metadata.start`.
    fn calendar(&mut self, scenario: &Scenario) -> Calendar {
        let m = &scenario.metadata;
        let (count, unit) = match calendar::parse_round(&m.round) {
            Ok(r) => r,
            Err(allowed) => {
                self.problem("metadata.round", quoted(&m.round), allowed);
                (1, TimeUnit::Month)
            }
        };
        let start = m
            .start
            .as_deref()
            .and_then(|s| match crate::model::parse_date(s) {
                Ok(d) => Some(d),
                Err(allowed) => {
                    self.problem("metadata.start", quoted(s), allowed);
                    None
                }
            });
        Calendar { count, unit, start }
    }
}

#[cfg(test)]
mod tests;
