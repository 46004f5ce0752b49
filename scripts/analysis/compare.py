"""Comparing parbench CSVs: two sides (base and new), matched configuration by configuration.

What is compared: the median wall time of each configuration on each side, their ratio new/base
with a 95% bootstrap confidence interval, and the Mann-Whitney U test of the two sets of
repetitions. The verdict admits doubt: `faster` or `slower` only when the whole interval lies beyond
the threshold and the U test agrees, `same` when the whole interval lies within it, `uncertain`
otherwise (an interval that crosses the threshold, or a test that disagrees with the interval).
Statistics come from scipy, not from here.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import warnings

import numpy as np
import pandas as pd
from scipy import stats

import parbench_csv

# What identifies a configuration across files and machines.
CONFIG_KEYS = ["kernel", "backend", "ipc", "schedule", "chunk", "workers", "threads_per_rank",
               "size", "params"]
# What describes the machine and the build: printed where the two sides differ.
FINGERPRINT = ["host", "cpu_model", "logical_cpus", "usable_cpus", "os", "os_kernel", "compiler",
               "cxx_flags", "build_type", "boost_version", "tbb_version", "mpi_version",
               "hiredis_version", "parbench_version", "build_dirty"]
REFERENCE_BACKEND = "serial"
# The calibration every run of schema 7 and later records (harness/calibration.hpp): column, what it
# measures, and whether a larger value means a slower machine (a time) or a faster one (a rate).
CALIBRATION = {"cpu": ("calib_cpu_ns", "ns per step of a single-core multiply-add chain", True),
               "copy": ("calib_copy_gbs", "GB/s of a 64 MiB memcpy", False),
               "wake": ("calib_wake_us", "us to wake a thread sleeping on a pipe", True)}


class InputError(Exception):
    """Bad input: one line for the user, exit code 2."""


def load(paths: list[str], problems=None) -> pd.DataFrame:
    """Every row of the given parbench CSVs that parbench could have written, of any schema version
    this knows (parbench_csv's rule, which `parbench report` shares). Each line left out is one
    "FILE:LINE: why" on stderr (or appended to `problems`); no usable row at all is bad input."""
    rows, said = [], []
    for path in paths:
        try:
            found, why = parbench_csv.read(path)
        except OSError as e:
            raise InputError(f"cannot read {path}: {e.strerror}") from e
        for line in why:
            if problems is None:
                sys.stderr.write(line + "\n")
            else:
                problems.append(line)
        said += why
        rows += [{**row, "source": path} for row in found]
    if not paths:
        raise InputError("no CSV files given")
    if not rows:
        raise InputError("no usable rows in " + ", ".join(paths)
                         + (" (the lines above were left out)" if said else ""))
    # Every field as text, as written; empty where the row's block had no such column.
    df = pd.DataFrame(rows).fillna("")
    # Columns that older schemas lack, at the value they implied.
    defaults = {"threads_per_rank": "1", "round": "0"}
    for column, value in defaults.items():
        if column not in df.columns:
            df[column] = value
        df[column] = df[column].replace("", value)
    for column in ["schema_version", "chunk", "workers", "threads_per_rank", "nodes", "size", "rep",
                   "round"]:
        df[column] = pd.to_numeric(df[column]).astype("int64")
    for column in ["setup_s", "wall_s", "cpu_s", "value"]:
        df[column] = pd.to_numeric(df[column] if column in df.columns else np.nan,
                                   errors="coerce")
    for column, _, _ in CALIBRATION.values():
        df[column] = pd.to_numeric(df.get(column, np.nan), errors="coerce")
    df["valid"] = df["valid"] == "true"
    return df


def measurement(rows: pd.DataFrame, name: str) -> pd.Series:
    """One named figure of the measurements column ("a=1;b=2"), NaN where a row lacks it: a
    kernel's or backend's own figures (gbs, lost_updates, redelivered) live there."""
    text = rows.get("measurements", pd.Series("", index=rows.index)).fillna("").astype(str)
    return pd.to_numeric(text.str.extract(rf"(?:^|;){name}=([^;]+)")[0], errors="coerce")


def valid_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that count for timings: valid, with a wall time."""
    return rows[rows["valid"] & rows["wall_s"].notna()]


def split(base: pd.DataFrame, new: pd.DataFrame | None, by: str | None):
    """The two sides: as given, or one set of rows split in two by the values of a column."""
    if by is None:
        return base, new
    if by not in base.columns:
        raise InputError(f"--by {by}: no such column")
    values = list(dict.fromkeys(base[by].astype(str)))
    if len(values) != 2:
        raise InputError(f"--by {by} needs exactly two values in the rows, found {len(values)}: "
                         f"{', '.join(values[:5])}")
    column = base[by].astype(str)
    return base[column == values[0]], base[column == values[1]]


NOT_RECORDED = "(not recorded)"  # a column the rows lack, or leave empty: the same to a reader


def fingerprint_diff(base: pd.DataFrame, new: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(field, base values, new values) for every fingerprint field on which the sides differ, the
    values as the CSV has them."""
    def values(side, field):
        found = side[field].astype(str) if field in side.columns else pd.Series([""])
        return sorted({v if v else NOT_RECORDED for v in found})

    differences = []
    for field in FINGERPRINT:
        left, right = values(base, field), values(new, field)
        if left != right:
            differences.append((field, "; ".join(left), "; ".join(right)))
    return differences


def configuration_text(key: tuple) -> str:
    """A configuration (a CONFIG_KEYS tuple) in words: pi threads none static, 2 workers, ..."""
    c = dict(zip(CONFIG_KEYS, key))
    workers = (f"{c['workers']} workers" if c["threads_per_rank"] == 1
               else f"{c['workers']}x{c['threads_per_rank']} workers")
    chunk = f" chunk {c['chunk']}" if c["chunk"] else ""
    return (f"{c['kernel']} {c['backend']} {c['ipc']} {c['schedule']}{chunk}, {workers}, "
            f"size {c['size']}" + (f", {c['params']}" if c["params"] else ""))


def configuration_record(key: tuple) -> dict:
    """A configuration as JSON has it: named, numbers as numbers."""
    return {k: v.item() if hasattr(v, "item") else v for k, v in zip(CONFIG_KEYS, key)}


def calibration(base: pd.DataFrame, new: pd.DataFrame) -> list[tuple[str, str, float, float]]:
    """(name, meaning, base median, new median) of each calibration both sides recorded."""
    found = []
    for name, (column, meaning, _) in CALIBRATION.items():
        b, n = median_of(base[column]), median_of(new[column])
        if not (math.isnan(b) or math.isnan(n)):
            found.append((name, meaning, b, n))
    return found


def median_of(values: pd.Series) -> float:
    """The median of the values present; NaN where none is (rows older than schema 7)."""
    present = values.dropna()
    return float(present.median()) if len(present) else math.nan


def normalise(base: pd.DataFrame, new: pd.DataFrame, what: str) -> pd.DataFrame:
    """The new side's wall times as if its machine were the base side's by one calibration: a new
    machine whose chain step takes 1.3x as long has its times divided by 1.3."""
    column, _, is_time = CALIBRATION[what]
    b, n = median_of(base[column]), median_of(new[column])
    if math.isnan(b) or math.isnan(n) or b <= 0 or n <= 0:
        raise InputError(f"--normalise {what} needs the {column} column (CSV schema 7) on both "
                         "sides")
    factor = b / n if is_time else n / b
    return new.assign(wall_s=new["wall_s"] * factor)


@dataclasses.dataclass
class Settings:
    threshold: float = 0.02  # a relative difference below this is `same`
    alpha: float = 0.05  # significance level of the Mann-Whitney U test
    seed: int = 1  # of the bootstrap, so that a comparison is reproducible


def ratio_interval(base: np.ndarray, new: np.ndarray, seed: int) -> tuple[float, float]:
    """95% bootstrap interval of median(new) / median(base); NaN where either side has one value."""
    if len(base) < 2 or len(new) < 2:
        return math.nan, math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate resamples of tiny samples
        result = stats.bootstrap((base, new), lambda b, n, axis: np.median(n, axis=axis) /
                                 np.median(b, axis=axis), vectorized=True, paired=False,
                                 n_resamples=2000, method="percentile", confidence_level=0.95,
                                 random_state=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


VERDICTS = ["slower", "faster", "uncertain", "same"]  # the order a reader wants them in


def verdict(ratio: float, low: float, high: float, p_value: float, settings: Settings) -> str:
    """`slower`/`faster` only when the whole 95% interval of new/base lies beyond the threshold and
    the U test finds the difference significant; `same` when the whole interval lies within the
    threshold; `uncertain` otherwise. Without an interval (a side with one repetition) nothing is
    known of the spread: a ratio within the threshold is `same`, any other `uncertain`."""
    upper, lower = 1 + settings.threshold, 1 - settings.threshold
    if math.isnan(low) or math.isnan(high):
        return "same" if lower <= ratio <= upper else "uncertain"
    if lower <= low and high <= upper:
        return "same"
    significant = not math.isnan(p_value) and p_value < settings.alpha
    if low > upper and significant:
        return "slower"
    if high < lower and significant:
        return "faster"
    return "uncertain"


def compare(base: pd.DataFrame, new: pd.DataFrame, settings: Settings) -> dict:
    """The comparison: matched configurations, those only one side has, invalid rows left out."""
    invalid = {"base": int((~base["valid"]).sum()), "new": int((~new["valid"]).sum())}
    good_base = valid_rows(base)
    good_new = valid_rows(new)
    groups_base = {k: g for k, g in good_base.groupby(CONFIG_KEYS, sort=False)}
    groups_new = {k: g for k, g in good_new.groupby(CONFIG_KEYS, sort=False)}
    rows = []
    for key, g_base in groups_base.items():
        if key not in groups_new:
            continue
        b = g_base["wall_s"].to_numpy(dtype=float)
        n = groups_new[key]["wall_s"].to_numpy(dtype=float)
        ratio = float(np.median(n) / np.median(b))
        p_value = math.nan
        if len(b) >= 2 and len(n) >= 2:
            p_value = float(stats.mannwhitneyu(b, n, alternative="two-sided").pvalue)
        low, high = ratio_interval(b, n, settings.seed)
        rows.append({**dict(zip(CONFIG_KEYS, key)), "base_median_s": float(np.median(b)),
                     "new_median_s": float(np.median(n)), "base_reps": len(b), "new_reps": len(n),
                     "ratio": ratio, "ratio_low": low, "ratio_high": high, "p_value": p_value,
                     "verdict": verdict(ratio, low, high, p_value, settings)})
    if not rows:
        raise InputError("no configuration is on both sides (matched by "
                         + ", ".join(CONFIG_KEYS) + ")")
    matched = pd.DataFrame(rows)
    add_speedups(matched, "base", good_base)
    add_speedups(matched, "new", good_new)
    only = {"base": [k for k in groups_base if k not in groups_new],
            "new": [k for k in groups_new if k not in groups_base]}
    return {"matched": matched, "only": only, "invalid": invalid}


def add_speedups(matched: pd.DataFrame, side: str, rows: pd.DataFrame) -> None:
    """Speed-up against the side's own serial rows of the same kernel, size and params."""
    serial = (rows[rows["backend"] == REFERENCE_BACKEND]
              .groupby(["kernel", "size", "params"])["wall_s"].median())
    speedups = []
    for _, r in matched.iterrows():
        key = (r["kernel"], r["size"], r["params"])
        speedups.append(serial[key] / r[f"{side}_median_s"] if key in serial.index else math.nan)
    matched[f"{side}_speedup"] = speedups
    matched[f"{side}_efficiency"] = matched[f"{side}_speedup"] / (
        matched["workers"] * matched["threads_per_rank"])


def slower_than(matched: pd.DataFrame, percent: float) -> pd.DataFrame:
    """The configurations that are `slower` (the whole interval beyond the threshold) by more than
    `percent` at the median: what `compare --fail-above` fails on; `uncertain` never fails it."""
    return matched[(matched["verdict"] == "slower") & (matched["ratio"] > 1 + percent / 100)]
