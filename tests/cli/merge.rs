//! `treaty run --shard` and `treaty merge` end to end: merged parts give the single run's bytes;
//! parts of other batches, missing, repeated or corrupt parts are refused with exit code 2.

use std::path::{Path, PathBuf};

use crate::common::{treaty, treaty_ok};
use crate::merge_guards::reseal;

/// A small bundled scenario (the flagship's shards are checked through the library in
/// tests/library/determinism.rs) ...
const SCENARIO: &str = "mediated-water";
/// ... with an uncertain status quo, so that every run differs and the sums merged are sums of
/// many different numbers.
const UNCERTAIN: &str = "issues.water.status_quo=Uniform(0.5, 0.9)";

/// `treaty run SCENARIO --set UNCERTAIN EXTRA...`; returns stdout.
fn run(extra: &[&str]) -> Vec<u8> {
    treaty_ok(&[&["run", SCENARIO, "--set", UNCERTAIN][..], extra].concat())
}

/// Writes shard `index`/`count` of the batch of [`SCENARIO`] to `dir`; returns its path.
fn part(dir: &Path, runs: &str, seed: &str, index: u64, count: u64) -> PathBuf {
    let path = dir.join(format!("part-s{seed}-r{runs}-{index}of{count}.json"));
    let shard = format!("{index}/{count}");
    run(&[
        "--runs",
        runs,
        "--seed",
        seed,
        "--shard",
        &shard,
        "--out",
        path.to_str().unwrap(),
    ]);
    path
}

fn merge(parts: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend_from_slice(extra);
    treaty(&args)
}

/// Merging fails with exit code 2; returns stderr.
fn refused(parts: &[&Path]) -> String {
    let out = merge(parts, &[]);
    assert_eq!(out.status.code(), Some(2), "{parts:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn three_and_five_shards_merge_into_the_single_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    // 5,500 runs: six blocks, the last one short.
    for format in ["json", "table", "csv"] {
        let single = run(&["--runs", "5500", "--seed", "3", "--format", format]);
        if format == "json" {
            // The runs differ, so the merged sums are sums of many different numbers.
            let report: serde_json::Value = serde_json::from_slice(&single).unwrap();
            assert!(report["issues"][0]["sd"].as_f64().unwrap() > 0.0);
        }
        for count in [3, 5] {
            let parts: Vec<PathBuf> = if format == "json" {
                (1..=count)
                    .map(|i| part(dir.path(), "5500", "3", i, count))
                    .collect()
            } else {
                (1..=count)
                    .map(|i| dir.path().join(format!("part-s3-r5500-{i}of{count}.json")))
                    .collect()
            };
            // In any order.
            let mut refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
            refs.reverse();
            let out = merge(&refs, &["--format", format]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, single, "{count} shards, {format}");
        }
    }
    // --out writes the same bytes.
    let merged = dir.path().join("merged.json");
    let parts: Vec<PathBuf> = (1..=3)
        .map(|i| dir.path().join(format!("part-s3-r5500-{i}of3.json")))
        .collect();
    let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    let out = merge(
        &refs,
        &["--format", "json", "--out", merged.to_str().unwrap()],
    );
    assert!(out.status.success() && out.stdout.is_empty());
    assert_eq!(
        std::fs::read(&merged).unwrap(),
        run(&["--runs", "5500", "--seed", "3", "--format", "json"])
    );
}

#[test]
fn parts_of_other_batches_are_refused_saying_which() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a1 = part(d, "2000", "0", 1, 2);
    let a2 = part(d, "2000", "0", 2, 2);
    let seed = part(d, "2000", "9", 2, 2);
    let runs = part(d, "3000", "0", 2, 2);
    let err = refused(&[&a1, &seed]);
    assert!(
        err.contains("seed") && err.contains("9") && err.contains("part-s0-r2000-1of2"),
        "{err}"
    );
    let err = refused(&[&a1, &runs]);
    assert!(err.contains("run count") && err.contains("3000"), "{err}");
    let plain = d.join("plain.json");
    treaty_ok(&[
        "run",
        SCENARIO,
        "--runs",
        "2000",
        "--shard",
        "2/2",
        "--out",
        plain.to_str().unwrap(),
    ]);
    let err = refused(&[&a1, &plain]);
    assert!(
        err.contains("overrides") && err.contains("plain.json"),
        "{err}"
    );
    let three = part(d, "2000", "0", 3, 3);
    let err = refused(&[&a1, &three]);
    assert!(err.contains("number of parts"), "{err}");

    // Another scenario, another version, another block size: edit a part as another would be.
    let text = std::fs::read_to_string(&a2).unwrap();
    let edit = |name: &str, from: &str, to: &str| {
        assert!(text.contains(from), "{from}");
        let path = d.join(name);
        std::fs::write(&path, reseal(&text.replacen(from, to, 1))).unwrap();
        path
    };
    let hash_at = text.find("\"scenario_hash\":\"sha256:").unwrap() + 24;
    let hash = &text[hash_at..hash_at + 8];
    let other_scenario = edit("scenario.json", hash, "00000000");
    let err = refused(&[&a1, &other_scenario]);
    assert!(err.contains("scenario hash"), "{err}");
    let version = format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    let other_version = edit("version.json", &version, "\"version\":\"0.0.1\"");
    let err = refused(&[&a1, &other_version]);
    assert!(
        err.contains("0.0.1") && err.contains("version.json"),
        "{err}"
    );
    let other_blocks = edit("blocks.json", "\"block_size\":1000", "\"block_size\":500");
    let err = refused(&[&a1, &other_blocks]);
    assert!(err.contains("blocks.json"), "{err}");
}

#[test]
fn missing_and_repeated_parts_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p: Vec<PathBuf> = (1..=4).map(|i| part(d, "4000", "0", i, 4)).collect();
    let err = refused(&[&p[0], &p[2]]);
    assert!(err.contains("missing parts: 2/4, 4/4"), "{err}");
    let err = refused(&[&p[0], &p[1], &p[2], &p[3], &p[1]]);
    assert!(err.contains("part 2/4 is given more than once"), "{err}");
    assert!(
        !err.contains("1of4") && err.matches("2of4").count() == 2,
        "{err}"
    );
}

#[test]
fn corrupt_parts_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = part(d, "2000", "0", 1, 2);
    let text = std::fs::read_to_string(&good).unwrap();
    let write = |name: &str, content: &str| {
        let path = d.join(name);
        std::fs::write(&path, content).unwrap();
        path
    };
    let cases = [
        write("truncated.json", &text[..text.len() / 2]),
        write("garbage.json", "\u{1}\u{2} not json"),
        write("report.json", "{\"schema\":\"treaty-report/2\"}"),
        write(
            "tampered.json",
            &reseal(&text.replacen("\"runs\":1000", "\"runs\":999", 1)),
        ),
        write("empty.json", ""),
    ];
    for bad in &cases {
        let err = refused(&[bad]);
        let name = bad.file_name().unwrap().to_str().unwrap();
        assert!(
            err.contains(name) && err.contains("not a valid part file"),
            "{err}"
        );
    }
    let err = refused(&[&d.join("absent.json")]);
    assert!(
        err.contains("absent.json") && err.contains("cannot read"),
        "{err}"
    );
}
