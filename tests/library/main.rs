//! The library's behaviour: the engine, the scenario files and their validation, batches and
//! their determinism, damaged and extreme inputs, and the layering of the modules.
//!
//! The allocation counts are a separate binary (`tests/allocations.rs`): its counting global
//! allocator must not apply to these tests.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod backtest;
mod common_random_numbers;
mod determinism;
mod engine_equilibrium;
mod engine_properties;
mod engine_run;
mod engine_trace;
mod extreme;
mod mutations;
mod no_panic;
mod reports;
mod scenario_files;
mod simulator;
mod statics;
