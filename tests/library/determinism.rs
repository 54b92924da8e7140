//! The determinism promise (DESIGN.md): the same scenario, seed and runs give the same bytes for
//! any thread count, and shards merged later give the same bytes as one run.

use treaty::engine::{OutcomeKind, RunOutcome};
use treaty::model::Model;
use treaty::montecarlo::RunRecorder;
use treaty::montecarlo::Summary;
use treaty::montecarlo::{
    BatchConfig, BatchResult, Monitor, MonteCarloError, Part, PerRun, Shard, Unwatched,
    merge_parts, run_batch,
};
use treaty::report::{Format, PerRunCsv, Render};
use treaty::rng::SimRng;
use treaty::scenario::Loaded;

fn flagship() -> Loaded {
    treaty::scenario::load("karabakh-2023").expect("the flagship loads")
}

/// A batch of `runs` runs in blocks of 50 (many blocks, so every thread has work).
fn config(runs: u64, threads: usize) -> BatchConfig {
    let mut c = BatchConfig::new(7, runs);
    c.block_size = 50;
    c.threads = Some(threads);
    c
}

/// The batch's JSON report and per-run CSV.
fn play(loaded: &Loaded, c: &BatchConfig) -> (BatchResult, Vec<u8>, Vec<u8>) {
    let model = &loaded.model;
    let recorder = PerRunCsv::new(model);
    let mut rows = recorder.header().to_vec();
    let result = run_batch(
        model,
        c,
        Some(PerRun {
            recorder: &recorder,
            out: &mut rows,
        }),
        &mut Unwatched,
    )
    .expect("the batch runs");
    let json = result.summary(model, c).render(Format::Json).expect("JSON");
    (result, json, rows)
}

#[test]
fn reports_are_byte_identical_for_1_2_and_7_threads() {
    let loaded = flagship();
    let (_, one, rows_one) = play(&loaded, &config(1234, 1));
    let (_, two, rows_two) = play(&loaded, &config(1234, 2));
    let (_, seven, rows_seven) = play(&loaded, &config(1234, 7));
    assert_eq!(one, two);
    assert_eq!(one, seven);
    assert_eq!(rows_one, rows_two);
    assert_eq!(rows_one, rows_seven);
    // The report is of this batch: another seed gives another report.
    let mut other = config(1234, 2);
    other.seed = 8;
    assert_ne!(play(&loaded, &other).1, one);
}

#[test]
fn per_run_rows_come_in_run_order_one_per_run() {
    let loaded = flagship();
    let (_, _, rows) = play(&loaded, &config(321, 3));
    let text = String::from_utf8(rows).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    // run, outcome, rounds; one settlement per issue; one utility per actor; six war columns;
    // three distances; one column per uncertain input and one per event.
    let inputs = treaty::model::SamplePlan::new(&loaded.model)
        .inputs(&loaded.model)
        .len();
    let columns = 3
        + loaded.model.issues.len()
        + loaded.model.actors.len()
        + 6
        + 3
        + inputs
        + loaded.model.events.len();
    assert_eq!(header.split(',').count(), columns);
    let mut n = 0;
    for (k, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), columns, "{line}");
        assert_eq!(fields[0], k.to_string());
        n += 1;
    }
    assert_eq!(n, 321);
}

/// Plays every shard of `count`, passes each through its part file's bytes, merges them (in
/// reverse order) and returns the report.
fn merged_report(loaded: &Loaded, runs: u64, count: u64) -> (Vec<u8>, Vec<u8>) {
    let model = &loaded.model;
    let mut parts = Vec::new();
    let mut rows = PerRunCsv::new(model).header().to_vec();
    for index in 1..=count {
        let mut c = config(runs, 2);
        c.shard = Some(Shard::new(index, count).unwrap());
        let (result, _, shard_rows) = play(loaded, &c);
        rows.extend_from_slice(&shard_rows[PerRunCsv::new(model).header().len()..]);
        let part = result.part(model, &c);
        let bytes = part.to_json().unwrap();
        let name = format!("part{index}.json");
        parts.push((name.clone(), Part::from_json(&name, &bytes).unwrap()));
    }
    parts.reverse();
    let (prov, outline, tally) = merge_parts(&parts).expect("the parts merge");
    let summary = Summary::new(&outline, &tally, &prov, None);
    (summary.render(Format::Json).unwrap(), rows)
}

#[test]
fn three_and_five_shards_merge_into_the_single_run() {
    let loaded = flagship();
    // 23 blocks of 50: shards of uneven size, the last block short.
    let runs = 1130;
    let (single, single_rows) = {
        let (_, json, rows) = play(&loaded, &config(runs, 2));
        (json, rows)
    };
    for count in [3, 5] {
        let (merged, rows) = merged_report(&loaded, runs, count);
        assert_eq!(merged, single, "{count} shards");
        assert_eq!(rows, single_rows, "per-run rows of {count} shards");
    }
}

#[test]
fn more_shards_than_blocks_still_merge() {
    let loaded = flagship();
    let (_, single, _) = play(&loaded, &config(120, 1));
    let (merged, _) = merged_report(&loaded, 120, 5); // 3 blocks, 5 parts
    assert_eq!(merged, single);
}

#[test]
fn a_precision_target_stops_at_the_same_block_for_any_thread_count() {
    let loaded = flagship();
    let with_target = |threads| {
        let mut c = config(20_000, threads);
        c.precision = Some(0.02);
        play(&loaded, &c)
    };
    let (a, json_a, rows_a) = with_target(1);
    let (b, json_b, rows_b) = with_target(3);
    assert_eq!(json_a, json_b);
    assert_eq!(rows_a, rows_b);
    let p = a.precision.unwrap();
    assert_eq!(b.precision, Some(p));
    let runs = a.tally.runs();
    assert!(p.reached && p.half_width < 0.02, "{p:?}");
    assert_eq!(runs % 50, 0);
    assert_eq!(a.blocks, 0..runs / 50);
    // One block fewer would not have been enough.
    let mut shorter = config(runs - 50, 2);
    shorter.precision = Some(0.02);
    let (s, _, _) = play(&loaded, &shorter);
    let sp = s.precision.unwrap();
    assert!(!sp.reached && sp.half_width >= 0.02, "{sp:?}");
}

#[test]
fn a_cap_ends_a_precision_target_that_cannot_be_reached() {
    let loaded = flagship();
    let mut c = config(200, 2);
    c.precision = Some(1e-6);
    let (result, _, _) = play(&loaded, &c);
    let p = result.precision.unwrap();
    assert!(!p.reached);
    assert_eq!(result.tally.runs(), 200);
}

/// Asks to stop once it has seen this many blocks.
struct StopAfter(u64);

impl Monitor for StopAfter {
    fn on_progress(&mut self, _done: u64, _planned: u64) {
        self.0 = self.0.saturating_sub(1);
    }
    fn should_stop(&mut self) -> bool {
        self.0 == 0
    }
}

#[test]
fn a_monitor_can_stop_a_batch() {
    let model: Model = flagship().model;
    let err = run_batch(&model, &config(100_000, 1), None, &mut StopAfter(3)).unwrap_err();
    assert!(matches!(err, MonteCarloError::Interrupted), "{err}");
}

#[test]
fn impossible_batches_are_refused() {
    let model = flagship().model;
    let mut c = config(0, 1);
    assert!(matches!(
        run_batch(&model, &c, None, &mut Unwatched),
        Err(MonteCarloError::Config(_))
    ));
    c = config(100, 1);
    c.precision = Some(0.01);
    c.shard = Some(Shard::new(1, 2).unwrap());
    assert!(matches!(
        run_batch(&model, &c, None, &mut Unwatched),
        Err(MonteCarloError::Config(_))
    ));
    assert!(Shard::new(3, 2).is_err());
    assert!("0/4".parse::<Shard>().is_err());
    assert_eq!("2/4".parse::<Shard>().unwrap(), Shard::new(2, 4).unwrap());
}

#[test]
fn event_columns_hold_the_round_each_event_first_fired_in() {
    let model = treaty::scenario::load("karabakh-2023").unwrap().model;
    assert!(model.events.len() >= 3);
    let f = PerRunCsv::new(&model);
    let header = std::str::from_utf8(f.header())
        .unwrap()
        .trim_end()
        .to_string();
    let names: Vec<&str> = header.split(',').collect();
    let first_event = names.iter().position(|n| *n == "event.0").unwrap();
    assert_eq!(names.len() - first_event, model.events.len());
    assert!(names[first_event - 1].starts_with("input."));
    let world = model.sample(&SimRng::for_run(0, 0));
    let o = RunOutcome {
        kind: OutcomeKind::Deadlock,
        round: 30,
        settlement: vec![0.5; model.issues.len()],
        utility: vec![0.5; model.actors.len()],
        concession: vec![0.0; model.actors.len()],
        wars: Vec::new(),
        events: vec![(2, 1), (3, 0), (5, 1)],
        reservation: vec![0.0; model.actors.len()],
        forecasts: Vec::new(),
    };
    let mut buf = Vec::new();
    f.append(&mut buf, 3, &o, &world, None);
    let row = std::str::from_utf8(&buf).unwrap();
    let cells: Vec<&str> = row.trim_end_matches('\n').split(',').collect();
    assert_eq!(cells.len(), names.len(), "{row}");
    assert_eq!(cells[first_event], "3");
    assert_eq!(cells[first_event + 1], "2");
    assert!(
        cells[first_event + 2..].iter().all(|c| c.is_empty()),
        "{row}"
    );
}

#[test]
fn quadratic_loss_reports_are_byte_identical_for_any_thread_count() {
    // The flagship (offers, force, allies) and a mediated case with the Nash text, under
    // quadratic loss: the same bytes for 1 and 3 threads, and other bytes than under linear loss.
    let mut flagship = flagship();
    let mut water = treaty::scenario::load("mediated-water").expect("bundled");
    if let treaty::model::Protocol::Mediated { text, .. } = &mut water.model.protocol {
        *text = treaty::model::MediatorText::NashBargaining;
    }
    for loaded in [&mut flagship, &mut water] {
        let (_, linear, _) = play(loaded, &config(300, 2));
        loaded.model.loss = treaty::model::Loss::Quadratic;
        let (_, one, rows_one) = play(loaded, &config(300, 1));
        let (_, three, rows_three) = play(loaded, &config(300, 3));
        assert_eq!(one, three);
        assert_eq!(rows_one, rows_three);
        assert_ne!(one, linear);
    }
}
