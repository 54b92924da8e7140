//! `treaty merge` on parts that must not be merged, beyond `merge.rs`: parts of another
//! scenario (another file altogether, or the same name with other numbers), another block size,
//! and part files damaged in every field a hand edit or a broken transfer can reach (counts that
//! do not add up, negative, fractional or overflowing numbers, impossible shards, histogram bins
//! out of range, an outline that does not fit the tally, JSON nested too deep, a device), sizes
//! beyond the model's limits, parts of earlier versions, and digits changed at random (the
//! checksum). Each is refused with exit code 2 and a message naming the file; none makes the
//! program panic.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::common::treaty_with_timeout;

const PIE: &str = "tests/fixtures/good/pie-split.ron";
const BORDER: &str = "tests/fixtures/good/border-talks.ron";

/// Writes part `shard` of 2,000 runs of `scenario` to `dir/name`.
fn part(dir: &Path, name: &str, scenario: &str, shard: &str) -> PathBuf {
    let path = dir.join(name);
    let out = treaty_with_timeout(&[
        "run",
        scenario,
        "--runs",
        "2000",
        "--shard",
        shard,
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// The part `text`, edited, with its checksum made anew over what precedes it (as `treaty run`
/// computes it), so that the edit reaches the checks behind the checksum.
pub fn reseal(text: &str) -> String {
    let at = text
        .rfind(",\"checksum\":\"sha256:")
        .expect("a part ends with its checksum");
    let body = format!("{}}}", &text[..at]);
    let hex: String = Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{},\"checksum\":\"sha256:{hex}\"}}\n", &text[..at])
}

/// Merges `parts`, expects exit code 2 without a panic, returns stderr.
fn refused(parts: &[&Path]) -> String {
    let args: Vec<&str> = std::iter::once("merge")
        .chain(parts.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let out = treaty_with_timeout(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

#[test]
fn parts_of_another_scenario_are_refused_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pie = part(d, "pie-1.json", PIE, "1/2");
    let border = part(d, "border-2.json", BORDER, "2/2");
    let err = refused(&[&pie, &border]);
    assert!(
        err.contains("border-2.json: the scenario is Border talks, but ")
            && err.contains("pie-1.json has Pie split")
            && err.contains("the parts are of different batches"),
        "{err}"
    );

    // The same scenario name with another number: only the content hash tells them apart.
    let text = std::fs::read_to_string(PIE).unwrap();
    let edited = d.join("pie-edited.ron");
    std::fs::write(&edited, text.replacen("0.95", "0.94", 1)).unwrap();
    let other = part(d, "edited-2.json", edited.to_str().unwrap(), "2/2");
    let err = refused(&[&pie, &other]);
    assert!(
        err.contains("edited-2.json: the scenario hash is sha256:")
            && err.contains("pie-1.json has sha256:"),
        "{err}"
    );
}

#[test]
fn another_block_size_is_refused_saying_so() {
    // Part 2/2 of the same 2,000 runs cut into blocks of 500 holds blocks 2..4: a consistent
    // part of another batch layout, as another build of treaty could write it.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = part(d, "part-1.json", PIE, "1/2");
    let second = part(d, "part-2.json", PIE, "2/2");
    let text = std::fs::read_to_string(&second).unwrap();
    let edited = text
        .replacen("\"block_size\":1000", "\"block_size\":500", 1)
        .replacen("\"blocks\":[1,2]", "\"blocks\":[2,4]", 1);
    assert_ne!(edited, text);
    let other = d.join("blocks-500.json");
    std::fs::write(&other, reseal(&edited)).unwrap();
    let err = refused(&[&first, &other]);
    assert!(
        err.contains("blocks-500.json: the block size is 500, but ")
            && err.contains("part-1.json has 1000"),
        "{err}"
    );
}

#[test]
fn damaged_fields_of_a_part_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = part(d, "part-1.json", PIE, "1/2");
    let second = part(d, "part-2.json", PIE, "2/2");
    let text = std::fs::read_to_string(&second).unwrap();
    // (file name, text to find, replacement)
    let edits: &[(&str, &str, &str)] = &[
        (
            "counts-disagree",
            "\"outcomes\":[1000,0,0]",
            "\"outcomes\":[1000,0,1]",
        ),
        (
            "negative-count",
            "\"outcomes\":[1000,0,0]",
            "\"outcomes\":[-1000,0,0]",
        ),
        (
            "overflowing-count",
            "\"outcomes\":[1000,0,0]",
            "\"outcomes\":[18446744073709551615,18446744073709551615,0]",
        ),
        ("fractional-runs", "\"runs\":1000,", "\"runs\":1000.5,"),
        ("runs-1e30", "\"runs\":2000,", "\"runs\":1e30,"),
        ("zero-runs", "\"runs\":2000,", "\"runs\":0,"),
        ("shard-zero", "\"index\":2", "\"index\":0"),
        ("shard-beyond", "\"index\":2", "\"index\":3"),
        ("no-shards", "\"count\":2}", "\"count\":0}"),
        ("blocks-backwards", "\"blocks\":[1,2]", "\"blocks\":[2,1]"),
        ("zero-block-size", "\"block_size\":1000", "\"block_size\":0"),
        (
            "huge-histogram",
            "\"bins\":51",
            "\"bins\":18446744073709551615",
        ),
        (
            "bin-out-of-range",
            "\"counts\":[[1,1000]]",
            "\"counts\":[[51,1000]]",
        ),
        (
            "bin-count-too-big",
            "\"counts\":[[1,1000]]",
            "\"counts\":[[1,1001]]",
        ),
        ("sum-not-a-number", "\"sum\":\"", "\"sum\":\"NaN"),
        ("sum-a-number", "\"sum\":\"", "\"sum\":12,\"x\":\""),
        ("nan-literal", "\"capability\":1.0", "\"capability\":NaN"),
        (
            "unknown-actor-field",
            ",{\"id\":\"B\"",
            ",{\"ignored\":\"B\"",
        ),
        ("other-max-rounds", "\"max_rounds\":50", "\"max_rounds\":20"),
        ("unknown-field", "\"shard\":{", "\"extra\":1,\"shard\":{"),
        ("schema-5", "\"treaty-part/4\"", "\"treaty-part/5\""),
        // A part of the first version, before the tally kept wars.
        ("schema-1", "\"treaty-part/4\"", "\"treaty-part/1\""),
        // War counts that contradict the rest (the pie has no war).
        ("wars-without-runs", "\"wars\":0", "\"wars\":1"),
        ("war-runs-without-wars", "\"war_runs\":0", "\"war_runs\":1"),
        (
            "initiated-runs",
            "\"initiated_runs\":0",
            "\"initiated_runs\":1",
        ),
        (
            "settlement-with-war",
            "\"with_war\":{\"n\":0",
            "\"with_war\":{\"n\":1",
        ),
    ];
    for (name, from, to) in edits {
        assert!(text.contains(from), "{name}: {from} not in the part");
        let path = d.join(format!("{name}.json"));
        std::fs::write(&path, reseal(&text.replacen(from, to, 1))).unwrap();
        let err = refused(&[&first, &path]);
        assert!(!err.contains("checksum mismatch"), "{name}: {err}");
        assert!(
            err.contains(&format!("{name}.json")),
            "{name}: the message does not name the file: {err}"
        );
    }

    // JSON nested far too deep, and bytes that are not text at all.
    let deep = d.join("deep.json");
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(
        &deep,
        text.replacen("\"overrides\":[]", &format!("\"overrides\":{nested}"), 1),
    )
    .unwrap();
    let err = refused(&[&first, &deep]);
    assert!(
        err.contains("deep.json: not a valid part file: not JSON"),
        "{err}"
    );
    let binary = d.join("binary.json");
    let mut bytes = text.clone().into_bytes();
    bytes[text.len() / 2] = 0xff;
    std::fs::write(&binary, bytes).unwrap();
    let err = refused(&[&first, &binary]);
    assert!(
        err.contains("binary.json: not a valid part file: not JSON"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_device_given_as_a_part_is_read_no_further_than_the_limit() {
    // /dev/zero never ends: reading stops after 256 MiB.
    let err = refused(&[Path::new("/dev/zero")]);
    assert_eq!(
        err,
        "error: /dev/zero: more than 268435456 bytes (256 MiB); part files are much smaller, \
         is this a part written by `treaty run --shard`?\n"
    );
}

/// A small deterministic generator (SplitMix64) for the places of the digits changed.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn no_digit_changed_at_random_merges_into_another_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = part(d, "part-1.json", BORDER, "1/2");
    let second = part(d, "part-2.json", BORDER, "2/2");
    let merged = treaty_with_timeout(&[
        "merge",
        first.to_str().unwrap(),
        second.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(merged.status.success());
    let bytes = std::fs::read(&second).unwrap();
    let digits: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i].is_ascii_digit())
        .collect();
    let flipped = d.join("flipped.json");
    let mut state = 2024;
    let mut by_checksum = 0;
    for _ in 0..400 {
        let at = digits[(splitmix(&mut state) % digits.len() as u64) as usize];
        let mut edited = bytes.clone();
        let shift = 1 + (splitmix(&mut state) % 9) as u8;
        edited[at] = b'0' + (edited[at] - b'0' + shift) % 10;
        std::fs::write(&flipped, &edited).unwrap();
        let out = treaty_with_timeout(&[
            "merge",
            first.to_str().unwrap(),
            flipped.to_str().unwrap(),
            "--format",
            "json",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let context =
            String::from_utf8_lossy(&edited[at.saturating_sub(40)..(at + 40).min(edited.len())]);
        match out.status.code() {
            Some(0) => assert_eq!(out.stdout, merged.stdout, "merged silently: …{context}…"),
            Some(2) => {
                assert!(stderr.contains("flipped.json"), "{stderr}");
                assert!(!stderr.contains("panicked"), "{stderr}");
                by_checksum += usize::from(stderr.contains("checksum mismatch"));
            }
            code => panic!("exit {code:?} for …{context}…: {stderr}"),
        }
    }
    // Many digits are numbers only the checksum tells are changed (the others make sums too
    // large for their count, bins out of order or numbers that are not JSON, and are caught
    // before it).
    assert!(
        by_checksum >= 100,
        "{by_checksum} of 400 refused by the checksum"
    );
}

#[test]
fn sizes_beyond_the_model_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = part(d, "part1.json", PIE, "1/2");
    let text = std::fs::read_to_string(&first).unwrap();
    // (text to find, replacement, the message after `error: part1.json: `)
    let edits: &[(&str, &str, &str)] = &[
        (
            "\"max_rounds\":50",
            "\"max_rounds\":4294967295",
            "max_rounds: found 4294967295; allowed: at most 1000000",
        ),
        (
            "\"max_rounds\":50",
            "\"max_rounds\":0",
            "max_rounds: found 0; allowed: at most 1000000",
        ),
        (
            "\"agreement_rounds\":{\"bins\":51",
            "\"agreement_rounds\":{\"bins\":16777216",
            "tally.agreement_rounds.bins: found 16777216; allowed: 51 (max_rounds + 1)",
        ),
        (
            "\"histogram\":{\"bins\":1001",
            "\"histogram\":{\"bins\":100001",
            "tally.issues[0].histogram.bins: found 100001; allowed: 1001 (one per 0.001 of [0, 1])",
        ),
        (
            "\"issues\":[{\"settlement\"",
            "\"issues\":[],\"x\":[{\"settlement\"",
            "tally.issues: found 0 issues; allowed: 2, one per issue of the outline",
        ),
    ];
    for (from, to, message) in edits {
        assert!(text.contains(from), "{from} not in the part");
        // Sealed again: the sizes are checked whatever the checksum says.
        let path = d.join("part1.json");
        std::fs::write(&path, reseal(&text.replacen(from, to, 1))).unwrap();
        let err = refused(&[&path]);
        assert_eq!(
            err,
            format!("error: {}: {message}\n", path.display()),
            "{from}"
        );
    }
}

#[test]
fn parts_of_earlier_versions_are_refused_naming_the_versions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = part(d, "part-1.json", PIE, "1/2");
    let second = part(d, "part-2.json", PIE, "2/2");
    let text = std::fs::read_to_string(&second).unwrap();
    // A part of version 2 has no checksum.
    let at = text.rfind(",\"checksum\"").unwrap();
    let old = format!("{}}}\n", &text[..at]).replacen("treaty-part/4", "treaty-part/2", 1);
    let path = d.join("old.json");
    std::fs::write(&path, old).unwrap();
    let err = refused(&[&first, &path]);
    assert_eq!(
        err,
        format!(
            "error: {}: the part is of schema treaty-part/2, but this treaty reads \
             treaty-part/4 only (version 3 added a checksum, version 4 the judgements of the \
             settlements); write the part again with this version of treaty\n",
            path.display()
        )
    );
    // A part of version 3 has no judgements.
    let v3 = reseal(&text.replacen("treaty-part/4", "treaty-part/3", 1));
    let path = d.join("v3.json");
    std::fs::write(&path, v3).unwrap();
    let err = refused(&[&first, &path]);
    assert_eq!(
        err,
        format!(
            "error: {}: the part is of schema treaty-part/3, but this treaty reads \
             treaty-part/4 only (version 4 added the judgements of the settlements); write the \
             part again with this version of treaty\n",
            path.display()
        )
    );
}
