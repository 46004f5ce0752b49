"""The figures of parbench CSVs, one per question (matplotlib, PNG). Each figure function takes the
rows and returns the figure and its file name, or raises Skip with the reason the rows cannot feed
it; draw_all() writes every figure it can.
"""

from __future__ import annotations

import math
import os
import tempfile

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from compare import measurement, valid_rows  # noqa: E402  (as compare reads the rows)

STYLES = ["-", "--", ":", "-."]  # one per host
REFERENCE = "serial"


class Skip(Exception):
    """The rows cannot feed this figure; the message says why."""


def title(rows: pd.DataFrame, what: str) -> str:
    hosts = ", ".join(dict.fromkeys(rows["host"].astype(str)))
    versions = ", ".join(dict.fromkeys(rows.get("parbench_version", pd.Series(["?"])).astype(str)))
    return f"{what}\n{hosts} (parbench {versions})"


def workload_label(kernel: str, params: str) -> str:
    return f"{kernel} {params}" if params else kernel


def speedup(rows: pd.DataFrame):
    """Speed-up and efficiency against workers per backend, a panel pair per workload, min-max
    whiskers, the ideal line drawn, one line style per host."""
    rows = valid_rows(rows)
    rows = rows[rows["kernel"].isin(["pi", "primes"]) & (rows["schedule"] == "static")]
    workloads = [w for w, g in rows.groupby(["kernel", "params"], sort=False)
                 if g[g["backend"] != REFERENCE]["workers"].nunique() > 1]
    if not workloads:
        raise Skip("no pi or primes workload ran at more than one worker count (static schedule)")
    fig, axes = plt.subplots(len(workloads), 2, figsize=(11, 4 * len(workloads)), squeeze=False)
    hosts = list(dict.fromkeys(rows["host"]))
    for (kernel, params), (ax_s, ax_e) in zip(workloads, axes):
        g = rows[(rows["kernel"] == kernel) & (rows["params"] == params)]
        top = 1
        for h, host in enumerate(hosts):
            mine = g[g["host"] == host]
            serial = mine[mine["backend"] == REFERENCE]["wall_s"].median()
            for backend, b in mine[mine["backend"] != REFERENCE].groupby("backend", sort=False):
                base = serial if not math.isnan(serial) else \
                    b[b["workers"] == 1]["wall_s"].median()
                if math.isnan(base):
                    continue
                per = b.groupby("workers")["wall_s"].agg(["median", "min", "max"])
                threads = per.index.to_numpy() * b.groupby("workers")["threads_per_rank"].first()
                s = base / per["median"]
                err = [s - base / per["max"], base / per["min"] - s]
                label = backend if len(hosts) == 1 else f"{backend} ({host})"
                style = STYLES[h % len(STYLES)]
                line = ax_s.errorbar(threads, s, yerr=err, linestyle=style, marker="o", capsize=3,
                                     label=label)
                ax_e.errorbar(threads, s / threads, yerr=[e / threads for e in err],
                              linestyle=style, marker="o", capsize=3, color=line[0].get_color(),
                              label=label)
                top = max(top, int(threads.max()))
        ideal = np.arange(1, top + 1)
        ax_s.plot(ideal, ideal, color="grey", linewidth=0.8, label="ideal")
        ax_e.axhline(1.0, color="grey", linewidth=0.8, label="ideal")
        ax_s.set(xlabel="threads (workers x threads per rank)", ylabel="speed-up",
                 title=workload_label(kernel, params))
        ax_e.set(xlabel="threads (workers x threads per rank)", ylabel="efficiency",
                 title=workload_label(kernel, params), ylim=(0, 1.2))
        ax_s.legend(fontsize="small")
    fig.suptitle(title(rows, "Speed-up and efficiency (whiskers: fastest and slowest repetition)"))
    return fig, "speedup.png"


def throughput(rows: pd.DataFrame):
    """Items per second at the median, per backend, against workers, one panel per workload."""
    rows = valid_rows(rows)
    rows = rows[rows["kernel"].isin(["pi", "primes"])]
    # A chunk-size sweep is sweep.png's; here a workload is drawn at the chunks a matrix uses.
    workloads = [w for w, g in rows.groupby(["kernel", "params"], sort=False)
                 if g["chunk"].nunique() <= 4]
    if not workloads:
        raise Skip("no pi or primes rows outside chunk-size sweeps")
    columns = min(3, len(workloads))
    lines = math.ceil(len(workloads) / columns)
    fig, axes = plt.subplots(lines, columns, figsize=(5.5 * columns, 4 * lines), squeeze=False)
    for ax in axes.flat[len(workloads):]:
        ax.set_visible(False)
    hosts = list(dict.fromkeys(rows["host"]))
    for (kernel, params), ax in zip(workloads, axes.flat):
        g = rows[(rows["kernel"] == kernel) & (rows["params"] == params)]
        for h, host in enumerate(hosts):
            for (backend, schedule, chunk), b in g[g["host"] == host].groupby(
                    ["backend", "schedule", "chunk"], sort=False):
                items = b["size"] / b["wall_s"]
                per = items.groupby(b["workers"]).agg(["median", "min", "max"])
                label = (f"{backend} {schedule}" + (f" {chunk}" if chunk else "")
                         + ("" if len(hosts) == 1 else f" ({host})"))
                ax.errorbar(per.index, per["median"],
                            yerr=[per["median"] - per["min"], per["max"] - per["median"]],
                            linestyle=STYLES[h % len(STYLES)], marker="o", capsize=3, label=label)
        ax.set(xlabel="workers", ylabel="items per second", title=workload_label(kernel, params))
        ax.title.set_fontsize("small")
        ax.legend(fontsize="xx-small", ncol=2)
    fig.suptitle(title(rows, "Throughput (whiskers: min and max over repetitions)"))
    return fig, "throughput.png"


def verify(rows: pd.DataFrame):
    """The book's verify figure: grouped bars, variants x numbers, median seconds, serial marked."""
    rows = valid_rows(rows)
    rows = rows[rows["kernel"] == "verify"]
    if rows.empty:
        raise Skip("no verify rows")
    number = rows["params"].str.extract(r"n=(\d+)")[0]
    rows = rows.assign(number=number)
    parallel = rows[rows["backend"] != REFERENCE]
    if parallel.empty:
        raise Skip("verify ran on serial only: no variants to compare")
    backend, workers = parallel.groupby(["backend", "workers"]).size().idxmax()
    chosen = parallel[(parallel["backend"] == backend) & (parallel["workers"] == workers)]
    numbers = list(dict.fromkeys(chosen["number"]))
    variants = list(dict.fromkeys(chosen["ipc"]))
    fig, ax = plt.subplots(figsize=(min(14, max(6, 0.25 * len(numbers) * (len(variants) + 1))), 5))
    width = 0.8 / (len(variants) + 1)
    x = np.arange(len(numbers))
    serial = rows[rows["backend"] == REFERENCE].groupby("number")["wall_s"].median()
    ax.bar(x, [serial.get(n, np.nan) for n in numbers], width, color="black", label="serial")
    for i, v in enumerate(variants):
        per = chosen[chosen["ipc"] == v].groupby("number")["wall_s"].agg(["median", "min", "max"])
        per = per.reindex(numbers)
        ax.bar(x + (i + 1) * width, per["median"], width,
               yerr=[per["median"] - per["min"], per["max"] - per["median"]], capsize=2, label=v)
    ax.set_xticks(x + width * len(variants) / 2, numbers, rotation=15, fontsize="small")
    ax.set(ylabel="median seconds", yscale="log")
    ax.legend(fontsize="x-small", ncol=2)
    fig.suptitle(title(rows, f"verify: stop-flag variants, {backend} with {workers} workers"))
    return fig, "verify.png"


def sweep(rows: pd.DataFrame):
    """The book's two chunk figures: median time against chunk size (the U-curve) and against the
    number of chunks (the saw-tooth), per backend, from `parbench sweep` rows."""
    rows = valid_rows(rows)
    rows = rows[(rows["kernel"] == "primes") & (rows["chunk"] > 0)]
    curves = [k for k, g in rows.groupby(["params", "workers"], sort=False)
              if g["chunk"].nunique() >= 5]
    if not curves:
        raise Skip("no primes rows over five chunk sizes or more (parbench sweep writes them)")
    fig, axes = plt.subplots(len(curves), 2, figsize=(11, 4 * len(curves)), squeeze=False)
    for (params, workers), (ax_u, ax_saw) in zip(curves, axes):
        g = rows[(rows["params"] == params) & (rows["workers"] == workers)]
        for (host, backend), b in g.groupby(["host", "backend"], sort=False):
            per = b.groupby("chunk")["wall_s"].agg(["median", "min", "max"])
            chunks = np.ceil(b["size"].iloc[0] / per.index.to_numpy())
            ax_u.errorbar(per.index, per["median"],
                          yerr=[per["median"] - per["min"], per["max"] - per["median"]],
                          marker=".", capsize=2, label=f"{backend} ({host})")
            keep = chunks <= 64
            ax_saw.plot(chunks[keep], per["median"].to_numpy()[keep], marker=".",
                        label=f"{backend} ({host})")
        ax_u.set(xscale="log", xlabel="chunk size (numbers)", ylabel="median seconds",
                 title=f"U-curve: {params}, {workers} workers")
        ax_u.title.set_fontsize("small")
        ax_saw.set(xlabel="number of chunks", ylabel="median seconds",
                   title=f"saw-tooth: {params}, {workers} workers")
        ax_saw.title.set_fontsize("small")
        ax_u.legend(fontsize="x-small")
    fig.suptitle(title(rows, "Chunk size (dynamic schedule)"))
    return fig, "sweep.png"


def count(rows: pd.DataFrame):
    """The locking kernel's table as bars: nanoseconds per increment per variant and worker count."""
    rows = rows[(rows["kernel"] == "count") & rows["wall_s"].notna()]
    # A negative control's invalid rows still took a time: those where a count was read.
    rows = rows[rows["valid"] | measurement(rows, "lost_updates").notna()]
    if rows.empty:
        raise Skip("no count rows")
    increments = rows["params"].str.extract(r"increments=(\d+)")[0].astype(float)
    rows = rows.assign(ns=rows["wall_s"] * 1e9 / (increments * rows["workers"]))
    settings = list(dict.fromkeys(zip(rows["backend"], rows["params"])))
    fig, axes = plt.subplots(len(settings), 1, figsize=(11, 3.5 * len(settings)), squeeze=False)
    for (backend, params), ax in zip(settings, axes[:, 0]):
        g = rows[(rows["backend"] == backend) & (rows["params"] == params)]
        variants = list(dict.fromkeys(g["ipc"]))
        counts = sorted(g["workers"].unique())
        width = 0.8 / len(counts)
        x = np.arange(len(variants))
        for i, w in enumerate(counts):
            per = g[g["workers"] == w].groupby("ipc")["ns"].median().reindex(variants)
            ax.bar(x + i * width, per, width, label=f"{w} workers")
        ax.set_xticks(x + width * (len(counts) - 1) / 2, variants, rotation=30, fontsize="small")
        ax.set(yscale="log", ylabel="ns per increment", title=f"count on {backend}: {params}")
        ax.legend(fontsize="x-small")
    fig.suptitle(title(rows, "Shared counters: the cost of one increment"))
    return fig, "count.png"


def fill(rows: pd.DataFrame):
    """The shared array: GB/s per shared block and backend, one panel per array and first touch,
    with the memset bandwidth each run measured on its block (--first-touch populate) as a line."""
    if "measurements" not in rows.columns:
        raise Skip("no fill rows (no measurements column)")
    rows = valid_rows(rows[rows["kernel"] == "fill"])
    if rows.empty:
        raise Skip("no fill rows")
    rows = rows.assign(gbs=measurement(rows, "gbs"), memset=measurement(rows, "memset_gbs"),
                       who=rows["backend"] + " x" + rows["workers"].astype(str))
    panels = list(dict.fromkeys(zip(rows["size"], rows["params"])))
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 3.5 * len(panels)), squeeze=False)
    for (size, params), ax in zip(panels, axes[:, 0]):
        g = rows[(rows["size"] == size) & (rows["params"] == params)]
        variants = list(dict.fromkeys(g["ipc"]))
        whos = list(dict.fromkeys(g["who"]))
        width = 0.8 / len(whos)
        x = np.arange(len(variants))
        for i, who in enumerate(whos):
            per = g[g["who"] == who].groupby("ipc")["gbs"].median().reindex(variants)
            ax.bar(x + i * width, per, width, label=who)
        if g["memset"].notna().any():
            ax.axhline(g["memset"].median(), color="black", linestyle="--", label="memset, same run")
        ax.set_xticks(x + width * (len(whos) - 1) / 2, variants, fontsize="small")
        spread = g["gbs"].max() / g["gbs"].min() if g["gbs"].min() > 0 else 1.0
        # Log where the blocks differ by orders of magnitude (forked workers' page faults).
        ax.set(yscale="log" if spread > 20 else "linear", ylabel="GB/s",
               title=f"fill, {size} rows: {params}")
        ax.legend(fontsize="x-small")
    fig.suptitle(title(rows, "Big arrays: GB/s per shared block and backend"))
    return fig, "fill.png"


FIGURES = [speedup, throughput, verify, sweep, count, fill]


def draw_all(rows: pd.DataFrame, out: str) -> tuple[list[str], list[str]]:
    """Writes every figure the rows can feed into `out`; returns the paths and the skip reasons."""
    paths, skipped = [], []
    for figure in FIGURES:
        try:
            fig, name = figure(rows)
        except Skip as why:
            skipped.append(f"{figure.__name__}: {why}")
            continue
        path = os.path.join(out, name)
        fig.tight_layout()
        save_whole(fig, path)
        plt.close(fig)
        paths.append(path)
    return paths, skipped


def save_whole(fig, path: str) -> None:
    """Writes the figure to a new file of a name nobody can guess beside `path` (made exclusively,
    never through a link someone planted there) and renames it over `path`: a link in its place
    is replaced, never followed."""
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".plot-", suffix=".png")
    try:
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, dpi=110, format="png")
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
