//! Speed of a backtest: every case under every bundled template, and the baselines.
//!
//! The cases come from a folder of tidy tables (`cases.csv`, `stances.csv`, `actors.csv`, as
//! `treaty import tidy` reads them) named by the environment variable `TREATY_BACKTEST_DATA`,
//! for instance the development half of DEU III (see the README's "Backtesting" section for how
//! to obtain it); without it, the benchmark makes up 180 one-issue cases of 28 actors of the
//! same shape (positions and saliences from a fixed pseudo-random sequence), so it runs
//! anywhere and measures the same work.
//!
//! ```sh
//! cargo bench --bench backtest
//! TREATY_BACKTEST_DATA=path/to/deu3 cargo bench --bench backtest
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use treaty::backtest::{Case, Config, Entrant, Recorded, backtest};
use treaty::scenario::import::{self, Template, TidyOptions};

/// Writes 180 made-up cases of 28 actors into `dir`.
fn made_up(dir: &Path) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut actors = String::from("actor,name,capability\n");
    for a in 0..28 {
        actors.push_str(&format!("A{a},Actor {a},{:.3}\n", 0.05 + next()));
    }
    let mut cases = String::from("case,proposal,rule,status_quo,outcome\n");
    let mut stances = String::from("case,actor,position,salience\n");
    for c in 0..180 {
        let rule = if c % 4 == 0 { "Unan" } else { "QMV" };
        cases.push_str(&format!(
            "c{c},p{},{rule},{:.2},{:.2}\n",
            c / 3,
            next(),
            next()
        ));
        for a in 0..28 {
            stances.push_str(&format!(
                "c{c},A{a},{:.2},{:.2}\n",
                (next() * 4.0).round() / 4.0,
                0.1 + 0.9 * next()
            ));
        }
    }
    std::fs::write(dir.join("actors.csv"), actors).unwrap();
    std::fs::write(dir.join("cases.csv"), cases).unwrap();
    std::fs::write(dir.join("stances.csv"), stances).unwrap();
}

/// The cases of `dir` under every bundled template.
fn entrants(dir: &Path) -> Vec<Entrant> {
    import::templates()
        .iter()
        .map(|name| {
            let template = Template::load(name).expect("a bundled template loads");
            let cases = import::tidy(dir, &template, &TidyOptions::default())
                .expect("the tables import")
                .into_iter()
                .filter_map(|case| {
                    let model = treaty::scenario::prepare(&case.source, &[]).ok()?;
                    let recorded: Vec<Recorded> = case
                        .issues
                        .iter()
                        .filter_map(|i| {
                            Some(Recorded {
                                issue: model.issue_index(&i.id)?,
                                outcome: i.outcome?,
                                status_quo_recorded: i.status_quo_recorded,
                                tags: i.tags.clone(),
                            })
                        })
                        .collect();
                    if recorded.is_empty() {
                        return None;
                    }
                    Some(Case {
                        name: case.name,
                        model,
                        recorded,
                    })
                })
                .collect();
            Entrant {
                label: name.to_string(),
                cases,
            }
        })
        .collect()
}

fn backtests(c: &mut Criterion) {
    let scratch = tempfile::tempdir().unwrap();
    let dir: PathBuf = match std::env::var_os("TREATY_BACKTEST_DATA") {
        Some(d) => PathBuf::from(d),
        None => {
            made_up(scratch.path());
            scratch.path().to_path_buf()
        }
    };
    let entrants = entrants(&dir);
    let issues: usize = entrants[0].cases.iter().map(|c| c.recorded.len()).sum();
    let mut group = c.benchmark_group("backtest");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(issues as u64));
    for threads in [1, 2] {
        let mut config = Config::new(0, 100);
        config.threads = Some(threads);
        config.groups = vec!["rule".into()];
        group.bench_function(
            format!("{issues} issues, 3 templates, 100 runs, {threads} thread(s)"),
            |b| b.iter(|| black_box(backtest(black_box(&entrants), &config).unwrap())),
        );
    }
    group.finish();
}

criterion_group!(benches, backtests);
criterion_main!(benches);
