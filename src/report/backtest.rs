//! A backtest written as a table, a JSON document (`treaty-backtest/1`) and CSV (the scores, or
//! one row per issue and method).

use super::ReportError;
use super::format::{DASH, csv_record, fit, pad, share};
use crate::backtest::{Backtest, Forecast, GroupScores, Kind, Score};
use serde::Serialize;

/// The schema name and version of the JSON document.
pub const BACKTEST_SCHEMA: &str = "treaty-backtest/1";

/// The title of a group of scores.
pub fn group_title(group: &GroupScores) -> String {
    match &group.group {
        None => format!("ALL ISSUES ({})", group.issues),
        Some((column, value)) => format!("{column} = {value} ({})", group.issues),
    }
}

/// The index of the method with the lowest mean absolute error in `group` (the first on ties).
pub fn best_mae(group: &GroupScores) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (m, score) in group.scores.iter().enumerate() {
        if let Some(s) = score
            && best.is_none_or(|(_, mae)| s.mae < mae)
        {
            best = Some((m, s.mae));
        }
    }
    best.map(|(m, _)| m)
}

fn three(x: f64) -> String {
    format!("{x:.3}")
}

/// The table for a terminal.
pub(super) fn table(b: &Backtest) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&format!(
        "Backtest: {} cases, {} recorded issues · {} runs per case · seed {}\n",
        b.cases,
        b.rows.len(),
        b.runs,
        b.seed
    ));
    out.push_str(
        "Point forecast = median of the runs; error = |forecast − outcome| on [0, 1]; CRPS of the runs' distribution (lower is better)\n",
    );
    let width = b
        .methods
        .iter()
        .map(|m| m.label.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 28);
    for group in &b.scores {
        out.push('\n');
        out.push_str(&group_title(group));
        out.push('\n');
        out.push_str(&format!(
            "  {}  {:>5}  {:>6}  {:>6}  {:>7}  {:>6}  {:>9}\n",
            pad("method", width, false),
            "n",
            "MAE",
            "median",
            "≤ 0.1",
            "CRPS",
            "agreement"
        ));
        let best = best_mae(group);
        for (m, method) in b.methods.iter().enumerate() {
            let mark = if best == Some(m) { " *" } else { "" };
            let label = pad(&fit(&method.label, width), width, false);
            match &group.scores[m] {
                Some(s) => out.push_str(&format!(
                    "  {label}  {:>5}  {:>6}  {:>6}  {:>7}  {:>6}  {:>9}{mark}\n",
                    s.n,
                    three(s.mae),
                    three(s.median_error),
                    share(s.within),
                    three(s.crps),
                    s.agreement.map_or_else(|| DASH.to_string(), share),
                )),
                None => out.push_str(&format!(
                    "  {label}  {:>5}  {:>6}  {:>6}  {:>7}  {:>6}  {:>9}\n",
                    0, DASH, DASH, DASH, DASH, DASH
                )),
            }
        }
    }
    out.push_str("\n* lowest mean absolute error of the group\n");
    out.push_str("METHODS\n");
    for method in &b.methods {
        let kind = match method.kind {
            Kind::Protocol => "protocol",
            Kind::Baseline => "baseline",
        };
        out.push_str(&format!(
            "  {}  {kind}: {}\n",
            pad(&fit(&method.label, width), width, false),
            method.description
        ));
    }
    out.into_bytes()
}

/// The JSON document.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    seed: u64,
    runs: u64,
    cases: usize,
    methods: Vec<MethodDoc<'a>>,
    scores: Vec<GroupDoc<'a>>,
    issues: Vec<IssueDoc<'a>>,
}

#[derive(Serialize)]
struct MethodDoc<'a> {
    label: &'a str,
    kind: &'static str,
    description: &'a str,
}

#[derive(Serialize)]
struct GroupDoc<'a> {
    column: Option<&'a str>,
    value: Option<&'a str>,
    issues: usize,
    scores: Vec<Option<ScoreDoc<'a>>>,
}

#[derive(Serialize)]
struct ScoreDoc<'a> {
    method: &'a str,
    n: usize,
    mae: f64,
    median_error: f64,
    within_0_1: f64,
    crps: f64,
    agreement: Option<f64>,
}

#[derive(Serialize)]
struct IssueDoc<'a> {
    case: &'a str,
    issue: &'a str,
    outcome: f64,
    status_quo: Option<f64>,
    tags: std::collections::BTreeMap<&'a str, &'a str>,
    forecasts: Vec<Option<ForecastDoc<'a>>>,
}

#[derive(Serialize)]
struct ForecastDoc<'a> {
    method: &'a str,
    point: f64,
    p05: f64,
    p95: f64,
    error: f64,
    crps: f64,
    agreement: Option<f64>,
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Protocol => "protocol",
        Kind::Baseline => "baseline",
    }
}

fn score_doc<'a>(method: &'a str, s: &Score) -> ScoreDoc<'a> {
    ScoreDoc {
        method,
        n: s.n,
        mae: s.mae,
        median_error: s.median_error,
        within_0_1: s.within,
        crps: s.crps,
        agreement: s.agreement,
    }
}

fn forecast_doc<'a>(method: &'a str, f: &Forecast) -> ForecastDoc<'a> {
    ForecastDoc {
        method,
        point: f.point,
        p05: f.p05,
        p95: f.p95,
        error: f.error,
        crps: f.crps,
        agreement: f.agreement,
    }
}

/// The JSON document's bytes.
pub(super) fn json(b: &Backtest) -> Result<Vec<u8>, ReportError> {
    let label = |m: usize| b.methods[m].label.as_str();
    let doc = Document {
        schema: BACKTEST_SCHEMA,
        seed: b.seed,
        runs: b.runs,
        cases: b.cases,
        methods: b
            .methods
            .iter()
            .map(|m| MethodDoc {
                label: &m.label,
                kind: kind_name(m.kind),
                description: &m.description,
            })
            .collect(),
        scores: b
            .scores
            .iter()
            .map(|g| GroupDoc {
                column: g.group.as_ref().map(|(c, _)| c.as_str()),
                value: g.group.as_ref().map(|(_, v)| v.as_str()),
                issues: g.issues,
                scores: g
                    .scores
                    .iter()
                    .enumerate()
                    .map(|(m, s)| s.as_ref().map(|s| score_doc(label(m), s)))
                    .collect(),
            })
            .collect(),
        issues: b
            .rows
            .iter()
            .map(|r| IssueDoc {
                case: &r.case,
                issue: &r.issue,
                outcome: r.outcome,
                status_quo: r.status_quo_recorded.then_some(r.status_quo),
                tags: r
                    .tags
                    .iter()
                    .map(|(c, v)| (c.as_str(), v.as_str()))
                    .collect(),
                forecasts: r
                    .forecasts
                    .iter()
                    .enumerate()
                    .map(|(m, f)| f.as_ref().map(|f| forecast_doc(label(m), f)))
                    .collect(),
            })
            .collect(),
    };
    super::json::pretty(&doc)
}

/// The scores as CSV: one row per group and method.
pub(super) fn scores_csv(b: &Backtest) -> Result<Vec<u8>, ReportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "group_column",
        "group_value",
        "method",
        "kind",
        "n",
        "mae",
        "median_error",
        "within_0_1",
        "crps",
        "agreement",
    ])?;
    for g in &b.scores {
        let (column, value) = g
            .group
            .as_ref()
            .map_or(("", ""), |(c, v)| (c.as_str(), v.as_str()));
        for (m, s) in g.scores.iter().enumerate() {
            let Some(s) = s else { continue };
            w.write_record(csv_record([
                column.to_string(),
                value.to_string(),
                b.methods[m].label.clone(),
                kind_name(b.methods[m].kind).to_string(),
                s.n.to_string(),
                s.mae.to_string(),
                s.median_error.to_string(),
                s.within.to_string(),
                s.crps.to_string(),
                s.agreement.map_or_else(String::new, |a| a.to_string()),
            ]))?;
        }
    }
    finish(w)
}

/// One row per recorded issue and method: the forecast, its error and CRPS, and the tags.
pub fn per_issue_csv(b: &Backtest) -> Result<Vec<u8>, ReportError> {
    let mut columns: Vec<&str> = Vec::new();
    for r in &b.rows {
        for (c, _) in &r.tags {
            if !columns.contains(&c.as_str()) {
                columns.push(c);
            }
        }
    }
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "case",
        "issue",
        "outcome",
        "status_quo",
        "method",
        "point",
        "p05",
        "p95",
        "error",
        "crps",
        "agreement",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(columns.iter().map(|c| c.to_string()));
    w.write_record(csv_record(&header))?;
    for r in &b.rows {
        for (m, f) in r.forecasts.iter().enumerate() {
            let Some(f) = f else { continue };
            let mut record = vec![
                r.case.clone(),
                r.issue.clone(),
                r.outcome.to_string(),
                if r.status_quo_recorded {
                    r.status_quo.to_string()
                } else {
                    String::new()
                },
                b.methods[m].label.clone(),
                f.point.to_string(),
                f.p05.to_string(),
                f.p95.to_string(),
                f.error.to_string(),
                f.crps.to_string(),
                f.agreement.map_or_else(String::new, |a| a.to_string()),
            ];
            for c in &columns {
                record.push(
                    r.tags
                        .iter()
                        .find(|(k, _)| k == c)
                        .map_or_else(String::new, |(_, v)| v.clone()),
                );
            }
            w.write_record(csv_record(&record))?;
        }
    }
    finish(w)
}

fn finish(w: ::csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ReportError> {
    w.into_inner()
        .map_err(|e| ReportError::Csv(::csv::Error::from(e.into_error())))
}
