//! The `treaty` program end to end: each module runs the real binary and checks what it prints,
//! writes and exits with.

#[path = "../common/mod.rs"]
mod common;

mod analyse;
mod backtest;
mod bad_inputs;
mod browser;
mod compare;
mod files;
mod html;
mod import;
mod interrupt;
mod merge;
mod merge_guards;
mod new;
mod outputs;
mod parquet;
mod run;
mod sensitivity;
mod sweep;
mod trace;
mod validate;
