//! The CSV report: flat rows `section,subject,item,statistic,value,ci_low,ci_high`, one number
//! (or text) per row, so a spreadsheet or a data frame reads it without reshaping. The README's
//! "Reports" section lists every row.

use super::ReportError;
use super::format::{cell, csv_record};
use crate::montecarlo::{Probability, Quantiles, RoundsSummary, Summary};

/// The column names.
const HEADER: [&str; 7] = [
    "section",
    "subject",
    "item",
    "statistic",
    "value",
    "ci_low",
    "ci_high",
];

struct Rows {
    w: ::csv::Writer<Vec<u8>>,
}

impl Rows {
    fn row(
        &mut self,
        section: &str,
        subject: &str,
        item: &str,
        statistic: &str,
        value: &str,
        ci: Option<[f64; 2]>,
    ) -> Result<(), ReportError> {
        let (lo, hi) = match ci {
            Some([l, h]) => (l.to_string(), h.to_string()),
            None => (String::new(), String::new()),
        };
        self.w.write_record(csv_record([
            section, subject, item, statistic, value, &lo, &hi,
        ]))?;
        Ok(())
    }

    fn number(
        &mut self,
        section: &str,
        subject: &str,
        statistic: &str,
        x: Option<f64>,
    ) -> Result<(), ReportError> {
        self.row(section, subject, "", statistic, &cell(x), None)
    }

    /// A probability row, and its count as `<statistic>_count`.
    fn probability(
        &mut self,
        section: &str,
        subject: &str,
        item: &str,
        statistic: &str,
        p: &Probability,
    ) -> Result<(), ReportError> {
        self.row(
            section,
            subject,
            item,
            statistic,
            &cell(p.probability),
            p.ci95,
        )?;
        let count = format!("{statistic}_count");
        self.row(section, subject, item, &count, &p.count.to_string(), None)
    }

    /// The rows of a [`RoundsSummary`] in section `sec`.
    fn rounds(&mut self, sec: &str, rounds: &RoundsSummary) -> Result<(), ReportError> {
        self.row(sec, "", "", "runs", &rounds.runs.to_string(), None)?;
        self.number(sec, "", "mean", rounds.mean)?;
        self.row(
            sec,
            "",
            "",
            "mean_date",
            rounds.mean_date.as_deref().unwrap_or(""),
            None,
        )?;
        self.quantiles(sec, "", "", &rounds.quantiles)?;
        self.quantiles(sec, "", "_date", &rounds.quantile_dates)
    }

    fn quantiles<T: ToString>(
        &mut self,
        section: &str,
        subject: &str,
        suffix: &str,
        q: &Quantiles<T>,
    ) -> Result<(), ReportError> {
        for (p, v) in q.entries() {
            let value = v.map(ToString::to_string).unwrap_or_default();
            self.row(section, subject, "", &format!("p{p}{suffix}"), &value, None)?;
        }
        Ok(())
    }
}

/// A summary as flat CSV rows.
pub(super) fn render(s: &Summary) -> Result<Vec<u8>, ReportError> {
    let mut r = Rows {
        w: ::csv::Writer::from_writer(Vec::new()),
    };
    r.w.write_record(csv_record(HEADER))?;
    let p = &s.provenance;
    let text_rows = [
        ("schema", s.schema.clone()),
        ("engine", p.engine.clone()),
        ("version", p.version.clone()),
        ("scenario", p.scenario.clone()),
        ("scenario_hash", p.scenario_hash.clone()),
        ("seed", p.seed.to_string()),
        ("runs", p.runs.to_string()),
        ("block_size", p.block_size.to_string()),
        ("precision", cell(p.precision)),
    ];
    for (name, value) in text_rows {
        r.row("provenance", "", "", name, &value, None)?;
    }
    for o in &p.overrides {
        r.row("provenance", "", "", "override", o, None)?;
    }
    if let Some(pr) = &s.precision {
        r.number("precision", "", "target", Some(pr.target))?;
        r.row(
            "precision",
            "",
            "",
            "reached",
            &pr.reached.to_string(),
            None,
        )?;
        r.number("precision", "", "half_width", Some(pr.half_width))?;
        r.row("precision", "", "", "cap", &pr.cap.to_string(), None)?;
    }
    for o in &s.outcomes {
        r.probability("outcome", &o.kind, "", "probability", &o.probability)?;
        r.number("outcome", &o.kind, "mean_round", o.mean_round)?;
    }
    r.rounds("rounds_to_agreement", &s.rounds_to_agreement)?;
    for i in &s.issues {
        r.number("issue", &i.id, "status_quo", Some(i.status_quo))?;
        r.number("issue", &i.id, "mean", i.mean)?;
        r.number("issue", &i.id, "sd", i.sd)?;
        r.quantiles("issue", &i.id, "", &i.quantiles)?;
        let by = &i.mean_by_outcome;
        r.number("issue", &i.id, "mean_agreement", by.agreement)?;
        r.number("issue", &i.id, "mean_deadlock", by.deadlock)?;
        r.number("issue", &i.id, "mean_conflict", by.conflict)?;
        for (name, part) in [("with_war", &i.with_war), ("without_war", &i.without_war)] {
            r.row(
                "issue",
                &i.id,
                "",
                &format!("{name}_runs"),
                &part.runs.to_string(),
                None,
            )?;
            r.number("issue", &i.id, &format!("{name}_mean"), part.mean)?;
            r.number("issue", &i.id, &format!("{name}_sd"), part.sd)?;
            r.quantiles("issue", &i.id, &format!("_{name}"), &part.quantiles)?;
        }
        for ideal in &i.ideals {
            r.row(
                "issue",
                &i.id,
                &ideal.actor,
                "ideal",
                &ideal.position.to_string(),
                None,
            )?;
            r.row(
                "issue",
                &i.id,
                &ideal.actor,
                "salience",
                &ideal.salience.to_string(),
                None,
            )?;
        }
        for o in &i.options {
            r.row("option", &i.id, &o.label, "at", &o.at.to_string(), None)?;
            r.probability("option", &i.id, &o.label, "probability", &o.probability)?;
        }
    }
    for a in &s.actors {
        r.row("actor", &a.id, "", "role", &a.role, None)?;
        r.number("actor", &a.id, "capability", Some(a.capability))?;
        r.number("actor", &a.id, "reservation", Some(a.reservation))?;
        r.number("actor", &a.id, "utility", a.utility)?;
        r.number("actor", &a.id, "utility_sd", a.utility_sd)?;
        let by = &a.utility_by_outcome;
        r.number("actor", &a.id, "utility_agreement", by.agreement)?;
        r.number("actor", &a.id, "utility_deadlock", by.deadlock)?;
        r.number("actor", &a.id, "utility_conflict", by.conflict)?;
        r.probability("actor", &a.id, "", "reservation_met", &a.reservation_met)?;
        r.number("actor", &a.id, "concession", a.concession)?;
        r.probability("actor", &a.id, "", "initiated", &a.initiated)?;
        let started = a.wars_started.to_string();
        r.row("actor", &a.id, "", "wars_started", &started, None)?;
        r.probability("actor", &a.id, "", "won", &a.won)?;
        r.row(
            "actor",
            &a.id,
            "",
            "wars_fought",
            &a.won.of.to_string(),
            None,
        )?;
    }
    let w = &s.wars;
    r.probability("wars", "", "", "probability", &w.runs_with_war)?;
    r.row("wars", "", "", "wars", &w.wars.to_string(), None)?;
    r.number("wars", "", "mean_per_run", w.mean_per_run)?;
    r.probability("wars", "", "", "ended_talks", &w.ended_talks)?;
    r.probability("wars", "", "", "limited", &w.limited)?;
    r.probability("wars", "", "", "initiator_won", &w.initiator_won)?;
    r.rounds("first_war", &w.first_war)?;
    let j = &s.judgement;
    r.row("judgement", "", "", "reference", &j.reference, None)?;
    let uncertain = j.preferences_uncertain.to_string();
    r.row(
        "judgement",
        "",
        "",
        "preferences_uncertain",
        &uncertain,
        None,
    )?;
    r.row("judgement", "", "", "runs", &j.runs.to_string(), None)?;
    for (name, d) in [
        ("frontier", &j.frontier),
        ("nash", &j.nash),
        ("kalai_smorodinsky", &j.kalai_smorodinsky),
    ] {
        r.row("judgement", name, "", "runs", &d.runs.to_string(), None)?;
        r.number("judgement", name, "mean", d.mean)?;
        r.number("judgement", name, "sd", d.sd)?;
        r.quantiles("judgement", name, "", &d.quantiles)?;
        let by = &d.mean_by_outcome;
        r.number("judgement", name, "mean_agreement", by.agreement)?;
        r.number("judgement", name, "mean_deadlock", by.deadlock)?;
        r.number("judgement", name, "mean_conflict", by.conflict)?;
    }
    r.w.flush().map_err(::csv::Error::from)?;
    r.w.into_inner()
        .map_err(|e| ReportError::Csv(::csv::Error::from(e.into_error())))
}
