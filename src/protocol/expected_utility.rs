//! Bueno de Mesquita's expected-utility model (placeholder until the solver lands).

use super::{Protocol, Tabled, Threshold};
use crate::engine::{Observer, Table};

/// The expected-utility protocol of one run.
#[derive(Debug, Clone)]
pub struct ExpectedUtility {}

impl ExpectedUtility {
    /// The protocol for the run on `table`.
    pub fn new(_table: &Table<'_>) -> Self {
        ExpectedUtility {}
    }
}

impl Protocol for ExpectedUtility {
    fn propose(&mut self, _table: &mut Table<'_>, _point: &mut [f64]) -> Option<Tabled> {
        None
    }

    fn threshold(&self, table: &Table<'_>, actor: usize) -> Threshold {
        Threshold {
            value: table.world.reservation[actor],
            pressure: false,
        }
    }

    fn rejected(&mut self, _table: &mut Table<'_>, _point: &[f64], _observer: &mut impl Observer) {}
}
