//! Importing tables: scenarios made from tabular data and a template.
//!
//! Data sets on negotiations and collective decisions (the expert surveys of EU legislative
//! decision-making, the actor tables of Bueno de Mesquita's expected-utility forecasts) give
//! actors, their capabilities, and per issue their positions and saliences. They say nothing of
//! the protocol, the actors' strategies or the noise of their perceptions: a **template**
//! supplies those.
//!
//! # Templates
//!
//! A template is an ordinary scenario file (the same RON syntax, read by [`parse`]) whose
//! `issues` list is empty. Three are bundled ([`templates`], [`template_text`]):
//! `alternating-offers`, `mediated` and `expected-utility`. In a template:
//!
//! - `issues` is empty (`issues: []`) and there is no `pie`: the issues come from the table;
//! - an actor with id `"_"`, the **prototype**, is not an actor: every imported actor takes its
//!   `role`, `risk`, `reservation`, `strategy` and `optimism` (its capability and stances are
//!   ignored). Without one, imported actors are `Principal`s with the defaults of the format;
//! - every other actor is added to every imported scenario as written, before the imported ones
//!   (e.g. a chair mediator). An actor without stances gets, on every imported issue, position
//!   0.5 and salience 1: a neutral chair. Under the `Mediated` protocol a mediator's ideal plays
//!   no part in the texts (the first text is the compromise of the principals' positions, and
//!   amendments move towards rejecting principals);
//! - `relations` may link only the template's own actors; `events` may not name issues, nor may
//!   `escalation.issues`;
//! - `metadata`, `relations`, `protocol`, `escalation`, `events`, `perception_noise`,
//!   `interdependence` and `disagreement` are copied; `metadata.name` and `description` are
//!   replaced per scenario, and the data files are appended to `metadata.sources`.
//!
//! # Two forms of table
//!
//! **Tidy, many cases** ([`tidy`]): a folder with three CSV files,
//!
//! - `cases.csv`: one row per issue, columns `case` (its id), `status_quo`, `outcome` (cells may
//!   be empty), and any others (`proposal`, `short_name`, `procedure`, `rule`, …) kept as tags;
//! - `stances.csv`: `case`, `actor`, `position`, `salience`, one row per actor placed on a case;
//! - `actors.csv`: `actor`, `capability`, and optionally `name`.
//!
//! With [`Grouping::Case`] each case becomes a scenario with one issue (named after its
//! `short_name`, if any, and its id); with [`Grouping::Proposal`] each value of the `proposal`
//! column becomes a scenario whose issues are its cases. A scenario's actors are those with a
//! stance on one of its issues, in the order of `actors.csv`; an actor whose saliences there are
//! all 0 is left out (every actor of a scenario needs a positive salience somewhere), and a
//! scenario needs at least two actors with a positive salience. Outcomes are not part of a
//! scenario: they are returned in [`ImportedCase::issues`] (and `treaty import tidy` writes them
//! to `outcomes.csv`).
//!
//! **One actor per row** ([`table`]), as the expected-utility replications and KTAB write them:
//! a column `actor` (or `name`) and `capability` (or `power`, `clout`), then per issue a pair of
//! columns `ISSUE_position` and `ISSUE_salience` (or `ISSUE position`, `ISSUE salience`; case
//! does not matter), or for a single issue just `position` and `salience`. Issue ids are the
//! column prefixes (characters other than letters, digits, `_` and `-` become `_`); a single
//! issue takes the scenario's name as its id. Without an `actor` column, the `name` gives the id
//! the same way. Other columns are ignored. A row whose position and salience cells of an issue
//! are both empty has no stance on it.
//!
//! # Negotiation domains: GENIUS and GeniusWeb
//!
//! [`genius`] reads a GENIUS domain (XML) and two or more of its linear additive profiles;
//! [`geniusweb`] reads two or more GeniusWeb `LinearAdditiveUtilitySpace` profiles (JSON), each
//! carrying the same domain. Each profile becomes a principal with capability 1 (profiles carry
//! no power), its id and name from the file's stem (GENIUS) or the profile's `name`
//! (GeniusWeb); the template supplies the rest as for tables (the prototype's reservation is
//! replaced by the profile's). Each issue becomes an issue of the scenario with options (one
//! per value; a number range of more than 101 values, or a GENIUS real issue, is continuous),
//! its poles named after its first and last values, and status quo 0.5: the formats have no
//! status quo, and under `disagreement: Reservation` (every bundled template) failed talks are
//! worth the reservation value, as in GENIUS; a template with `StatusQuo` gets a warning.
//!
//! How evaluations become points, ideals and saliences, how the reservation value and the
//! discount factor are carried over, what is lost and how the loss is measured (also in the
//! README, *Importing negotiation domains*):
//!
//! - Number issues and discrete issues whose values are all numbers: x(v) = (v − low) /
//!   (high − low). Named values: the first principal axis of the profiles' normalised
//!   evaluations (Carroll & Chang's MDPREF vector model in one dimension), rescaled to [0, 1].
//! - Ideal: the point of the profile's best value. Salience: w · (max e − min e) /
//!   max(p, 1 − p), divided by the profile's largest; so each issue keeps its share of the
//!   profile's utility range, and with evaluations spanning [0, 1] and ideals at the poles the
//!   saliences are proportional to the weights.
//! - Exact (u = (U − U_min) / (U_max − U_min) everywhere, with the prototype's risk 1) when each
//!   evaluation is linear in the distance from the best value; otherwise
//!   [`ProfileFit::max_error`] is the largest difference over all outcomes, and a warning says
//!   which issues cause it (non-monotone evaluations over ordered values, named values no one
//!   axis orders for every profile, GENIUS's clipping of linear evaluators).
//! - Reservation: (r − U_min) / (U_max − U_min), clipped to [0, 1] (a warning when above 1).
//!   GeniusWeb: r is the profile's utility of its `reservationBid`.
//! - Discount (GENIUS only): U · d^t at normalised time t becomes δ = d^(1/T) per round, T the
//!   template's `max_rounds`, in `AlternatingOffers`' `discount`; other protocols have none
//!   and the discount is dropped with a warning.
//!
//! Non-linear profiles are refused with the file, line and column of what makes them so: a
//! GENIUS `<utility_space type="nonlinear">` (or `constraint`, …), `ufun`/`hyperRectangle`/
//! constraint elements, nested objectives, triangular or other non-linear evaluators; a
//! GeniusWeb profile that is not a `LinearAdditiveUtilitySpace`. A profile whose issues,
//! values or bounds differ from the domain's (GENIUS) or from the first profile's domain
//! (GeniusWeb) is refused the same way. What the mapping cannot keep is returned in
//! [`ImportedDomain::warnings`] and written as comments in the file.
//! The derivation, with its sources, is written in the documentation of the code that computes
//! it (`src/scenario/import/additive.rs`).
//!
//! # Numbers
//!
//! Positions, status quos and outcomes are divided by the `scale` (1 for tables on [0, 1], 100
//! for tables on 0–100) and must then lie in [0, 1]. Saliences are relative: if any salience of
//! the table exceeds 1, every salience is divided by the table's largest. Capabilities are used
//! as they are and must be positive.
//!
//! An empty status quo (tidy form), or an issue without `status_quo` in [`TableOptions`], is set
//! to 0.5, the scale's midpoint; the written file says so in a comment and
//! [`ImportedIssue::status_quo_recorded`] is false.
//!
//! # Errors and output
//!
//! A bad row is a [`ScenarioError::Table`] at its file, line (the header is line 1) and column
//! (the 1-based field index; a missing column is reported at line 1, column 1); a bad domain or
//! profile is one at the line and column (in characters) of the element, attribute or JSON
//! value at fault. Every scenario is
//! written as readable RON text (a header comment saying where it came from, one issue per line,
//! one stance per line), parsed back and validated before it is returned; the same input gives
//! the same bytes.
//!
//! ```
//! let names = treaty::scenario::import::templates();
//! assert!(names.contains(&"mediated"));
//! let template = treaty::scenario::import::Template::load("mediated")?;
//! assert_eq!(template.name(), "mediated");
//! # Ok::<(), treaty::scenario::ScenarioError>(())
//! ```

mod additive;
mod csvfile;
mod genius;
mod geniusweb;
mod json;
mod table;
mod template;
mod tidy;
mod write;

#[cfg(test)]
mod tests;

use super::error::{Problem, ScenarioError};
use super::ordered::OrderedMap;
use super::schema::{
    ActorSpec, IssueSpec, OptionSpec, ProtocolSpec, RoleSpec, Scenario, StanceSpec, StrategySpec,
};
use super::{Source, parse, validate};
use crate::model::Value;

pub use additive::ProfileFit;
pub use genius::{DomainOptions, ImportedDomain};

/// A template: the settings an imported scenario takes from a scenario file without issues.
#[derive(Debug, Clone)]
pub struct Template {
    /// The bundled name, or the path as given.
    name: String,
    /// The template as parsed.
    scenario: Scenario,
    /// The prototype actor `"_"`, if any.
    prototype: Option<ActorSpec>,
    /// The template's other actors, added to every scenario.
    actors: Vec<ActorSpec>,
}

impl Template {
    /// A bundled template by name or a template file by path.
    pub fn load(name_or_path: &str) -> Result<Template, ScenarioError> {
        template::load(name_or_path)
    }

    /// The template's name (bundled name or the path as given).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ids of the actors the template adds to every scenario.
    fn actor_ids(&self) -> impl Iterator<Item = &str> {
        self.actors.iter().map(|a| a.id.as_str())
    }
}

/// The names of the bundled templates.
pub fn templates() -> &'static [&'static str] {
    template::names()
}

/// A bundled template's text.
pub fn template_text(name: &str) -> Option<&'static str> {
    template::text(name)
}

/// How the tidy form groups cases into scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// One scenario per case, with one issue.
    #[default]
    Case,
    /// One scenario per value of the `proposal` column, its cases as issues.
    Proposal,
}

/// Options of [`tidy`].
#[derive(Debug, Clone)]
pub struct TidyOptions {
    /// How cases become scenarios.
    pub grouping: Grouping,
    /// What positions, status quos and outcomes are divided by: 1 for tables on [0, 1], 100 for
    /// tables on 0–100.
    pub scale: f64,
}

impl Default for TidyOptions {
    fn default() -> Self {
        TidyOptions {
            grouping: Grouping::Case,
            scale: 1.0,
        }
    }
}

/// One imported scenario with what was recorded of its issues.
#[derive(Debug, Clone)]
pub struct ImportedCase {
    /// The scenario's name (case or proposal id), also its file stem.
    pub name: String,
    /// The RON text, ready for [`prepare`](crate::scenario::prepare) (its file is
    /// `<dir>/<name>.ron`, with `dir` the folder read, as it would be written there).
    pub source: Source,
    /// Per issue of the scenario, in order: its id, its recorded outcome (None when empty),
    /// whether its status quo was recorded, and its tags (column name, value) from cases.csv.
    pub issues: Vec<ImportedIssue>,
}

/// What a table recorded of one imported issue.
#[derive(Debug, Clone)]
pub struct ImportedIssue {
    /// The issue's id (the case id).
    pub id: String,
    /// The recorded outcome on [0, 1] (after scaling); None when the cell is empty.
    pub outcome: Option<f64>,
    /// Whether the table gave a status quo (otherwise the scenario's is 0.5).
    pub status_quo_recorded: bool,
    /// The case's other columns of `cases.csv` (name, value), in the file's order.
    pub tags: Vec<(String, String)>,
}

/// Reads a tidy folder into scenarios (validated).
pub fn tidy(
    dir: &std::path::Path,
    template: &Template,
    options: &TidyOptions,
) -> Result<Vec<ImportedCase>, ScenarioError> {
    tidy::import(dir, template, options)
}

/// Options of [`table`].
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// What positions and status quos are divided by: 1 for tables on [0, 1], 100 for tables on
    /// 0–100.
    pub scale: f64,
    /// Status quo per issue id, on the table's scale; issues not listed get 0.5 (after scaling).
    pub status_quo: Vec<(String, f64)>,
    /// The scenario's name; default: the file's stem.
    pub name: Option<String>,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            scale: 1.0,
            status_quo: Vec::new(),
            name: None,
        }
    }
}

/// Reads an actor table into one scenario (validated). The source's file is the table's path
/// with the extension `.ron`.
pub fn table(
    file: &std::path::Path,
    template: &Template,
    options: &TableOptions,
) -> Result<Source, ScenarioError> {
    table::import(file, template, options)
}

/// Reads a GENIUS domain (XML) and two or more of its linear additive profiles into one
/// scenario (validated): one principal per profile, in the order given. See the module
/// documentation (*Negotiation domains*) for the mapping. The source's file is the domain's path
/// with the extension `.ron`.
pub fn genius(
    domain: &std::path::Path,
    profiles: &[std::path::PathBuf],
    template: &Template,
    options: &DomainOptions,
) -> Result<ImportedDomain, ScenarioError> {
    genius::import(domain, profiles, template, options)
}

/// Reads two or more GeniusWeb linear additive profiles (JSON, each carrying the same domain)
/// into one scenario (validated): one principal per profile, in the order given. The source's
/// file is `<domain name>.ron` beside the first profile.
pub fn geniusweb(
    profiles: &[std::path::PathBuf],
    template: &Template,
    options: &DomainOptions,
) -> Result<ImportedDomain, ScenarioError> {
    geniusweb::import(profiles, template, options)
}

/// The status quo assumed where none is recorded: the scale's midpoint.
const MIDPOINT: f64 = 0.5;

/// A scenario as read from a table, before the template is applied.
#[derive(Debug, Clone)]
struct Draft {
    /// `metadata.name`.
    name: String,
    /// `metadata.description`.
    description: String,
    /// The data files, appended to the template's sources.
    sources: Vec<String>,
    /// What 0 and 1 mean on every issue.
    low: String,
    high: String,
    /// The issues, in order.
    issues: Vec<DraftIssue>,
    /// The actors with a positive salience somewhere, in order.
    actors: Vec<DraftActor>,
    /// Comments at the top of the file, and above the actors.
    header: Vec<String>,
    actor_notes: Vec<String>,
    /// Per-round discount factors (actor id, δ) added to an `AlternatingOffers` protocol.
    discount: Vec<(String, f64)>,
}

#[derive(Debug, Clone)]
struct DraftIssue {
    id: String,
    name: String,
    status_quo: f64,
    /// Comments above the issue.
    notes: Vec<String>,
    /// Labelled options `(at, label)`, sorted by `at`; empty: a continuous issue.
    options: Vec<(f64, String)>,
    /// What 0 and 1 mean on this issue, when not the draft's `low` and `high`.
    poles: Option<(String, String)>,
}

#[derive(Debug, Clone)]
struct DraftActor {
    id: String,
    name: String,
    capability: f64,
    /// (issue id, position, salience), in issue order.
    stances: Vec<(String, f64, f64)>,
    /// The reservation utility, when the data give one (else the prototype's, or 0).
    reservation: Option<f64>,
}

/// Checks that a scale is usable.
fn check_scale(file: &str, scale: f64) -> Result<(), ScenarioError> {
    if scale.is_finite() && scale > 0.0 {
        Ok(())
    } else {
        Err(ScenarioError::Invalid {
            file: file.to_string(),
            problems: vec![Problem::new(
                "scale",
                scale.to_string(),
                "a positive number: 1 for tables on [0, 1], 100 for tables on 0–100",
            )],
        })
    }
}

/// The words for a number outside [0, 1] after scaling.
fn outside_unit(text: &str, scale: f64) -> String {
    if scale == 1.0 {
        format!("`{text}` is outside [0, 1] (a table on 0–100 needs scale 100)")
    } else {
        format!("`{text}` divided by {scale} is outside [0, 1]")
    }
}

/// Applies the template to a draft, writes the text, reads it back and validates it.
fn build(template: &Template, draft: Draft, file: String) -> Result<Source, ScenarioError> {
    let t = &template.scenario;
    let mut metadata = t.metadata.clone();
    metadata.name = draft.name;
    metadata.description = draft.description;
    metadata.sources.extend(draft.sources);
    let issues: Vec<IssueSpec> = draft
        .issues
        .iter()
        .map(|i| {
            let (low, high) = i
                .poles
                .clone()
                .unwrap_or_else(|| (draft.low.clone(), draft.high.clone()));
            IssueSpec {
                id: i.id.clone(),
                name: i.name.clone(),
                low,
                high,
                status_quo: Value::Const(i.status_quo),
                options: i
                    .options
                    .iter()
                    .map(|(at, label)| OptionSpec {
                        at: *at,
                        label: label.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut actors: Vec<ActorSpec> = template
        .actors
        .iter()
        .map(|a| {
            let mut a = a.clone();
            if a.stances.is_empty() {
                a.stances = OrderedMap(
                    draft
                        .issues
                        .iter()
                        .map(|i| {
                            (
                                i.id.clone(),
                                StanceSpec {
                                    position: Value::Const(MIDPOINT),
                                    salience: Value::Const(1.0),
                                },
                            )
                        })
                        .collect(),
                );
            }
            a
        })
        .collect();
    for d in &draft.actors {
        let stances = OrderedMap(
            d.stances
                .iter()
                .map(|(issue, position, salience)| {
                    (
                        issue.clone(),
                        StanceSpec {
                            position: Value::Const(*position),
                            salience: Value::Const(*salience),
                        },
                    )
                })
                .collect(),
        );
        let actor = match &template.prototype {
            Some(p) => ActorSpec {
                id: d.id.clone(),
                name: d.name.clone(),
                role: p.role,
                capability: Value::Const(d.capability),
                risk: p.risk,
                reservation: d.reservation.map_or(p.reservation, Value::Const),
                strategy: p.strategy.clone(),
                optimism: p.optimism,
                stances,
            },
            None => ActorSpec {
                id: d.id.clone(),
                name: d.name.clone(),
                role: RoleSpec::Principal,
                capability: Value::Const(d.capability),
                risk: Value::Const(1.0),
                reservation: Value::Const(d.reservation.unwrap_or(0.0)),
                strategy: StrategySpec::Linear,
                optimism: Value::Const(0.0),
                stances,
            },
        };
        actors.push(actor);
    }
    let mut protocol = t.protocol.clone();
    if let ProtocolSpec::AlternatingOffers { discount, .. } = &mut protocol {
        for (id, delta) in &draft.discount {
            discount.0.push((id.clone(), Value::Const(*delta)));
        }
    }
    let scenario = Scenario {
        metadata,
        issues,
        actors,
        relations: t.relations.clone(),
        protocol,
        escalation: t.escalation.clone(),
        events: t.events.clone(),
        perception_noise: t.perception_noise,
        pie: Vec::new(),
        interdependence: t.interdependence,
        disagreement: t.disagreement,
        loss: t.loss,
    };
    let notes = write::Notes {
        header: draft.header,
        issues: draft.issues.into_iter().map(|i| i.notes).collect(),
        actors: draft.actor_notes,
    };
    let source = Source {
        file,
        text: write::scenario(&scenario, &notes),
    };
    let parsed = parse(&source)?;
    if parsed != scenario {
        return Err(ScenarioError::Invalid {
            file: source.file,
            problems: vec![Problem::new(
                "(the written text)",
                "a text that reads back differently from what was imported",
                "a text that reads back as imported (please report this)",
            )],
        });
    }
    validate(&parsed, &source.file)?;
    Ok(source)
}
