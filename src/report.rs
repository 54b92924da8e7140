//! Reports: every result written in each of its formats, and the teaching trace of one run
//! ([`trace`]).
//!
//! Four results come out of the library: what a batch found ([`Summary`], from
//! [`montecarlo::summarise`](crate::montecarlo::summarise)), a comparison of variants
//! ([`Comparison`]), a sweep of a parameter grid ([`Sweep`]) and one run told round by round
//! ([`Trace`]). Each implements [`Render`]: `result.render(format)` gives its bytes in one of
//! its [`Format`]s.
//!
//! | result | formats |
//! |---|---|
//! | [`Summary`] | table, JSON ([`REPORT_SCHEMA`](crate::montecarlo::REPORT_SCHEMA)), CSV, HTML |
//! | [`Comparison`] | table, JSON, CSV, HTML |
//! | [`Sweep`] | table, JSON, CSV, HTML |
//! | [`Trace`] | text, JSON, HTML |
//! | [`AnalysisReport`](analysis::AnalysisReport) | table, JSON ([`ANALYSIS_SCHEMA`](analysis::ANALYSIS_SCHEMA)) |
//! | [`Sensitivity`](crate::experiment::sensitivity::Sensitivity) | table, JSON, CSV, HTML |
//! | [`Backtest`] | table, JSON ([`BACKTEST_SCHEMA`](backtest::BACKTEST_SCHEMA)), CSV, HTML |
//!
//! Numbers, shares, intervals and dates are written by [`format`](mod@format) for every exporter. The
//! README's "Reports" section documents the JSON schemas and the CSV columns. Per-run records
//! (`--per-run`) are written by [`PerRunCsv`].
//!
//! Reports hold nothing that depends on the machine, the thread count or the clock, so the same
//! scenario, seed and runs give the same bytes.
//!
//! ```
//! use treaty::montecarlo::{BatchConfig, Unwatched, replay_run, summarise};
//! use treaty::report::trace::TraceRecorder;
//! use treaty::report::{Format, Render};
//!
//! let model = treaty::scenario::load("mediated-water")?.model;
//! let summary = summarise(&model, &BatchConfig::new(1, 500), &mut Unwatched)?;
//! let table = String::from_utf8(summary.render(Format::Table)?)?;
//! assert!(table.contains("OUTCOMES"));
//!
//! let mut recorder = TraceRecorder::new(&model, 1, 0);
//! replay_run(&model, 1, 0, &mut recorder);
//! let prose = String::from_utf8(recorder.finish().render(Format::Text)?)?;
//! assert!(prose.starts_with("Mediated"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Summary`]: crate::montecarlo::Summary
//! [`Comparison`]: crate::experiment::Comparison
//! [`Sweep`]: crate::experiment::Sweep
//! [`Trace`]: trace::Trace

pub mod analysis;
pub mod backtest;
mod csv;
mod experiment_csv;
mod experiment_table;
pub mod format;
pub mod html;
mod json;
#[cfg(feature = "parquet")]
pub mod parquet;
mod per_run;
pub mod sensitivity;
mod table;
pub mod trace;

pub use per_run::PerRunCsv;

use crate::backtest::Backtest;
use crate::experiment::sensitivity::Sensitivity;
use crate::experiment::{Comparison, Sweep};
use crate::montecarlo::Summary;
use html::HtmlError;
use trace::Trace;

/// A format a result is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Aligned text for a terminal of 100 columns.
    Table,
    /// Prose a reader follows (the trace).
    Text,
    /// A versioned JSON document.
    Json,
    /// Flat CSV rows.
    Csv,
    /// One self-contained HTML page with charts.
    Html,
}

impl Format {
    /// The format's name, as the command line writes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    }
}

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// JSON serialisation failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// CSV serialisation failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// A chart of an HTML page could not be drawn.
    #[error(transparent)]
    Html(#[from] HtmlError),
    /// The result is not written in this format.
    #[error("{what} is not written as {format}; its formats are {allowed}")]
    Unsupported {
        /// The result.
        what: &'static str,
        /// The format asked for.
        format: &'static str,
        /// The formats it has.
        allowed: String,
    },
}

/// A result written in each of its formats.
pub trait Render {
    /// What the result is, for messages (`a summary`, `a trace`, …).
    const WHAT: &'static str;

    /// The formats the result is written in, its usual one first.
    const FORMATS: &'static [Format];

    /// The result's bytes in `format`, which must be one of [`Render::FORMATS`].
    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError>;
}

/// The bytes of the HTML page `draw` makes, or [`HtmlError::NotBuilt`] without the `html`
/// feature (then `draw` is not compiled at all).
macro_rules! html_page {
    ($draw:expr) => {{
        #[cfg(feature = "html")]
        let page: Result<Vec<u8>, ReportError> = Ok($draw?.into_bytes());
        #[cfg(not(feature = "html"))]
        let page: Result<Vec<u8>, ReportError> = Err(HtmlError::NotBuilt.into());
        page
    }};
}

/// Text for a terminal as it is printed: every character that would act on the terminal
/// replaced ([`format::terminal_safe`], one character for one, so columns stay aligned), and a
/// final line feed.
fn for_terminal(text: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let mut safe = format::terminal_safe(&text).into_owned();
    if !safe.ends_with('\n') {
        safe.push('\n');
    }
    safe.into_bytes()
}

/// The error for a format a result is not written in.
fn unsupported<R: Render + ?Sized>(format: Format) -> ReportError {
    ReportError::Unsupported {
        what: R::WHAT,
        format: format.name(),
        allowed: R::FORMATS
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

impl Render for Summary {
    const WHAT: &'static str = "a summary";
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Html];

    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        match format {
            Format::Table => Ok(for_terminal(table::render(self))),
            Format::Json => json::pretty(self),
            Format::Csv => csv::render(self),
            Format::Html => html_page!(html::run_page(self)),
            Format::Text => Err(unsupported::<Self>(format)),
        }
    }
}

impl Render for analysis::AnalysisReport {
    const WHAT: &'static str = "an outcome analysis";
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json];

    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        match format {
            Format::Table => Ok(for_terminal(self.to_table())),
            Format::Json => json::pretty(self),
            _ => Err(unsupported::<Self>(format)),
        }
    }
}

impl Render for Comparison {
    const WHAT: &'static str = "a comparison";
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Html];

    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        match format {
            Format::Table => Ok(for_terminal(self.to_table())),
            Format::Json => json::pretty(self),
            Format::Csv => Ok(self.to_csv()?),
            Format::Html => html_page!(html::compare_page(self)),
            Format::Text => Err(unsupported::<Self>(format)),
        }
    }
}

impl Render for Sweep {
    const WHAT: &'static str = "a sweep";
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Html];

    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        match format {
            Format::Table => Ok(for_terminal(self.to_table())),
            Format::Json => json::pretty(self),
            Format::Csv => Ok(self.to_csv()?),
            Format::Html => html_page!(html::sweep_page(self)),
            Format::Text => Err(unsupported::<Self>(format)),
        }
    }
}

impl Render for Backtest {
    const WHAT: &'static str = "a backtest";
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Html];

    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        match format {
            Format::Table => Ok(for_terminal(backtest::table(self))),
            Format::Json => backtest::json(self),
            Format::Csv => backtest::scores_csv(self),
            Format::Html => html_page!(html::backtest_page(self)),
            Format::Text => Err(unsupported::<Self>(format)),
        }
    }
}

impl Render for Sensitivity {
    const WHAT: &'static str = "a sensitivity analysis";
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Html];

    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        match format {
            Format::Table => Ok(for_terminal(sensitivity::table(self))),
            Format::Json => sensitivity::json(self),
            Format::Csv => sensitivity::csv(self),
            Format::Html => html_page!(html::sensitivity_page(self)),
            Format::Text => Err(unsupported::<Self>(format)),
        }
    }
}

impl Render for Trace {
    const WHAT: &'static str = "a trace";
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json, Format::Html];

    fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        match format {
            Format::Text => Ok(self.to_text().into_bytes()),
            Format::Json => json::pretty(self),
            Format::Html => html_page!(html::trace_page(self)),
            Format::Table | Format::Csv => Err(unsupported::<Self>(format)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::summary::tests::toy_summary;

    #[test]
    fn undefined_statistics_are_null_in_json() {
        let s = toy_summary(0);
        let json = String::from_utf8(s.render(Format::Json).unwrap()).unwrap();
        assert!(json.contains("\"mean\": null"), "{json}");
        assert!(!json.contains("NaN"));
    }

    #[test]
    fn a_format_a_result_lacks_is_an_error_naming_the_ones_it_has() {
        let err = toy_summary(10)
            .render(Format::Text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "a summary is not written as text; its formats are table, json, csv, html"
        );
    }
}
