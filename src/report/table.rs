//! The table report: aligned text for a terminal of 100 columns, with options and dates named.

use std::fmt::Write as _;

use super::format::{self, MonthName, WIDTH, fit, thousands};

use crate::model::TimeUnit;
use crate::montecarlo::{Probability, RoundsSummary, Summary};

fn pct(p: Option<f64>) -> String {
    format::maybe_share(p)
}

fn interval(p: &Probability) -> String {
    format::interval(p.ci95, format::share)
}

fn num(x: Option<f64>, decimals: usize) -> String {
    format::fixed(x, decimals)
}

/// Lines of `items` joined by ` · `, the first starting with `head`, the rest indented to
/// match, none wider than [`WIDTH`].
fn flow(out: &mut String, head: &str, items: &[String]) {
    let indent = " ".repeat(head.chars().count());
    let mut line = head.to_string();
    let mut empty = true;
    for item in items {
        let item = fit(item, WIDTH - indent.len());
        let sep = if empty { "" } else { " · " };
        if !empty && line.chars().count() + sep.len() + item.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
            line.push_str(&item);
        } else {
            line.push_str(sep);
            line.push_str(&item);
        }
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// A summary as aligned text.
pub(super) fn render(s: &Summary) -> Vec<u8> {
    let mut o = String::new();
    write_head(&mut o, s);
    write_outcomes(&mut o, s);
    write_rounds(&mut o, s);
    write_issues(&mut o, s);
    write_actors(&mut o, s);
    write_wars(&mut o, s);
    write_judgement(&mut o, s);
    o.into_bytes()
}

fn write_head(o: &mut String, s: &Summary) {
    let sc = &s.scenario;
    let p = &s.provenance;
    let _ = writeln!(
        o,
        "{}",
        fit(&format!("{}: {}", sc.name, sc.description), WIDTH)
    );
    let start = sc
        .start
        .as_deref()
        .map(|d| {
            format!(
                ", round 1 = {}",
                format::spoken_iso_date(d, TimeUnit::Day, MonthName::Short)
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "{}",
        fit(
            &format!(
                "{}, at most {} rounds of {}{start}",
                sc.protocol, sc.max_rounds, sc.round
            ),
            WIDTH
        )
    );
    let _ = writeln!(
        o,
        "{}",
        fit(
            &format!(
                "{} runs · seed {} · blocks of {} · {} {} · scenario {}",
                thousands(p.runs),
                p.seed,
                thousands(p.block_size),
                p.engine,
                p.version,
                p.scenario_hash.chars().take(19).collect::<String>()
            ),
            WIDTH
        )
    );
    if !p.overrides.is_empty() {
        flow(o, "overrides: ", &p.overrides);
    }
    if let Some(pr) = &s.precision {
        let line = if pr.reached {
            format!(
                "precision: every outcome probability within ±{} (95%) after {} runs",
                pr.target,
                thousands(p.runs)
            )
        } else {
            format!(
                "precision: cap of {} runs reached before ±{}; largest 95% half-width {:.4}",
                thousands(pr.cap),
                pr.target,
                pr.half_width
            )
        };
        let _ = writeln!(o, "{}", fit(&line, WIDTH));
    }
}

fn write_outcomes(o: &mut String, s: &Summary) {
    let _ = writeln!(
        o,
        "\n{:<14}{:>12}{:>13}   {:<19}{:>12}",
        "OUTCOMES", "runs", "probability", "95% interval", "mean round"
    );
    for out in &s.outcomes {
        let p = &out.probability;
        let _ = writeln!(
            o,
            "  {:<12}{:>12}{:>13}   {:<19}{:>12}",
            out.kind,
            thousands(p.count),
            pct(p.probability),
            interval(p),
            num(out.mean_round, 1)
        );
    }
}

fn write_rounds(o: &mut String, s: &Summary) {
    let r = &s.rounds_to_agreement;
    let _ = writeln!(
        o,
        "\nROUNDS TO AGREEMENT ({} agreements; 1 round = {})",
        thousands(r.runs),
        s.scenario.round
    );
    if r.runs == 0 {
        let _ = writeln!(o, "  no agreement in any run");
        return;
    }
    round_rows(o, s, "round", r);
}

/// The mean and quantiles of a round (`what`), and below them the dates those rounds start.
fn round_rows(o: &mut String, s: &Summary, what: &str, r: &RoundsSummary) {
    let heads = ["mean", "p5", "p25", "median", "p75", "p95"];
    let _ = write!(o, "  {:<8}", "");
    for h in heads {
        let _ = write!(o, "{h:>13}");
    }
    o.push('\n');
    let _ = write!(o, "  {:<8}{:>13}", what, num(r.mean, 1));
    for (_, q) in r.quantiles.entries() {
        let _ = write!(o, "{:>13}", q.map_or_else(|| "–".into(), u32::to_string));
    }
    o.push('\n');
    if r.mean_date.is_some() {
        let unit = unit_of(&s.scenario.round);
        let date = |d: Option<&String>| {
            d.map_or_else(
                || format::DASH.into(),
                |d| format::spoken_iso_date(d, unit, MonthName::Short),
            )
        };
        let _ = write!(o, "  {:<8}{:>13}", "starts", date(r.mean_date.as_ref()));
        for (_, d) in r.quantile_dates.entries() {
            let _ = write!(o, "{:>13}", date(d));
        }
        o.push('\n');
    }
}

/// The unit of a round length such as `2 weeks`.
fn unit_of(round: &str) -> TimeUnit {
    let word = round.split_whitespace().nth(1).unwrap_or("");
    [
        ("day", TimeUnit::Day),
        ("week", TimeUnit::Week),
        ("month", TimeUnit::Month),
        ("year", TimeUnit::Year),
    ]
    .into_iter()
    .find(|(u, _)| word.starts_with(u))
    .map_or(TimeUnit::Day, |(_, unit)| unit)
}

fn write_issues(o: &mut String, s: &Summary) {
    let _ = writeln!(
        o,
        "\nISSUES (settlements on [0, 1]; quantiles to ±0.0005; ideals of actors who care)"
    );
    for i in &s.issues {
        let _ = writeln!(o, "{}", fit(&format!("{}  {}", i.id, i.name), WIDTH));
        let half = (WIDTH - 7) / 2;
        let _ = writeln!(
            o,
            "  {}   {}",
            fit(&format!("0 = {}", i.low), half),
            fit(&format!("1 = {}", i.high), half)
        );
        let mut line = format!(
            "  status quo {:.2}   mean {} (sd {})",
            i.status_quo,
            num(i.mean, 2),
            num(i.sd, 2)
        );
        for (p, q) in i.quantiles.entries() {
            let name = if p == 50 {
                "median".into()
            } else {
                format!("p{p}")
            };
            let _ = write!(line, "  {name} {}", num(q.copied(), 2));
        }
        let _ = writeln!(o, "{}", fit(&line, WIDTH));
        let by = &i.mean_by_outcome;
        let _ = writeln!(
            o,
            "  mean after agreement {} · deadlock {} · conflict {}",
            num(by.agreement, 2),
            num(by.deadlock, 2),
            num(by.conflict, 2)
        );
        if s.wars.runs_with_war.count > 0 {
            for (name, part) in [("with war", &i.with_war), ("without war", &i.without_war)] {
                let mut line = format!(
                    "  {name:<12}{:>6} runs  mean {} (sd {})",
                    thousands(part.runs),
                    num(part.mean, 2),
                    num(part.sd, 2)
                );
                for (p, q) in part.quantiles.entries() {
                    let name = if p == 50 {
                        "median".into()
                    } else {
                        format!("p{p}")
                    };
                    let _ = write!(line, "  {name} {}", num(q.copied(), 2));
                }
                let _ = writeln!(o, "{}", fit(&line, WIDTH));
            }
        }
        let ideals: Vec<String> = i
            .ideals
            .iter()
            .filter(|d| d.salience > 0.0)
            .map(|d| format!("{} {:.2}", d.actor, d.position))
            .collect();
        if !ideals.is_empty() {
            flow(o, "  ideals: ", &ideals);
        }
        if !i.options.is_empty() {
            let median = i.median_option.as_deref().unwrap_or("–");
            let _ = writeln!(
                o,
                "{}",
                fit(&format!("  options (median: {median}):"), WIDTH)
            );
            for opt in &i.options {
                let line = format!(
                    "  {:>9}  {:.2}  {}",
                    pct(opt.probability.probability),
                    opt.at,
                    opt.label
                );
                let _ = writeln!(o, "{}", fit(&line, WIDTH));
            }
        }
    }
}

fn write_actors(o: &mut String, s: &Summary) {
    let _ = writeln!(
        o,
        "\n{:<24}{:<12}{:>8}{:>7}{:>11}{:>9}{:>12}{:>9}{:>8}",
        "ACTORS", "role", "utility", "sd", "≥ reserv.", "reserv.", "concession", "started", "won"
    );
    for a in &s.actors {
        let who = fit(&format!("{}  {}", a.id, a.name), 21);
        let _ = writeln!(
            o,
            "  {:<22}{:<12}{:>8}{:>7}{:>11}{:>9}{:>12}{:>9}{:>8}",
            who,
            fit(&a.role, 11),
            num(a.utility, 2),
            num(a.utility_sd, 2),
            pct(a.reservation_met.probability),
            format!("{:.2}", a.reservation),
            num(a.concession, 2),
            pct(a.initiated.probability),
            pct(a.won.probability)
        );
    }
    let _ = writeln!(
        o,
        "  utility: expected own utility (1 = its ideal); ≥ reserv.: runs ending at or above its\n  \
         reservation utility; started: runs in which it started a war; won: of the wars it fought\n  \
         in, those it ended on the winning side of."
    );
}

fn write_judgement(o: &mut String, s: &Summary) {
    let j = &s.judgement;
    if j.runs == 0 {
        let _ = writeln!(
            o,
            "\nSETTLEMENTS JUDGED: none (no principal, no mutually acceptable settlement, or more\n  \
             than 48 principal × issue pairs)"
        );
        return;
    }
    let _ = writeln!(
        o,
        "\nSETTLEMENTS JUDGED ({} runs; normalised distances at central values)",
        thousands(j.runs)
    );
    let _ = writeln!(
        o,
        "  {:<20}{:>7}{:>7}{:>7}{:>8}{:>7}{:>7}{:>8}{:>10}{:>10}",
        "distance from",
        "mean",
        "p5",
        "p25",
        "median",
        "p75",
        "p95",
        "agreed",
        "deadlock",
        "conflict"
    );
    for (name, d) in [
        ("frontier", &j.frontier),
        ("Nash point", &j.nash),
        ("Kalai–Smorodinsky", &j.kalai_smorodinsky),
    ] {
        if d.runs == 0 {
            let _ = writeln!(o, "  {name:<20}     – (no such point)");
            continue;
        }
        let q = &d.quantiles;
        let by = &d.mean_by_outcome;
        let _ = writeln!(
            o,
            "  {:<20}{:>7}{:>7}{:>7}{:>8}{:>7}{:>7}{:>8}{:>10}{:>10}",
            name,
            num(d.mean, 3),
            num(q.p5, 3),
            num(q.p25, 3),
            num(q.p50, 3),
            num(q.p75, 3),
            num(q.p95, 3),
            num(by.agreement, 3),
            num(by.deadlock, 3),
            num(by.conflict, 3)
        );
    }
    let mut note = String::from(
        "  0 = on the frontier / at the point; 1 = as far as disagreement is from the ideal.\n  \
         agreed, deadlock, conflict: mean over the runs of that outcome.",
    );
    if j.preferences_uncertain {
        note.push_str(
            "\n  The principals' preferences are uncertain: runs are judged at their central values.",
        );
    }
    let _ = writeln!(o, "{note}");
}

fn write_wars(o: &mut String, s: &Summary) {
    let w = &s.wars;
    if w.wars == 0 {
        let _ = writeln!(o, "\nWARS: none in any run");
        return;
    }
    let p = &w.runs_with_war;
    let _ = writeln!(
        o,
        "\nWARS ({} runs with a war; 1 round = {})",
        thousands(p.count),
        s.scenario.round
    );
    let line = format!(
        "  P(war) {} (95% interval {}) · {} wars, {} a run",
        pct(p.probability),
        interval(p),
        thousands(w.wars),
        num(w.mean_per_run, 3)
    );
    let _ = writeln!(o, "{}", fit(&line, WIDTH));
    let line = format!(
        "  {} ended the talks ({}) · {} limited, talks went on ({})",
        thousands(w.ended_talks.count),
        pct(w.ended_talks.probability),
        thousands(w.limited.count),
        pct(w.limited.probability)
    );
    let _ = writeln!(o, "{}", fit(&line, WIDTH));
    let line = format!(
        "  the side that started a war won {} (95% interval {})",
        pct(w.initiator_won.probability),
        interval(&w.initiator_won)
    );
    let _ = writeln!(o, "{}", fit(&line, WIDTH));
    let starters: Vec<String> = s
        .actors
        .iter()
        .filter(|a| a.wars_started > 0)
        .map(|a| {
            format!(
                "{} {} of runs ({} wars)",
                a.id,
                pct(a.initiated.probability),
                thousands(a.wars_started)
            )
        })
        .collect();
    if !starters.is_empty() {
        flow(o, "  started by: ", &starters);
    }
    let winners: Vec<String> = s
        .actors
        .iter()
        .filter(|a| a.won.of > 0)
        .map(|a| {
            format!(
                "{} {} of {}",
                a.id,
                pct(a.won.probability),
                thousands(a.won.of)
            )
        })
        .collect();
    if !winners.is_empty() {
        flow(o, "  won, of the wars fought: ", &winners);
    }
    let _ = writeln!(o, "  first war:");
    round_rows(o, s, "round", &w.first_war);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_format_as_documented() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(10_000_000), "10,000,000");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(pct(Some(0.9998)), "99.98%");
        assert_eq!(pct(None), "–");
        assert_eq!(unit_of("2 weeks"), TimeUnit::Week);
        assert_eq!(unit_of("1 year"), TimeUnit::Year);
        let mut o = String::new();
        let items: Vec<String> = (0..40).map(|i| format!("ACTOR{i} 0.50")).collect();
        flow(&mut o, "  ideals: ", &items);
        assert!(o.lines().count() > 1);
        assert!(o.lines().all(|l| l.chars().count() <= WIDTH));
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::montecarlo::summary::tests::toy_summary;

    #[test]
    fn a_full_report_fits_100_columns_and_names_options_and_dates() {
        let text = String::from_utf8(render(&toy_summary(500))).unwrap();
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "too wide: {line}");
        }
        assert!(text.contains("third-party operator"));
        assert!(text.contains("median: third-party operator"));
        assert!(text.contains("Jul 2023"));
        let wars = 100 + (0..500).filter(|i| i % 5 < 3 && i % 7 == 0).count();
        assert!(
            text.contains(&format!("WARS ({wars} runs with a war; 1 round = 1 month)")),
            "{text}"
        );
        assert!(text.contains("  100 ended the talks ("), "{text}");
        assert!(text.contains("  with war    "), "{text}");
        assert!(text.contains("  without war "), "{text}");
        assert!(text.contains("started by: A "), "{text}");
        assert!(text.contains("500 runs · seed 5"));
    }
}
