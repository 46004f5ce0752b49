"""scripts/compare on synthetic CSVs: matching, the fingerprint diff, verdicts, exit codes, bad input.

Repetitions are drawn with a spread like this machine's (1% relative standard deviation: the
median absolute deviation of repeated pi runs here is 0.3-1.5%), from a fixed seed.
"""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "compare")
sys.path.insert(0, os.path.join(ROOT, "scripts", "analysis"))
import compare  # noqa: E402
from parbench_rows import complete  # noqa: E402

SPREAD = 0.01


def rows(host="vm", scale=1.0, reps=10, seed=1, backends=("serial", "threads"), valid=True,
         compiler="gcc 12", spread=SPREAD):
    """A parbench CSV's rows: pi on each backend (serial at 1 worker, the others at 2)."""
    rng = np.random.default_rng(seed)
    out = []
    for backend in backends:
        workers = 1 if backend == "serial" else 2
        median = 2.0 / workers
        for rep in range(1, reps + 1):
            out.append({"schema_version": 6, "host": host, "cpu_model": "AMD EPYC",
                        "logical_cpus": 2, "compiler": compiler, "kernel": "pi",
                        "backend": backend, "ipc": "none", "schedule": "static", "chunk": 0,
                        "workers": workers, "threads_per_rank": 1, "size": 10**9,
                        "params": "seed=1", "rep": rep,
                        "wall_s": median * scale * (1 + spread * rng.standard_normal()),
                        "valid": "true" if valid else "false"})
    return complete(pd.DataFrame(out))


def write(tmp_path, name, frame):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def verdicts(base, new):
    result = compare.compare(base, new, compare.Settings())
    return dict(zip(result["matched"]["backend"], result["matched"]["verdict"])), result


def test_the_same_distribution_is_never_faster_or_slower():
    for seed in range(2, 12):
        found, _ = verdicts(compare_frame(rows(seed=1)), compare_frame(rows(seed=seed)))
        assert set(found.values()) <= {"same", "uncertain"}, (seed, found)


def test_an_interval_within_the_threshold_is_the_same():
    found, result = verdicts(compare_frame(rows(seed=1, spread=0.001)),
                             compare_frame(rows(seed=2, spread=0.001, scale=1.005)))
    assert found == {"serial": "same", "threads": "same"}
    m = result["matched"]
    assert ((m["ratio_low"] >= 0.98) & (m["ratio_high"] <= 1.02)).all(), m


def test_five_percent_slower_and_faster_are_detected_with_ten_repetitions():
    found, result = verdicts(compare_frame(rows(seed=1)), compare_frame(rows(seed=2, scale=1.05)))
    assert found == {"serial": "slower", "threads": "slower"}
    m = result["matched"]
    assert ((m["ratio_low"] < 1.05) & (m["ratio_high"] > 1.05)).all(), m
    assert (m["ratio_low"] > 1.02).all(), m  # the whole interval beyond the threshold
    found, _ = verdicts(compare_frame(rows(seed=1)), compare_frame(rows(seed=2, scale=0.95)))
    assert found == {"serial": "faster", "threads": "faster"}


def test_an_interval_that_crosses_the_threshold_is_uncertain():
    # 2% slower with a 1% spread: the interval straddles the 2% threshold.
    found, result = verdicts(compare_frame(rows(seed=1)), compare_frame(rows(seed=2, scale=1.02)))
    m = result["matched"]
    assert ((m["ratio_low"] < 1.02) & (m["ratio_high"] > 1.02)).all(), m
    assert set(found.values()) == {"uncertain"}


@pytest.mark.parametrize("ratio,low,high,p,expected", [
    (1.05, 1.03, 1.07, 0.01, "slower"), (0.95, 0.93, 0.97, 0.01, "faster"),
    (1.03, 1.01, 1.05, 0.01, "uncertain"),  # crosses the threshold
    (1.05, 1.03, 1.07, 0.20, "uncertain"),  # the U test disagrees with the interval
    (1.00, 0.99, 1.01, 0.01, "same"),  # significant, but within the threshold
    (1.00, 0.97, 1.03, 0.50, "uncertain"),  # wider than the threshold on both sides
    (1.01, float("nan"), float("nan"), float("nan"), "same"),  # one repetition a side
    (1.10, float("nan"), float("nan"), float("nan"), "uncertain"),
])
def test_the_verdict_rule(ratio, low, high, p, expected):
    assert compare.verdict(ratio, low, high, p, compare.Settings()) == expected


def test_configurations_of_one_side_are_listed_and_invalid_rows_left_out():
    base = pd.concat([rows(seed=1), rows(seed=3, backends=("processes",), valid=False)])
    new = rows(seed=2, backends=("threads", "tbb"))
    found, result = verdicts(compare_frame(base), compare_frame(new))
    assert found == {"threads": "same"}
    assert [k[1] for k in result["only"]["base"]] == ["serial"]
    assert [k[1] for k in result["only"]["new"]] == ["tbb"]
    assert result["invalid"] == {"base": 10, "new": 0}


def test_speedup_comes_from_each_sides_serial_rows():
    _, result = verdicts(compare_frame(rows(seed=1)), compare_frame(rows(seed=2, scale=1.05)))
    threads = result["matched"].set_index("backend").loc["threads"]
    assert threads["base_speedup"] == pytest.approx(2.0, rel=0.03)
    assert threads["new_efficiency"] == pytest.approx(1.0, rel=0.03)


def test_the_fingerprint_diff_names_what_differs():
    diff = compare.fingerprint_diff(rows(host="a"), rows(host="b", compiler="clang 16"))
    assert [(f, b, n) for f, b, n in diff] == [("host", "a", "b"),
                                                ("compiler", "gcc 12", "clang 16")]


def test_the_script_prints_the_comparison_and_fails_above_a_slowdown(tmp_path):
    base = write(tmp_path, "base.csv", rows(seed=1))
    new = write(tmp_path, "new.csv", rows(seed=2, scale=1.05, host="other"))
    done = run(base, "--against", new, "--json", str(tmp_path / "c.json"))
    assert done.returncode == 0, done.stderr
    assert "host" in done.stdout.split("\n# 2 configurations")[0]
    assert "slower" in done.stdout
    assert "# verdicts: 0 faster, 2 slower, 0 uncertain, 0 same" in done.stdout
    assert run(base, "--against", new, "--fail-above", "3").returncode == 1
    assert run(base, "--against", new, "--fail-above", "8").returncode == 0
    assert (tmp_path / "c.json").stat().st_size > 0


def test_an_uncertain_slowdown_does_not_fail_the_run(tmp_path):
    base = write(tmp_path, "base.csv", rows(seed=1))
    new = write(tmp_path, "new.csv", rows(seed=2, scale=1.02))
    done = run(base, "--against", new, "--fail-above", "0")
    assert done.returncode == 0, done.stdout
    assert "2 uncertain" in done.stdout


def test_one_merged_file_splits_by_a_column(tmp_path):
    merged = write(tmp_path, "m.csv", pd.concat([rows(host="a"), rows(host="b", seed=4)]))
    done = run(merged, "--by", "host")
    assert done.returncode == 0, done.stderr
    assert "# 2 configurations on both sides" in done.stdout


@pytest.mark.parametrize("content,why", [
    ("hello,world\n1,2\n", "not a parbench CSV"),
    ("schema_version,wall_s\n99,1\n", "schema version 99"),
])
def test_a_side_without_a_usable_row_is_bad_input_after_its_lines_left_out(tmp_path, content,
                                                                          why):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    good = write(tmp_path, "good.csv", rows())
    done = run(good, "--against", str(bad))
    said = done.stderr.splitlines()
    assert done.returncode == 2 and not done.stdout, done
    assert len(said) == 2 and said[0].startswith(f"{bad}:") and why in said[0], said
    assert said[1] == f"compare: error: no usable rows in {bad} (the lines above were left out)"


def test_no_common_configuration_is_bad_input(tmp_path):
    base = write(tmp_path, "a.csv", rows(backends=("serial",)))
    new = write(tmp_path, "b.csv", rows(backends=("tbb",)))
    done = run(base, "--against", new)
    assert done.returncode == 2 and "no configuration is on both sides" in done.stderr


def test_bad_usage_is_one_line_and_exit_2(tmp_path):
    done = run(write(tmp_path, "a.csv", rows()))  # neither --against nor --by
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr


def compare_frame(frame):
    """The rows as load() returns them: written and read back like a file."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        frame.to_csv(f, index=False)
    try:
        return compare.load([f.name])
    finally:
        os.unlink(f.name)


def test_normalising_by_the_cpu_calibration_removes_a_machine_that_is_slower_throughout():
    base = compare_frame(rows(seed=1).assign(calib_cpu_ns=1.0))
    new = compare_frame(rows(seed=2, scale=1.3).assign(calib_cpu_ns=1.3))
    found, _ = verdicts(base, new)
    assert set(found.values()) == {"slower"}
    found, _ = verdicts(base, compare.normalise(base, new, "cpu"))
    assert set(found.values()) == {"same"}
    assert compare.calibration(base, new)[0][:1] == ("cpu",)
    with pytest.raises(compare.InputError, match="calib_copy_gbs"):
        compare.normalise(base, new, "copy")


@pytest.mark.parametrize("option,target", [("--csv", "/nonexistent/x.csv"), ("--json", "DIR"),
                                           ("--csv", "DIR/no/such/dir/x.csv")])
def test_an_output_that_cannot_be_written_is_refused_before_any_work(tmp_path, option, target):
    base = write(tmp_path, "base.csv", rows(seed=1))
    target = target.replace("DIR", str(tmp_path))
    done = run(base, "--against", base, option, target)
    assert done.returncode == 2 and not done.stdout, done
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"compare: error: {option}")


def test_nothing_is_written_when_the_input_is_bad(tmp_path):
    base = write(tmp_path, "base.csv", rows(seed=1))
    bad = tmp_path / "bad.csv"
    bad.write_text("hello\n")
    done = run(base, "--against", str(bad), "--csv", str(tmp_path / "c.csv"), "--json",
               str(tmp_path / "c.json"))
    assert done.returncode == 2
    assert sorted(os.listdir(tmp_path)) == ["bad.csv", "base.csv"]


def test_the_fingerprint_diff_prints_values_as_the_csv_has_them():
    base = compare_frame(rows().assign(usable_cpus=""))
    new = compare_frame(rows().assign(usable_cpus=2, build_dirty="false", os_kernel=""))
    diff = compare.fingerprint_diff(base, new)
    # Empty and absent are both not recorded, hence no difference for os_kernel.
    assert diff == [("usable_cpus", "(not recorded)", "2"),
                    ("build_dirty", "(not recorded)", "false")]


def test_what_only_one_side_ran_is_listed_in_words(tmp_path):
    base = write(tmp_path, "base.csv", rows(backends=("serial", "threads", "processes")))
    new = write(tmp_path, "new.csv", rows(backends=("serial", "threads")))
    done = run(base, "--against", new, "--json", str(tmp_path / "c.json"))
    assert done.returncode == 0, done.stderr
    only = done.stdout.split("# only on the base side (1):\n")[1].splitlines()[0]
    assert only == "  pi processes none static, 2 workers, size 1000000000, seed=1"
    import json
    with open(tmp_path / "c.json") as f:
        assert json.load(f)["only"]["base"] == [
            {"kernel": "pi", "backend": "processes", "ipc": "none", "schedule": "static",
             "chunk": 0, "workers": 2, "threads_per_rank": 1, "size": 1000000000,
             "params": "seed=1"}]
