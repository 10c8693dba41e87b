"""Tamper evidence (issue 14, point 10): each event line carries a hash chained over the file's previous line;
the chain survives restarts and several processes writing one folder; `socialguard verify-events` names the
first broken line of each file and exits non-zero."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
from support.clients import session_for
from support.proxies import validate_event

from socialguard.events import DailyJsonlWriter, EventSink, make_event, read_events
from socialguard.events.chain import render
from socialguard.events.integrity import genesis, verify

DAY = "2026-11-25"
NAME = f"events-{DAY}.jsonl"


def rendered(**fields) -> str:
    """A line as the event chain renders it (the writer chains only such lines)."""
    (line,), _ = render(None, "", {"@timestamp": f"{DAY}T10:00:00.000Z", "event": {"action": "social.activity"},
                                   **fields})
    return line


def write(directory, n: int, start: int = 0) -> None:
    w = DailyJsonlWriter(directory)
    for i in range(start, start + n):
        w.msg(rendered(i=i), DAY)
    w.close()


def hash_of(line: bytes) -> str:
    return json.loads(line)["event"]["hash"]


def verify_cli(target) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "socialguard.cli", "verify-events", str(target)],
                          capture_output=True, text=True, timeout=60)


def lines_of(path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def test_every_line_is_chained_and_verifies(tmp_path):
    write(tmp_path, 5)
    lines = lines_of(tmp_path / NAME)
    assert all(len(hash_of(line)) == 64 and hash_of(line) != "0" * 64 for line in lines)
    assert [json.loads(line)["i"] for line in lines] == list(range(5))
    check = verify(tmp_path / NAME)
    assert check.ok and check.lines == 5 and check.head == hash_of(lines[-1])
    run = verify_cli(tmp_path)
    assert run.returncode == 0 and f"{NAME}: ok, 5 lines" in run.stdout


def test_chain_continues_across_restarts(tmp_path):
    for start in (0, 3, 6):                       # three writer lifetimes on one file
        write(tmp_path, 3, start)
    assert verify(tmp_path / NAME).ok and len(lines_of(tmp_path / NAME)) == 9


@pytest.mark.parametrize("tamper, first_broken", [
    ("edit", 4), ("delete", 4), ("insert", 4), ("swap", 4), ("truncate_head", 1),
])
def test_tampering_names_the_first_broken_line(tmp_path, tamper, first_broken):
    write(tmp_path, 8)
    path = tmp_path / NAME
    lines = lines_of(path)
    if tamper == "edit":                          # one character of line 4's content
        lines[3] = lines[3].replace(b'"i":3', b'"i":9')
    elif tamper == "delete":
        del lines[3]
    elif tamper == "insert":                      # a forged line with a well-formed but made-up hash
        lines.insert(3, rendered(i=99).replace("0" * 64, "a" * 64).encode())
    elif tamper == "swap":
        lines[3], lines[4] = lines[4], lines[3]
    else:
        del lines[0]
    path.write_bytes(b"\n".join(lines) + b"\n")
    check = verify(path)
    assert check.first_broken == first_broken, check
    run = verify_cli(tmp_path)
    assert run.returncode == 1
    assert f"{NAME}:{first_broken}: broken" in run.stdout


def test_a_line_moved_to_another_day_breaks(tmp_path):
    write(tmp_path, 2)
    other = tmp_path / "events-2026-11-26.jsonl"
    other.write_bytes((tmp_path / NAME).read_bytes())
    assert verify(tmp_path / NAME).ok
    assert verify(other).first_broken == 1


def test_one_edit_counts_as_one_broken_line(tmp_path):
    write(tmp_path, 6)
    path = tmp_path / NAME
    path.write_bytes(path.read_bytes().replace(b'"i":2', b'"i":7', 1))
    check = verify(path)
    assert (check.first_broken, check.broken) == (3, 1)


def test_torn_last_line_is_named_and_writing_goes_on(tmp_path):
    write(tmp_path, 3)
    path = tmp_path / NAME
    with open(path, "ab") as f:
        f.write(rendered(i=3).encode()[:70])                      # a crash mid-line
    assert verify(path).reason.startswith("incomplete last line")
    write(tmp_path, 2, 10)
    lines = lines_of(path)
    assert [json.loads(line)["i"] for line in lines[:3] + lines[4:]] == [0, 1, 2, 10, 11]
    check = verify(path)
    assert (check.first_broken, check.broken) == (4, 1)


def test_unchained_older_file_is_reported(tmp_path):
    (tmp_path / NAME).write_text('{"@timestamp":"2026-11-25T10:00:00.000Z","event":{"action":"x"},"i":0}\n')
    write(tmp_path, 2, 1)
    check = verify(tmp_path / NAME)
    assert (check.first_broken, check.broken) == (1, 1)


def test_a_huge_planted_line_is_reported_not_read_whole(tmp_path):
    from socialguard.events.integrity import MAX_LINE_BYTES

    write(tmp_path, 2)
    path = tmp_path / NAME
    lines = lines_of(path)
    path.write_bytes(lines[0] + b"\n" + b"x" * (3 * MAX_LINE_BYTES) + b"\n" + lines[1] + b"\n")
    check = verify(path)
    assert (check.first_broken, check.lines) == (2, 3)
    assert "longer than" in check.reason


def test_nothing_to_check_exits_2(tmp_path):
    assert verify_cli(tmp_path).returncode == 2
    assert verify_cli(tmp_path / "missing").returncode == 2


def test_compressed_day_keeps_its_chain(tmp_path):
    import gzip

    write(tmp_path, 4)
    gz = tmp_path / f"{NAME}.gz"
    gz.write_bytes(gzip.compress((tmp_path / NAME).read_bytes()))
    (tmp_path / NAME).unlink()
    assert verify(gz).ok
    assert verify_cli(tmp_path).returncode == 0


WRITER = textwrap.dedent("""
    import json, os, sys, time
    from socialguard.events.writer import DailyJsonlWriter
    directory, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    from socialguard.events.chain import render
    w = DailyJsonlWriter(directory)
    open(os.path.join(directory, "ready-" + who), "w").close()
    while not os.path.exists(os.path.join(directory, "go")):     # all start together, so their writes interleave
        time.sleep(0.01)
    for i in range(n):
        ev = {"@timestamp": "2026-11-25T10:00:00.000Z", "event": {"action": "x"}, "who": who, "i": i,
              "pad": "x" * ((i * 7919) % 3000)}
        w.msg(render(None, "", ev)[0][0], "2026-11-25")
    w.close()
""")


def test_several_processes_keep_one_chain_per_file(tmp_path):
    n = 1500
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), who, str(n)]) for who in "abc"]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{who}").exists() for who in "abc") and time.monotonic() < deadline:
        time.sleep(0.05)
    (tmp_path / "go").touch()
    assert [p.wait(timeout=180) for p in procs] == [0, 0, 0]
    records = [json.loads(line) for line in lines_of(tmp_path / NAME)]
    for who in "abc":
        assert [r["i"] for r in records if r["who"] == who] == list(range(n))
    # The writers really interleaved (else this would only re-test restarts).
    switches = sum(a["who"] != b["who"] for a, b in zip(records, records[1:]))
    assert switches >= 2
    check = verify(tmp_path / NAME)
    assert check.ok, check


def test_a_reader_locking_the_event_file_cannot_stall_the_writer(tmp_path):
    """Whoever may read the event files can flock and fcntl-lock them; the writer's lock is a file only the
    service account can open (0600), so those locks change nothing."""
    import fcntl
    import os
    import stat
    import threading

    write(tmp_path, 1)
    reader = os.open(tmp_path / NAME, os.O_RDONLY)
    fcntl.flock(reader, fcntl.LOCK_EX)
    fcntl.lockf(reader, fcntl.LOCK_SH)
    try:
        writer = threading.Thread(target=write, args=(tmp_path, 50, 1), daemon=True)
        writer.start()
        writer.join(timeout=30)
        assert not writer.is_alive(), "the writer waits on a reader's lock"
    finally:
        os.close(reader)
    assert verify(tmp_path / NAME).ok and len(lines_of(tmp_path / NAME)) == 51
    assert stat.S_IMODE((tmp_path / ".events.lock").stat().st_mode) == 0o600


def test_sink_events_validate_with_the_hash_field(tmp_path):
    sink = EventSink(DailyJsonlWriter(tmp_path), node="n")
    sink.emit(make_event("social.activity", "event", 1767225600.0, url={"domain": "x.com", "path": "/"}))
    sink.close()
    (ev,) = read_events(tmp_path)
    validate_event(ev)
    assert len(ev["event"]["hash"]) == 64
    assert genesis("events-2026-01-01.jsonl") != genesis(NAME)


@pytest.mark.e2e
def test_proxy_event_files_verify_and_tampering_is_caught(proxy_factory):
    p = proxy_factory()
    with session_for(p) as s:
        for i in range(3):
            assert s.post("https://mastodon.social/api/v1/statuses", data={"status": f"hi {i}"},
                          timeout=20).status_code == 200
    p.wait_events(lambda evs: sum(e["event"]["action"] == "social.activity" for e in evs) >= 3)
    p.stop()
    files = sorted(p.events_dir.glob("events-*.jsonl"))
    assert files
    run = verify_cli(p.events_dir)
    assert run.returncode == 0, run.stdout + run.stderr
    # A reader of the files hides one request: the chain names the line after the removed one.
    path = files[-1]
    lines = lines_of(path)
    victim = next(i for i, line in enumerate(lines) if b'"social.activity"' in line)
    del lines[victim]
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert victim < len(lines)                  # not the last line: a chain cannot show a cut-off end by itself
    run = verify_cli(p.events_dir)
    assert run.returncode == 1
    assert f"{path.name}:{victim + 1}: broken" in run.stdout, run.stdout
