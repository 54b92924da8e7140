//! The judgement section of the `treaty run` page: how far the settlements lie from the
//! principals' Pareto frontier and from the Nash and Kalai–Smorodinsky points
//! ([`crate::solvers::bargaining`], "Judging runs"), with two principals' utility space
//! ([`UtilitySpace`]) and the mean distance from the frontier by outcome kind.

use plotters::prelude::*;

use super::HtmlError;
use super::chart::{
    Chart, FONT, GUIDE, KEY_WIDTH, Key, KeyShape, LABEL_SIZE, MESH, PALETTE, SMALL_SIZE, Shape,
    TITLE_SIZE, WIDTH, key, marker, render,
};
use super::page::{Cell, Page};
use super::rows::{Row, Rows};
use crate::engine::OutcomeKind;
use crate::montecarlo::{DistanceSummary, Summary, UtilitySpace};
use crate::report::format::{maybe_number, number};

/// The colour and shape of the cloud's runs of each outcome kind.
fn cloud_style(kind: OutcomeKind) -> (RGBColor, Shape) {
    match kind {
        OutcomeKind::Agreement => (PALETTE[0], Shape::Circle),
        OutcomeKind::Deadlock => (PALETTE[1], Shape::Triangle),
        OutcomeKind::Conflict => (PALETTE[2], Shape::Square),
    }
}

/// The colour and shape of each bargaining point, by its name in [`UtilitySpace::points`].
fn point_style(name: &str) -> (RGBColor, Shape) {
    match name {
        "Nash" => (PALETTE[3], Shape::Diamond),
        "Kalai–Smorodinsky" => (PALETTE[4], Shape::Square),
        "egalitarian" => (PALETTE[5], Shape::Triangle),
        _ => (PALETTE[6], Shape::Cross),
    }
}

/// The section: a paragraph, the utility space (when there is one), the mean distance from the
/// frontier by outcome kind and a table of the three distances.
pub(super) fn judgement(page: &mut Page, summary: &Summary) -> Result<(), HtmlError> {
    page.heading(2, "judgement", "How efficient, how fair");
    let j = &summary.judgement;
    if j.runs == 0 {
        page.paragraph(
            "No settlement is judged: the scenario has no principal, or no settlement that every \
             principal values at least as much as disagreement, so there is no frontier to \
             measure against; or it has more than 48 principal × issue pairs, whose frontier \
             costs more than a batch (treaty analyse works it out).",
        );
        return Ok(());
    }
    let mut text = format!(
        "Each run's settlement is judged in the principals' utilities at the scenario's central \
         values, as normalised gains (0 at disagreement, 1 at each principal's best mutually \
         acceptable utility): its distance from the Pareto frontier (efficiency: 0 on the \
         frontier) is {} on average, its distance from the Nash point {} and from the \
         Kalai–Smorodinsky point {} (1 is the distance from disagreement to the ideal).",
        maybe_number(j.frontier.mean, 3),
        maybe_number(j.nash.mean, 3),
        maybe_number(j.kalai_smorodinsky.mean, 3),
    );
    if j.preferences_uncertain {
        text.push_str(
            " The principals' preferences are uncertain in this scenario; every run is judged at \
             their central values all the same.",
        );
    }
    page.paragraph(&text);
    match &summary.utility_space {
        Some(space) => {
            let mut text = format!(
                "The utility space of {} and {}: the upper-right boundary of the frontier, the \
                 bargaining points and the disagreement point, with the settlements of the first \
                 {} runs by run index (--pair chooses the two principals).",
                space.names[0],
                space.names[1],
                space.cloud.len()
            );
            if space.principals > 2 {
                text.push_str(&format!(
                    " With {} principals the frontier is a surface: what is drawn is the boundary \
                     of its projection on these two, so points of the full frontier, the \
                     bargaining points among them, may lie inside it.",
                    space.principals
                ));
            }
            page.paragraph(&text);
            page.figure(&utility_space(space)?);
        }
        None => page
            .paragraph("The utility space is drawn for two principals; this scenario has fewer."),
    }
    page.figure(&by_outcome(summary)?);
    let rows: Vec<Vec<Cell>> = [
        ("frontier", &j.frontier),
        ("Nash point", &j.nash),
        ("Kalai–Smorodinsky point", &j.kalai_smorodinsky),
    ]
    .into_iter()
    .map(|(name, d): (&str, &DistanceSummary)| {
        let by = &d.mean_by_outcome;
        vec![
            Cell::Text(name.into()),
            Cell::Num(d.runs.to_string()),
            Cell::Num(maybe_number(d.mean, 3)),
            Cell::Num(maybe_number(d.sd, 3)),
            Cell::Num(maybe_number(d.quantiles.p5, 3)),
            Cell::Num(maybe_number(d.quantiles.p50, 3)),
            Cell::Num(maybe_number(d.quantiles.p95, 3)),
            Cell::Num(maybe_number(by.agreement, 3)),
            Cell::Num(maybe_number(by.deadlock, 3)),
            Cell::Num(maybe_number(by.conflict, 3)),
        ]
    })
    .collect();
    page.table(
        "Distances of the settlements (normalised gains at central values)",
        &[
            "distance from",
            "runs",
            "mean",
            "sd",
            "5th percentile",
            "median",
            "95th percentile",
            "mean, agreements",
            "mean, deadlocks",
            "mean, conflicts",
        ],
        &rows,
    );
    Ok(())
}

/// The mean distance from the frontier over the runs of each outcome kind, ± 1 sd.
fn by_outcome(summary: &Summary) -> Result<Chart, HtmlError> {
    let t = &summary.tally.judgement().frontier;
    let rows: Vec<Row> = OutcomeKind::ALL
        .iter()
        .map(|&k| {
            let m = t.for_outcome(k);
            let mean = m.mean();
            Row {
                label: k.name().into(),
                estimate: mean,
                interval: mean.zip(m.sd()).map(|(x, sd)| ((x - sd).max(0.0), x + sd)),
                reference: None,
            }
        })
        .collect();
    let hi = rows
        .iter()
        .filter_map(|r| r.interval.map(|i| i.1).or(r.estimate))
        .fold(0.1, f64::max);
    let sentence = OutcomeKind::ALL
        .iter()
        .zip(&rows)
        .map(|(k, r)| match r.estimate {
            Some(x) => format!("{}s {}", k.name().to_lowercase(), number(x, 3)),
            None => format!("no {}s", k.name().to_lowercase()),
        })
        .collect::<Vec<_>>()
        .join(", ");
    Rows {
        id: "efficiency-chart",
        title: "Distance from the frontier by outcome",
        x_desc: "Mean distance from the Pareto frontier (0 = efficient; normalised gains)",
        x_range: 0.0..hi * 1.05,
        bars: true,
        line_at: None,
        names: ["mean distance", "± 1 sd across runs", ""],
        tick: &|x| number(*x, 2),
        rows,
    }
    .draw(format!(
        "Mean distance of the settlement from the Pareto frontier: {sentence}."
    ))
}

/// Two principals' utilities: the projected frontier, the bargaining points, the disagreement
/// point and the cloud of the first runs' settlements.
fn utility_space(space: &UtilitySpace) -> Result<Chart, HtmlError> {
    let [xa, ya] = &space.names;
    let x_desc = format!("Utility of {} ({})", xa, space.ids[0]);
    let y_desc = format!("Utility of {} ({})", ya, space.ids[1]);
    let kinds: Vec<OutcomeKind> = OutcomeKind::ALL
        .into_iter()
        .filter(|k| space.cloud.iter().any(|c| c.2 == *k))
        .collect();
    let mut keys = vec![Key {
        text: "frontier (projected)".into(),
        colour: GUIDE,
        shape: KeyShape::Line,
    }];
    for (name, _) in &space.points {
        let (colour, shape) = point_style(name);
        keys.push(Key {
            text: format!("{name} point"),
            colour,
            shape: KeyShape::Point(shape),
        });
    }
    keys.push(Key {
        text: "disagreement".into(),
        colour: BLACK,
        shape: KeyShape::Hollow(Shape::Circle),
    });
    for &k in &kinds {
        let (colour, shape) = cloud_style(k);
        keys.push(Key {
            text: format!("run: {}", k.name().to_lowercase()),
            colour,
            shape: KeyShape::Hollow(shape),
        });
    }
    let at = |p: (f64, f64)| format!("({}, {})", number(p.0, 2), number(p.1, 2));
    let points = space
        .points
        .iter()
        .map(|(name, p)| format!("{name} point at {}", at(*p)))
        .collect::<Vec<_>>()
        .join(", ");
    let counts = kinds
        .iter()
        .map(|k| {
            let n = space.cloud.iter().filter(|c| c.2 == *k).count();
            format!("{n} {}", k.name().to_lowercase())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let ends = match (space.frontier.first(), space.frontier.last()) {
        (Some(a), Some(b)) => format!("the frontier runs from {} to {}", at(*a), at(*b)),
        _ => "no frontier".into(),
    };
    let summary = format!(
        "Utilities of {xa} (x) and {ya} (y) at central values: {ends}; {points}; disagreement \
         at {}; the settlements of the first {} runs by run index: {counts}.",
        at(space.disagreement),
        space.cloud.len(),
    );
    let all = space
        .frontier
        .iter()
        .copied()
        .chain(space.cloud.iter().map(|c| (c.0, c.1)))
        .chain([space.disagreement]);
    let (mut lo_x, mut lo_y) = (0.0f64, 0.0f64);
    for (x, y) in all {
        lo_x = lo_x.min(x);
        lo_y = lo_y.min(y);
    }
    render(
        "utility-space-chart",
        "The principals' utility space",
        summary,
        (WIDTH, 600),
        |root| {
            let (left, right) = root.split_horizontally(WIDTH - KEY_WIDTH);
            let mut chart = ChartBuilder::on(&left)
                .caption("The principals' utility space", (FONT, TITLE_SIZE))
                .margin(12)
                .margin_right(24)
                .x_label_area_size(48)
                .y_label_area_size(64)
                .build_cartesian_2d(lo_x..1.02, lo_y..1.02)?;
            chart
                .configure_mesh()
                .x_desc(x_desc.as_str())
                .y_desc(y_desc.as_str())
                .x_label_formatter(&|x| format!("{x:.1}"))
                .y_label_formatter(&|y| format!("{y:.1}"))
                .label_style((FONT, SMALL_SIZE))
                .axis_desc_style((FONT, LABEL_SIZE))
                .max_light_lines(0)
                .bold_line_style(MESH)
                .draw()?;
            chart.draw_series(space.cloud.iter().map(|&(x, y, k)| {
                let (colour, shape) = cloud_style(k);
                marker((x, y), shape, 3, colour, false)
            }))?;
            chart.draw_series(LineSeries::new(
                space.frontier.iter().copied(),
                GUIDE.stroke_width(2),
            ))?;
            chart.draw_series(std::iter::once(marker(
                space.disagreement,
                Shape::Circle,
                6,
                BLACK,
                false,
            )))?;
            chart.draw_series(space.points.iter().map(|(name, p)| {
                let (colour, shape) = point_style(name);
                marker(*p, shape, 6, colour, true)
            }))?;
            key(&right, &keys)
        },
    )
}
