"""inspect.decide: which job a request becomes, and log / coach / block with one block page (pure functions)."""

from __future__ import annotations

import base64
from dataclasses import replace
from html import escape
from urllib.parse import urlencode

import pytest

from socialguard.inspect.decide import UploadFacts, decide, held_body_too_big, plan
from socialguard.inspect.extract.sessions import SessionStore
from socialguard.inspect.findings import Finding, InspectionReport
from socialguard.inspect.jobs import BodyJob, FileJob

SECRET = Finding("marker", "top_secret", "marker.top_secret", "2.6", "json.status")


def _upload(**over) -> UploadFacts:
    base = dict(method="POST", host="mastodon.social", path="/api/v1/statuses", query={},
                headers={"content-type": "application/json"}, body=b'{"status": "hi"}', activity="post")
    return UploadFacts(**(base | over))


def _policy(policy, **inspection):
    return replace(policy, inspection=replace(policy.inspection, **inspection))


def test_a_post_becomes_a_body_job_and_a_view_none(policy):
    sessions = SessionStore(policy.inspection.sessions)
    assert plan(_upload(), policy, sessions).job == BodyJob(b'{"status": "hi"}', "application/json", "", "statuses")
    assert plan(_upload(method="GET"), policy, sessions).job is None
    assert plan(_upload(body=b""), policy, sessions).job is None
    assert plan(_upload(activity="view"), policy, sessions).job is None


def test_x_media_data_is_decoded_and_joins_its_session(policy):
    sessions = SessionStore(policy.inspection.sessions)
    form = {"headers": {"content-type": "application/x-www-form-urlencoded"}, "host": "upload.x.com",
            "path": "/1.1/media/upload.json", "activity": "upload"}
    append = urlencode({"command": "APPEND", "media_id": "7", "segment_index": "0",
                        "media_data": base64.b64encode(b"SECRET payload").decode()}).encode()
    assert plan(_upload(body=append, **form), policy, sessions).job is None          # not complete yet
    done = plan(_upload(body=b"command=FINALIZE&media_id=7", **form), policy, sessions)
    assert done.job == FileJob(b"SECRET payload", "media-7")
    broken = urlencode({"command": "APPEND", "media_id": "8", "media_data": "%%%"}).encode()
    assert plan(_upload(body=broken, **form), policy, sessions).job is None          # never an exception


@pytest.mark.parametrize("length,chunked,expected", [
    (None, "", False), (None, "chunked", True), ("10", "", False), ("999999999", "", True), ("x", "", False)])
def test_held_body_too_big(length, chunked, expected):
    assert held_body_too_big(length, chunked, 1000) is expected


def test_block_is_demoted_when_the_body_was_already_forwarded(policy):
    p = _policy(policy, rule_actions={"marker.top_secret": "block"})
    report = InspectionReport([SECRET])
    held = decide(report, p, can_hold=True)
    assert held.flags == ((SECRET, "block"),) and held.block_page is not None
    streamed = decide(report, p, can_hold=False)
    assert streamed.flags == ((SECRET, "log"),) and streamed.block_page is None


def test_coach_goes_to_the_coaching_list(policy):
    d = decide(InspectionReport([SECRET]), _policy(policy, rule_actions={"marker.top_secret": "coach"}), True)
    assert d.coaching == (SECRET,) and d.block_page is None


@pytest.mark.parametrize("fail_open,blocked", [(True, False), (False, True)])
def test_a_failed_inspection_blocks_only_when_the_policy_fails_closed(policy, fail_open, blocked):
    report = InspectionReport(failed=True)
    report.notice("timeout", "inspection", "took too long")
    d = decide(report, _policy(policy, fail_open=fail_open), can_hold=True)
    assert (d.block_page is not None) is blocked and [n.reason for n in d.notices] == ["timeout"]


def test_one_block_page_with_the_policy_texts_and_the_contact_link(policy):
    p = _policy(policy, rule_actions={"marker.top_secret": "block"}, fail_open=False)
    p = replace(p, banner=replace(p.banner, contact_url="mailto:help@agency.example"))
    found = decide(InspectionReport([SECRET]), p, True).block_page
    failed = decide(InspectionReport(failed=True), p, True).block_page
    for page in (found, failed):                       # the fail-closed page used to drop the contact link
        assert 'href="mailto:help@agency.example"' in page
        assert p.agency.name_en in page and p.agency.name_fr in page
    assert escape(p.banner.kinds["marker"].en) in found and escape(p.banner.kinds["marker"].fr) in found
    assert "could not be inspected" in failed


def test_the_block_page_escapes_what_it_shows(policy):
    hostile = replace(SECRET, name="<script>alert(1)</script>", kind="<b>new</b>")
    page = decide(InspectionReport([hostile]), _policy(policy, default_action="block"), True).block_page
    assert "<script>" not in page and "<b>new</b>" not in page and "&lt;script&gt;" in page
