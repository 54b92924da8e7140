//! The settlement chart of the run page: where settlements of one issue land, with the status
//! quo, each actor's ideal point and the issue's options marked.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::HtmlError;
use super::chart::{
    Area, Drawn, FONT, GUIDE, KEY_WIDTH, Key, KeyShape, LABEL_SIZE, MESH, SMALL_SIZE, Shape,
    TITLE_SIZE, Ticked, WIDTH, colour, colour_name, key, marker, render, shorten,
};
use super::page::{Cell, Page};
use super::run::{interval_cell, share_cell};
use crate::montecarlo::{IssueSummary, Summary};
use crate::report::format::{maybe_number, number};
use crate::stats::IssueTally;

/// Settlement bins drawn per unit: the tally's 1,001 bins of 0.001 are grouped ten by ten into
/// bins of 0.01 centred on 0, 0.01, …, 1.
const DRAWN_BINS: usize = 101;

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

pub(crate) fn settlement(
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
        maybe_number(issue.mean, 2),
        maybe_number(issue.sd, 2),
        maybe_number(q.p50, 2),
        maybe_number(q.p25, 2),
        maybe_number(q.p75, 2),
        number(issue.status_quo, 2),
    );
    let ideals: Vec<String> = issue
        .ideals
        .iter()
        .map(|i| format!("{} {}", i.actor, number(i.position, 2)))
        .collect();
    sentence.push_str(&format!(" Ideal points: {}.", ideals.join(", ")));
    if let Some(m) = &issue.median_option {
        sentence.push_str(&format!(" The median settlement is the option “{m}”."));
    }
    if summary.wars.runs_with_war.count > 0 {
        sentence.push_str(&format!(
            " Mean settlement in runs with a war {}, without {}.",
            maybe_number(issue.with_war.mean, 2),
            maybe_number(issue.without_war.mean, 2)
        ));
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
                Cell::Text(format!("{} {}", colour_name(a), Shape::of(a).name())),
                Cell::Num(number(i.position, 2)),
                Cell::Num(number(i.salience, 2)),
            ]
        })
        .collect();
    page.table(
        &format!("Ideal points on {}", issue.name),
        &["actor", "marker", "ideal point", "salience"],
        &key,
    );
    if summary.wars.runs_with_war.count > 0 {
        let parts = [
            (
                "all runs",
                issue.mean,
                issue.sd,
                &issue.quantiles,
                summary.provenance.runs,
            ),
            (
                "runs with a war",
                issue.with_war.mean,
                issue.with_war.sd,
                &issue.with_war.quantiles,
                issue.with_war.runs,
            ),
            (
                "runs without a war",
                issue.without_war.mean,
                issue.without_war.sd,
                &issue.without_war.quantiles,
                issue.without_war.runs,
            ),
        ];
        let rows: Vec<Vec<Cell>> = parts
            .iter()
            .map(|(name, mean, sd, q, runs)| {
                vec![
                    Cell::Text((*name).into()),
                    Cell::Num(runs.to_string()),
                    Cell::Num(maybe_number(*mean, 3)),
                    Cell::Num(maybe_number(*sd, 3)),
                    Cell::Num(maybe_number(q.p5, 3)),
                    Cell::Num(maybe_number(q.p50, 3)),
                    Cell::Num(maybe_number(q.p95, 3)),
                ]
            })
            .collect();
        page.table(
            &format!("Settlements of {} with and without war", issue.name),
            &[
                "runs",
                "count",
                "mean",
                "sd",
                "5th percentile",
                "median",
                "95th percentile",
            ],
            &rows,
        );
    }
    if !issue.options.is_empty() {
        let rows: Vec<Vec<Cell>> = issue
            .options
            .iter()
            .map(|o| {
                vec![
                    Cell::Text(o.label.clone()),
                    Cell::Num(number(o.at, 2)),
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
        names
            .get(a as usize)
            .map(|s| shorten(s, 18))
            .unwrap_or_default()
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
        BLACK.stroke_width(2),
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
        .x_label_formatter(&|x| number(*x, 1))
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
            GUIDE.stroke_width(1),
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
    chart.draw_series(
        shares
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(b, &s)| {
                let x = b as f64 / (DRAWN_BINS - 1) as f64;
                Rectangle::new([(x - 0.004, 0.0), (x + 0.004, s)], BAR.filled())
            }),
    )?;
    let sq = issue.status_quo;
    chart.draw_series(DashedLineSeries::new(
        vec![(sq, 0.0), (sq, y_top)],
        6,
        4,
        BLACK.stroke_width(2),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{Histogram, Moments, UNIT_BINS, unit_bin};

    fn tally_of(values: &[f64]) -> IssueTally {
        let mut t = IssueTally {
            settlement: Moments::new(),
            by_outcome: [Moments::new(); 3],
            histogram: Histogram::new(UNIT_BINS),
            options: Vec::new(),
            with_war: Moments::new(),
            war_histogram: Histogram::new(UNIT_BINS),
        };
        for &x in values {
            t.settlement.record(x);
            t.histogram.record(unit_bin(x));
        }
        t
    }

    #[test]
    fn drawn_bins_are_centred_on_hundredths_and_hold_every_run() {
        // 0.689655 (Rubinstein's split) is in tally bin 690 and drawn bin 69; 0.004 in bin 0;
        // 0.005 in tally bin 5, which lies half-way and goes up to drawn bin 1; 1 in bin 100.
        let bins = drawn_bins(&tally_of(&[0.689655, 0.689655, 0.004, 0.005, 1.0]));
        assert_eq!(bins.len(), 101);
        let at = |b: usize| bins[b];
        assert_eq!(at(69), 0.4);
        assert_eq!(at(0), 0.2);
        assert_eq!(at(1), 0.2);
        assert_eq!(at(100), 0.2);
        let total: f64 = bins.iter().sum();
        assert!((total - 1.0).abs() < 1e-12);
        // No runs: nothing to draw, and no division by zero.
        assert!(drawn_bins(&tally_of(&[])).iter().all(|&s| s == 0.0));
    }
}
