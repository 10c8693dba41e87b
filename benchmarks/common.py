"""Shared pieces of the benchmark scripts: processes on loopback, /proc sampling, medians, table printing."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
PYTHON = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")

sys.path.insert(0, str(ROOT / "tests"))
from support.faulty_servers import RegularProxy  # noqa: E402
from support.proxies import stop  # noqa: E402


# -- /proc ------------------------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (the proxies are single processes: mitmdump runs in `socialguard run`)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (socialguard's inspection workers, the forkserver)."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    out, frontier = [], {pid}
    while frontier:
        frontier = {c for c, pp in parent.items() if pp in frontier}
        out += frontier
    return out


def cpu_seconds_tree(pid: int) -> float:
    """CPU of the proxy and its live helper processes: inspection runs in worker processes, and counting only
    the proxy would hide that work. (A worker that exits between two samples loses its share.)"""
    total = 0.0
    for p in [pid, *descendants(pid)]:
        try:
            total += cpu_seconds(p)
        except OSError:
            pass
    return total


def status_kb(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def peak_rss_mb(pid: int) -> float:
    return status_kb(pid, "VmHWM") / 1024


def peak_rss_tree_mb(pid: int) -> float:
    """Peak RSS of the proxy plus its live helper processes (inspection workers, forkserver): the sum of each
    process's own peak, so an upper bound of what they held at once. Read before the proxy stops."""
    total = 0.0
    for p in [pid, *descendants(pid)]:
        try:
            total += peak_rss_mb(p)
        except OSError:
            pass
    return total


def rss_mb(pid: int) -> float:
    return status_kb(pid, "VmRSS") / 1024


# -- processes --------------------------------------------------------------------------------------
@dataclass
class Upstream:
    """benchmarks/upstream.py in its own process: the loopback HTTPS origin every proxy talks to."""

    workdir: Path
    body_bytes: int = 1024
    port: int = 0
    proc: subprocess.Popen | None = None

    def start(self) -> "Upstream":
        port_file = self.workdir / "upstream.port"
        self.proc = subprocess.Popen([PYTHON, str(BENCH / "upstream.py"), "--port-file", str(port_file),
                                      "--body-bytes", str(self.body_bytes)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not port_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("upstream did not start: " + stop(self.proc))
            time.sleep(0.05)
        self.port = int(port_file.read_text())
        return self

    def stop(self) -> None:
        if self.proc:
            stop(self.proc)


def decrypt_all_policy(dest: Path) -> Path:
    """The shipped policy with `tls.decrypt: all`, so `socialguard run` decrypts what bare mitmdump decrypts."""
    if not dest.exists():
        shutil.copytree(ROOT / "policy", dest)
        ops = dest / "operations.yaml"
        if ops.is_file():
            ops.write_text(ops.read_text().replace("decrypt: social", "decrypt: all"))
    return dest


MODES = ("regular", "reverse")


def Proxy(kind: str, workdir: Path, extra: list[str] | None = None, shipped_tls: bool = False,
          mode: str = "regular", upstream_port: int = 0) -> RegularProxy:
    """Bare `mitmdump` ("bare") or `socialguard run` ("socialguard"), both with the same mitmproxy options
    (ssl_insecure, own confdir, -q); output goes to <workdir>/proxy.log. socialguard decrypts every host
    like bare mitmdump does, unless `shipped_tls` (then non-social TLS passes through, as shipped).
    `mode`: "regular" (clients CONNECT) or "reverse" (`--mode reverse:https://127.0.0.1:<upstream_port>` with
    `keep_host_header`, so the `Host` the client sent is what both proxies see)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if mode == "reverse":
        extra = [*(extra or []), "--mode", f"reverse:https://127.0.0.1:{upstream_port}",
                 "--set", "keep_host_header=true"]
    policy = ROOT / "policy" if shipped_tls or kind == "bare" else decrypt_all_policy(workdir.parent / "policy-decrypt-all")
    return RegularProxy(workdir, bare=kind == "bare", mitm_extra=list(extra or []), quiet=True,
                        log_path=workdir / "proxy.log", policy=policy)


def trust(proxy, upstream: Upstream) -> str:
    """The CA file a client needs: the proxy's, plus the origin's own certificate for tunnels passed through."""
    bundle = proxy.workdir / "trust.pem"
    if not bundle.exists():
        bundle.write_bytes(proxy.ca.read_bytes() + (upstream.workdir / "upstream-cert.pem").read_bytes())
    return str(bundle)


def loadgen(args: list[str], timeout: float) -> dict:
    """benchmarks/loadgen.py in a separate process; its JSON summary."""
    out = subprocess.run([PYTHON, str(BENCH / "loadgen.py"), *args], capture_output=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"loadgen failed: {out.stderr.decode(errors='replace')[-2000:]}")
    return json.loads(out.stdout)


# -- numbers ----------------------------------------------------------------------------------------
def median(values) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)
