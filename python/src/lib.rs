//! `treaty._treaty`: the native half of the `treaty` Python package.
//!
//! A thin layer over the `treaty` library: it reads scenarios, plays batches, comparisons,
//! sweeps, traces and backtests, and hands back results that render to the same bytes as the
//! command line. The Python package (`python/treaty/`) wraps these functions in its public API;
//! nothing here is meant to be called directly.
//!
//! Long calls release the GIL and poll for signals between waves of blocks, so Ctrl-C stops
//! them with `KeyboardInterrupt`.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

use std::path::Path;

use treaty::backtest::{self as treaty_backtest, Case, Config, Entrant, Recorded};
use treaty::experiment::{self, Axis, Comparison, ExperimentError, Sweep, Variant};
use treaty::model::Model;
use treaty::montecarlo::{
    self, BLOCK_SIZE, BatchConfig, MAX_RUNS, Monitor, MonteCarloError, PerRun, Summary,
};
use treaty::report::trace::{Trace, TraceRecorder};
use treaty::report::{Format, PerRunCsv, Render, ReportError};
use treaty::scenario::import::{self, Grouping, Template, TidyOptions};
use treaty::scenario::overrides::Override;
use treaty::scenario::{self, ScenarioError, Source};

create_exception!(
    _treaty,
    TreatyScenarioError,
    PyValueError,
    "A scenario that cannot be read, parsed, changed by an override or validated.\n\n\
     The message is the command line's, located: `FILE:LINE:COLUMN: message` for a parse error,\n\
     `FILE: PATH: found X; allowed: Y` for each broken rule. The attributes `file`, `line`,\n\
     `column` (None unless the error has a place in a file) and `problems` (a list of dicts with\n\
     `path`, `found`, `allowed` and `message`, for a scenario that breaks rules) say the same\n\
     in parts."
);
create_exception!(
    _treaty,
    TreatyError,
    PyException,
    "A computation that could not be carried out although its input was valid (a thread pool\n\
     that cannot start, a report that cannot be written)."
);

/// A scenario error as a Python exception, with its location in attributes.
fn scenario_error(py: Python<'_>, e: ScenarioError) -> PyErr {
    let err = TreatyScenarioError::new_err(e.to_string());
    let value = err.value(py);
    let (line, column) = match &e {
        ScenarioError::Parse { line, column, .. } | ScenarioError::Table { line, column, .. } => {
            (Some(*line), Some(*column))
        }
        _ => (None, None),
    };
    let set = || -> PyResult<()> {
        value.setattr("file", e.file())?;
        value.setattr("line", line)?;
        value.setattr("column", column)?;
        let list = PyList::empty(py);
        if let ScenarioError::Invalid { problems, .. } = &e {
            for p in problems {
                list.append(problem_dict(py, p)?)?;
            }
        }
        value.setattr("problems", list)?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// One broken rule, as a dict of `path`, `found`, `allowed` and `message`.
fn problem_dict<'py>(py: Python<'py>, p: &scenario::Problem) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("path", &p.path)?;
    d.set_item("found", &p.found)?;
    d.set_item("allowed", &p.allowed)?;
    d.set_item("message", p.to_string())?;
    Ok(d)
}

/// A batch error as a Python exception: a stop asked for by a signal is the signal's exception
/// (`KeyboardInterrupt` for Ctrl-C), bad settings are `ValueError`.
fn batch_error(e: MonteCarloError, signal: Option<PyErr>) -> PyErr {
    match e {
        MonteCarloError::Interrupted => signal.unwrap_or_else(|| {
            pyo3::exceptions::PyKeyboardInterrupt::new_err("the batch was stopped")
        }),
        MonteCarloError::Config(m) => PyValueError::new_err(m),
        other => TreatyError::new_err(other.to_string()),
    }
}

fn experiment_error(e: ExperimentError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn report_error(e: ReportError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// Stops a batch when Python has a signal to deliver (Ctrl-C), keeping its exception.
#[derive(Default)]
struct Signals {
    raised: Option<PyErr>,
}

impl Monitor for Signals {
    fn should_stop(&mut self) -> bool {
        if self.raised.is_none()
            && let Err(e) = Python::with_gil(|py| py.check_signals())
        {
            self.raised = Some(e);
        }
        self.raised.is_some()
    }
}

/// A scenario file (or bundled scenario) as read and parsed: its overrides are applied and it
/// is validated when it is played.
#[pyclass(frozen, module = "treaty._treaty", name = "Scenario")]
struct PyScenario {
    source: Source,
    raw: scenario::Scenario,
}

impl PyScenario {
    /// The scenario with `overrides` (`PATH=VALUE`) applied in order, validated.
    fn model(&self, py: Python<'_>, overrides: &[String]) -> PyResult<Model> {
        let overrides = parse_overrides(py, &self.source, overrides)?;
        scenario::prepare_parsed(&self.source, &self.raw, &overrides, &[])
            .map_err(|e| scenario_error(py, e))
    }
}

impl PyScenario {
    /// Parses `source`.
    fn from_source(py: Python<'_>, source: Source) -> PyResult<Self> {
        let raw = scenario::parse(&source).map_err(|e| scenario_error(py, e))?;
        Ok(PyScenario { source, raw })
    }
}

/// The overrides `PATH=VALUE` read, an unreadable one reported against `source`.
fn parse_overrides(py: Python<'_>, source: &Source, sets: &[String]) -> PyResult<Vec<Override>> {
    sets.iter()
        .map(|s| {
            Override::parse(s).map_err(|e| {
                scenario_error(
                    py,
                    ScenarioError::Override {
                        file: source.file.clone(),
                        error: e,
                    },
                )
            })
        })
        .collect()
}

#[pymethods]
impl PyScenario {
    /// Reads and parses a scenario file, or a bundled scenario by name.
    #[staticmethod]
    fn load(py: Python<'_>, name_or_path: &str) -> PyResult<Self> {
        let source = scenario::read_source(name_or_path).map_err(|e| scenario_error(py, e))?;
        Self::from_source(py, source)
    }

    /// Parses scenario text; `file` names it in messages.
    #[staticmethod]
    fn from_text(py: Python<'_>, text: String, file: String) -> PyResult<Self> {
        Self::from_source(py, Source { file, text })
    }

    /// The file as given, or the bundled scenario's name.
    #[getter]
    fn file(&self) -> &str {
        &self.source.file
    }

    /// The scenario's text.
    #[getter]
    fn text(&self) -> &str {
        &self.source.text
    }

    /// The scenario's name (its metadata).
    #[getter]
    fn name(&self) -> &str {
        &self.raw.metadata.name
    }

    /// The actors' ids, in file order.
    #[getter]
    fn actors(&self) -> Vec<String> {
        self.raw.actors.iter().map(|a| a.id.clone()).collect()
    }

    /// The issues' ids, in file order.
    #[getter]
    fn issues(&self) -> Vec<String> {
        self.raw.issues.iter().map(|i| i.id.clone()).collect()
    }

    /// Every broken rule of the scenario with `overrides` applied (empty if it is valid), as
    /// dicts; an override that cannot be applied raises.
    fn problems<'py>(
        &self,
        py: Python<'py>,
        overrides: Vec<String>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let parsed = parse_overrides(py, &self.source, &overrides)?;
        match scenario::prepare_parsed(&self.source, &self.raw, &parsed, &[]) {
            Ok(_) => Ok(Vec::new()),
            Err(ScenarioError::Invalid { problems, .. }) => {
                problems.iter().map(|p| problem_dict(py, p)).collect()
            }
            Err(e) => Err(scenario_error(py, e)),
        }
    }

    /// Raises `ScenarioError` unless the scenario with `overrides` is valid; returns a summary
    /// `(actors, issues, protocol)`.
    fn check(&self, py: Python<'_>, overrides: Vec<String>) -> PyResult<(usize, usize, String)> {
        let model = self.model(py, &overrides)?;
        Ok((
            model.actors.len(),
            model.issues.len(),
            model.protocol.name().to_string(),
        ))
    }
}

/// A result of the library, rendered on demand in any of its formats.
enum Computed {
    Summary(Box<Summary>),
    Comparison(Comparison),
    Sweep(Sweep),
    Backtest(treaty_backtest::Backtest),
    Sensitivity(Box<treaty::experiment::sensitivity::Sensitivity>),
    Trace(Box<Trace>),
}

/// A result: a batch's summary, a comparison, a sweep, a backtest or a trace.
#[pyclass(frozen, module = "treaty._treaty", name = "Result")]
struct PyReport {
    inner: Computed,
}

#[pymethods]
impl PyReport {
    /// What the result is: `summary`, `comparison`, `sweep`, `backtest`, `sensitivity` or
    /// `trace`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner {
            Computed::Summary(_) => "summary",
            Computed::Comparison(_) => "comparison",
            Computed::Sweep(_) => "sweep",
            Computed::Backtest(_) => "backtest",
            Computed::Sensitivity(_) => "sensitivity",
            Computed::Trace(_) => "trace",
        }
    }

    /// The result written in `format` (`table`, `text`, `json`, `csv`), as the command line
    /// writes it.
    fn render<'py>(&self, py: Python<'py>, format: &str) -> PyResult<Bound<'py, PyBytes>> {
        let format = match format {
            "table" => Format::Table,
            "text" => Format::Text,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "html" => Format::Html,
            other => {
                return Err(PyValueError::new_err(format!(
                    "format {other:?}: allowed: table, text, json, csv"
                )));
            }
        };
        let bytes = match &self.inner {
            Computed::Summary(r) => r.render(format),
            Computed::Comparison(r) => r.render(format),
            Computed::Sweep(r) => r.render(format),
            Computed::Backtest(r) => r.render(format),
            Computed::Sensitivity(r) => r.render(format),
            Computed::Trace(r) => r.render(format),
        }
        .map_err(report_error)?;
        Ok(PyBytes::new(py, &bytes))
    }
}

/// The Python object of a result.
fn report(inner: Computed) -> PyReport {
    PyReport { inner }
}

/// The batch's settings, checked as the command line checks them.
fn batch_config(runs: u64, seed: u64, threads: Option<usize>) -> PyResult<BatchConfig> {
    if runs == 0 {
        return Err(PyValueError::new_err("runs must be at least 1"));
    }
    if runs > MAX_RUNS {
        return Err(PyValueError::new_err(format!("runs is at most {MAX_RUNS}")));
    }
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let mut config = BatchConfig::new(seed, runs);
    config.block_size = BLOCK_SIZE;
    config.threads = threads;
    Ok(config)
}

/// Plays `runs` runs of the scenario with `overrides` and summarises them.
#[pyfunction]
#[pyo3(signature = (scenario, overrides, runs, seed, threads))]
fn run(
    py: Python<'_>,
    scenario: &PyScenario,
    overrides: Vec<String>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<PyReport> {
    let config = batch_config(runs, seed, threads)?;
    let model = scenario.model(py, &overrides)?;
    let (outcome, signals) = py.allow_threads(|| {
        let mut signals = Signals::default();
        let r = montecarlo::run_batch(&model, &config, None, &mut signals);
        (r, signals)
    });
    let batch = outcome.map_err(|e| batch_error(e, signals.raised))?;
    Ok(report(Computed::Summary(Box::new(
        batch.summary(&model, &config),
    ))))
}

/// Plays the batch and returns its per-run CSV (header and one row per run), as `treaty run
/// --per-run FILE` writes it.
#[pyfunction]
#[pyo3(signature = (scenario, overrides, runs, seed, threads))]
fn per_run_csv<'py>(
    py: Python<'py>,
    scenario: &PyScenario,
    overrides: Vec<String>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyBytes>> {
    let config = batch_config(runs, seed, threads)?;
    let model = scenario.model(py, &overrides)?;
    let (outcome, signals, bytes) = py.allow_threads(|| {
        let recorder = PerRunCsv::new(&model);
        let mut out = recorder.header().to_vec();
        let mut signals = Signals::default();
        let per_run = PerRun {
            recorder: &recorder,
            out: &mut out,
        };
        let r = montecarlo::run_batch(&model, &config, Some(per_run), &mut signals);
        (r.map(|_| ()), signals, out)
    });
    outcome.map_err(|e| batch_error(e, signals.raised))?;
    Ok(PyBytes::new(py, &bytes))
}

/// Plays the base and its variants on common random numbers. Each variant is `(name, scenario,
/// overrides)`; `overrides` apply to the base and every variant, before a variant's own.
#[pyfunction]
#[pyo3(signature = (base, base_name, variants, overrides, runs, seed, threads))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    base: &PyScenario,
    base_name: String,
    variants: Vec<(String, PyRef<'_, PyScenario>, Vec<String>)>,
    overrides: Vec<String>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<PyReport> {
    let config = batch_config(runs, seed, threads)?;
    if variants.is_empty() {
        return Err(PyValueError::new_err(
            "nothing to compare with: give at least one variant",
        ));
    }
    let base_model = base.model(py, &overrides)?;
    let mut names = vec![base_name.clone()];
    let mut models = Vec::with_capacity(variants.len());
    for (name, scenario, own) in &variants {
        let sets: Vec<String> = overrides.iter().chain(own).cloned().collect();
        let model = scenario.model(py, &sets).map_err(|e| {
            let message = e.value(py).to_string();
            let err = TreatyScenarioError::new_err(format!("variant {name}: {message}"));
            copy_attributes(py, &e, &err);
            err
        })?;
        // Names must tell the scenarios apart: a repeated name gets a number (`NAME (2)`).
        let mut unique = name.clone();
        let mut k = 2;
        while names.contains(&unique) {
            unique = format!("{name} ({k})");
            k += 1;
        }
        names.push(unique.clone());
        models.push((unique, model));
    }
    let (outcome, signals) = py.allow_threads(|| {
        let base_variant = Variant {
            name: base_name,
            model: &base_model,
        };
        let list: Vec<Variant<'_>> = models
            .iter()
            .map(|(name, model)| Variant {
                name: name.clone(),
                model,
            })
            .collect();
        let mut signals = Signals::default();
        let r = experiment::compare(&base_variant, &list, &config, &mut signals);
        (r, signals)
    });
    let comparison = outcome.map_err(|e| batch_error(e, signals.raised))?;
    Ok(report(Computed::Comparison(comparison)))
}

/// Copies the location attributes of a scenario error onto another exception.
fn copy_attributes(py: Python<'_>, from: &PyErr, to: &PyErr) {
    for name in ["file", "line", "column", "problems"] {
        if let Ok(v) = from.value(py).getattr(name) {
            let _ = to.value(py).setattr(name, v);
        }
    }
}

/// One axis of a sweep from Python: a range `"LO..HI:STEPS"` or a list of numbers.
fn axis(path: &str, values: &Bound<'_, PyAny>) -> PyResult<Axis> {
    let bad = |message: String| PyValueError::new_err(format!("sweep axis {path}: {message}"));
    if let Ok(text) = values.downcast::<PyString>() {
        let text: String = text.extract()?;
        return Axis::from_setting(path, &text)
            .map_err(experiment_error)?
            .ok_or_else(|| {
                bad(format!(
                    "{text:?} is not a range LO..HI:STEPS (e.g. \"0.1..0.9:5\") nor a list of numbers"
                ))
            });
    }
    let list: Vec<f64> = values
        .extract()
        .map_err(|_| bad("expected a range \"LO..HI:STEPS\" or a list of numbers".to_string()))?;
    if list.len() < 2 || list.len() > experiment::MAX_POINTS {
        return Err(bad(format!(
            "{} values: an axis takes from 2 to {} (a single value is an ordinary override)",
            list.len(),
            experiment::MAX_POINTS
        )));
    }
    if let Some(x) = list.iter().find(|x| !x.is_finite()) {
        return Err(bad(format!("{x} is not a finite number")));
    }
    Ok(Axis {
        path: path.to_string(),
        from: list[0],
        to: list[list.len() - 1],
        steps: u32::try_from(list.len()).unwrap_or(u32::MAX),
        values: list.iter().map(|x| format!("{x}")).collect(),
    })
}

/// Plays every point of the grid of `axes` (`(path, values)`, the first varying slowest) on
/// common random numbers; `overrides` apply at every point.
#[pyfunction]
#[pyo3(signature = (scenario, axes, overrides, runs, seed, threads))]
fn sweep(
    py: Python<'_>,
    scenario: &PyScenario,
    axes: Vec<(String, Bound<'_, PyAny>)>,
    overrides: Vec<String>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<PyReport> {
    let config = batch_config(runs, seed, threads)?;
    let axes: Vec<Axis> = axes
        .iter()
        .map(|(path, values)| axis(path, values))
        .collect::<PyResult<_>>()?;
    if axes.is_empty() {
        return Err(PyValueError::new_err(
            "a sweep needs at least one axis, e.g. {\"actors.RUS.capability\": \"0.1..0.9:5\"}",
        ));
    }
    let fixed = parse_overrides(py, &scenario.source, &overrides)?;
    // Every point is checked first, then built again when played: one model at a time.
    let build = |settings: &[(&str, &str)]| {
        let extra: Vec<Override> = settings
            .iter()
            .map(|&(path, value)| Override {
                path: path.to_string(),
                value: value.to_string(),
            })
            .collect();
        scenario::prepare_parsed(&scenario.source, &scenario.raw, &fixed, &extra)
    };
    experiment::check_grid(&axes, build).map_err(experiment_error)?;
    let (outcome, signals) = py.allow_threads(|| {
        let mut signals = Signals::default();
        let r = experiment::sweep_grid(&axes, build, &config, &mut signals);
        (r, signals)
    });
    let sweep = outcome.map_err(|e| batch_error(e, signals.raised))?;
    Ok(report(Computed::Sweep(sweep)))
}

/// Ranks the scenario's uncertain inputs by their influence on each headline outcome
/// (standardised rank regression on one batch), as `treaty sensitivity` does.
#[pyfunction]
#[pyo3(signature = (scenario, overrides, runs, seed, threads))]
fn sensitivity(
    py: Python<'_>,
    scenario: &PyScenario,
    overrides: Vec<String>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<PyReport> {
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let model = scenario.model(py, &overrides)?;
    let result = py.allow_threads(|| {
        treaty::experiment::sensitivity::sensitivity(&model, seed, runs, threads)
    });
    let result = result.map_err(|e| match e {
        treaty::experiment::sensitivity::SensitivityError::ThreadPool { .. } => {
            TreatyError::new_err(e.to_string())
        }
        other => PyValueError::new_err(other.to_string()),
    })?;
    Ok(report(Computed::Sensitivity(Box::new(result))))
}

/// Replays run `run` of the batch under `seed`, round by round.
#[pyfunction]
#[pyo3(signature = (scenario, overrides, seed, run))]
fn trace(
    py: Python<'_>,
    scenario: &PyScenario,
    overrides: Vec<String>,
    seed: u64,
    run: u64,
) -> PyResult<PyReport> {
    let model = scenario.model(py, &overrides)?;
    let trace = py.allow_threads(|| {
        let mut recorder = TraceRecorder::new(&model, seed, run);
        montecarlo::replay_run(&model, seed, run, &mut recorder);
        recorder.finish()
    });
    Ok(report(Computed::Trace(Box::new(trace))))
}

/// Backtests a folder of tidy tables (`cases.csv`, `stances.csv`, `actors.csv`) under each
/// import template, one protocol each.
#[pyfunction]
#[pyo3(signature = (data_dir, templates, group, scale, by, overrides, runs, seed, threads))]
#[allow(clippy::too_many_arguments)]
fn backtest(
    py: Python<'_>,
    data_dir: String,
    templates: Option<Vec<String>>,
    group: &str,
    scale: f64,
    by: Vec<String>,
    overrides: Vec<String>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<PyReport> {
    if runs == 0 {
        return Err(PyValueError::new_err("runs must be at least 1"));
    }
    if runs > 1_000_000 {
        return Err(PyValueError::new_err(
            "runs is at most 1000000 for a backtest",
        ));
    }
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let dir = Path::new(&data_dir);
    if !dir.is_dir() {
        return Err(PyValueError::new_err(format!(
            "{data_dir}: not a folder of tidy tables (cases.csv, stances.csv, actors.csv)"
        )));
    }
    if scale != 1.0 && scale != 100.0 {
        return Err(PyValueError::new_err(format!(
            "scale {scale}: allowed 1 or 100"
        )));
    }
    let grouping = match group {
        "case" => Grouping::Case,
        "proposal" => Grouping::Proposal,
        other => {
            return Err(PyValueError::new_err(format!(
                "group {other:?}: allowed \"case\" or \"proposal\""
            )));
        }
    };
    let options = TidyOptions { grouping, scale };
    let names: Vec<String> = match templates {
        Some(list) if !list.is_empty() => list,
        _ => import::templates().iter().map(|s| s.to_string()).collect(),
    };
    let mut entrants = Vec::new();
    for name in &names {
        let template = Template::load(name).map_err(|e| scenario_error(py, e))?;
        let imported = import::tidy(dir, &template, &options).map_err(|e| scenario_error(py, e))?;
        let mut cases = Vec::with_capacity(imported.len());
        for case in imported {
            let parsed = parse_overrides(py, &case.source, &overrides)?;
            let model =
                scenario::prepare(&case.source, &parsed).map_err(|e| scenario_error(py, e))?;
            let recorded: Vec<Recorded> = case
                .issues
                .iter()
                .filter_map(|issue| {
                    Some(Recorded {
                        issue: model.issue_index(&issue.id)?,
                        outcome: issue.outcome?,
                        status_quo_recorded: issue.status_quo_recorded,
                        tags: issue.tags.clone(),
                    })
                })
                .collect();
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
    let mut tags: Vec<&str> = entrants
        .first()
        .into_iter()
        .flat_map(|e| e.cases.iter())
        .flat_map(|c| c.recorded.iter())
        .flat_map(|r| r.tags.iter().map(|(c, _)| c.as_str()))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    for column in &by {
        if !tags.contains(&column.as_str()) {
            return Err(PyValueError::new_err(format!(
                "by {column}: no case has that column (columns: {})",
                if tags.is_empty() {
                    "none".to_string()
                } else {
                    tags.join(", ")
                }
            )));
        }
    }
    let mut groups = by;
    if groups.is_empty() && tags.contains(&"rule") {
        groups.push("rule".into());
    }
    let config = Config {
        seed,
        runs,
        groups,
        threads,
    };
    py.check_signals()?;
    let outcome = py.allow_threads(|| treaty_backtest::backtest(&entrants, &config));
    py.check_signals()?;
    let scored = outcome.map_err(|e| match e {
        treaty_backtest::BacktestError::Config(m) => PyValueError::new_err(m),
        other => TreatyError::new_err(other.to_string()),
    })?;
    Ok(report(Computed::Backtest(scored)))
}

/// The names of the bundled scenarios.
#[pyfunction]
fn bundled() -> Vec<&'static str> {
    scenario::bundled().iter().map(|b| b.name).collect()
}

/// The names of the bundled import templates.
#[pyfunction]
fn templates() -> Vec<&'static str> {
    import::templates().to_vec()
}

/// The native module.
#[pymodule]
fn _treaty(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ScenarioError", py.get_type::<TreatyScenarioError>())?;
    m.add("TreatyError", py.get_type::<TreatyError>())?;
    m.add_class::<PyScenario>()?;
    m.add_class::<PyReport>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(per_run_csv, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(trace, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(bundled, m)?)?;
    m.add_function(wrap_pyfunction!(templates, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
