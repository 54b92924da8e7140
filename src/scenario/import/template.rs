//! Templates: the bundled ones and loading one from a file.

use super::Template;
use crate::scenario::error::{Problem, ScenarioError};
use crate::scenario::schema::{ActorSpec, EffectSpec, Scenario};
use crate::scenario::{Source, parse, read_source};

/// The bundled templates: (name, text).
const BUNDLED: &[(&str, &str)] = &[
    (
        "alternating-offers",
        include_str!("../../../templates/alternating-offers.ron"),
    ),
    ("mediated", include_str!("../../../templates/mediated.ron")),
    (
        "expected-utility",
        include_str!("../../../templates/expected-utility.ron"),
    ),
];

/// The names of the bundled templates, in the order of [`BUNDLED`].
const NAMES: &[&str] = &["alternating-offers", "mediated", "expected-utility"];

/// The prototype actor's id.
pub(super) const PROTOTYPE: &str = "_";

pub(super) fn names() -> &'static [&'static str] {
    NAMES
}

pub(super) fn text(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Loads a bundled template by name, else a template file by path.
pub(super) fn load(name_or_path: &str) -> Result<Template, ScenarioError> {
    let source = match text(name_or_path) {
        Some(text) => Source {
            file: name_or_path.to_string(),
            text: text.to_string(),
        },
        None => {
            let path = std::path::Path::new(name_or_path);
            if !path.exists() {
                return Err(ScenarioError::Io {
                    file: name_or_path.to_string(),
                    message: format!(
                        "no such file, and no bundled template of that name (bundled: {})",
                        NAMES.join(", ")
                    ),
                });
            }
            read_source(name_or_path)?
        }
    };
    from_source(source)
}

/// Parses a template and checks what only a template must satisfy.
pub(super) fn from_source(source: Source) -> Result<Template, ScenarioError> {
    let scenario = parse(&source)?;
    let problems = check(&scenario);
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: source.file,
            problems,
        });
    }
    let prototype = scenario.actors.iter().find(|a| a.id == PROTOTYPE).cloned();
    let actors: Vec<ActorSpec> = scenario
        .actors
        .iter()
        .filter(|a| a.id != PROTOTYPE)
        .cloned()
        .collect();
    Ok(Template {
        name: source.file,
        scenario,
        prototype,
        actors,
    })
}

/// The rules of a template: no issues, no pie, at most one prototype, relations only between
/// its own actors, no events or escalation naming issues.
fn check(s: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !s.issues.is_empty() {
        problems.push(Problem::new(
            "issues",
            format!("{} issues", s.issues.len()),
            "`issues: []` in a template: the issues come from the table",
        ));
    }
    if !s.pie.is_empty() {
        problems.push(Problem::new(
            "pie",
            format!("{} issue ids", s.pie.len()),
            "no pie in a template: its issues come from the table",
        ));
    }
    let prototypes = s.actors.iter().filter(|a| a.id == PROTOTYPE).count();
    if prototypes > 1 {
        problems.push(Problem::new(
            "actors",
            format!("{prototypes} prototype actors (id \"_\")"),
            "at most one prototype actor",
        ));
    }
    let own = |id: &str| id != PROTOTYPE && s.actors.iter().any(|a| a.id == id);
    for (k, r) in s.relations.iter().enumerate() {
        for (field, id) in [("a", &r.a), ("b", &r.b)] {
            if !own(id) {
                problems.push(Problem::new(
                    format!("relations[{k}].{field}"),
                    format!("{id:?}"),
                    "an actor of the template other than the prototype \"_\" (imported actors \
                     vary from case to case)",
                ));
            }
        }
    }
    if let Some(e) = &s.escalation
        && e.issues.is_some()
    {
        problems.push(Problem::new(
            "escalation.issues",
            "a list of issue ids",
            "no issues in a template's escalation: the issues come from the table",
        ));
    }
    for (k, event) in s.events.iter().enumerate() {
        for (m, effect) in event.effects.iter().enumerate() {
            let issue = match effect {
                EffectSpec::Salience { issue, .. }
                | EffectSpec::Position { issue, .. }
                | EffectSpec::StatusQuo { issue, .. } => Some(issue),
                _ => None,
            };
            if let Some(issue) = issue {
                problems.push(Problem::new(
                    format!("events[{k}].effects[{m}]"),
                    format!("an effect on issue {issue:?}"),
                    "events that name no issue in a template: the issues come from the table",
                ));
            }
        }
    }
    problems
}
