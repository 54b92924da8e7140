//! The tidy form: `cases.csv`, `stances.csv` and `actors.csv` in one folder.

use super::csvfile::{self, CsvFile, Row};
use super::{
    Draft, DraftActor, DraftIssue, Grouping, ImportedCase, ImportedIssue, MIDPOINT, Template,
    TidyOptions, build, check_scale, outside_unit,
};
use crate::scenario::error::ScenarioError;
use std::collections::BTreeMap;
use std::path::Path;

/// The columns of `cases.csv` that are not tags.
const CASE_COLUMNS: [&str; 3] = ["case", "status_quo", "outcome"];

/// One row of `cases.csv`.
#[derive(Debug)]
struct Case {
    id: String,
    /// Its line in `cases.csv`.
    line: usize,
    status_quo: Option<f64>,
    outcome: Option<f64>,
    /// The `short_name`, if any and not empty.
    short_name: Option<String>,
    /// The `proposal`, when grouping by proposal.
    proposal: Option<String>,
    tags: Vec<(String, String)>,
}

/// One row of `actors.csv`.
#[derive(Debug)]
struct ActorRow {
    id: String,
    name: String,
    capability: f64,
}

/// A stance: position (scaled) and raw salience.
#[derive(Debug, Clone, Copy)]
struct Stance {
    position: f64,
    salience: f64,
}

/// The stances by (case index, actor index).
type Stances = BTreeMap<(usize, usize), Stance>;

/// A number of `row`'s `column` on [0, 1] after dividing by `scale`, `None` when empty.
fn unit(csv: &CsvFile, row: &Row, column: usize, scale: f64) -> Result<Option<f64>, ScenarioError> {
    match csv.optional_number(row, column)? {
        None => Ok(None),
        Some(x) => {
            let y = x / scale;
            if (0.0..=1.0).contains(&y) {
                Ok(Some(y))
            } else {
                Err(csv.error(row, column, outside_unit(csv.cell(row, column), scale)))
            }
        }
    }
}

/// An id of `row`'s `column`, checked.
fn id(csv: &CsvFile, row: &Row, column: usize, what: &str) -> Result<String, ScenarioError> {
    let text = csv.cell(row, column);
    if text.is_empty() {
        return Err(csv.error(row, column, format!("empty; a {what} id is needed")));
    }
    if !csvfile::is_id(text) {
        return Err(csv.error(
            row,
            column,
            format!("`{text}` is not a valid {what} id (ASCII letters, digits, `_` and `-`)"),
        ));
    }
    Ok(text.to_string())
}

fn read_cases(csv: &CsvFile, options: &TidyOptions) -> Result<Vec<Case>, ScenarioError> {
    let case_col = csv.require(&["case"])?;
    let sq_col = csv.require(&["status_quo"])?;
    let outcome_col = csv.require(&["outcome"])?;
    let short_col = csv.find("short_name");
    let proposal_col = match options.grouping {
        Grouping::Case => None,
        Grouping::Proposal => Some(csv.require(&["proposal"])?),
    };
    let tag_cols: Vec<usize> = (0..csv.header.len())
        .filter(|&j| {
            !CASE_COLUMNS
                .iter()
                .any(|c| csv.header[j].eq_ignore_ascii_case(c))
        })
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut cases = Vec::with_capacity(csv.rows.len());
    for row in &csv.rows {
        let case = id(csv, row, case_col, "case")?;
        if let Some(first) = seen.get(&case) {
            return Err(csv.error(
                row,
                case_col,
                format!("case `{case}` again (first on line {first}); case ids are unique"),
            ));
        }
        seen.insert(case.clone(), row.line);
        let status_quo = unit(csv, row, sq_col, options.scale)?;
        let outcome = unit(csv, row, outcome_col, options.scale)?;
        let proposal = match proposal_col {
            Some(j) => Some(id(csv, row, j, "proposal")?),
            None => None,
        };
        let short_name = short_col
            .map(|j| csv.cell(row, j).to_string())
            .filter(|s| !s.is_empty());
        let tags = tag_cols
            .iter()
            .map(|&j| (csv.header[j].clone(), csv.cell(row, j).to_string()))
            .collect();
        cases.push(Case {
            id: case,
            line: row.line,
            status_quo,
            outcome,
            short_name,
            proposal,
            tags,
        });
    }
    Ok(cases)
}

fn read_actors(csv: &CsvFile, template: &Template) -> Result<Vec<ActorRow>, ScenarioError> {
    let actor_col = csv.require(&["actor"])?;
    let name_col = csv.find("name");
    let cap_col = csv.require(&["capability"])?;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut actors = Vec::with_capacity(csv.rows.len());
    for row in &csv.rows {
        let id = id(csv, row, actor_col, "actor")?;
        csvfile::new_actor_id(csv, row, actor_col, &id, template, &mut seen)?;
        let capability = csvfile::capability(csv, row, cap_col)?;
        let name = name_col
            .map(|j| csv.cell(row, j).to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| id.clone());
        actors.push(ActorRow {
            id,
            name,
            capability,
        });
    }
    Ok(actors)
}

/// Reads `stances.csv`: (case index, actor index) → stance, and the largest salience.
fn read_stances(
    csv: &CsvFile,
    cases: &[Case],
    actors: &[ActorRow],
    scale: f64,
) -> Result<(Stances, f64), ScenarioError> {
    let case_col = csv.require(&["case"])?;
    let actor_col = csv.require(&["actor"])?;
    let pos_col = csv.require(&["position"])?;
    let sal_col = csv.require(&["salience"])?;
    let case_index: BTreeMap<&str, usize> = cases
        .iter()
        .enumerate()
        .map(|(k, c)| (c.id.as_str(), k))
        .collect();
    let actor_index: BTreeMap<&str, usize> = actors
        .iter()
        .enumerate()
        .map(|(k, a)| (a.id.as_str(), k))
        .collect();
    let mut stances: Stances = BTreeMap::new();
    let mut lines: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut largest: f64 = 0.0;
    for row in &csv.rows {
        let case = csv.cell(row, case_col);
        let Some(&c) = case_index.get(case) else {
            return Err(csv.error(
                row,
                case_col,
                format!("unknown case `{case}` (not in cases.csv)"),
            ));
        };
        let actor = csv.cell(row, actor_col);
        let Some(&a) = actor_index.get(actor) else {
            return Err(csv.error(
                row,
                actor_col,
                format!("unknown actor `{actor}` (not in actors.csv)"),
            ));
        };
        if let Some(first) = lines.get(&(c, a)) {
            return Err(csv.error(
                row,
                actor_col,
                format!(
                    "a second stance of `{actor}` on case `{case}` (first on line {first}); \
                     one stance per case and actor"
                ),
            ));
        }
        lines.insert((c, a), row.line);
        let position = unit(csv, row, pos_col, scale)?
            .ok_or_else(|| csv.error(row, pos_col, "empty; a number is needed here"))?;
        let salience = csv.number(row, sal_col)?;
        if salience < 0.0 {
            return Err(csv.error(
                row,
                sal_col,
                format!(
                    "a negative salience (`{}`); saliences are 0 or more",
                    csv.cell(row, sal_col)
                ),
            ));
        }
        largest = largest.max(salience);
        stances.insert((c, a), Stance { position, salience });
    }
    Ok((stances, largest))
}

/// The path of `name` in `dir`, as shown.
fn shown(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

pub(super) fn import(
    dir: &Path,
    template: &Template,
    options: &TidyOptions,
) -> Result<Vec<ImportedCase>, ScenarioError> {
    let cases_file = csvfile::read(&dir.join("cases.csv"))?;
    let stances_file = csvfile::read(&dir.join("stances.csv"))?;
    let actors_file = csvfile::read(&dir.join("actors.csv"))?;
    check_scale(&cases_file.file, options.scale)?;
    let cases = read_cases(&cases_file, options)?;
    let actors = read_actors(&actors_file, template)?;
    let (stances, largest) = read_stances(&stances_file, &cases, &actors, options.scale)?;
    let salience_divisor = if largest > 1.0 { largest } else { 1.0 };

    // Groups: (name, case indices), in order of first appearance.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    match options.grouping {
        Grouping::Case => {
            for (k, c) in cases.iter().enumerate() {
                groups.push((c.id.clone(), vec![k]));
            }
        }
        Grouping::Proposal => {
            let mut index: BTreeMap<&str, usize> = BTreeMap::new();
            for (k, c) in cases.iter().enumerate() {
                let p = c.proposal.as_deref().unwrap_or(&c.id);
                match index.get(p) {
                    Some(&g) => groups[g].1.push(k),
                    None => {
                        index.insert(p, groups.len());
                        groups.push((p.to_string(), vec![k]));
                    }
                }
            }
        }
    }

    let dir_shown = dir.display().to_string();
    let sources = vec![
        cases_file.file.clone(),
        stances_file.file.clone(),
        actors_file.file.clone(),
    ];
    let (low, high) = if options.scale == 1.0 {
        (
            "0 on the table's scale".to_string(),
            "1 on the table's scale".to_string(),
        )
    } else {
        (
            "0 on the table's scale".to_string(),
            format!("{} on the table's scale", options.scale),
        )
    };
    let mut out = Vec::with_capacity(groups.len());
    for (name, members) in groups {
        let mut issues = Vec::with_capacity(members.len());
        let mut imported = Vec::with_capacity(members.len());
        for &k in &members {
            let c = &cases[k];
            let mut notes = Vec::new();
            let tags: Vec<String> = c
                .tags
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            if !tags.is_empty() {
                notes.push(format!("case {}: {}", c.id, tags.join(", ")));
            }
            if c.status_quo.is_none() {
                notes.push(format!(
                    "case {}: no recorded status quo; 0.5, the scale's midpoint, assumed",
                    c.id
                ));
            }
            issues.push(DraftIssue {
                id: c.id.clone(),
                name: match &c.short_name {
                    Some(s) => format!("{s} ({})", c.id),
                    None => c.id.clone(),
                },
                status_quo: c.status_quo.unwrap_or(MIDPOINT),
                notes,
                options: Vec::new(),
                poles: None,
            });
            imported.push(ImportedIssue {
                id: c.id.clone(),
                outcome: c.outcome,
                status_quo_recorded: c.status_quo.is_some(),
                tags: c.tags.clone(),
            });
        }
        let mut draft_actors = Vec::new();
        let mut silent = Vec::new();
        for (a, actor) in actors.iter().enumerate() {
            let mine: Vec<(String, f64, f64)> = members
                .iter()
                .filter_map(|&k| {
                    stances.get(&(k, a)).map(|s| {
                        (
                            cases[k].id.clone(),
                            s.position,
                            s.salience / salience_divisor,
                        )
                    })
                })
                .collect();
            if mine.is_empty() {
                continue;
            }
            if mine.iter().all(|(_, _, s)| *s <= 0.0) {
                silent.push(actor.id.clone());
                continue;
            }
            draft_actors.push(DraftActor {
                id: actor.id.clone(),
                name: actor.name.clone(),
                capability: actor.capability,
                stances: mine,
                reservation: None,
            });
        }
        if draft_actors.len() < 2 {
            let first = &cases[members[0]];
            let what = match options.grouping {
                Grouping::Case => format!("case `{}`", first.id),
                Grouping::Proposal => format!("proposal `{name}` (its first case, `{}`)", first.id),
            };
            let found = match draft_actors.as_slice() {
                [] => "no actor".to_string(),
                [one] => format!("only one actor ({})", one.id),
                _ => String::new(),
            };
            return Err(ScenarioError::Table {
                file: cases_file.file.clone(),
                line: first.line,
                column: 1,
                message: format!(
                    "{what} has {found} with a positive salience in stances.csv; a scenario \
                     needs at least two"
                ),
            });
        }
        let mut header = vec![
            format!(
                "Imported by `treaty import tidy` from {dir_shown} (cases.csv, stances.csv, \
                 actors.csv) with the template `{}`.",
                template.name()
            ),
            "Recorded outcomes are not part of the scenario (`treaty import tidy` writes them \
             to outcomes.csv)."
                .to_string(),
        ];
        if options.scale != 1.0 {
            header.push(format!(
                "Positions and status quos are the table's divided by {}.",
                options.scale
            ));
        }
        if salience_divisor != 1.0 {
            header.push(format!(
                "Saliences are the table's divided by its largest salience, {salience_divisor}."
            ));
        }
        let mut actor_notes = Vec::new();
        if !silent.is_empty() {
            actor_notes.push(format!(
                "Left out, with salience 0 on every issue here: {}.",
                silent.join(", ")
            ));
        }
        let first = &cases[members[0]];
        let title = first.short_name.clone().unwrap_or_else(|| name.clone());
        let description = match options.grouping {
            Grouping::Case => format!("{title} (case {name}), imported from {dir_shown}"),
            Grouping::Proposal => format!(
                "{title} (proposal {name}, {} issue{}), imported from {dir_shown}",
                members.len(),
                if members.len() == 1 { "" } else { "s" }
            ),
        };
        let draft = Draft {
            name: name.clone(),
            description,
            sources: sources.clone(),
            low: low.clone(),
            high: high.clone(),
            issues,
            actors: draft_actors,
            header,
            actor_notes,
            discount: Vec::new(),
        };
        let source = build(template, draft, shown(dir, &format!("{name}.ron")))?;
        out.push(ImportedCase {
            name,
            source,
            issues: imported,
        });
    }
    Ok(out)
}
