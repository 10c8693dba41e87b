"""Event durability: one write per event, fsync interval, a bounded queue while the disk is full, and a flush
on SIGTERM; end to end, a full disk raises the error metric and log while traffic keeps flowing."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess

import pytest
from support.clients import session_for
from support.eventcheck import assert_valid_events
from support.opsproxy import OpsProxy

from socialguard.events.integrity import unchained
from socialguard.events.writer import DailyJsonlWriter

DAY = "2026-01-05"


def _lines(writer: DailyJsonlWriter) -> list[str]:
    """The lines as the writer was given them (a rendered event's hash back to its placeholder)."""
    path = writer.path_for(DAY)
    if not path.exists():
        return []
    return [unchained(line)[0].decode() for line in path.read_bytes().splitlines()]


class DiskFull:
    """os.write that refuses (ENOSPC) while `.full`; optionally writes `partial` bytes first (short write)."""

    def __init__(self, monkeypatch, partial: int = 0):
        self.full = True
        self.partial = partial
        real = os.write

        def write(fd, data):
            if not self.full:
                return real(fd, data)
            if self.partial:
                return real(fd, data[:self.partial])
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", write)


def test_full_disk_queues_events_in_order_and_never_raises(tmp_path, monkeypatch):
    errors = []
    w = DailyJsonlWriter(tmp_path, on_error=errors.append)
    w.msg('{"n":1}', DAY)
    disk = DiskFull(monkeypatch)
    w.msg('{"n":2}', DAY)
    w.msg('{"n":3}', DAY)
    assert [e.errno for e in errors] == [errno.ENOSPC, errno.ENOSPC]
    assert w.pending == 2 and w.errors == 2
    disk.full = False
    w.msg('{"n":4}', DAY)
    assert _lines(w) == ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']
    assert w.pending == 0 and w.written == 4


def test_short_write_leaves_no_half_line(tmp_path, monkeypatch):
    w = DailyJsonlWriter(tmp_path, on_error=lambda e: None)
    w.msg('{"n":1}', DAY)
    disk = DiskFull(monkeypatch, partial=4)
    w.msg('{"n":"a longer line"}', DAY)
    assert _lines(w) == ['{"n":1}']
    disk.full = False
    w.close()
    assert _lines(w) == ['{"n":1}', '{"n":"a longer line"}']


def test_pending_queue_is_bounded(tmp_path, monkeypatch):
    w = DailyJsonlWriter(tmp_path, on_error=lambda e: None, pending_max=2)
    disk = DiskFull(monkeypatch)
    for n in range(5):
        w.msg(f'{{"n":{n}}}', DAY)
    assert w.pending == 2 and w.dropped == 3
    disk.full = False
    assert w.flush() is True
    assert _lines(w) == ['{"n":3}', '{"n":4}']            # the newest survive


@pytest.mark.parametrize("interval, events, expected_fsyncs", [
    (0, 3, 3),          # after every event
    (None, 3, 0),       # left to the kernel
    (3600, 3, 0),       # not due yet
])
def test_fsync_interval(tmp_path, monkeypatch, interval, events, expected_fsyncs):
    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd)))
    w = DailyJsonlWriter(tmp_path, fsync_interval=interval)
    for n in range(events):
        w.msg(f'{{"n":{n}}}', DAY)
    w.sync_if_due()
    assert len(calls) == expected_fsyncs
    w.close()                                               # close always syncs
    assert len(calls) == expected_fsyncs + 1


def test_sync_if_due_syncs_written_events_without_a_new_one(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd))
    w = DailyJsonlWriter(tmp_path, fsync_interval=3600)
    w.msg('{"n":1}', DAY)
    w.configure(fsync_interval=0, pending_max=10)
    w.sync_if_due()
    w.sync_if_due()                                         # nothing new written: no second fsync
    assert len(calls) == 1


# -- end to end --------------------------------------------------------------------------------------------

POST = "https://mastodon.social/api/v1/statuses"


def _activities(events):
    return [e for e in events if e["event"]["action"] == "social.activity"]


@pytest.mark.e2e
def test_sigterm_writes_everything_and_exits_cleanly(tmp_path, internet):
    p = OpsProxy(tmp_path / "proxy", upstream_port=internet.port, ca_from=internet.confdir).start()
    try:
        for i in range(5):
            with session_for(p) as s:
                assert s.post(POST, data={"status": f"n{i}"}, timeout=20).status_code == 200
        with session_for(p) as s:
            assert s.get("https://www.example.org/", timeout=20).status_code == 200
        p.wait_for(lambda: len(_activities(p.events())) == 5)
    finally:
        rc = p.stop(signal.SIGTERM)
    assert rc == 0
    raw = b"".join(f.read_bytes() for f in sorted(p.events_dir.glob("*.jsonl")))
    assert raw.endswith(b"\n")
    events = [json.loads(line) for line in raw.splitlines()]
    assert_valid_events(events)
    assert len(_activities(events)) == 5
    # Written at shutdown: the pass-through count of the interval that was still open.
    assert [e["destination"]["domain"] for e in events if e["event"]["action"] == "socialguard.passthrough"] == [
        "www.example.org"]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs: real ENOSPC from the kernel. Needs the right to mount (root in this container)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip()}); the unit tests above simulate ENOSPC")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(directory) -> None:
    # Unbuffered: a buffered file would raise ENOSPC again when it flushes on close.
    with open(directory / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as e:
            assert e.errno == errno.ENOSPC


@pytest.mark.e2e
def test_full_disk_raises_metric_and_log_while_traffic_flows(tmp_path, internet, tiny_disk):
    events_dir = tiny_disk / "events"
    p = OpsProxy(tmp_path / "proxy", upstream_port=internet.port, ca_from=internet.confdir,
                 events_at=events_dir).start()
    try:
        _fill(tiny_disk)
        for i in range(3):
            with session_for(p) as s:
                assert s.post(POST, data={"status": f"n{i}"}, timeout=20).status_code == 200
        assert p.wait_for(lambda: p.metric("socialguard_event_write_errors_total") >= 3)
        assert p.metric("socialguard_event_pending") == 3
        status, health = p.health()
        assert status == 200 and health["status"] == "degraded"
        assert "cannot write events (No space left on device)" in p.log()
        # Space again, then SIGTERM before any new event: the queue is written before the process exits.
        (tiny_disk / "filler").unlink()
    finally:
        rc = p.stop(signal.SIGTERM)
    assert rc == 0
    events = p.events()
    assert_valid_events(events)
    assert len(_activities(events)) == 3


def test_retry_pending_writes_the_queue_without_new_errors(tmp_path, monkeypatch):
    errors = []
    w = DailyJsonlWriter(tmp_path, on_error=errors.append)
    disk = DiskFull(monkeypatch)
    w.msg('{"n":1}', DAY)
    assert w.retry_pending() is False and len(errors) == 1
    disk.full = False
    assert w.retry_pending() is True
    assert _lines(w) == ['{"n":1}']


def test_policy_durability_reaches_the_writer_and_follows_reloads(tmp_path):
    from support.opsproxy import copy_policy

    from socialguard.adapter.runtime import Runtime
    from socialguard.policy import load_policy

    policy_dir = copy_policy(tmp_path / "policy")
    (policy_dir / "operations.yaml").write_text("events: {fsync_interval_s: 0, pending_max: 7}\n")
    rt = Runtime().install(load_policy(policy_dir), tmp_path / "events", "n")
    try:
        writer = rt.sink.writer
        assert (writer.fsync_interval, writer._pending.maxlen) == (0, 7)
        (policy_dir / "operations.yaml").write_text("events: {fsync_interval_s: null}\n")
        rt.install(load_policy(policy_dir), tmp_path / "events", "n")
        assert rt.sink.writer is writer                     # same files, same queue: only the setting changes
        assert (writer.fsync_interval, writer._pending.maxlen) == (None, 100_000)
    finally:
        rt.shutdown()


def test_a_timer_syncs_off_the_writers_path(tmp_path, monkeypatch):
    """With the proxy's timer syncing (`synced_by_timer`), writing never fsyncs; the timer does, once per
    interval, and `close` still does."""
    import threading

    calls = []
    me = threading.current_thread()          # not a thread left over by an earlier test's proxy
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) if threading.current_thread() is me else None)
    w = DailyJsonlWriter(tmp_path, fsync_interval=0.0001)
    w.synced_by_timer = True
    for n in range(5):
        w.msg(f'{{"n":{n}}}', DAY)
    assert calls == []
    w.sync_off_lock()
    w.sync_off_lock()                                       # nothing new written: no second fsync
    assert len(calls) == 1
    w.close()
    assert len(calls) == 2
