//! `--html FILE` on `treaty run` and `treaty trace`: the page beside the usual report, what it
//! holds, that it is self-contained and deterministic, and that the usual report is unchanged.

use serde_json::Value;
use std::path::Path;

use crate::common::{treaty, treaty_ok};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// How plotters' SVG backend writes a text: the content on its own line.
fn drawn(text: &str) -> String {
    format!(">\n{text}\n</text>")
}

/// Undoes HTML escaping.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The text content of every `<title>` of an SVG chart (the charts' names).
fn chart_titles(html: &str) -> Vec<String> {
    html.split("<title id=\"")
        .skip(1)
        .map(|s| {
            let start = s.find('>').unwrap() + 1;
            let end = s.find("</title>").unwrap();
            unescape(&s[start..end])
        })
        .collect()
}

/// Checks what every page must be: one document, no scripts, nothing fetched, every chart
/// accessible.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));
    let lower = html.to_lowercase();
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
    ] {
        assert!(!lower.contains(banned), "the page contains {banned}");
    }
    // The only URL is the SVG namespace, which is a name, not a fetch.
    let urls = lower.matches("http:").count() + lower.matches("https:").count();
    let namespaces = lower
        .matches("xmlns=\"http://www.w3.org/2000/svg\"")
        .count();
    assert_eq!(urls, namespaces, "a URL other than the SVG namespace");
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    let svgs = html.matches("<svg ").count();
    assert!(svgs > 0);
    assert_eq!(html.matches("role=\"img\" aria-labelledby=").count(), svgs);
    assert_eq!(html.matches("<desc id=").count(), svgs);
    assert_eq!(html.matches("</svg>").count(), svgs);
    assert_eq!(html.matches("<figcaption>").count(), svgs);
    // Okabe–Ito colours only (plus black, white and greys) in the charts.
    for fill in html.split("fill=\"#").skip(1) {
        let colour = &fill[..6];
        let grey = colour[0..2] == colour[2..4] && colour[2..4] == colour[4..6];
        let okabe_ito = [
            "0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9", "F0E442",
        ];
        assert!(grey || okabe_ito.contains(&colour), "colour #{colour}");
    }
}

#[test]
fn run_writes_a_page_beside_an_unchanged_report() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = dir.path().join("report.json");
    let base = [
        "run",
        "karabakh-2023",
        "--runs",
        "400",
        "--seed",
        "5",
        "--format",
        "json",
    ];
    let plain = treaty_ok(&base);
    let with_page = treaty_ok(&[&base[..], &["--html", arg(&page)]].concat());
    assert_eq!(plain, with_page, "--html changed the report on stdout");
    treaty_ok(&[&base[..], &["--html", arg(&page), "--out", arg(&out)]].concat());
    assert_eq!(std::fs::read(&out).unwrap(), plain);

    let html = read(&page);
    assert_self_contained(&html);
    let report: Value = serde_json::from_slice(&plain).unwrap();
    let titles = chart_titles(&html);
    let issues = report["issues"].as_array().unwrap();
    assert_eq!(titles.len(), 5 + issues.len(), "{titles:?}");
    assert_eq!(titles[0], "Outcome probabilities");
    assert_eq!(titles[1], "Rounds to agreement");
    let n = titles.len();
    assert_eq!(
        titles[n - 3],
        "Expected utility against reservation utility"
    );
    assert_eq!(titles[n - 2], "The principals' utility space");
    assert_eq!(titles[n - 1], "Distance from the frontier by outcome");
    for (issue, title) in issues.iter().zip(&titles[2..]) {
        assert_eq!(
            *title,
            format!("Settlements: {}", issue["name"].as_str().unwrap())
        );
    }
    // The numbers are the report's: outcome shares and intervals, in the caption.
    for o in report["outcomes"].as_array().unwrap() {
        let pct = |x: &Value| format!("{:.1}%", x.as_f64().unwrap() * 100.0);
        let said = format!(
            "{} in {} (95% interval {}–{})",
            o["kind"].as_str().unwrap().to_lowercase(),
            pct(&o["probability"]),
            pct(&o["ci95"][0]),
            pct(&o["ci95"][1])
        );
        assert!(html.contains(&said), "missing: {said}");
    }
    // Each optioned issue's options are numbered and labelled in its chart, and the status quo
    // and every actor appear.
    for issue in issues {
        for (k, o) in issue["options"].as_array().unwrap().iter().enumerate() {
            let label: String = o["label"].as_str().unwrap().chars().take(20).collect();
            let text = format!(">\n{} {label}", k + 1);
            assert!(html.contains(&text), "option {text} not drawn");
        }
        let sq = format!("status quo {:.2}", issue["status_quo"].as_f64().unwrap());
        assert!(html.contains(&sq), "{sq}");
    }
    for a in report["actors"].as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        assert!(html.contains(&drawn(name)), "{name} not drawn");
        let line = format!(
            "{name} expects {:.2} against a reservation utility of {:.2}",
            a["utility"].as_f64().unwrap(),
            a["reservation"].as_f64().unwrap()
        );
        assert!(html.contains(&line), "{line}");
    }
    // Provenance.
    let hash = report["provenance"]["scenario_hash"].as_str().unwrap();
    assert!(html.contains(hash));
    assert!(html.contains("<dt>seed</dt><dd>5</dd>"));
    // Axis descriptions carry units.
    assert!(html.contains(&drawn("Share of runs (%), with 95% Wilson intervals")));
    assert!(html.contains(&drawn(
        "Round of agreement (1 round = 1 month; round 1 starts 2023-07-01)"
    )));
}

#[test]
fn the_page_is_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let pages: Vec<String> = ["1", "2", "1"]
        .iter()
        .enumerate()
        .map(|(i, threads)| {
            let page = dir.path().join(format!("p{i}.html"));
            treaty_ok(&[
                "run",
                "mediated-water",
                "--runs",
                "1500",
                "--seed",
                "9",
                "--threads",
                threads,
                "--html",
                arg(&page),
            ]);
            read(&page)
        })
        .collect();
    assert_eq!(pages[0], pages[1]);
    assert_eq!(pages[0], pages[2]);
    // Another seed tells another story.
    let other = dir.path().join("other.html");
    treaty_ok(&[
        "run",
        "mediated-water",
        "--runs",
        "1500",
        "--seed",
        "10",
        "--html",
        arg(&other),
    ]);
    assert_ne!(read(&other), pages[0]);
}

#[test]
fn a_deterministic_game_shows_its_one_settlement() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("pie.html");
    treaty_ok(&[
        "run",
        "rubinstein-pie",
        "--runs",
        "200",
        "--html",
        arg(&page),
    ]);
    let html = read(&page);
    assert_self_contained(&html);
    // Rubinstein's split: A gets 0.689655… in round 1 of every run.
    assert!(
        html.contains("Settlements on Share of the pie to A: mean 0.69 (sd 0.00), median 0.69")
    );
    assert!(html.contains("200 runs ended in agreement, on average in round 1.0"));
    assert!(html.contains("agreement in 100.0% (95% interval 98.1%–100.0%)"));
}

#[test]
fn html_is_refused_where_there_is_no_report_or_one_file_twice() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    for extra in [
        vec!["--shard", "1/2", "--html", arg(&page)],
        vec!["--out", arg(&page), "--html", arg(&page)],
        vec!["--per-run", arg(&page), "--html", arg(&page)],
    ] {
        let out = treaty(&[&["run", "rubinstein-pie", "--runs", "10"], &extra[..]].concat());
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(!page.exists(), "{extra:?} left a file");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--html"));
    }
}

#[test]
fn an_unwritable_page_is_refused_before_the_batch_runs() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("no-such-dir").join("p.html");
    let out = treaty(&[
        "run",
        "karabakh-2023",
        "--runs",
        "100000",
        "--html",
        arg(&page),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "the batch ran");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("p.html"), "{stderr}");
}

#[test]
fn trace_writes_a_page_beside_the_unchanged_story() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("trace.html");
    let base = ["trace", "karabakh-2023", "--seed", "3", "--run", "5"];
    let plain = treaty_ok(&base);
    let with_page = treaty_ok(&[&base[..], &["--html", arg(&page)]].concat());
    assert_eq!(plain, with_page);
    let html = read(&page);
    assert_self_contained(&html);
    let again = dir.path().join("again.html");
    treaty_ok(&[&base[..], &["--html", arg(&again)]].concat());
    assert_eq!(read(&again), html);

    let trace: Value =
        serde_json::from_slice(&treaty_ok(&[&base[..], &["--format", "json"]].concat())).unwrap();
    let titles = chart_titles(&html);
    assert_eq!(titles[0], "Aspiration round by round");
    assert_eq!(titles.len(), 1 + 8, "{titles:?}");
    assert!(titles[1].starts_with("Offers on Status of Nagorno-Karabakh"));
    // Every round's aspirations of the principals (who alone hold one), to three decimals, in
    // the table.
    let principals: Vec<&str> = trace["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["role"] == "principal")
        .map(|a| a["actor"].as_str().unwrap())
        .collect();
    assert!(!principals.is_empty());
    for round in trace["rounds"].as_array().unwrap() {
        let date = round["date"].as_str().unwrap();
        assert!(
            html.contains(&format!("<td class=\"fixed\">{date}</td>")),
            "{date}"
        );
        for a in round["aspiration"].as_array().unwrap() {
            if !principals.contains(&a["actor"].as_str().unwrap()) {
                continue;
            }
            let v = format!(">{:.3}</td>", a["aspiration"].as_f64().unwrap());
            assert!(html.contains(&v), "{v}");
        }
    }
    // Events are tagged on the time axis (dated ticks) and listed with their dates.
    let events: Vec<(u64, String)> = trace["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        r["round"].as_u64().unwrap(),
                        e["label"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!events.is_empty(), "choose a run with events");
    for (k, (round, label)) in events.iter().enumerate() {
        let row = format!(
            "<th scope=\"row\">E{}</th><td class=\"num\">{round}</td>",
            k + 1
        );
        assert!(html.contains(&row), "{row}");
        assert!(
            html.contains(label.replace('\'', "&#39;").as_str()),
            "{label}"
        );
    }
    assert!(html.contains(">\nE1"), "no event tag drawn");
    assert!(
        html.contains(&drawn("Jul 2023")),
        "the time axis is not dated"
    );
    assert!(html.contains(&drawn(
        "Date each round starts (1 round = 1 month; round 1 = 2023-07-01)"
    )));
    let outcome = trace["outcome"]["kind"].as_str().unwrap().to_lowercase();
    assert!(html.contains(&format!("This run ended in {outcome} in round")));
}

#[test]
fn a_trace_without_a_calendar_start_counts_rounds() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("eu.html");
    treaty_ok(&["trace", "expected-utility-toy", "--html", arg(&page)]);
    let html = read(&page);
    assert_self_contained(&html);
    assert!(html.contains(&drawn("Round (1 round = 1 month)")));
    assert!(!html.contains("<th scope=\"col\">date</th>"));
    // The expected-utility model moves positions: drawn as lines, and its forecasts as markers.
    assert!(html.contains(&drawn("forecast (no proposer)")));
}

#[test]
fn compare_draws_a_forest_plot_per_unit_beside_an_unchanged_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("compare.html");
    let base = [
        "compare",
        "karabakh-2023",
        "--variant",
        "weak-russia: actors.RUS.capability=0.25",
        "--runs",
        "300",
        "--format",
        "json",
    ];
    let plain = treaty_ok(&base);
    let with_page = treaty_ok(&[&base[..], &["--html", arg(&page)]].concat());
    assert_eq!(plain, with_page);
    let html = read(&page);
    assert_self_contained(&html);
    let again = dir.path().join("again.html");
    treaty_ok(&[&base[..], &["--html", arg(&again), "--threads", "1"]].concat());
    assert_eq!(read(&again), html);
    let comparison: Value = serde_json::from_slice(&plain).unwrap();
    let titles = chart_titles(&html);
    let expected: Vec<String> = [
        "Outcome probabilities",
        "Round the run ended",
        "Settlements",
        "Own utilities",
    ]
    .iter()
    .map(|t| format!("{t}: weak-russia − karabakh-2023"))
    .collect();
    assert_eq!(titles, expected);
    // One row per metric, each with its difference and interval in the caption.
    for m in comparison["variants"][0]["metrics"].as_array().unwrap() {
        let label = m["label"].as_str().unwrap();
        assert!(unescape(&html).contains(label), "{label} missing");
        if m["metric"].as_str().unwrap().starts_with("utility.") {
            let d = m["difference"].as_f64().unwrap();
            let digits = format!("{:.3}", d.abs());
            let sign = if digits == "0.000" {
                ""
            } else if d > 0.0 {
                "+"
            } else {
                "\u{2212}"
            };
            let said = format!("{label} {sign}{digits}");
            assert!(unescape(&html).contains(&said), "{said}");
        }
    }
    assert!(html.contains(&drawn(
        "Difference, variant − base (utility), with paired 95% intervals"
    )));
    assert!(html.contains(comparison["variants"][0]["summary"].as_str().unwrap()));
}

#[test]
fn sweep_draws_each_metric_against_the_parameter_with_bands() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("sweep.html");
    let base = [
        "sweep",
        "mediated-water",
        "--set",
        "actors.UPL.capability=0.2..1.0:3",
        "--runs",
        "300",
        "--format",
        "json",
    ];
    let plain = treaty_ok(&base);
    let with_page = treaty_ok(&[&base[..], &["--html", arg(&page)]].concat());
    assert_eq!(plain, with_page);
    let html = read(&page);
    assert_self_contained(&html);
    let titles = chart_titles(&html);
    let path = "actors.UPL.capability";
    assert_eq!(
        titles,
        [
            format!("Outcome probabilities against {path}"),
            format!("Rounds against {path}"),
            format!("Mean settlements against {path}"),
            format!("Mean own utilities against {path}"),
        ]
    );
    assert!(
        html.contains(&drawn(path)),
        "the x axis is the swept parameter"
    );
    assert!(html.contains(&drawn("95% interval band")));
    // Every point's estimate of P(Agreement), with its interval, in the table.
    let sweep: Value = serde_json::from_slice(&plain).unwrap();
    for p in sweep["points"].as_array().unwrap() {
        let e = &p["estimates"][0];
        let pct = |x: &Value| format!("{:.1}%", x.as_f64().unwrap() * 100.0);
        let cell = format!(
            "{} ({}–{})",
            pct(&e["value"]),
            pct(&e["interval"][0]),
            pct(&e["interval"][1])
        );
        assert!(html.contains(&cell), "{cell}");
    }
    // Two axes: one panel per value of the second.
    let two = dir.path().join("two.html");
    treaty_ok(&[
        "sweep",
        "mediated-water",
        "--set",
        "actors.UPL.capability=0.2..1.0:3",
        "--set",
        "actors.LOW.capability=0.5..1.0:2",
        "--runs",
        "100",
        "--html",
        arg(&two),
    ]);
    let html = read(&two);
    assert_self_contained(&html);
    assert_eq!(chart_titles(&html).len(), 2 * 4);
    assert!(html.contains(">With actors.LOW.capability=0.5</h2>"));
}

#[test]
fn compare_and_sweep_refuse_one_file_for_both_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("same.html");
    for args in [
        vec![
            "compare",
            "rubinstein-pie",
            "--variant",
            "v: actors.A.capability=0.5",
        ],
        vec![
            "sweep",
            "rubinstein-pie",
            "--set",
            "actors.A.capability=0.5..1.0:2",
        ],
    ] {
        let out = treaty(
            &[
                &args[..],
                &["--runs", "10", "--out", arg(&same), "--html", arg(&same)],
            ]
            .concat(),
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!same.exists(), "{args:?} left a file");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--html and --out name the same file"),
            "{stderr}"
        );
    }
}

/// A deadline of a hundred thousand rounds draws at most 200 bars of rounds, each over several
/// rounds, so the page stays small.
#[test]
fn a_long_deadline_draws_its_rounds_in_bars_of_several_rounds() {
    let dir = tempfile::tempdir().expect("scratch");
    let page = dir.path().join("long.html");
    treaty_ok(&[
        "run",
        "karabakh-2023",
        "--runs",
        "10",
        "--set",
        "protocol.max_rounds=100000",
        "--html",
        arg(&page),
    ]);
    let html = read(&page);
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
    assert!(
        html.contains("Share of agreements (%) per "),
        "no bars of several rounds"
    );
}

#[test]
fn the_page_judges_the_settlements_in_two_principals_utility_space() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("j.html");
    let base = ["run", "karabakh-2023", "--runs", "1200", "--seed", "3"];
    let json: Value = serde_json::from_slice(&treaty_ok(
        &[&base[..], &["--format", "json", "--html", arg(&page)]].concat(),
    ))
    .unwrap();
    let html = read(&page);
    assert_self_contained(&html);
    let text = unescape(&html);
    // By default the first two principals in file order (Armenia, Azerbaijan) on x and y.
    assert!(html.contains(&drawn("Utility of Armenia (ARM)")));
    assert!(html.contains(&drawn("Utility of Azerbaijan (AZE)")));
    // The cloud is the first 1,000 runs of 1,200, and the numbers of the report are the page's.
    assert!(text.contains("the settlements of the first 1000 runs by run index: 1000 agreement"));
    let mean = json["judgement"]["frontier"]["mean"].as_f64().unwrap();
    let said = format!("is {mean:.3} on average");
    assert!(text.contains(&said), "{said}");
    assert!(text.contains("The principals' preferences are uncertain in this scenario"));
    // Another pair, and the chart follows it; the rest of the page does not change.
    let other = dir.path().join("k.html");
    treaty_ok(&[&base[..], &["--html", arg(&other), "--pair", "AZE,ARM"]].concat());
    let swapped = read(&other);
    assert!(swapped.contains(&drawn("Utility of Azerbaijan (AZE)")));
    let before = |h: &str| h[..h.find("<p>The utility space of").unwrap()].to_string();
    assert!(
        before(&html) == before(&swapped),
        "the page before the chart changed"
    );
    // Fewer than 1,000 runs: all of them are in the cloud.
    let small = dir.path().join("s.html");
    treaty_ok(&[
        "run",
        "karabakh-2023",
        "--runs",
        "40",
        "--html",
        arg(&small),
    ]);
    assert!(unescape(&read(&small)).contains("the first 40 runs by run index"));
    // Bad pairs are refused before the batch, naming the principals.
    for (pair, says) in [
        ("ARM", "write two principals' ids separated by a comma"),
        (
            "ARM,XYZ",
            "no actor `XYZ` in the scenario (principals: ARM, AZE)",
        ),
        ("ARM,ARM", "`ARM` twice"),
        (
            "RUS,AZE",
            "`RUS` is not a principal of the scenario (principals: ARM, AZE)",
        ),
        ("ARM,AZE,ARM", "write two principals' ids"),
    ] {
        let out = treaty(&[&base[..], &["--html", arg(&small), "--pair", pair]].concat());
        assert_eq!(out.status.code(), Some(2), "{pair}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{pair}: {err}");
    }
    let out = treaty(&[&base[..], &["--pair", "ARM,AZE"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --html too"));
}
