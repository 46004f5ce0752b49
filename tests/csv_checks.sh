# Helpers for the CSV-reading tests (sourced); Python's csv module does the quoting.
csv_column() {  # csv_column FILE NAME: the values of one column, one per row
  python3 -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1])): print(row[sys.argv[2]])' "$1" "$2"
}
csv_field_counts() {  # the distinct numbers of fields per line
  python3 -c 'import csv, sys
print("\n".join(sorted({str(len(r)) for r in csv.reader(open(sys.argv[1]))})))' "$1"
}
csv_on_two_hosts() {  # csv_on_two_hosts IN OUT: every row of IN twice, the copy on host "elsewhere"
  python3 - "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as out:
    w = csv.DictWriter(out, fieldnames=rows[0].keys())
    w.writeheader()
    for r in rows:
        w.writerow(r)
        w.writerow({**r, "host": "elsewhere"})
PY
}
