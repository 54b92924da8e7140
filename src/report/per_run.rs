//! Per-run records (`--per-run FILE`): one CSV row per run, in run order.
//!
//! Columns: `run` (the run index k: `trace --run k` tells the same run), `outcome`
//! (`Agreement`, `Deadlock` or `Conflict`), `round` (the round it ended in), then
//! `settlement.ID` for every issue and `utility.ID` (own utility) for every actor, in scenario
//! order. Numbers are written in the shortest form that reads back to the same `f64`.

use std::io::Write;

use crate::engine::RunOutcome;
use crate::model::Model;
use crate::montecarlo::RunRecorder;

/// Formats per-run rows for one model.
#[derive(Debug, Clone)]
pub struct PerRunCsv {
    header: Vec<u8>,
}

impl PerRunCsv {
    /// The format for runs of `model`.
    pub fn new(model: &Model) -> Self {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let mut names = vec!["run".to_string(), "outcome".into(), "round".into()];
        names.extend(model.issues.iter().map(|i| format!("settlement.{}", i.id)));
        names.extend(model.actors.iter().map(|a| format!("utility.{}", a.id)));
        // Writing to memory cannot fail.
        let header = w
            .write_record(&names)
            .ok()
            .and_then(|()| w.into_inner().ok())
            .unwrap_or_default();
        PerRunCsv { header }
    }

    /// The header line.
    pub fn header(&self) -> &[u8] {
        &self.header
    }
}

impl RunRecorder for PerRunCsv {
    fn append(&self, buf: &mut Vec<u8>, run: u64, outcome: &RunOutcome) {
        // Writing to a Vec cannot fail.
        let _ = write!(buf, "{run},{},{}", outcome.kind.name(), outcome.round);
        for x in outcome.settlement.iter().chain(&outcome.utility) {
            let _ = write!(buf, ",{x}");
        }
        buf.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{toy_model, toy_outcome};

    #[test]
    fn rows_follow_the_header() {
        let model = toy_model();
        let f = PerRunCsv::new(&model);
        assert_eq!(
            std::str::from_utf8(f.header()).unwrap(),
            "run,outcome,round,settlement.border,settlement.route,utility.A,utility.B,utility.M\n"
        );
        let mut buf = Vec::new();
        let mut o = toy_outcome(3);
        o.settlement = vec![0.25, 0.5];
        o.utility = vec![0.1, 1.0 / 3.0, 0.0];
        f.append(&mut buf, 3, &o);
        assert_eq!(
            std::str::from_utf8(&buf).unwrap(),
            "3,Deadlock,4,0.25,0.5,0.1,0.3333333333333333,0\n"
        );
    }
}
