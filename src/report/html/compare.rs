//! The page of `treaty compare`: for each variant, forest plots of its paired differences from
//! the base, one row per metric, grouped by unit.

use super::HtmlError;
use super::page::{Cell, Page};
use super::rows::{Row, Rows};
use crate::experiment::{Comparison, PairedMetric, VariantComparison};
use crate::montecarlo::Provenance;
use crate::report::format::{maybe_number, signed};

/// A group of metrics that share a unit, and so an axis.
struct Group {
    /// Identifier prefix of its metrics.
    prefix: &'static str,
    /// Chart title.
    title: &'static str,
    /// The x axis's description.
    x_desc: &'static str,
    /// Factor from values to the axis's unit (100 for percentage points).
    scale: f64,
    /// What a metric's label starts with, dropped inside the group's chart.
    word: &'static str,
    /// Whether values are probabilities (written in percentage points).
    probability: bool,
}

const GROUPS: [Group; 4] = [
    Group {
        prefix: "outcome.",
        title: "Outcome probabilities",
        x_desc: "Difference, variant − base (percentage points), with paired 95% intervals",
        scale: 100.0,
        word: "",
        probability: true,
    },
    Group {
        prefix: "round",
        title: "Round the run ended",
        x_desc: "Difference, variant − base (rounds), with paired 95% intervals",
        scale: 1.0,
        word: "",
        probability: false,
    },
    Group {
        prefix: "settlement.",
        title: "Settlements",
        x_desc: "Difference, variant − base (units of each issue's [0, 1] scale), paired 95% intervals",
        scale: 1.0,
        word: "settlement ",
        probability: false,
    },
    Group {
        prefix: "utility.",
        title: "Own utilities",
        x_desc: "Difference, variant − base (utility), with paired 95% intervals",
        scale: 1.0,
        word: "utility ",
        probability: false,
    },
];

/// An x range holding 0 and every interval, with a margin.
fn span(metrics: &[&PairedMetric]) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for m in metrics {
        for x in m.interval.into_iter().flatten().chain(m.difference) {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    let pad = ((hi - lo) * 0.08).max(1e-3);
    (lo - pad)..(hi + pad)
}

/// The page of a comparison.
pub fn compare_page(c: &Comparison) -> Result<String, HtmlError> {
    let names: Vec<&str> = c.variants.iter().map(|v| v.name.as_str()).collect();
    let title = format!("{} against {}", c.base.name, names.join(", "));
    let lead = format!(
        "{} runs of every scenario under seed {}, on common random numbers: run k of each \
         scenario meets the same draws wherever the variant did not change them. Each \
         difference is the mean of the run-by-run differences (variant − base), with its paired \
         95% interval; a difference whose interval excludes 0 is significant.",
        c.runs, c.seed
    );
    let mut page = Page::new(&title, &lead);
    for (v_index, v) in c.variants.iter().enumerate() {
        variant(&mut page, c, v_index, v)?;
    }
    page.heading(2, "provenance", "Provenance");
    provenance(&mut page, &c.base.name, &c.base.provenance);
    for v in &c.variants {
        provenance(&mut page, &v.name, &v.provenance);
    }
    page.paragraph(&format!("Method: {}.", c.method));
    Ok(page.finish(&title))
}

fn variant(
    page: &mut Page,
    c: &Comparison,
    v_index: usize,
    v: &VariantComparison,
) -> Result<(), HtmlError> {
    page.heading(
        2,
        &format!("variant-{}", v_index + 1),
        &format!("{} against {}", v.name, c.base.name),
    );
    page.paragraph(&v.summary);
    for g in &GROUPS {
        let metrics: Vec<&PairedMetric> = v
            .metrics
            .iter()
            .filter(|m| m.metric.starts_with(g.prefix))
            .collect();
        if metrics.is_empty() {
            continue;
        }
        let value = |x: Option<f64>| match x {
            Some(x) if g.probability => format!("{} pp", signed(x * 100.0, 1)),
            Some(x) => signed(x, 3),
            None => "–".into(),
        };
        let sentence = metrics
            .iter()
            .map(|m| {
                let interval = m.interval.map_or_else(
                    || "no interval".to_string(),
                    |[lo, hi]| format!("95% interval {} to {}", value(Some(lo)), value(Some(hi))),
                );
                format!("{} {} ({interval})", m.label, value(m.difference))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let rows = metrics
            .iter()
            .map(|m| Row {
                label: row_label(
                    m.label.strip_prefix(g.word).unwrap_or(&m.label),
                    m.significant,
                ),
                estimate: m.difference,
                interval: m.interval.map(|[lo, hi]| (lo, hi)),
                reference: None,
            })
            .collect();
        let id = format!("variant-{}-{}", v_index + 1, g.prefix.trim_end_matches('.'));
        let chart_title = format!("{}: {} − {}", g.title, v.name, c.base.name);
        let range = span(&metrics);
        // Enough decimals that neighbouring ticks (about ten over the range) differ.
        let step = (range.end - range.start) * g.scale / 10.0;
        let digits = (-step.log10()).ceil().clamp(0.0, 6.0) as usize;
        let scale = g.scale;
        let tick = move |x: &f64| signed(x * scale, digits);
        let chart = Rows {
            id: &id,
            title: &chart_title,
            x_desc: g.x_desc,
            x_range: range,
            bars: false,
            line_at: Some(0.0),
            names: ["difference", "paired 95% interval", ""],
            tick: &tick,
            rows,
        }
        .draw(format!(
            "{}, {} minus {} (* significant): {sentence}.",
            g.title, v.name, c.base.name
        ))?;
        page.figure(&chart);
    }
    let rows: Vec<Vec<Cell>> = v
        .metrics
        .iter()
        .map(|m| {
            let p = m.kind == crate::experiment::MetricKind::Probability;
            let d = percent_digits(&[m.base, m.variant, m.difference]);
            let level = |x: Option<f64>| {
                if p {
                    x.map_or_else(|| "–".into(), |x| format!("{:.d$}%", x * 100.0))
                } else {
                    maybe_number(x, 3)
                }
            };
            let diff = |x: Option<f64>| match x {
                Some(x) if p => format!("{} pp", signed(x * 100.0, d)),
                other => other.map_or_else(|| "–".into(), |x| signed(x, 3)),
            };
            vec![
                Cell::Text(m.label.clone()),
                Cell::Num(level(m.base)),
                Cell::Num(level(m.variant)),
                Cell::Num(diff(m.difference)),
                Cell::Num(m.interval.map_or_else(
                    || "–".into(),
                    |[lo, hi]| format!("{} to {}", diff(Some(lo)), diff(Some(hi))),
                )),
                Cell::Text(if m.significant { "yes" } else { "no" }.into()),
                Cell::Num(m.standardised.map_or_else(|| "–".into(), |s| signed(s, 2))),
                Cell::Num(m.unpaired_interval.map_or_else(
                    || "–".into(),
                    |[lo, hi]| format!("{} to {}", diff(Some(lo)), diff(Some(hi))),
                )),
            ]
        })
        .collect();
    page.table(
        &format!("{} against {}, metric by metric", v.name, c.base.name),
        &[
            "metric",
            "base",
            "variant",
            "difference",
            "paired 95% interval",
            "significant",
            "standardised",
            "unpaired 95% interval",
        ],
        &rows,
    );
    Ok(())
}

fn provenance(page: &mut Page, name: &str, p: &Provenance) {
    let mut facts = vec![
        ("scenario", format!("{name} ({})", p.scenario)),
        ("scenario hash", p.scenario_hash.clone()),
        ("program", format!("{} {}", p.engine, p.version)),
    ];
    if !p.overrides.is_empty() {
        facts.push(("overrides", p.overrides.join(", ")));
    }
    page.facts(&facts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_carry_their_sign() {
        assert_eq!(signed(0.25, 2), "+0.25");
        assert_eq!(signed(-0.25, 2), "\u{2212}0.25");
        assert_eq!(signed(0.0, 2), "0.00");
        assert_eq!(signed(-0.0001, 2), "0.00");
    }
}

/// The longest label of a forest plot's row (as the plot draws it).
const ROW_LABEL: usize = 32;

/// A forest plot row's label: the metric's label, with ` *` when significant; a long label is
/// shortened before the mark, so the mark always shows.
fn row_label(label: &str, significant: bool) -> String {
    if significant {
        format!("{} *", super::chart::shorten(label, ROW_LABEL - 2))
    } else {
        super::chart::shorten(label, ROW_LABEL)
    }
}

/// The decimals that show probabilities `shares` (and their difference) in percent without
/// hiding them: one, or as many as the smallest non-zero one needs to show its first digit
/// (0.04% needs two), at most four.
fn percent_digits(shares: &[Option<f64>]) -> usize {
    shares
        .iter()
        .flatten()
        .map(|x| (x * 100.0).abs())
        .filter(|x| *x > 0.0 && x.is_finite())
        .map(|x| (-x.log10()).ceil().clamp(1.0, 4.0) as usize)
        .max()
        .unwrap_or(1)
}

#[cfg(test)]
mod digit_tests {
    use super::{percent_digits, row_label};

    #[test]
    fn a_long_label_is_shortened_before_its_significance_mark() {
        let long = "settlement of the interstate peace treaty issue";
        let l = row_label(long, true);
        assert!(l.ends_with("… *"), "{l}");
        assert_eq!(l.chars().count(), 32);
        assert_eq!(row_label("P(agreement)", true), "P(agreement) *");
        assert_eq!(row_label("P(agreement)", false), "P(agreement)");
    }

    #[test]
    fn small_probabilities_and_changes_get_the_digits_they_need() {
        assert_eq!(percent_digits(&[Some(0.5), Some(0.6), Some(0.1)]), 1);
        // 0.0% → 0.0% would hide a change from 0 to 0.04%.
        assert_eq!(percent_digits(&[Some(0.0), Some(0.0004), Some(0.0004)]), 2);
        assert_eq!(percent_digits(&[Some(0.5), Some(0.5003), Some(0.0003)]), 2);
        assert_eq!(percent_digits(&[Some(1e-12), None, None]), 4);
        assert_eq!(percent_digits(&[None, None, None]), 1);
    }
}
