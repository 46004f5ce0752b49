"""The figures of the results page (scripts/report): matplotlib drawn to SVG, inlined in the page.

Why SVG from matplotlib rather than plotly: the page must open from disk with no network and print,
and an SVG needs no JavaScript at all (plotly's self-contained HTML carries ~3.5 MB of it per page),
stays sharp when zoomed or printed, and matplotlib is already what scripts/plot uses. Hovering a
point or bar shows its exact median, spread and repetitions (an SVG <title>, which browsers show
as a tooltip), and a table under each figure gives the same numbers for print.

Each figure function takes the sides ({label: rows}, every row, valid or not) and returns a Figure,
or raises Skip with the reason the rows cannot feed it. One colour per backend in every figure,
one line style per side; a configuration with invalid repetitions is drawn as a red cross.
"""

from __future__ import annotations

import dataclasses
import html
import io
import math
import re

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from compare import measurement  # noqa: E402

# One colour per backend across every figure (and the page's legend); others get the rest in turn.
BACKEND_COLOURS = {"serial": "#222222", "threads": "#1f77b4", "openmp": "#17becf",
                   "processes": "#ff7f0e", "tbb": "#2ca02c", "mpi": "#d62728",
                   "mpi+threads": "#9467bd", "mpi+tbb": "#8c564b", "mpi+openmp": "#e377c2",
                   "redis-queue": "#bcbd22", "python": "#7f7f7f"}
SPARE_COLOURS = ["#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94"]
SIDE_STYLES = ["-", "--", ":", "-."]
INVALID_COLOUR = "#e00000"
MAX_PANELS = 12  # more panels than a page can show; the rest are in the tables


class Skip(Exception):
    """The rows cannot feed this figure; the message says why."""


@dataclasses.dataclass
class Figure:
    key: str  # the id of its element in the page
    title: str
    svg: str
    table: pd.DataFrame  # the exact numbers behind it, invalid configurations included
    note: str = ""


def colour(backend: str) -> str:
    if backend not in BACKEND_COLOURS:
        used = len([b for b in BACKEND_COLOURS if b not in _BUILTIN])
        BACKEND_COLOURS[backend] = SPARE_COLOURS[used % len(SPARE_COLOURS)]
    return BACKEND_COLOURS[backend]


_BUILTIN = set(BACKEND_COLOURS)


def summary(rows: pd.DataFrame, value: pd.Series | None = None) -> dict:
    """Median, spread (median absolute deviation / median, as parbench prints it), repetitions of
    the valid rows, and the invalid ones with their first error."""
    value = rows["wall_s"] if value is None else value
    good = value[rows["valid"] & value.notna()]
    bad = rows[~rows["valid"]]
    median = float(good.median()) if len(good) else math.nan
    spread = float((good - median).abs().median() / median) if len(good) and median else math.nan
    bad_value = value[~rows["valid"] & value.notna()]
    return {"median": median, "spread": spread, "reps": int(len(good)), "invalid": int(len(bad)),
            "invalid_median": float(bad_value.median()) if len(bad_value) else math.nan,
            "error": str(bad["error"].iloc[0]) if len(bad) else ""}


def tip(s: dict, unit: str, what: str) -> str:
    text = f"{what}: median {s['median']:.4g} {unit}, spread {s['spread']:.1%}, {s['reps']} reps"
    if s["invalid"]:
        text += f"; {s['invalid']} INVALID: {s['error']}"
    return text


class Tips:
    """Tooltips for an SVG: each artist gets a gid, and render() puts a <title> into its group."""

    def __init__(self, key: str):
        self.key, self.texts = key, []

    def gid(self, text: str) -> str:
        self.texts.append(text)
        return f"{self.key}-tip{len(self.texts) - 1}"

    def render(self, fig) -> str:
        # Ids of markers and clip paths differ between the figures of one page (they share a DOM).
        with matplotlib.rc_context({"svg.hashsalt": self.key, "svg.fonttype": "none"}):
            out = io.StringIO()
            fig.savefig(out, format="svg", bbox_inches="tight")
        plt.close(fig)
        svg = out.getvalue()
        svg = svg[svg.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML
        svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)

        def add_title(match):
            index = int(match.group(1))
            return f'{match.group(0)}<title>{html.escape(self.texts[index])}</title>'
        return re.sub(rf'<g id="{re.escape(self.key)}-tip(\d+)"[^>]*>', add_title, svg)


def point(ax, tips: Tips, x, y, s: dict, unit: str, what: str, colour_: str, marker="o"):
    """One median as a marker with its tooltip."""
    if not math.isnan(y):
        ax.plot([x], [y], marker=marker, color=colour_, linestyle="none", markersize=5,
                gid=tips.gid(tip(s, unit, what)))


def invalid_cross(ax, tips: Tips, x, y, s: dict, what: str):
    if not math.isnan(y):
        ax.plot([x], [y], marker="x", color=INVALID_COLOUR, markersize=9, markeredgewidth=2,
                linestyle="none", gid=tips.gid(f"{what}: {s['invalid']} INVALID rows: "
                                               f"{s['error']}"))


def side_note(sides: dict) -> str:
    if len(sides) == 1:
        return ""
    return "line styles: " + ", ".join(f"{label} {SIDE_STYLES[i % len(SIDE_STYLES)]!r}"
                                       for i, label in enumerate(sides))


def table_rows(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    for column in ("median", "spread"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: "-" if math.isnan(v) else f"{v:.4g}"
                                              if column == "median" else f"{v:.1%}")
    if "invalid" in frame:
        frame["invalid"] = [f"{n} INVALID: {e}" if n else "" for n, e in
                            zip(frame["invalid"], frame["error"])]
        frame = frame.drop(columns=["error", "invalid_median"], errors="ignore")
    return frame


def panels_grid(n: int, columns: int, width=5.2, height=3.6):
    columns = min(columns, n)
    lines = math.ceil(n / columns)
    fig, axes = plt.subplots(lines, columns, figsize=(width * columns, height * lines),
                             squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)


def speedup(sides: dict) -> Figure:
    """Speed-up and efficiency against threads (workers x threads per rank) per pi or primes
    workload: a line per backend and schedule, the ideal drawn."""
    every = pd.concat(sides.values())
    every = every[every["kernel"].isin(["pi", "primes"]) & every["wall_s"].notna()]
    workloads = [w for w, g in every.groupby(["kernel", "size", "params"], sort=False)
                 if (g["backend"] != "serial").any() and g["chunk"].nunique() <= 4]
    if not workloads:
        raise Skip("no pi or primes rows on a parallel backend")
    shown = workloads[:MAX_PANELS]
    fig, axes = panels_grid(len(shown) * 2, 4, width=4.2, height=3.3)
    tips, records = Tips("speedup"), []
    for n, (kernel, size, params) in enumerate(shown):
        ax_s, ax_e = axes[2 * n], axes[2 * n + 1]
        top = 1
        for i, (label, rows) in enumerate(sides.items()):
            g = rows[(rows["kernel"] == kernel) & (rows["size"] == size)
                     & (rows["params"] == params) & rows["wall_s"].notna()]
            serial = summary(g[g["backend"] == "serial"])["median"]
            for (backend, schedule, chunk), b in g[g["backend"] != "serial"].groupby(
                    ["backend", "schedule", "chunk"], sort=False):
                base = serial if not math.isnan(serial) else summary(b[b["workers"] == 1])["median"]
                xs, ys = [], []
                for (workers, tpr), c in b.groupby(["workers", "threads_per_rank"]):
                    s = summary(c)
                    threads = workers * tpr
                    chunked = f" {chunk}" if chunk else ""
                    what = f"{label} {kernel} {backend} {schedule}{chunked} x{threads}"
                    records.append({"side": label, "kernel": kernel, "size": size,
                                    "params": params,
                                    "backend": backend, "schedule": schedule, "chunk": chunk,
                                    "threads": threads, **s, "speed-up": base / s["median"]})
                    if s["invalid"]:
                        y = base / s["invalid_median"]
                        invalid_cross(ax_s, tips, threads, y, s, what)
                        invalid_cross(ax_e, tips, threads, y / threads, s, what)
                    if s["reps"] and not math.isnan(base):
                        xs.append(threads)
                        ys.append(base / s["median"])
                        point(ax_s, tips, threads, ys[-1], s, "s", what, colour(backend))
                        point(ax_e, tips, threads, ys[-1] / threads, s, "s", what, colour(backend))
                    top = max(top, threads)
                style = SIDE_STYLES[i % len(SIDE_STYLES)]
                ax_s.plot(xs, ys, linestyle=style, color=colour(backend), label=backend)
                ax_e.plot(xs, [y / x for x, y in zip(xs, ys)], linestyle=style,
                          color=colour(backend))
        ax_s.plot([1, top], [1, top], color="grey", linewidth=0.8)
        ax_e.axhline(1.0, color="grey", linewidth=0.8)
        name = f"{kernel} {size:.3g} {params}"
        name = name if len(name) < 44 else name[:41] + "..."
        ax_s.set(xlabel="threads", ylabel="speed-up", title=name)
        ax_e.set(xlabel="threads", ylabel="efficiency", title=name, ylim=(0, 1.2))
        for ax in (ax_s, ax_e):
            ax.title.set_fontsize("small")
    fig.tight_layout()
    note = side_note(sides)
    if len(workloads) > len(shown):
        note += f" {len(workloads) - len(shown)} more workloads are in the table only."
    return Figure("fig-speedup", "Speed-up and efficiency against threads", tips.render(fig),
                  table_rows(records), note.strip())


def sweep(sides: dict) -> Figure:
    """The chunk-size curve: median time against chunk size, per backend, from parbench sweep."""
    tips, records, curves = Tips("sweep"), [], []
    for label, rows in sides.items():
        rows = rows[(rows["kernel"] == "primes") & (rows["chunk"] > 0) & rows["wall_s"].notna()]
        for key, g in rows.groupby(["params", "workers"], sort=False):
            if g["chunk"].nunique() >= 5 and key not in curves:
                curves.append(key)
    if not curves:
        raise Skip("no primes rows over five chunk sizes or more (parbench sweep writes them)")
    shown = curves[:MAX_PANELS]
    fig, axes = panels_grid(len(shown), 2, width=6, height=3.8)
    for (params, workers), ax in zip(shown, axes):
        for i, (label, rows) in enumerate(sides.items()):
            g = rows[(rows["kernel"] == "primes") & (rows["params"] == params)
                     & (rows["workers"] == workers) & (rows["chunk"] > 0) & rows["wall_s"].notna()]
            for (backend, schedule), b in g.groupby(["backend", "schedule"], sort=False):
                xs, ys = [], []
                for chunk, c in b.groupby("chunk"):
                    s = summary(c)
                    what = f"{label} {backend} {schedule} chunk {chunk}"
                    records.append({"side": label, "params": params, "workers": workers,
                                    "backend": backend, "schedule": schedule, "chunk": chunk, **s})
                    if s["invalid"]:
                        invalid_cross(ax, tips, chunk, s["invalid_median"], s, what)
                    if s["reps"]:
                        xs.append(chunk)
                        ys.append(s["median"])
                        point(ax, tips, chunk, s["median"], s, "s", what, colour(backend), ".")
                ax.plot(xs, ys, linestyle=SIDE_STYLES[i % len(SIDE_STYLES)],
                        color=colour(backend), label=f"{backend} {schedule}")
        ax.set(xscale="log", xlabel="chunk size (numbers)", ylabel="median seconds",
               title=f"{params}, {workers} workers")
        ax.title.set_fontsize("small")
        ax.legend(fontsize="x-small")
    fig.tight_layout()
    return Figure("fig-sweep", "Chunk size: median time against chunk size", tips.render(fig),
                  table_rows(records), side_note(sides))


def bars(ax, tips: Tips, groups: list, series: list, value, unit: str, what, log=False):
    """Grouped bars: x = groups, a bar per series (coloured by its backend), each bar's tooltip
    its summary; value(group, series) -> summary dict or None."""
    width = 0.8 / max(1, len(series))
    labelled = set()
    for j, (name, backend) in enumerate(series):
        for k, group in enumerate(groups):
            s = value(group, (name, backend))
            if s is None:
                continue
            x = k + j * width
            if s["reps"]:
                bar = ax.bar([x], [s["median"]], width, color=colour(backend),
                             label=None if name in labelled else name)
                labelled.add(name)
                bar.patches[0].set_gid(tips.gid(tip(s, unit, what(group, name))))
            if s["invalid"]:
                height = s["invalid_median"] if not math.isnan(s["invalid_median"]) else \
                    (s["median"] if s["reps"] else math.nan)
                invalid_cross(ax, tips, x, height, s, what(group, name))
    ax.set_xticks(np.arange(len(groups)) + width * (len(series) - 1) / 2,
                  [str(g) for g in groups], rotation=30, ha="right", fontsize="x-small")
    if log:
        ax.set_yscale("log")


def verify(sides: dict) -> Figure:
    """The verify bars: median seconds per stop-flag variant and backend, at the number of each
    side that the most configurations ran (every number is in the table)."""
    tips, records, panels = Tips("verify"), [], []
    for label, rows in sides.items():
        rows = rows[(rows["kernel"] == "verify") & rows["wall_s"].notna()]
        if rows.empty:
            continue
        rows = rows.assign(number=rows["params"].str.extract(r"n=(\d+)")[0],
                           variant=rows["ipc"] + " K=" + rows["params"].str.extract(
                               r"check_every=(auto|\d+)")[0].fillna("-"))
        for (number, variant, backend, workers), g in rows.groupby(
                ["number", "variant", "backend", "workers"], sort=False):
            records.append({"side": label, "n": number, "variant": variant, "backend": backend,
                            "workers": workers, **summary(g)})
        panels.append((label, rows, rows["number"].value_counts().idxmax()))
    if not panels:
        raise Skip("no verify rows")
    fig, axes = panels_grid(len(panels), 1, width=11, height=4)
    for (label, rows, number), ax in zip(panels, axes):
        g = rows[rows["number"] == number]
        variants = list(dict.fromkeys(g["variant"]))
        series = list(dict.fromkeys((f"{b} x{w}", b) for b, w in zip(g["backend"], g["workers"])))

        def value(variant, serie):
            c = g[(g["variant"] == variant) & (g["backend"] + " x" + g["workers"].astype(str)
                                               == serie[0])]
            return summary(c) if len(c) else None
        bars(ax, tips, variants, series, value, "s", lambda v, s: f"{label} {s} {v}", log=True)
        ax.set(ylabel="median seconds", title=f"{label}: verify n={number}")
        ax.legend(fontsize="x-small", ncol=4)
    fig.tight_layout()
    return Figure("fig-verify", "Verify: the stop-flag variants", tips.render(fig),
                  table_rows(records))


def count(sides: dict) -> Figure:
    """The count table: ns per increment per counter and backend, and the updates the negative
    controls (no lock) lost."""
    tips, records, panels = Tips("count"), [], []
    for label, rows in sides.items():
        rows = rows[(rows["kernel"] == "count") & rows["wall_s"].notna()]
        if rows.empty:
            continue
        increments = rows["params"].str.extract(r"increments=(\d+)")[0].astype(float)
        rows = rows.assign(ns=rows["wall_s"] * 1e9 / (increments * rows["workers"]),
                           lost=measurement(rows, "lost_updates"), increments=increments)
        for (backend, ipc, workers, adds), g in rows.groupby(
                ["backend", "ipc", "workers", "increments"], sort=False):
            s = summary(g, g["ns"])
            lost = g["lost"].median()
            records.append({"side": label, "backend": backend, "counter": ipc,
                            "workers": workers, "increments": int(adds),
                            **s,
                            "lost updates": "" if math.isnan(lost) else
                            f"{lost:.0f} ({lost / (adds * workers):.0%})"})
        for workers in sorted(rows["workers"].unique()):
            panels.append((label, rows[rows["workers"] == workers], workers))
    if not panels:
        raise Skip("no count rows")
    panels = panels[:MAX_PANELS]
    fig, axes = panels_grid(len(panels), 2, width=6, height=3.6)
    for (label, g, workers), ax in zip(panels, axes):
        counters = list(dict.fromkeys(g["ipc"]))
        series = [(b, b) for b in dict.fromkeys(g["backend"])]

        def value(counter, serie):
            c = g[(g["ipc"] == counter) & (g["backend"] == serie[1])]
            # The largest count of adds: the figure a lock's cost is read from.
            c = c[c["increments"] == c["increments"].max()] if len(c) else c
            return summary(c, c["ns"]) if len(c) else None
        bars(ax, tips, counters, series, value, "ns/increment",
             lambda v, s: f"{label} {s} {v} x{workers}", log=True)
        ax.set(ylabel="ns per increment", title=f"{label}: count, {workers} workers")
        ax.title.set_fontsize("small")
        ax.legend(fontsize="x-small")
    fig.tight_layout()
    table = table_rows(records).rename(columns={"median": "median ns"})
    return Figure("fig-count", "Count: the cost of one increment, and the updates lost without a "
                  "lock", tips.render(fig), table,
                  "a negative control (no lock) is valid when it loses updates: that is what it "
                  "shows")


def fill(sides: dict) -> Figure:
    """Fill: GB/s per shared block and backend, against the memset bandwidth of the same run."""
    tips, records, panels = Tips("fill"), [], []
    for label, rows in sides.items():
        rows = rows[(rows["kernel"] == "fill")]
        if rows.empty:
            continue
        rows = rows.assign(gbs=measurement(rows, "gbs"), memset=measurement(rows, "memset_gbs"),
                           touch=rows["params"].str.extract(r"first_touch=(\w+)")[0].fillna("-"))
        for (size, touch, ipc, backend, workers), g in rows.groupby(
                ["size", "touch", "ipc", "backend", "workers"], sort=False):
            records.append({"side": label, "rows": size, "first touch": touch, "block": ipc,
                            "backend": backend, "workers": workers, **summary(g, g["gbs"]),
                            "memset GB/s": g["memset"].median()})
        for key, g in rows.groupby(["size", "touch"], sort=False):
            panels.append((label, key, g))
    if not panels:
        raise Skip("no fill rows")
    panels = panels[:MAX_PANELS]
    fig, axes = panels_grid(len(panels), 2, width=6, height=3.6)
    for (label, (size, touch), g), ax in zip(panels, axes):
        blocks = list(dict.fromkeys(g["ipc"]))
        series = list(dict.fromkeys((f"{b} x{w}", b) for b, w in zip(g["backend"], g["workers"])))

        def value(block, serie):
            c = g[(g["ipc"] == block) & (g["backend"] + " x" + g["workers"].astype(str)
                                         == serie[0])]
            return summary(c, c["gbs"]) if len(c) else None
        bars(ax, tips, blocks, series, value, "GB/s", lambda v, s: f"{label} {s} {v}")
        memset = g["memset"].median()
        if not math.isnan(memset):
            ax.axhline(memset, color="black", linestyle="--", linewidth=1,
                       label=f"memset {memset:.3g} GB/s", gid=tips.gid(
                           f"memset of the same block: {memset:.4g} GB/s (median)"))
        ax.set(ylabel="GB/s", title=f"{label}: fill, {size} rows, first touch {touch}")
        ax.title.set_fontsize("small")
        ax.legend(fontsize="x-small")
    fig.tight_layout()
    table = table_rows(records)
    table["memset GB/s"] = table["memset GB/s"].map(lambda v: "-" if math.isnan(v) else f"{v:.3g}")
    return Figure("fig-fill", "Fill: GB/s per shared block against memset", tips.render(fig),
                  table.rename(columns={"median": "median GB/s"}))


FIGURES = [speedup, sweep, verify, count, fill]


def draw_all(sides: dict) -> tuple[list[Figure], list[str]]:
    figures, skipped = [], []
    for figure in FIGURES:
        try:
            figures.append(figure(sides))
        except Skip as why:
            skipped.append(f"{figure.__name__}: {why}")
    return figures, skipped
