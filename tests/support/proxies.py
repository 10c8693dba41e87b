"""Real processes on loopback for end-to-end tests: the 'internet' mitmdump and a `socialguard run` proxy."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MITMDUMP = str(VENV_BIN / "mitmdump")
SOCIALGUARD = str(VENV_BIN / "socialguard")


def validate_event(event: dict) -> None:
    """Raise if an event does not match `socialguard/events/schema.json` (the documented schema) or is not valid
    ECS (tests/data/ecs_subset.yml: names, types, allowed values, category/type pairs)."""
    import jsonschema

    from socialguard.events import event_schema
    from support.ecscheck import ecs_problems

    jsonschema.validate(event, event_schema())
    problems = ecs_problems(event)
    assert not problems, f"{event}: {problems}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"process exited with {proc.returncode} before listening:\n{out}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.stdout.read().decode(errors="replace") if proc.stdout else ""


@dataclass
class Internet:
    """A mitmdump that answers every request itself (see internet_addon.py)."""

    workdir: Path
    site_dir: Path | None = None
    delay_ms: int = 0
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path = field(init=False)

    @property
    def confdir(self) -> Path:
        return self.workdir / "internet-conf"

    def start(self) -> "Internet":
        self.port = free_port()
        self.log = self.workdir / f"internet-{self.port}.jsonl"
        conf = self.confdir
        args = [
            MITMDUMP, "-q", "--listen-host", "127.0.0.1", "--listen-port", str(self.port),
            "-s", str(ROOT / "tests" / "support" / "internet_addon.py"),
            "--set", f"confdir={conf}", "--set", "connection_strategy=lazy",
            "--set", f"internet_log={self.log}", "--set", f"internet_delay_ms={self.delay_ms}",
        ]
        if self.site_dir:
            args += ["--set", f"internet_site_dir={self.site_dir}"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_port(self.port, self.proc)
        return self

    def received(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def stop(self) -> str:
        return stop(self.proc) if self.proc else ""


@dataclass
class SocialguardProxy:
    """`socialguard run` in upstream mode in front of an Internet; its own CA in a private confdir."""

    workdir: Path
    upstream_port: int
    policy: Path = ROOT / "policy"
    extra: list[str] = field(default_factory=list)
    mitm_extra: list[str] = field(default_factory=list)
    bare: bool = False                   # plain mitmdump with the same settings, for comparisons
    # Use this confdir's CA (the Internet's): TLS the proxy passes through untouched (non-social hosts)
    # then still verifies against `.ca`, as a real site's certificate would against the system store.
    ca_from: Path | None = None
    port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def events_dir(self) -> Path:
        return self.workdir / "events"

    @property
    def confdir(self) -> Path:
        return self.workdir / "conf"

    @property
    def ca(self) -> Path:
        return self.confdir / "mitmproxy-ca-cert.pem"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def seed_ca(self) -> None:
        if self.ca_from is not None and not self.confdir.exists():
            self.confdir.mkdir(parents=True)
            for f in Path(self.ca_from).glob("mitmproxy-ca*"):
                shutil.copy2(f, self.confdir / f.name)

    def start(self) -> "SocialguardProxy":
        self.port = free_port()
        self.seed_ca()
        mitm = [
            "--mode", f"upstream:http://127.0.0.1:{self.upstream_port}",
            "--set", "ssl_insecure=true", "--set", f"confdir={self.confdir}", *self.mitm_extra,
        ]
        if self.bare:
            args = [MITMDUMP, "-q", "--listen-host", "127.0.0.1", "--listen-port", str(self.port), *mitm]
        else:
            args = [
                SOCIALGUARD, "run", "--policy", str(self.policy), "--events-dir", str(self.events_dir),
                "--listen-host", "127.0.0.1", "--listen-port", str(self.port), "--node", "test-node", *self.extra,
                # Metrics/health on a free port (first, so mitm_extra may override): test proxies never fight
                # over the policy's fixed one.
                "--", "--set", "socialguard_metrics_port=0", *mitm,
            ]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        wait_port(self.port, self.proc)
        deadline = time.monotonic() + 10
        while not self.ca.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def events(self) -> list[dict]:
        """Every event written so far, each validated against the documented event schema."""
        from socialguard.events import read_events

        events = read_events(self.events_dir) if self.events_dir.exists() else []
        for ev in events:
            validate_event(ev)
        return events

    def wait_events(self, predicate, timeout: float = 10.0) -> list[dict]:
        """Events once `predicate(events)` holds (events are written when a flow completes)."""
        deadline = time.monotonic() + timeout
        while True:
            evs = self.events()
            if predicate(evs) or time.monotonic() > deadline:
                return evs
            time.sleep(0.05)

    def stop(self) -> str:
        return stop(self.proc) if self.proc else ""
