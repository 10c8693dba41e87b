"""Profile `socialguard run` under the benchmark's load with py-spy; prints the top frames per workload.

    .venv/bin/python benchmarks/profile_proxy.py [--seconds 8] [--only b,c,a] [--mode regular|reverse]

One proxy per workload (decrypting everything, as in benchmarks/run.py), a warm-up, then `py-spy record
--format raw` on the proxy pid while benchmarks/loadgen.py sends 8 connections of that workload. The table
gives each function's share of the samples as *self* (the frame on top) and *total* (anywhere in the stack).
Needs py-spy (`.venv/bin/python -m pip install py-spy`) and permission to ptrace the proxy.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Proxy, Upstream, loadgen, markdown_table, trust  # noqa: E402
from run import WORKLOADS, load_args  # noqa: E402

PY_SPY = Path(sys.executable).with_name("py-spy")


def top_frames(raw: Path, n: int) -> tuple[int, list[list[str]]]:
    """From py-spy's collapsed stacks ("a;b;c count"): the n functions with most self samples, with totals."""
    own: collections.Counter = collections.Counter()
    ours: collections.Counter = collections.Counter()      # socialguard's functions, by total
    anywhere: collections.Counter = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        k = int(count)
        samples += k
        # "func (path/to/file.py)" -> "func (file.py)"
        frames = [f"{f.split(' (', 1)[0]} ({f.rsplit('/', 1)[-1]}" if "/" in f else f for f in stack.split(";")]
        own[frames[-1]] += k
        for f in set(frames):
            anywhere[f] += k
        for f in set(stack.split(";")):
            if "/socialguard/" in f and "/commands/" not in f and "/cli.py" not in f:   # not the entry point
                ours[f"{f.split(' (', 1)[0]} ({f.split('/socialguard/', 1)[1]}"] += k
        if any("/socialguard/" in f and "/commands/" not in f and "/cli.py" not in f for f in stack.split(";")):
            ours["(any socialguard hook or module)"] += k
    rows = [[f"`{f}`", f"{c / samples:.1%}", f"{anywhere[f] / samples:.1%}"] for f, c in own.most_common(n)]
    rows += [["**socialguard's own functions (total)**", "", ""]]
    rows += [[f"`{f}`", "", f"{c / samples:.1%}"] for f, c in ours.most_common(12)]
    return samples, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--only", default="b,c,a")
    ap.add_argument("--mode", default="regular", choices=("regular", "reverse"))
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    a = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="socialguard-prof-"))
    upstream = Upstream(workdir).start()
    try:
        for key in a.only.split(","):
            w = next(w for w in WORKLOADS if w.key == key)
            proxy = Proxy("socialguard", workdir / f"{key}", mode=a.mode, upstream_port=upstream.port).start()
            try:
                args = load_args(proxy, upstream, w, a.mode)
                loadgen(args + ["--connections", "2", "--duration", "1"], timeout=60)
                raw = workdir / f"{key}.txt"
                spy = subprocess.Popen([str(PY_SPY), "record", "--pid", str(proxy.pid), "--format", "raw",
                                        "--rate", str(a.rate), "--function", "--full-filenames", "--duration", str(int(a.seconds)), "--nonblocking",
                                        "--output", str(raw)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                done = threading.Event()
                result: dict = {}

                def load() -> None:
                    result.update(loadgen(args + ["--connections", "8", "--duration", str(a.seconds)],
                                          timeout=a.seconds + 60)["requests"])
                    done.set()

                t = threading.Thread(target=load)
                t.start()
                spy.wait(timeout=a.seconds + 60)
                t.join()
                if not raw.exists():
                    print(f"({key}) py-spy failed: {spy.stderr.read().decode(errors='replace')[-500:]}")
                    continue
                samples, rows = top_frames(raw, a.top)
                print(f"\n#### ({key}) {w.title}, {a.mode} mode: {samples} samples, {result.get('rps', 0):,.0f} req/s\n")
                print(markdown_table(["function (file)", "self", "total"], rows))
            finally:
                proxy.stop()
    finally:
        upstream.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
