"""The program's Parquet per-run records read back by pandas and pyarrow."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow
import pyarrow.csv
import pyarrow.parquet as pq

import treaty


def test_parquet_records_read_back_with_types_and_provenance(cli, tmp_path):
    parquet = tmp_path / "runs.parquet"
    csv = tmp_path / "runs.csv"
    for path in (parquet, csv):
        cli("run", "karabakh-2023", "--runs", "1200", "--seed", "5", "--format", "json",
            "--per-run", str(path))
    table = pq.read_table(parquet)
    assert table.num_rows == 1_200
    assert table.schema.field("run").type == pyarrow.int64()
    assert table.schema.field("outcome").type == pyarrow.string()
    assert table.schema.field("settlement.I1").type == pyarrow.float64()
    assert table.schema.field("first_war_round").nullable
    provenance = json.loads(pq.read_metadata(parquet).metadata[b"treaty.provenance"])
    assert provenance["seed"] == 5 and provenance["runs"] == 1_200

    # The same values as the CSV records, and as the package's own per-run records.
    frame = pd.read_parquet(parquet)
    from_csv = pd.read_csv(csv)
    assert list(frame.columns) == list(from_csv.columns)
    for column in ("run", "round", "wars"):
        assert (frame[column] == from_csv[column]).all()
    for column in ("settlement.I1", "utility.ARM"):
        assert (frame[column] == from_csv[column]).all()
    ours = treaty.runs("karabakh-2023", runs=1_200, seed=5)
    assert (ours["utility.AZE"].to_numpy() == frame["utility.AZE"].to_numpy()).all()
