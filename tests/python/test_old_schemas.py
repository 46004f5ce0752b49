"""Rows of schemas 6 to 8 had lost_updates, redelivered and lost_s as columns of their own; schema 9
carries them in the measurements. The Python reader moves them there as the C++ reader does, so
that compare and plot read every version by the measurement's name."""

import os
import sys

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "analysis"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import parbench_csv  # noqa: E402
import plots  # noqa: E402
from parbench_rows import complete  # noqa: E402


def count_rows(version: int, **columns) -> pd.DataFrame:
    """Two count rows of one schema version: shm (no lock) losing 7 adds, atomic losing none."""
    rows = [{"schema_version": version, "run_id": "r", "host": "vm", "kernel": "count",
             "backend": "processes", "ipc": ipc, "workers": 2, "size": 2000,
             "params": "increments=1000;batch=1;think_ns=0;lock_scope=each", "rep": 1,
             "result": 2000 - lost, "valid": "true", "parbench_version": "t",
             **{name: values[i] for name, values in columns.items()}}
            for i, (ipc, lost) in enumerate((("shm", 7), ("atomic", 0)))]
    return complete(pd.DataFrame(rows))


def test_version_8_columns_are_read_into_the_measurements(tmp_path):
    path = tmp_path / "v8.csv"
    count_rows(8, measurements=["unparsable_reads=2", ""], lost_updates=["7", "0"],
               redelivered=["", "3"], lost_s=["", "0.25"]).to_csv(path, index=False)
    rows, problems = parbench_csv.read(str(path))
    assert problems == []
    # After what the row measured itself, in the order of the old columns; no column left behind.
    assert [r["measurements"] for r in rows] == [
        "unparsable_reads=2;lost_updates=7", "lost_updates=0;redelivered=3;lost_s=0.25"]
    assert not {"lost_updates", "redelivered", "lost_s"} & set(rows[0])


def test_compare_and_plot_read_lost_updates_of_every_version_by_name(tmp_path):
    old, new = tmp_path / "v6.csv", tmp_path / "v9.csv"
    count_rows(6, lost_updates=["7", "0"]).to_csv(old, index=False)
    count_rows(9, measurements=["lost_updates=7", "lost_updates=0"]).to_csv(new, index=False)
    rows = compare.load([str(old), str(new)])
    assert list(compare.measurement(rows, "lost_updates")) == [7, 0, 7, 0]
    fig, _ = plots.count(rows)
    assert len(fig.axes) == 1


def test_a_version_8_value_is_checked_as_its_column_was(tmp_path):
    path = tmp_path / "bad.csv"
    count_rows(8, lost_updates=["-1", "0"], redelivered=["", ""],
               lost_s=["", ""]).to_csv(path, index=False)
    rows, problems = parbench_csv.read(str(path))
    assert len(rows) == 1
    assert problems == [f"{path}:2: column lost_updates: '-1' is not a whole number from 0 to "
                        f"2^64-1"]
