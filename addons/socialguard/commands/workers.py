"""`socialguard run --workers N`: N proxy processes sharing one listening port (SO_REUSEPORT), one policy
directory and one events directory.

Why processes: mitmproxy runs one event loop in one process, so one proxy uses one core. With SO_REUSEPORT the
kernel spreads incoming connections over the N processes, and unlike a TCP balancer in front (haproxy) every
process still sees the client's own address, which the identity address map needs.

Each worker is a plain `socialguard run` with `--reuse-port`, node `<node>-w<i>` and metrics port `<base>+i`.
Event files are safe to share: each event is one write(2) of a whole line on O_APPEND (events/writer.py).
The supervisor forwards SIGHUP (policy reload), SIGTERM and SIGINT (clean stop, events flushed) to every
worker and restarts a worker that dies, at most RESTARTS_PER_MINUTE times a minute.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

RESTARTS_PER_MINUTE = 5
METRICS_OPTION = "socialguard_metrics_port="


def enable_reuse_port() -> None:
    """Make this process's listening sockets SO_REUSEPORT, so sibling workers can bind the same port.

    mitmproxy binds with `asyncio.start_server` and has no option for it; the wrapper only adds the flag.
    """
    original = asyncio.start_server

    async def start_server(*args, **kwargs):
        kwargs.setdefault("reuse_port", True)
        return await original(*args, **kwargs)

    asyncio.start_server = start_server


def _metrics_base(args, passthrough: list[str]) -> tuple[int | None, list[str]]:
    """The metrics port of worker 0 (None: endpoints off) and mitmdump args without any explicit metrics port."""
    rest, base = [], None
    i = 0
    while i < len(passthrough):
        if passthrough[i] == "--set" and i + 1 < len(passthrough) and passthrough[i + 1].startswith(METRICS_OPTION):
            base = int(passthrough[i + 1].split("=", 1)[1])
            i += 2
            continue
        rest.append(passthrough[i])
        i += 1
    if base is None or base < 0:
        from ..policy import load_policy

        metrics = load_policy(args.policy).operations.metrics
        base = metrics.port if metrics.enabled else None
    return base, rest


def worker_command(args, index: int, metrics_base: int | None, passthrough: list[str]) -> list[str]:
    node = f"{args.node or socket.gethostname()}-w{index}"
    metrics = [] if metrics_base is None else ["--set", f"{METRICS_OPTION}{metrics_base + index if metrics_base else 0}"]
    return [
        sys.executable, "-m", "socialguard.cli", "run", "--reuse-port",
        "--policy", str(Path(args.policy).resolve()), "--events-dir", str(Path(args.events_dir).resolve()),
        "--listen-host", args.listen_host, "--listen-port", str(args.listen_port), "--node", node,
        "--", *passthrough, *metrics,
    ]


def _wait_listening(host: str, port: int, proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((host if host not in ("", "0.0.0.0", "::") else "127.0.0.1", port),
                                          timeout=0.2):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def supervise(args) -> int:
    base, passthrough = _metrics_base(args, list(args.passthrough))
    commands = [worker_command(args, i, base, passthrough) for i in range(args.workers)]
    procs: list[subprocess.Popen] = []
    stopping = False

    def forward(signum, _frame):
        nonlocal stopping
        if signum in (signal.SIGTERM, signal.SIGINT):
            stopping = True
        for p in procs:
            if p.poll() is None:
                p.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    # Worker 0 first: it creates the CA in an empty confdir; the others then load that same CA.
    procs.append(subprocess.Popen(commands[0]))
    if not _wait_listening(args.listen_host, args.listen_port, procs[0]):
        print("socialguard: worker 0 did not start; not starting the others", file=sys.stderr)
        forward(signal.SIGTERM, None)
        return procs[0].wait() or 1
    procs.extend(subprocess.Popen(c) for c in commands[1:])
    print(f"socialguard: {args.workers} workers on {args.listen_host}:{args.listen_port} (SO_REUSEPORT),"
          + (f", metrics on ports {base}..{base + args.workers - 1}" if base else ""), file=sys.stderr, flush=True)
    restarts: list[float] = []
    while True:
        time.sleep(0.2)
        if stopping:
            break
        for i, p in enumerate(procs):
            if p.poll() is None or stopping:
                continue
            now = time.monotonic()
            restarts = [t for t in restarts if now - t < 60] + [now]
            if len(restarts) > RESTARTS_PER_MINUTE:
                print("socialguard: workers keep dying; stopping", file=sys.stderr)
                forward(signal.SIGTERM, None)
                stopping = True
                break
            print(f"socialguard: worker {i} exited with {p.returncode}; restarting it", file=sys.stderr)
            procs[i] = subprocess.Popen(commands[i])
    codes = [p.wait() for p in procs]
    return 0 if all(c == 0 for c in codes) else 1
