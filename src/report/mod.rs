//! Reports: what a batch found and the exporters that write it, and the teaching trace of one run
//! ([`trace`]).
//!
//! A batch's [`Tally`](crate::stats::Tally), the scenario's [`Outline`] and the batch's
//! [`Provenance`] make a [`Summary`]; an [`Exporter`] turns a summary into bytes: [`Table`] for a
//! terminal, [`Json`] (a versioned schema, [`REPORT_SCHEMA`]) and [`Csv`] (flat rows). The
//! README's "Reports" section documents the JSON schema and the CSV columns. Per-run records
//! (`--per-run`) are written by [`PerRunCsv`].
//!
//! Reports hold nothing that depends on the machine, the thread count or the clock, so the same
//! scenario, seed and runs give the same bytes.

mod csv;
pub mod html;
mod json;
mod outline;
mod per_run;
mod provenance;
pub(crate) mod summary;
mod table;
pub mod trace;

pub use csv::Csv;
pub use json::Json;
pub use outline::{ActorOutline, CalendarOutline, IssueOutline, OptionOutline, Outline, UnitName};
pub use per_run::PerRunCsv;
pub use provenance::{Provenance, content_hash};
pub use summary::{
    ActorSummary, ByOutcome, ConflictSummary, Ideal, IssueSummary, OptionSummary, OutcomeSummary,
    PrecisionSummary, Probability, Quantiles, REPORT_SCHEMA, RoundsSummary, ScenarioSummary,
    Summary,
};
pub use table::Table;

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
}

/// Turns a summary into the bytes of one format.
pub trait Exporter {
    /// The report's bytes.
    fn export(&self, summary: &Summary) -> Result<Vec<u8>, ReportError>;
}
