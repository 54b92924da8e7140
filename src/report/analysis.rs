//! The outcome analytics of a scenario (`treaty analyse`): the principals' Pareto frontier and
//! the bargaining solutions on it ([`crate::solvers::bargaining`]), as a table and as JSON
//! (schema `treaty-analysis/1`).

use serde::Serialize;

use super::format::{fit, number, pad};
use crate::model::{Disagreement, Model};
use crate::solvers::bargaining::{Analysis, Resolution};

/// The version of the analysis JSON.
pub const ANALYSIS_SCHEMA: &str = "treaty-analysis/1";

/// One point in utility space and the settlement reaching it.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisPoint {
    /// One utility per principal.
    pub utilities: Vec<f64>,
    /// The normalised gains (u − d)/(I − d), one per principal.
    pub normalised: Vec<f64>,
    /// One value per issue.
    pub settlement: Vec<f64>,
}

/// The frontier as written.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisFrontier {
    /// Whether every Pareto-optimal utility vector is listed.
    pub exact: bool,
    /// Per principal, how far the true frontier may reach beyond the listed one.
    pub error: Vec<f64>,
    /// Grid steps on a continuous issue.
    pub grid: usize,
    /// The points, by the first principal's utility, highest first.
    pub points: Vec<AnalysisPoint>,
}

/// The outcome analytics of a scenario, ready to write.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisReport {
    /// [`ANALYSIS_SCHEMA`].
    pub schema: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// The scenario's content hash.
    pub scenario_hash: String,
    /// Overrides applied.
    pub overrides: Vec<String>,
    /// `central`: every uncertain number at its central value.
    pub values: &'static str,
    /// The disagreement rule (`StatusQuo` or `Reservation`).
    pub disagreement_rule: &'static str,
    /// Principal ids.
    pub principals: Vec<String>,
    /// Issue ids.
    pub issues: Vec<String>,
    /// The frontier.
    pub frontier: AnalysisFrontier,
    /// Disagreement utilities.
    pub disagreement: Vec<f64>,
    /// Best utility of each principal over the mutually acceptable points.
    pub ideal: Vec<f64>,
    /// Best utility of each principal anywhere.
    pub best: Vec<f64>,
    /// The Nash bargaining point.
    pub nash: Option<AnalysisPoint>,
    /// The Kalai–Smorodinsky point.
    pub kalai_smorodinsky: Option<AnalysisPoint>,
    /// The egalitarian point.
    pub egalitarian: Option<AnalysisPoint>,
    /// The maximum-welfare point.
    pub max_welfare: Option<AnalysisPoint>,
    /// NegMAS's opposition level.
    pub opposition_level: Option<f64>,
}

impl AnalysisReport {
    /// The report of `analysis`, made of `model` at `resolution`.
    pub fn new(model: &Model, analysis: &Analysis, resolution: Resolution) -> Self {
        let f = &analysis.frontier;
        let b = &analysis.bargaining;
        let point = |k: usize| AnalysisPoint {
            utilities: f.utility(k).to_vec(),
            normalised: b.normalised(f.utility(k)),
            settlement: f.settlement(k).to_vec(),
        };
        AnalysisReport {
            schema: ANALYSIS_SCHEMA,
            scenario: model.name.clone(),
            scenario_hash: model.origin.scenario_hash.clone(),
            overrides: model.origin.overrides.clone(),
            values: "central",
            disagreement_rule: match model.disagreement {
                Disagreement::StatusQuo => "StatusQuo",
                Disagreement::Reservation => "Reservation",
            },
            principals: f
                .parties
                .iter()
                .map(|&a| model.actors[a].id.clone())
                .collect(),
            issues: model.issues.iter().map(|i| i.id.clone()).collect(),
            frontier: AnalysisFrontier {
                exact: f.exact,
                error: f.error.clone(),
                grid: resolution.grid,
                points: (0..f.len()).map(point).collect(),
            },
            disagreement: b.disagreement.clone(),
            ideal: b.ideal.clone(),
            best: b.best.clone(),
            nash: b.nash.map(point),
            kalai_smorodinsky: b.kalai_smorodinsky.map(point),
            egalitarian: b.egalitarian.map(point),
            max_welfare: b.max_welfare.map(point),
            opposition_level: b.opposition,
        }
    }

    /// The special points with their names, in table order.
    fn named(&self) -> [(&'static str, Option<&AnalysisPoint>); 4] {
        [
            ("Nash bargaining", self.nash.as_ref()),
            ("Kalai–Smorodinsky", self.kalai_smorodinsky.as_ref()),
            ("egalitarian", self.egalitarian.as_ref()),
            ("maximum welfare", self.max_welfare.as_ref()),
        ]
    }

    /// The aligned table.
    pub fn to_table(&self) -> Vec<u8> {
        let mut s = String::new();
        s.push_str(&format!(
            "OUTCOME ANALYTICS  {}  (central values; disagreement: {})\n\n",
            self.scenario, self.disagreement_rule
        ));
        let frontier = if self.frontier.exact {
            "exact".to_string()
        } else {
            format!(
                "approximate, utilities within {} of the true frontier",
                self.frontier
                    .error
                    .iter()
                    .map(|e| number(*e, 4))
                    .collect::<Vec<_>>()
                    .join(" / ")
            )
        };
        s.push_str(&format!(
            "Pareto frontier: {} points, {}\n",
            self.frontier.points.len(),
            frontier
        ));
        s.push_str(&format!(
            "Opposition level: {}\n\n",
            self.opposition_level
                .map_or("none (no mutually acceptable settlement)".into(), |o| {
                    number(o, 4)
                })
        ));
        // Utilities.
        let w = 10;
        s.push_str(&pad("UTILITIES", 22, true));
        for p in &self.principals {
            s.push_str(&pad(&fit(p, w), w, false));
        }
        s.push('\n');
        let mut row = |name: &str, u: Option<&[f64]>| {
            s.push_str(&pad(name, 22, true));
            match u {
                Some(u) => {
                    for x in u {
                        s.push_str(&pad(&number(*x, 4), w, false));
                    }
                }
                None => s.push_str(&pad("none", w, false)),
            }
            s.push('\n');
        };
        row("disagreement", Some(&self.disagreement));
        row("ideal", Some(&self.ideal));
        for (name, p) in self.named() {
            row(name, p.map(|p| p.utilities.as_slice()));
        }
        // Settlements.
        s.push_str(&format!(
            "\n{}{}{}{}{}\n",
            pad("SETTLEMENTS", 22, true),
            pad("Nash", w, false),
            pad("K–S", w, false),
            pad("egalit.", w, false),
            pad("welfare", w, false)
        ));
        for (j, id) in self.issues.iter().enumerate() {
            s.push_str(&pad(&fit(id, 22), 22, true));
            for (_, p) in self.named() {
                s.push_str(&pad(
                    &p.map_or("—".into(), |p| number(p.settlement[j], 3)),
                    w,
                    false,
                ));
            }
            s.push('\n');
        }
        s.into_bytes()
    }
}
