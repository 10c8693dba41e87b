"""More than one core: N proxy processes on one port (SO_REUSEPORT) sharing the policy and the events
directory; concurrent writers never tear or interleave lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from support.clients import session_for
from support.eventcheck import assert_valid_events
from support.opsproxy import OpsProxy
from support.proxies import wait_port

WRITER = textwrap.dedent("""
    import json, sys
    from socialguard.events.writer import DailyJsonlWriter
    directory, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    w = DailyJsonlWriter(directory)
    for i in range(n):
        # Lengths from a few bytes to ~40 KiB: far past PIPE_BUF and a page.
        w.msg(json.dumps({"who": who, "i": i, "pad": "x" * ((i * 7919) % 40000)}), "2026-11-25")
    w.close()
""")


def test_concurrent_processes_never_tear_lines(tmp_path):
    n = 3000
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), who, str(n)]) for who in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    lines = (tmp_path / "events-2026-11-25.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b""
    records = [json.loads(line) for line in lines[:-1]]          # any torn line fails here
    for who in "ab":
        assert [r["i"] for r in records if r["who"] == who] == list(range(n))


@pytest.fixture
def two_workers(tmp_path, internet):
    """`socialguard run --workers 2`; yields it and the second worker's metrics port, once both are up."""
    p = OpsProxy(tmp_path / "proxy", upstream_port=internet.port, ca_from=internet.confdir,
                 run_extra=["--workers", "2"]).start()
    second = p.metrics_port + 1
    try:
        wait_port(second, p.proc)
        yield p, second
    finally:
        p.stop()                               # no-op when the test already stopped it


@pytest.mark.e2e
def test_two_workers_share_port_policy_and_events(two_workers):
    p, second = two_workers
    try:
        requests_sent = 40
        for i in range(requests_sent):
            with session_for(p) as s:          # a new connection each time: the kernel picks a worker per connection
                assert s.post("https://mastodon.social/api/v1/statuses", data={"status": f"n{i}"},
                              timeout=20).status_code == 200
        per_worker = [p.metric("socialguard_flows_total", port=port, platform="mastodon", activity="post")
                      for port in (p.metrics_port, second)]
        assert sum(per_worker) == requests_sent and all(n > 0 for n in per_worker), per_worker
        # One SIGHUP to the supervisor reloads the policy in every worker.
        p.send(signal.SIGHUP)
        assert p.wait_for(lambda: sorted(e["observer"]["name"] for e in p.events()
                                         if e["event"]["action"] == "socialguard.policy"
                                         and e["event"]["reason"] == "SIGHUP") == ["ops-test-w0", "ops-test-w1"])
    finally:
        rc = p.stop(signal.SIGTERM)
    assert rc == 0
    events = p.events()
    assert_valid_events(events)
    activities = [e for e in events if e["event"]["action"] == "social.activity"]
    assert len(activities) == requests_sent
    assert {e["observer"]["name"] for e in activities} == {"ops-test-w0", "ops-test-w1"}


@pytest.mark.e2e
def test_supervisor_restarts_a_dead_worker(two_workers):
    from pathlib import Path

    p, second = two_workers
    try:
        children = [int(c) for c in Path(f"/proc/{p.proc.pid}/task/{p.proc.pid}/children").read_text().split()]
        assert len(children) == 2
        os.kill(children[1], signal.SIGKILL)
        assert p.wait_for(lambda: "worker 1 exited with -9; restarting it" in p.log())
        wait_port(second, p.proc)
        status, health = p.health(second)
        assert status == 200 and health["node"] == "ops-test-w1"
    finally:
        assert p.stop(signal.SIGTERM) == 0
