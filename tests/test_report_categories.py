"""Guideline 2.7 books personal and professional use only: official use (the agency's accounts, section 1) is
counted apart, in reports and in the banner's live meter, and shows up under `official` in the breakdown."""

from __future__ import annotations

import json

import pytest
from support.report_events import activity, write_events
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.cli import main as cli
from socialguard.policy.worktime import WorktimePolicy
from socialguard.timekeeping.live import LiveUsage

COMMS = ["c1", "c2", "c3", "c4", "c5"]
REPORTS = "k_anonymity: 5\npseudonym_key_file: keys/p.key\n"


def report(capsys, events, policy, *args):
    assert cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(WEDNESDAY),
                "--to", str(WEDNESDAY), "--format", "json", "--lang", "en", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def policy(tmp_path):
    return policy_copy(tmp_path / "policy", reports=REPORTS)


def test_an_official_day_books_nothing_under_2_7_and_shows_under_official(capsys, tmp_path, policy):
    # Five Communications officers post on the agency's account 09:00-09:10 (a request a minute: 11 min each).
    evs = [activity(u, "communications", "x", at(9, m), category="official", flow=f"{u}{m}")
           for u in COMMS for m in range(11)]
    write_events(tmp_path / "ev", evs)
    got = report(capsys, tmp_path / "ev", policy)
    assert [r for r in got["rows"] if r["working_minutes"] or r["total_minutes"]] == []
    cats = {c["category"]: (c["working_minutes"], c["total_minutes"]) for c in got["categories"]}
    assert cats == {"official": (55.0, 55.0)}
    assert {(r["group"], r["category"], r["working_minutes"]) for r in got["category_rows"]} == {
        ("communications", "official", 55.0)}


def test_mixed_day_counts_personal_and_professional_together(capsys, tmp_path, policy):
    # Each person: official 09:00-09:04 (5 min), personal 10:00 (1 min), professional (linkedin) 11:00 (1 min).
    evs = []
    for u in COMMS:
        evs += [activity(u, "communications", "x", at(9, m), category="official", flow=f"{u}o{m}") for m in range(4)]
        evs.append(activity(u, "communications", "x", at(10, 0), category="personal", flow=f"{u}p"))
        evs.append(activity(u, "communications", "linkedin", at(11, 0), category="professional", flow=f"{u}q"))
    write_events(tmp_path / "ev", evs)
    got = report(capsys, tmp_path / "ev", policy)
    alls = [r for r in got["rows"] if r["platform"] == "all"]
    assert [(r["group"], r["working_minutes"], r["total_minutes"]) for r in alls] == [("communications", 10.0, 10.0)]
    cats = {c["category"]: c["working_minutes"] for c in got["categories"]}
    assert cats == {"official": 20.0, "personal": 5.0, "professional": 5.0}


def test_events_without_a_category_count_as_personal(capsys, tmp_path, policy):
    evs = [activity(u, "communications", "x", at(9, 0), flow=u) for u in COMMS]
    for e in evs:
        del e["socialguard"]["category"]
    write_events(tmp_path / "ev", evs)
    got = report(capsys, tmp_path / "ev", policy)
    assert {c["category"]: c["working_minutes"] for c in got["categories"]} == {"personal": 5.0}


def test_the_live_meter_books_only_personal_and_professional():
    live = LiveUsage(WorktimePolicy())
    for m in range(30):
        live.record("a", "x", at(9, m), False, category="official")
    assert live.working_minutes_today("a", at(16, 0)) == 0
    live.record("a", "x", at(10, 0), False, category="personal")
    live.record("a", "linkedin", at(11, 0), False, category="professional")
    assert live.working_minutes_today("a", at(16, 0)) == pytest.approx(2)
