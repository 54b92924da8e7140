//! The page of a backtest: how well each protocol and each baseline forecast the recorded
//! outcomes. The scores overall and by group, the mean absolute error and CRPS of each method,
//! each method's forecasts against the outcomes, the distribution of the errors, and the issues
//! the best protocol forecast worst.

use plotters::prelude::*;

use super::HtmlError;
use super::chart::{
    Area, Drawn, FONT, GUIDE, KEY_WIDTH, Key, KeyShape, LABEL_SIZE, MESH, PALETTE, SMALL_SIZE,
    Shape, TITLE_SIZE, Ticked, WIDTH, colour, colour_name, key, marker, render, shorten,
};
use super::page::{Cell, Page};
use crate::backtest::{
    Backtest, Baseline, Forecast, GroupScores, Kind, Score, WITHIN, quantile_sorted,
};
use crate::report::format::{DASH, maybe_number, maybe_share, number, percent, signed};

/// Issues listed one by one in the table of every forecast; beyond, the first ones only.
const MAX_LISTED: usize = 500;

/// Worst-forecast issues listed for the best protocol.
const WORST: usize = 10;

/// Errors at which the distribution chart marks each curve (so curves differ by marker shape
/// as well as colour and dash).
const MARKS: [f64; 3] = [WITHIN, 0.2, 0.3];

/// Errors whose share the distribution table gives.
const THRESHOLDS: [f64; 4] = [0.05, WITHIN, 0.25, 0.5];

/// Colour of the protocols' bars.
const PROTOCOL: RGBColor = PALETTE[0];

/// Colour of the baselines' (hatched) bars.
const BASELINE: RGBColor = PALETTE[1];

/// The mark of the best mean absolute error of a group.
const STAR: &str = "★";

/// Slack when comparing errors with a threshold or with each other (as the scores count them).
const EPS: f64 = 1e-12;

/// Columns of the grid of forecast panels.
const PANEL_COLUMNS: usize = 3;

/// Height of one forecast panel, in pixels.
const PANEL_HEIGHT: u32 = 250;

/// The page of a backtest.
pub fn backtest_page(b: &Backtest) -> Result<String, HtmlError> {
    let issues = b.rows.len();
    let title = format!(
        "Backtest: {} with {}",
        plural(b.cases, "case"),
        plural(issues, "recorded issue")
    );
    let lead = format!(
        "{} with {}; each case was played {} per protocol under seed {}, and the baselines were \
         computed on the same runs' worlds. A method's point forecast of an issue is the median \
         of its runs' values, and its error is the absolute difference between that forecast \
         and the recorded outcome, on the issue's [0, 1] scale. For each method the scores \
         give the mean absolute error (MAE) and the median absolute error, the share of issues \
         forecast within {} of the outcome, and the mean continuous ranked probability score \
         (CRPS). The CRPS scores the whole distribution of the runs' values, and for a forecast \
         that is a single point it equals the absolute error. Lower is better for errors and \
         CRPS, and higher for the share within {}.",
        plural(b.cases, "case"),
        plural(issues, "recorded issue"),
        plural(b.runs as usize, "time"),
        b.seed,
        number(WITHIN, 1),
        number(WITHIN, 1),
    );
    let mut page = Page::new(&title, &lead);
    methods(&mut page, b);
    scores(&mut page, b);
    if issues == 0 {
        page.paragraph("No issue was recorded, so there is nothing to draw.");
    } else {
        error_chart(&mut page, b)?;
        forecasts(&mut page, b)?;
        distribution(&mut page, b)?;
        worst(&mut page, b);
        every_issue(&mut page, b);
    }
    provenance(&mut page, b);
    Ok(page.finish(&title))
}

/// "1 case", "3 cases".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Protocol => "protocol",
        Kind::Baseline => "baseline",
    }
}

/// How method `m` is drawn in the scatter and distribution charts: its colour, marker and line.
fn series_name(b: &Backtest, m: usize) -> String {
    let line = match b.methods[m].kind {
        Kind::Protocol => "solid line",
        Kind::Baseline => "dashed line",
    };
    format!("{} {}, {line}", colour_name(m), Shape::of(m).name())
}

/// The key entry of method `m` as a series: protocols solid, baselines dashed.
fn series_key(b: &Backtest, m: usize) -> Key {
    let method = &b.methods[m];
    Key {
        text: method.label.clone(),
        colour: colour(m),
        shape: match method.kind {
            Kind::Protocol => KeyShape::Marker(Shape::of(m)),
            Kind::Baseline => KeyShape::DashedMarker(Shape::of(m)),
        },
    }
}

/// The lowest mean absolute error among `scores`, if any is defined.
fn best_mae(scores: &[Option<Score>]) -> Option<f64> {
    scores
        .iter()
        .flatten()
        .map(|s| s.mae)
        .filter(|x| x.is_finite())
        .min_by(f64::total_cmp)
}

/// Whether `score` has the group's best MAE `best`.
fn is_best(score: Option<&Score>, best: Option<f64>) -> bool {
    matches!((score, best), (Some(s), Some(best)) if (s.mae - best).abs() <= EPS)
}

/// The name of a group: "All issues" or "rule = QMV".
fn group_name(g: &GroupScores) -> String {
    match &g.group {
        None => "All issues".into(),
        Some((column, value)) => format!("{column} = {value}"),
    }
}

/// The scores of every method over every issue.
fn overall(b: &Backtest) -> Vec<Option<Score>> {
    b.scores
        .iter()
        .find(|g| g.group.is_none())
        .map_or_else(|| vec![None; b.methods.len()], |g| g.scores.clone())
}

/// The forecast of method `m` of each row that has one, in row order.
fn forecasts_of(b: &Backtest, m: usize) -> impl Iterator<Item = (usize, &Forecast)> {
    b.rows
        .iter()
        .enumerate()
        .filter_map(move |(i, r)| r.forecasts.get(m)?.as_ref().map(|f| (i, f)))
}

fn methods(page: &mut Page, b: &Backtest) {
    page.heading(2, "methods", "Methods");
    let rows: Vec<Vec<Cell>> = b
        .methods
        .iter()
        .enumerate()
        .map(|(m, method)| {
            vec![
                Cell::Text(method.label.clone()),
                Cell::Text(kind_name(method.kind).into()),
                Cell::Text(method.description.clone()),
                Cell::Text(match method.kind {
                    Kind::Protocol => "solid blue".into(),
                    Kind::Baseline => "hatched vermillion".into(),
                }),
                Cell::Text(series_name(b, m)),
            ]
        })
        .collect();
    page.table(
        "The methods scored: the protocols entered, then the baselines",
        &[
            "method",
            "kind",
            "what it is",
            "bar in the error chart",
            "colour, marker and line in the error distribution",
        ],
        &rows,
    );
}

fn scores(page: &mut Page, b: &Backtest) {
    page.heading(2, "scores", "Scores");
    page.paragraph(&format!(
        "One table per group of issues, all issues first. {STAR} marks the lowest mean absolute \
         error of each group (every method with that error, if several share it). A dash marks \
         a method with no scored issue in the group (the status quo is scored only where it \
         was recorded). Agreement is the share of a protocol's runs that ended in agreement; \
         baselines have none."
    ));
    for g in &b.scores {
        let best = best_mae(&g.scores);
        let rows: Vec<Vec<Cell>> = b
            .methods
            .iter()
            .enumerate()
            .map(|(m, method)| {
                let s = g.scores.get(m).and_then(Option::as_ref);
                let label = if is_best(s, best) {
                    format!("{} {STAR}", method.label)
                } else {
                    method.label.clone()
                };
                let value =
                    |f: fn(&Score) -> f64, digits: usize| Cell::Num(maybe_number(s.map(f), digits));
                vec![
                    Cell::Text(label),
                    Cell::Text(kind_name(method.kind).into()),
                    Cell::Num(s.map_or_else(|| DASH.into(), |s| s.n.to_string())),
                    value(|s| s.mae, 3),
                    value(|s| s.median_error, 3),
                    Cell::Num(s.map_or_else(|| DASH.into(), |s| percent(s.within, 1))),
                    value(|s| s.crps, 3),
                    Cell::Num(maybe_share(s.and_then(|s| s.agreement))),
                ]
            })
            .collect();
        let within = format!("within {}", number(WITHIN, 1));
        page.table(
            &format!("{} ({})", group_name(g), plural(g.issues, "issue")),
            &[
                "method",
                "kind",
                "issues scored",
                "mean absolute error",
                "median absolute error",
                &within,
                "mean CRPS",
                "agreement",
            ],
            &rows,
        );
    }
}

/// Hatching of a bar from 0 to `end` at height `y` (± 0.3) on an x axis reaching `x_hi`:
/// diagonal strokes clipped to the bar.
fn hatch(end: f64, y: f64, x_hi: f64) -> Vec<[(f64, f64); 2]> {
    let step = x_hi / 60.0;
    let dx = 1.5 * step;
    let (low, high) = (y - 0.3, y + 0.3);
    let mut out = Vec::new();
    let mut k = 0.0;
    loop {
        let x0 = -dx + k * step;
        if x0 >= end {
            break;
        }
        let t0 = ((0.0 - x0) / dx).max(0.0);
        let t1 = ((end - x0) / dx).min(1.0);
        if t0 < t1 {
            out.push([
                (x0 + t0 * dx, low + t0 * (high - low)),
                (x0 + t1 * dx, low + t1 * (high - low)),
            ]);
        }
        k += 1.0;
    }
    out
}

/// Mean absolute error of every method as a bar, mean CRPS as a diamond on it.
fn error_chart(page: &mut Page, b: &Backtest) -> Result<(), HtmlError> {
    page.heading(2, "errors", "Mean error by method");
    let scores = overall(b);
    if scores.iter().all(Option::is_none) {
        page.paragraph("No method was scored.");
        return Ok(());
    }
    let n = b.methods.len();
    let best = best_mae(&scores);
    let top = scores
        .iter()
        .flatten()
        .flat_map(|s| [s.mae, s.crps])
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    let x_hi = (top * 1.12).max(0.05);
    let labels: Vec<String> = b
        .methods
        .iter()
        .zip(&scores)
        .map(|(method, s)| {
            let label = shorten(&method.label, 30);
            if is_best(s.as_ref(), best) {
                format!("{label} {STAR}")
            } else {
                label
            }
        })
        .collect();
    let sentence = b
        .methods
        .iter()
        .zip(&scores)
        .map(|(method, s)| match s {
            Some(s) => format!(
                "{} ({}) {} (CRPS {})",
                method.label,
                kind_name(method.kind),
                number(s.mae, 3),
                number(s.crps, 3)
            ),
            None => format!("{} ({}) not scored", method.label, kind_name(method.kind)),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let lowest: Vec<&str> = b
        .methods
        .iter()
        .zip(&scores)
        .filter(|(_, s)| is_best(s.as_ref(), best))
        .map(|(m, _)| m.label.as_str())
        .collect();
    let title = "Mean absolute error and mean CRPS by method";
    let keys = vec![
        Key {
            text: "protocol: mean error".into(),
            colour: PROTOCOL,
            shape: KeyShape::Bar,
        },
        Key {
            text: "baseline: mean error".into(),
            colour: BASELINE,
            shape: KeyShape::Hatched,
        },
        Key {
            text: "mean CRPS".into(),
            colour: BLACK,
            shape: KeyShape::Hollow(Shape::Diamond),
        },
    ];
    let chart = render(
        "errors-chart",
        title,
        format!(
            "Mean absolute error of the point forecasts over all issues, with the mean CRPS: \
             {sentence}. Lowest mean absolute error ({STAR}): {}.",
            lowest.join(", ")
        ),
        (WIDTH, 130 + 40 * n.max(1) as u32),
        |root| {
            let (left, right) = root.split_horizontally(WIDTH - KEY_WIDTH);
            let rows = n.max(1);
            let ys: Vec<f64> = (0..rows).map(|i| i as f64).collect();
            let label_width = labels
                .iter()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(4)
                .clamp(6, 32) as u32
                * 7
                + 16;
            let y_of = |m: usize| (rows - 1 - m) as f64;
            let label_of = |y: &f64| {
                let m = (rows as f64 - 1.0 - y).round();
                if m >= 0.0 {
                    labels.get(m as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            };
            let mut chart = ChartBuilder::on(&left)
                .caption(title, (FONT, TITLE_SIZE))
                .margin(12)
                .margin_right(20)
                .x_label_area_size(48)
                .y_label_area_size(label_width)
                .build_cartesian_2d(0.0..x_hi, Ticked::new(-0.6..rows as f64 - 0.4, ys))?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .max_light_lines(0)
                .x_desc("Mean absolute error and mean CRPS (units of the issues' [0, 1] scale)")
                .x_label_formatter(&|x| number(*x, 2))
                .y_label_formatter(&label_of)
                .label_style((FONT, SMALL_SIZE))
                .axis_desc_style((FONT, LABEL_SIZE))
                .bold_line_style(MESH)
                .draw()?;
            for (m, (method, s)) in b.methods.iter().zip(&scores).enumerate() {
                let Some(s) = s.filter(|s| s.mae.is_finite()) else {
                    continue;
                };
                let y = y_of(m);
                let bar = [(0.0, y - 0.3), (s.mae, y + 0.3)];
                match method.kind {
                    Kind::Protocol => {
                        chart
                            .draw_series(std::iter::once(Rectangle::new(bar, PROTOCOL.filled())))?;
                    }
                    Kind::Baseline => {
                        chart.draw_series(std::iter::once(Rectangle::new(
                            bar,
                            BASELINE.mix(0.25).filled(),
                        )))?;
                        chart.draw_series(
                            hatch(s.mae, y, x_hi)
                                .into_iter()
                                .map(|p| PathElement::new(p.to_vec(), BASELINE.stroke_width(1))),
                        )?;
                        chart.draw_series(std::iter::once(Rectangle::new(
                            bar,
                            BASELINE.stroke_width(2),
                        )))?;
                    }
                }
                if s.crps.is_finite() {
                    chart.draw_series([
                        marker((s.crps, y), Shape::Diamond, 5, WHITE, true),
                        marker((s.crps, y), Shape::Diamond, 5, BLACK, false),
                    ])?;
                }
            }
            key(&right, &keys)
        },
    )?;
    page.figure(&chart);
    let rows: Vec<Vec<Cell>> = b
        .methods
        .iter()
        .zip(&scores)
        .map(|(method, s)| {
            vec![
                Cell::Text(if is_best(s.as_ref(), best) {
                    format!("{} {STAR}", method.label)
                } else {
                    method.label.clone()
                }),
                Cell::Text(kind_name(method.kind).into()),
                Cell::Num(s.map_or_else(|| DASH.into(), |s| s.n.to_string())),
                Cell::Num(maybe_number(s.map(|s| s.mae), 3)),
                Cell::Num(maybe_number(s.map(|s| s.crps), 3)),
            ]
        })
        .collect();
    page.table(
        "Mean absolute error and mean CRPS over all issues",
        &[
            "method",
            "kind",
            "issues scored",
            "mean absolute error",
            "mean CRPS",
        ],
        &rows,
    );
    Ok(())
}

/// How the point forecasts of one method sit against the outcomes.
struct Fit {
    n: usize,
    /// Pearson's correlation of forecast and outcome (None without spread).
    correlation: Option<f64>,
    /// Mean of forecast − outcome.
    bias: Option<f64>,
    /// Share of issues forecast above the outcome (by more than [`EPS`]), and below.
    above: Option<f64>,
    below: Option<f64>,
}

fn fit(b: &Backtest, m: usize) -> Fit {
    let pairs: Vec<(f64, f64)> = forecasts_of(b, m)
        .map(|(i, f)| (b.rows[i].outcome, f.point))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let n = pairs.len();
    if n == 0 {
        return Fit {
            n,
            correlation: None,
            bias: None,
            above: None,
            below: None,
        };
    }
    let k = n as f64;
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, c), (x, y)| (a + x / k, c + y / k));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    let correlation = (sxx > EPS && syy > EPS).then(|| sxy / (sxx * syy).sqrt());
    let share = |f: &dyn Fn(&(f64, f64)) -> bool| pairs.iter().filter(|p| f(p)).count() as f64 / k;
    Fit {
        n,
        correlation,
        bias: Some(my - mx),
        above: Some(share(&|(x, y)| y - x > EPS)),
        below: Some(share(&|(x, y)| x - y > EPS)),
    }
}

/// Small multiples: for each method, its point forecasts against the recorded outcomes.
fn forecasts(page: &mut Page, b: &Backtest) -> Result<(), HtmlError> {
    page.heading(2, "forecasts", "Forecast against outcome");
    page.paragraph(&format!(
        "One panel per method, one dot per recorded issue: across, the outcome that was \
         adopted; up, the method's point forecast. A forecast on the dashed diagonal is exact; \
         the grey band holds the forecasts within {} of the outcome. Dots above the diagonal \
         forecast too high a value, dots below too low a one; each panel has its method's \
         colour.",
        number(WITHIN, 1)
    ));
    let n = b.methods.len().max(1);
    let columns = PANEL_COLUMNS.min(n);
    let panel_rows = n.div_ceil(columns);
    // Many issues: small dots, so that clusters stay readable.
    let radius = match b.rows.len() {
        0..=100 => 4,
        101..=400 => 3,
        _ => 2,
    };
    let scores = overall(b);
    let fits: Vec<Fit> = (0..b.methods.len()).map(|m| fit(b, m)).collect();
    let sentence = b
        .methods
        .iter()
        .zip(&fits)
        .map(|(method, f)| {
            format!(
                "{} correlation {}, mean forecast − outcome {}",
                method.label,
                maybe_number(f.correlation, 2),
                f.bias.map_or_else(|| DASH.into(), |x| signed(x, 3))
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let title = "Point forecast against recorded outcome, by method";
    let keys = vec![
        Key {
            text: "forecast = outcome".into(),
            colour: GUIDE,
            shape: KeyShape::Dashed,
        },
        Key {
            text: format!("within {} of outcome", number(WITHIN, 1)),
            colour: BAND,
            shape: KeyShape::Bar,
        },
        Key {
            text: "one issue".into(),
            colour: GUIDE,
            shape: KeyShape::Point(Shape::Circle),
        },
    ];
    let chart = render(
        "forecasts-chart",
        title,
        format!(
            "{title}, {} ({} panels): {sentence}.",
            plural(b.rows.len(), "issue"),
            b.methods.len()
        ),
        (WIDTH, 44 + PANEL_HEIGHT * panel_rows as u32),
        |root| {
            let body = root.titled(title, (FONT, TITLE_SIZE))?;
            let (left, right) = body.split_horizontally(WIDTH - KEY_WIDTH);
            let panels = left.split_evenly((panel_rows, columns));
            for (m, area) in panels.iter().enumerate().take(b.methods.len()) {
                let mae = scores.get(m).copied().flatten().map(|s| s.mae);
                panel(area, b, m, radius, mae)?;
            }
            key(&right, &keys)
        },
    )?;
    page.figure(&chart);
    let within = format!("within {}", number(WITHIN, 1));
    let rows: Vec<Vec<Cell>> = b
        .methods
        .iter()
        .enumerate()
        .zip(&fits)
        .map(|((m, method), f)| {
            let within = scores
                .get(m)
                .copied()
                .flatten()
                .map_or_else(|| DASH.into(), |s| percent(s.within, 1));
            vec![
                Cell::Text(method.label.clone()),
                Cell::Num(f.n.to_string()),
                Cell::Num(maybe_number(f.correlation, 2)),
                Cell::Num(f.bias.map_or_else(|| DASH.into(), |x| signed(x, 3))),
                Cell::Num(f.above.map_or_else(|| DASH.into(), |x| percent(x, 1))),
                Cell::Num(f.below.map_or_else(|| DASH.into(), |x| percent(x, 1))),
                Cell::Num(within),
            ]
        })
        .collect();
    page.table(
        "Forecasts against outcomes, by method (every forecast is listed under Every issue)",
        &[
            "method",
            "issues",
            "correlation",
            "mean forecast − outcome",
            "above the diagonal",
            "below the diagonal",
            &within,
        ],
        &rows,
    );
    Ok(())
}

/// Light grey of the band within [`WITHIN`] of the outcome.
const BAND: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

/// One panel of the forecast grid: method `m`'s point forecasts against the outcomes.
fn panel(area: &Area<'_>, b: &Backtest, m: usize, radius: u32, mae: Option<f64>) -> Drawn {
    let label = &b.methods[m].label;
    let caption = match mae {
        Some(e) if e.is_finite() => format!("{} (MAE {})", shorten(label, 18), number(e, 3)),
        _ => format!("{} (not scored)", shorten(label, 18)),
    };
    let ticks = vec![0.0, 0.25, 0.5, 0.75, 1.0];
    let range = -0.03..1.03;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, LABEL_SIZE))
        .margin(8)
        .margin_right(14)
        .x_label_area_size(38)
        .y_label_area_size(46)
        .build_cartesian_2d(
            Ticked::new(range.clone(), ticks.clone()),
            Ticked::new(range, ticks),
        )?;
    let tick = |x: &f64| short(*x);
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(MESH)
        .x_desc("Outcome")
        .y_desc("Forecast")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .label_style((FONT, SMALL_SIZE))
        .axis_desc_style((FONT, SMALL_SIZE))
        .draw()?;
    let w = WITHIN;
    chart.draw_series(std::iter::once(Polygon::new(
        vec![
            (0.0, 0.0),
            (0.0, w),
            (1.0 - w, 1.0),
            (1.0, 1.0),
            (1.0, 1.0 - w),
            (w, 0.0),
        ],
        BAND.filled(),
    )))?;
    chart.draw_series(DashedLineSeries::new(
        vec![(0.0, 0.0), (1.0, 1.0)],
        6,
        4,
        GUIDE.stroke_width(1),
    ))?;
    chart.draw_series(
        forecasts_of(b, m)
            .map(|(i, f)| (b.rows[i].outcome, f.point))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|(x, y)| Circle::new((x, y), radius, colour(m).mix(0.7).filled())),
    )?;
    Ok(())
}

/// `x` with at most two decimals and no trailing zeros: `0`, `0.25`, `0.5`.
fn short(x: f64) -> String {
    let s = number(x, 2);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The sorted absolute errors of method `m`.
fn errors_of(b: &Backtest, m: usize) -> Vec<f64> {
    let mut e: Vec<f64> = forecasts_of(b, m)
        .map(|(_, f)| f.error)
        .filter(|e| e.is_finite())
        .collect();
    e.sort_by(f64::total_cmp);
    e
}

/// The share of sorted errors `e` at most `at`.
fn share_within(e: &[f64], at: f64) -> f64 {
    e.partition_point(|&x| x <= at + EPS) as f64 / e.len().max(1) as f64
}

/// The empirical distribution function of sorted errors `e` as a step line over [0, 1].
fn steps(e: &[f64]) -> Vec<(f64, f64)> {
    let n = e.len().max(1) as f64;
    let mut out = vec![(0.0, 0.0)];
    let mut k = 0;
    while k < e.len() {
        let x = e[k].clamp(0.0, 1.0);
        let before = k as f64 / n;
        while k < e.len() && e[k].clamp(0.0, 1.0) == x {
            k += 1;
        }
        out.push((x, before));
        out.push((x, k as f64 / n));
    }
    out.push((1.0, out.last().map_or(0.0, |p| p.1)));
    out
}

/// The cumulative distribution of the absolute errors, one curve per method.
fn distribution(page: &mut Page, b: &Backtest) -> Result<(), HtmlError> {
    page.heading(2, "distribution", "How large the errors are");
    page.paragraph(
        "For each error e across, the share of issues whose point forecast lies within e of \
         the outcome: the higher a curve and the further left it rises, the smaller the \
         method's errors. Protocols are solid lines, baselines dashed.",
    );
    let errors: Vec<Vec<f64>> = (0..b.methods.len()).map(|m| errors_of(b, m)).collect();
    if errors.iter().all(Vec::is_empty) {
        page.paragraph("No method was scored.");
        return Ok(());
    }
    let sentence = b
        .methods
        .iter()
        .zip(&errors)
        .filter(|(_, e)| !e.is_empty())
        .map(|(method, e)| {
            format!(
                "{} {} (median error {})",
                method.label,
                percent(share_within(e, WITHIN), 1),
                number(quantile_sorted(e, 0.5), 3)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let title = "Share of issues with an absolute error of at most e";
    let mut keys: Vec<Key> = (0..b.methods.len())
        .filter(|&m| !errors[m].is_empty())
        .map(|m| series_key(b, m))
        .collect();
    keys.push(Key {
        text: format!("e = {}", number(WITHIN, 1)),
        colour: GUIDE,
        shape: KeyShape::Dashed,
    });
    let chart = render(
        "distribution-chart",
        title,
        format!(
            "Share of issues forecast within e of the outcome, by method; within {}: \
             {sentence}.",
            number(WITHIN, 1)
        ),
        (WIDTH, 420.max(110 + 20 * keys.len() as u32)),
        |root| {
            let (left, right) = root.split_horizontally(WIDTH - KEY_WIDTH);
            let mut chart = ChartBuilder::on(&left)
                .caption(title, (FONT, TITLE_SIZE))
                .margin(12)
                .margin_right(20)
                .x_label_area_size(48)
                .y_label_area_size(64)
                .build_cartesian_2d(0.0..1.0, 0.0..1.03)?;
            chart
                .configure_mesh()
                .max_light_lines(0)
                .bold_line_style(MESH)
                .x_desc("Absolute error e of the point forecast (units of the [0, 1] scale)")
                .y_desc("Share of issues with error ≤ e (%)")
                .x_label_formatter(&|x| number(*x, 1))
                .y_label_formatter(&|y| format!("{:.0}", y * 100.0))
                .label_style((FONT, SMALL_SIZE))
                .axis_desc_style((FONT, LABEL_SIZE))
                .draw()?;
            chart.draw_series(DashedLineSeries::new(
                vec![(WITHIN, 0.0), (WITHIN, 1.03)],
                3,
                3,
                GUIDE.stroke_width(1),
            ))?;
            for (m, e) in errors.iter().enumerate() {
                if e.is_empty() {
                    continue;
                }
                let c = colour(m);
                let line = steps(e);
                match b.methods[m].kind {
                    Kind::Protocol => {
                        chart.draw_series(LineSeries::new(line, c.stroke_width(2)))?;
                    }
                    Kind::Baseline => {
                        chart.draw_series(DashedLineSeries::new(line, 8, 5, c.stroke_width(2)))?;
                    }
                }
                chart.draw_series(
                    MARKS
                        .iter()
                        .map(|&x| marker((x, share_within(e, x)), Shape::of(m), 5, c, true)),
                )?;
            }
            key(&right, &keys)
        },
    )?;
    page.figure(&chart);
    let headers: Vec<String> = THRESHOLDS
        .iter()
        .map(|t| format!("within {}", short(*t)))
        .collect();
    let mut header: Vec<&str> = vec![
        "method",
        "drawn as",
        "issues",
        "median error",
        "90th percentile",
    ];
    header.extend(headers.iter().map(String::as_str));
    let rows: Vec<Vec<Cell>> = b
        .methods
        .iter()
        .zip(&errors)
        .enumerate()
        .map(|(m, (method, e))| {
            let defined = !e.is_empty();
            let q = |p: f64| maybe_number(defined.then(|| quantile_sorted(e, p)), 3);
            let mut row = vec![
                Cell::Text(method.label.clone()),
                Cell::Text(series_name(b, m)),
                Cell::Num(e.len().to_string()),
                Cell::Num(q(0.5)),
                Cell::Num(q(0.9)),
            ];
            row.extend(THRESHOLDS.iter().map(|&t| {
                Cell::Num(if defined {
                    percent(share_within(e, t), 1)
                } else {
                    DASH.into()
                })
            }));
            row
        })
        .collect();
    page.table(
        "Distribution of the absolute errors, by method",
        &header,
        &rows,
    );
    Ok(())
}

/// The issues the best protocol (lowest overall MAE) forecast worst, with the compromise
/// model's forecast beside.
fn worst(page: &mut Page, b: &Backtest) {
    page.heading(2, "worst", "Where the best protocol missed most");
    let scores = overall(b);
    let best = b
        .methods
        .iter()
        .enumerate()
        .filter(|(_, method)| method.kind == Kind::Protocol)
        .filter_map(|(m, _)| Some((m, scores.get(m).copied().flatten()?.mae)))
        .filter(|(_, mae)| mae.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let Some((p, mae)) = best else {
        page.paragraph("No protocol was scored.");
        return;
    };
    let compromise = b
        .methods
        .iter()
        .position(|x| x.kind == Kind::Baseline && x.label == Baseline::Compromise.label());
    let label = &b.methods[p].label;
    let mut listed: Vec<(usize, &Forecast)> = forecasts_of(b, p).collect();
    listed.sort_by(|x, y| y.1.error.total_cmp(&x.1.error));
    listed.truncate(WORST);
    page.paragraph(&format!(
        "The protocol with the lowest mean absolute error is {label} ({}). Its {} worst \
         forecasts, largest error first, with the range of its runs' values (5th to 95th \
         percentile) and the share of its runs that ended in agreement{}.",
        number(mae, 3),
        listed.len(),
        if compromise.is_some() {
            ", beside the compromise model's forecast"
        } else {
            ""
        }
    ));
    let rows: Vec<Vec<Cell>> = listed
        .iter()
        .map(|&(i, f)| {
            let row = &b.rows[i];
            let c = compromise.and_then(|c| row.forecasts.get(c).copied().flatten());
            vec![
                Cell::Text(row.case.clone()),
                Cell::Fixed(row.issue.clone()),
                Cell::Num(number(row.outcome, 3)),
                Cell::Num(number(f.point, 3)),
                Cell::Num(format!("{}–{}", number(f.p05, 3), number(f.p95, 3))),
                Cell::Num(number(f.error, 3)),
                Cell::Num(maybe_share(f.agreement)),
                Cell::Num(maybe_number(c.map(|c| c.point), 3)),
                Cell::Num(maybe_number(c.map(|c| c.error), 3)),
            ]
        })
        .collect();
    page.table(
        &format!("The {} issues {label} forecast worst", listed.len()),
        &[
            "case",
            "issue",
            "outcome",
            "forecast",
            "90% of runs",
            "error",
            "runs agreed",
            "compromise forecast",
            "compromise error",
        ],
        &rows,
    );
}

/// Every recorded issue with every method's point forecast (the first [`MAX_LISTED`]).
fn every_issue(page: &mut Page, b: &Backtest) {
    page.heading(2, "issues", "Every issue");
    if b.rows.len() > MAX_LISTED {
        page.paragraph(&format!(
            "The table lists the first {MAX_LISTED} of the {} recorded issues.",
            b.rows.len()
        ));
    }
    let mut header: Vec<&str> = vec!["case", "issue", "outcome"];
    header.extend(b.methods.iter().map(|m| m.label.as_str()));
    let rows: Vec<Vec<Cell>> = b
        .rows
        .iter()
        .take(MAX_LISTED)
        .map(|row| {
            let mut cells = vec![
                Cell::Text(row.case.clone()),
                Cell::Fixed(row.issue.clone()),
                Cell::Num(number(row.outcome, 3)),
            ];
            cells.extend(
                (0..b.methods.len())
                    .map(|m| row.forecasts.get(m).copied().flatten().map(|f| f.point))
                    .map(|x| Cell::Num(maybe_number(x, 3))),
            );
            cells
        })
        .collect();
    page.table(
        "Recorded outcome and each method's point forecast, issue by issue",
        &header,
        &rows,
    );
}

fn provenance(page: &mut Page, b: &Backtest) {
    page.heading(2, "provenance", "Provenance");
    let protocols: Vec<&str> = b
        .methods
        .iter()
        .filter(|m| m.kind == Kind::Protocol)
        .map(|m| m.label.as_str())
        .collect();
    let mut columns: Vec<&str> = Vec::new();
    for g in &b.scores {
        if let Some((c, _)) = &g.group
            && !columns.contains(&c.as_str())
        {
            columns.push(c);
        }
    }
    let mut facts = vec![
        ("seed", b.seed.to_string()),
        ("runs per case and protocol", b.runs.to_string()),
        ("cases", b.cases.to_string()),
        ("recorded issues", b.rows.len().to_string()),
        ("protocols", protocols.join(", ")),
    ];
    if !columns.is_empty() {
        facts.push(("scores grouped by", columns.join(", ")));
    }
    page.facts(&facts);
    page.paragraph(
        "The same program version, cases, protocols, seed and runs give this page byte for byte.",
    );
}

/// A small backtest for tests: two protocols (one with markup in its label), the four
/// baselines, three cases of two issues each grouped by voting rule; the status quo is recorded
/// only for the QMV issues, so it has no score among the unanimity ones.
#[cfg(test)]
pub(crate) fn toy_backtest() -> Backtest {
    use crate::backtest::{Method, Row};
    let mut methods = vec![
        Method {
            label: "alternating offers".into(),
            kind: Kind::Protocol,
            description: "alternating-offers protocol".into(),
        },
        Method {
            label: "<script>alert(1)</script>".into(),
            kind: Kind::Protocol,
            description: "a protocol with markup in its name".into(),
        },
    ];
    methods.extend(Baseline::ALL.iter().map(|x| Method {
        label: x.label().into(),
        kind: Kind::Baseline,
        description: x.description().into(),
    }));
    let mut rows = Vec::new();
    for c in 0..3 {
        for j in 0..2 {
            let k = (2 * c + j) as f64;
            let outcome = (0.15 + 0.13 * k).min(1.0);
            let qmv = j == 0;
            let forecasts = (0..methods.len())
                .map(|m| {
                    if m == 2 && !qmv {
                        return None;
                    }
                    let point =
                        (outcome + 0.04 * (m as f64 - 2.5) + 0.02 * (k - 2.0)).clamp(0.0, 1.0);
                    let protocol = m < 2;
                    Some(Forecast {
                        point,
                        p05: (point - 0.1).max(0.0),
                        p95: (point + 0.1).min(1.0),
                        error: (point - outcome).abs(),
                        crps: (point - outcome).abs() * if protocol { 0.8 } else { 1.0 },
                        agreement: protocol.then_some(0.9 - 0.1 * m as f64),
                    })
                })
                .collect();
            rows.push(Row {
                case: format!("case {}", c + 1),
                issue: format!("issue-{}", j + 1),
                outcome,
                status_quo: 0.5,
                status_quo_recorded: qmv,
                tags: vec![("rule".into(), if qmv { "QMV" } else { "unanimity" }.into())],
                forecasts,
            });
        }
    }
    let score = |members: &[&Row], m: usize| -> Option<Score> {
        let f: Vec<&Forecast> = members
            .iter()
            .filter_map(|r| r.forecasts[m].as_ref())
            .collect();
        if f.is_empty() {
            return None;
        }
        let n = f.len() as f64;
        let mut e: Vec<f64> = f.iter().map(|x| x.error).collect();
        e.sort_by(f64::total_cmp);
        Some(Score {
            n: f.len(),
            mae: e.iter().sum::<f64>() / n,
            median_error: quantile_sorted(&e, 0.5),
            within: e.iter().filter(|&&x| x <= WITHIN + EPS).count() as f64 / n,
            crps: f.iter().map(|x| x.crps).sum::<f64>() / n,
            agreement: f[0].agreement,
        })
    };
    let group = |value: Option<&str>| {
        let members: Vec<&Row> = rows
            .iter()
            .filter(|r| value.is_none_or(|v| r.tags[0].1 == v))
            .collect();
        GroupScores {
            group: value.map(|v| ("rule".to_string(), v.to_string())),
            issues: members.len(),
            scores: (0..methods.len()).map(|m| score(&members, m)).collect(),
        }
    };
    let scores = vec![group(None), group(Some("QMV")), group(Some("unanimity"))];
    Backtest {
        seed: 42,
        runs: 200,
        cases: 3,
        methods,
        rows,
        scores,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_draws_each_chart_lists_every_method_and_escapes_labels() {
        let b = toy_backtest();
        let html = backtest_page(&b).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.trim_end().ends_with("</html>"));
        assert_eq!(
            html.matches("<svg ").count(),
            3,
            "errors, forecasts and distribution"
        );
        for id in ["errors-chart", "forecasts-chart", "distribution-chart"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "missing {id}");
        }
        assert_eq!(
            html.matches("<figcaption>").count(),
            3,
            "a caption per chart"
        );
        for m in &b.methods {
            assert!(
                html.contains(&super::super::page::escape(&m.label)),
                "missing {}",
                m.label
            );
        }
        assert!(!html.contains("<script"), "a label must be escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        for s in [
            "6 recorded issues",
            "200 times per protocol under seed 42",
            "<caption>All issues (6 issues)</caption>",
            "<caption>rule = QMV (3 issues)</caption>",
            "<caption>rule = unanimity (3 issues)</caption>",
            "Where the best protocol missed most",
            "compromise forecast",
        ] {
            assert!(html.contains(s), "missing {s}");
        }
    }

    #[test]
    fn the_best_error_of_each_group_is_starred() {
        let b = toy_backtest();
        let html = backtest_page(&b).unwrap();
        // Each group's table stars exactly the methods with its lowest mean absolute error.
        for g in &b.scores {
            let caption = format!("<caption>{} ({} issues)</caption>", group_name(g), g.issues);
            let start = html.find(&caption).unwrap();
            let table = &html[start..start + html[start..].find("</table>").unwrap()];
            let best = best_mae(&g.scores).unwrap();
            for (method, s) in b.methods.iter().zip(&g.scores) {
                let starred = table.contains(&format!(
                    "<th scope=\"row\">{} {STAR}</th>",
                    super::super::page::escape(&method.label)
                ));
                assert_eq!(
                    starred,
                    s.is_some_and(|s| (s.mae - best).abs() < 1e-9),
                    "{} in {caption}",
                    method.label
                );
            }
        }
    }

    #[test]
    fn the_page_is_the_same_bytes_every_time() {
        let b = toy_backtest();
        assert_eq!(backtest_page(&b).unwrap(), backtest_page(&b).unwrap());
    }

    #[test]
    fn a_method_without_a_score_in_a_group_shows_a_dash() {
        let b = toy_backtest();
        assert!(
            b.scores[2].scores[2].is_none(),
            "the status quo among the unanimity issues"
        );
        let html = backtest_page(&b).unwrap();
        let start = html
            .find("<caption>rule = unanimity (3 issues)</caption>")
            .unwrap();
        let table = &html[start..start + html[start..].find("</table>").unwrap()];
        assert!(
            table.contains(
                "<th scope=\"row\">status quo</th><td>baseline</td><td class=\"num\">–</td>\
                 <td class=\"num\">–</td>"
            ),
            "{table}"
        );
    }

    #[test]
    fn a_backtest_with_nothing_scored_still_renders() {
        let mut b = toy_backtest();
        for r in &mut b.rows {
            r.forecasts.iter_mut().for_each(|f| *f = None);
        }
        for g in &mut b.scores {
            g.scores.iter_mut().for_each(|s| *s = None);
        }
        let html = backtest_page(&b).unwrap();
        assert!(html.contains("No method was scored."));
        assert!(html.contains("No protocol was scored."));
        b.rows.clear();
        let html = backtest_page(&b).unwrap();
        assert!(html.contains("No issue was recorded"));
        assert!(!html.contains("<svg"));
    }

    #[test]
    fn error_distributions_step_up_to_one() {
        assert_eq!(
            steps(&[0.1, 0.1, 0.4, 1.0]),
            [
                (0.0, 0.0),
                (0.1, 0.0),
                (0.1, 0.5),
                (0.4, 0.5),
                (0.4, 0.75),
                (1.0, 0.75),
                (1.0, 1.0),
                (1.0, 1.0)
            ]
        );
        assert_eq!(share_within(&[0.05, 0.1, 0.3], WITHIN), 2.0 / 3.0);
        assert_eq!(
            [short(0.0), short(0.25), short(0.5), short(1.0)],
            ["0", "0.25", "0.5", "1"]
        );
    }

    #[test]
    fn hatching_stays_inside_its_bar() {
        let lines = hatch(0.2, 1.0, 0.6);
        assert!(!lines.is_empty());
        for [a, b] in lines {
            for (x, y) in [a, b] {
                assert!((-1e-12..=0.2 + 1e-12).contains(&x), "{x}");
                assert!((0.7 - 1e-12..=1.3 + 1e-12).contains(&y), "{y}");
            }
        }
        assert!(hatch(0.0, 0.0, 0.6).is_empty());
    }
}
