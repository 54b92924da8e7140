//! Output files that cannot be written: a missing directory, a path through a regular file, a
//! place where no file can be made, a directory given as a file, a full disk (`/dev/full`, and a
//! real 16 KiB file system where the system allows mounting one). Each gets a clear error that
//! names the file and says why, a non-zero exit, no panic, and no file or temporary left behind;
//! a file that was there keeps its content. Paths that cannot be written are refused before the
//! batch, not after it. Devices and pipes given as outputs are written in place, never replaced.
#![cfg(unix)]

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::treaty_with_timeout;

const SCENARIO: &str = "tests/fixtures/good/pie-split.ron";

/// Asserts a failure with `code` whose one-line message names `file` and says `why`.
fn refused(out: &Output, code: i32, file: &str, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {file}: ")) && stderr.contains(why),
        "expected `error: {file}: ...{why}...`, got {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout after an error");
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

/// A batch that would take hours: an output path that cannot be written must be refused first.
const LONG: [&str; 2] = ["--runs", "1000000000"];

#[test]
fn a_missing_directory_is_refused_before_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir/report.json");
    let missing = missing.to_str().unwrap();
    for flag in ["--out", "--per-run"] {
        let out = treaty_with_timeout(&["run", SCENARIO, LONG[0], LONG[1], flag, missing]);
        refused(
            &out,
            2,
            missing,
            "cannot write here: No such file or directory",
        );
    }
    let out = treaty_with_timeout(&[
        "run", SCENARIO, LONG[0], LONG[1], "--shard", "1/2", "--out", missing,
    ]);
    refused(
        &out,
        2,
        missing,
        "cannot write here: No such file or directory",
    );
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn a_path_through_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "notes").unwrap();
    let inside = file.join("report.json");
    let inside = inside.to_str().unwrap();
    for flag in ["--out", "--per-run"] {
        let out = treaty_with_timeout(&["run", SCENARIO, LONG[0], LONG[1], flag, inside]);
        refused(&out, 2, inside, "cannot write here: Not a directory");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "notes");
    assert_eq!(names(dir.path()), ["notes.txt"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_place_where_no_file_can_be_made_is_refused() {
    // Nobody, not even root, makes files in /proc.
    let out = treaty_with_timeout(&[
        "run",
        SCENARIO,
        LONG[0],
        LONG[1],
        "--out",
        "/proc/treaty-report.json",
    ]);
    refused(&out, 2, "/proc/treaty-report.json", "cannot write here: ");
}

#[test]
fn a_directory_given_as_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = treaty_with_timeout(&["run", SCENARIO, LONG[0], LONG[1], "--per-run", d]);
    refused(&out, 2, d, "is a directory, not a file");
    let out = treaty_with_timeout(&[
        "run", SCENARIO, LONG[0], LONG[1], "--shard", "1/2", "--out", d,
    ]);
    refused(&out, 2, d, "is a directory, not a file");

    // merge: a directory as its output, and as a part.
    let part = dir.path().join("part.json");
    let part = part.to_str().unwrap();
    let made = treaty_with_timeout(&[
        "run", SCENARIO, "--runs", "1000", "--shard", "1/1", "--out", part,
    ]);
    assert!(made.status.success());
    let out = treaty_with_timeout(&["merge", part, "--out", d]);
    refused(&out, 2, d, "is a directory, not a file");
    let out = treaty_with_timeout(&["merge", d]);
    refused(&out, 2, d, "is a directory, not a part file");
    assert_eq!(names(dir.path()), ["part.json"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_device_gives_a_clear_error() {
    // /dev/full accepts the open and fails every write with ENOSPC, like a full disk.
    let full = "/dev/full";
    let out = treaty_with_timeout(&["run", SCENARIO, "--runs", "2000", "--out", full]);
    refused(&out, 1, full, "cannot write: No space left on device");
    let out = treaty_with_timeout(&["run", SCENARIO, "--runs", "2000", "--per-run", full]);
    refused(
        &out,
        1,
        full,
        "cannot write the per-run records: No space left on device",
    );
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("part.json");
    let part = part.to_str().unwrap();
    assert!(
        treaty_with_timeout(&[
            "run", SCENARIO, "--runs", "1000", "--shard", "1/1", "--out", part
        ])
        .status
        .success()
    );
    let out = treaty_with_timeout(&["merge", part, "--out", full]);
    refused(&out, 1, full, "cannot write: No space left on device");
    // Written in place, not replaced by a regular file.
    let meta = std::fs::metadata(full).unwrap();
    assert!(meta.file_type().is_char_device(), "{full} was replaced");
}

#[test]
fn a_pipe_given_as_the_output_is_written_in_place() {
    // A named pipe stands for any output that is not a regular file (/dev/stdout, /dev/null):
    // the report goes into it, and the pipe stays a pipe.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).expect("read the pipe"))
    };
    let out = treaty_with_timeout(&[
        "run",
        SCENARIO,
        "--runs",
        "1000",
        "--format",
        "json",
        "--out",
        fifo.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Checked before waiting for the reader, which would wait forever on a replaced pipe.
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the pipe was replaced");
    let report = reader.join().expect("reader");
    let json: serde_json::Value = serde_json::from_slice(&report).expect("the whole report");
    assert!(json.is_object());
    assert_eq!(names(dir.path()), ["report.fifo"]);
}

/// Whether this process may mount a file system in a private user and mount namespace.
#[cfg(target_os = "linux")]
fn can_mount(at: &Path) -> bool {
    Command::new("unshare")
        .args(["-rm", "mount", "-t", "tmpfs", "-o", "size=16k", "none"])
        .arg(at)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_file_system_keeps_the_previous_files() {
    // A 16 KiB tmpfs at `fs/`, in a private mount namespace: the per-run records and the JSON
    // report (about 20 kB) do not fit. The files that were there keep their content and no
    // temporary is left. What the mount held is copied out before the namespace ends.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let fs = dir.path().join("fs");
    std::fs::create_dir(&fs).unwrap();
    if !can_mount(&fs) {
        eprintln!("skipped: this system does not allow a private tmpfs (unshare -rm)");
        return;
    }
    let treaty = env!("CARGO_BIN_EXE_treaty");
    let script = format!(
        "set -u
         mount -t tmpfs -o size=16k none {d}/fs || exit 99
         echo previous > {d}/fs/report.json
         echo previous > {d}/fs/runs.csv
         {treaty} run karabakh-2023 --runs 2000 --format json --per-run {d}/fs/runs.csv \
           --out {d}/fs/report.json 2> {d}/err1
         echo $? > {d}/code1
         {treaty} run karabakh-2023 --runs 2000 --format json --out {d}/fs/report.json \
           2> {d}/err2
         echo $? > {d}/code2
         ls -A {d}/fs > {d}/listing
         cp {d}/fs/report.json {d}/report.json
         cp {d}/fs/runs.csv {d}/runs.csv"
    );
    let out = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .output()
        .expect("unshare");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let get = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(get("code1").trim(), "1");
    let err1 = get("err1");
    assert!(
        err1.starts_with(&format!(
            "error: {d}/fs/runs.csv: cannot write the per-run records: "
        )) && err1.contains("No space left on device")
            && !err1.contains("panicked"),
        "{err1}"
    );
    assert_eq!(get("code2").trim(), "1");
    let err2 = get("err2");
    assert!(
        err2.starts_with(&format!("error: {d}/fs/report.json: cannot write: "))
            && err2.contains("No space left on device")
            && !err2.contains("panicked"),
        "{err2}"
    );
    assert_eq!(get("report.json"), "previous\n");
    assert_eq!(get("runs.csv"), "previous\n");
    assert_eq!(
        get("listing"),
        "report.json\nruns.csv\n",
        "temporaries left"
    );
}
