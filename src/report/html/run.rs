//! The page of `treaty run`: what a batch found, in charts and tables.

use plotters::prelude::*;

use super::HtmlError;
use super::chart::{FONT, LABEL_SIZE, MESH, PALETTE, SMALL_SIZE, TITLE_SIZE, WIDTH, render};
use super::page::{Cell, Page};
use super::rows::{Row, Rows};
use super::settlement;
use crate::montecarlo::{ActorSummary, Probability, RoundsSummary, Summary};
use crate::report::format::{DASH, maybe_number, number, percent};
use crate::stats::{Histogram, Tally};

/// The page of a batch: `summary`, with the histograms of the tally it was made from.
pub fn run_page(summary: &Summary) -> Result<String, HtmlError> {
    let tally = &summary.tally;
    let (shown, kept_issues, note) = summarised(summary);
    let summary = &shown;
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
    wars(&mut page, summary, tally)?;
    page.heading(2, "issues", "Where settlements land");
    page.paragraph(
        "Each issue is a point on [0, 1] between two poles. The bars show the share of runs \
         settling in each 0.01-wide bin (the status quo holds after a deadlock); the strip \
         above marks each actor's ideal point (hollow where it does not care about the issue).",
    );
    if let Some(note) = &note {
        page.paragraph(note);
    }
    for (issue, &j) in summary.issues.iter().zip(&kept_issues) {
        if let Some(t) = tally.issues().get(j) {
            settlement::settlement(&mut page, issue, t, summary)?;
        }
    }
    actors(&mut page, summary)?;
    super::judgement::judgement(&mut page, summary)?;
    provenance(&mut page, summary);
    Ok(page.finish(&title))
}

/// The most issues a page draws: a larger model shows those its actors care most about.
pub(crate) const MAX_ISSUES: usize = 40;

/// The most actors a page draws: a larger model shows the most capable.
pub(crate) const MAX_ACTORS: usize = 60;

/// The indices of the `keep` largest of `weights` (all when there are no more), in their
/// original order; ties go to the first.
pub(crate) fn top(weights: &[f64], keep: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..weights.len()).collect();
    if weights.len() > keep {
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        order.truncate(keep);
        order.sort_unstable();
    }
    order
}

/// The summary as the page draws it: for a model of more than [`MAX_ISSUES`] issues or
/// [`MAX_ACTORS`] actors, the issues with the largest total salience and the most capable
/// actors only, with the indices of the issues kept and a note saying what was left out.
fn summarised(summary: &Summary) -> (Summary, Vec<usize>, Option<String>) {
    let mut shown = summary.clone();
    let capability: Vec<f64> = summary.actors.iter().map(|a| a.capability).collect();
    let actors = top(&capability, MAX_ACTORS);
    let salience: Vec<f64> = summary
        .issues
        .iter()
        .map(|i| i.ideals.iter().map(|d| d.salience).sum())
        .collect();
    let issues = top(&salience, MAX_ISSUES);
    let (n_actors, n_issues) = (summary.actors.len(), summary.issues.len());
    if actors.len() == n_actors && issues.len() == n_issues {
        return (shown, issues, None);
    }
    let ids: std::collections::BTreeSet<&str> = actors
        .iter()
        .map(|&a| summary.actors[a].id.as_str())
        .collect();
    shown.actors = actors.iter().map(|&a| summary.actors[a].clone()).collect();
    shown.issues = issues.iter().map(|&j| summary.issues[j].clone()).collect();
    for issue in &mut shown.issues {
        issue.ideals.retain(|d| ids.contains(d.actor.as_str()));
    }
    let note = format!(
        "A large model: this page draws the {} of {n_issues} issues with the largest total          salience ({} left out) and the {} of {n_actors} most capable actors ({} left out);          the JSON and CSV reports hold them all.",
        issues.len(),
        n_issues - issues.len(),
        actors.len(),
        n_actors - actors.len(),
    );
    (shown, issues, Some(note))
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
            percent(x, 1),
            percent(lo, 1),
            percent(hi, 1)
        ),
        _ => "undefined (no runs)".into(),
    }
}

pub(crate) fn interval_cell(p: &Probability) -> Cell {
    Cell::Num(match p.ci95 {
        Some([lo, hi]) => format!("{}\u{2013}{}", percent(lo, 1), percent(hi, 1)),
        None => "–".into(),
    })
}

pub(crate) fn share_cell(p: &Probability) -> Cell {
    Cell::Num(p.probability.map_or_else(|| DASH.into(), |x| percent(x, 1)))
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
        tick: &|x| format!("{:.0}", x * 100.0),
        rows,
    }
    .draw(format!("Of {} runs: {sentence}.", summary.provenance.runs))?;
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
                Cell::Num(maybe_number(o.mean_round, 1)),
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
            number(pr.target, 4),
            if pr.reached { "reached" } else { "not reached" },
            summary.provenance.runs,
            number(pr.half_width, 4),
            pr.cap
        ));
    }
    Ok(())
}

fn rounds(page: &mut Page, summary: &Summary, tally: &Tally) -> Result<(), HtmlError> {
    page.heading(2, "rounds", "When agreements come");
    let r = &summary.rounds_to_agreement;
    if r.runs == 0 {
        page.paragraph("No run ended in agreement.");
        return Ok(());
    }
    let sentence = format!(
        "{} runs ended in agreement, on average in round {}; {}.",
        r.runs,
        maybe_number(r.mean, 1),
        spread(r),
    );
    round_chart(
        page,
        summary,
        RoundChart {
            id: "rounds-chart",
            title: "Rounds to agreement",
            what: "Round of agreement",
            y_desc: "Share of agreements (%)",
            caption: "Rounds to agreement",
        },
        r,
        tally.agreement_rounds(),
        sentence,
    )
}

/// "half of them by round 4 (2023-10-01), 90% between …": where the quantiles of `r` lie.
fn spread(r: &RoundsSummary) -> String {
    let q = &r.quantiles;
    let when = |round: Option<u32>, date: Option<&String>| match (round, date) {
        (Some(k), Some(d)) => format!("round {k} ({d})"),
        (Some(k), None) => format!("round {k}"),
        _ => "–".into(),
    };
    format!(
        "half of them by {}, 90% between {} and {}",
        when(q.p50, r.quantile_dates.p50.as_ref()),
        when(q.p5, r.quantile_dates.p5.as_ref()),
        when(q.p95, r.quantile_dates.p95.as_ref()),
    )
}

/// The names of a chart of rounds.
struct RoundChart<'a> {
    id: &'a str,
    title: &'a str,
    /// What the x axis counts, e.g. `Round of agreement`.
    what: &'a str,
    y_desc: &'a str,
    /// The caption of the table of its numbers.
    caption: &'a str,
}

/// Most bars in a chart of rounds: beyond, each bar covers several rounds.
const MAX_ROUND_BARS: usize = 200;

/// A bar chart of the share of runs per round (`hist`, bin r = round r; per several rounds
/// beyond [`MAX_ROUND_BARS`] rounds), with the mean and quantiles of `r` in a table beside it.
fn round_chart(
    page: &mut Page,
    summary: &Summary,
    names: RoundChart<'_>,
    r: &RoundsSummary,
    hist: &Histogram,
    sentence: String,
) -> Result<(), HtmlError> {
    let last = hist.last_nonempty().unwrap_or(1).max(5);
    // One bar per round, or per `width` rounds when there are more rounds than bars fit
    // (deadlines go up to a million rounds): bar b covers rounds b·width + 1 to (b + 1)·width.
    let width = last.div_ceil(MAX_ROUND_BARS).max(1);
    let shares: Vec<(f64, f64, f64)> = (0..last.div_ceil(width))
        .map(|b| {
            let (lo, hi) = (b * width + 1, ((b + 1) * width).min(last));
            let count: u64 = (lo..=hi).map(|k| hist.count(k)).sum();
            (lo as f64, hi as f64, count as f64 / r.runs.max(1) as f64)
        })
        .collect();
    let top = shares.iter().map(|s| s.2).fold(0.0, f64::max);
    let y_desc = if width > 1 {
        format!("{} per {width} rounds", names.y_desc)
    } else {
        names.y_desc.to_string()
    };
    let s = &summary.scenario;
    let x_desc = match &s.start {
        Some(start) => format!(
            "{} (1 round = {}; round 1 starts {start})",
            names.what, s.round
        ),
        None => format!("{} (1 round = {})", names.what, s.round),
    };
    let chart = render(names.id, names.title, sentence, (WIDTH, 340), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(names.title, (FONT, TITLE_SIZE))
            .margin(12)
            .margin_right(28)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0.5..last as f64 + 0.5, 0.0..(top * 1.1).max(0.01))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(x_desc.as_str())
            .y_desc(y_desc.as_str())
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{:.0}", y * 100.0))
            .label_style((FONT, SMALL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .max_light_lines(0)
            .bold_line_style(MESH)
            .draw()?;
        // A bar of one round is 0.8 wide, centred on it; a bar of several spans them.
        let gap = if width > 1 { 0.0 } else { 0.1 };
        chart.draw_series(shares.iter().map(|&(lo, hi, share)| {
            Rectangle::new(
                [(lo - 0.5 + gap, 0.0), (hi + 0.5 - gap, share)],
                PALETTE[0].filled(),
            )
        }))?;
        Ok(())
    })?;
    page.figure(&chart);
    let mut rows = vec![vec![
        Cell::Text("mean".into()),
        Cell::Num(maybe_number(r.mean, 1)),
        Cell::Fixed(r.mean_date.clone().unwrap_or_else(|| "–".into())),
    ]];
    for ((p, k), (_, d)) in r
        .quantiles
        .entries()
        .into_iter()
        .zip(r.quantile_dates.entries())
    {
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
        names.caption,
        &["statistic", "round", "round starts"],
        &rows,
    );
    Ok(())
}

/// How often war comes, how wars end, who starts and who wins them, when the first comes.
fn wars(page: &mut Page, summary: &Summary, tally: &Tally) -> Result<(), HtmlError> {
    page.heading(2, "wars", "How often war comes");
    let w = &summary.wars;
    if w.wars == 0 {
        page.paragraph("No run had a war.");
        return Ok(());
    }
    page.paragraph(&format!(
        "{} of {} runs had at least one war: {}. There were {} wars, {} a run on average: {} \
         ({}) ended the talks, and {} ({}) were limited: each imposed a new status quo on the \
         ground force can decide, and talks went on. The side that started a war won {}.",
        w.runs_with_war.count,
        summary.provenance.runs,
        share_with_interval(&w.runs_with_war),
        w.wars,
        maybe_number(w.mean_per_run, 3),
        w.ended_talks.count,
        percent_of(&w.ended_talks),
        w.limited.count,
        percent_of(&w.limited),
        share_with_interval(&w.initiator_won),
    ));
    let rows: Vec<Vec<Cell>> = summary
        .actors
        .iter()
        .filter(|a| a.wars_started > 0 || a.won.of > 0)
        .map(|a| {
            vec![
                Cell::Text(a.name.clone()),
                share_cell(&a.initiated),
                interval_cell(&a.initiated),
                Cell::Num(a.wars_started.to_string()),
                Cell::Num(a.won.of.to_string()),
                share_cell(&a.won),
                interval_cell(&a.won),
            ]
        })
        .collect();
    page.table(
        "Who starts wars and who wins them",
        &[
            "actor",
            "runs in which it started a war",
            "95% interval",
            "wars started",
            "wars fought",
            "of those, won",
            "95% interval",
        ],
        &rows,
    );
    let f = &w.first_war;
    let sentence = format!(
        "{} runs had a war; the first came on average in round {}; {}.",
        f.runs,
        maybe_number(f.mean, 1),
        spread(f),
    );
    round_chart(
        page,
        summary,
        RoundChart {
            id: "first-war-chart",
            title: "Round of the first war",
            what: "Round of the run's first war",
            y_desc: "Share of runs with a war (%)",
            caption: "Round of the first war",
        },
        f,
        tally.first_war_rounds(),
        sentence,
    )
}

/// "48.1%", or a dash without a denominator.
fn percent_of(p: &Probability) -> String {
    p.probability.map_or_else(|| DASH.into(), |x| percent(x, 1))
}

fn actors(page: &mut Page, summary: &Summary) -> Result<(), HtmlError> {
    page.heading(2, "actors", "Who gains");
    let lo = summary
        .actors
        .iter()
        .flat_map(|a| {
            [
                a.reservation,
                a.utility.unwrap_or(0.0) - a.utility_sd.unwrap_or(0.0),
            ]
        })
        .fold(0.0, f64::min);
    let hi = summary
        .actors
        .iter()
        .flat_map(|a| {
            [
                a.reservation,
                a.utility.unwrap_or(0.0) + a.utility_sd.unwrap_or(0.0),
            ]
        })
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
                maybe_number(a.utility, 2),
                number(a.reservation, 2)
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
        tick: &|x| number(*x, 1),
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
                Cell::Num(maybe_number(a.utility, 3)),
                Cell::Num(maybe_number(a.utility_sd, 3)),
                Cell::Num(number(a.reservation, 3)),
                share_cell(&a.reservation_met),
                interval_cell(&a.reservation_met),
                Cell::Num(maybe_number(a.concession, 3)),
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
        facts.push(("precision target", format!("±{}", number(eps, 4))));
    }
    page.facts(&facts);
    page.paragraph(
        "The same program version, scenario file (named by its hash), overrides, seed and runs \
         give this page byte for byte.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::summary::tests::toy_summary;

    #[test]
    fn sentences_end_with_one_full_stop() {
        assert_eq!(sentence("Talks as of July 2023"), "Talks as of July 2023.");
        assert_eq!(sentence("Done. "), "Done.");
        assert_eq!(sentence("Really?"), "Really?");
    }

    #[test]
    fn the_page_tells_how_often_war_comes_who_starts_it_and_the_settlements_with_and_without() {
        let summary = toy_summary(100);
        let html = run_page(&summary).unwrap();
        let w = &summary.wars;
        for s in [
            "<h2 id=\"wars\">How often war comes</h2>".to_string(),
            format!("{} of 100 runs had at least one war", w.runs_with_war.count),
            "<caption>Who starts wars and who wins them</caption>".into(),
            "id=\"first-war-chart\"".into(),
            "<caption>Round of the first war</caption>".into(),
            "<caption>Settlements of Where the border runs with and without war</caption>".into(),
            "<th scope=\"row\">runs with a war</th>".into(),
            "Mean settlement in runs with a war".into(),
        ] {
            assert!(html.contains(&s), "missing {s}");
        }
        assert_eq!(
            html.matches("<svg ").count(),
            4 + summary.issues.len(),
            "outcomes, rounds, first wars, issues and actors"
        );
    }

    #[test]
    fn a_page_without_agreements_says_so_and_still_draws_the_rest() {
        let mut summary = toy_summary(0);
        summary.provenance.runs = 0;
        let html = run_page(&summary).unwrap();
        assert!(html.contains("<p>No run ended in agreement.</p>"));
        assert!(!html.contains("id=\"rounds-chart\""));
        assert!(html.contains("id=\"outcomes-chart\""));
        assert!(html.contains("undefined (no runs)"));
        assert!(html.contains("<p>No run had a war.</p>"));
        assert_eq!(
            html.matches("<svg ").count(),
            2 + summary.issues.len(),
            "outcomes, issues and actors"
        );
    }
}
