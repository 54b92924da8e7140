//! Reports: what a run or a batch of runs tells a reader.

pub mod trace;
