//! `treaty`: a seeded Monte Carlo simulator of multilateral diplomatic negotiations.
//!
//! States and other actors are described in scenario files: their ideal positions and the
//! salience of each issue, their capabilities, roles, relations and concession strategies, the
//! protocol they negotiate under, whether force is possible, and a timeline of shocks. The
//! library plays the negotiation many thousands of times, each run from its own seeded random
//! stream, and reports what tends to happen; it compares variants on common random numbers and
//! tells single runs round by round.
//!
//! # The pipeline
//!
//! ```text
//! scenario ──▶ model ──▶ run ──▶ batch ──▶ summary ──▶ report
//! (RON file)   (Model)   (engine) (montecarlo) (Summary)  (Render: table, JSON, CSV, HTML)
//! ```
//!
//! - [`scenario`]: the file format. A RON file (or a bundled scenario's name) is read, parsed,
//!   changed by overrides (`actors.RUS.capability=0.3`) and validated into a [`model::Model`];
//!   every problem is reported with its file, line and column, or its path in the scenario.
//!   Nothing else in the library knows the file format.
//! - [`model`]: the domain. Issues, actors, relations, the protocol, force and events; numbers
//!   that may be uncertain (distributions truncated to their domain), drawn once per run into a
//!   [`model::World`]; utility. The games with a known solution are recognised here
//!   ([`model::games`]).
//! - [`engine`]: one run. The round loop on top ([`engine::simulate_run`], and a reusable
//!   [`engine::Simulator`]); the protocols ([`engine::protocol`]) and strategies
//!   ([`engine::strategy`]) beneath it, reading and changing the run only through its
//!   [`engine::RunState`]; events and force; an [`engine::Observer`] sees every step. The pure
//!   game-theoretic solutions the protocols call are in [`solvers`].
//! - [`montecarlo`]: batches. Runs in blocks, on every core, folded into exact aggregates
//!   ([`stats`]); shards and their merge; the batch's [`montecarlo::Provenance`] and its
//!   [`montecarlo::Summary`]. [`experiment`]: paired comparisons and parameter sweeps.
//! - [`backtest`]: forecasts of decisions with recorded outcomes, by every protocol and by the
//!   classic baselines (status quo, compromise model, weighted median, mean), scored by absolute
//!   error and CRPS.
//! - [`report`]: every result written in each of its formats through one trait,
//!   [`report::Render`], with one module for numbers and dates ([`report::format`]), and the
//!   teaching trace of one run ([`report::trace`]).
//!
//! Each layer imports only those above it in this list (the test `tests/library/architecture.rs`
//! checks it).
//!
//! # The determinism promise
//!
//! One master seed. Run k draws every random number from its own stream (ChaCha8 seeded from
//! the master seed, stream k; see [`rng`]), in a documented order, and nothing reads the clock.
//! Runs are grouped in fixed blocks aggregated in run order into exact integer accumulators, and
//! blocks are merged in block order. So the same scenario, seed and run count give the same
//! bytes for any thread count and any sharding, and every report carries its provenance.
//!
//! # Example
//!
//! ```
//! use treaty::montecarlo::{BatchConfig, Unwatched, summarise};
//! use treaty::report::{Format, Render};
//! use treaty::scenario::{self, overrides::Override};
//!
//! // A bundled scenario (or a path to a .ron file), with one number changed.
//! let source = scenario::read_source("mediated-water")?;
//! let weaker = Override::parse("actors.UPL.capability=0.5")?;
//! let model = scenario::prepare(&source, &[weaker])?;
//!
//! // 2,000 runs under seed 7: the same numbers on any machine and thread count.
//! let summary = summarise(&model, &BatchConfig::new(7, 2_000), &mut Unwatched)?;
//! let agreement = summary.outcomes[0].probability.probability.unwrap_or(0.0);
//! assert!((0.0..=1.0).contains(&agreement));
//!
//! // The same result as the command line writes it.
//! let json = summary.render(Format::Json)?;
//! assert!(json.starts_with(b"{\n  \"schema\": \"treaty-report/2\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! - `cli` (default): the `treaty` program (clap, a progress bar, signal handling); implies
//!   `html`.
//! - `html`: HTML pages with SVG charts (plotters). Without it, [`report::Format::Html`] is an
//!   error and the library needs no charting crate.
//!
//! The theory the engine reproduces, with its closed forms and worked numbers, is written up in
//! `docs/theory.md` in the repository.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod backtest;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod montecarlo;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod solvers;
pub mod stats;
