"""scripts/plot on the committed reference CSVs: each figure the rows can feed is written as a PNG,
has the panels and series expected, and the others are skipped with a reason."""

import glob
import os
import subprocess
import sys

import pandas as pd
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "analysis"))
import compare  # noqa: E402
import plots  # noqa: E402

REFERENCES = sorted(glob.glob(os.path.join(ROOT, "results", "reference", "*.csv")))


def reference(name):
    return compare.load([os.path.join(ROOT, "results", "reference", name)])


def labels(ax):
    return {text.get_text() for text in ax.get_legend().get_texts()} if ax.get_legend() else set()


def test_every_reference_csv_gives_png_files(tmp_path):
    done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "plot"), *REFERENCES,
                           "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = done.stdout.split()
    assert {os.path.basename(p) for p in written} == {"speedup.png", "throughput.png",
                                                      "verify.png", "sweep.png", "fill.png"}
    for path in written:
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", path
    assert "skipped count: no count rows" in done.stderr


def test_speedup_has_a_panel_pair_per_workload_with_every_backend_and_the_ideal():
    fig, name = plots.speedup(reference("vm-epyc-2vcpu-pi-1e10.csv"))
    assert name == "speedup.png"
    speedup_ax, efficiency_ax = fig.axes
    assert labels(speedup_ax) == {"threads", "processes", "tbb", "mpi", "ideal"}
    assert speedup_ax.get_ylabel() == "speed-up" and efficiency_ax.get_ylabel() == "efficiency"


def test_verify_has_serial_and_one_bar_group_per_variant():
    rows = reference("vm-epyc-2vcpu-verify.csv")
    fig, _ = plots.verify(rows)
    (ax,) = fig.axes
    assert "serial" in labels(ax) and {"shm", "mmap", "none"} <= labels(ax)
    assert len(ax.containers) >= len(labels(ax))  # bars (and their whiskers) per series


def test_sweep_draws_the_u_curve_and_the_saw_tooth():
    fig, _ = plots.sweep(reference("vm-epyc-2vcpu-sweep-B.csv"))
    titles = [ax.get_title() for ax in fig.axes]
    assert any(t.startswith("U-curve") for t in titles)
    assert any(t.startswith("saw-tooth") for t in titles)
    assert fig.axes[0].get_xscale() == "log"


def test_count_draws_ns_per_increment_per_variant_and_worker_count():
    rows = pd.DataFrame([
        {"schema_version": 6, "host": "vm", "kernel": "count", "backend": "threads", "ipc": v,
         "schedule": "static", "chunk": 0, "workers": w, "threads_per_rank": 1, "size": 1000 * w,
         "params": "increments=1000;batch=1;think_ns=0;lock_scope=each", "wall_s": 1e-4 * w,
         "valid": True, "measurements": "lost_updates=0", "parbench_version": "t"}
        for v in ("atomic", "shm-mutex") for w in (1, 2)])
    fig, _ = plots.count(rows)
    (ax,) = fig.axes
    assert labels(ax) == {"1 workers", "2 workers"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["atomic", "shm-mutex"]


def test_fill_draws_gbs_per_block_and_backend_with_this_runs_memset():
    rows = pd.DataFrame([
        {"schema_version": 7, "host": "vm", "kernel": "fill", "backend": b, "ipc": v,
         "schedule": "static", "chunk": 0, "workers": w, "threads_per_rank": 1, "size": 256,
         "params": "cols=32768;fill=id;first_touch=populate", "wall_s": 0.01, "valid": True,
         "measurements": f"gbs={10 * w};memset_gbs=25;census_ids={w}", "parbench_version": "t"}
        for v in ("shm", "mmap") for b, w in (("serial", 1), ("processes", 2))])
    fig, _ = plots.fill(rows)
    (ax,) = fig.axes
    assert labels(ax) == {"serial x1", "processes x2", "memset, same run"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["shm", "mmap"]
    assert sorted(p.get_height() for p in ax.patches) == [10, 10, 20, 20]
    assert ax.get_lines()[0].get_ydata()[0] == 25


@pytest.mark.parametrize("figure", plots.FIGURES)
def test_rows_that_cannot_feed_a_figure_skip_it_with_a_reason(figure):
    rows = reference("vm-epyc-2vcpu-two-slurm-nodes.csv").iloc[0:0]
    with pytest.raises(plots.Skip, match="."):
        figure(rows)


def test_a_link_planted_where_a_figure_goes_is_replaced_not_followed(tmp_path):
    # A directory others can write, with another user's link where throughput.png will go.
    victim = tmp_path / "victim"
    victim.write_text("precious")
    out = tmp_path / "shared"
    out.mkdir(mode=0o1777)
    (out / "throughput.png").symlink_to(victim)
    done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "plot"),
                           os.path.join(ROOT, "results", "reference", "vm-epyc-2vcpu-pi-1e10.csv"),
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "precious"
    assert not (out / "throughput.png").is_symlink()
    assert not [p for p in os.listdir(out) if p.startswith(".plot-")]
