//! `--per-run FILE.parquet`: the same records as the CSV, typed, deterministic, nothing left
//! behind.

use crate::common::{scratch_dir, treaty_ok};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

fn per_run(dir: &std::path::Path, name: &str, threads: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    treaty_ok(&[
        "run",
        "karabakh-2023",
        "--runs",
        "1500",
        "--seed",
        "4",
        "--threads",
        threads,
        "--per-run",
        path.to_str().unwrap(),
    ]);
    path
}

#[test]
fn parquet_records_hold_the_csv_records_with_types_and_provenance() {
    let dir = scratch_dir();
    let csv = std::fs::read_to_string(per_run(dir.path(), "runs.csv", "2")).unwrap();
    let pq = per_run(dir.path(), "runs.parquet", "2");
    let again = per_run(dir.path(), "again.parquet", "1");
    assert_eq!(std::fs::read(&pq).unwrap(), std::fs::read(&again).unwrap());
    // Only the two files and the CSV: no scratch file is left.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["again.parquet", "runs.csv", "runs.parquet"]);

    let reader = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    let meta = reader.metadata().file_metadata();
    let provenance = meta.key_value_metadata().unwrap()[0].value.clone().unwrap();
    let provenance: serde_json::Value = serde_json::from_str(&provenance).unwrap();
    assert_eq!(provenance["seed"], 4);
    assert_eq!(provenance["runs"], 1500);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let names: Vec<String> = meta
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(names, header);
    let mut rows = 0;
    for (row, line) in reader.get_row_iter(None).unwrap().zip(lines) {
        let row = row.unwrap();
        for ((_, field), cell) in row.get_column_iter().zip(line.split(',')) {
            let text = match field {
                Field::Null => String::new(),
                Field::Long(v) => v.to_string(),
                Field::Double(v) => v.to_string(),
                Field::Str(v) => v.clone(),
                Field::Bool(v) => v.to_string(),
                other => panic!("unexpected field {other:?}"),
            };
            assert_eq!(text, cell);
        }
        rows += 1;
    }
    assert_eq!(rows, 1500);
}
