"""Opens a results page (scripts/report) in headless Chromium and checks what a reader sees:

  browser_check.py PAGE.html SHOT.png --hosts H1,H2 [--figures fig-speedup,...] [--invalid]

no console message and no error, nothing fetched (every resource inline), each section there, a
column per host in the machines table, every figure drawn (an SVG with a size and its marks), the
comparison's verdicts when there are two hosts or more, invalid rows shown when --invalid; and keeps
a screenshot of the page in SHOT.png. Exit 77 with SKIPPED and the reason where Chromium cannot
run; 1 with the failures.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SECTIONS = ["machines", "costs", "figures", "comparison", "provenance"]
# Put first in <head>: every error and console message of the page from then on is kept.
CATCH = """<script>window.__seen = [];
window.addEventListener('error', e => window.__seen.push('error: ' + e.message));
for (const level of ['error', 'warn', 'log']) {
  const original = console[level];
  console[level] = (...a) => { window.__seen.push(level + ': ' + a.join(' ')); original(...a); };
}</script>"""
# Put last in <body>: what the page looks like once laid out, as JSON in a <pre>.
LOOK = """<script>(() => {
const box = e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; };
const out = {seen: window.__seen,
  resources: performance.getEntriesByType('resource').map(r => r.name),
  external: [...document.querySelectorAll('[src],[href],link')].map(e =>
    e.getAttribute('src') || e.getAttribute('href') || '').filter(u => !u.startsWith('#')),
  sections: [...document.querySelectorAll('section')].map(s => [s.id, box(s)[1]]),
  machine_columns: [...document.querySelectorAll('#machines table:first-of-type thead th')]
    .map(th => th.textContent),
  figures: [...document.querySelectorAll('figure.figure')].map(f => {
    const svg = f.querySelector('svg');
    return {id: f.id, box: svg ? box(svg) : [0, 0],
            marks: svg ? svg.querySelectorAll('path, rect, use, line').length : 0,
            tips: svg ? svg.querySelectorAll('title').length : 0};
  }),
  verdicts: [...document.querySelectorAll('#comparison td[class^="verdict-"]')].length,
  invalid: document.querySelectorAll('#machines .invalid').length};
const pre = document.createElement('pre');
pre.id = '__look';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
})();</script>"""


def skip(why):
    print(f"SKIPPED: {why}")
    sys.exit(77)


def browser(args, profile):
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        skip("no chromium on PATH (scripts/install-deps installs Debian's chromium)")
    command = [found, "--headless", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
    if os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return subprocess.run(command + args, capture_output=True, text=True, timeout=120)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("shot")
    parser.add_argument("--hosts", required=True)
    parser.add_argument("--figures", default="")
    parser.add_argument("--invalid", action="store_true")
    args = parser.parse_args()
    hosts = args.hosts.split(",")
    with tempfile.TemporaryDirectory(prefix="page-check-") as work:
        probe = os.path.join(work, "probe.html")
        with open(probe, "w") as f:
            f.write("<html><body><p>probe</p></body></html>")
        done = browser(["--dump-dom", f"file://{probe}"], os.path.join(work, "profile"))
        if "probe" not in done.stdout:
            tail = " | ".join(done.stderr.strip().splitlines()[-2:])
            skip(f"chromium cannot run here (exit {done.returncode}): {tail}")
        page = open(args.page).read()
        checked = os.path.join(work, "checked.html")
        with open(checked, "w") as f:
            f.write(page.replace("<head>", "<head>" + CATCH, 1).replace("</body>",
                                                                         LOOK + "</body>", 1))
        done = browser(["--virtual-time-budget=5000", "--dump-dom", f"file://{checked}"],
                       os.path.join(work, "profile"))
        found = re.search(r'<pre id="__look">(.*?)</pre>', done.stdout, re.S)
        if not found:
            print(f"FAIL: the page did not load (exit {done.returncode})\n{done.stderr[-2000:]}")
            return 1
        look = json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">")
                          .replace("&quot;", '"').replace("&amp;", "&"))
        console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
        failures = []
        if look["seen"] or console:
            failures.append(f"console messages or errors: {look['seen'] + console}")
        if look["resources"] or look["external"]:
            failures.append(f"fetched or linked: {look['resources'] + look['external']}")
        sections = dict(look["sections"])
        for section in SECTIONS:
            if not sections.get(section):
                failures.append(f"section {section} missing or empty")
        for host in hosts:
            if host not in look["machine_columns"]:
                failures.append(f"no column for host {host} in {look['machine_columns']}")
        for figure in look["figures"]:
            width, height = figure["box"]
            if width < 100 or height < 100 or figure["marks"] < 10 or figure["tips"] < 1:
                failures.append(f"figure not drawn: {figure}")
        drawn = {f["id"] for f in look["figures"]}
        for wanted in filter(None, args.figures.split(",")):
            if wanted not in drawn:
                failures.append(f"figure {wanted} missing; drawn: {sorted(drawn)}")
        if len(hosts) > 1 and not look["verdicts"]:
            failures.append("no verdicts in the comparison")
        if args.invalid and not look["invalid"]:
            failures.append("the invalid rows are not shown in the machines section")
        done = browser([f"--screenshot={os.path.abspath(args.shot)}", "--window-size=1280,3000",
                        f"file://{os.path.abspath(args.page)}"], os.path.join(work, "profile"))
        if not os.path.exists(args.shot) or os.path.getsize(args.shot) < 10000:
            failures.append(f"no screenshot (exit {done.returncode})")
    if failures:
        print("FAIL: " + "\nFAIL: ".join(failures))
        return 1
    print(f"ok: {args.page}: {len(look['figures'])} figures, hosts {', '.join(hosts)}, "
          f"{look['verdicts']} verdicts; screenshot {args.shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
