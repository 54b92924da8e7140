//! Ctrl-C (SIGINT) and SIGTERM during a long `treaty run`: the program stops cleanly with a
//! message and exit code 130 or 143, and every file it was asked to write (`--out`, `--per-run`,
//! a shard part) is either absent or exactly its previous content, never half-written, with no
//! temporary file left behind.
//!
//! Each test starts the real binary on a batch far too long to finish, waits until the batch is
//! under way (the per-run file's temporary exists and has grown past its header), sends the
//! signal with `kill`, and checks the exit status and the directory.
#![cfg(unix)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/good/pie-split.ron"
);

/// How long the program may take to stop after the signal: at most one wave of blocks.
const STOP_WITHIN: Duration = Duration::from_secs(60);

/// The files of `dir`, sorted, with their contents.
fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

/// Starts `treaty run SCENARIO --runs 1e9 ARGS` in `dir`.
fn start(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_treaty"))
        .current_dir(dir)
        .args(["run", SCENARIO, "--runs", "1000000000", "--threads", "2"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start treaty")
}

/// Waits until a temporary file whose name starts with `.{name}.` has at least `bytes` bytes.
fn wait_for_temp(dir: &Path, name: &str, bytes: u64, child: &mut Child) -> PathBuf {
    let prefix = format!(".{name}.");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!("treaty ended before it was signalled: {status}");
        }
        let found = std::fs::read_dir(dir).expect("read dir").find_map(|e| {
            let e = e.ok()?;
            let file = e.file_name().to_string_lossy().into_owned();
            let grown = e.metadata().ok()?.len() >= bytes;
            (file.starts_with(&prefix) && file.ends_with(".tmp") && grown).then(|| e.path())
        });
        if let Some(path) = found {
            return path;
        }
        assert!(
            Instant::now() < deadline,
            "no temporary {prefix}*.tmp appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Sends `signal` (`INT` or `TERM`) to the child and waits for it to end; returns its status
/// and stderr.
fn signal_and_wait(child: &mut Child, signal: &str) -> (ExitStatus, String) {
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -{signal} {pid} failed");
    let deadline = Instant::now() + STOP_WITHIN;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("treaty did not stop within {STOP_WITHIN:?} of SIG{signal}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    (status, stderr)
}

/// The header of pie-split's per-run file, so a temporary longer than it holds records.
const HEADER_BYTES: u64 = 80;

#[test]
fn ctrl_c_stops_with_130_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = start(
        dir.path(),
        &[
            "--out",
            "report.json",
            "--format",
            "json",
            "--per-run",
            "runs.csv",
        ],
    );
    wait_for_temp(dir.path(), "runs.csv", HEADER_BYTES + 1, &mut child);
    let (status, stderr) = signal_and_wait(&mut child, "INT");
    assert_eq!(status.code(), Some(130), "{status}: {stderr}");
    assert!(
        stderr.contains("treaty: interrupted by SIGINT (Ctrl-C) after ")
            && stderr.contains(" of 1000000000 runs; no output was written"),
        "{stderr}"
    );
    assert_eq!(listing(dir.path()), vec![], "files left behind");
}

#[test]
fn sigterm_stops_with_143_and_leaves_previous_files_as_they_were() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("report.json"), "the previous report\n").unwrap();
    std::fs::write(dir.path().join("runs.csv"), "the previous runs\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not ours\n").unwrap();
    let before = listing(dir.path());
    let mut child = start(
        dir.path(),
        &["--out", "report.json", "--per-run", "runs.csv"],
    );
    wait_for_temp(dir.path(), "runs.csv", HEADER_BYTES + 1, &mut child);
    let (status, stderr) = signal_and_wait(&mut child, "TERM");
    assert_eq!(status.code(), Some(143), "{status}: {stderr}");
    assert!(
        stderr.contains("treaty: interrupted by SIGTERM after "),
        "{stderr}"
    );
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn an_interrupted_shard_leaves_no_part() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("part-1.json"), "part 1, finished earlier\n").unwrap();
    let before = listing(dir.path());
    let mut child = start(
        dir.path(),
        &[
            "--shard",
            "2/3",
            "--out",
            "part-2.json",
            "--per-run",
            "runs-2.csv",
        ],
    );
    wait_for_temp(dir.path(), "runs-2.csv", HEADER_BYTES + 1, &mut child);
    let (status, stderr) = signal_and_wait(&mut child, "INT");
    assert_eq!(status.code(), Some(130), "{status}: {stderr}");
    assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn a_signal_during_a_batch_without_per_run_file_stops_it_too() {
    // Nothing to watch on disk: wait until the program has surely started its batch (loading
    // pie-split takes milliseconds), then signal.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = start(dir.path(), &["--out", "report.txt"]);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().expect("try_wait").is_none(), "ended early");
    let (status, stderr) = signal_and_wait(&mut child, "TERM");
    assert_eq!(status.code(), Some(143), "{status}: {stderr}");
    assert!(stderr.contains("interrupted by SIGTERM after "), "{stderr}");
    assert_eq!(listing(dir.path()), vec![]);
}

#[test]
fn an_uninterrupted_batch_writes_its_files_and_no_temporaries() {
    // The control: the same command with a batch that ends writes both files in full.
    let dir = tempfile::tempdir().expect("tempdir");
    let status = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .current_dir(dir.path())
        .args(["run", SCENARIO, "--runs", "2000", "--format", "json"])
        .args(["--out", "report.json", "--per-run", "runs.csv"])
        .stderr(Stdio::null())
        .status()
        .expect("run treaty");
    assert!(status.success());
    let files = listing(dir.path());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["report.json", "runs.csv"]);
    let report: serde_json::Value = serde_json::from_slice(&files[0].1).expect("whole JSON");
    assert!(report.is_object());
    let rows = files[1].1.iter().filter(|b| **b == b'\n').count();
    assert_eq!(rows, 1 + 2000, "header and one row per run");
}

/// A heavy model: `n` principals on one issue in the expected-utility model, whose step costs
/// n³, so a block of runs takes far longer than the test waits.
fn heavy_scenario(n: usize) -> String {
    let actors: String = (0..n)
        .map(|i| {
            format!(
                "(id: \"A{i}\", name: \"A{i}\", role: Principal, capability: {}, strategy: Linear, \
                 stances: {{\"I0\": (position: {:?}, salience: 1)}}),\n",
                1 + i % 7,
                (i % 101) as f64 / 100.0
            )
        })
        .collect();
    format!(
        "(metadata: (name: \"heavy\", description: \"many actors\"),\n\
         issues: [(id: \"I0\", name: \"n\", low: \"l\", high: \"h\", status_quo: 0.5)],\n\
         actors: [\n{actors}],\nprotocol: ExpectedUtility(max_rounds: 100),\n)\n"
    )
}

#[test]
fn two_quick_signals_on_a_heavy_model_stop_it_at_once_and_leave_no_temporary() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("heavy.ron"), heavy_scenario(300)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .current_dir(dir.path())
        .args(["run", "heavy.ron", "--runs", "100000", "--threads", "2"])
        .args(["--out", "report.json", "--format", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start treaty");
    // The batch is under way once the output's temporary exists.
    wait_for_temp(dir.path(), "report.json", 0, &mut child);
    std::thread::sleep(Duration::from_millis(500));
    let pid = child.id().to_string();
    let started = Instant::now();
    for _ in 0..2 {
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("treaty did not stop within 5 s of two SIGINTs");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(130), "{status}");
    let names: Vec<String> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["heavy.ron"], "a temporary file was left behind");
}

#[test]
fn one_signal_on_a_heavy_model_is_seen_within_a_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("heavy.ron"), heavy_scenario(300)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .current_dir(dir.path())
        .args(["run", "heavy.ron", "--runs", "100000", "--threads", "2"])
        .args(["--out", "report.json"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start treaty");
    wait_for_temp(dir.path(), "report.json", 0, &mut child);
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let (status, stderr) = signal_and_wait(&mut child, "INT");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped only after {:?}",
        started.elapsed()
    );
    assert_eq!(status.code(), Some(130), "{status}: {stderr}");
    assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
    let names: Vec<String> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["heavy.ron"]);
}
