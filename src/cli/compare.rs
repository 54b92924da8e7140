//! `treaty compare`: a base scenario and its variants side by side, on common random numbers,
//! with paired differences and their 95% intervals.
//!
//! Variants are scenario files (or bundled names) given after the base, then `--variant
//! "NAME: PATH=VALUE ..."` variants (the base with overrides), in that order. `--set` overrides
//! apply to the base and to every variant, before a variant's own. A variant named like an
//! earlier scenario is numbered (`NAME (2)`). The comparison goes to stdout
//! (or `--out FILE`, written atomically); timings and the progress bar go to stderr.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use treaty::experiment::{Variant, compare};
use treaty::montecarlo::{BLOCK_SIZE, BatchConfig, DEFAULT_RUNS, MAX_RUNS, MonteCarloError};
use treaty::report::{Format, Render};
use treaty::scenario::overrides::VariantSpec;

use super::interrupt::Interrupt;
use super::output::{AtomicFile, cap_threads, check_paths, commit_all, out_path, warn_html_out};
use super::run::{Prepared, Progress, input_path, prepare, prepare_source};
use super::{BadInput, ReportFormat};

/// Arguments of `treaty compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The base scenario: a file, or the name of a bundled scenario.
    pub base: String,
    /// Variant scenarios (files or bundled names), each compared with the base.
    pub variants: Vec<String>,
    /// A variant made of the base with overrides, e.g. "weak-russia: actors.RUS.capability=0.25"
    /// (repeatable). Several overrides are separated by `;` or spaces; brackets and quoted
    /// strings stay whole.
    #[arg(long = "variant", value_name = "NAME: PATH=VALUE ...")]
    pub variant: Vec<String>,
    /// Runs of every scenario [default: 10000].
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed: run k of every scenario uses random stream k of this seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads [default: one per core]. The comparison does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the comparison to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Change a number or choice of the base and of every variant, e.g.
    /// `protocol.max_rounds=40` (repeatable; applied before a variant's own overrides).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Also write the comparison as one self-contained HTML page with forest plots to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// The run count and thread count, checked (shared with `treaty sweep`).
pub(super) fn batch_config(
    runs: Option<u64>,
    seed: u64,
    threads: Option<usize>,
) -> Result<BatchConfig, BadInput> {
    let runs = runs.unwrap_or(DEFAULT_RUNS);
    if runs == 0 {
        return Err(BadInput("--runs must be at least 1".into()));
    }
    if runs > MAX_RUNS {
        return Err(BadInput(format!("--runs is at most {MAX_RUNS}")));
    }
    if threads == Some(0) {
        return Err(BadInput("--threads must be at least 1".into()));
    }
    let mut config = BatchConfig::new(seed, runs);
    config.block_size = BLOCK_SIZE;
    config.threads = cap_threads(threads);
    Ok(config)
}

/// A batch error as the program reports it: bad settings are bad input, and a stop asked for
/// by a signal is the signal's [`Interrupted`](super::interrupt::Interrupted).
pub(super) fn batch_error(e: MonteCarloError, progress: &Progress) -> anyhow::Error {
    match e {
        MonteCarloError::Config(m) => BadInput(m).into(),
        MonteCarloError::Interrupted => progress.check().err().map_or_else(
            || anyhow::anyhow!("the batch stopped without a signal"),
            Into::into,
        ),
        other => other.into(),
    }
}

/// Writes `bytes` to the output opened before the work (or stdout) and each of `extra` (a
/// file opened before the work and its bytes), every one or none (see [`commit_all`]), unless
/// a signal arrived meanwhile.
pub(super) fn finish_outputs(
    out: Option<AtomicFile>,
    bytes: &[u8],
    extra: Vec<(AtomicFile, Vec<u8>)>,
    progress: &Progress,
) -> anyhow::Result<()> {
    progress.check()?;
    let filled = |mut f: AtomicFile, bytes: &[u8]| -> anyhow::Result<AtomicFile> {
        f.write_all(bytes)
            .with_context(|| format!("{}: cannot write", f.path().display()))?;
        Ok(f)
    };
    let mut files = Vec::new();
    let stdout = match out {
        Some(f) => {
            files.push(filled(f, bytes)?);
            None
        }
        None => Some(bytes),
    };
    for (f, b) in extra {
        files.push(filled(f, &b)?);
    }
    commit_all(files, stdout)
}

/// The (option, path) pairs of the outputs given, `--out -` (standard output) left out.
pub(super) fn named_outputs<'a>(named: &[(&'a str, Option<&'a Path>)]) -> Vec<(&'a str, &'a Path)> {
    named
        .iter()
        .filter_map(|&(flag, p)| Some((flag, p?)))
        .filter(|(flag, p)| *flag != "--out" || out_path(Some(p)).is_some())
        .collect()
}

/// Runs `treaty compare`.
pub fn run(args: CompareArgs) -> anyhow::Result<i32> {
    let interrupt = Interrupt::listen()?;
    let config = batch_config(args.runs, args.seed, args.threads)?;
    if args.variants.is_empty() && args.variant.is_empty() {
        return Err(BadInput(
            "nothing to compare with: give variant scenarios after the base, or \
             --variant \"NAME: PATH=VALUE ...\""
                .into(),
        )
        .into());
    }
    let out_path = out_path(args.out.as_deref());
    let mut inputs: Vec<(&str, &Path)> = Vec::new();
    inputs.extend(input_path(&args.base).map(|p| ("the base scenario", p)));
    for v in &args.variants {
        inputs.extend(input_path(v).map(|p| ("the variant", p)));
    }
    check_paths(
        &named_outputs(&[("--out", out_path), ("--html", args.html.as_deref())]),
        &inputs,
    )?;
    warn_html_out(out_path, args.html.as_deref(), false);
    let base = prepare(&args.base, &args.set)?;
    let mut prepared: Vec<(String, Prepared)> = Vec::new();
    for file in &args.variants {
        prepared.push((file.clone(), prepare(file, &args.set)?));
    }
    for arg in &args.variant {
        let spec = VariantSpec::parse(arg).map_err(|e| BadInput(format!("--variant {e}")))?;
        let own: Vec<String> = spec.overrides.iter().map(ToString::to_string).collect();
        let name = spec.name.unwrap_or_else(|| own.join(" "));
        let sets: Vec<String> = args.set.iter().cloned().chain(own).collect();
        let p = prepare_source(base.source.clone(), &sets)
            .map_err(|e| BadInput(format!("variant {name}: {e:#}")))?;
        prepared.push((name, p));
    }
    // Names must tell the scenarios apart: a repeated name gets a number (`NAME (2)`).
    let mut names: Vec<String> = vec![args.base.clone()];
    for (name, _) in prepared.iter_mut() {
        let mut unique = name.clone();
        let mut k = 2;
        while names.contains(&unique) {
            unique = format!("{name} ({k})");
            k += 1;
        }
        *name = unique.clone();
        names.push(unique);
    }

    let base_variant = Variant {
        name: args.base.clone(),
        model: &base.model,
    };
    let variants: Vec<Variant<'_>> = prepared
        .iter()
        .map(|(name, p)| Variant {
            name: name.clone(),
            model: &p.model,
        })
        .collect();
    // The output is opened before the work, so a path that cannot be written is reported at once.
    let out = out_path.map(AtomicFile::create).transpose()?;
    let html = args.html.as_deref().map(AtomicFile::create).transpose()?;
    let mut progress = Progress::new(interrupt);
    let started = Instant::now();
    let comparison = compare(&base_variant, &variants, &config, &mut progress);
    progress.finish();
    let comparison = comparison.map_err(|e| batch_error(e, &progress))?;
    let elapsed = started.elapsed().as_secs_f64();
    let bytes = comparison.render(args.format.unwrap_or(ReportFormat::Table).into())?;
    // The visual report, beside the usual one.
    let extra = match html {
        Some(f) => vec![(f, comparison.render(Format::Html)?)],
        None => Vec::new(),
    };
    finish_outputs(out, &bytes, extra, &progress)?;
    let scenarios = variants.len() + 1;
    eprintln!(
        "treaty: {} runs of {scenarios} scenarios in {elapsed:.2} s ({:.0} runs/s)",
        comparison.runs,
        (comparison.runs as f64 * scenarios as f64) / elapsed.max(1e-9)
    );
    Ok(0)
}
