"""Throughput of `socialguard run --workers N` for N = 1 and 2 on this machine.

    .venv/bin/python benchmarks/multiprocess_bench.py [--quick] [--duration S] [--connections C]

Load: wrk (Debian package) sending plain-HTTP proxy requests (absolute-form `GET http://127.0.0.1:<origin>/...`
with `Host: mastodon.social`), so every request is classified as social media and writes one event. wrk cannot
tunnel HTTPS through a proxy; the TLS cost is the same per worker, so the 1 -> 2 ratio is what this measures.
The origin is a minimal asyncio HTTP server in its own process. All on loopback; each run is bounded by
--duration. The machine is shared: read the ratio, not the absolute numbers; `proxy CPU s` (user+system seconds
of the proxy processes during the run) and `req/CPU-s` show whether the workers got the cores at all.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support.proxies import free_port, wait_port  # noqa: E402

SOCIALGUARD = str(Path(sys.executable).parent / "socialguard")

ORIGIN = r"""
import asyncio, sys
BODY = b'{"id":"1","content":"ok"}'
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with server:
        await server.serve_forever()
asyncio.run(main())
"""

WRK_SCRIPT = """
wrk.method = "GET"
wrk.path = "http://127.0.0.1:{origin}/api/v1/timelines/home"
wrk.headers["Host"] = "mastodon.social"
"""


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wrk(port: int, script: Path, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency",
                          "-s", str(script), f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)

    def ms(m):
        if not m:
            return None
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    return {"rps": rps, "p50_ms": ms(p50), "p99_ms": ms(p99), "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def _proxy_pids(pid: int) -> list[int]:
    """The mitmdump process(es): the supervisor's children with --workers > 1, else the process itself."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [int(c) for c in children] or [pid]


def run_one(workers: int, origin: int, script: Path, duration: int, connections: int, work: Path) -> dict:
    port, metrics = free_port(), free_port()
    events = work / f"events-{workers}"
    proc = subprocess.Popen(
        [SOCIALGUARD, "run", "--events-dir", str(events), "--listen-port", str(port), "--node", "bench",
         "--workers", str(workers), "--", "--set", f"confdir={work / 'conf'}",
         "--set", f"socialguard_metrics_port={metrics}", "--set", "termlog_verbosity=warn",
         "--set", "socialguard_refuse_loopback=false"],      # the origin is a loopback server
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        wait_port(port, proc, timeout=60)
        for i in range(workers):
            wait_port(metrics + i, proc, timeout=60)
        wrk(port, script, 1, connections)                          # warm-up
        pids = _proxy_pids(proc.pid)
        cpu_before = sum(_cpu_seconds(p) for p in pids)
        result = wrk(port, script, duration, connections)
        result["proxy_cpu_s"] = round(sum(_cpu_seconds(p) for p in pids) - cpu_before, 1)
        # Requests per CPU-second of the proxy processes: how much one core buys, whatever else ran.
        result["req_per_cpu_s"] = round(result["rps"] * duration / result["proxy_cpu_s"]) if result["proxy_cpu_s"] else 0
    finally:
        _stop(proc)
    lines = sum(f.read_bytes().count(b"\n") for f in events.glob("*.jsonl"))
    return {"workers": workers, "connections": connections, "duration_s": duration, **result, "events": lines}


def run(quick: bool = False, duration: int | None = None, connections: int = 32) -> list[dict]:
    duration = duration or (3 if quick else 10)
    with tempfile.TemporaryDirectory(prefix="sg-mp-bench-") as tmp:
        work = Path(tmp)
        origin_port = free_port()
        origin = subprocess.Popen([sys.executable, "-c", ORIGIN, str(origin_port)])
        try:
            wait_port(origin_port, origin)
            script = work / "proxy.lua"
            script.write_text(WRK_SCRIPT.format(origin=origin_port))
            rows = [run_one(n, origin_port, script, duration, connections, work) for n in (1, 2)]
        finally:
            _stop(origin)
    base = rows[0]["rps"] or 1.0
    for row in rows:
        row["speedup"] = round(row["rps"] / base, 2)
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"machine: {os.cpu_count()} cores (load average {os.getloadavg()[0]:.2f} at the end)")
    print(f"{'workers':>7} {'conns':>5} {'secs':>4} {'req/s':>9} {'speedup':>7} {'p50 ms':>7} {'p99 ms':>7}"
          f" {'non-2xx':>7} {'events':>7} {'proxy CPU s':>11} {'req/CPU-s':>9}")
    for r in rows:
        print(f"{r['workers']:>7} {r['connections']:>5} {r['duration_s']:>4} {r['rps']:>9.0f} {r['speedup']:>7}"
              f" {r['p50_ms'] or 0:>7.1f} {r['p99_ms'] or 0:>7.1f} {r['non_2xx']:>7} {r['events']:>7} {r['proxy_cpu_s']:>11} {r['req_per_cpu_s']:>9}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--duration", type=int)
    ap.add_argument("--connections", type=int, default=32)
    a = ap.parse_args()
    started = time.monotonic()
    print_table(run(a.quick, a.duration, a.connections))
    print(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
