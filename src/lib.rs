//! `treaty`: a seeded Monte Carlo simulator of multilateral diplomatic negotiations.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod engine;
pub mod experiment;
pub mod model;
pub mod montecarlo;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod solvers;
pub mod stats;
