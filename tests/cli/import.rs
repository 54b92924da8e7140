//! `treaty import` end to end: tidy folders and actor tables become scenarios that validate and
//! run; bad tables are refused at their file, line and column; outputs are deterministic and
//! never overwritten without `--force`.

use std::path::Path;

use crate::common::{scratch_dir, treaty_fails, treaty_ok, treaty_text};

const FIXTURES: &str = "tests/fixtures/import";
const TIDY: &str = "tests/fixtures/import/tidy";
const TEMPLATES: [&str; 3] = ["alternating-offers", "mediated", "expected-utility"];

/// The `.ron` files of `dir`, sorted, as paths.
fn scenarios(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("the output folder reads")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

/// Every file of `dir` with its bytes, sorted by name.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("the output folder reads")
        .map(|e| {
            let e = e.expect("an entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("a file reads"),
            )
        })
        .collect();
    files.sort();
    files
}

fn import_tidy(out: &Path, template: &str, extra: &[&str]) -> String {
    let out = out.display().to_string();
    let mut args = vec![
        "import",
        "tidy",
        TIDY,
        "--template",
        template,
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    String::from_utf8(treaty_ok(&args)).expect("UTF-8")
}

#[test]
fn tidy_writes_one_valid_scenario_per_case_and_the_outcomes() {
    let dir = scratch_dir();
    let out = dir.path().join("out");
    let stdout = import_tidy(&out, "mediated", &[]);
    assert_eq!(
        stdout,
        format!(
            "wrote 4 scenarios (4 issues) and outcomes.csv to {}\n",
            out.display()
        )
    );
    let files = scenarios(&out);
    let names: Vec<&str> = files
        .iter()
        .map(|f| f.rsplit('/').next().unwrap_or(""))
        .collect();
    assert_eq!(names, ["r1i1.ron", "r1i2.ron", "r2i1.ron", "r2i2.ron"]);
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let report = String::from_utf8(treaty_ok(&args)).expect("UTF-8");
    assert_eq!(report.lines().count(), 4, "{report}");
    assert!(report.lines().all(|l| l.starts_with("ok: ")), "{report}");
    assert!(
        report.contains("r1i1.ron (4 actors, 1 issue, Mediated)"),
        "{report}"
    );

    let outcomes = std::fs::read_to_string(out.join("outcomes.csv")).expect("outcomes.csv");
    assert_eq!(
        outcomes,
        "scenario,issue,outcome,status_quo_recorded,proposal,short_name,procedure,rule\n\
         r1i1,r1i1,0.55,true,r1,river quotas,COD,QMV\n\
         r1i2,r1i2,0.3,false,r1,river quotas,COD,QMV\n\
         r2i1,r2i1,0.7,true,r2,port fees,CNS,Unan\n"
    );
    let r1i2 = std::fs::read_to_string(out.join("r1i2.ron")).expect("a scenario");
    assert!(r1i2.contains("no recorded status quo; 0.5, the scale's midpoint, assumed"));
    let r1i1 = std::fs::read_to_string(out.join("r1i1.ron")).expect("a scenario");
    assert!(r1i1.contains("// Left out, with salience 0 on every issue here: EAST."));
}

#[test]
fn group_proposal_gives_multi_issue_scenarios() {
    let dir = scratch_dir();
    let out = dir.path().join("out");
    let stdout = import_tidy(&out, "alternating-offers", &["--group", "proposal"]);
    assert!(
        stdout.starts_with("wrote 2 scenarios (4 issues)"),
        "{stdout}"
    );
    let files = scenarios(&out);
    assert_eq!(files.len(), 2);
    let report = String::from_utf8(treaty_ok(&["validate", &files[0], &files[1]])).expect("UTF-8");
    assert!(
        report.contains("r1.ron (4 actors, 2 issues, AlternatingOffers)"),
        "{report}"
    );
    assert!(
        report.contains("r2.ron (4 actors, 2 issues, AlternatingOffers)"),
        "{report}"
    );
    let outcomes = std::fs::read_to_string(out.join("outcomes.csv")).expect("outcomes.csv");
    assert!(outcomes.contains("\nr1,r1i2,0.3,false,r1,"), "{outcomes}");
}

#[test]
fn every_bundled_template_imports_the_fixture_and_its_scenarios_run() {
    let dir = scratch_dir();
    for template in TEMPLATES {
        for group in ["case", "proposal"] {
            let out = dir.path().join(format!("{template}-{group}"));
            import_tidy(&out, template, &["--group", group]);
            for file in scenarios(&out) {
                let report =
                    String::from_utf8(treaty_ok(&["run", &file, "--runs", "20"])).expect("UTF-8");
                assert!(report.contains("20 runs"), "{file}: {report}");
            }
        }
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = scratch_dir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    import_tidy(&a, "mediated", &["--group", "proposal"]);
    import_tidy(&b, "mediated", &["--group", "proposal"]);
    assert_eq!(contents(&a), contents(&b));
    let table = format!("{FIXTURES}/table.csv");
    let once = treaty_ok(&["import", "table", &table, "--template", "expected-utility"]);
    let twice = treaty_ok(&["import", "table", &table, "--template", "expected-utility"]);
    assert_eq!(once, twice);
}

#[test]
fn existing_files_are_overwritten_only_with_force() {
    let dir = scratch_dir();
    let out = dir.path().join("out");
    import_tidy(&out, "mediated", &[]);
    let before = contents(&out);
    let out_arg = out.display().to_string();
    let args = [
        "import",
        "tidy",
        TIDY,
        "--template",
        "alternating-offers",
        "--out",
        &out_arg,
    ];
    let stderr = treaty_fails(2, &args);
    assert!(stderr.contains("the file exists; give --force"), "{stderr}");
    assert_eq!(contents(&out), before, "nothing written when refused");
    let mut forced = args.to_vec();
    forced.push("--force");
    treaty_ok(&forced);
    assert_ne!(contents(&out), before);

    let file = dir.path().join("t.ron").display().to_string();
    let table = format!("{FIXTURES}/table.csv");
    let args = [
        "import",
        "table",
        &table,
        "--template",
        "mediated",
        "--out",
        &file,
    ];
    assert!(treaty_ok(&args).is_empty(), "nothing on stdout with --out");
    let stderr = treaty_fails(2, &args);
    assert!(stderr.contains("give --force"), "{stderr}");
    let mut forced = args.to_vec();
    forced.push("--force");
    treaty_ok(&forced);
}

#[test]
fn bad_tidy_folders_are_refused_at_file_line_and_column() {
    let cases: [(&str, &str); 12] = [
        ("missing-file", "actors.csv: no such file"),
        (
            "missing-column",
            "cases.csv:1:1: the header lacks a column `status_quo`",
        ),
        (
            "not-a-number",
            "stances.csv:15:4: column 4 (salience): `high` is not a number",
        ),
        (
            "out-of-range",
            "stances.csv:10:3: column 3 (position): `100` is outside [0, 1]",
        ),
        (
            "negative-salience",
            "stances.csv:8:4: column 4 (salience): a negative salience (`-0.8`)",
        ),
        (
            "negative-capability",
            "actors.csv:6:3: column 3 (capability): a negative capability (`-0.2`)",
        ),
        (
            "unknown-actor",
            "stances.csv:15:2: column 2 (actor): unknown actor `ATLANTIS`",
        ),
        (
            "unknown-case",
            "stances.csv:15:1: column 1 (case): unknown case `r3i1`",
        ),
        (
            "duplicate-stance",
            "stances.csv:15:2: column 2 (actor): a second stance of `SOUTH` on case `r1i1` \
             (first on line 4)",
        ),
        (
            "one-actor",
            "cases.csv:6:1: case `r3i1` has only one actor (NORTH) with a positive salience",
        ),
        (
            "duplicate-case",
            "cases.csv:6:1: column 1 (case): case `r1i2` again (first on line 3)",
        ),
        (
            "actor-id",
            "actors.csv:7:1: column 1 (actor): `Free City` is not a valid actor id",
        ),
    ];
    let dir = scratch_dir();
    let out = dir.path().join("out");
    let out_arg = out.display().to_string();
    for (name, expected) in cases {
        let folder = format!("{FIXTURES}/tidy-bad-{name}");
        let stderr = treaty_fails(
            2,
            &[
                "import",
                "tidy",
                &folder,
                "--template",
                "mediated",
                "--out",
                &out_arg,
            ],
        );
        let want = format!("error: {folder}/{expected}");
        assert!(
            stderr.starts_with(&want),
            "{name}: {stderr}\nwanted: {want}"
        );
        assert!(!out.exists(), "{name}: nothing written");
    }
}

#[test]
fn actor_tables_in_both_column_styles_validate() {
    let dir = scratch_dir();
    for (file, sq) in [
        ("table.csv", "quota=0.4"),
        ("table-spaced.csv", "Quota=0.4"),
    ] {
        let table = format!("{FIXTURES}/{file}");
        let out = dir.path().join(file.replace(".csv", ".ron"));
        let out_arg = out.display().to_string();
        treaty_ok(&[
            "import",
            "table",
            &table,
            "--template",
            "mediated",
            "--status-quo",
            sq,
            "--out",
            &out_arg,
        ]);
        let report = String::from_utf8(treaty_ok(&["validate", &out_arg])).expect("UTF-8");
        assert!(
            report.contains("(5 actors, 2 issues, Mediated)"),
            "{report}"
        );
        let text = std::fs::read_to_string(&out).expect("the scenario");
        assert!(text.contains("status_quo: 0.4)"), "{text}");
        assert!(text.contains("no status quo given; 0.5"), "{text}");
        treaty_ok(&["run", &out_arg, "--runs", "20"]);
    }
}

#[test]
fn a_table_on_0_100_needs_scale_100() {
    let table = format!("{FIXTURES}/table-100.csv");
    let stdout = treaty_ok(&[
        "import",
        "table",
        &table,
        "--template",
        "alternating-offers",
        "--scale",
        "100",
        "--status-quo",
        "climate=50",
        "--name",
        "climate",
    ]);
    let text = String::from_utf8(stdout).expect("UTF-8");
    assert!(text.contains("status_quo: 0.5)"), "{text}");
    assert!(
        text.contains("\"climate\": (position: 0.1, salience: 1)"),
        "{text}"
    );
    assert!(
        text.contains("divided by its largest salience, 90"),
        "{text}"
    );
    let stderr = treaty_fails(
        2,
        &[
            "import",
            "table",
            &table,
            "--template",
            "alternating-offers",
        ],
    );
    assert!(
        stderr.starts_with(&format!(
            "error: {table}:2:3: column 3 (position): `10` is outside [0, 1]"
        )),
        "{stderr}"
    );
    let bad = format!("{FIXTURES}/table-bad-range.csv");
    let stderr = treaty_fails(2, &["import", "table", &bad, "--template", "mediated"]);
    assert!(
        stderr.starts_with(&format!("error: {bad}:3:3: ")),
        "{stderr}"
    );
    let stderr = treaty_fails(
        2,
        &[
            "import",
            "table",
            &table,
            "--template",
            "mediated",
            "--scale",
            "100",
            "--status-quo",
            "nope=1",
        ],
    );
    assert!(stderr.contains("status_quo[0]"), "{stderr}");
}

#[test]
fn templates_are_listed_shown_and_usable_from_a_file() {
    let list = String::from_utf8(treaty_ok(&["import", "--list-templates"])).expect("UTF-8");
    assert_eq!(list, "alternating-offers\nmediated\nexpected-utility\n");
    for name in TEMPLATES {
        let shown = treaty_ok(&["import", "--show-template", name]);
        let file = std::fs::read(format!("templates/{name}.ron")).expect("the template file");
        assert_eq!(shown, file);
    }
    let stderr = treaty_fails(2, &["import", "--show-template", "nope"]);
    assert!(stderr.contains("no bundled template `nope`"), "{stderr}");

    let dir = scratch_dir();
    let template = dir.path().join("mine.ron");
    let text = String::from_utf8(treaty_ok(&["import", "--show-template", "mediated"]))
        .expect("UTF-8")
        .replace("max_rounds: 20", "max_rounds: 7");
    std::fs::write(&template, text).expect("writes");
    let template_arg = template.display().to_string();
    let out = dir.path().join("out");
    import_tidy(&out, &template_arg, &[]);
    let scenario = std::fs::read_to_string(out.join("r1i1.ron")).expect("a scenario");
    assert!(scenario.contains("max_rounds: 7"), "{scenario}");

    let stderr = treaty_fails(
        2,
        &[
            "import",
            "tidy",
            TIDY,
            "--template",
            "no-such-template",
            "--out",
            "x",
        ],
    );
    assert!(
        stderr.contains("no bundled template of that name"),
        "{stderr}"
    );
}

#[test]
fn import_without_a_form_is_refused() {
    let (code, _, stderr) = treaty_text(&["import"]);
    assert_eq!(code, 2, "{stderr}");
    let help = String::from_utf8(treaty_ok(&["import", "tidy", "--help"])).expect("UTF-8");
    assert!(help.contains("Examples:"), "{help}");
}

const GENIUS: &str = "tests/fixtures/import/genius";
const GENIUSWEB: &str = "tests/fixtures/import/geniusweb";

#[test]
fn genius_and_geniusweb_domains_import_and_run() {
    let dir = scratch_dir();
    for template in TEMPLATES {
        let out = dir.path().join(format!("deal-{template}.ron"));
        let out_arg = out.display().to_string();
        let (code, _, stderr) = treaty_text(&[
            "import",
            "genius",
            &format!("{GENIUS}/deal-domain.xml"),
            &format!("{GENIUS}/deal-buyer.xml"),
            &format!("{GENIUS}/deal-seller.xml"),
            "--template",
            template,
            "--out",
            &out_arg,
        ]);
        assert_eq!(code, 0, "{stderr}");
        // An exact mapping warns only of a discount the protocol cannot carry.
        assert_eq!(
            stderr.contains("warning"),
            template != "alternating-offers",
            "{template}: {stderr}"
        );
        treaty_ok(&["run", &out_arg, "--runs", "20"]);
    }
    let out = dir.path().join("site.ron").display().to_string();
    let (code, _, stderr) = treaty_text(&[
        "import",
        "genius",
        &format!("{GENIUS}/site-domain.xml"),
        &format!("{GENIUS}/site-north.xml"),
        &format!("{GENIUS}/site-south.xml"),
        &format!("{GENIUS}/site-east.xml"),
        "--out",
        &out,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("treaty: warning: tests/fixtures/import/genius/site-north.xml: the scenario's utility differs"),
        "{stderr}"
    );
    treaty_ok(&["run", &out, "--runs", "20"]);
    let out = dir.path().join("trio.ron").display().to_string();
    let (code, _, stderr) = treaty_text(&[
        "import",
        "geniusweb",
        &format!("{GENIUSWEB}/trio-north.json"),
        &format!("{GENIUSWEB}/trio-south.json"),
        &format!("{GENIUSWEB}/trio-west.json"),
        "--out",
        &out,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    treaty_ok(&["run", &out, "--runs", "20"]);
    // Not overwritten without --force.
    let stderr = treaty_fails(
        2,
        &[
            "import",
            "geniusweb",
            &format!("{GENIUSWEB}/trio-north.json"),
            &format!("{GENIUSWEB}/trio-south.json"),
            "--out",
            &out,
        ],
    );
    assert!(stderr.contains("--force"), "{stderr}");
}

#[test]
fn bad_domain_files_are_refused_at_file_line_and_column() {
    let domain = format!("{GENIUS}/deal-domain.xml");
    let buyer = format!("{GENIUS}/deal-buyer.xml");
    for (bad, at) in [
        (
            "bad-nonlinear.xml",
            "bad-nonlinear.xml:1:22: a `nonlinear` utility space",
        ),
        (
            "bad-other-domain.xml",
            "bad-other-domain.xml:3:78: issue index 1 is `Color`",
        ),
        (
            "bad-malformed.xml",
            "bad-malformed.xml:7:5: not well-formed XML",
        ),
    ] {
        let stderr = treaty_fails(
            2,
            &[
                "import",
                "genius",
                &domain,
                &buyer,
                &format!("{GENIUS}/{bad}"),
            ],
        );
        assert!(stderr.contains(at), "{bad}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let host = format!("{GENIUSWEB}/party-host.json");
    for (bad, at) in [
        (
            "bad-sum-of-groups.json",
            "bad-sum-of-groups.json:1:2: a `SumOfGroupsUtilitySpace`",
        ),
        (
            "bad-malformed.json",
            "bad-malformed.json:17:34: expected `,` or `}`",
        ),
    ] {
        let stderr = treaty_fails(
            2,
            &["import", "geniusweb", &host, &format!("{GENIUSWEB}/{bad}")],
        );
        assert!(stderr.contains(at), "{bad}: {stderr}");
    }
    // One profile is not a negotiation; a profile given as the domain is named.
    let stderr = treaty_fails(2, &["import", "genius", &domain, &buyer]);
    assert!(stderr.contains("at least two"), "{stderr}");
    let stderr = treaty_fails(2, &["import", "genius", &buyer, &buyer, &buyer]);
    assert!(stderr.contains("deal-buyer.xml:"), "{stderr}");
}

#[test]
fn a_quadratic_template_is_kept_and_noted_on_linear_profiles() {
    let dir = scratch_dir();
    let template = dir.path().join("quadratic.ron");
    let text = String::from_utf8(treaty_ok(&["import", "--show-template", "mediated"]))
        .expect("UTF-8")
        .replace(
            "disagreement: Reservation,",
            "disagreement: Reservation,\n    loss: Quadratic,",
        );
    assert!(text.contains("loss: Quadratic"), "{text}");
    std::fs::write(&template, text).expect("writes");
    let template_arg = template.display().to_string();
    let out = dir.path().join("deal.ron").display().to_string();
    let (code, _, stderr) = treaty_text(&[
        "import",
        "genius",
        &format!("{GENIUS}/deal-domain.xml"),
        &format!("{GENIUS}/deal-buyer.xml"),
        &format!("{GENIUS}/deal-seller.xml"),
        "--template",
        &template_arg,
        "--out",
        &out,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("has `loss: Quadratic`"), "{stderr}");
    let scenario = std::fs::read_to_string(&out).expect("a scenario");
    assert!(scenario.contains("\n    loss: Quadratic,\n"), "{scenario}");
    treaty_ok(&["run", &out, "--runs", "20"]);
    // The bundled (linear) templates write no `loss` line at all.
    let linear = dir.path().join("linear.ron").display().to_string();
    treaty_ok(&[
        "import",
        "genius",
        &format!("{GENIUS}/deal-domain.xml"),
        &format!("{GENIUS}/deal-buyer.xml"),
        &format!("{GENIUS}/deal-seller.xml"),
        "--out",
        &linear,
    ]);
    let scenario = std::fs::read_to_string(&linear).expect("a scenario");
    assert!(!scenario.contains("loss:"), "{scenario}");
}
