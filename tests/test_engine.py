"""Engine: identity + classification + events, as the proxy and `classify --har` both run it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from socialguard.engine import Engine
from socialguard.events import EventSink, event_schema
from socialguard.facts import RequestFacts, ResponseFacts

TS = 1764079200.0


def _facts(method, host, path, body=None, ip="10.20.30.40", user=None, ctype="application/json"):
    raw = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    return RequestFacts(method=method, host=host, path=path, headers=(("content-type", ctype),), body=raw,
                        body_size=len(raw), client_ip=ip, proxy_user=user, timestamp=TS, flow_id="f1")


@pytest.fixture
def engine(policy):
    events: list[dict] = []
    sink = EventSink(None)
    sink.listeners.append(events.append)
    eng = Engine(policy, sink)
    eng.events = events
    return eng


def test_non_social_is_none(engine):
    assert engine.classify(_facts("GET", "www.example.org", "/")) is None


def test_activity_event_fields(engine):
    f = _facts("POST", "mastodon.social", "/api/v1/statuses", {"status": "hello"})
    v = engine.classify(f)
    engine.finished(f, v, ResponseFacts(201, body_size=5))
    (ev,) = engine.events
    jsonschema.validate(ev, event_schema())
    assert ev["event"]["action"] == "social.activity" and ev["event"]["id"] == "f1"
    assert ev["user"] == {"name": "asmith", "group": {"name": "economics"}}
    assert ev["socialguard"]["user_source"] == "ipmap"
    assert ev["socialguard"]["activity"] == "post" and ev["socialguard"]["guideline"] == "2.2"
    assert ev["http"]["response"]["status_code"] == 201
    assert "hello" not in json.dumps(ev)


def test_reply_to_official_account_flags_section_1(engine):
    f = _facts("POST", "x.com", "/i/api/graphql/q/CreateTweet",
               {"variables": {"tweet_text": "@StatCan_eng your numbers are wrong", "reply": {"in_reply_to_tweet_id": "1"}}})
    v = engine.classify(f)
    assert v.official_targets == ("statcan_eng",)
    engine.finished(f, v, ResponseFacts(200))
    flag = [e for e in engine.events if e["event"]["action"] == "social.flag"]
    assert flag and flag[0]["socialguard"]["guideline"] == "1"
    assert flag[0]["socialguard"]["finding"]["kind"] == "official_reply"
    assert "numbers are wrong" not in json.dumps(engine.events)
    for ev in engine.events:
        jsonschema.validate(ev, event_schema())


def test_communications_staff_are_official_and_not_flagged(engine):
    f = _facts("POST", "x.com", "/i/api/graphql/q/CreateTweet",
               {"variables": {"tweet_text": "Thanks @StatCan_eng", "reply": {"in_reply_to_tweet_id": "1"}}},
               user="jlemieux")
    v = engine.classify(f)
    assert v.classification.category == "official" and v.official_targets == ()


def test_failed_flow_records_reason(engine):
    f = _facts("GET", "x.com", "/home")
    v = engine.classify(f)
    engine.finished(f, v, ResponseFacts(None, error="Connection killed."))
    ev = engine.events[0]
    assert ev["event"]["outcome"] == "failure" and ev["event"]["reason"] == "Connection killed."
    jsonschema.validate(ev, event_schema())
