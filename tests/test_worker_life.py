"""Inspection workers die with the proxy (issue 14, point 8): after kill -9 of a real `socialguard run` that has
inspected an upload, no process of its group survives (forkserver, workers, resource tracker), and a new start
gets fresh ones."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from support import fixtures_inspect as fx
from support.clients import session_for
from support.opsproxy import OpsProxy
from support.proxies import free_port, wait_port
from support.uploads import flags

from socialguard.inspect.worker_life import die_with_parent


def group_members(pgid: int) -> dict[int, str]:
    """Live (not zombie) processes in a process group: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()        # after "(comm)": state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found[int(entry.name)] = cmdline
    return found


class GroupLeaderProxy(OpsProxy):
    """An OpsProxy in its own session and process group, so the test can find everything it started."""

    def start(self) -> "GroupLeaderProxy":
        self.port = free_port()
        self.metrics_port = free_port()
        self.seed_ca()
        log = open(self.logfile, "ab")
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"), start_new_session=True)
        log.close()
        wait_port(self.port, self.proc)
        return self


def inspect_one_upload(p) -> None:
    doc = fx.docx("Quarterly numbers", footer="PROTÉGÉ B")
    with session_for(p) as s:
        r = s.post("https://mastodon.social/api/v2/media",
                   files={"file": ("numbers.docx", doc, "application/octet-stream")}, timeout=60)
    assert r.status_code == 200
    assert p.wait_events(lambda e: flags(e, "/api/v2/media"), timeout=60), p.log()[-3000:]


def wait_until(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@pytest.mark.e2e
def test_kill_9_of_the_proxy_leaves_no_process_behind(tmp_path, internet):
    p = GroupLeaderProxy(tmp_path / "a", upstream_port=internet.port, ca_from=internet.confdir).start()
    first_group: dict[int, str] = {}
    try:
        inspect_one_upload(p)
        first_group = group_members(p.proc.pid)
        # The proxy, its forkserver, at least one worker and the resource tracker.
        assert len(first_group) >= 4, first_group
        assert any("forkserver" in c for c in first_group.values()), first_group
        p.proc.send_signal(signal.SIGKILL)
        p.proc.wait(timeout=10)
        left = wait_until(lambda: not group_members(p.proc.pid), timeout=20)
        assert left, f"still alive after kill -9 of the proxy: {group_members(p.proc.pid)}"
    finally:
        for pid in group_members(p.proc.pid):               # never leave strays for the next tests
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    # A new start on the same folders: its own fresh processes, none of the old ones.
    q = GroupLeaderProxy(tmp_path / "a", upstream_port=internet.port, ca_from=internet.confdir,
                         events_at=p.events_dir).start()
    try:
        inspect_one_upload(q)
        second_group = group_members(q.proc.pid)
        assert len(second_group) >= 4 and not set(second_group) & set(first_group)
    finally:
        q.stop()
    assert wait_until(lambda: not group_members(q.proc.pid), timeout=20), group_members(q.proc.pid)


def test_die_with_parent_kills_a_child_whose_parent_is_killed(tmp_path):
    """The kernel guard alone: a grandchild that asked for PR_SET_PDEATHSIG dies with its parent."""
    marker = tmp_path / "pid"
    script = (
        "import os, sys, time\n"
        "from socialguard.inspect.worker_life import die_with_parent\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    assert die_with_parent()\n"
        f"    open({str(marker)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(60)\n"
    )
    import sys

    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        assert wait_until(lambda: marker.exists() and marker.read_text(), timeout=20)
        child = int(marker.read_text())
        parent.kill()
        parent.wait(timeout=10)

        def gone() -> bool:
            try:
                state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                return True
            return state in ("Z", "X")

        assert wait_until(gone, timeout=10)
    finally:
        parent.kill()
    assert die_with_parent(0)       # 0 clears the request again in this test process
