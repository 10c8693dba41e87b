"""Events: the structlog chain, redaction, the schema, and the daily writer."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import jsonschema
import pytest

from socialguard.events import DailyJsonlWriter, EventSink, event_schema, make_event, read_events
from socialguard.events.chain import FORBIDDEN_KEYS, iso_utc

ROOT = Path(__file__).resolve().parents[1]
TS = 1764079200.5  # 2025-11-25T14:00:00.500Z


def _activity(**over):
    ev = make_event(
        "social.activity", "event", TS,
        user={"name": "asmith", "group": {"name": "economics"}},
        source={"ip": "10.20.30.40"},
        url={"domain": "x.com", "path": "/i/api/graphql/a/CreateTweet"},
        http={"request": {"method": "POST", "bytes": 10}, "response": {"status_code": 200, "bytes": None}},
        socialguard={"platform": "x", "activity": "post", "category": "personal", "background": False,
                     "rule": "x.graphql.post", "guideline": "2.2", "operation": "CreateTweet",
                     "user_source": "ipmap"},
    )
    ev.update(over)
    return ev


def test_written_event_validates_and_starts_with_timestamp(tmp_path):
    sink = EventSink(DailyJsonlWriter(tmp_path), node="n1")
    sink.emit(_activity())
    sink.close()
    line = (tmp_path / "events-2025-11-25.jsonl").read_text()
    assert line.startswith('{"@timestamp":"2025-11-25T14:00:00.500Z"')
    ev = json.loads(line)
    jsonschema.validate(ev, event_schema())
    assert ev["observer"] == {"name": "n1", "product": "socialguard", "version": ev["observer"]["version"]}
    assert ev["ecs"]["version"] == "8.11.0" and ev["event"]["dataset"] == "socialguard"


@pytest.mark.parametrize("key", sorted(FORBIDDEN_KEYS))
def test_forbidden_keys_never_written(tmp_path, key):
    sink = EventSink(DailyJsonlWriter(tmp_path))
    ev = _activity()
    ev["socialguard"][key] = "s3cr3t-value"
    ev["user"][key.upper()] = "s3cr3t-value"
    sink.emit(ev)
    sink.close()
    assert "s3cr3t-value" not in "".join(p.read_text() for p in tmp_path.glob("*.jsonl"))


def test_query_string_stripped_from_path(tmp_path):
    sink = EventSink(DailyJsonlWriter(tmp_path))
    sink.emit(_activity(url={"domain": "x.com", "path": "/cb?access_token=abc#frag"}))
    sink.close()
    assert read_events(tmp_path)[0]["url"]["path"] == "/cb"


def test_events_split_by_utc_day(tmp_path):
    sink = EventSink(DailyJsonlWriter(tmp_path))
    for ts in (TS, TS + 86400, TS + 2 * 86400):
        sink.emit(make_event("socialguard.error", "event", ts, error={"type": "x", "message": "m"}))
    sink.close()
    assert sorted(p.name for p in tmp_path.glob("*.jsonl")) == [
        "events-2025-11-25.jsonl", "events-2025-11-26.jsonl", "events-2025-11-27.jsonl"]


def test_listener_sees_redacted_event_with_timestamp():
    got = []
    sink = EventSink(None)
    sink.listeners.append(got.append)
    sink.emit(_activity())
    assert got[0]["@timestamp"] == iso_utc(TS)


def _append_many(directory: str, worker: int, n: int) -> None:
    sink = EventSink(DailyJsonlWriter(directory), node=f"w{worker}")
    for i in range(n):
        sink.emit(make_event("socialguard.error", "event", TS, error={"type": "t", "message": f"{worker}-{i}-" + "x" * 3000}))
    sink.close()


def test_several_processes_append_whole_lines(tmp_path):
    procs = [multiprocessing.get_context("spawn").Process(target=_append_many, args=(str(tmp_path), w, 300))
             for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    lines = (tmp_path / "events-2025-11-25.jsonl").read_text().splitlines()
    assert len(lines) == 900
    assert all(json.loads(line)["event"]["action"] == "socialguard.error" for line in lines)


def test_disk_error_keeps_event_pending_then_writes_it(tmp_path, monkeypatch):
    errors = []
    writer = DailyJsonlWriter(tmp_path, on_error=errors.append)
    sink = EventSink(writer)
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: (_ for _ in ()).throw(OSError(28, "No space left")))
    sink.emit(_activity())
    assert errors and writer.pending == 1
    monkeypatch.setattr(os, "write", real_write)
    sink.emit(_activity())
    sink.close()
    assert len(read_events(tmp_path)) == 2


def test_schema_documents_every_action():
    doc = (ROOT / "docs" / "EVENTS.md").read_text()
    actions = event_schema()["properties"]["event"]["properties"]["action"]["enum"]
    for action in actions:
        assert f"`{action}`" in doc, f"docs/EVENTS.md does not document {action}"


def _doc_examples() -> list[dict]:
    text = (ROOT / "docs" / "EVENTS.md").read_text()
    blocks = text.split("```json")[1:]
    return [json.loads(b.split("```", 1)[0]) for b in blocks]


def test_every_documented_example_validates():
    examples = _doc_examples()
    assert examples
    actions = set()
    for ex in examples:
        jsonschema.validate(ex, event_schema())
        actions.add(ex["event"]["action"])
    assert actions == set(event_schema()["properties"]["event"]["properties"]["action"]["enum"])


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage", "/{redacted}/sendMessage"),
        ("/upload/" + "aB3" * 15 + "/part", "/upload/{redacted}/part"),
        ("/i/api/graphql/a1B2c3/CreateTweet", "/i/api/graphql/a1B2c3/CreateTweet"),
        ("/2/tweets/1796000000000000000000000000000000000000000001", "/2/tweets/1796000000000000000000000000000000000000000001"),
        ("/api/v1/statuses?access_token=x", "/api/v1/statuses"),
    ],
)
def test_credentials_in_paths_are_redacted(path, expected):
    from socialguard.events.chain import scrub_path

    assert scrub_path(path) == expected
