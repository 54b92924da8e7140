"""The Python package against the library's promises and the `treaty` program's bytes."""

from __future__ import annotations

import doctest
import io
import re
import subprocess
import sys

import pyarrow
import pytest

import treaty
import treaty._api

KARABAKH_OVERRIDE = {"actors.RUS.capability": 0.275}


# Scenarios


def test_load_by_name_and_by_path(root):
    by_name = treaty.load("mediated-water")
    by_path = treaty.load(root / "scenarios" / "mediated-water.ron")
    assert by_name.file == "mediated-water"
    assert by_path.file.endswith("mediated-water.ron")
    assert by_name.text == by_path.text
    assert by_name.name == by_path.name == "Mediated water sharing (fictional)"
    assert by_name.actors == ["UPL", "LOW", "MED"]
    assert by_name.issues == ["water", "dam", "commission"]
    assert "karabakh-2023" in treaty.bundled()
    assert treaty.load("karabakh-2023").validate() == []


def test_an_unknown_name_lists_the_bundled_scenarios():
    with pytest.raises(treaty.ScenarioError, match="no bundled scenario of that name") as e:
        treaty.load("no-such-scenario")
    assert "karabakh-2023" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_a_parse_error_carries_file_line_and_column(tmp_path):
    text = treaty.load("mediated-water").text.replace("issues:", "isues:", 1)
    bad = tmp_path / "bad.ron"
    bad.write_text(text)
    with pytest.raises(treaty.ScenarioError) as e:
        treaty.load(bad)
    message = str(e.value)
    m = re.match(rf"{re.escape(str(bad))}:(\d+):(\d+): ", message)
    assert m, message
    assert (e.value.line, e.value.column) == (int(m[1]), int(m[2]))
    assert e.value.file == str(bad)
    line = text.splitlines()[e.value.line - 1]
    assert "isues" in line
    assert "isues" in message


def test_the_parse_error_is_the_programs(tmp_path, cli):
    bad = tmp_path / "bad.ron"
    bad.write_text('(metadata: (name: "x"), issues: [], actors: [], protocol: Nope)')
    with pytest.raises(treaty.ScenarioError) as e:
        treaty.load(bad)
    printed = cli("validate", str(bad), status=2).decode()
    # Every problem the parser finds, each on its line, as the program prints them: the
    # metadata's missing field first (where it is), then the unknown protocol.
    lines = str(e.value).splitlines()
    assert lines == printed.splitlines()
    assert len(lines) == 2
    assert "missing field `description`" in lines[0]
    assert "unknown variant `Nope`" in lines[1]
    assert (e.value.line, e.value.column) == (1, 22)


def test_validate_lists_every_broken_rule_and_run_raises_them():
    scenario = treaty.load("karabakh-2023")
    bad = {"actors.RUS.capability": -1, "actors.TUR.capability": -2}
    problems = scenario.validate(bad)
    assert [p["path"] for p in problems] == ['actors["RUS"].capability', 'actors["TUR"].capability']
    assert problems[0]["found"] == "-1"
    assert problems[0]["message"].startswith("--set actors.RUS.capability=-1: found -1; allowed: ")
    with pytest.raises(treaty.ScenarioError, match=r"karabakh-2023: 2 problems") as e:
        treaty.run(scenario, runs=10, overrides=bad)
    assert e.value.problems == problems
    assert e.value.line is None


def test_an_override_of_nothing_is_located():
    with pytest.raises(treaty.ScenarioError, match="actors.XXX.capability") as e:
        treaty.load("karabakh-2023").validate({"actors.XXX.capability": 0.3})
    assert e.value.file == "karabakh-2023"
    with pytest.raises(TypeError):
        treaty.run("karabakh-2023", runs=10, overrides="actors.RUS.capability=0.3")


def test_bad_settings_are_value_errors():
    with pytest.raises(ValueError, match="runs must be at least 1"):
        treaty.run("mediated-water", runs=0)
    with pytest.raises(ValueError, match="threads must be at least 1"):
        treaty.run("mediated-water", runs=10, threads=0)
    with pytest.raises(TypeError):
        treaty.run("mediated-water", runs=10.5)
    with pytest.raises(ValueError, match="output"):
        treaty.runs("mediated-water", runs=10, output="polars")


# Batches


def test_run_json_is_the_programs_byte_for_byte(cli):
    summary = treaty.run("karabakh-2023", runs=3_000, seed=5, overrides=KARABAKH_OVERRIDE)
    expected = cli(
        "run", "karabakh-2023", "--runs", "3000", "--seed", "5",
        "--set", "actors.RUS.capability=0.275", "--format", "json",
    )
    assert summary.to_json().encode() == expected
    assert summary.to_dict()["provenance"]["overrides"] == ["actors.RUS.capability=0.275"]
    table = cli("run", "karabakh-2023", "--runs", "3000", "--seed", "5",
                "--set", "actors.RUS.capability=0.275")
    assert str(summary).encode() == table


def test_results_do_not_depend_on_threads():
    one = treaty.run("karabakh-2023", runs=2_500, seed=11, threads=1).to_json()
    two = treaty.run("karabakh-2023", runs=2_500, seed=11, threads=2).to_json()
    assert one == two
    other_seed = treaty.run("karabakh-2023", runs=2_500, seed=12, threads=2).to_json()
    assert other_seed != one


def test_to_pandas_gives_the_summarys_tables():
    frames = treaty.run("karabakh-2023", runs=1_000).to_pandas()
    assert sorted(frames) == ["actors", "issues", "options", "outcomes", "wars"]
    assert list(frames["outcomes"]["kind"]) == ["Agreement", "Deadlock", "Conflict"]
    assert frames["outcomes"]["count"].sum() == 1_000
    assert list(frames["issues"]["id"]) == treaty.load("karabakh-2023").issues
    assert list(frames["actors"]["id"]) == treaty.load("karabakh-2023").actors
    assert set(frames["options"]["issue"]) <= set(frames["issues"]["id"])
    assert len(frames["wars"]) == 1


def test_runs_have_the_programs_columns_and_values(cli, tmp_path):
    per_run = tmp_path / "runs.csv"
    cli("run", "karabakh-2023", "--runs", "1500", "--seed", "2", "--format", "json",
        "--per-run", str(per_run), "--set", "actors.RUS.capability=0.275")
    expected = per_run.read_bytes()
    header = expected.split(b"\n", 1)[0].decode().split(",")

    table = treaty.runs("karabakh-2023", runs=1_500, seed=2, output="arrow",
                        overrides=KARABAKH_OVERRIDE)
    assert isinstance(table, pyarrow.Table)
    assert table.column_names == header
    assert table.num_rows == 1_500
    assert table.equals(pyarrow.csv.read_csv(pyarrow.BufferReader(expected)))

    frame = treaty.runs("karabakh-2023", runs=1_500, seed=2, threads=1,
                        overrides=KARABAKH_OVERRIDE)
    assert list(frame.columns) == header
    assert list(frame["run"]) == list(range(1_500))
    assert frame.equals(table.to_pandas())


# Experiments


def test_compare_json_is_the_programs(cli):
    comparison = treaty.compare(
        "karabakh-2023", {"weak-russia": {"actors.RUS.capability": 0.25}},
        runs=1_000, seed=3,
    )
    expected = cli("compare", "karabakh-2023", "--variant",
                   "weak-russia: actors.RUS.capability=0.25",
                   "--runs", "1000", "--seed", "3", "--format", "json")
    assert comparison.to_json().encode() == expected
    assert [v["name"] for v in comparison.to_dict()["variants"]] == ["weak-russia"]


def test_compare_with_a_scenario_and_shared_overrides(cli, root):
    other = root / "scenarios" / "karabakh-2023.ron"
    comparison = treaty.compare(
        "karabakh-2023", {str(other): other, "slow": {"protocol.max_rounds": 30}},
        runs=1_000, overrides={"actors.TUR.capability": 0.4},
    )
    expected = cli("compare", "karabakh-2023", str(other), "--variant",
                   "slow: protocol.max_rounds=30", "--set", "actors.TUR.capability=0.4",
                   "--runs", "1000", "--format", "json")
    assert comparison.to_json().encode() == expected
    with pytest.raises(ValueError, match="nothing to compare"):
        treaty.compare("karabakh-2023", {}, runs=10)


def test_sweep_json_is_the_programs(cli):
    result = treaty.sweep("karabakh-2023", {"actors.RUS.capability": "0.1..0.5:3"},
                          runs=1_000, seed=1, overrides={"protocol.max_rounds": 30})
    expected = cli("sweep", "karabakh-2023", "--set", "actors.RUS.capability=0.1..0.5:3",
                   "--set", "protocol.max_rounds=30", "--runs", "1000", "--seed", "1",
                   "--format", "json")
    assert result.to_json().encode() == expected
    listed = treaty.sweep("karabakh-2023", {"actors.RUS.capability": [0.1, 0.3, 0.5]},
                          runs=1_000, seed=1, overrides={"protocol.max_rounds": 30})
    assert listed.to_dict()["points"] == result.to_dict()["points"]
    frame = listed.to_pandas()
    assert len(frame) > 0
    with pytest.raises(ValueError, match="sweep axis"):
        treaty.sweep("karabakh-2023", {"actors.RUS.capability": [0.1]}, runs=10)
    with pytest.raises(ValueError, match="sweep point 1 of 2"):
        treaty.sweep("karabakh-2023", {"actors.RUS.capability": [-1, 0.5]}, runs=10)


def test_trace_is_the_programs(cli):
    story = treaty.trace("karabakh-2023", seed=4, run=7, overrides=KARABAKH_OVERRIDE)
    expected = cli("trace", "karabakh-2023", "--seed", "4", "--run", "7",
                   "--set", "actors.RUS.capability=0.275", "--format", "json")
    assert story.to_json().encode() == expected
    text = cli("trace", "karabakh-2023", "--seed", "4", "--run", "7",
               "--set", "actors.RUS.capability=0.275")
    assert str(story).encode() == text
    assert len(story) == len(story.rounds) > 0
    assert story[0]["round"] == 1
    assert [r["round"] for r in story] == list(range(1, len(story) + 1))


def test_backtest_is_the_programs(cli, root):
    tidy = root / "tests" / "fixtures" / "backtest" / "tidy"
    result = treaty.backtest(tidy, runs=30, seed=0)
    expected = cli("backtest", str(tidy), "--runs", "30", "--format", "json")
    assert result.to_json().encode() == expected
    assert result.to_dict()["schema"] == "treaty-backtest/1"
    one = treaty.backtest(tidy, templates=[treaty.templates()[0]], runs=30)
    expected = cli("backtest", str(tidy), "--template", treaty.templates()[0],
                   "--runs", "30", "--format", "json")
    assert one.to_json().encode() == expected
    with pytest.raises(ValueError, match="not a folder"):
        treaty.backtest(tidy / "cases.csv")


# Documentation


def test_the_docstring_examples_hold():
    for module in (treaty, treaty._api):
        failed, tried = doctest.testmod(module, extraglobs={"treaty": treaty})
        assert tried > 0
        assert failed == 0


def test_the_quickstart_example_runs(root):
    done = subprocess.run(
        [sys.executable, str(root / "python" / "examples" / "quickstart.py")],
        capture_output=True, check=False, cwd=root,
    )
    assert done.returncode == 0, done.stderr.decode()
    out = io.StringIO(done.stdout.decode())
    assert "Nagorno-Karabakh 2023" in out.readline()


def test_sensitivity_is_the_programs(cli):
    overrides = {"protocol.discount.A": "Uniform(0.9, 0.99)",
                 "issues.share.status_quo": "Uniform(0.2, 0.8)"}
    ours = treaty.sensitivity("rubinstein-pie", runs=800, seed=3, overrides=overrides)
    theirs = cli("sensitivity", "rubinstein-pie", "--runs", "800", "--seed", "3", "--format",
                 "json", "--set", "protocol.discount.A=Uniform(0.9, 0.99)",
                 "--set", "issues.share.status_quo=Uniform(0.2, 0.8)")
    assert ours.to_json().encode() == theirs
    share = ours.to_dict()["outcomes"][2]
    assert share["name"] == "settlement share"
    assert share["effects"][0]["input"] == "protocol.discount.A"
    assert share["effects"][0]["srrc"] > 0.99
