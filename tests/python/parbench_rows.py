"""Rows for the tests, complete as parbench writes them: the columns a test does not care about are
filled with what parbench writes when there is nothing to say."""

import os
import sys

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "analysis"))
import parbench_csv  # noqa: E402

DEFAULTS = {"chunk": 0, "workers": 1, "threads_per_rank": 1, "nodes": 1, "size": 1, "rep": 1,
            "round": 0, "setup_s": 0.0, "wall_s": 1.0, "cpu_s": 0.0, "result": 0, "value": 0.0,
            "valid": "true"}


def complete(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every column its rows' schema version has, the missing ones at their default."""
    version = int(frame["schema_version"].max())
    frame = frame.copy()
    required = [(name, since, parbench_csv.NEWEST_SCHEMA + 1)
                for name, (_, since) in parbench_csv.COLUMNS.items()]
    required += [(name, since, until) for name, (kind, _, since, until)
                 in parbench_csv.LEGACY.items() if kind == "measurement"]
    for name, since, until in required:
        if since <= version < until and name not in frame.columns:
            frame[name] = DEFAULTS.get(name, "")
    return frame
