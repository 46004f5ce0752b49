"""Two hosts' CSVs for the results page's test, made from one fresh parbench CSV:

  page_csvs.py FRESH.csv A.csv B.csv

A.csv: the rows as they are, on host page-test-a. B.csv: the same rows on host page-test-b, built by
another parbench version (a dirty one), 10% slower, with its first valid row marked invalid, as a
run whose check failed has it.
"""

import sys

from hostile_csvs import join
from parbench_rows import parbench_csv


def rewrite(lines, names, change):
    out = [lines[0]]
    for index, line in enumerate(lines[1:]):
        fields = dict(zip(names, parbench_csv.split_line(line)))
        change(index, fields)
        out.append(join([fields[n] for n in names]))
    return "\n".join(out) + "\n"


def main():
    fresh, a, b = sys.argv[1:4]
    lines = open(fresh).read().rstrip("\n").split("\n")
    names = parbench_csv.split_line(lines[0])
    assert names.count("schema_version") == 1 and lines.count(lines[0]) == 1, "one header only"

    def host_a(_, fields):
        fields["host"] = "page-test-a"

    def host_b(index, fields):
        fields["host"] = "page-test-b"
        fields["parbench_version"] = "0.0.9 (0123456789ab-dirty)"
        fields["build_dirty"] = "true"
        fields["wall_s"] = f"{float(fields['wall_s']) * 1.1:.9g}"
        if index == 0:
            fields["valid"], fields["error"] = "false", "injected by the page test"

    with open(a, "w") as f:
        f.write(rewrite(lines, names, host_a))
    with open(b, "w") as f:
        f.write(rewrite(lines, names, host_b))


if __name__ == "__main__":
    main()
