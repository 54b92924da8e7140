//! A sensitivity analysis written as a table, a JSON document (`treaty-sensitivity/1`) and CSV
//! (one row per outcome and input).

use super::ReportError;
use super::format::{DASH, csv_record, fit, pad};
use crate::experiment::sensitivity::Sensitivity;
use serde::Serialize;

/// The schema name and version of the JSON document.
pub const SENSITIVITY_SCHEMA: &str = "treaty-sensitivity/1";

/// Inputs listed per outcome in the table.
const TOP: usize = 8;

fn signed(x: f64) -> String {
    if x.is_finite() {
        // No "−0.000": what rounds to zero shows as zero.
        let x = if x.abs() < 0.0005 { 0.0 } else { x };
        format!("{x:+.3}")
    } else {
        DASH.to_string()
    }
}

/// The table for a terminal: per outcome, its spread, R² and the inputs with the largest
/// |SRRC|.
pub(super) fn table(s: &Sensitivity) -> Vec<u8> {
    let mut out = format!(
        "Sensitivity: {} uncertain inputs · {} runs · seed {}\n\
         Standardised rank regression coefficients (SRRC): the outcome's ranks on the inputs' ranks; \
         SRRC² is the share of the outcome's rank variance an input explains alone, R² what they explain together.\n",
        s.inputs.len(),
        s.runs,
        s.seed
    );
    let width = s
        .inputs
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(10)
        .clamp(10, 44);
    for o in &s.outcomes {
        out.push('\n');
        match o.r2 {
            None if o.effects.is_empty() => {
                out.push_str(&format!(
                    "{}  mean {:.3}: does not vary over the runs; nothing to attribute\n",
                    o.name, o.mean
                ));
                continue;
            }
            None => out.push_str(&format!(
                "{}  mean {:.3} (sd {:.3}) · inputs collinear: rank correlations only\n",
                o.name, o.mean, o.sd
            )),
            Some(r2) => out.push_str(&format!(
                "{}  mean {:.3} (sd {:.3}) · R² {:.2} (the inputs explain {:.0}% of its rank variance)\n",
                o.name,
                o.mean,
                o.sd,
                r2,
                100.0 * r2
            )),
        }
        out.push_str(&format!(
            "  {}  {:>7}  {:>17}  {:>8}\n",
            pad("input", width, false),
            "SRRC",
            "95% interval",
            "Spearman"
        ));
        for e in o.effects.iter().take(TOP) {
            out.push_str(&format!(
                "  {}  {:>7}  {:>17}  {:>8}\n",
                pad(&fit(&s.inputs[e.input], width), width, false),
                signed(e.srrc),
                format!("{} … {}", signed(e.interval[0]), signed(e.interval[1])),
                signed(e.spearman)
            ));
        }
        if o.effects.len() > TOP {
            out.push_str(&format!(
                "  … {} more inputs (JSON and CSV list them all)\n",
                o.effects.len() - TOP
            ));
        }
    }
    out.into_bytes()
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    method: &'static str,
    seed: u64,
    runs: u64,
    inputs: Vec<InputDoc<'a>>,
    outcomes: Vec<OutcomeDoc<'a>>,
}

#[derive(Serialize)]
struct InputDoc<'a> {
    name: &'a str,
    p05: f64,
    p95: f64,
}

#[derive(Serialize)]
struct OutcomeDoc<'a> {
    name: &'a str,
    mean: f64,
    sd: f64,
    r2: Option<f64>,
    effects: Vec<EffectDoc<'a>>,
}

#[derive(Serialize)]
struct EffectDoc<'a> {
    input: &'a str,
    srrc: Option<f64>,
    interval: Option<[f64; 2]>,
    spearman: f64,
}

/// The JSON document's bytes.
pub(super) fn json(s: &Sensitivity) -> Result<Vec<u8>, ReportError> {
    let doc = Document {
        schema: SENSITIVITY_SCHEMA,
        method: "standardised rank regression coefficients",
        seed: s.seed,
        runs: s.runs,
        inputs: s
            .inputs
            .iter()
            .zip(&s.input_ranges)
            .map(|(name, r)| InputDoc {
                name,
                p05: r[0],
                p95: r[1],
            })
            .collect(),
        outcomes: s
            .outcomes
            .iter()
            .map(|o| OutcomeDoc {
                name: &o.name,
                mean: o.mean,
                sd: o.sd,
                r2: o.r2,
                effects: o
                    .effects
                    .iter()
                    .map(|e| EffectDoc {
                        input: &s.inputs[e.input],
                        srrc: e.srrc.is_finite().then_some(e.srrc),
                        interval: e.srrc.is_finite().then_some(e.interval),
                        spearman: e.spearman,
                    })
                    .collect(),
            })
            .collect(),
    };
    super::json::pretty(&doc)
}

/// One CSV row per outcome and input, largest |SRRC| first within an outcome.
pub(super) fn csv(s: &Sensitivity) -> Result<Vec<u8>, ReportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "outcome", "mean", "sd", "r2", "rank", "input", "srrc", "low", "high", "spearman",
    ])?;
    let text = |x: f64| {
        if x.is_finite() {
            x.to_string()
        } else {
            String::new()
        }
    };
    for o in &s.outcomes {
        for (k, e) in o.effects.iter().enumerate() {
            w.write_record(csv_record([
                o.name.clone(),
                o.mean.to_string(),
                o.sd.to_string(),
                o.r2.map_or_else(String::new, |r| r.to_string()),
                (k + 1).to_string(),
                s.inputs[e.input].clone(),
                text(e.srrc),
                text(e.interval[0]),
                text(e.interval[1]),
                e.spearman.to_string(),
            ]))?;
        }
    }
    w.into_inner()
        .map_err(|e| ReportError::Csv(::csv::Error::from(e.into_error())))
}
