//! GENIUS domains and linear additive profiles (XML), and what both GENIUS readers share.
//!
//! A GENIUS domain (Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker 2014, "Genius: an
//! integrated environment for supporting the design of generic automated negotiators",
//! *Computational Intelligence* 30(1)) is
//!
//! ```text
//! <negotiation_template><utility_space><objective ...>
//!   <issue index="1" name="Laptop" etype="discrete"><item index="1" value="Dell"/>...</issue>
//!   <issue index="2" name="Price" etype="integer" lowerbound="0" upperbound="10"/>
//!   <issue index="3" name="Time" etype="real"><range lowerbound="0" upperbound="1"/></issue>
//! </objective></utility_space></negotiation_template>
//! ```
//!
//! and a profile repeats the issues with their evaluations, the weights, and optionally the
//! reservation value and the discount factor:
//!
//! ```text
//! <utility_space><objective ...>
//!   <issue index="1" name="Laptop" etype="discrete"><item value="Dell" evaluation="12"/>...
//!   <issue index="2" name="Price" etype="integer" lowerbound="0" upperbound="10">
//!     <evaluator ftype="linear" slope="-0.1" offset="1"/></issue>
//!   <issue index="3" name="Time" etype="real"><range lowerbound="0" upperbound="1"/>
//!     <evaluator ftype="linear" parameter0="1" parameter1="-1"/></issue>
//!   <weight index="1" value="0.5"/>...
//! </objective><reservation value="0.3"/><discount_factor value="0.9"/></utility_space>
//! ```
//!
//! Evaluations follow GENIUS's own reading: a discrete value's evaluation is its `evaluation`
//! divided by the issue's largest (all 0 when that is below 10⁻⁵); an integer issue's is
//! `offset + slope · (v − lowerbound)` and a real issue's `parameter0 + parameter1 · v`, both
//! clipped to [0, 1]. A discount factor outside (0, 1] means none (GENIUS's rule). Profiles of
//! another type (`<utility_space type="nonlinear">`, `constraint`, `uncertain`, hyperrectangle
//! or constraint elements, nested objectives, triangular or other non-linear evaluators) are
//! refused.

use super::additive::{self, Domain, Evaluation, Issue, Profile, ProfileFit, Values};
use super::{Draft, Template, build, csvfile};
use crate::scenario::Source;
use crate::scenario::error::ScenarioError;
use crate::scenario::schema::{DisagreementSpec, LossSpec, ProtocolSpec};
use std::path::{Path, PathBuf};

/// A scenario made from a domain and its profiles.
#[derive(Debug, Clone)]
pub struct ImportedDomain {
    /// The scenario's text (validated), named as it would be written.
    pub source: Source,
    /// How well each profile is represented, in the order given.
    pub fits: Vec<ProfileFit>,
    /// What the mapping could not keep, for standard error (also written as comments).
    pub warnings: Vec<String>,
}

/// Options of the GENIUS and GeniusWeb imports.
#[derive(Debug, Clone, Default)]
pub struct DomainOptions {
    /// The scenario's name; default: the domain's.
    pub name: Option<String>,
}

/// Reads a file as UTF-8 text (at most [`MAX_FILE_BYTES`](crate::scenario::MAX_FILE_BYTES)).
pub(super) fn read_text(path: &Path) -> Result<(String, String), ScenarioError> {
    let (file, bytes) = csvfile::read_bytes(path, "file")?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok((file, text)),
        Err(e) => Err(ScenarioError::Io {
            message: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            file,
        }),
    }
}

/// An id made of a name: kept when it is one, else its other characters become `_`.
pub(super) fn id_of(name: &str, fallback: &str) -> String {
    let id = if csvfile::is_id(name) {
        name.to_string()
    } else {
        csvfile::to_id(name)
    };
    if id.is_empty() {
        fallback.to_string()
    } else {
        id
    }
}

/// An XML file parsed, for located errors.
struct Xml<'a> {
    file: String,
    doc: roxmltree::Document<'a>,
}

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

impl<'a> Xml<'a> {
    fn parse(file: String, text: &'a str) -> Result<Xml<'a>, ScenarioError> {
        match roxmltree::Document::parse(text) {
            Ok(doc) => Ok(Xml { file, doc }),
            Err(e) => {
                let pos = e.pos();
                let message = e.to_string();
                let message = message
                    .strip_suffix(&format!(" at {pos}"))
                    .unwrap_or(&message)
                    .to_string();
                Err(ScenarioError::Table {
                    file,
                    line: pos.row as usize,
                    column: pos.col as usize,
                    message: format!("not well-formed XML: {message}"),
                })
            }
        }
    }

    /// An error at byte offset `at`.
    fn error_at(&self, at: usize, message: impl Into<String>) -> ScenarioError {
        let pos = self.doc.text_pos_at(at);
        ScenarioError::Table {
            file: self.file.clone(),
            line: pos.row as usize,
            column: pos.col as usize,
            message: message.into(),
        }
    }

    /// An error at an element.
    fn error(&self, node: Node, message: impl Into<String>) -> ScenarioError {
        self.error_at(node.range().start, message)
    }

    /// An error at an element's attribute (at the element when it lacks it).
    fn attr_error(&self, node: Node, name: &str, message: impl Into<String>) -> ScenarioError {
        match node.attribute_node(name) {
            Some(a) => self.error_at(a.range_value().start, message),
            None => self.error(node, message),
        }
    }

    /// A required attribute.
    fn attr<'n>(&self, node: Node<'n, '_>, name: &str) -> Result<&'n str, ScenarioError> {
        node.attribute(name).ok_or_else(|| {
            self.error(
                node,
                format!("<{}> lacks the attribute `{name}`", node.tag_name().name()),
            )
        })
    }

    /// A required attribute read as a finite number.
    fn number(&self, node: Node, name: &str) -> Result<f64, ScenarioError> {
        let text = self.attr(node, name)?;
        match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(self.attr_error(node, name, format!("`{name}` is `{text}`, not a number"))),
        }
    }

    /// A required attribute read as an integer.
    fn integer(&self, node: Node, name: &str) -> Result<i64, ScenarioError> {
        let text = self.attr(node, name)?;
        text.trim().parse::<i64>().map_err(|_| {
            self.attr_error(node, name, format!("`{name}` is `{text}`, not an integer"))
        })
    }
}

/// The element children of `node` named `name`.
fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// An issue's type: `etype`, else `type`, else discrete (GENIUS's default).
fn issue_type<'n>(node: Node<'n, '_>) -> &'n str {
    node.attribute("etype")
        .or_else(|| node.attribute("type"))
        .unwrap_or("discrete")
}

/// The objective holding the issues: the root's (or its `utility_space`'s) `objective`.
fn objective<'a, 'i>(xml: &Xml, root: Node<'a, 'i>) -> Result<Node<'a, 'i>, ScenarioError> {
    let space = if root.tag_name().name() == "utility_space" {
        Some(root)
    } else {
        children(root, "utility_space").next()
    };
    let Some(objective) = space.and_then(|s| children(s, "objective").next()) else {
        return Err(xml.error(
            root,
            format!(
                "no <objective> with the issues: expected <negotiation_template><utility_space>\
                 <objective> (a domain) or <utility_space><objective> (a profile), found <{}>",
                root.tag_name().name()
            ),
        ));
    };
    if let Some(nested) = children(objective, "objective").next() {
        return Err(xml.error(
            nested,
            "a nested objective (a hierarchy of objectives); only issues directly under the \
             root objective can be imported",
        ));
    }
    Ok(objective)
}

/// An issue of a GENIUS domain with where it is.
struct DomainIssue {
    index: i64,
    issue: Issue,
}

fn read_domain(path: &Path) -> Result<(String, Vec<DomainIssue>), ScenarioError> {
    let (file, text) = read_text(path)?;
    let xml = Xml::parse(file.clone(), &text)?;
    let root = xml.doc.root_element();
    if root.tag_name().name() != "negotiation_template" {
        return Err(xml.error(
            root,
            format!(
                "the root element is <{}>; a GENIUS domain is a <negotiation_template> (is this \
                 a profile? give the domain first, then the profiles)",
                root.tag_name().name()
            ),
        ));
    }
    let objective = objective(&xml, root)?;
    let mut issues: Vec<DomainIssue> = Vec::new();
    for node in children(objective, "issue") {
        let index = xml.integer(node, "index")?;
        let name = xml.attr(node, "name")?.to_string();
        if issues.iter().any(|i| i.index == index) {
            return Err(xml.attr_error(
                node,
                "index",
                format!("issue index {index} again; indexes are unique"),
            ));
        }
        if issues.iter().any(|i| i.issue.name == name) {
            return Err(xml.attr_error(
                node,
                "name",
                format!("issue `{name}` again; names are unique"),
            ));
        }
        let values = match issue_type(node) {
            "discrete" => {
                let mut labels: Vec<String> = Vec::new();
                for item in children(node, "item") {
                    let value = xml.attr(item, "value")?.to_string();
                    if labels.contains(&value) {
                        return Err(xml.attr_error(
                            item,
                            "value",
                            format!("value `{value}` again on issue `{name}`"),
                        ));
                    }
                    labels.push(value);
                }
                if labels.is_empty() {
                    return Err(xml.error(node, format!("issue `{name}` has no <item> values")));
                }
                Values::Discrete(labels)
            }
            "integer" => {
                let (low, high) = (
                    xml.integer(node, "lowerbound")?,
                    xml.integer(node, "upperbound")?,
                );
                if low > high {
                    return Err(xml.attr_error(
                        node,
                        "upperbound",
                        format!("upperbound {high} is below lowerbound {low}"),
                    ));
                }
                Values::Numbers {
                    low: low as f64,
                    high: high as f64,
                    step: Some(1.0),
                }
            }
            "real" => {
                let holder = children(node, "range").next().unwrap_or(node);
                let (low, high) = (
                    xml.number(holder, "lowerbound")?,
                    xml.number(holder, "upperbound")?,
                );
                if low > high {
                    return Err(xml.attr_error(
                        holder,
                        "upperbound",
                        format!("upperbound {high} is below lowerbound {low}"),
                    ));
                }
                Values::Numbers {
                    low,
                    high,
                    step: None,
                }
            }
            other => {
                return Err(xml.attr_error(
                    node,
                    if node.has_attribute("etype") {
                        "etype"
                    } else {
                        "type"
                    },
                    format!(
                        "issue `{name}` is of type `{other}`; allowed: discrete, integer, real"
                    ),
                ));
            }
        };
        issues.push(DomainIssue {
            index,
            issue: Issue { name, values },
        });
    }
    if issues.is_empty() {
        return Err(xml.error(objective, "the domain has no <issue>"));
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "domain".to_string());
    let name = name
        .strip_suffix("-domain")
        .or_else(|| name.strip_suffix("_domain"))
        .unwrap_or(&name)
        .to_string();
    Ok((name, issues))
}

/// The elements of a non-linear GENIUS profile.
const NONLINEAR_ELEMENTS: &[&str] = &[
    "ufun",
    "hyperRectangle",
    "constraint",
    "rconstraint",
    "INCLUDES",
    "EXCLUDES",
];

fn read_profile(path: &Path, issues: &[DomainIssue]) -> Result<Profile, ScenarioError> {
    let (file, text) = read_text(path)?;
    let xml = Xml::parse(file.clone(), &text)?;
    let root = xml.doc.root_element();
    if root.tag_name().name() != "utility_space" {
        return Err(xml.error(
            root,
            format!(
                "the root element is <{}>; a GENIUS profile is a <utility_space> (is this the \
                 domain file? give the domain first, then the profiles)",
                root.tag_name().name()
            ),
        ));
    }
    if let Some(kind) = root.attribute("type")
        && !kind.eq_ignore_ascii_case("linear")
    {
        return Err(xml.attr_error(
            root,
            "type",
            format!(
                "a `{kind}` utility space; only linear additive profiles can be imported \
                 (treaty's utility is additive over issues)"
            ),
        ));
    }
    if let Some(node) = root
        .descendants()
        .find(|n| n.is_element() && NONLINEAR_ELEMENTS.contains(&n.tag_name().name()))
    {
        return Err(xml.error(
            node,
            format!(
                "a <{}> element, part of a non-linear (constraint or hyperrectangle) utility \
                 space; only linear additive profiles can be imported",
                node.tag_name().name()
            ),
        ));
    }
    let objective = objective(&xml, root)?;

    let mut weights: Vec<Option<f64>> = vec![None; issues.len()];
    for w in children(objective, "weight") {
        let index = xml.integer(w, "index")?;
        let Some(j) = issues.iter().position(|i| i.index == index) else {
            return Err(xml.attr_error(
                w,
                "index",
                format!("a weight for issue index {index}, which the domain does not have"),
            ));
        };
        let value = xml.number(w, "value")?;
        if value < 0.0 {
            return Err(xml.attr_error(
                w,
                "value",
                format!("a negative weight ({value}); weights are 0 or more"),
            ));
        }
        if weights[j].is_some() {
            return Err(xml.attr_error(
                w,
                "index",
                format!("a second weight for issue index {index}"),
            ));
        }
        weights[j] = Some(value);
    }

    let mut evaluations: Vec<Option<Evaluation>> = vec![None; issues.len()];
    for node in children(objective, "issue") {
        let index = xml.integer(node, "index")?;
        let name = xml.attr(node, "name")?;
        let Some(j) = issues.iter().position(|i| i.index == index) else {
            return Err(xml.attr_error(
                node,
                "index",
                format!(
                    "issue `{name}` (index {index}) is not in the domain; the profile does not \
                     belong to this domain"
                ),
            ));
        };
        let domain = &issues[j].issue;
        if domain.name != name {
            return Err(xml.attr_error(
                node,
                "name",
                format!(
                    "issue index {index} is `{name}` here but `{}` in the domain; the profile \
                     does not belong to this domain",
                    domain.name
                ),
            ));
        }
        if evaluations[j].is_some() {
            return Err(xml.error(node, format!("issue `{name}` again")));
        }
        let evaluator = children(node, "evaluator").next();
        let ftype = evaluator.and_then(|e| e.attribute("ftype"));
        let evaluation = match &domain.values {
            Values::Discrete(labels) => {
                if issue_type(node) != "discrete" {
                    return Err(xml.error(
                        node,
                        format!(
                            "issue `{name}` is `{}` here but discrete in the domain",
                            issue_type(node)
                        ),
                    ));
                }
                let mut table: Vec<Option<f64>> = vec![None; labels.len()];
                for item in children(node, "item") {
                    let value = xml.attr(item, "value")?;
                    let Some(k) = labels.iter().position(|l| l == value) else {
                        return Err(xml.attr_error(
                            item,
                            "value",
                            format!(
                                "value `{value}` of issue `{name}` is not in the domain (it has \
                                 {})",
                                labels.join(", ")
                            ),
                        ));
                    };
                    let e = xml.number(item, "evaluation")?;
                    if e < 0.0 {
                        return Err(xml.attr_error(
                            item,
                            "evaluation",
                            format!("a negative evaluation ({e}); evaluations are 0 or more"),
                        ));
                    }
                    table[k] = Some(e);
                }
                let missing: Vec<&str> = labels
                    .iter()
                    .zip(&table)
                    .filter(|(_, e)| e.is_none())
                    .map(|(l, _)| l.as_str())
                    .collect();
                if !missing.is_empty() {
                    return Err(xml.error(
                        node,
                        format!(
                            "issue `{name}` has no evaluation for {}",
                            missing.join(", ")
                        ),
                    ));
                }
                let raw: Vec<f64> = table.into_iter().map(|e| e.unwrap_or(0.0)).collect();
                let max = raw.iter().copied().fold(0.0, f64::max);
                Evaluation::Table(
                    raw.iter()
                        .map(|e| if max < 1e-5 { 0.0 } else { e / max })
                        .collect(),
                )
            }
            Values::Numbers { low, high, step } => {
                let kind = if step.is_some() { "integer" } else { "real" };
                if issue_type(node) != kind {
                    return Err(xml.error(
                        node,
                        format!(
                            "issue `{name}` is `{}` here but {kind} in the domain",
                            issue_type(node)
                        ),
                    ));
                }
                let holder = if kind == "real" {
                    children(node, "range").next().unwrap_or(node)
                } else {
                    node
                };
                for (bound, expected) in [("lowerbound", *low), ("upperbound", *high)] {
                    if holder.has_attribute(bound) {
                        let got = xml.number(holder, bound)?;
                        if got != expected {
                            return Err(xml.attr_error(
                                holder,
                                bound,
                                format!(
                                    "issue `{name}` has {bound} {got} here but {expected} in \
                                     the domain"
                                ),
                            ));
                        }
                    }
                }
                let Some(ev) = evaluator else {
                    return Err(xml.error(node, format!("issue `{name}` has no <evaluator>")));
                };
                match (kind, ftype.map(str::to_ascii_lowercase).as_deref()) {
                    ("integer", None | Some("linear")) => Evaluation::Clamped {
                        offset: xml.number(ev, "offset")?,
                        slope: xml.number(ev, "slope")?,
                        origin: *low,
                    },
                    ("real", Some("linear")) => {
                        let (offset, slope) = if ev.has_attribute("parameter0") {
                            (xml.number(ev, "parameter0")?, xml.number(ev, "parameter1")?)
                        } else {
                            (xml.number(ev, "offset")?, xml.number(ev, "slope")?)
                        };
                        Evaluation::Clamped {
                            offset,
                            slope,
                            origin: 0.0,
                        }
                    }
                    ("real", Some("constant")) => Evaluation::Clamped {
                        offset: xml.number(ev, "parameter0")?,
                        slope: 0.0,
                        origin: 0.0,
                    },
                    (_, other) => {
                        return Err(xml.attr_error(
                            ev,
                            "ftype",
                            format!(
                                "issue `{name}` has a `{}` evaluator; only linear evaluators \
                                 (and constant ones on real issues) can be imported",
                                other.unwrap_or("(none)")
                            ),
                        ));
                    }
                }
            }
        };
        evaluations[j] = Some(evaluation);
    }
    let mut missing = Vec::new();
    for (j, i) in issues.iter().enumerate() {
        if evaluations[j].is_none() {
            missing.push(format!("no evaluation of issue `{}`", i.issue.name));
        }
        if weights[j].is_none() {
            missing.push(format!(
                "no <weight index=\"{}\"> (issue `{}`)",
                i.index, i.issue.name
            ));
        }
    }
    if !missing.is_empty() {
        return Err(xml.error(objective, missing.join("; ")));
    }
    let optional = |name: &str| -> Result<Option<f64>, ScenarioError> {
        match root
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == name)
        {
            Some(node) => xml.number(node, "value").map(Some),
            None => Ok(None),
        }
    };
    let reservation = optional("reservation")?;
    let discount = optional("discount_factor")?
        .filter(|d| *d > 0.0 && *d <= 1.0)
        .unwrap_or(1.0);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Profile {
        file,
        id: id_of(&stem, "profile"),
        name: stem,
        weights: weights.into_iter().map(|w| w.unwrap_or(0.0)).collect(),
        evaluations: evaluations
            .into_iter()
            .map(|e| e.unwrap_or(Evaluation::Table(Vec::new())))
            .collect(),
        reservation,
        discount,
    })
}

/// Reads a GENIUS domain and its profiles into one scenario (validated).
pub(super) fn import(
    domain_path: &Path,
    profile_paths: &[PathBuf],
    template: &Template,
    options: &DomainOptions,
) -> Result<ImportedDomain, ScenarioError> {
    let (domain_name, issues) = read_domain(domain_path)?;
    let profiles = profile_paths
        .iter()
        .map(|p| read_profile(p, &issues))
        .collect::<Result<Vec<_>, _>>()?;
    let domain = Domain {
        issues: issues.into_iter().map(|i| i.issue).collect(),
    };
    let domain_file = domain_path.display().to_string();
    let mut sources = vec![domain_file.clone()];
    sources.extend(profiles.iter().map(|p| p.file.clone()));
    finish(
        "genius",
        &domain_file,
        options.name.clone().unwrap_or(domain_name),
        &domain,
        profiles,
        template,
        sources,
        domain_path.with_extension("ron").display().to_string(),
    )
}

/// An error about the set of files, at line 1, column 1 of `file`.
pub(super) fn whole(file: &str, message: String) -> ScenarioError {
    ScenarioError::Table {
        file: file.to_string(),
        line: 1,
        column: 1,
        message,
    }
}

/// Turns a domain and its profiles into a validated scenario with the template.
#[allow(clippy::too_many_arguments)]
pub(super) fn finish(
    form: &str,
    domain_file: &str,
    name: String,
    domain: &Domain,
    mut profiles: Vec<Profile>,
    template: &Template,
    sources: Vec<String>,
    file: String,
) -> Result<ImportedDomain, ScenarioError> {
    if profiles.len() < 2 {
        return Err(whole(
            domain_file,
            format!(
                "{} profile{} given; a negotiation needs at least two",
                profiles.len(),
                if profiles.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    // Actor ids: unique, and not the template's.
    for k in 0..profiles.len() {
        let base = profiles[k].id.clone();
        let taken = |id: &str, profiles: &[Profile]| {
            profiles[..k].iter().any(|p| p.id == id) || template.actor_ids().any(|t| t == id)
        };
        if taken(&base, &profiles) {
            let id = (2..)
                .map(|n| format!("{base}-{n}"))
                .find(|id| !taken(id, &profiles))
                .unwrap_or(base);
            profiles[k].id = id;
        }
    }
    // Issue ids.
    let mut ids: Vec<String> = Vec::with_capacity(domain.issues.len());
    for (j, issue) in domain.issues.iter().enumerate() {
        let base = id_of(&issue.name, &format!("issue{}", j + 1));
        let id = if ids.contains(&base) {
            (2..)
                .map(|n| format!("{base}-{n}"))
                .find(|id| !ids.contains(id))
                .unwrap_or(base)
        } else {
            base
        };
        ids.push(id);
    }
    let rounds = match &template.scenario.protocol {
        ProtocolSpec::AlternatingOffers { max_rounds, .. } => Some(*max_rounds),
        _ => None,
    };
    let mapped = additive::map(domain, &ids, &profiles, rounds)
        .map_err(|message| whole(domain_file, message))?;
    let mut warnings = mapped.warnings;
    let mut header = vec![
        format!(
            "Imported by `treaty import {form}` from {} with the template `{}`.",
            sources.join(", "),
            template.name()
        ),
        "Each profile is a principal with capability 1 (profiles carry no power). Its ideal is \
         its best value on each issue, its saliences the issue weights times the evaluation \
         ranges (see `treaty::scenario::import`); its reservation is the profile's mapped to \
         [0, 1]."
            .to_string(),
        "The domain has no status quo: every issue's is 0.5, the midpoint.".to_string(),
    ];
    if template.scenario.disagreement == DisagreementSpec::StatusQuo {
        let w = format!(
            "the template `{}` has `disagreement: StatusQuo`: failed talks are then worth the \
             assumed status quo (0.5 on every issue), not the profiles' reservation values; a \
             template with `disagreement: Reservation` (every bundled one) keeps them",
            template.name()
        );
        header.push(format!("Note: {w}."));
        warnings.push(w);
    }
    if let Some(p) = &template.prototype
        && p.risk != crate::model::Value::Const(1.0)
    {
        let w = format!(
            "the template's prototype has risk {}, not 1: the actors' utilities are then \
             curved, while linear additive profiles are risk neutral",
            p.risk
        );
        header.push(format!("Note: {w}."));
        warnings.push(w);
    }
    if template.scenario.loss == LossSpec::Quadratic {
        let w = format!(
            "the template `{}` has `loss: Quadratic`: the actors' utilities then fall with squared \
             distances, while linear additive profiles lose utility in proportion to distance",
            template.name()
        );
        header.push(format!("Note: {w}."));
        warnings.push(w);
    }
    let mut actor_notes = mapped.actor_notes;
    for w in &warnings {
        if !header.iter().any(|h| h.contains(w.as_str())) {
            actor_notes.push(format!("Warning: {w}"));
        }
    }
    let description = format!(
        "{name}: {} issue{}, {} profiles, imported from {domain_file}",
        domain.issues.len(),
        if domain.issues.len() == 1 { "" } else { "s" },
        profiles.len()
    );
    let draft = Draft {
        name,
        description,
        sources,
        low: String::new(),
        high: String::new(),
        issues: mapped.issues,
        actors: mapped.actors,
        header,
        actor_notes,
        discount: mapped.discount,
    };
    let source = build(template, draft, file)?;
    Ok(ImportedDomain {
        source,
        fits: mapped.fits,
        warnings,
    })
}
