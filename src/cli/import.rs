//! `treaty import`: scenarios made from tables and a template.
//!
//! - `treaty import tidy DIR --template T --out OUTDIR`: a folder with `cases.csv`,
//!   `stances.csv` and `actors.csv` becomes one scenario per case (or per proposal) in OUTDIR,
//!   with the recorded outcomes in `OUTDIR/outcomes.csv`.
//! - `treaty import table FILE.csv --template T [--out FILE.ron]`: a table with one row per
//!   actor becomes one scenario.
//! - `treaty import genius DOMAIN.xml PROFILE.xml... [--template T] [--out FILE.ron]`: a GENIUS
//!   domain and its linear additive profiles become one scenario, a principal per profile.
//! - `treaty import geniusweb PROFILE.json... [--template T] [--out FILE.ron]`: the same from
//!   GeniusWeb profiles.
//! - `treaty import --list-templates`, `treaty import --show-template NAME`: the bundled
//!   templates.
//!
//! Every scenario is validated before anything is written; existing files are not overwritten
//! without `--force`. Bad tables and domain files exit with code 2 and a
//! `FILE:LINE:COLUMN: message`. What a domain's mapping cannot keep is said on stderr as
//! `treaty: warning: ...` lines (and in the written file's comments).

use super::BadInput;
use super::output::write_output;
use std::io::Write;
use std::path::{Path, PathBuf};
use treaty::scenario::import::{
    self, DomainOptions, Grouping, ImportedCase, ImportedDomain, TableOptions, Template,
    TidyOptions,
};

/// Arguments of `treaty import`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ImportArgs {
    /// What to import.
    #[command(subcommand)]
    pub command: Option<ImportCommand>,
    /// Print a bundled template's text (a starting point for a template of your own).
    #[arg(long, value_name = "NAME")]
    pub show_template: Option<String>,
    /// List the bundled templates.
    #[arg(long, conflicts_with = "show_template")]
    pub list_templates: bool,
}

/// The scale of a table's positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// Positions, status quos and outcomes on [0, 1].
    #[value(name = "1")]
    One,
    /// On 0–100: divided by 100.
    #[value(name = "100")]
    Hundred,
}

impl Scale {
    fn factor(self) -> f64 {
        match self {
            Scale::One => 1.0,
            Scale::Hundred => 100.0,
        }
    }
}

/// How `import tidy` groups cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupArg {
    /// One scenario per case, with one issue.
    Case,
    /// One scenario per proposal (the `proposal` column), its cases as issues.
    Proposal,
}

/// The forms of table.
#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// A folder with cases.csv, stances.csv and actors.csv: one scenario per case or proposal.
    #[command(
        long_about = "A folder with cases.csv (case, status_quo, outcome, and any tag columns \
            such as proposal, short_name, procedure, rule), stances.csv (case, actor, position, \
            salience) and actors.csv (actor, name, capability) becomes one scenario per case \
            (or per proposal), written to OUTDIR/<name>.ron, and the recorded outcomes are \
            written to OUTDIR/outcomes.csv. An empty status quo becomes 0.5 (noted in the file).",
        after_help = "Examples:\n  treaty import tidy data/ --template mediated --out scenarios/\n  treaty import tidy data/ --template alternating-offers --group proposal --scale 100 --out by-proposal/\n  treaty import tidy data/ --template my-template.ron --out scenarios/ --force"
    )]
    Tidy {
        /// The folder holding cases.csv, stances.csv and actors.csv.
        dir: PathBuf,
        /// A bundled template's name (see --list-templates) or a template file.
        #[arg(long)]
        template: String,
        /// The folder to write the scenarios and outcomes.csv to (created if missing).
        #[arg(long, value_name = "OUTDIR")]
        out: PathBuf,
        /// One scenario per case, or per proposal.
        #[arg(long, value_enum, default_value_t = GroupArg::Case)]
        group: GroupArg,
        /// The scale of positions, status quos and outcomes: 1 or 100.
        #[arg(long, value_enum, default_value_t = Scale::One)]
        scale: Scale,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// A table with one row per actor: one scenario.
    #[command(
        long_about = "A CSV table with one row per actor becomes one scenario: a column `actor` \
            (or `name`), `capability` (or `power`, `clout`), and per issue the columns \
            `ISSUE_position` and `ISSUE_salience` (or `ISSUE position`, `ISSUE salience`), or \
            for a single issue `position` and `salience`. Issues without --status-quo get 0.5 \
            (noted in the file).",
        after_help = "Examples:\n  treaty import table actors.csv --template expected-utility\n  treaty import table actors.csv --template mediated --scale 100 --status-quo trade=40 --out trade.ron"
    )]
    Table {
        /// The CSV table.
        file: PathBuf,
        /// A bundled template's name (see --list-templates) or a template file.
        #[arg(long)]
        template: String,
        /// Write the scenario to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The scale of positions and status quos: 1 or 100.
        #[arg(long, value_enum, default_value_t = Scale::One)]
        scale: Scale,
        /// An issue's status quo, on the table's scale (repeatable).
        #[arg(long = "status-quo", value_name = "ISSUE=VALUE")]
        status_quo: Vec<String>,
        /// The scenario's name [default: the file's stem].
        #[arg(long)]
        name: Option<String>,
        /// Overwrite an existing --out file.
        #[arg(long)]
        force: bool,
    },
    /// A GENIUS domain (XML) and its linear additive profiles: one scenario.
    #[command(
        long_about = "A GENIUS domain file and two or more of its linear additive profiles \
            (discrete, integer and real issues; weights; reservation value; discount factor) \
            become one scenario with a principal per profile: each issue's values become \
            options on [0, 1], each profile's best value its ideal, its weights times its \
            evaluation ranges its saliences, its reservation value and discount factor the \
            actor's reservation and per-round discount. Where the mapping is not exact, a \
            warning on stderr says by how much. Non-linear profiles are refused.",
        after_help = "Examples:\n  treaty import genius Laptop-domain.xml Laptop-prof1.xml Laptop-prof2.xml\n  treaty import genius party.xml p1.xml p2.xml p3.xml --template mediated --out party.ron"
    )]
    Genius {
        /// The domain file (`<negotiation_template>`).
        domain: PathBuf,
        /// The profiles (`<utility_space>`), one actor each, in this order.
        #[arg(required = true, num_args = 1..)]
        profiles: Vec<PathBuf>,
        /// A bundled template's name (see --list-templates) or a template file.
        #[arg(long, default_value = "alternating-offers")]
        template: String,
        /// Write the scenario to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The scenario's name [default: the domain file's stem].
        #[arg(long)]
        name: Option<String>,
        /// Overwrite an existing --out file.
        #[arg(long)]
        force: bool,
    },
    /// GeniusWeb linear additive profiles (JSON): one scenario.
    #[command(
        long_about = "Two or more GeniusWeb LinearAdditiveUtilitySpace profiles (JSON, each \
            carrying the same domain; discrete and number issues, weights, reservation bid) \
            become one scenario with a principal per profile, as `treaty import genius` does. \
            Other kinds of profile are refused.",
        after_help = "Examples:\n  treaty import geniusweb party1.json party2.json\n  treaty import geniusweb a.json b.json c.json --template mediated --out trio.ron"
    )]
    Geniusweb {
        /// The profiles, one actor each, in this order.
        #[arg(required = true, num_args = 1..)]
        profiles: Vec<PathBuf>,
        /// A bundled template's name (see --list-templates) or a template file.
        #[arg(long, default_value = "alternating-offers")]
        template: String,
        /// Write the scenario to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The scenario's name [default: the domain's name].
        #[arg(long)]
        name: Option<String>,
        /// Overwrite an existing --out file.
        #[arg(long)]
        force: bool,
    },
}

/// Runs `treaty import`.
pub fn run(args: ImportArgs) -> anyhow::Result<i32> {
    if args.list_templates {
        let mut out = Vec::new();
        for name in import::templates() {
            writeln!(out, "{name}")?;
        }
        super::output::write_stdout(&out)?;
        return Ok(0);
    }
    if let Some(name) = &args.show_template {
        let Some(text) = import::template_text(name) else {
            return Err(BadInput(format!(
                "no bundled template `{name}` (bundled: {})",
                import::templates().join(", ")
            ))
            .into());
        };
        super::output::write_stdout(text.as_bytes())?;
        return Ok(0);
    }
    match args.command {
        None => Err(BadInput(
            "give a form of table (`treaty import tidy DIR ...`, `treaty import table FILE \
             ...`) or of domain (`treaty import genius DOMAIN PROFILE...`, `treaty import \
             geniusweb PROFILE...`), or --list-templates, or --show-template NAME; see `treaty \
             import --help`"
                .to_string(),
        )
        .into()),
        Some(ImportCommand::Tidy {
            dir,
            template,
            out,
            group,
            scale,
            force,
        }) => tidy(&dir, &template, &out, group, scale, force),
        Some(ImportCommand::Table {
            file,
            template,
            out,
            scale,
            status_quo,
            name,
            force,
        }) => {
            let options = TableOptions {
                scale: scale.factor(),
                status_quo: status_quos(&status_quo)?,
                name,
            };
            let template = Template::load(&template)?;
            let source = import::table(&file, &template, &options)?;
            if let Some(path) = &out
                && !force
                && path.exists()
            {
                return Err(exists(path).into());
            }
            write_output(out.as_deref(), source.text.as_bytes())?;
            Ok(0)
        }
        Some(ImportCommand::Genius {
            domain,
            profiles,
            template,
            out,
            name,
            force,
        }) => {
            let template = Template::load(&template)?;
            let imported = import::genius(&domain, &profiles, &template, &DomainOptions { name })?;
            write_domain(imported, out.as_deref(), force)
        }
        Some(ImportCommand::Geniusweb {
            profiles,
            template,
            out,
            name,
            force,
        }) => {
            let template = Template::load(&template)?;
            let imported = import::geniusweb(&profiles, &template, &DomainOptions { name })?;
            write_domain(imported, out.as_deref(), force)
        }
    }
}

/// Writes an imported domain's scenario, after its warnings on stderr.
fn write_domain(imported: ImportedDomain, out: Option<&Path>, force: bool) -> anyhow::Result<i32> {
    if let Some(path) = out
        && !force
        && path.exists()
    {
        return Err(exists(path).into());
    }
    for w in &imported.warnings {
        eprintln!("treaty: warning: {w}");
    }
    write_output(out, imported.source.text.as_bytes())?;
    Ok(0)
}

/// `ISSUE=VALUE` arguments read.
fn status_quos(args: &[String]) -> Result<Vec<(String, f64)>, BadInput> {
    args.iter()
        .map(|a| {
            let (issue, value) = a.split_once('=').ok_or_else(|| {
                BadInput(format!(
                    "--status-quo {a}: expected ISSUE=VALUE, e.g. trade=0.4"
                ))
            })?;
            let x: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| BadInput(format!("--status-quo {a}: `{value}` is not a number")))?;
            Ok((issue.trim().to_string(), x))
        })
        .collect()
}

fn exists(path: &Path) -> BadInput {
    BadInput(format!(
        "{}: the file exists; give --force to overwrite it",
        path.display()
    ))
}

/// The bytes of `outcomes.csv`: one row per issue with a recorded outcome.
fn outcomes(cases: &[ImportedCase]) -> anyhow::Result<Vec<u8>> {
    let mut tags: Vec<String> = Vec::new();
    for issue in cases.iter().flat_map(|c| &c.issues) {
        for (name, _) in &issue.tags {
            if !tags.contains(name) {
                tags.push(name.clone());
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "scenario".to_string(),
        "issue".to_string(),
        "outcome".to_string(),
        "status_quo_recorded".to_string(),
    ];
    header.extend(tags.iter().cloned());
    writer.write_record(&header)?;
    for case in cases {
        for issue in &case.issues {
            let Some(outcome) = issue.outcome else {
                continue;
            };
            let mut row = vec![
                case.name.clone(),
                issue.id.clone(),
                outcome.to_string(),
                issue.status_quo_recorded.to_string(),
            ];
            for tag in &tags {
                row.push(
                    issue
                        .tags
                        .iter()
                        .find(|(n, _)| n == tag)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default(),
                );
            }
            writer.write_record(&row)?;
        }
    }
    Ok(writer.into_inner()?)
}

fn tidy(
    dir: &Path,
    template: &str,
    out: &Path,
    group: GroupArg,
    scale: Scale,
    force: bool,
) -> anyhow::Result<i32> {
    let template = Template::load(template)?;
    let options = TidyOptions {
        grouping: match group {
            GroupArg::Case => Grouping::Case,
            GroupArg::Proposal => Grouping::Proposal,
        },
        scale: scale.factor(),
    };
    let cases = import::tidy(dir, &template, &options)?;
    let table = outcomes(&cases)?;
    let mut files: Vec<(PathBuf, &[u8])> = cases
        .iter()
        .map(|c| {
            (
                out.join(format!("{}.ron", c.name)),
                c.source.text.as_bytes(),
            )
        })
        .collect();
    files.push((out.join("outcomes.csv"), &table));
    if out.exists() && !out.is_dir() {
        return Err(BadInput(format!("{}: exists and is not a folder", out.display())).into());
    }
    if !force && let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(exists(path).into());
    }
    std::fs::create_dir_all(out)
        .map_err(|e| BadInput(format!("{}: cannot create the folder: {e}", out.display())))?;
    for (path, bytes) in &files {
        write_output(Some(path), bytes)?;
    }
    let issues: usize = cases.iter().map(|c| c.issues.len()).sum();
    println!(
        "wrote {} scenario{} ({} issue{}) and outcomes.csv to {}",
        cases.len(),
        if cases.len() == 1 { "" } else { "s" },
        issues,
        if issues == 1 { "" } else { "s" },
        out.display()
    );
    Ok(0)
}
