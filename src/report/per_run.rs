//! Per-run records (`--per-run FILE`): one CSV row per run, in run order.
//!
//! Columns: `run` (the run index k: `trace --run k` tells the same run), `outcome`
//! (`Agreement`, `Deadlock` or `Conflict`), `round` (the round it ended in), then
//! `settlement.ID` for every issue and `utility.ID` (own utility) for every actor, in scenario
//! order; then the run's wars: `wars` (how many), the first war's `first_war_round`,
//! `first_war_initiator` and `first_war_target` (actor ids) and `first_war_initiator_won`
//! (`true` or `false`), and `last_war_ended_talks` (`true` if the run's last war ended the
//! talks, i.e. the run is a conflict; `false` if every war was limited). The war columns are
//! empty in a run without a war. Numbers are written in the shortest form that reads back to
//! the same `f64`.

use std::io::Write;

use crate::engine::{OutcomeKind, RunOutcome};
use crate::model::Model;
use crate::montecarlo::RunRecorder;

/// Formats per-run rows for one model.
#[derive(Debug, Clone)]
pub struct PerRunCsv {
    header: Vec<u8>,
    /// Actor ids, for the war columns (ids are plain: letters, digits, `_` and `-`).
    ids: Vec<String>,
}

impl PerRunCsv {
    /// The format for runs of `model`.
    pub fn new(model: &Model) -> Self {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let mut names = vec!["run".to_string(), "outcome".into(), "round".into()];
        names.extend(model.issues.iter().map(|i| format!("settlement.{}", i.id)));
        names.extend(model.actors.iter().map(|a| format!("utility.{}", a.id)));
        names.extend(
            [
                "wars",
                "first_war_round",
                "first_war_initiator",
                "first_war_target",
                "first_war_initiator_won",
                "last_war_ended_talks",
            ]
            .map(String::from),
        );
        // Writing to memory cannot fail.
        let header = w
            .write_record(&names)
            .ok()
            .and_then(|()| w.into_inner().ok())
            .unwrap_or_default();
        PerRunCsv {
            header,
            ids: model.actors.iter().map(|a| a.id.clone()).collect(),
        }
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
        let _ = write!(buf, ",{}", outcome.wars.len());
        match outcome.wars.first() {
            Some(w) => {
                let id = |a: usize| self.ids.get(a).map_or("", String::as_str);
                let _ = write!(
                    buf,
                    ",{},{},{},{},{}",
                    w.round,
                    id(w.initiator),
                    id(w.target),
                    w.initiator_won,
                    outcome.kind == OutcomeKind::Conflict
                );
            }
            None => buf.extend_from_slice(b",,,,,"),
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
            "run,outcome,round,settlement.border,settlement.route,utility.A,utility.B,utility.M,\
             wars,first_war_round,first_war_initiator,first_war_target,first_war_initiator_won,\
             last_war_ended_talks\n"
        );
        let mut buf = Vec::new();
        let mut o = toy_outcome(3);
        o.settlement = vec![0.25, 0.5];
        o.utility = vec![0.1, 1.0 / 3.0, 0.0];
        f.append(&mut buf, 3, &o);
        assert_eq!(
            std::str::from_utf8(&buf).unwrap(),
            "3,Deadlock,4,0.25,0.5,0.1,0.3333333333333333,0,0,,,,,\n"
        );
        // Run 9 is a conflict in round 10, started by B (9 mod 2), whose side won (3 | 9).
        buf.clear();
        f.append(&mut buf, 9, &toy_outcome(9));
        let row = std::str::from_utf8(&buf).unwrap();
        assert!(row.ends_with(",1,10,B,A,true,true\n"), "{row}");
        // Run 0 agrees after a limited war in round 1, started and won by A.
        buf.clear();
        f.append(&mut buf, 0, &toy_outcome(0));
        let row = std::str::from_utf8(&buf).unwrap();
        assert!(row.starts_with("0,Agreement,1,"), "{row}");
        assert!(row.ends_with(",1,1,A,B,true,false\n"), "{row}");
    }
}
