"""The readers' rule on broken CSVs (hostile_csvs.py): a line that cannot be a row parbench wrote is
said on stderr, FILE:LINE: why, and left out; the rest is used with the exit status of good input;
no usable row is one more line and exit 2. And files of several schema versions concatenated whole
read as blocks, each under its own header."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "analysis"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import hostile_csvs  # noqa: E402
import parbench_csv  # noqa: E402
from parbench_rows import complete  # noqa: E402

REFERENCE = os.path.join(ROOT, "results", "reference")


def good_csv() -> str:
    """Schema 8: pi on serial at 1 worker and on threads at 1 and 2, five repetitions each."""
    rng = np.random.default_rng(1)
    rows = [{"schema_version": 8, "run_id": "r", "host": "vm", "kernel": "pi", "backend": backend,
             "ipc": "none", "schedule": "static", "workers": workers, "size": 10**8,
             "params": "seed=1", "rep": rep, "wall_s": 2.0 / workers * (1 + 0.01 * rng.random()),
             "valid": "true", "worker_busy_s": ";".join(["1.5"] * workers),
             "parbench_version": "t"}
            for backend, workers in (("serial", 1), ("threads", 1), ("threads", 2))
            for rep in range(1, 6)]
    return complete(pd.DataFrame(rows)).to_csv(index=False)


CASES = hostile_csvs.cases(good_csv())


def write(tmp_path, name):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(CASES[name][0])
    return str(path)


def expected(path, name):
    return [f"{path}:{line}: {why}" for line, why in CASES[name][2]]


def script(name, *args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "scripts", name), *args],
                          capture_output=True, text=True)


@pytest.mark.parametrize("name", CASES)
def test_the_reader_leaves_out_what_parbench_cannot_have_written(tmp_path, name):
    path = write(tmp_path, name)
    rows, problems = parbench_csv.read(path)
    assert problems == expected(path, name)
    assert len(rows) == CASES[name][1]


@pytest.mark.parametrize("name", CASES)
def test_compare_says_each_line_left_out_and_goes_on(tmp_path, name):
    good, path = write(tmp_path, "good"), write(tmp_path, name)
    done = script("compare", good, "--against", path)
    said = done.stderr.splitlines()
    if CASES[name][1]:
        assert done.returncode == 0 and said == expected(path, name), done.stderr
        assert "-200" not in done.stdout and "nan" not in done.stdout.split("# verdicts")[0]
    else:
        assert done.returncode == 2 and said[:-1] == expected(path, name), done.stderr
        assert said[-1].startswith(f"compare: error: no usable rows in {path}")


@pytest.mark.parametrize("name", CASES)
def test_plot_says_each_line_left_out_and_draws_the_rest(tmp_path, name):
    path = write(tmp_path, name)
    done = script("plot", path, "--out", str(tmp_path / "figures"))
    said = [line for line in done.stderr.splitlines() if not line.startswith("plot: skipped")]
    if CASES[name][1]:
        assert done.returncode == 0 and said == expected(path, name), done.stderr
        assert "speedup.png" in done.stdout
    else:
        assert done.returncode == 2 and said[:-1] == expected(path, name), done.stderr
        assert said[-1].startswith("plot: error: no usable rows")


def test_files_of_two_schema_versions_concatenated_whole_read_as_two_blocks(tmp_path):
    parts = ["vm-epyc-2vcpu-pi-1e10.csv", "vm-epyc-2vcpu-two-slurm-nodes.csv",
             "vm-epyc-2vcpu-fill.csv"]  # schema 2, 5 and 7
    merged = tmp_path / "merged.csv"
    merged.write_bytes(b"".join(open(os.path.join(REFERENCE, p), "rb").read() for p in parts))
    problems = []
    rows = compare.load([str(merged)], problems)
    assert problems == []
    assert len(rows) == sum(len(compare.load([os.path.join(REFERENCE, p)])) for p in parts)
    assert sorted(rows["schema_version"].unique()) == [2, 5, 7]
    assert set(rows[rows["schema_version"] == 2]["threads_per_rank"]) == {1}
    done = script("compare", str(merged), "--by", "schema_version")
    assert done.returncode in (0, 2) and "Traceback" not in done.stderr, done.stderr


def test_a_block_whose_header_lacks_a_column_of_its_version_is_one_problem(tmp_path):
    good = CASES["good"][0].decode().split("\n")
    names = parbench_csv.split_line(good[0])
    drop = names.index("lost_updates")  # schema 6's
    cut = [",".join(f for i, f in enumerate(parbench_csv.split_line(line)) if i != drop)
           for line in good if line]
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(good[:3] + cut) + "\n")  # a good block of 2 rows, then the cut one
    rows, problems = parbench_csv.read(str(path))
    assert len(rows) == 2
    assert problems == [f"{path}:4: the header has no column lost_updates (its 15 rows left out)"]
