//! The page of `treaty sweep`: each headline metric against the swept parameter, with 95%
//! interval bands.
//!
//! The x axis is the first axis of the grid. With more axes, each combination of the others'
//! values gets its own set of charts (up to [`MAX_PANELS`]; the tables below the charts hold every point).

use plotters::prelude::*;

use super::HtmlError;
use super::chart::{
    FONT, KEY_WIDTH, Key, KeyShape, LABEL_SIZE, MESH, SMALL_SIZE, Shape, TITLE_SIZE, WIDTH, colour,
    key, marker, render, shorten,
};
use super::page::{Cell, Page};
use crate::experiment::{MetricKind, PointRow, Sweep};
use crate::report::format::number;

/// Most combinations of the other axes drawn; beyond, the table alone.
pub const MAX_PANELS: usize = 12;

/// A group of metrics drawn in one chart (they share a unit).
struct Group {
    id: &'static str,
    title: &'static str,
    y_desc: &'static str,
    /// Whether a metric id belongs to the group.
    holds: fn(&str) -> bool,
    /// Whether values are probabilities (drawn as percentages).
    probability: bool,
}

const GROUPS: [Group; 4] = [
    Group {
        id: "outcomes",
        title: "Outcome probabilities",
        y_desc: "Share of runs (%)",
        holds: |m| m.starts_with("outcome."),
        probability: true,
    },
    Group {
        id: "rounds",
        title: "Rounds",
        y_desc: "Round",
        holds: |m| m == "round" || m == crate::experiment::ROUNDS_TO_AGREEMENT,
        probability: false,
    },
    Group {
        id: "settlements",
        title: "Mean settlements",
        y_desc: "Settlement (0 to 1)",
        holds: |m| m.starts_with("settlement."),
        probability: false,
    },
    Group {
        id: "utilities",
        title: "Mean own utilities",
        y_desc: "Own utility",
        holds: |m| m.starts_with("utility."),
        probability: false,
    },
];

/// The value of axis `a` at a point, as a number (its index if the value is not a number).
fn axis_value(p: &PointRow, a: usize, values: &[String]) -> f64 {
    let text = p
        .settings
        .get(a)
        .and_then(|s| s.split_once('=').map(|(_, v)| v.to_string()));
    text.and_then(|t| t.trim().parse::<f64>().ok())
        .or_else(|| {
            let t = p.settings.get(a)?;
            values
                .iter()
                .position(|v| t.ends_with(&format!("={v}")))
                .map(|i| i as f64)
        })
        .unwrap_or(0.0)
}

/// The page of a sweep.
pub fn sweep_page(s: &Sweep) -> Result<String, HtmlError> {
    let p = &s.provenance;
    let axes: Vec<String> = s
        .axes
        .iter()
        .map(|a| {
            format!(
                "{} from {} to {} in {} steps",
                a.path, a.from, a.to, a.steps
            )
        })
        .collect();
    let title = format!(
        "{}: sweep of {}",
        p.scenario,
        s.axes.first().map_or("", |a| a.path.as_str())
    );
    let mut lead = format!(
        "{} points ({}), {} runs each under seed {}, on common random numbers. Bands are 95% \
         intervals: Wilson's for probabilities, mean ± 1.96 sd/√runs for means.",
        s.points.len(),
        axes.join("; "),
        p.runs,
        p.seed
    );
    if !p.overrides.is_empty() {
        lead.push_str(&format!(" At every point: {}.", p.overrides.join(", ")));
    }
    let mut page = Page::new(&title, &lead);
    let Some(first) = s.axes.first() else {
        page.paragraph("The sweep has no axis.");
        return Ok(page.finish(&title));
    };
    // Panels: the points sharing the values of every axis but the first.
    let mut panels: Vec<(Vec<String>, Vec<&PointRow>)> = Vec::new();
    for point in &s.points {
        let others: Vec<String> = point.settings.iter().skip(1).cloned().collect();
        match panels.iter_mut().find(|(k, _)| *k == others) {
            Some((_, list)) => list.push(point),
            None => panels.push((others, vec![point])),
        }
    }
    let drawn = panels.len().min(MAX_PANELS);
    if panels.len() > MAX_PANELS {
        page.paragraph(&format!(
            "The grid has {} combinations of the other axes; the first {MAX_PANELS} are drawn, \
             and the tables below hold every point.",
            panels.len()
        ));
    }
    for (k, (others, points)) in panels.iter().take(drawn).enumerate() {
        if !others.is_empty() {
            page.heading(
                2,
                &format!("panel-{}", k + 1),
                &format!("With {}", others.join(", ")),
            );
        }
        for g in &GROUPS {
            chart(&mut page, s, g, k, points, &first.path, &first.values)?;
        }
    }
    table(&mut page, s);
    page.heading(2, "provenance", "Provenance");
    let mut facts = vec![
        ("program", format!("{} {}", p.engine, p.version)),
        ("scenario", p.scenario.clone()),
        ("scenario hash", p.scenario_hash.clone()),
        ("seed", p.seed.to_string()),
        ("runs per point", p.runs.to_string()),
    ];
    if !p.overrides.is_empty() {
        facts.push(("overrides at every point", p.overrides.join(", ")));
    }
    facts.push(("method", s.method.clone()));
    page.facts(&facts);
    Ok(page.finish(&title))
}

/// One series of a chart: a metric's (x, value, low, high) over the points.
struct Series {
    label: String,
    points: Vec<(f64, f64, f64, f64)>,
}

fn chart(
    page: &mut Page,
    s: &Sweep,
    g: &Group,
    panel: usize,
    points: &[&PointRow],
    path: &str,
    values: &[String],
) -> Result<(), HtmlError> {
    let scale = if g.probability { 100.0 } else { 1.0 };
    let series: Vec<Series> = s
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| (g.holds)(&m.id))
        .map(|(j, m)| Series {
            label: ["settlement ", "utility "]
                .iter()
                .find_map(|w| m.label.strip_prefix(w))
                .unwrap_or(&m.label)
                .to_string(),
            points: points
                .iter()
                .filter_map(|p| {
                    let e = &p.estimates.get(j)?.estimate;
                    let v = e.value?;
                    let [lo, hi] = e.interval.unwrap_or([v, v]);
                    Some((axis_value(p, 0, values), v * scale, lo * scale, hi * scale))
                })
                .collect(),
        })
        .collect();
    if series.iter().all(|x| x.points.is_empty()) {
        return Ok(());
    }
    let all = series.iter().flat_map(|x| x.points.iter());
    let (x_lo, x_hi) = all
        .clone()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.0), b.max(p.0))
        });
    let (y_lo, y_hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
        (a.min(p.2), b.max(p.3))
    });
    let x_pad = ((x_hi - x_lo) * 0.04).max(1e-6);
    let y_pad = ((y_hi - y_lo) * 0.08).max(if g.probability { 1.0 } else { 0.01 });
    let (y_lo, y_hi) = if g.probability {
        ((y_lo - y_pad).max(0.0), (y_hi + y_pad).min(100.0))
    } else {
        (y_lo - y_pad, y_hi + y_pad)
    };
    let id = format!("{}-{}", g.id, panel + 1);
    let title = format!("{} against {path}", g.title);
    let sentence = series
        .iter()
        .filter_map(|x| {
            let (a, b) = (x.points.first()?, x.points.last()?);
            let unit = if g.probability { "%" } else { "" };
            Some(format!(
                "{} goes from {}{unit} at {} to {}{unit} at {}",
                x.label,
                number(a.1, if g.probability { 1 } else { 2 }),
                number(a.0, 3),
                number(b.1, if g.probability { 1 } else { 2 }),
                number(b.0, 3)
            ))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let keys: Vec<Key> = series
        .iter()
        .enumerate()
        .map(|(i, x)| Key {
            text: x.label.clone(),
            colour: colour(i),
            shape: KeyShape::Marker(Shape::of(i)),
        })
        .chain(std::iter::once(Key {
            text: "95% interval band".into(),
            colour: RGBColor(0xBB, 0xBB, 0xBB),
            shape: KeyShape::Bar,
        }))
        .collect();
    let height = 360.max(100 + 20 * keys.len() as u32);
    let chart = render(
        &id,
        &title,
        format!("{title}: {sentence}."),
        (WIDTH, height),
        |root| {
            let (left, right) = root.split_horizontally(WIDTH - KEY_WIDTH);
            let mut chart = ChartBuilder::on(&left)
                .caption(shorten(&title, 70), (FONT, TITLE_SIZE))
                .margin(12)
                .x_label_area_size(48)
                .y_label_area_size(64)
                .build_cartesian_2d((x_lo - x_pad)..(x_hi + x_pad), y_lo..y_hi)?;
            chart
                .configure_mesh()
                .max_light_lines(0)
                .bold_line_style(MESH)
                .x_desc(path)
                .y_desc(g.y_desc)
                .x_label_formatter(&|x| number(*x, 2))
                .y_label_formatter(&|y| number(*y, if g.probability { 0 } else { 2 }))
                .label_style((FONT, SMALL_SIZE))
                .axis_desc_style((FONT, LABEL_SIZE))
                .draw()?;
            for (i, x) in series.iter().enumerate() {
                let c = colour(i);
                // The band: the upper bounds left to right, the lower ones back.
                let band: Vec<(f64, f64)> = x
                    .points
                    .iter()
                    .map(|p| (p.0, p.3))
                    .chain(x.points.iter().rev().map(|p| (p.0, p.2)))
                    .collect();
                chart.draw_series(std::iter::once(Polygon::new(band, c.mix(0.18).filled())))?;
                chart.draw_series(LineSeries::new(
                    x.points.iter().map(|p| (p.0, p.1)),
                    c.stroke_width(2),
                ))?;
                chart.draw_series(
                    x.points
                        .iter()
                        .map(|p| marker((p.0, p.1), Shape::of(i), 4, c, true)),
                )?;
            }
            key(&right, &keys)
        },
    )?;
    page.figure(&chart);
    Ok(())
}

/// Most metric columns in one table of [`table`]: with the point and its settings, a table
/// of estimates and intervals this wide still fits a 1,000-pixel page without hiding a column.
const METRICS_PER_TABLE: usize = 4;

/// Every point's estimates, as tables of at most [`METRICS_PER_TABLE`] metrics each (outcomes
/// and rounds, then settlements, then own utilities), each repeating the point and its settings.
fn table(page: &mut Page, s: &Sweep) {
    page.heading(2, "points", "Every point");
    let group_of = |id: &str| match id.split('.').next() {
        Some("settlement") => 1,
        Some("utility") => 2,
        _ => 0,
    };
    const GROUPS: [&str; 3] = ["outcomes and rounds", "settlements", "own utilities"];
    for (g, group) in GROUPS.iter().enumerate() {
        let members: Vec<usize> = (0..s.metrics.len())
            .filter(|&k| group_of(&s.metrics[k].id) == g)
            .collect();
        let chunks: Vec<&[usize]> = members.chunks(METRICS_PER_TABLE).collect();
        for (c, chunk) in chunks.iter().enumerate() {
            let caption = if chunks.len() > 1 {
                format!(
                    "Every point, {group} ({} of {}): estimate (95% interval)",
                    c + 1,
                    chunks.len()
                )
            } else {
                format!("Every point, {group}: estimate (95% interval)")
            };
            metric_table(page, s, chunk, &caption);
        }
    }
}

/// One table of [`table`]: the points' settings and the estimates of the metrics `chosen`.
fn metric_table(page: &mut Page, s: &Sweep, chosen: &[usize], caption: &str) {
    let mut header: Vec<&str> = vec!["point"];
    header.extend(s.axes.iter().map(|a| a.path.as_str()));
    header.extend(chosen.iter().map(|&k| s.metrics[k].label.as_str()));
    let rows: Vec<Vec<Cell>> = s
        .points
        .iter()
        .map(|p| {
            let mut row = vec![Cell::Text(p.point.to_string())];
            row.extend(p.settings.iter().map(|x| {
                Cell::Fixed(x.split_once('=').map_or(x.as_str(), |(_, v)| v).to_string())
            }));
            for &k in chosen {
                let (m, e) = (&s.metrics[k], &p.estimates[k].estimate);
                let text = |x: f64| match m.kind {
                    MetricKind::Probability => format!("{:.1}%", x * 100.0),
                    MetricKind::Mean => number(x, 3),
                };
                row.push(Cell::Num(match (e.value, e.interval) {
                    (Some(v), Some([lo, hi])) => format!("{} ({}–{})", text(v), text(lo), text(hi)),
                    (Some(v), None) => text(v),
                    _ => "–".into(),
                }));
            }
            row
        })
        .collect();
    page.table(caption, &header, &rows);
}
