"""How often compare's verdicts are wrong here: A/A pairs (two identical runs back to back) and the
same pairs with the second run made slower on purpose.

  verdict_study.py DIR [--threshold PCT]
      DIR holds pairNN-a.csv and pairNN-b.csv (scripts/verdict-study writes them)

Two A/A comparisons per pair, 10 repetitions a side when each run has 10: `back to back`, run a
against run b (what comparing two runs meets: the machine drifting between them), and
`interleaved`, the odd rounds of both runs against their even rounds (both sides from the same
minutes). For each, over every configuration of every pair: the share of each verdict (and of the
rule before `uncertain`), then of each verdict when the second side's wall times are scaled by 1.05
and 1.10 (a real 5% and 10% slowdown).
"""

import argparse
import glob
import math
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def old_verdict(r, settings):
    """The rule before `uncertain`: the median ratio beyond the threshold and p below alpha."""
    if math.isnan(r["p_value"]) or r["p_value"] >= settings.alpha or \
            abs(r["ratio"] - 1) <= settings.threshold:
        return "same"
    return "slower" if r["ratio"] > 1 else "faster"


def shares(verdicts, names):
    counts = pd.Series(verdicts).value_counts()
    return ", ".join(f"{v} {counts.get(v, 0) / len(verdicts):.0%} ({counts.get(v, 0)})"
                     for v in names)


def study(name, sides, settings):
    """sides: [(a rows, b rows)] of every pair."""
    aa, old, scaled, reps = [], [], {1.05: [], 1.10: []}, set()
    for a, b in sides:
        m = compare.compare(a, b, settings)["matched"]
        reps |= set(m["base_reps"]) | set(m["new_reps"])
        aa += list(m["verdict"])
        old += [old_verdict(r, settings) for _, r in m.iterrows()]
        for factor in scaled:
            slow = compare.compare(a, b.assign(wall_s=b["wall_s"] * factor), settings)["matched"]
            scaled[factor] += list(slow["verdict"])
    print(f"{name}: {len(sides)} pairs, {len(aa)} comparisons, {sorted(reps)} repetitions a side")
    print("  A/A:           " + shares(aa, compare.VERDICTS))
    print("  A/A, old rule: " + shares(old, ["slower", "faster", "same"]))
    for factor, found in scaled.items():
        print(f"  {factor - 1:.0%} slower:    " + shares(found, compare.VERDICTS))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--threshold", type=float, default=2.0)
    args = parser.parse_args()
    settings = compare.Settings(threshold=args.threshold / 100)
    pairs = []
    for a_path in sorted(glob.glob(os.path.join(args.dir, "pair*-a.csv"))):
        b_path = a_path.replace("-a.csv", "-b.csv")
        if os.path.exists(b_path):
            pairs.append((compare.load([a_path]), compare.load([b_path])))
    if not pairs:
        sys.stderr.write(f"verdict_study: error: no pair*-a.csv with its -b.csv in {args.dir}\n")
        return 2
    spreads = []
    for run in (r for pair in pairs for r in pair):
        for _, g in compare.valid_rows(run).groupby(compare.CONFIG_KEYS):
            median = g["wall_s"].median()
            spreads.append((g["wall_s"] - median).abs().median() / median)
    quartiles = pd.Series(spreads).quantile([0.25, 0.5, 0.75])
    print(f"threshold {args.threshold:g}%, alpha {settings.alpha:g}; spread of a configuration "
          f"within a run (median absolute deviation / median): median {quartiles[0.5]:.1%}, "
          f"quartiles {quartiles[0.25]:.1%} and {quartiles[0.75]:.1%}")
    study("back to back", pairs, settings)
    halves = []
    for a, b in pairs:
        both = pd.concat([a, b])
        odd = both["round"] % 2 == 1
        halves.append((both[odd], both[~odd]))
    study("interleaved", halves, settings)


if __name__ == "__main__":
    sys.exit(main())
