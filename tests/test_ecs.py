"""Every event socialguard writes is valid ECS (names, types, allowed values, category/type pairs).

The ECS definitions are `tests/data/ecs_subset.yml`, transcribed by hand from the public ECS 8.11 reference
(no PyPI package ships them and the project does not commit fetched files; see the file's header). Checked
here: every documented example in docs/EVENTS.md and one event of every constructor in
`socialguard.eventtypes`; every event the e2e and adapter tests write is checked through
`support.eventcheck.assert_valid_events`.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from socialguard import eventtypes
from socialguard.classify import Classification
from socialguard.events import EventSink, event_schema
from socialguard.facts import RequestFacts, ResponseFacts
from socialguard.identity import Who
from socialguard.inspect.findings import Finding, Notice
from support.ecscheck import ecs_fields, ecs_problems

ROOT = Path(__file__).resolve().parents[1]
FACTS = RequestFacts(method="POST", host="x.com", path="/i/api/graphql/a/CreateTweet", client_ip="10.20.30.40",
                     body_size=12, timestamp=1764079200.0, flow_id="f-1")
WHO = Who("asmith", ("economics",), "ipmap")
C = Classification(platform="x", activity="post", category="personal", background=False, rule="x.graphql.post",
                   guideline="2.2", operation="CreateTweet")
FINDING = Finding("marker", "protected_b", "marker.protected_b", "2.6", "q3.docx:word/header1.xml", 1.0,
                  bbox=(1, 2, 3, 4), file_sha256="a" * 64, file_name="q3.docx")


def _every_constructor() -> dict[str, dict]:
    return {
        "activity": eventtypes.activity(FACTS, WHO, C, ResponseFacts(200, body_size=3)),
        "activity_error": eventtypes.activity(FACTS, Who("10.9.8.7"), C, ResponseFacts(None, error="killed")),
        **{f"flag_{a}": eventtypes.finding_flag(FACTS, WHO, C, FINDING, a, "https://faq.example/")
           for a in ("log", "coach", "block")},
        "official_reply": eventtypes.flag(FACTS, WHO, C, kind="official_reply", name="official_account",
                                          guideline="1", rule="agency.official_reply", ruleset="agency",
                                          extra={"targets": {"official": ["statcan_eng"]}}),
        "notice": eventtypes.inspection_notice(FACTS, WHO, C, Notice("zip_bomb", "a.docx", "ratio")),
        "notice_info": eventtypes.inspection_notice(FACTS, WHO, C, Notice("ocr_unavailable", "a.png")),
        "banner_inserted": eventtypes.banner_inserted(FACTS, WHO, C, now=1764079201.0, banner={
            "action": "inserted", "language": "en", "message": "2.1", "reason": "rotation", "coaching": False,
            "working_minutes_today": 3, "style": "inline", "beacon": True}),
        "banner_rendered": eventtypes.banner_followup(now=1764079201.0, who=WHO, client_ip="10.20.30.40",
                                                      domain="x.com", path="/home", platform="x", banner={
                                                          "action": "rendered", "language": "en", "message": "2.1",
                                                          "reason": "rotation", "coaching": False,
                                                          "working_minutes_today": 3, "delay_ms": 120}),
        "banner_dismissed": eventtypes.banner_followup(now=1764079201.0, who=WHO, client_ip="10.20.30.40",
                                                       domain="x.com", path="/home", platform="x",
                                                       banner={"action": "dismissed"}),
        "banner_dismiss_refused": eventtypes.banner_followup(now=1764079201.0, who=WHO, client_ip="10.20.30.40",
                                                             domain="socialguard.invalid", path="/dismiss",
                                                             platform=None, severity="log",
                                                             banner={"action": "dismiss_refused",
                                                                     "refusal": "token"}),
        "error": eventtypes.error(now=1764079201.0, reason="banner", domain="x.com", path="/",
                                  exc=ValueError("bad gzip")),
        "policy_loaded": eventtypes.policy_status(now=1764079201.0, directory=Path("/p"), why="SIGHUP",
                                                  problems=None),
        "policy_rejected": eventtypes.policy_status(now=1764079201.0, directory=Path("/p"), why="SIGHUP",
                                                    problems=["a.yaml:3: bad"]),
        "passthrough": eventtypes.passthrough(since=1764079200.0, window_ns=10, domain="www.rbc.com",
                                              reason="not_social", connections=2, platform=None),
        "audit": eventtypes.audit(operator="m1", command="report", individual=True, pseudonymised=False,
                                  period="2026-11", subject="group"),
    }


def _rendered(event: dict) -> dict:
    """The event as written: through the sink's processor chain (enrich with ecs/observer, redact)."""
    seen: list[dict] = []
    sink = EventSink(None, node="n1")
    sink.listeners.append(seen.append)
    sink.emit(dict(event))
    return json.loads(json.dumps(seen[0]))


@pytest.mark.parametrize("name", sorted(_every_constructor()))
def test_every_event_constructor_writes_valid_ecs(name):
    ev = _rendered(_every_constructor()[name])
    jsonschema.validate(ev, event_schema())
    assert ecs_problems(ev) == []


def test_flags_join_their_request_and_name_their_rule():
    flag = _rendered(_every_constructor()["flag_block"])
    activity = _rendered(_every_constructor()["activity"])
    assert flag["event"]["id"] == activity["event"]["id"] == "f-1"
    assert flag["rule"] == {"id": "marker.protected_b", "name": "marker.protected_b", "ruleset": "markers",
                            "reference": "https://faq.example/"}
    assert flag["event"]["severity"] > _rendered(_every_constructor()["flag_log"])["event"]["severity"]
    assert flag["user"] == {"name": "asmith", "group": {"name": "economics"}}
    assert flag["socialguard"]["user_source"] == "ipmap"


def test_every_documented_example_is_valid_ecs():
    text = (ROOT / "docs" / "EVENTS.md").read_text()
    examples = [json.loads(b.split("```", 1)[0]) for b in text.split("```json")[1:]]
    assert len(examples) >= 10
    for ex in examples:
        assert ecs_problems(ex) == [], ex["event"]["action"]


@pytest.mark.parametrize("break_it, problem", [
    (lambda ev: ev["user"].update(group="economics"), "user.group: not an ECS field"),
    (lambda ev: ev["user"].update(source="ipmap"), "user.source: not an ECS field"),
    (lambda ev: ev["event"].update(type=["denied"]), "event.type 'denied' is expected by none"),
    (lambda ev: ev["event"].update(category=["iam"], type=["access"]), "expected by none"),
    (lambda ev: ev["event"].update(kind="finding"), "event.kind: 'finding' is not an allowed value"),
    (lambda ev: ev["http"]["response"].update(status_code="200"), "is not of ECS type long"),
    (lambda ev: ev["source"].update(ip="10.0.0.999"), "source.ip"),
    (lambda ev: ev.update({"@timestamp": "yesterday"}), "@timestamp"),
    (lambda ev: ev.update(client={"ip": "10.0.0.1"}), "client.ip: not an ECS field"),
])
def test_the_checker_rejects_what_ecs_rejects(break_it, problem):
    ev = _rendered(_every_constructor()["activity"])
    break_it(ev)
    assert any(problem in p for p in ecs_problems(ev)), ecs_problems(ev)


def test_the_subset_covers_the_categories_and_types_the_schema_allows():
    schema_event = event_schema()["properties"]["event"]["properties"]
    fields = ecs_fields()
    assert set(schema_event["category"]["items"]["enum"]) <= set(fields["event.category"]["allowed_values"])
    assert set(schema_event["type"]["items"]["enum"]) <= set(fields["event.type"]["allowed_values"])
    assert set(schema_event["kind"]["enum"]) <= set(fields["event.kind"]["allowed_values"])
