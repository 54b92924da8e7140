//! The library's layers, checked from its source: dependencies point one way.
//!
//! From the bottom: `rng` (the random streams) → `model` (the domain) → `solvers` (pure game
//! theory) → `engine` (one run) → `stats` (exact aggregates) → `montecarlo` (batches) →
//! `experiment` (comparisons, sweeps) → `report` (every exporter). `scenario`, the file format,
//! stands beside them on `model` alone, and nothing in the library imports it: it is how files
//! become models. The command line (`src/cli`, `src/main.rs`) sits on top of everything.
//!
//! A module may import only the layers below it. The check reads every `crate::NAME` in the code
//! of each top-level module (comments and doc comments aside), so it fails as soon as a forbidden
//! edge is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of the library and the modules it may import.
const ALLOWED: &[(&str, &[&str])] = &[
    ("rng", &[]),
    ("model", &["rng"]),
    ("solvers", &["model"]),
    ("engine", &["rng", "model", "solvers"]),
    ("stats", &["model", "solvers", "engine"]),
    (
        "montecarlo",
        &["rng", "model", "solvers", "engine", "stats"],
    ),
    (
        "experiment",
        &["rng", "model", "engine", "stats", "montecarlo"],
    ),
    ("backtest", &["rng", "model", "engine"]),
    (
        "report",
        &[
            "rng",
            "model",
            "solvers",
            "engine",
            "stats",
            "montecarlo",
            "experiment",
            "backtest",
        ],
    ),
    ("scenario", &["model"]),
];

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source folder reads") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules each top-level module imports, read from `src/`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a component");
        let top = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if matches!(top.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a source file reads");
        let entry = graph.entry(top.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for (i, _) in code.match_indices("crate::") {
                let name: String = code[i + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != top {
                    entry.insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let graph = imports();
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut forbidden = Vec::new();
    for (module, deps) in &graph {
        let Some(may) = allowed.get(module.as_str()) else {
            forbidden.push(format!(
                "{module}: a new top-level module; give it a layer in tests/library/architecture.rs"
            ));
            continue;
        };
        for dep in deps {
            if !may.contains(&dep.as_str()) {
                forbidden.push(format!("{module} imports {dep}"));
            }
        }
    }
    assert!(forbidden.is_empty(), "forbidden edges: {forbidden:#?}");
}

#[test]
fn nothing_in_the_library_imports_the_file_format() {
    let graph = imports();
    let users: Vec<&String> = graph
        .iter()
        .filter(|(_, deps)| deps.contains("scenario"))
        .map(|(m, _)| m)
        .collect();
    assert!(users.is_empty(), "scenario imported by {users:?}");
}

#[test]
fn the_layers_have_no_cycle() {
    // Allowed edges only point to earlier entries of ALLOWED, so no cycle can form; check that
    // the table itself keeps that order.
    for (i, (module, deps)) in ALLOWED.iter().enumerate() {
        for dep in *deps {
            let at = ALLOWED.iter().position(|(m, _)| m == dep);
            assert!(
                at.is_some_and(|j| j < i),
                "{module} may import {dep}, which is not below it"
            );
        }
    }
    // And the checker sees real edges (a parser that read nothing would pass the tests above).
    let graph = imports();
    assert!(graph["engine"].contains("model"), "{graph:?}");
    assert!(graph["report"].contains("montecarlo"), "{graph:?}");
}
