"""The results page (scripts/report): one self-contained HTML file of parbench CSVs, the sides
(hosts, or the groups of --by) side by side. Sections: the machines, the headline costs (the card),
the figures, the comparison (two sides or more), where the rows came from. Nothing is fetched:
the styles are inline, the figures inline SVG, and there is no script.
"""

from __future__ import annotations

import html
import json
import math
import subprocess
import warnings

import pandas as pd

import compare
import page_figures

SECTIONS = [("machines", "The machines"), ("costs", "The headline costs"),
            ("figures", "Figures"), ("comparison", "The comparison"),
            ("provenance", "Where it came from")]

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 1280px; color: #111;
       padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { border-bottom: 2px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.differs td, td.differs { background: #fff3b0; }
.invalid { color: #c00000; font-weight: bold; }
.verdict-slower { background: #ffd6d6; } .verdict-faster { background: #d6f5d6; }
.verdict-uncertain { background: #fff3b0; } .note { color: #555; font-size: 12px; }
.swatch { display: inline-block; width: 1em; height: 0.8em; margin: 0 0.2em 0 0.8em; }
.numbers { max-height: 22em; overflow: auto; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
@media print { .numbers { max-height: none; overflow: visible; } h2 { break-before: page; } }
"""


def esc(value) -> str:
    return html.escape(str(value))


def table(frame: pd.DataFrame, row_class=None, cell_class=None) -> str:
    """A DataFrame as an HTML table; numbers right-aligned; row_class(i) and cell_class(i, column)
    give optional CSS classes."""
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    lines = []
    for i, (_, r) in enumerate(frame.iterrows()):
        cells = []
        for column, v in r.items():
            classes = []
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                classes.append("num")
                v = "-" if isinstance(v, float) and math.isnan(v) else (
                    f"{v:.4g}" if isinstance(v, float) else v)
            if isinstance(v, str) and "INVALID" in v:
                classes.append("invalid")
            if cell_class and cell_class(i, column):
                classes.append(cell_class(i, column))
            attribute = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attribute}>{esc(v)}</td>")
        attribute = f' class="{row_class(i)}"' if row_class and row_class(i) else ""
        lines.append(f"<tr{attribute}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def values_of(rows: pd.DataFrame, field: str) -> str:
    found = rows[field].astype(str) if field in rows.columns else pd.Series([""])
    return "; ".join(sorted({v if v else compare.NOT_RECORDED for v in found}))


def machines(sides: dict) -> str:
    """A column per side: the fingerprint, the calibration, the rows; fields that differ marked."""
    labels = list(sides)
    records = []
    for field in compare.FINGERPRINT:
        records.append({"field": field, **{l: values_of(sides[l], field) for l in labels}})
    for name, (column, meaning, _) in compare.CALIBRATION.items():
        records.append({"field": f"calibration {name}: {meaning}",
                        **{l: _fmt(compare.median_of(sides[l][column])) for l in labels}})
    records.append({"field": "rows (invalid)", **{
        l: f"{len(r)} ({int((~r['valid']).sum())} INVALID)" if (~r["valid"]).any()
        else f"{len(r)} (0 invalid)" for l, r in sides.items()}})
    frame = pd.DataFrame(records)
    differs = [len(set(frame.loc[i, labels])) > 1 and not frame.loc[i, "field"].startswith("rows")
               for i in range(len(frame))]
    note = ("<p class='note'>Highlighted: the fields on which the sides differ.</p>"
            if len(labels) > 1 else "<p class='note'>One side only: nothing to set beside it.</p>")
    return note + table(frame, row_class=lambda i: "differs" if differs[i] else "")


def _fmt(v: float) -> str:
    return "-" if math.isnan(v) else f"{v:.4g}"


def card(groups: list[tuple[str, list[str]]], parbench: str | None) -> str:
    """`parbench report card --json` of each group of files (a group's hosts side by side, named
    "GROUP: HOST" when there are several groups) as one table, with the ratio of each column to
    the first."""
    if not parbench:
        return ("<p class='invalid'>Not shown: no parbench executable (give --parbench or build "
                "build/release/parbench).</p>")
    columns, figures = [], []
    for name, files in groups:
        done = subprocess.run([parbench, "report", "card", *files, "--json"], capture_output=True,
                              text=True)
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return f"<p class='invalid'>parbench report card failed: {esc(why)}</p>"
        try:
            document = json.loads(done.stdout)
        except ValueError:
            return (f"<p class='invalid'>parbench report card gave no JSON: "
                    f"{esc(done.stdout.strip()[:200])}</p>")
        columns += [host if len(groups) == 1 else f"{name}: {host}" for host in document["hosts"]]
        if not figures:
            figures = [dict(f) for f in document["figures"]]
        else:
            for mine, theirs in zip(figures, document["figures"]):
                mine["values"] = mine["values"] + theirs["values"]
    records = []
    for f in figures:
        row = {"section": f["section"], "figure": f["label"]}
        first = f["values"][0] if f["values"] else None
        for column, v in zip(columns, f["values"]):
            # A negative cost: below the noise of the times it is taken from (as the card says).
            row[column] = "-" if v is None else "< noise" if v < 0 else f"{v:.4g} {f['unit']}"
            if column != columns[0]:
                row[f"{column} / {columns[0]}"] = (
                    "-" if v is None or not first or v < 0 or first < 0 else f"{v / first:.2f}x")
        row["from"] = f["source"] if any(v is not None for v in f["values"]) else \
            f"not measured: $ {f['command']}"
        records.append(row)
    note = ("<p class='note'>What <code>parbench report card</code> prints, one column per host"
            + ("" if len(groups) == 1 else " of each side") + ", with the ratio to the first. "
            "A figure the rows do not hold is -, with the command that measures it.</p>")
    return note + table(pd.DataFrame(records))


def figures_section(sides: dict) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # medians of configurations with no rows
        figures, skipped = page_figures.draw_all(sides)
    legend = "".join(f"<span class='swatch' style='background:{c}'></span>{esc(b)}"
                     for b, c in page_figures.BACKEND_COLOURS.items()
                     if any((r["backend"] == b).any() for r in sides.values()))
    parts = [f"<p class='note'>One colour per backend in every figure:{legend}. "
             "<span class='invalid'>&#x2715;</span> marks a configuration with invalid rows. "
             "Hover a point or bar for its median, spread (median absolute deviation / median) "
             "and repetitions; the table under each figure has them all.</p>"]
    for f in figures:
        parts.append(f"<figure id='{f.key}' class='figure'><h3>{esc(f.title)}</h3>{f.svg}"
                     + (f"<p class='note'>{esc(f.note)}</p>" if f.note else "")
                     + f"<div class='numbers'>{table(f.table)}</div></figure>")
    if skipped:
        parts.append("<p class='note'>Not drawn: " + "; ".join(esc(s) for s in skipped) + "</p>")
    return "".join(parts)


def comparison(sides: dict, settings: compare.Settings) -> str:
    labels = list(sides)
    if len(labels) < 2:
        return "<p class='note'>One side only: nothing to compare.</p>"
    parts = [f"<p class='note'>Each side against {esc(labels[0])}, as <code>scripts/compare</code> "
             f"has it: new/base median wall time, its 95% bootstrap interval, the Mann-Whitney U "
             f"p-value; <b>slower</b>/<b>faster</b> only when the whole interval lies beyond "
             f"{settings.threshold:.0%} and the test agrees, <b>same</b> when it lies within, "
             f"<b>uncertain</b> otherwise. Largest changes first; invalid rows left out.</p>"]
    base = sides[labels[0]]
    for label in labels[1:]:
        parts.append(f"<h3>{esc(label)} against {esc(labels[0])}</h3>")
        differences = compare.fingerprint_diff(base, sides[label])
        if differences:
            parts.append(table(pd.DataFrame(differences, columns=["differs in", labels[0], label])))
        try:
            result = compare.compare(base, sides[label], settings)
        except compare.InputError as e:
            parts.append(f"<p class='note'>{esc(e)}</p>")
            continue
        m = result["matched"]
        m = m.assign(change=(m["ratio"] - 1).abs()).sort_values("change", ascending=False)
        counts = m["verdict"].value_counts()
        parts.append("<p>" + ", ".join(f"{counts.get(v, 0)} {v}" for v in compare.VERDICTS)
                     + f" of {len(m)} configurations on both sides; {len(result['only']['base'])} "
                     f"only on {esc(labels[0])}, {len(result['only']['new'])} only on "
                     f"{esc(label)}.</p>")
        frame = pd.DataFrame({
            "configuration": [compare.configuration_text(tuple(r[k] for k in compare.CONFIG_KEYS))
                              for _, r in m.iterrows()],
            f"{labels[0]} s": m["base_median_s"], f"{label} s": m["new_median_s"],
            "reps": [f"{b}/{n}" for b, n in zip(m["base_reps"], m["new_reps"])],
            "change": [f"{(r - 1):+.1%}" for r in m["ratio"]],
            "95% interval": ["-" if math.isnan(lo) else f"{lo - 1:+.1%}..{hi - 1:+.1%}"
                             for lo, hi in zip(m["ratio_low"], m["ratio_high"])],
            "p": m["p_value"], "verdict": m["verdict"]})
        verdicts = list(frame["verdict"])
        parts.append("<div class='numbers'>" + table(
            frame, cell_class=lambda i, c: f"verdict-{verdicts[i]}" if c == "verdict" else "")
            + "</div>")
    return "".join(parts)


def provenance(rows: pd.DataFrame, problems: list[str]) -> str:
    records = []
    for source, g in rows.groupby("source", sort=False):
        dirty = g.get("build_dirty", pd.Series("", index=g.index)).astype(str)
        versions = sorted(set(g.get("parbench_version", pd.Series("?")).astype(str)))
        records.append({
            "file": source, "rows": len(g),
            "invalid": f"{int((~g['valid']).sum())} INVALID" if (~g["valid"]).any() else "0",
            "hosts": "; ".join(dict.fromkeys(g["host"].astype(str))),
            "run ids": "; ".join(dict.fromkeys(g.get("run_id", pd.Series("")).astype(str))),
            "from / to": _span(g.get("timestamp", pd.Series("", index=g.index))),
            "parbench (commit)": "; ".join(versions),
            "schema": "; ".join(sorted(set(g["schema_version"].astype(str)))),
            "dirty build": "DIRTY" if (dirty == "true").any() or
            any(v.endswith("-dirty)") for v in versions) else "no"})
    frame = pd.DataFrame(records)
    dirty = list(frame["dirty build"] == "DIRTY")
    parts = [table(frame, cell_class=lambda i, c: "differs" if c == "dirty build" and dirty[i]
                   else "")]
    if problems:
        parts.append("<p>Lines left out (not rows parbench could have written):</p><ul>"
                     + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
    return "".join(parts)


def _span(stamps: pd.Series) -> str:
    stamps = sorted(s for s in stamps.astype(str) if s)
    return f"{stamps[0]} .. {stamps[-1]}" if stamps else "-"


def invalid_rows(rows: pd.DataFrame) -> str:
    bad = rows[~rows["valid"]]
    if bad.empty:
        return "<p>Every row is valid.</p>"
    per = (bad.groupby(["host", "kernel", "backend", "ipc", "workers", "params", "error"],
                       sort=False).size().reset_index(name="rows"))
    return ("<p class='invalid'>Invalid rows (kept and shown, never dropped silently):</p>"
            + table(per))


def render(rows: pd.DataFrame, sides: dict, groups: list[tuple[str, list[str]]],
           problems: list[str], parbench: str | None, settings: compare.Settings, by: str) -> str:
    """The page. `groups`: the files of each side named with --side, or one group of them all."""
    files = [f for _, group in groups for f in group]
    card_html = card(groups, parbench)
    figures_html = figures_section(sides)
    labels = ", ".join(sides)
    body = {"machines": machines(sides) + invalid_rows(rows), "costs": card_html,
            "figures": figures_html, "comparison": comparison(sides, settings),
            "provenance": provenance(rows, problems)}
    toc = " · ".join(f"<a href='#{k}'>{esc(t)}</a>" for k, t in SECTIONS)
    sections = "".join(f"<section id='{k}'><h2>{esc(t)}</h2>{body[k]}</section>"
                       for k, t in SECTIONS)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>parbench: {esc(labels)}</title><style>{STYLE}</style></head><body>"
            f"<h1>parbench results: {esc(labels)}</h1>"
            f"<p class='note'>{len(rows)} rows from {len(files)} files, sides by {esc(by)}. "
            f"{toc}</p>{sections}</body></html>\n")
