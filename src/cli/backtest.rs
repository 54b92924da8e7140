//! `treaty backtest`: forecasts of decisions with recorded outcomes, scored against them and
//! against the classic baselines.
//!
//! Two ways to give the cases:
//!
//! - a folder of tidy tables (`cases.csv`, `stances.csv`, `actors.csv`, as `treaty import tidy`
//!   reads them), imported in memory under each `--template` (default: every bundled template),
//!   one protocol per template;
//! - scenario files with `--outcomes FILE.csv` (columns `scenario`, `issue`, `outcome`, optionally
//!   `status_quo_recorded`, and any other columns as tags to group by), played under their own
//!   protocols. `scenario` is a file's stem (`cases/d1.ron` is `d1`) or a bundled name.
//!
//! The report goes to stdout (or `--out FILE`, written atomically); `--per-issue FILE` writes
//! one CSV row per issue and method, `--html FILE` a page with charts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use treaty::backtest::{self, Case, Config, DEFAULT_RUNS, Entrant, Recorded};
use treaty::report::{Format, Render, backtest::per_issue_csv};
use treaty::scenario::import::{self, Grouping, Template, TidyOptions};

use super::compare::{finish_outputs, named_outputs};
use super::interrupt::Interrupt;
use super::output::{AtomicFile, cap_threads, check_paths, out_path, warn_html_out};
use super::run::{Progress, input_path, parse_overrides, prepare};
use super::{BadInput, ReportFormat};

/// How the tidy tables' cases become scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupArg {
    /// One scenario per issue (case row).
    Case,
    /// One scenario per proposal, its issues together.
    Proposal,
}

/// Arguments of `treaty backtest`.
#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// A folder of tidy tables, or scenario files (with --outcomes).
    #[arg(required = true)]
    pub data: Vec<String>,
    /// The recorded outcomes of the scenario files: CSV with columns scenario, issue, outcome.
    #[arg(long, value_name = "FILE")]
    pub outcomes: Option<PathBuf>,
    /// Import template for a tidy folder, one protocol each (repeatable) [default: every
    /// bundled template].
    #[arg(long = "template", value_name = "NAME|FILE")]
    pub template: Vec<String>,
    /// How a tidy folder's cases become scenarios [default: case].
    #[arg(long, value_enum)]
    pub group: Option<GroupArg>,
    /// The scale of a tidy folder's positions, status quos and outcomes: 1 or 100.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Group the scores by this tag column as well (repeatable) [default: rule, when the
    /// cases have one].
    #[arg(long = "by", value_name = "COLUMN")]
    pub by: Vec<String>,
    /// Runs per case and protocol [default: 500].
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed: run k of every case uses random stream k of this seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads [default: one per core]. The result does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Change a number or choice of every case, e.g. `protocol.max_rounds=40` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write one CSV row per issue and method (forecast, error, CRPS, tags) to FILE.
    #[arg(long, value_name = "FILE")]
    pub per_issue: Option<PathBuf>,
    /// Also write the backtest as one self-contained HTML page with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Runs `treaty backtest`.
pub fn run(args: BacktestArgs) -> anyhow::Result<i32> {
    let interrupt = Interrupt::listen()?;
    let runs = args.runs.unwrap_or(DEFAULT_RUNS);
    if runs == 0 {
        return Err(BadInput("--runs must be at least 1".into()).into());
    }
    if runs > 1_000_000 {
        return Err(BadInput("--runs is at most 1000000 for a backtest".into()).into());
    }
    if args.threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()).into());
    }
    let out_path = out_path(args.out.as_deref());
    let data_files: Vec<PathBuf> = args.data.iter().flat_map(|d| input_files(d)).collect();
    let mut inputs: Vec<(&str, &Path)> = data_files
        .iter()
        .map(|p| ("the input", p.as_path()))
        .collect();
    inputs.extend(args.outcomes.as_deref().map(|p| ("the outcomes file", p)));
    inputs.extend(
        args.template
            .iter()
            .map(|t| ("the template", Path::new(t.as_str()))),
    );
    check_paths(
        &named_outputs(&[
            ("--out", out_path),
            ("--per-issue", args.per_issue.as_deref()),
            ("--html", args.html.as_deref()),
        ]),
        &inputs,
    )?;
    warn_html_out(out_path, args.html.as_deref(), false);
    let folder = match args.data.as_slice() {
        [one] if Path::new(one).is_dir() => Some(PathBuf::from(one)),
        _ => None,
    };
    let entrants = match &folder {
        Some(dir) => {
            if args.outcomes.is_some() {
                return Err(BadInput(
                    "--outcomes is for scenario files; a tidy folder records its outcomes in cases.csv"
                        .into(),
                )
                .into());
            }
            tidy_entrants(dir, &args)?
        }
        None => {
            let Some(outcomes) = &args.outcomes else {
                return Err(BadInput(format!(
                    "{}: not a folder of tidy tables; to backtest scenario files, give their recorded outcomes with --outcomes FILE.csv",
                    args.data.join(" ")
                ))
                .into());
            };
            for (flag, given) in [
                ("--template", !args.template.is_empty()),
                ("--group", args.group.is_some()),
            ] {
                if given {
                    return Err(BadInput(format!(
                        "{flag} is for a tidy folder; scenario files are played as written"
                    ))
                    .into());
                }
            }
            vec![scenario_entrant(&args.data, outcomes, &args.set)?]
        }
    };
    let mut groups = args.by.clone();
    let tags: Vec<&str> = entrants[0]
        .cases
        .iter()
        .flat_map(|c| c.recorded.iter())
        .flat_map(|r| r.tags.iter().map(|(c, _)| c.as_str()))
        .collect();
    for column in &groups {
        if !tags.contains(&column.as_str()) {
            let mut known: Vec<&str> = tags.clone();
            known.sort_unstable();
            known.dedup();
            return Err(BadInput(format!(
                "--by {column}: no case has that column (columns: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
            .into());
        }
    }
    if groups.is_empty() && tags.contains(&"rule") {
        groups.push("rule".into());
    }
    let config = Config {
        seed: args.seed,
        runs,
        groups,
        threads: cap_threads(args.threads),
    };
    let out = out_path.map(AtomicFile::create).transpose()?;
    let per_issue = args
        .per_issue
        .as_deref()
        .map(AtomicFile::create)
        .transpose()?;
    let html = args.html.as_deref().map(AtomicFile::create).transpose()?;
    let progress = Progress::new(interrupt);
    let started = Instant::now();
    let result = backtest::backtest(&entrants, &config).map_err(|e| match e {
        backtest::BacktestError::Config(m) => anyhow::Error::from(BadInput(m)),
        other => other.into(),
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    let bytes = result.render(args.format.unwrap_or(ReportFormat::Table).into())?;
    let mut extra = Vec::new();
    if let Some(f) = per_issue {
        extra.push((f, per_issue_csv(&result)?));
    }
    if let Some(f) = html {
        extra.push((f, result.render(Format::Html)?));
    }
    finish_outputs(out, &bytes, extra, &progress)?;
    eprintln!(
        "treaty: {} issues of {} cases, {} protocols × {} runs in {elapsed:.2} s",
        result.rows.len(),
        result.cases,
        entrants.len(),
        runs
    );
    Ok(0)
}

/// The files a data argument reads: a scenario file, or the tables of a tidy folder.
fn input_files(data: &str) -> Vec<PathBuf> {
    let path = Path::new(data);
    if path.is_dir() {
        ["cases.csv", "stances.csv", "actors.csv"]
            .iter()
            .map(|t| path.join(t))
            .collect()
    } else {
        input_path(data)
            .map(Path::to_path_buf)
            .into_iter()
            .collect()
    }
}

/// The cases of a tidy folder under each template.
fn tidy_entrants(dir: &Path, args: &BacktestArgs) -> anyhow::Result<Vec<Entrant>> {
    let overrides = parse_overrides(&args.set)?;
    if args.scale != 1.0 && args.scale != 100.0 {
        return Err(BadInput(format!("--scale {}: allowed 1 or 100", args.scale)).into());
    }
    let options = TidyOptions {
        grouping: match args.group.unwrap_or(GroupArg::Case) {
            GroupArg::Case => Grouping::Case,
            GroupArg::Proposal => Grouping::Proposal,
        },
        scale: args.scale,
    };
    let names: Vec<String> = if args.template.is_empty() {
        import::templates().iter().map(|s| s.to_string()).collect()
    } else {
        args.template.clone()
    };
    let mut entrants = Vec::new();
    for name in &names {
        let template = Template::load(name)?;
        let imported = import::tidy(dir, &template, &options)?;
        let mut cases = Vec::with_capacity(imported.len());
        for case in imported {
            let model = treaty::scenario::prepare(&case.source, &overrides)?;
            let recorded = case
                .issues
                .iter()
                .filter_map(|issue| {
                    let outcome = issue.outcome?;
                    Some(Recorded {
                        issue: model.issue_index(&issue.id)?,
                        outcome,
                        status_quo_recorded: issue.status_quo_recorded,
                        tags: issue.tags.clone(),
                    })
                })
                .collect::<Vec<_>>();
            if !recorded.is_empty() {
                cases.push(Case {
                    name: case.name,
                    model,
                    recorded,
                });
            }
        }
        entrants.push(Entrant {
            label: template.name().to_string(),
            cases,
        });
    }
    Ok(entrants)
}

/// One recorded outcome as the outcomes file gives it.
struct OutcomeRow {
    issue: String,
    outcome: f64,
    status_quo_recorded: bool,
    tags: Vec<(String, String)>,
    line: u64,
}

/// Scenario files played under their own protocols, with the outcomes file's records.
fn scenario_entrant(files: &[String], outcomes: &Path, sets: &[String]) -> anyhow::Result<Entrant> {
    let mut recorded = read_outcomes(outcomes)?;
    let mut cases = Vec::with_capacity(files.len());
    for file in files {
        let prepared = prepare(file, sets)?;
        let name = Path::new(file)
            .file_stem()
            .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
        let Some(rows) = recorded.remove(&name) else {
            return Err(BadInput(format!(
                "{}: no outcome of scenario {name:?} is recorded",
                outcomes.display()
            ))
            .into());
        };
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(issue) = prepared.model.issue_index(&row.issue) else {
                return Err(BadInput(format!(
                    "{}:{}: scenario {name} has no issue {:?} (its issues: {})",
                    outcomes.display(),
                    row.line,
                    row.issue,
                    prepared
                        .model
                        .issues
                        .iter()
                        .map(|i| i.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .into());
            };
            list.push(Recorded {
                issue,
                outcome: row.outcome,
                status_quo_recorded: row.status_quo_recorded,
                tags: row.tags,
            });
        }
        cases.push(Case {
            name,
            model: prepared.model,
            recorded: list,
        });
    }
    if let Some((name, rows)) = recorded.into_iter().next() {
        return Err(BadInput(format!(
            "{}:{}: scenario {name:?} is not among the scenarios given",
            outcomes.display(),
            rows[0].line
        ))
        .into());
    }
    Ok(Entrant {
        label: "scenario".into(),
        cases,
    })
}

/// The outcomes file, by scenario name, each scenario's rows in file order.
fn read_outcomes(path: &Path) -> anyhow::Result<BTreeMap<String, Vec<OutcomeRow>>> {
    let file = path.display().to_string();
    let text = std::fs::read(path).map_err(|e| BadInput(format!("{file}: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| BadInput(format!("{file}:1:1: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let required = ["scenario", "issue", "outcome"];
    let mut at = [0usize; 3];
    for (k, name) in required.iter().enumerate() {
        at[k] = column(name).ok_or_else(|| {
            BadInput(format!(
                "{file}:1:1: no column {name:?}; an outcomes file has the columns scenario, issue, outcome (found: {})",
                header.join(", ")
            ))
        })?;
    }
    let sq = column("status_quo_recorded");
    let mut out: BTreeMap<String, Vec<OutcomeRow>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            BadInput(format!("{file}:{line}:1: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |k: usize| record.get(k).unwrap_or("");
        let outcome_text = cell(at[2]);
        let outcome: f64 = outcome_text
            .parse()
            .ok()
            .filter(|x: &f64| (0.0..=1.0).contains(x))
            .ok_or_else(|| {
                BadInput(format!(
                    "{file}:{line}:{}: outcome: found {outcome_text:?}; allowed: a number in [0, 1]",
                    at[2] + 1
                ))
            })?;
        let status_quo_recorded = match sq.map(cell) {
            None | Some("") | Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            Some(other) => {
                return Err(BadInput(format!(
                    "{file}:{line}:{}: status_quo_recorded: found {other:?}; allowed: true or false",
                    sq.unwrap_or(0) + 1
                ))
                .into());
            }
        };
        let scenario = cell(at[0]).to_string();
        let issue = cell(at[1]).to_string();
        if !seen.insert((scenario.clone(), issue.clone())) {
            return Err(BadInput(format!(
                "{file}:{line}:1: scenario {scenario:?}, issue {issue:?} is recorded twice"
            ))
            .into());
        }
        let tags = header
            .iter()
            .enumerate()
            .filter(|(k, _)| !at.contains(k) && Some(*k) != sq)
            .map(|(k, h)| (h.clone(), cell(k).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        out.entry(scenario).or_default().push(OutcomeRow {
            issue,
            outcome,
            status_quo_recorded,
            tags,
            line,
        });
    }
    if out.is_empty() {
        return Err(BadInput(format!("{file}: no outcome is recorded")).into());
    }
    Ok(out)
}
