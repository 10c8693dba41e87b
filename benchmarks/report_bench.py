#!/usr/bin/env python3
"""Benchmark of `socialguard report` on a synthetic month (issues 5, 16, 17; guideline 2.7).

Generates the month once (scripts/gen_synthetic_month.py; kept in $SOCIALGUARD_BENCH_DIR, default
/tmp/socialguard-bench, never committed), then times runs of a group-level daily JSON report over it, each in a
fresh process whose CPU time and peak RSS come from wait4() (the whole process tree: Spark's JVM and Python
workers included):
  no cache   --no-cache: DuckDB parses every JSON line
  convert    `socialguard convert`: the nightly step writes the closed days' Parquet partitions
  cold       the first report process after the conversion (the timer's case; nothing parsed from JSON)
  warm       a second report process
  spark      `--engine spark` through spark-submit on local[1] and local[2] (executor cores), reading the
             converted partitions; "spark start" is the same with an empty range (JVM + session, no data)
Events per second per core = events / CPU s of the whole process tree (on a shared, loaded machine wall time
says more about the neighbours than about the engine); for Spark also net of the empty-range run's CPU (JVM
start, JIT, session). Prints a Markdown table. Aim: cold <= 10 s and
<= 2 GiB for 5,000 staff (~10 M events) on 2 cores.

    benchmarks/report_bench.py [--quick] [--no-spark]       (quick: 500 staff, ~1 M events)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
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
    # stderr to a file, not a pipe: Spark logs more than a pipe holds, and a full pipe would stall the child.
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise RuntimeError(f"{' '.join(args)} failed: {err.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def _spark_submit() -> list[str] | None:
    try:
        import pyspark
    except ImportError:
        return None
    return [str(Path(pyspark.__file__).parent / "bin" / "spark-submit"), "--driver-memory", "2g",
            "--conf", "spark.ui.enabled=false", "--conf", "spark.ui.showConsoleProgress=false"]


def run(quick: bool = False, spark: bool = True) -> list[dict]:
    staff = 500 if quick else 5000
    events, n = month(staff)
    shutil.rmtree(events / ".report-cache", ignore_errors=True)
    args = ["--events", str(events), "--policy", str(ROOT / "policy"), "--from", f"{MONTH}-01",
            "--to", f"{MONTH}-30", "--format", "json", "--out", os.devnull]
    report = [sys.executable, "-m", "socialguard.cli", "report", *args]
    cores = os.cpu_count() or 1
    runs: list[tuple[str, list[str], int, int]] = [
        ("no cache (parses all JSON)", report + ["--no-cache"], cores, n),
        ("convert (nightly step)", [sys.executable, "-m", "socialguard.cli", "convert", "--events", str(events)],
         cores, n),
        ("cold (after convert)", report, cores, n),
        ("warm", report, cores, n),
    ]
    submit = _spark_submit() if spark else None
    if submit:
        job = str(ROOT / "addons" / "socialguard" / "report" / "spark_job.py")
        empty = [a if a not in (f"{MONTH}-01", f"{MONTH}-30") else "2030-01-01" for a in args]
        for k in (1, 2):
            runs.append((f"spark start local[{k}] (empty range)", [*submit, "--master", f"local[{k}]", job, *empty],
                         k, 0))
            runs.append((f"spark local[{k}]", [*submit, "--master", f"local[{k}]", job, *args], k, n))
    env_path = str(ROOT / "addons")
    os.environ["PYTHONPATH"] = env_path + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    results = []
    start_cpu = 0.0
    for mode, cmd, k, events_read in runs:
        load = os.getloadavg()[0]
        wall, cpu, rss = _timed(cmd)
        if not events_read:
            start_cpu = cpu
        net = cpu - start_cpu if mode.startswith("spark") else cpu
        results.append({"benchmark": "report", "staff": staff, "events": n, "mode": mode, "cores": k,
                        "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mib": round(rss / 2**20, 1),
                        "events_per_s_core": round(events_read / net) if events_read and net > 0 else None,
                        "load_before": round(load, 1)})
        print(table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    return results


def table(results: list[dict]) -> str:
    lines = ["| staff | events | run | cores | wall s | CPU s | events/s/core | peak RSS MiB | load avg before |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['staff']:,} | {r['events']:,} | {r['mode']} | {r['cores']} | {r['wall_s']} | {r['cpu_s']} | "
              f"{'' if r['events_per_s_core'] is None else format(r['events_per_s_core'], ',')} | "
              f"{r['peak_rss_mib']} | {r['load_before']} |" for r in results]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="500 staff instead of 5,000")
    ap.add_argument("--no-spark", action="store_true", help="the embedded engine only")
    a = ap.parse_args()
    print(table(run(a.quick, spark=not a.no_spark)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
