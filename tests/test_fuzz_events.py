"""Property tests for the event path: whatever a flow carries, each event is one whole JSON line that validates
against events/schema.json and holds no forbidden key (credentials, bodies, query strings) at any depth."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import jsonschema
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.fuzzing import fuzz_settings, json_values, request_facts

from socialguard.engine import Engine
from socialguard.events import DailyJsonlWriter, EventSink, event_schema, make_event, read_events
from socialguard.events.chain import FORBIDDEN_KEYS, redact, render
from socialguard.facts import ResponseFacts

forbidden = st.sampled_from(sorted(FORBIDDEN_KEYS)).flatmap(
    lambda k: st.sampled_from([k, k.upper(), k.title()]))
keys = st.one_of(forbidden, st.text(max_size=10))
nested = st.recursive(json_values, lambda ch: st.one_of(st.lists(ch, max_size=4),
                                                         st.dictionaries(keys, ch, max_size=5)), max_leaves=30)
texts = st.text(alphabet=st.characters(codec=None), max_size=30)   # includes lone surrogates (mitmproxy's
# `request.path` decodes undecodable bytes with surrogateescape)


def _keys_anywhere(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _keys_anywhere(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys_anywhere(v)


@fuzz_settings()
@given(st.dictionaries(keys, nested, max_size=6), st.text(max_size=30))
def test_redact_drops_forbidden_keys_at_any_depth(doc, path):
    ev = dict(doc, url={"path": "/p?" + path, "query": "a=b"})
    out = redact(None, "", ev)
    assert not {k.lower() for k in _keys_anywhere(out)} & FORBIDDEN_KEYS
    assert "?" not in out["url"]["path"]


@fuzz_settings()
@given(st.dictionaries(st.text(max_size=8), nested, max_size=5), texts)
def test_render_is_one_json_line(doc, text):
    ev = {"@timestamp": "2026-01-01T00:00:00.000Z", **doc, "x": text}
    (line,), kw = render(None, "", ev)
    assert "\n" not in line and kw["day"] == "2026-01-01"


@fuzz_settings()
@given(texts, texts)
@example("/api/v1/statuses/\udcff", "mastodon.social")
def test_sink_writes_one_whole_line_whatever_the_text(path, domain):
    with tempfile.TemporaryDirectory() as d:
        sink = EventSink(DailyJsonlWriter(d), node="fuzz")
        sink.emit(make_event("social.activity", "event", 1767225600.0, url={"domain": domain, "path": path}))
        sink.close()
        evs = read_events(d)
        assert len(evs) == 1


@pytest.fixture(scope="module")
def validator():
    cls = jsonschema.validators.validator_for(event_schema())
    return cls(event_schema())


@fuzz_settings()
@given(request_facts(), st.one_of(st.none(), st.integers(100, 599)), st.one_of(st.none(), texts),
       st.one_of(st.none(), st.integers(0, 2**40)))
def test_engine_events_validate(policy, validator, facts, status, error, size):
    with tempfile.TemporaryDirectory() as d:
        sink = EventSink(DailyJsonlWriter(d), node="fuzz")
        engine = Engine(policy, sink)
        verdict = engine.classify(facts)
        if verdict is None:
            return
        engine.finished(facts, verdict, ResponseFacts(status_code=status, error=error, body_size=size))
        sink.close()
        # split on "\n" only: JSON lines may hold U+0085/U+2028 inside strings, which str.splitlines() breaks on
        lines = [line for p in sorted(Path(d).glob("*.jsonl")) for line in p.read_text("utf-8").split("\n") if line]
        assert lines
        for line in lines:
            ev = json.loads(line)
            validator.validate(ev)
            assert not {k.lower() for k in _keys_anywhere(ev)} & FORBIDDEN_KEYS
