//! The page of `treaty run`: what a batch found, in charts and tables.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::HtmlError;
use super::chart::{
    Area, Drawn, FONT, GUIDE, KEY_WIDTH, Key, KeyShape, LABEL_SIZE, MESH, PALETTE, Row, Rows, SMALL_SIZE, Shape, TITLE_SIZE, Ticked,
    WIDTH, colour, key, marker, render, shorten,
};
use super::page::{Cell, Page, number, percent};
use crate::report::{ActorSummary, IssueSummary, Probability, Summary};
use crate::stats::{IssueTally, Tally};

/// Settlement bins drawn per unit: the tally's 1,001 bins of 0.001 are grouped ten by ten into
/// bins of 0.01 centred on 0, 0.01, …, 1.
const DRAWN_BINS: usize = 101;

/// The page of a batch: `summary` and the `tally` it was computed from.
pub fn run_page(summary: &Summary, tally: &Tally) -> Result<String, HtmlError> {
    let s = &summary.scenario;
    let p = &summary.provenance;
    let title = format!("{}: {} runs", s.name, p.runs);
    let mut calendar = format!(
        "{} protocol, at most {} rounds of {}",
        s.protocol, s.max_rounds, s.round
    );
    if let Some(start) = &s.start {
        calendar.push_str(&format!(" from {start}"));
    }
    let lead = format!("{} {calendar}; seed {}.", sentence(&s.description), p.seed);
    let mut page = Page::new(&title, &lead);

    outcomes(&mut page, summary)?;
    rounds(&mut page, summary, tally)?;
    page.heading(2, "issues", "Where settlements land");
    page.paragraph(
        "Each issue is a point on [0, 1] between two poles. The bars show the share of runs \
         settling in each 0.01-wide bin (the status quo holds after a deadlock); the strip \
         above marks each actor's ideal point (hollow where it does not care about the issue).",
    );
    for (issue, t) in summary.issues.iter().zip(tally.issues()) {
        settlement(&mut page, issue, t, summary)?;
    }
    actors(&mut page, summary)?;
    provenance(&mut page, summary);
    Ok(page.finish(&title))
}

/// `text` ending with a full stop (or its own punctuation).
pub(crate) fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.is_empty() || t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// "62.3% (95% interval 61.4–63.2%)".
fn share_with_interval(p: &Probability) -> String {
    match (p.probability, p.ci95) {
        (Some(x), Some([lo, hi])) => format!(
            "{} (95% interval {}–{})",
            percent(x),
            percent(lo),
            percent(hi)
        ),
        _ => "undefined (no runs)".into(),
    }
}

fn interval_cell(p: &Probability) -> Cell {
    Cell::Num(match p.ci95 {
        Some([lo, hi]) => format!("{}\u{2013}{}", percent(lo), percent(hi)),
        None => "–".into(),
    })
}

fn share_cell(p: &Probability) -> Cell {
    Cell::Num(p.probability.map_or_else(|| "–".into(), percent))
}

fn outcomes(page: &mut Page, summary: &Summary) -> Result<(), HtmlError> {
    page.heading(2, "outcomes", "How the talks end");
    let rows = summary
        .outcomes
        .iter()
        .map(|o| Row {
            label: o.kind.clone(),
            estimate: o.probability.probability,
            interval: o.probability.ci95.map(|[lo, hi]| (lo, hi)),
            reference: None,
        })
        .collect();
    let sentence = summary
        .outcomes
        .iter()
        .map(|o| {
            format!(
                "{} in {}",
                o.kind.to_lowercase(),
                share_with_interval(&o.probability)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let chart = Rows {
        id: "outcomes-chart",
        title: "Outcome probabilities",
        x_desc: "Share of runs (%), with 95% Wilson intervals",
        x_range: 0.0..1.0,
        bars: true,
        line_at: None,
        names: ["share of runs", "95% interval", ""],
        tick: |x| format!("{:.0}", x * 100.0),
        rows,
    }
    .draw(format!(
        "Of {} runs: {sentence}.",
        summary.provenance.runs
    ))?;
    page.figure(&chart);
    let rows: Vec<Vec<Cell>> = summary
        .outcomes
        .iter()
        .map(|o| {
            vec![
                Cell::Text(o.kind.clone()),
                Cell::Num(o.probability.count.to_string()),
                share_cell(&o.probability),
                interval_cell(&o.probability),
                Cell::Num(number(o.mean_round, 1)),
            ]
        })
        .collect();
    page.table(
        "Outcomes",
        &["outcome", "runs", "share", "95% interval", "mean round"],
        &rows,
    );
    if let Some(pr) = &summary.precision {
        page.paragraph(&format!(
            "Precision target ±{}: {} after {} runs (largest half-width {}; cap {} runs).",
            number(Some(pr.target), 4),
            if pr.reached { "reached" } else { "not reached" },
            summary.provenance.runs,
            number(Some(pr.half_width), 4),
            pr.cap
        ));
    }
    Ok(())
}

fn rounds(page: &mut Page, summary: &Summary, tally: &Tally) -> Result<(), HtmlError> {
    page.heading(2, "rounds", "When agreements come");
    let r = &summary.rounds_to_agreement;
    let hist = tally.agreement_rounds();
    if r.runs == 0 {
        page.paragraph("No run ended in agreement.");
        return Ok(());
    }
    let last = (0..hist.bins())
        .rev()
        .find(|&k| hist.count(k) > 0)
        .unwrap_or(1)
        .max(5);
    let shares: Vec<(u32, f64)> = (1..=last)
        .map(|k| (k as u32, hist.count(k) as f64 / r.runs as f64))
        .collect();
    let top = shares.iter().map(|s| s.1).fold(0.0, f64::max);
    let q = &r.quantiles;
    let when = |round: Option<u32>, date: Option<&String>| match (round, date) {
        (Some(k), Some(d)) => format!("round {k} ({d})"),
        (Some(k), None) => format!("round {k}"),
        _ => "–".into(),
    };
    let sentence = format!(
        "{} runs ended in agreement, on average in round {}; half of them by {}, 90% between {} \
         and {}.",
        r.runs,
        number(r.mean, 1),
        when(q.p50, r.quantile_dates.p50.as_ref()),
        when(q.p5, r.quantile_dates.p5.as_ref()),
        when(q.p95, r.quantile_dates.p95.as_ref()),
    );
    let s = &summary.scenario;
    let x_desc = match &s.start {
        Some(start) => format!("Round of agreement (1 round = {}; round 1 starts {start})", s.round),
        None => format!("Round of agreement (1 round = {})", s.round),
    };
    let chart = render(
        "rounds-chart",
        "Rounds to agreement",
        sentence,
        (WIDTH, 340),
        |root| {
            let mut chart = ChartBuilder::on(root)
                .caption("Rounds to agreement", (FONT, TITLE_SIZE))
                .margin(12)
                .margin_right(28)
                .x_label_area_size(48)
                .y_label_area_size(64)
                .build_cartesian_2d(0.5..last as f64 + 0.5, 0.0..(top * 1.1).max(0.01))?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_desc(x_desc.as_str())
                .y_desc("Share of agreements (%)")
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| format!("{:.0}", y * 100.0))
                .label_style((FONT, SMALL_SIZE))
                .axis_desc_style((FONT, LABEL_SIZE))
                .max_light_lines(0)
                .bold_line_style(MESH)
                .draw()?;
            chart.draw_series(shares.iter().map(|&(k, share)| {
                let x = f64::from(k);
                Rectangle::new([(x - 0.4, 0.0), (x + 0.4, share)], PALETTE[0].filled())
            }))?;
            Ok(())
        },
    )?;
    page.figure(&chart);
    let mut rows = vec![vec![
        Cell::Text("mean".into()),
        Cell::Num(number(r.mean, 1)),
        Cell::Fixed(r.mean_date.clone().unwrap_or_else(|| "–".into())),
    ]];
    for ((p, k), (_, d)) in q.entries().into_iter().zip(r.quantile_dates.entries()) {
        rows.push(vec![
            Cell::Text(if p == 50 {
                "median".into()
            } else {
                format!("{p}th percentile")
            }),
            Cell::Num(k.map_or_else(|| "–".into(), u32::to_string)),
            Cell::Fixed(d.cloned().unwrap_or_else(|| "–".into())),
        ]);
    }
    page.table(
        "Rounds to agreement",
        &["statistic", "round", "round starts"],
        &rows,
    );
    Ok(())
}

/// The tally's settlement histogram in [`DRAWN_BINS`] bins: share of runs per bin.
fn drawn_bins(t: &IssueTally) -> Vec<f64> {
    let mut counts = [0u64; DRAWN_BINS];
    for k in 0..t.histogram.bins() {
        // Bin k of the tally is centred on k / 1000; its drawn bin is round(k / 10), ties up.
        let b = ((k + 5) / 10).min(DRAWN_BINS - 1);
        counts[b] += t.histogram.count(k);
    }
    let total = t.histogram.total().max(1) as f64;
    counts.iter().map(|&c| c as f64 / total).collect()
}

fn settlement(
    page: &mut Page,
    issue: &IssueSummary,
    t: &IssueTally,
    summary: &Summary,
) -> Result<(), HtmlError> {
    let id = format!("issue-{}", issue.id);
    page.heading(3, &id, &issue.name);
    page.paragraph(&format!("0 = {}; 1 = {}.", issue.low, issue.high));
    let shares = drawn_bins(t);
    let top = shares.iter().copied().fold(0.0, f64::max).max(0.01);
    let q = &issue.quantiles;
    let mut sentence = format!(
        "Settlements on {}: mean {} (sd {}), median {}, middle half {} to {}; status quo {}.",
        issue.name,
        number(issue.mean, 2),
        number(issue.sd, 2),
        number(q.p50, 2),
        number(q.p25, 2),
        number(q.p75, 2),
        number(Some(issue.status_quo), 2),
    );
    let ideals: Vec<String> = issue
        .ideals
        .iter()
        .map(|i| format!("{} {}", i.actor, number(Some(i.position), 2)))
        .collect();
    sentence.push_str(&format!(" Ideal points: {}.", ideals.join(", ")));
    if let Some(m) = &issue.median_option {
        sentence.push_str(&format!(" The median settlement is the option “{m}”."));
    }
    let names: Vec<String> = summary.actors.iter().map(|a| a.name.clone()).collect();
    let strip = 30 + 22 * issue.ideals.len() as u32;
    let chart = render(
        &format!("{id}-chart"),
        &format!("Settlements: {}", issue.name),
        sentence,
        (WIDTH, strip + 360),
        |root| {
            let body = root.titled(
                &shorten(&format!("Settlements: {}", issue.name), 90),
                (FONT, TITLE_SIZE),
            )?;
            let (main, right) = body.split_horizontally(WIDTH - KEY_WIDTH);
            let (top_area, bottom) = main.split_vertically(strip);
            ideal_strip(&top_area, issue, &names)?;
            histogram(&bottom, issue, &shares, top)?;
            key(&right, &settlement_keys(!issue.options.is_empty()))?;
            // The poles, under the axis description.
            let (_, h) = body.dim_in_pixel();
            let small = (FONT, SMALL_SIZE).into_font().color(&BLACK);
            for (k, (end, pole)) in [("0", &issue.low), ("1", &issue.high)].iter().enumerate() {
                body.draw(&Text::new(
                    format!("{end} = {}", shorten(pole, 110)),
                    (LEFT as i32 + 12, h as i32 - 36 + 18 * k as i32),
                    small.clone(),
                ))?;
            }
            Ok(())
        },
    )?;
    page.figure(&chart);
    let key: Vec<Vec<Cell>> = issue
        .ideals
        .iter()
        .enumerate()
        .map(|(a, i)| {
            vec![
                Cell::Text(names.get(a).cloned().unwrap_or_else(|| i.actor.clone())),
                Cell::Text(format!("{} {}", css_name(a), Shape::of(a).name())),
                Cell::Num(number(Some(i.position), 2)),
                Cell::Num(number(Some(i.salience), 2)),
            ]
        })
        .collect();
    page.table(
        &format!("Ideal points on {}", issue.name),
        &["actor", "marker", "ideal point", "salience"],
        &key,
    );
    if !issue.options.is_empty() {
        let rows: Vec<Vec<Cell>> = issue
            .options
            .iter()
            .map(|o| {
                vec![
                    Cell::Text(o.label.clone()),
                    Cell::Num(number(Some(o.at), 2)),
                    share_cell(&o.probability),
                    interval_cell(&o.probability),
                ]
            })
            .collect();
        page.table(
            &format!("Options of {} (settlement nearest each option)", issue.name),
            &["option", "point", "share of runs", "95% interval"],
            &rows,
        );
    }
    Ok(())
}

/// The colour's name in the palette, for the marker key.
fn css_name(a: usize) -> &'static str {
    const NAMES: [&str; 8] = [
        "blue",
        "vermillion",
        "bluish green",
        "reddish purple",
        "orange",
        "sky blue",
        "black",
        "yellow",
    ];
    NAMES[a % NAMES.len()]
}

/// Margins and label areas shared by the two panels of a settlement chart, so their x axes line
/// up.
const LEFT: u32 = 150;
const X_RANGE: std::ops::Range<f64> = -0.02..1.02;

fn ideal_strip(area: &Area<'_>, issue: &IssueSummary, names: &[String]) -> Drawn {
    let n = issue.ideals.len().max(1);
    let ys: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(28)
        .margin_top(6)
        .y_label_area_size(LEFT)
        .build_cartesian_2d(X_RANGE, Ticked::new(-0.6..n as f64 - 0.4, ys))?;
    let label = |y: &f64| {
        let a = (n as f64 - 1.0 - y).round();
        if a < 0.0 {
            return String::new();
        }
        names.get(a as usize).map(|s| shorten(s, 18)).unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .y_label_formatter(&label)
        .label_style((FONT, SMALL_SIZE))
        .max_light_lines(0)
        .bold_line_style(MESH)
        .draw()?;
    let sq = issue.status_quo;
    chart.draw_series(DashedLineSeries::new(
        vec![(sq, -0.6), (sq, n as f64 - 0.4)],
        6,
        4,
        BLACK.stroke_width(2).into(),
    ))?;
    chart.draw_series(issue.ideals.iter().enumerate().map(|(a, i)| {
        let y = (n - 1 - a) as f64;
        marker(
            (i.position, y),
            Shape::of(a),
            6,
            colour(a),
            i.salience > 0.0,
        )
    }))?;
    Ok(())
}

fn histogram(area: &Area<'_>, issue: &IssueSummary, shares: &[f64], top: f64) -> Drawn {
    let y_top = top * 1.15;
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(28)
        .margin_bottom(44)
        .x_label_area_size(48)
        .y_label_area_size(LEFT)
        .build_cartesian_2d(X_RANGE, 0.0..y_top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(11)
        .x_desc("Settlement point")
        .y_desc("Share of runs (%)")
        .x_label_formatter(&|x| number(Some(*x), 1))
        .y_label_formatter(&|y| format!("{:.0}", y * 100.0))
        .label_style((FONT, SMALL_SIZE))
        .axis_desc_style((FONT, LABEL_SIZE))
        .max_light_lines(0)
        .bold_line_style(MESH)
        .draw()?;
    let small = (FONT, SMALL_SIZE).into_font();
    // Options: dotted guides with their labels along them.
    for (k, o) in issue.options.iter().enumerate() {
        chart.draw_series(DashedLineSeries::new(
            vec![(o.at, 0.0), (o.at, y_top)],
            2,
            3,
            GUIDE.stroke_width(1).into(),
        ))?;
        // Rotated to read upwards, hanging from the top: right of the guide, or left of it at
        // the right end of the axis.
        let (v, dx) = if o.at > 0.95 {
            (VPos::Bottom, -6)
        } else {
            (VPos::Top, 6)
        };
        let style = small
            .clone()
            .transform(FontTransform::Rotate270)
            .color(&RGBColor(0x33, 0x33, 0x33))
            .pos(Pos::new(HPos::Right, v));
        let text = format!("{} {}", k + 1, shorten(&o.label, 34));
        chart.draw_series(std::iter::once(
            EmptyElement::at((o.at, y_top)) + Text::new(text, (dx, 4), style),
        ))?;
    }
    chart.draw_series(shares.iter().enumerate().filter(|(_, s)| **s > 0.0).map(|(b, &s)| {
        let x = b as f64 / (DRAWN_BINS - 1) as f64;
        Rectangle::new([(x - 0.004, 0.0), (x + 0.004, s)], BAR.filled())
    }))?;
    let sq = issue.status_quo;
    chart.draw_series(DashedLineSeries::new(
        vec![(sq, 0.0), (sq, y_top)],
        6,
        4,
        BLACK.stroke_width(2).into(),
    ))?;
    Ok(())
}

/// The key of a settlement chart.
fn settlement_keys(options: bool) -> Vec<Key> {
    let mut keys = vec![
        Key {
            text: "share of runs".into(),
            colour: BAR,
            shape: KeyShape::Bar,
        },
        Key {
            text: "status quo".into(),
            colour: BLACK,
            shape: KeyShape::Dashed,
        },
    ];
    if options {
        keys.push(Key {
            text: "option (numbered)".into(),
            colour: GUIDE,
            shape: KeyShape::Dashed,
        });
    }
    keys.push(Key {
        text: "ideal point (by actor)".into(),
        colour: BLACK,
        shape: KeyShape::Marker(Shape::Circle),
    });
    keys.push(Key {
        text: "ideal, does not care".into(),
        colour: BLACK,
        shape: KeyShape::Hollow(Shape::Circle),
    });
    keys
}

/// Colour of settlement bars.
const BAR: RGBColor = RGBColor(0x44, 0x44, 0x44);

fn actors(page: &mut Page, summary: &Summary) -> Result<(), HtmlError> {
    page.heading(2, "actors", "Who gains");
    let lo = summary
        .actors
        .iter()
        .flat_map(|a| [a.reservation, a.utility.unwrap_or(0.0) - a.utility_sd.unwrap_or(0.0)])
        .fold(0.0, f64::min);
    let hi = summary
        .actors
        .iter()
        .flat_map(|a| [a.reservation, a.utility.unwrap_or(0.0) + a.utility_sd.unwrap_or(0.0)])
        .fold(1.0, f64::max);
    let rows = summary
        .actors
        .iter()
        .map(|a| Row {
            label: a.name.clone(),
            estimate: a.utility,
            interval: a.utility.zip(a.utility_sd).map(|(u, sd)| (u - sd, u + sd)),
            reference: Some(a.reservation),
        })
        .collect();
    let sentence = summary
        .actors
        .iter()
        .map(|a: &ActorSummary| {
            format!(
                "{} expects {} against a reservation utility of {}",
                a.name,
                number(a.utility, 2),
                number(Some(a.reservation), 2)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let chart = Rows {
        id: "actors-chart",
        title: "Expected utility against reservation utility",
        x_desc: "Own utility of the outcome (1 = its ideal, 0 = the far pole of all it cares about)",
        x_range: lo..hi,
        bars: false,
        line_at: None,
        names: [
            "expected utility",
            "± 1 sd across runs",
            "reservation utility",
        ],
        tick: |x| number(Some(*x), 1),
        rows,
    }
    .draw(format!("{sentence}."))?;
    page.figure(&chart);
    let rows: Vec<Vec<Cell>> = summary
        .actors
        .iter()
        .map(|a| {
            vec![
                Cell::Text(a.name.clone()),
                Cell::Text(a.role.clone()),
                Cell::Num(number(a.utility, 3)),
                Cell::Num(number(a.utility_sd, 3)),
                Cell::Num(number(Some(a.reservation), 3)),
                share_cell(&a.reservation_met),
                interval_cell(&a.reservation_met),
                Cell::Num(number(a.concession, 3)),
            ]
        })
        .collect();
    page.table(
        "Actors",
        &[
            "actor",
            "role",
            "expected utility",
            "sd",
            "reservation",
            "runs at or above reservation",
            "95% interval",
            "mean concession",
        ],
        &rows,
    );
    Ok(())
}

fn provenance(page: &mut Page, summary: &Summary) {
    page.heading(2, "provenance", "Provenance");
    let p = &summary.provenance;
    let mut facts = vec![
        ("program", format!("{} {}", p.engine, p.version)),
        ("scenario", p.scenario.clone()),
        ("scenario hash", p.scenario_hash.clone()),
        ("seed", p.seed.to_string()),
        ("runs", p.runs.to_string()),
        ("runs per block", p.block_size.to_string()),
        ("report schema", summary.schema.clone()),
    ];
    if !p.overrides.is_empty() {
        facts.push(("overrides", p.overrides.join(", ")));
    }
    if let Some(eps) = p.precision {
        facts.push(("precision target", format!("±{}", number(Some(eps), 4))));
    }
    page.facts(&facts);
    page.paragraph(
        "The same program version, scenario file (named by its hash), overrides, seed and runs \
         give this page byte for byte.",
    );
}
