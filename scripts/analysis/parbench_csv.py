"""Reading parbench's CSVs by the rule of `parbench report` (harness/records/csv_format.cpp): a
line that cannot be a row parbench wrote is left out with one problem, "FILE:LINE: why", in the same
words, and the other rows are used.

Left out: a last line without its line break (cut short), a row with the wrong number of fields, of
another schema version, with a value parbench never writes (not a number, nan, inf, a negative time,
fewer than 1 worker), and the rows of a block whose header lacks a column of their version. Every
header line (first field schema_version) starts a block with its own columns, so that files of
several schema versions concatenated whole (`cat`) read together. A file that does not start with a
header is one problem. Rows of versions 6 to 8 come back as version 9 writes them: their
lost_updates, redelivered and lost_s in the measurements field, as the C++ reader has them.
"""

from __future__ import annotations

import math
import re

OLDEST_SCHEMA, NEWEST_SCHEMA = 2, 9

# std::from_chars' grammar (no '+', no spaces, no '_'): what the C++ reader accepts as a number.
_NUMBER = re.compile(r"-?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan(?:\([\w]*\))?)",
                     re.IGNORECASE)
_INT_RANGE = (-2**31, 2**31 - 1)


class Bad(ValueError):
    """A field parbench never writes; the message names it as the C++ reader does."""


def number(text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise Bad(f"'{text}' is not a number")
    if "nan" in text.lower():
        return math.nan
    value = float(text)
    if math.isinf(value) and "inf" not in text.lower():
        raise Bad(f"'{text}' is not a number")  # out of range: from_chars refuses it too
    return value


def finite(text: str) -> float:
    value = number(text)
    if not math.isfinite(value):
        raise Bad(f"'{text}' is not a finite number")
    return value


def seconds(text: str) -> float:
    value = number(text)
    if not math.isfinite(value) or value < 0:
        raise Bad(f"'{text}' is not a time (finite seconds, 0 or more)")
    return value


def whole(text: str, least: int | None = None) -> int:
    """An int column; `least`: its floor (workers 1, rep 0), None for no floor."""
    what = "a whole number" if least is None else f"a whole number of {least} or more"
    if not re.fullmatch(r"-?\d+", text) or not _INT_RANGE[0] <= int(text) <= _INT_RANGE[1]:
        raise Bad(f"'{text}' is not {what}")
    if least is not None and int(text) < least:
        raise Bad(f"'{text}' is not {what}")
    return int(text)


def unsigned(text: str) -> int:
    if not re.fullmatch(r"\d+", text) or int(text) >= 2**64:
        raise Bad(f"'{text}' is not a whole number from 0 to 2^64-1")
    return int(text)


def boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise Bad(f"'{text}' is not true or false")
    return text == "true"


def optional(check):
    return lambda text: None if text == "" else check(text)


def listed(check):
    return lambda text: [check(part) for part in text.split(";")] if text else []


def measurements(text: str) -> None:
    for part in text.split(";") if text else []:
        name, eq, value = part.partition("=")
        if not eq or not name:
            raise Bad(f"'{part}' is not name=value")
        # Counts, times and rates: never nan, inf or negative (the C++ reader says the same).
        v = number(value)
        if not math.isfinite(v) or v < 0:
            raise Bad(f"'{value}' is not a measurement (a finite number, 0 or more)")


def text(_: str) -> None:
    return None


# The columns the C++ reader reads back (those with a setter), with their check and the first schema
# version that has them (a row of that version or later needs them in its header); in the order of
# the schema, though a row's fields are checked in its header's order.
COLUMNS = {
    "kernel": (text, 2), "backend": (text, 2), "ipc": (text, 2), "schedule": (text, 2),
    "chunk": (unsigned, 2), "workers": (lambda t: whole(t, 1), 2),
    "threads_per_rank": (lambda t: whole(t, 1), 5), "nodes": (lambda t: whole(t, 1), 2),
    "size": (unsigned, 2), "params": (text, 2), "rep": (lambda t: whole(t, 0), 2),
    "round": (lambda t: whole(t, 0), 7), "setup_s": (seconds, 2), "wall_s": (seconds, 2),
    "cpu_s": (seconds, 2), "result": (unsigned, 2), "value": (finite, 2), "valid": (boolean, 2),
    "error": (text, 2), "measurements": (measurements, 4), "worker_hosts": (text, 2),
    "worker_cpus": (text, 5), "worker_busy_s": (listed(seconds), 2),
    "worker_items": (listed(unsigned), 2),
}
# Columns that became measurements of the same names, with their check and the versions that wrote
# them (since, until: the first without). Version 3's verify columns, read (and so checked) only on
# rows before version 4, checks and check_ns only where a flag was looked at; and lost_updates,
# redelivered and lost_s of versions 6 to 8, which a row of those versions needs in its header (as
# COLUMNS) and whose values the reader moves into the row's measurements.
LEGACY = {"checks": ("flag", number, 2, 4), "check_ns": ("flag", number, 2, 4),
          "stop_latency_s": ("optional", optional(number), 2, 4),
          "lost_updates": ("measurement", optional(unsigned), 6, 9),
          "redelivered": ("measurement", optional(unsigned), 8, 9),
          "lost_s": ("measurement", optional(seconds), 8, 9)}


def split_line(line: str) -> list[str]:
    """A CSV line's fields, as csv_split() has them: quotes around a field, "" for a quote inside,
    line breaks dropped."""
    fields, quoted, i = [""], False, 0
    while i < len(line):
        c = line[i]
        if quoted:
            if c == '"' and line[i + 1:i + 2] == '"':
                fields[-1] += '"'
                i += 1
            elif c == '"':
                quoted = False
            else:
                fields[-1] += c
        elif c == '"':
            quoted = True
        elif c == ",":
            fields.append("")
        elif c not in "\r\n":
            fields[-1] += c
        i += 1
    return fields


class _Block:
    def __init__(self, names: list[str], line: int):
        self.names, self.line, self.rows, self.newest = names, line, [], 0

    def add(self, fields: list[str], line: int) -> str | None:
        """Adds the row, or says why parbench cannot have written it (its first bad field)."""
        if len(fields) != len(self.names):
            return f"{len(fields)} fields, the header has {len(self.names)}"
        try:
            version = whole(fields[0])
        except Bad:
            version = -1
        if not OLDEST_SCHEMA <= version <= NEWEST_SCHEMA:
            return (f"schema version {fields[0]}; this parbench reads versions {OLDEST_SCHEMA} "
                    f"to {NEWEST_SCHEMA}")
        row = dict(zip(self.names, fields))
        flag = row.get("ipc") not in ("none", "serial-first")
        # The C++ reader's order: this version's columns, then the legacy ones.
        checks = [(n, COLUMNS[n][0]) for n in self.names if n in COLUMNS]
        checks += [(n, check) for n, (kind, check, since, until) in LEGACY.items()
                   if n in row and since <= version < until and (kind != "flag" or flag)]
        for name, check in checks:
            try:
                check(row[name])
            except Bad as why:
                return f"column {name}: {why}"
        # As a row of this version has them: in the measurements, after what was measured there.
        moved = {n: row.pop(n) for n, (kind, _, since, until) in LEGACY.items()
                 if kind == "measurement" and since <= version < until and n in row}
        if moved:
            row["measurements"] = ";".join(filter(None, [row.get("measurements", "")]
                                                  + [f"{n}={v}" for n, v in moved.items() if v]))
        # A valid repetition took time: a wall_s of 0 would make an infinite throughput and speed-up.
        if (row.get("valid") == "true" and int(row.get("rep") or 0) > 0
                and not float(row.get("wall_s") or 0) > 0):
            return "column wall_s: a valid repetition that took no time"
        self.newest = max(self.newest, version)
        row["line"] = line
        self.rows.append(row)
        return None

    def close(self, rows: list[dict], problems: list[tuple[int, str]]) -> None:
        """Keeps the rows, unless the header lacks a column of their version: then one problem."""
        if not self.rows:
            return
        required = [(n, since, NEWEST_SCHEMA + 1) for n, (_, since) in COLUMNS.items()]
        required += [(n, since, until) for n, (kind, _, since, until) in LEGACY.items()
                     if kind == "measurement"]
        for name, since, until in required:
            if since <= self.newest < until and name not in self.names:
                problems.append((self.line, f"the header has no column {name} (its "
                                            f"{len(self.rows)} rows left out)"))
                return
        rows.extend(self.rows)


def read(path: str) -> tuple[list[dict], list[str]]:
    """The rows of one file (each a dict of its header's names to text, and its line number), and
    one "FILE:LINE: why" per line left out. Raises OSError when the file cannot be read."""
    with open(path, "rb") as f:
        data = f.read().decode("utf-8", errors="replace")
    rows, problems, block = [], [], None
    lines = data.split("\n")
    for number_, line in enumerate(lines, start=1):
        if number_ == len(lines):
            if line:  # parbench ends every line it writes: a run still writing, or a copy cut off
                problems.append((number_, "cut short: the file ends inside this line"))
            break
        if line.endswith("\r"):
            line = line[:-1]
        fields = split_line(line)
        if fields[0] == "schema_version":
            if block:
                block.close(rows, problems)
            block = _Block(fields, number_)
        elif block is None:
            problems.append((number_,
                             "not a parbench CSV (its first column is not schema_version)"))
            break
        elif not line:
            continue
        elif (why := block.add(fields, number_)) is not None:
            problems.append((number_, why))
    if not data:
        problems.append((1, "empty: not even a header line"))
    if block:
        block.close(rows, problems)
    problems.sort(key=lambda p: p[0])
    return rows, [f"{path}:{line}: {why}" for line, why in problems]
