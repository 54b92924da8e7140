//! The page of a sensitivity analysis: per outcome, a tornado chart of the inputs' standardised
//! rank regression coefficients with their 95% intervals, and the numbers in a table.

use std::fmt::Write;

use super::HtmlError;
use super::chart::Chart;
use super::page::{Cell, Page, escape};
use crate::experiment::sensitivity::Sensitivity;

/// Inputs drawn per outcome.
const TOP: usize = 12;
/// Inputs listed per outcome in its table.
const TABLE: usize = 25;
/// Okabe–Ito blue (positive) and vermillion (negative).
const POSITIVE: &str = "#0072B2";
const NEGATIVE: &str = "#D55E00";

/// The page of `s`.
pub fn sensitivity_page(s: &Sensitivity) -> Result<String, HtmlError> {
    let title = format!("Sensitivity: {} uncertain inputs", s.inputs.len());
    let mut page = Page::new(
        &title,
        &format!(
            "{} runs under seed {}. For each headline outcome, the ranks of the outcome were \
             regressed on the ranks of every uncertain input (standardised rank regression). A \
             bar is an input's coefficient (SRRC): positive when the outcome rises with the input; \
             its square is the share of the outcome's rank variance the input explains alone. R² \
             is what the inputs explain together; the rest comes from the runs' own randomness \
             (noise, recognition, events, the dice of war), from interactions, or from effects \
             that are not monotone.",
            s.runs, s.seed
        ),
    );
    page.heading(2, "outcomes", "Outcomes");
    for (k, o) in s.outcomes.iter().enumerate() {
        page.heading(3, &format!("outcome-{k}"), &o.name);
        let Some(r2) = o.r2 else {
            if o.effects.is_empty() {
                page.paragraph(&format!(
                    "Mean {:.3}: it does not vary over the runs, so there is nothing to attribute.",
                    o.mean
                ));
            } else {
                page.paragraph(
                    "The inputs are collinear (one does not vary, or two move together): only rank correlations are given.",
                );
            }
            continue;
        };
        page.paragraph(&format!(
            "Mean {:.3} (sd {:.3}); R² = {:.2}: the inputs explain {:.0}% of its rank variance.",
            o.mean,
            o.sd,
            r2,
            100.0 * r2
        ));
        let shown: Vec<_> = o.effects.iter().take(TOP).collect();
        let id = format!("tornado-{k}");
        let row_h = 24.0;
        let (w, left, right) = (860.0, 320.0, 40.0);
        let h = 50.0 + row_h * shown.len() as f64;
        let plot = w - left - right;
        let x = |v: f64| left + plot * (v.clamp(-1.0, 1.0) + 1.0) / 2.0;
        let mut svg = String::new();
        let _ = write!(
            svg,
            "<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
             <title id=\"{id}-title\">Inputs driving {}</title><desc id=\"{id}-desc\">Standardised rank regression coefficient of each input, with its 95% interval, largest first.</desc>",
            escape(&o.name)
        );
        for t in [-1.0, -0.5, 0.0, 0.5, 1.0] {
            let _ = write!(
                svg,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"20\" y2=\"{1:.1}\" stroke=\"#{2}\"/>\
                 <text x=\"{0:.1}\" y=\"14\" font-size=\"11\" text-anchor=\"middle\">{3:+.1}</text>",
                x(t),
                h - 22.0,
                if t == 0.0 { "444" } else { "ddd" },
                t
            );
        }
        for (i, e) in shown.iter().enumerate() {
            let y = 24.0 + row_h * i as f64;
            let (colour, sign) = if e.srrc >= 0.0 {
                (POSITIVE, "+")
            } else {
                (NEGATIVE, "−")
            };
            let (a, b) = (x(0.0).min(x(e.srrc)), x(0.0).max(x(e.srrc)));
            let name = &s.inputs[e.input];
            let label: String = if name.chars().count() > 44 {
                name.chars().take(43).chain(['…']).collect()
            } else {
                name.clone()
            };
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
                 <rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{}: {:+.3}</title></rect>\
                 <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#000\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{sign}</text>",
                left - 8.0,
                y + 15.0,
                escape(&label),
                y + 4.0,
                (b - a).max(0.5),
                row_h - 8.0,
                escape(name),
                e.srrc,
                x(e.interval[0]),
                x(e.interval[1]),
                y + row_h / 2.0,
                y + row_h / 2.0,
                b + 4.0,
                y + 16.0
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">standardised rank regression coefficient (95% interval as a line)</text></svg>",
            left + plot / 2.0,
            h - 6.0
        );
        let summary = match shown.first() {
            Some(e) => format!(
                "{}: the input with the largest effect is {} (SRRC {:+.2}); {} of {} inputs shown.",
                o.name,
                s.inputs[e.input],
                e.srrc,
                shown.len(),
                o.effects.len()
            ),
            None => format!("{}: no input.", o.name),
        };
        page.figure(&Chart { svg, summary });
        let rows: Vec<Vec<Cell>> = o
            .effects
            .iter()
            .take(TABLE)
            .map(|e| {
                vec![
                    Cell::Text(s.inputs[e.input].clone()),
                    Cell::Num(coef(e.srrc)),
                    Cell::Num(format!("{} … {}", coef(e.interval[0]), coef(e.interval[1]))),
                    Cell::Num(format!("{:.1}%", 100.0 * e.srrc * e.srrc)),
                    Cell::Num(coef(e.spearman)),
                ]
            })
            .collect();
        if o.effects.len() > TABLE {
            page.paragraph(&format!(
                "The table lists the {TABLE} largest of {} effects; the JSON and CSV outputs list them all.",
                o.effects.len()
            ));
        }
        page.table(
            &format!("The inputs' effects on {}, largest first", o.name),
            &["input", "SRRC", "95% interval", "SRRC²", "Spearman"],
            &rows,
        );
    }
    page.heading(2, "inputs", "Inputs");
    let rows: Vec<Vec<Cell>> = s
        .inputs
        .iter()
        .zip(&s.input_ranges)
        .map(|(name, r)| {
            vec![
                Cell::Text(name.clone()),
                Cell::Num(format!("{:.3}", r[0])),
                Cell::Num(format!("{:.3}", r[1])),
            ]
        })
        .collect();
    page.table(
        "The uncertain inputs and the middle 90% of their draws",
        &["input (override path)", "5%", "95%"],
        &rows,
    );
    Ok(page.finish(&title))
}

/// A coefficient with three decimals and its sign; what rounds to zero shows as 0.000.
fn coef(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let x = if x.abs() < 0.0005 { 0.0 } else { x };
    format!("{x:+.3}").replace('-', "\u{2212}")
}
