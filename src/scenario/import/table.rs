//! The actor table: one row per actor, a pair of position and salience columns per issue.

use super::csvfile::{self, CsvFile};
use super::{
    Draft, DraftActor, DraftIssue, MIDPOINT, TableOptions, Template, build, check_scale,
    outside_unit,
};
use crate::scenario::Source;
use crate::scenario::error::{Problem, ScenarioError};
use std::collections::BTreeMap;
use std::path::Path;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Position,
    Salience,
}

/// An issue's columns.
#[derive(Debug)]
struct IssueColumns {
    /// The column prefix (the issue's name), or "" for the single-issue form.
    prefix: String,
    position: Option<usize>,
    salience: Option<usize>,
}

/// Splits a header into (prefix, kind) when it names a position or salience column.
fn classify(header: &str) -> Option<(String, Kind)> {
    let lower = header.to_ascii_lowercase();
    for (word, kind) in [("position", Kind::Position), ("salience", Kind::Salience)] {
        if lower == word {
            return Some((String::new(), kind));
        }
        for sep in ['_', ' '] {
            let suffix = format!("{sep}{word}");
            if lower.ends_with(&suffix) && lower.len() > suffix.len() {
                let prefix = header[..header.len() - suffix.len()].trim();
                if !prefix.is_empty() {
                    return Some((prefix.to_string(), kind));
                }
            }
        }
    }
    None
}

/// The error at the header's column `column` (0-based).
fn header_error(csv: &CsvFile, column: usize, message: String) -> ScenarioError {
    ScenarioError::Table {
        file: csv.file.clone(),
        line: 1,
        column: column + 1,
        message: format!(
            "column {} ({}): {message}",
            column + 1,
            csv.header.get(column).map_or("", String::as_str)
        ),
    }
}

/// The issues' columns, in order of their first column.
fn issue_columns(csv: &CsvFile) -> Result<Vec<IssueColumns>, ScenarioError> {
    let mut issues: Vec<IssueColumns> = Vec::new();
    for (j, h) in csv.header.iter().enumerate() {
        let Some((prefix, kind)) = classify(h) else {
            continue;
        };
        let k = match issues
            .iter()
            .position(|i| i.prefix.eq_ignore_ascii_case(&prefix))
        {
            Some(k) => k,
            None => {
                issues.push(IssueColumns {
                    prefix,
                    position: None,
                    salience: None,
                });
                issues.len() - 1
            }
        };
        let slot = match kind {
            Kind::Position => &mut issues[k].position,
            Kind::Salience => &mut issues[k].salience,
        };
        if let Some(first) = slot {
            return Err(header_error(
                csv,
                j,
                format!(
                    "a second column for the same issue (also column {})",
                    *first + 1
                ),
            ));
        }
        *slot = Some(j);
    }
    if issues.is_empty() {
        return Err(ScenarioError::Table {
            file: csv.file.clone(),
            line: 1,
            column: 1,
            message: "no issue columns: give `ISSUE_position` and `ISSUE_salience` per issue, \
                      or `position` and `salience` for a single issue"
                .to_string(),
        });
    }
    if issues.len() > 1
        && let Some(single) = issues.iter().find(|i| i.prefix.is_empty())
    {
        let j = single.position.or(single.salience).unwrap_or(0);
        return Err(header_error(
            csv,
            j,
            "a bare `position` or `salience` column beside per-issue columns; name it \
             `ISSUE_position` or `ISSUE_salience`"
                .to_string(),
        ));
    }
    for i in &issues {
        match (i.position, i.salience) {
            (Some(_), Some(_)) => {}
            (Some(j), None) => {
                return Err(header_error(
                    csv,
                    j,
                    "no matching salience column for this position column".to_string(),
                ));
            }
            (None, Some(j)) => {
                return Err(header_error(
                    csv,
                    j,
                    "no matching position column for this salience column".to_string(),
                ));
            }
            (None, None) => {}
        }
    }
    Ok(issues)
}

pub(super) fn import(
    path: &Path,
    template: &Template,
    options: &TableOptions,
) -> Result<Source, ScenarioError> {
    let csv = csvfile::read(path)?;
    check_scale(&csv.file, options.scale)?;
    let scale = options.scale;
    let actor_col = csv.require(&["actor", "name"])?;
    let name_col = csv
        .find("name")
        .filter(|&j| j != actor_col && csv.find("actor").is_some());
    let cap_col = csv.require(&["capability", "power", "clout"])?;
    let columns = issue_columns(&csv)?;

    let name = match &options.name {
        Some(n) => n.clone(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".to_string()),
    };
    // Issue ids and names.
    let mut issue_ids: Vec<(String, String)> = Vec::with_capacity(columns.len());
    for c in &columns {
        let (label, j) = if c.prefix.is_empty() {
            (name.clone(), 0)
        } else {
            (c.prefix.clone(), c.position.unwrap_or(0))
        };
        let id = if csvfile::is_id(&label) {
            label.clone()
        } else {
            csvfile::to_id(&label)
        };
        let id = if id.is_empty() {
            "issue".to_string()
        } else {
            id
        };
        if let Some((_, other)) = issue_ids.iter().find(|(i, _)| *i == id) {
            return Err(header_error(
                &csv,
                j,
                format!("the issue id `{id}` is also that of the issue `{other}`"),
            ));
        }
        issue_ids.push((id, label));
    }

    // Status quos.
    let mut status_quo: Vec<Option<f64>> = vec![None; columns.len()];
    let mut problems = Vec::new();
    for (k, (issue, x)) in options.status_quo.iter().enumerate() {
        let path = format!("status_quo[{k}]");
        match issue_ids.iter().position(|(id, _)| id == issue) {
            None => problems.push(Problem::new(
                path,
                format!("issue {issue:?}"),
                format!(
                    "one of the table's issues: {}",
                    issue_ids
                        .iter()
                        .map(|(id, _)| id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(i) => {
                let y = x / scale;
                if y.is_finite() && (0.0..=1.0).contains(&y) {
                    status_quo[i] = Some(y);
                } else {
                    problems.push(Problem::new(
                        path,
                        x.to_string(),
                        if scale == 1.0 {
                            "a number in [0, 1]".to_string()
                        } else {
                            format!("a number in [0, {scale}]")
                        },
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: csv.file.clone(),
            problems,
        });
    }

    // Rows.
    let mut rows: Vec<DraftActor> = Vec::with_capacity(csv.rows.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut largest: f64 = 0.0;
    for row in &csv.rows {
        let text = csv.cell(row, actor_col);
        if text.is_empty() {
            return Err(csv.error(row, actor_col, "empty; an actor is needed"));
        }
        let id = if name_col.is_none() && !csvfile::is_id(text) {
            csvfile::to_id(text)
        } else {
            text.to_string()
        };
        if !csvfile::is_id(&id) {
            return Err(csv.error(
                row,
                actor_col,
                format!("`{text}` is not a valid actor id (ASCII letters, digits, `_` and `-`)"),
            ));
        }
        csvfile::new_actor_id(&csv, row, actor_col, &id, template, &mut seen)?;
        let name = match name_col {
            Some(j) if !csv.cell(row, j).is_empty() => csv.cell(row, j).to_string(),
            _ => text.to_string(),
        };
        let capability = csvfile::capability(&csv, row, cap_col)?;
        let mut stances = Vec::new();
        for (k, c) in columns.iter().enumerate() {
            let (Some(pj), Some(sj)) = (c.position, c.salience) else {
                continue;
            };
            let (p, s) = (csv.optional_number(row, pj)?, csv.optional_number(row, sj)?);
            let (p, s) = match (p, s) {
                (None, None) => continue,
                (Some(p), Some(s)) => (p, s),
                (None, Some(_)) => {
                    return Err(csv.error(row, pj, "empty while the salience is given"));
                }
                (Some(_), None) => {
                    return Err(csv.error(row, sj, "empty while the position is given"));
                }
            };
            let position = p / scale;
            if !(0.0..=1.0).contains(&position) {
                return Err(csv.error(row, pj, outside_unit(csv.cell(row, pj), scale)));
            }
            if s < 0.0 {
                return Err(csv.error(
                    row,
                    sj,
                    format!(
                        "a negative salience (`{}`); saliences are 0 or more",
                        csv.cell(row, sj)
                    ),
                ));
            }
            largest = largest.max(s);
            stances.push((issue_ids[k].0.clone(), position, s));
        }
        rows.push(DraftActor {
            id,
            name,
            capability,
            stances,
            reservation: None,
        });
    }
    let divisor = if largest > 1.0 { largest } else { 1.0 };
    let mut actors = Vec::with_capacity(rows.len());
    let mut silent = Vec::new();
    for mut a in rows {
        for s in &mut a.stances {
            s.2 /= divisor;
        }
        if a.stances.iter().any(|s| s.2 > 0.0) {
            actors.push(a);
        } else {
            silent.push(a.id);
        }
    }
    if actors.len() < 2 {
        return Err(ScenarioError::Table {
            file: csv.file.clone(),
            line: 1,
            column: 1,
            message: format!(
                "{} with a positive salience; a scenario needs at least two",
                match actors.as_slice() {
                    [] => "no actor".to_string(),
                    [one] => format!("only one actor ({})", one.id),
                    _ => String::new(),
                }
            ),
        });
    }

    let mut header = vec![format!(
        "Imported by `treaty import table` from {} with the template `{}`.",
        csv.file,
        template.name()
    )];
    if scale != 1.0 {
        header.push(format!(
            "Positions and status quos are the table's divided by {scale}."
        ));
    }
    if divisor != 1.0 {
        header.push(format!(
            "Saliences are the table's divided by its largest salience, {divisor}."
        ));
    }
    let issues = issue_ids
        .iter()
        .zip(&status_quo)
        .map(|((id, label), sq)| DraftIssue {
            id: id.clone(),
            name: label.clone(),
            status_quo: sq.unwrap_or(MIDPOINT),
            notes: if sq.is_some() {
                Vec::new()
            } else {
                vec![format!(
                    "issue {id}: no status quo given; 0.5, the scale's midpoint, assumed"
                )]
            },
            options: Vec::new(),
            poles: None,
        })
        .collect();
    let mut actor_notes = Vec::new();
    if !silent.is_empty() {
        actor_notes.push(format!(
            "Left out, with salience 0 on every issue: {}.",
            silent.join(", ")
        ));
    }
    let (low, high) = (
        "0 on the table's scale".to_string(),
        format!("{scale} on the table's scale"),
    );
    let draft = Draft {
        name: name.clone(),
        description: format!("{name}, imported from {}", csv.file),
        sources: vec![csv.file.clone()],
        low,
        high,
        issues,
        actors,
        header,
        actor_notes,
        discount: Vec::new(),
    };
    build(
        template,
        draft,
        path.with_extension("ron").display().to_string(),
    )
}
