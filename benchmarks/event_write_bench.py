#!/usr/bin/env python3
"""Cost of writing one event line with the tamper-evidence chain (events/writer.py, events/integrity.py).

One process appending ~800-byte lines to one day file (the hot path: flock, fstat, sha256, write, unlock), and
two processes appending to the same file at once (each write then also reads the file's last ~100 bytes).
Prints microseconds per event, best of five rounds.

    PYTHONPATH=addons .venv/bin/python benchmarks/event_write_bench.py [--events N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time



def _line() -> str:
    from socialguard.events.chain import render

    ev = {"@timestamp": "2026-11-25T10:00:00.000Z", "event": {"action": "social.activity"}, "pad": "x" * 700}
    return render(None, "", ev)[0][0]


def one_writer(directory: str, n: int) -> float:
    from socialguard.events.writer import DailyJsonlWriter

    w = DailyJsonlWriter(directory)
    line = _line()
    started = time.perf_counter()
    for _ in range(n):
        w.msg(line, "2026-11-25")
    elapsed = time.perf_counter() - started
    w.close()
    return elapsed / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(one_writer(a.child, a.events))
        return
    single = []
    for _ in range(5):
        with tempfile.TemporaryDirectory() as d:
            single.append(one_writer(d, a.events))
    shared = []
    for _ in range(5):
        with tempfile.TemporaryDirectory() as d:
            procs = [subprocess.Popen([sys.executable, __file__, "--events", str(a.events), "--child", d],
                                      stdout=subprocess.PIPE, text=True) for _ in range(2)]
            shared.append(max(float(p.communicate()[0]) for p in procs))
    print(f"one process:  {min(single):.1f} us/event")
    print(f"two processes on one file: {min(shared):.1f} us/event each")


if __name__ == "__main__":
    main()
