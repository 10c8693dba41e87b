#!/usr/bin/env python3
"""Benchmark of `socialguard report` on a synthetic month (issue 5, guideline 2.7).

Generates the month once (scripts/gen_synthetic_month.py; kept in $SOCIALGUARD_BENCH_DIR, default
/tmp/socialguard-bench, never committed), then times three runs of a group-level daily JSON report over it,
each in a fresh process whose peak RSS comes from wait4():
  cold    --no-cache: DuckDB parses every JSON line
  ingest  first run with the columnar cache: parses and writes the cache
  warm    later runs (the scheduled weekly report's case): reads the cache
Prints a Markdown table. Aim: warm <= 10 s and <= 2 GiB for 5,000 staff (~10 M events) on 2 cores.

    benchmarks/report_bench.py [--quick]        (quick: 500 staff, ~1 M events)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTH = "2026-11"


def _count(directory: Path) -> int:
    marker = directory / ".events-count"
    return int(marker.read_text()) if marker.exists() else 0


def month(staff: int) -> tuple[Path, int]:
    base = Path(os.environ.get("SOCIALGUARD_BENCH_DIR", "/tmp/socialguard-bench"))
    directory = base / f"month-{staff}"
    if not _count(directory):
        # In a child process: a forked child's peak RSS would otherwise include this process's generator arrays.
        out = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_synthetic_month.py"), str(directory),
                              "--staff", str(staff), "--month", MONTH], check=True, capture_output=True, text=True)
        (directory / ".events-count").write_text(out.stderr.split()[0].replace(",", ""))
    return directory, _count(directory)


def _timed(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (bytes) of one child process. On a shared
    machine wall time grows with the load; CPU time much less so."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def run(quick: bool = False) -> list[dict]:
    staff = 500 if quick else 5000
    events, n = month(staff)
    shutil.rmtree(events / ".report-cache", ignore_errors=True)
    cmd = [sys.executable, "-m", "socialguard.cli", "report", "--events", str(events), "--policy",
           str(ROOT / "policy"), "--from", f"{MONTH}-01", "--to", f"{MONTH}-30", "--format", "json",
           "--out", os.devnull]
    results = []
    for mode, extra in (("cold (no cache)", ["--no-cache"]), ("ingest (builds cache)", []), ("warm (cache)", [])):
        load = os.getloadavg()[0]
        wall, cpu, rss = _timed(cmd + extra)
        results.append({"benchmark": "report", "staff": staff, "events": n, "mode": mode,
                        "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mib": round(rss / 2**20, 1),
                        "load_before": round(load, 1)})
    return results


def table(results: list[dict]) -> str:
    lines = ["| staff | events | run | wall s | CPU s | peak RSS MiB | load avg before |",
             "|---:|---:|---|---:|---:|---:|---:|"]
    lines += [f"| {r['staff']:,} | {r['events']:,} | {r['mode']} | {r['wall_s']} | {r['cpu_s']} | "
              f"{r['peak_rss_mib']} | {r['load_before']} |" for r in results]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="500 staff instead of 5,000")
    print(table(run(ap.parse_args().quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
