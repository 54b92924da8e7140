//! Replays inputs through the fuzz target's checks on a stable toolchain: every file given, and
//! every file inside every directory given (a corpus, `artifacts/load/`). Prints one line per
//! input and a total; a broken promise panics with the input's name printed just before.
#![forbid(unsafe_code)]

use std::path::PathBuf;

fn main() {
    let mut inputs: Vec<PathBuf> = Vec::new();
    for arg in std::env::args_os().skip(1) {
        let path = PathBuf::from(arg);
        match std::fs::read_dir(&path) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect();
                files.sort();
                inputs.extend(files);
            }
            Err(_) => inputs.push(path),
        }
    }
    if inputs.is_empty() {
        eprintln!("usage: replay FILE_OR_DIR...");
        std::process::exit(2);
    }
    let (mut accepted, mut refused) = (0usize, 0usize);
    for path in &inputs {
        let data = match std::fs::read(path) {
            Ok(data) => data,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(2);
            }
        };
        eprintln!("{}", path.display());
        if treaty_fuzz::check(&data) {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    println!(
        "{} inputs: {accepted} accepted, {refused} refused, every promise kept",
        inputs.len()
    );
}
