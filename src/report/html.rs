//! Visual reports: one self-contained HTML page per report, with charts (the `html` feature).
//!
//! Each page is a single file a reader opens in any browser, offline: the charts are inline SVG
//! drawn with [plotters](https://docs.rs/plotters)' SVG backend, the style sheet is inline, and
//! the page has no scripts and fetches nothing (its Content-Security-Policy forbids it).
//!
//! - [`run_page`]: what a batch found ([`Summary`] with its [`Tally`]): outcome probabilities with
//!   their 95% Wilson intervals; rounds to agreement; wars (the probability of war, how wars
//!   ended, who starts and who wins them, the round of the first war); per issue, the
//!   distribution of the settlement with the status quo, each actor's ideal point and the
//!   options marked, and the settlement with and without war; per actor, expected utility
//!   against the reservation utility; provenance.
//! - [`trace_page`]: one run ([`Trace`]): each actor's aspiration round by round, what failure
//!   would mean for each principal (value of breakdown and floor), per issue the proposals
//!   tabled (the round's proposal and the mediators' text) and the actors' positions, with the
//!   scenario's events and the wars marked on a time axis dated from the scenario's calendar;
//!   every proposal with its answer, force weighed round by round, and the wars fought.
//! - [`compare_page`]: a comparison ([`Comparison`]): for each variant, forest plots of the
//!   paired differences from the base with their 95% intervals, one row per metric, grouped by
//!   unit (outcome probabilities, rounds, settlements, utilities).
//! - [`sensitivity_page`]: a sensitivity analysis: per outcome, a tornado chart of the inputs'
//!   standardised rank regression coefficients with their intervals, and the numbers.
//! - [`sweep_page`]: a sweep ([`Sweep`]): each headline metric against the swept parameter, with
//!   its 95% interval as a band.
//! - [`backtest_page`]: a backtest ([`Backtest`]): the scores of every protocol and baseline,
//!   overall and by group, with the best mean absolute error of each group starred; mean
//!   absolute error and CRPS by method; each method's point forecasts against the recorded
//!   outcomes; the cumulative distribution of the absolute errors; and the issues the best
//!   protocol forecast worst.
//!
//! # Accessibility
//!
//! Every chart has a title, axis descriptions with units, a `<title>` and `<desc>` (referenced
//! by `aria-labelledby`, with `role="img"`), a caption that says in a sentence what it shows, and
//! a table of the numbers beside it. Colours come from Okabe & Ito's (2008) colour-blind-safe
//! palette, and series differ by marker shape as well as colour.
//!
//! # Fonts
//!
//! plotters is built without its font features (`ttf`, `ab_glyph`): text is written into the SVG
//! as `<text>` elements and laid out by the browser, and plotters sizes its label areas with its
//! built-in estimate of text width. No system font is needed to draw a chart.
//!
//! # Determinism
//!
//! A page depends only on its inputs: no date, time, path or machine name is written, numbers
//! are formatted with fixed decimals, and every list is in model order. The same inputs give the
//! same bytes.
//!
//! [`Summary`]: crate::report::Summary
//! [`Tally`]: crate::stats::Tally
//! [`Trace`]: crate::report::trace::Trace
//! [`Comparison`]: crate::experiment::Comparison
//! [`Sweep`]: crate::experiment::Sweep
//! [`Backtest`]: crate::backtest::Backtest

#[cfg(feature = "html")]
mod backtest;
#[cfg(feature = "html")]
mod chart;
#[cfg(feature = "html")]
mod compare;
#[cfg(feature = "html")]
mod judgement;
#[cfg(feature = "html")]
mod page;
#[cfg(feature = "html")]
mod rows;
#[cfg(feature = "html")]
mod run;
#[cfg(feature = "html")]
mod sensitivity;
#[cfg(feature = "html")]
mod settlement;
#[cfg(feature = "html")]
mod sweep;
#[cfg(feature = "html")]
mod trace;

#[cfg(feature = "html")]
pub use backtest::backtest_page;
#[cfg(feature = "html")]
pub use compare::compare_page;
#[cfg(feature = "html")]
pub use run::run_page;
#[cfg(feature = "html")]
pub use sensitivity::sensitivity_page;
#[cfg(feature = "html")]
pub use sweep::{MAX_PANELS, sweep_page};
#[cfg(feature = "html")]
pub use trace::trace_page;

/// A visual report that could not be drawn.
///
/// The pages need the `html` feature (on by default, and with the command line); a library
/// built without it answers every HTML request with [`HtmlError::NotBuilt`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HtmlError {
    /// plotters could not draw a chart.
    #[error("cannot draw a chart: {0}")]
    Chart(String),
    /// The library was built without the `html` feature.
    #[error("HTML pages are not built into this library (enable the `html` feature)")]
    NotBuilt,
}
