//! Outputs and inputs by identity: two outputs naming one file by different spellings, and an
//! output naming an input, are refused before anything runs; several outputs are written all or
//! none; a broken pipe is success only on standard output; `-` is standard input (and
//! `--out -` standard output); a leading byte-order mark is skipped; a file shadowing a bundled
//! scenario is named; too many threads are capped; `--out x.html` without `--html` is noted.
#![cfg(unix)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{scratch_dir, treaty, treaty_in};

/// An absolute path to a file of the crate.
fn fixture(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn pie() -> String {
    fixture("tests/fixtures/good/pie-split.ron")
}

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts exit code `code` and a message on stderr containing every one of `parts`.
fn fails_with(out: &Output, code: i32, parts: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for part in parts {
        assert!(err.contains(part), "expected {part:?} in {err}");
    }
}

#[test]
fn two_spellings_of_one_output_are_refused_naming_both_options() {
    let dir = scratch_dir();
    let d = dir.path();
    let abs = d.join("a.csv");
    let abs = abs.to_str().unwrap();
    let pie = pie();
    let tidy = fixture("tests/fixtures/backtest/tidy");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "run",
            &pie,
            "--runs",
            "10",
            "--format",
            "csv",
            "--out",
            "./a.csv",
            "--per-run",
            "a.csv",
        ],
        vec![
            "run",
            &pie,
            "--runs",
            "10",
            "--out",
            abs,
            "--per-run",
            "a.csv",
        ],
        vec![
            "run", &pie, "--runs", "10", "--html", "./a.csv", "--out", "a.csv",
        ],
        vec![
            "run",
            &pie,
            "--runs",
            "10",
            "--html",
            "sub/../a.csv",
            "--per-run",
            abs,
        ],
        vec![
            "sweep",
            &pie,
            "--runs",
            "10",
            "--set",
            "actors.A.capability=0.5..1.0:2",
            "--html",
            "./a.csv",
            "--out",
            "a.csv",
        ],
        vec![
            "compare",
            &pie,
            "--runs",
            "10",
            "--variant",
            "v: actors.A.capability=0.5",
            "--html",
            "./a.csv",
            "--out",
            abs,
        ],
        vec![
            "backtest",
            &tidy,
            "--runs",
            "5",
            "--template",
            "mediated",
            "--out",
            "./a.csv",
            "--per-issue",
            abs,
        ],
    ];
    std::fs::create_dir(d.join("sub")).unwrap();
    for args in &cases {
        let out = treaty_in(d, args);
        fails_with(&out, 2, &["name the same file", "give each its own"]);
        let err = stderr(&out);
        let flags: Vec<&&str> = args
            .iter()
            .filter(|a| {
                a.starts_with("--") && ["--out", "--per-run", "--html", "--per-issue"].contains(*a)
            })
            .collect();
        for flag in flags {
            assert!(err.contains(*flag), "{args:?}: {err}");
        }
        assert_eq!(names(d), ["sub"], "{args:?} left a file");
    }
    // When the file exists too, and through a link.
    std::fs::write(d.join("a.csv"), "previous").unwrap();
    std::os::unix::fs::symlink(d.join("a.csv"), d.join("link.csv")).unwrap();
    let out = treaty_in(
        d,
        &[
            "run",
            &pie,
            "--runs",
            "10",
            "--out",
            "link.csv",
            "--per-run",
            "./a.csv",
        ],
    );
    fails_with(&out, 2, &["--per-run and --out name the same file"]);
    assert_eq!(
        std::fs::read_to_string(d.join("a.csv")).unwrap(),
        "previous"
    );
    assert_eq!(names(d), ["a.csv", "link.csv", "sub"]);
}

#[test]
fn an_output_never_overwrites_an_input() {
    let dir = scratch_dir();
    let d = dir.path();
    let text = std::fs::read_to_string(pie()).unwrap();
    std::fs::write(d.join("s.ron"), &text).unwrap();
    std::fs::write(d.join("v.ron"), &text).unwrap();
    let abs = d.join("s.ron");
    let abs = abs.to_str().unwrap();
    for args in [
        vec!["run", "s.ron", "--runs", "10", "--out", "./s.ron"],
        vec!["run", "s.ron", "--runs", "10", "--per-run", abs],
        vec!["run", "./s.ron", "--runs", "10", "--html", "s.ron"],
        vec!["trace", "s.ron", "--html", abs],
        vec![
            "sweep",
            "s.ron",
            "--runs",
            "10",
            "--set",
            "actors.A.capability=0.5..1.0:2",
            "--out",
            abs,
        ],
        vec![
            "compare", "s.ron", "v.ron", "--runs", "10", "--html", "./v.ron",
        ],
        vec!["compare", "s.ron", "v.ron", "--runs", "10", "--out", abs],
    ] {
        let out = treaty_in(d, &args);
        fails_with(&out, 2, &["an input", "would overwrite it"]);
        let err = stderr(&out);
        assert!(err.contains("s.ron") || err.contains("v.ron"), "{err}");
        assert_eq!(
            std::fs::read_to_string(d.join("s.ron")).unwrap(),
            text,
            "{args:?}"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("v.ron")).unwrap(),
            text,
            "{args:?}"
        );
        assert_eq!(names(d), ["s.ron", "v.ron"], "{args:?}");
    }
    // A part being merged.
    let out = treaty_in(
        d,
        &[
            "run", "s.ron", "--runs", "1000", "--shard", "1/1", "--out", "p.json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let part = std::fs::read(d.join("p.json")).unwrap();
    let out = treaty_in(d, &["merge", "p.json", "--out", "./p.json"]);
    fails_with(&out, 2, &["--out ./p.json is the part p.json, an input"]);
    assert_eq!(std::fs::read(d.join("p.json")).unwrap(), part);
    // The outcomes file and the tables of a backtest.
    let tidy = d.join("tidy");
    std::fs::create_dir(&tidy).unwrap();
    for t in ["cases.csv", "stances.csv", "actors.csv"] {
        let from = fixture(&format!("tests/fixtures/backtest/tidy/{t}"));
        if Path::new(&from).exists() {
            std::fs::copy(from, tidy.join(t)).unwrap();
        }
    }
    let cases = std::fs::read(tidy.join("cases.csv")).unwrap();
    let out = treaty_in(
        d,
        &[
            "backtest",
            "tidy",
            "--runs",
            "5",
            "--template",
            "mediated",
            "--per-issue",
            "tidy/./cases.csv",
        ],
    );
    fails_with(
        &out,
        2,
        &["--per-issue tidy/./cases.csv is the input tidy/cases.csv"],
    );
    assert_eq!(std::fs::read(tidy.join("cases.csv")).unwrap(), cases);
    std::fs::write(d.join("o.csv"), "scenario,issue,outcome\ns,A,0.5\n").unwrap();
    let out = treaty_in(
        d,
        &[
            "backtest",
            "s.ron",
            "--outcomes",
            "o.csv",
            "--runs",
            "5",
            "--out",
            "./o.csv",
        ],
    );
    fails_with(&out, 2, &["--out ./o.csv is the outcomes file o.csv"]);
    assert_eq!(
        std::fs::read_to_string(d.join("o.csv")).unwrap(),
        "scenario,issue,outcome\ns,A,0.5\n"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_failing_output_replaces_no_other_output() {
    // /dev/full is written in place and fails every write; the regular files beside it keep
    // what they held (or stay absent), and no temporary is left.
    let dir = scratch_dir();
    let d = dir.path();
    let pie = pie();
    std::fs::write(d.join("page.html"), "previous").unwrap();
    std::fs::write(d.join("runs.csv"), "previous").unwrap();
    let sweep = [
        "sweep",
        &pie,
        "--runs",
        "10",
        "--set",
        "actors.A.capability=0.5..1.0:2",
    ];
    let compare = [
        "compare",
        &pie,
        "--runs",
        "10",
        "--variant",
        "v: actors.A.capability=0.5",
    ];
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "run",
            &pie,
            "--runs",
            "100",
            "--out",
            "/dev/full",
            "--html",
            "page.html",
        ],
        vec![
            "run",
            &pie,
            "--runs",
            "100",
            "--html",
            "/dev/full",
            "--per-run",
            "runs.csv",
            "--out",
            "new.json",
        ],
        vec![
            "run",
            &pie,
            "--runs",
            "100",
            "--per-run",
            "/dev/full",
            "--html",
            "page.html",
        ],
        [&sweep[..], &["--out", "/dev/full", "--html", "page.html"]].concat(),
        [&sweep[..], &["--html", "/dev/full", "--out", "new.json"]].concat(),
        [&compare[..], &["--out", "/dev/full", "--html", "page.html"]].concat(),
        [&compare[..], &["--html", "/dev/full", "--out", "new.json"]].concat(),
        vec!["trace", &pie, "--html", "/dev/full"],
    ];
    for args in &cases {
        let out = treaty_in(d, args);
        fails_with(&out, 1, &["/dev/full", "No space left on device"]);
        assert_eq!(
            std::fs::read_to_string(d.join("page.html")).unwrap(),
            "previous",
            "{args:?}"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("runs.csv")).unwrap(),
            "previous",
            "{args:?}"
        );
        assert_eq!(names(d), ["page.html", "runs.csv"], "{args:?}");
    }
    // The trace's story is not printed when its page cannot be written.
    let out = treaty_in(d, &["trace", &pie, "--html", "/dev/full"]);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_broken_pipe_on_a_file_output_is_an_error() {
    // The per-run records go into a named pipe whose reader leaves at once: the run fails,
    // names the pipe, and writes no --out file.
    let dir = scratch_dir();
    let d = dir.path();
    let fifo = d.join("runs.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || drop(std::fs::File::open(fifo).expect("open the pipe")))
    };
    let out = treaty_in(
        d,
        &[
            "run",
            "karabakh-2023",
            "--runs",
            "5000",
            "--per-run",
            "runs.fifo",
            "--out",
            "report.txt",
        ],
    );
    reader.join().unwrap();
    fails_with(&out, 1, &["runs.fifo", "Broken pipe"]);
    assert_eq!(names(d), ["runs.fifo"]);
}

#[test]
fn a_broken_pipe_on_standard_output_is_success_and_the_files_are_whole() {
    let dir = scratch_dir();
    let d = dir.path();
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .current_dir(d)
        .args([
            "run",
            &pie(),
            "--runs",
            "1000",
            "--format",
            "csv",
            "--html",
            "page.html",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(d.join("page.html")).unwrap();
    assert!(page.trim_end().ends_with("</html>"), "the page is whole");
}

#[test]
fn a_closed_standard_output_is_an_error() {
    let treaty = env!("CARGO_BIN_EXE_treaty");
    let out = Command::new("sh")
        .args(["-c", &format!("exec {treaty} run {} --runs 10 >&-", pie())])
        .output()
        .unwrap();
    fails_with(&out, 1, &["standard output", "closed"]);
    // Discarded on purpose is fine.
    let out = Command::new("sh")
        .args([
            "-c",
            &format!("exec {treaty} run {} --runs 10 >/dev/null", pie()),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Nothing goes to standard output with --out, so closing it does no harm.
    let dir = scratch_dir();
    let report = dir.path().join("r.txt");
    let out = Command::new("sh")
        .args([
            "-c",
            &format!(
                "exec {treaty} run {} --runs 10 --out {} >&-",
                pie(),
                report.display()
            ),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(report).unwrap().contains("Pie"));
}

#[test]
fn output_names_up_to_255_bytes_are_written() {
    let dir = scratch_dir();
    for len in [240, 245, 250, 255] {
        let name = format!("{}.json", "r".repeat(len - 5));
        assert_eq!(name.len(), len);
        let out = treaty_in(
            dir.path(),
            &[
                "run",
                &pie(),
                "--runs",
                "10",
                "--format",
                "json",
                "--out",
                &name,
            ],
        );
        assert!(out.status.success(), "{len}: {}", stderr(&out));
        assert_eq!(names(dir.path()), vec![name.clone()]);
        std::fs::remove_file(dir.path().join(&name)).unwrap();
    }
}

/// `treaty ARGS...` with `input` on standard input.
fn treaty_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_the_scenario_from_standard_input() {
    let text = std::fs::read(pie()).unwrap();
    let from_file = treaty(&["run", &pie(), "--runs", "100", "--format", "json"]);
    assert!(from_file.status.success());
    let from_stdin = treaty_stdin(&["run", "-", "--runs", "100", "--format", "json"], &text);
    assert!(from_stdin.status.success(), "{}", stderr(&from_stdin));
    assert_eq!(from_stdin.stdout, from_file.stdout);
    let out = treaty_stdin(&["validate", "-"], &text);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: <stdin>"));
    let out = treaty_stdin(&["run", "-"], b"(metadata: 3)");
    fails_with(&out, 2, &["<stdin>:1:"]);
    // --out - is standard output.
    let dir = scratch_dir();
    let out = treaty_in(
        dir.path(),
        &[
            "run",
            &pie(),
            "--runs",
            "100",
            "--format",
            "json",
            "--out",
            "-",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, from_file.stdout);
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let dir = scratch_dir();
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend(std::fs::read(pie()).unwrap());
    let bom = dir.path().join("bom.ron");
    std::fs::write(&bom, &text).unwrap();
    let with = treaty(&[
        "run",
        bom.to_str().unwrap(),
        "--runs",
        "100",
        "--format",
        "json",
    ]);
    assert!(with.status.success(), "{}", stderr(&with));
    let without = treaty(&["run", &pie(), "--runs", "100", "--format", "json"]);
    let strip = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replace(bom.to_str().unwrap(), "F")
            .replace(&pie(), "F")
    };
    assert_eq!(strip(&with.stdout), strip(&without.stdout));
    let out = treaty_stdin(&["validate", "-"], &text);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_file_named_like_a_bundled_scenario_is_named_when_used() {
    let dir = scratch_dir();
    std::fs::copy(pie(), dir.path().join("karabakh-2023")).unwrap();
    let note = "treaty: using the file ./karabakh-2023, not the bundled scenario of that name";
    for args in [
        vec!["run", "karabakh-2023", "--runs", "10"],
        vec!["trace", "karabakh-2023"],
        vec!["validate", "karabakh-2023"],
    ] {
        let out = treaty_in(dir.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains(note), "{args:?}: {}", stderr(&out));
    }
    // Without such a file, no note.
    let out = treaty(&["run", "karabakh-2023", "--runs", "10"]);
    assert!(!stderr(&out).contains("using the file"), "{}", stderr(&out));
}

#[test]
fn too_many_threads_are_capped_with_a_note() {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let note = format!(
        "treaty: --threads 10000 capped at {} (4 × {cores} cores)",
        4 * cores
    );
    let started = std::time::Instant::now();
    let many = treaty(&[
        "run",
        &pie(),
        "--runs",
        "1000",
        "--threads",
        "10000",
        "--format",
        "json",
    ]);
    assert!(many.status.success(), "{}", stderr(&many));
    assert!(stderr(&many).contains(&note), "{}", stderr(&many));
    let one = treaty(&[
        "run",
        &pie(),
        "--runs",
        "1000",
        "--threads",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(many.stdout, one.stdout);
    assert!(!stderr(&one).contains("capped"));
    let pie = pie();
    let tidy = fixture("tests/fixtures/backtest/tidy");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "sweep",
            &pie,
            "--runs",
            "10",
            "--set",
            "actors.A.capability=0.5..1.0:2",
        ],
        vec![
            "compare",
            &pie,
            "--runs",
            "10",
            "--variant",
            "v: actors.A.capability=0.5",
        ],
        vec!["backtest", &tidy, "--runs", "5", "--template", "mediated"],
    ];
    for case in &cases {
        let args = [&case[..], &["--threads", "10000"]].concat();
        let out = treaty(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(&note), "{args:?}: {}", stderr(&out));
    }
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[test]
fn an_out_file_named_like_a_page_is_noted() {
    let dir = scratch_dir();
    let out = treaty_in(
        dir.path(),
        &["run", &pie(), "--runs", "10", "--out", "x.html"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("treaty: --out x.html writes the table; did you mean --html x.html?"),
        "{}",
        stderr(&out)
    );
    let out = treaty_in(
        dir.path(),
        &[
            "sweep",
            &pie(),
            "--runs",
            "10",
            "--set",
            "actors.A.capability=0.5..1.0:2",
            "--out",
            "y.HTM",
        ],
    );
    assert!(
        stderr(&out).contains("did you mean --html y.HTM?"),
        "{}",
        stderr(&out)
    );
    let out = treaty_in(
        dir.path(),
        &[
            "run",
            &pie(),
            "--runs",
            "10",
            "--out",
            "z.html",
            "--html",
            "page.html",
        ],
    );
    assert!(out.status.success());
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
}
