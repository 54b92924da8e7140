//! The theory the code cites (docs/theory.md): the solvers against closed forms and worked
//! numbers, and whole runs of the engine against the same results.

#[path = "../common/mod.rs"]
mod common;

mod engine;
mod quadratic;
mod solvers;
