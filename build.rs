//! Compiles every `scenarios/*.ron` into the binary (see `src/scenario/bundled.rs`): writes
//! `$OUT_DIR/bundled.rs`, a sorted table of names and `include_str!`s. Adding a scenario file
//! needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = Path::new(&manifest).join("scenarios");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", dir.display());

    let mut files: Vec<(String, String)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let path = entry.expect("readable scenarios/ directory").path();
            if path.extension().is_some_and(|e| e == "ron") && path.is_file() {
                let name = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .expect("scenario file names are UTF-8")
                    .to_string();
                let full = path.to_str().expect("scenario paths are UTF-8").to_string();
                println!("cargo:rerun-if-changed={full}");
                files.push((name, full));
            }
        }
    }
    files.sort();

    let mut code = String::from("&[\n");
    for (name, path) in &files {
        writeln!(
            code,
            "    Bundled {{ name: {name:?}, text: include_str!({path:?}) }},"
        )
        .expect("writing to a String");
    }
    code.push(']');
    std::fs::write(Path::new(&out).join("bundled.rs"), code).expect("writable OUT_DIR");
}
