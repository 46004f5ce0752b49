"""scripts/report without a browser: what the page holds for synthetic rows of two hosts (the
browser's view is tests/report_page.sh), the --side option, bad usage."""

import os
import re
import subprocess
import sys


from test_compare import rows, write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "report")


def report(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def test_two_hosts_side_by_side_with_their_verdicts_and_an_invalid_row(tmp_path):
    slower = rows(host="beta", seed=2, scale=1.10)
    slower.loc[0, ["valid", "error"]] = ["false", "wrong count"]
    a = write(tmp_path, "a.csv", rows(host="alpha", seed=1))
    b = write(tmp_path, "b.csv", slower)
    done = report(a, b, "--out", str(tmp_path / "page"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{tmp_path / 'page' / 'index.html'}\n"
    page = (tmp_path / "page" / "index.html").read_text()
    for section in ("machines", "costs", "figures", "comparison", "provenance"):
        assert f"<section id='{section}'>" in page
    assert "<th>alpha</th><th>beta</th>" in page
    assert "wrong count" in page and "INVALID" in page
    assert page.count("class=\"verdict-slower\"") == 2  # serial and threads, 10% slower
    assert "<figure id='fig-speedup'" in page and "<svg" in page
    # Hover: every mark's title has its median, spread and repetitions.
    titles = re.findall(r"<title>([^<]*)</title>", page)
    assert any("median" in t and "reps" in t for t in titles), titles[:3]
    # Nothing fetched, nothing run.
    assert "<script" not in page and not re.search(r"(src|href)=['\"]?https?:", page)


def test_sides_named_by_file(tmp_path):
    a = write(tmp_path, "a.csv", rows(seed=1))
    b = write(tmp_path, "b.csv", rows(seed=2))
    done = report("--side", "before", a, "--side", "after", b, "--out", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "p" / "index.html").read_text()
    assert "<th>before</th><th>after</th>" in page
    assert "after against before" in page


def test_one_host_has_no_comparison(tmp_path):
    done = report(write(tmp_path, "a.csv", rows()), "--out", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    assert "One side only: nothing to compare." in (tmp_path / "p" / "index.html").read_text()


def test_bad_usage_is_one_line_and_exit_2(tmp_path):
    a = write(tmp_path, "a.csv", rows())
    for args in ([a], ["--side", "x", "--out", str(tmp_path / "p")],
                 [a, "--by", "nope", "--out", str(tmp_path / "p")]):
        done = report(*args)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, (args, done.stderr)
        assert done.stderr.startswith("report: error:")
    assert not (tmp_path / "p").exists()
