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
//!
//! Then the run's sampled uncertain inputs, one column per uncertain number of the scenario,
//! named `input.` + the path `--set` would change it by (e.g. `input.actors.RUS.capability`,
//! `input.events.2.probability`), in the order they are drawn ([`SamplePlan::inputs`]): the
//! numbers the run was played with, the same ones `trace --run k` shows. Last, one column per
//! event of the scenario, `event.N` (N its index, as in `--set events.N…`), holding the round the
//! event first fired in, empty if it did not fire in that run.
//!
//! Under the expected-utility protocol only, two more columns per issue close the row:
//! `forecast.ID.weighted_median` and `forecast.ID.condorcet`, the model's forecasts from the
//! positions the actors held when the run ended (the c·s-weighted median, and the pairwise
//! (Condorcet) winner among the held positions, empty when no held position beats every other:
//! on one issue, an exact tie; [`crate::solvers::expected_utility`]).

use std::io::Write;

use crate::engine::{OutcomeKind, RunOutcome};
use crate::model::{Input, Model, Protocol, SamplePlan, World};
use crate::montecarlo::RunRecorder;
use crate::solvers::bargaining::Judgement;

/// Formats per-run rows for one model.
#[derive(Debug, Clone)]
pub struct PerRunCsv {
    header: Vec<u8>,
    /// Actor ids, for the war columns (ids are plain: letters, digits, `_` and `-`).
    ids: Vec<String>,
    /// The model's uncertain inputs, for the `input.*` columns.
    inputs: Vec<Input>,
    /// How many events the model has, for the `event.*` columns.
    events: usize,
    /// Issues with `forecast.*` columns (the expected-utility protocol's; 0 otherwise).
    forecast_issues: usize,
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
                "distance.frontier",
                "distance.nash",
                "distance.kalai_smorodinsky",
            ]
            .map(String::from),
        );
        let inputs = SamplePlan::new(model).inputs(model);
        names.extend(inputs.iter().map(|i| format!("input.{}", i.name)));
        names.extend((0..model.events.len()).map(|e| format!("event.{e}")));
        let forecast_issues = if matches!(model.protocol, Protocol::ExpectedUtility { .. }) {
            model.issues.len()
        } else {
            0
        };
        for issue in &model.issues[..forecast_issues] {
            names.push(format!("forecast.{}.weighted_median", issue.id));
            names.push(format!("forecast.{}.condorcet", issue.id));
        }
        // Writing to memory cannot fail.
        let header = w
            .write_record(&names)
            .ok()
            .and_then(|()| w.into_inner().ok())
            .unwrap_or_default();
        PerRunCsv {
            header,
            ids: model.actors.iter().map(|a| a.id.clone()).collect(),
            inputs,
            events: model.events.len(),
            forecast_issues,
        }
    }

    /// The header line.
    pub fn header(&self) -> &[u8] {
        &self.header
    }
}

impl RunRecorder for PerRunCsv {
    fn append(
        &self,
        buf: &mut Vec<u8>,
        run: u64,
        outcome: &RunOutcome,
        world: &World,
        judgement: Option<&Judgement>,
    ) {
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
        match judgement {
            Some(j) => {
                let _ = write!(buf, ",{}", j.frontier);
                for d in [j.nash, j.kalai_smorodinsky] {
                    match d {
                        Some(d) => {
                            let _ = write!(buf, ",{d}");
                        }
                        None => buf.push(b','),
                    }
                }
            }
            None => buf.extend_from_slice(b",,,"),
        }
        for input in &self.inputs {
            let _ = write!(buf, ",{}", input.value(world));
        }
        for e in 0..self.events {
            // Events are listed in firing order, so the first match is the first firing.
            match outcome.events.iter().find(|&&(_, i)| i == e) {
                Some((round, _)) => {
                    let _ = write!(buf, ",{round}");
                }
                None => buf.push(b','),
            }
        }
        for k in 0..self.forecast_issues {
            match outcome.forecasts.get(k) {
                Some(f) => {
                    let _ = write!(buf, ",{}", f.weighted_median);
                    match f.condorcet {
                        Some(x) => {
                            let _ = write!(buf, ",{x}");
                        }
                        None => buf.push(b','),
                    }
                }
                None => buf.extend_from_slice(b",,"),
            }
        }
        buf.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{toy_model, toy_outcome};
    use crate::rng::SimRng;

    /// The row's cells after the fixed columns (run … last_war_ended_talks).
    fn tail(row: &str, fixed: usize) -> Vec<&str> {
        row.trim_end().split(',').skip(fixed).collect()
    }

    #[test]
    fn rows_follow_the_header() {
        let model = toy_model();
        let f = PerRunCsv::new(&model);
        assert_eq!(
            std::str::from_utf8(f.header()).unwrap(),
            "run,outcome,round,settlement.border,settlement.route,utility.A,utility.B,utility.M,\
             wars,first_war_round,first_war_initiator,first_war_target,first_war_initiator_won,\
             last_war_ended_talks,distance.frontier,distance.nash,distance.kalai_smorodinsky,\
             input.issues.border.status_quo,\
             input.actors.A.reservation,input.actors.A.stances.border.position,\
             input.actors.B.reservation,input.actors.B.stances.border.position\n"
        );
        let world = model.sample(&SimRng::for_run(5, 3));
        let inputs = SamplePlan::new(&model).inputs(&model);
        let sampled: Vec<String> = inputs.iter().map(|i| i.value(&world).to_string()).collect();
        let mut buf = Vec::new();
        let mut o = toy_outcome(3);
        o.settlement = vec![0.25, 0.5];
        o.utility = vec![0.1, 1.0 / 3.0, 0.0];
        f.append(&mut buf, 3, &o, &world, None);
        let row = std::str::from_utf8(&buf).unwrap();
        assert!(
            row.starts_with("3,Deadlock,4,0.25,0.5,0.1,0.3333333333333333,0,0,,,,,,,,,"),
            "{row}"
        );
        assert_eq!(tail(row, 17), sampled);
        // A judged run: its three distances, an empty cell for a missing Nash point.
        buf.clear();
        let judged = Judgement {
            frontier: 0.25,
            nash: None,
            kalai_smorodinsky: Some(0.5),
        };
        f.append(&mut buf, 3, &o, &world, Some(&judged));
        let row = std::str::from_utf8(&buf).unwrap();
        assert!(row.contains(",0,,,,,,0.25,,0.5,"), "{row}");
        assert_eq!(tail(row, 17), sampled);
        // The inputs are the run's draws: within the status quo's support, and not constant.
        let sq: f64 = sampled[0].parse().unwrap();
        assert!((0.2..=0.6).contains(&sq), "{sq}");
        let other = model.sample(&SimRng::for_run(5, 4));
        assert_ne!(inputs[0].value(&other), sq);
        // Run 9 is a conflict in round 10, started by B (9 mod 2), whose side won (3 | 9).
        buf.clear();
        f.append(&mut buf, 9, &toy_outcome(9), &world, None);
        let row = std::str::from_utf8(&buf).unwrap();
        assert!(row.contains(",1,10,B,A,true,true,"), "{row}");
        // Run 0 agrees after a limited war in round 1, started and won by A.
        buf.clear();
        f.append(&mut buf, 0, &toy_outcome(0), &world, None);
        let row = std::str::from_utf8(&buf).unwrap();
        assert!(row.starts_with("0,Agreement,1,"), "{row}");
        assert!(row.contains(",1,1,A,B,true,false,"), "{row}");
    }
}
