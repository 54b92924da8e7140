//! The teaching trace of one run.
