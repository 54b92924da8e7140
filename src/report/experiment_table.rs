//! Comparisons and sweeps as aligned text for a terminal of 100 columns.

use std::fmt::Write as _;

use super::format::{WIDTH, fit, pad, thousands};
use crate::experiment::{Comparison, Estimate, MetricKind, PairedMetric, Sweep};

/// Decimals of a mean: rounds to 2, settlements and utilities to 4.
fn decimals(metric: &str) -> usize {
    if metric.starts_with("round") { 2 } else { 4 }
}

/// A value of a metric: a probability in percent, a mean with its decimals.
fn value(kind: MetricKind, metric: &str, x: Option<f64>) -> String {
    match (x, kind) {
        (None, _) => "–".into(),
        (Some(p), MetricKind::Probability) => format!("{:.2}%", 100.0 * p),
        (Some(x), MetricKind::Mean) => format!("{x:.*}", decimals(metric)),
    }
}

/// A signed difference: percentage points for a probability.
fn signed(kind: MetricKind, metric: &str, x: f64) -> String {
    match kind {
        MetricKind::Probability => format!("{:+.2}", 100.0 * x),
        MetricKind::Mean => format!("{x:+.*}", decimals(metric)),
    }
}

/// The first 12 hex digits of a `sha256:` hash.
fn short_hash(h: &str) -> &str {
    let end = h.len().min("sha256:".len() + 12);
    &h[..end]
}

impl Comparison {
    /// The comparison as aligned text: one block per variant.
    pub(super) fn to_table(&self) -> Vec<u8> {
        let mut out = String::new();
        let p = &self.base.provenance;
        let _ = writeln!(out, "COMPARISON ON COMMON RANDOM NUMBERS");
        let _ = writeln!(
            out,
            "{} runs per scenario · seed {} · run k of every scenario uses random stream k · treaty {}",
            thousands(self.runs),
            self.seed,
            p.version
        );
        let base_line = format!(
            "base      {}: {} · {}{}",
            self.base.name,
            p.scenario,
            short_hash(&p.scenario_hash),
            overrides_note(&p.overrides)
        );
        let _ = writeln!(out, "{}", fit(&base_line, WIDTH));
        for v in &self.variants {
            let vp = &v.provenance;
            let line = format!(
                "variant   {}: {} · {}{}",
                v.name,
                vp.scenario,
                short_hash(&vp.scenario_hash),
                overrides_note(&vp.overrides)
            );
            let _ = writeln!(out, "{}", fit(&line, WIDTH));
        }
        for v in &self.variants {
            let _ = writeln!(out);
            let title = fit(&format!("{} − {}", v.name, self.base.name), 38);
            let _ = writeln!(
                out,
                "{}{}{}{}  95% interval",
                pad(&title, 38, true),
                pad("base", 10, false),
                pad("variant", 10, false),
                pad("difference", 12, false),
            );
            for row in &v.metrics {
                let _ = writeln!(out, "{}", metric_line(row));
            }
            let _ = writeln!(
                out,
                "  (probabilities in %, their differences in percentage points; * the interval excludes 0)"
            );
            for line in wrap(&v.summary, WIDTH - 4) {
                let _ = writeln!(out, "  {line}");
            }
        }
        out.into_bytes()
    }
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word stands on
/// its own line); lines after the first are indented by two spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("at least one line");
        if !last.trim().is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(format!("  {word}"));
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// ` · with a=1, b=2`, or nothing.
fn overrides_note(overrides: &[String]) -> String {
    if overrides.is_empty() {
        String::new()
    } else {
        format!(" · with {}", overrides.join(", "))
    }
}

/// One metric row of a comparison.
fn metric_line(r: &PairedMetric) -> String {
    let (k, m) = (r.kind, r.metric.as_str());
    let difference = r.difference.map_or_else(|| "–".into(), |d| signed(k, m, d));
    let interval = r.interval.map_or_else(
        || "–".into(),
        |[lo, hi]| format!("[{}, {}]", signed(k, m, lo), signed(k, m, hi)),
    );
    let mark = if r.significant { "  *" } else { "" };
    format!(
        "  {}{}{}{}  {}{}",
        pad(&fit(&r.label, 34), 36, true),
        pad(&value(k, m, r.base), 10, false),
        pad(&value(k, m, r.variant), 10, false),
        pad(&difference, 12, false),
        interval,
        mark
    )
}

/// A probability with its interval: `99.50 [99.12, 99.71]` (percent).
fn probability_cell(e: &Estimate) -> String {
    match (e.value, e.interval) {
        (Some(p), Some([lo, hi])) => {
            format!("{:.2} [{:.2}, {:.2}]", 100.0 * p, 100.0 * lo, 100.0 * hi)
        }
        (Some(p), None) => format!("{:.2}", 100.0 * p),
        _ => "–".into(),
    }
}

/// A mean with its half-width: `0.9712 ±0.0008`.
fn mean_cell(metric: &str, e: &Estimate) -> String {
    let d = decimals(metric);
    match (e.value, e.interval) {
        (Some(x), Some([lo, hi])) => format!("{x:.d$} ±{:.d$}", (hi - lo) / 2.0),
        (Some(x), None) => format!("{x:.d$}"),
        _ => "–".into(),
    }
}

/// Which metrics (by identifier) a section shows.
type Keep = fn(&str) -> bool;

/// The widest column of a sweep's tables: a longer title or cell is cut, ending in `…`.
const COLUMN: usize = 32;

/// Writes a table whose rows are `heads` (the same left columns on every part) and whose other
/// columns (title, cells) are split into parts that fit [`WIDTH`].
fn columns(
    out: &mut String,
    head_titles: &[String],
    heads: &[Vec<String>],
    cols: &[(String, Vec<String>)],
) {
    // A title or a cell longer than a column may be is cut to it.
    let head_titles: Vec<String> = head_titles.iter().map(|t| fit(t, COLUMN)).collect();
    let heads: Vec<Vec<String>> = heads
        .iter()
        .map(|h| h.iter().map(|c| fit(c, COLUMN)).collect())
        .collect();
    let cols: Vec<(String, Vec<String>)> = cols
        .iter()
        .map(|(t, c)| (fit(t, COLUMN), c.iter().map(|c| fit(c, COLUMN)).collect()))
        .collect();
    let width_of = |title: &str, cells: &[String]| {
        cells
            .iter()
            .map(|c| c.chars().count())
            .chain(std::iter::once(title.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let head_widths: Vec<usize> = head_titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let cells: Vec<String> = heads.iter().map(|h| h[i].clone()).collect();
            width_of(t, &cells)
        })
        .collect();
    let head_width: usize = head_widths.iter().map(|w| w + 2).sum();
    let col_widths: Vec<usize> = cols.iter().map(|(t, c)| width_of(t, c)).collect();
    let mut start = 0;
    while start < cols.len() {
        let mut end = start;
        let mut used = head_width;
        while end < cols.len() && (end == start || used + col_widths[end] + 3 <= WIDTH) {
            used += col_widths[end] + 3;
            end += 1;
        }
        let mut line = String::new();
        for (t, w) in head_titles.iter().zip(&head_widths) {
            line.push_str(&pad(t, w + 2, true));
        }
        for c in start..end {
            line.push_str(&pad(&cols[c].0, col_widths[c] + 3, false));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for (r, head) in heads.iter().enumerate() {
            let mut line = String::new();
            for (h, w) in head.iter().zip(&head_widths) {
                line.push_str(&pad(h, w + 2, true));
            }
            for c in start..end {
                line.push_str(&pad(&cols[c].1[r], col_widths[c] + 3, false));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        start = end;
        if start < cols.len() {
            let _ = writeln!(out);
        }
    }
}

impl Sweep {
    /// The sweep as aligned text: outcomes and rounds, settlements, utilities, one row per
    /// point in each.
    pub(super) fn to_table(&self) -> Vec<u8> {
        let mut out = String::new();
        let p = &self.provenance;
        let _ = writeln!(out, "SWEEP ON COMMON RANDOM NUMBERS");
        let _ = writeln!(
            out,
            "{} · {} points · {} runs per point · seed {} · {} · treaty {}",
            p.scenario,
            self.points.len(),
            thousands(p.runs),
            p.seed,
            short_hash(&p.scenario_hash),
            p.version
        );
        for a in &self.axes {
            let _ = writeln!(
                out,
                "{}",
                fit(
                    &format!("axis   {} = {}", a.path, a.values.join(", ")),
                    WIDTH
                )
            );
        }
        if !p.overrides.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                fit(&format!("fixed  {}", p.overrides.join(", ")), WIDTH)
            );
        }
        let mut head_titles = vec!["point".to_string()];
        head_titles.extend(self.axes.iter().map(|a| a.path.clone()));
        let heads: Vec<Vec<String>> = self
            .points
            .iter()
            .map(|row| {
                let mut h = vec![row.point.to_string()];
                h.extend(
                    row.settings
                        .iter()
                        .map(|s| s.split_once('=').map_or(s.as_str(), |(_, v)| v).to_string()),
                );
                h
            })
            .collect();
        let sections: [(&str, Keep); 3] = [
            (
                "OUTCOMES (% with 95% interval) AND ROUNDS (mean ±95% half-width)",
                |id| id.starts_with("outcome.") || id.starts_with("round"),
            ),
            ("SETTLEMENT PER ISSUE (mean ±95% half-width)", |id| {
                id.starts_with("settlement.")
            }),
            ("EXPECTED UTILITY PER ACTOR (mean ±95% half-width)", |id| {
                id.starts_with("utility.")
            }),
        ];
        for (title, keep) in sections {
            let cols: Vec<(String, Vec<String>)> = self
                .metrics
                .iter()
                .enumerate()
                .filter(|(_, m)| keep(&m.id))
                .map(|(j, m)| {
                    let name = match m.id.split_once('.') {
                        Some(("outcome", _)) => m.label.clone(),
                        Some((_, id)) => id.to_string(),
                        None => m.label.clone(),
                    };
                    let cells = self
                        .points
                        .iter()
                        .map(|row| {
                            let e = &row.estimates[j].estimate;
                            match m.kind {
                                MetricKind::Probability => probability_cell(e),
                                MetricKind::Mean => mean_cell(&m.id, e),
                            }
                        })
                        .collect();
                    (name, cells)
                })
                .collect();
            let _ = writeln!(out);
            let _ = writeln!(out, "{title}");
            columns(&mut out, &head_titles, &heads, &cols);
        }
        out.into_bytes()
    }
}
