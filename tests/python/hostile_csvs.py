"""The broken CSVs a hostile user feeds the readers, made from one good parbench CSV, each with the
problems every reader (parbench report, scripts/compare, scripts/plot) must print for it.

  hostile_csvs.py GOOD.csv DIR    writes DIR/NAME.csv for each case and DIR/expected, whose lines
                                  are NAME<TAB>USABLE ROWS<TAB>problem lines joined by <TAB>

Used by tests/report_broken_rows.sh (the C++ reader, and both readers side by side) and
tests/python/test_broken_rows.py.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scripts", "analysis"))
import parbench_csv  # noqa: E402  (its line splitting only)


def join(fields):
    return ",".join(f'"{f}"' if ("," in f or '"' in f) else f for f in fields)


def cases(good: str) -> dict:
    """NAME -> (content as bytes, usable rows, [(line, why)]). GOOD needs four rows or more."""
    lines = good.rstrip("\n").split("\n")
    header, rows = lines[0], lines[1:]
    names = parbench_csv.split_line(header)
    n = len(rows)
    assert n >= 4, "the good CSV needs four rows or more"

    def with_field(row, name, value):
        fields = parbench_csv.split_line(row)
        fields[names.index(name)] = value
        return join(fields)

    def text(all_lines, end="\n"):
        return ("\n".join(all_lines) + end).encode()

    def changed(changes):  # {row index: new line}
        return [header] + [changes.get(i, r) for i, r in enumerate(rows)]

    wide = len(names)
    return {
        "good": (text(lines), n, []),
        # The file ends inside its last row: a run still writing, or a copy cut off.
        "truncated": (text(lines, end="")[:-7], n - 1,
                      [(n + 1, "cut short: the file ends inside this line")]),
        "fields": (text(changed({1: join(parbench_csv.split_line(rows[1])[:-2])})), n - 1,
                   [(3, f"{wide - 2} fields, the header has {wide}")]),
        "times": (text(changed({0: with_field(rows[0], "wall_s", "nan"),
                                1: with_field(rows[1], "cpu_s", "inf"),
                                2: with_field(rows[2], "wall_s", "-1.5")})), n - 3,
                  [(2, "column wall_s: 'nan' is not a time (finite seconds, 0 or more)"),
                   (3, "column cpu_s: 'inf' is not a time (finite seconds, 0 or more)"),
                   (4, "column wall_s: '-1.5' is not a time (finite seconds, 0 or more)")]),
        # A valid repetition that took no time (an infinite speed-up), a negative measurement.
        "absurd": (text(changed({0: with_field(rows[0], "wall_s", "0"),
                                 1: with_field(rows[1], "measurements", "gbs=-3.85")})), n - 2,
                   [(2, "column wall_s: a valid repetition that took no time"),
                    (3, "column measurements: '-3.85' is not a measurement (a finite number, 0 or "
                        "more)")]),
        "integers": (text(changed({0: with_field(rows[0], "workers", "two"),
                                   1: with_field(rows[1], "size", "1e6")})), n - 2,
                     [(2, "column workers: 'two' is not a whole number of 1 or more"),
                      (3, "column size: '1e6' is not a whole number from 0 to 2^64-1")]),
        "workers": (text(changed({1: with_field(rows[1], "workers", "-2")})), n - 1,
                    [(3, "column workers: '-2' is not a whole number of 1 or more")]),
        "schema": (text(changed({0: with_field(rows[0], "schema_version", "99")})), n - 1,
                   [(2, "schema version 99; this parbench reads versions 2 to 9")]),
        "empty": (b"", 0, [(1, "empty: not even a header line")]),
        "header_only": (text([header]), 0, []),
        # `cat a.csv b.csv` of one schema: the second header starts a block like the first.
        "two_headers": (text([header] + rows[:2] + [header] + rows[2:]), n, []),
        "garbage": (bytes(range(256)) * 3 + b"\n" + text(lines), 0,
                    [(1, "not a parbench CSV (its first column is not schema_version)")]),
        "garbage_inside": (text([header] + rows[:2]) + b"\x00\xff\x01binary\x7f\n"
                           + text(rows[2:]), n, [(4, f"1 fields, the header has {wide}")]),
    }


def main():
    good, out = sys.argv[1], sys.argv[2]
    with open(good) as f:
        made = cases(f.read())
    with open(os.path.join(out, "expected"), "w") as expected:
        for name, (content, usable, problems) in made.items():
            path = os.path.join(out, name + ".csv")
            with open(path, "wb") as f:
                f.write(content)
            said = [f"{path}:{line}: {why}" for line, why in problems]
            expected.write("\t".join([name, str(usable), *said]) + "\n")


if __name__ == "__main__":
    main()
