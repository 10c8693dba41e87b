"""Shared pieces of the benchmark scripts: processes on loopback, /proc sampling, medians, table printing."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
VENV_BIN = Path(sys.executable).parent
MITMDUMP = str(VENV_BIN / "mitmdump")
SOCIALGUARD = str(VENV_BIN / "socialguard")
PYTHON = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")

sys.path.insert(0, str(ROOT / "tests"))
from support.proxies import free_port, stop, wait_port  # noqa: E402


# -- /proc ------------------------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (the proxies are single processes: mitmdump runs in `socialguard run`)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kb(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def peak_rss_mb(pid: int) -> float:
    return status_kb(pid, "VmHWM") / 1024


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


@dataclass
class Proxy:
    """Bare `mitmdump` or `socialguard run`, both in regular mode with the same mitmproxy options."""

    kind: str                      # "bare" | "socialguard"
    workdir: Path
    extra: list[str] = field(default_factory=list)
    port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def confdir(self) -> Path:
        return self.workdir / "conf"

    @property
    def ca(self) -> Path:
        return self.confdir / "mitmproxy-ca-cert.pem"

    @property
    def events_dir(self) -> Path:
        return self.workdir / "events"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "Proxy":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        # `socialguard run` sets flow_detail=0 itself; -q does the same for both (no per-flow printing).
        mitm = ["--set", "ssl_insecure=true", "--set", f"confdir={self.confdir}", *self.extra]
        if self.kind == "bare":
            args = [MITMDUMP, "-q", "--listen-host", "127.0.0.1", "--listen-port", str(self.port), *mitm]
        else:
            args = [SOCIALGUARD, "run", "--policy", str(ROOT / "policy"), "--events-dir", str(self.events_dir),
                    "--listen-host", "127.0.0.1", "--listen-port", str(self.port), "--node", "bench",
                    "--", "-q", *mitm]
        self.log = open(self.workdir / "proxy.log", "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"))
        wait_port(self.port, self.proc, timeout=60)
        deadline = time.monotonic() + 10
        while not self.ca.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.proc:
            stop(self.proc)
            self.log.close()


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
