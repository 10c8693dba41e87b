"""The banner addon's hooks in-process on mitmproxy flows: meter, coaching, dismissal, headers, fail-open."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from mitmproxy import http
from mitmproxy.test import taddons, tflow

from socialguard.adapter.banner import Banner
from socialguard.adapter.classifying import Classifying
from socialguard.adapter.runtime import Runtime
from socialguard.banner.service import STYLESHEET_PATH
from socialguard.coaching import Coaching
from socialguard.events import read_events
from support.eventcheck import assert_valid_events

NAV = {"sec-fetch-dest": "document", "sec-fetch-mode": "navigate", "accept": "text/html",
       "accept-language": "en-CA,en;q=0.9", "if-none-match": '"v1"', "if-modified-since": "Wed, 01 Jan 2025 00:00:00 GMT"}
PAGE = b"<!doctype html><html><head><title>t</title></head><body><p>feed</p></body></html>"
HTML = {"content-type": "text/html; charset=utf-8", "etag": '"v1"', "last-modified": "Wed, 01 Jan 2025 00:00:00 GMT",
        "content-security-policy": "style-src 'self'", "x-frame-options": "DENY"}


class FakeUsage:
    def __init__(self, minutes: float = 0):
        self.minutes = minutes
        self.recorded: list[tuple] = []
        self.categories: list[str] = []

    def record(self, user, platform, ts, background, groups=(), category="personal"):
        self.recorded.append((user, platform, background))
        self.categories.append(category)

    def working_minutes_today(self, user, now):
        return self.minutes

    def in_working_time(self, user, now, groups=()):
        return True


@pytest.fixture
def rt(policy, tmp_path):
    """A fresh runtime per test (nothing is shared between tests through module state)."""
    banner = replace(policy.banner, every_seconds=0)
    r = Runtime().install(replace(policy, banner=banner), tmp_path / "events", "test-node")
    r.usage = FakeUsage()
    yield r
    r.shutdown()


@pytest.fixture
def addons(rt):
    core, banner = Classifying(rt), Banner(rt)
    with taddons.context(core, banner):
        yield core, banner


def run(addons, url: str, headers: dict, body: bytes = PAGE, resp_headers: dict = HTML, user: str = "ann",
        status: int = 200) -> http.HTTPFlow:
    core, banner = addons
    flow = tflow.tflow(req=http.Request.make("GET", url, b"", headers))
    flow.metadata["proxyauth"] = (user, "pw")
    core.request(flow)
    banner.request(flow)
    if flow.response is None:
        flow.response = http.Response.make(status, body, resp_headers)
        asyncio.run(banner.response(flow))
        core.response(flow)
    return flow


def events(rt) -> list[dict]:
    evs = read_events(rt.events_dir)
    assert_valid_events(evs)
    return evs


def banner_events(rt, action: str) -> list[dict]:
    return [e for e in events(rt) if e["event"]["action"] == "social.banner"
            and e["socialguard"]["banner"]["action"] == action]


def test_injects_fixes_headers_and_keeps_security_headers(rt, addons):
    flow = run(addons, "https://x.com/home", NAV)
    body = flow.response.raw_content
    assert b'data-socialguard="banner"' in body and body.startswith(PAGE[:PAGE.index(b"<body>") + 6])
    assert flow.response.headers["content-length"] == str(len(body))
    assert "etag" not in flow.response.headers and "last-modified" not in flow.response.headers
    assert flow.response.headers["content-security-policy"] == "style-src 'self'"
    assert flow.response.headers["x-frame-options"] == "DENY"
    assert flow.response.headers["cache-control"] == "private, no-cache"
    assert b'<link rel="stylesheet" href="https://x.com/__socialguard/banner.css' in body
    # Conditional headers went away so the browser cannot revive an old banner with a 304.
    assert "if-none-match" not in flow.request.headers and "if-modified-since" not in flow.request.headers
    (shown,) = banner_events(rt, "inserted")
    assert shown["user"]["name"] == "ann" and shown["socialguard"]["platform"] == "x"
    assert shown["socialguard"]["banner"] == {"action": "inserted", "language": "en", "message": "2.1",
                                              "reason": "rotation", "coaching": False, "working_minutes_today": 0,
                                              "style": "stylesheet", "beacon": True}
    assert banner_events(rt, "rendered") == []                     # inserted is not rendered
    assert rt.usage.recorded == [("ann", "x", False)]


@pytest.mark.parametrize("accept_encoding,expected", [
    ("gzip, deflate", "gzip"), ("gzip, deflate, br, zstd", "zstd"), ("gzip, zstd;q=0", "gzip"), (None, "gzip")])
def test_gzip_page_is_reencoded(rt, addons, accept_encoding, expected):
    headers = NAV | ({"accept-encoding": accept_encoding} if accept_encoding else {})
    flow = run(addons, "https://x.com/home", headers, body=PAGE, resp_headers=HTML | {"content-encoding": "gzip"})
    assert flow.response.headers["content-encoding"] == expected
    body = flow.response.get_content()
    assert b"socialguard-banner" in body and body.endswith(PAGE[PAGE.index(b"<p>"):])
    if expected != "gzip":
        assert "accept-encoding" in flow.response.headers["vary"].lower()


def test_usage_meter_is_live(rt, addons):
    rt.usage.minutes = 23.7
    flow = run(addons, "https://x.com/home", NAV)
    assert b"You have spent 23 min on social media during working hours today." in flow.response.raw_content
    assert banner_events(rt, "inserted")[0]["socialguard"]["banner"]["working_minutes_today"] == 23


def test_coaching_is_shown_once_even_when_capped(rt, addons, policy):
    rt.engine.policy = replace(rt.policy, banner=replace(rt.policy.banner, every_seconds=4 * 3600))
    run(addons, "https://x.com/home", NAV)                         # the reminder, then the cap
    rt.coaching.add("ann", Coaching(kind="marker", name="protected_b", guideline="2.6", platform="x", at=9e9))
    flow = run(addons, "https://x.com/home", NAV)
    body = flow.response.raw_content
    assert b"a security or embargo marking (guideline 2.6)" in body and b"protected_b" not in body
    assert banner_events(rt, "inserted")[-1]["socialguard"]["banner"]["coaching"] is True
    flow = run(addons, "https://x.com/home", NAV)
    assert b"socialguard-banner" not in flow.response.raw_content
    assert rt.coaching.peek("ann") == []


def test_coaching_waits_for_an_eligible_page(rt, addons):
    rt.coaching.add("ann", Coaching(kind="logo", name="agency_logo", guideline="2.3", platform="x", at=9e9))
    run(addons, "https://x.com/i/api/graphql/q/HomeTimeline", {"sec-fetch-dest": "empty", "sec-fetch-mode": "cors"},
        body=b'{"data": 1}', resp_headers={"content-type": "application/json"})
    assert rt.coaching.peek("ann")


@pytest.mark.parametrize("url,headers,resp_headers", [
    ("https://www.example.org/", NAV, HTML),                                          # not social
    ("https://x.com/i/api/1.1/x.json", {"sec-fetch-dest": "empty", "sec-fetch-mode": "cors"}, HTML),
    ("https://x.com/frame", NAV | {"sec-fetch-dest": "iframe"}, HTML),
    ("https://x.com/home", NAV | {"sec-purpose": "prefetch"}, HTML),
    ("https://x.com/data", NAV, {"content-type": "application/json"}),
    ("https://x.com/home", NAV, HTML | {"cache-control": "no-transform"}),
])
def test_non_eligible_flows_are_untouched(rt, addons, url, headers, resp_headers):
    flow = run(addons, url, headers, resp_headers=resp_headers)
    assert flow.response.raw_content == PAGE
    assert dict(flow.response.headers) == {k: v for k, v in resp_headers.items()} | {"content-length": str(len(PAGE))}


def test_broken_body_fails_open_with_an_error_event(rt, addons):
    core, banner = addons
    f = tflow.tflow(req=http.Request.make("GET", "https://x.com/home", b"", NAV))
    core.request(f)
    banner.request(f)
    f.response = http.Response.make(200, b"", HTML | {"content-encoding": "gzip"})
    f.response.raw_content = b"not gzip at all"
    asyncio.run(banner.response(f))
    assert f.response.raw_content == b"not gzip at all"
    errors = [e for e in events(rt) if e["event"]["action"] == "socialguard.error"]
    assert errors and errors[0]["event"]["reason"] == "banner"


def test_stylesheet_is_served_on_social_origins_and_not_counted(rt, addons):
    flow = run(addons, f"https://x.com{STYLESHEET_PATH}?v=1", {"sec-fetch-dest": "style"})
    assert flow.response.status_code == 200
    assert flow.response.headers["content-type"].startswith("text/css")
    assert b":host" in flow.response.raw_content
    assert flow.metadata["socialguard"] is None and rt.usage.recorded == []
    flow = run(addons, f"https://www.example.org{STYLESHEET_PATH}", {"sec-fetch-dest": "style"})
    assert flow.response.raw_content == PAGE                           # not ours to answer off social hosts


def test_dismiss_endpoint_records_and_redirects(rt, addons):
    import time

    back = "https://x.com/home?tab=for_you"
    link = addons[1].service.links.url(user="ann", platform="x", page_url=back, now=time.time())
    flow = run(addons, link, NAV)
    assert flow.response.status_code == 303 and flow.response.headers["location"] == back
    assert flow.response.headers["cache-control"] == "no-store"
    (d,) = banner_events(rt, "dismissed")
    assert d["user"]["name"] == "ann" and d["socialguard"]["platform"] == "x"
    assert d["url"] == {"domain": "x.com", "path": "/home"}                # never the query string
    flow = run(addons, back, NAV)
    assert b"socialguard-banner" not in flow.response.raw_content
    flow = run(addons, back, NAV, user="bob")
    assert b"socialguard-banner" in flow.response.raw_content


@pytest.mark.parametrize("path,status", [
    ("/dismiss?r=https%3A%2F%2Fevil.example%2F", 400),                   # never an open redirect
    ("/dismiss?r=javascript%3Aalert(1)", 400),
    ("/dismiss", 400),
    ("/other", 404),
])
def test_dismiss_endpoint_rejects_bad_targets(rt, addons, path, status):
    flow = run(addons, f"https://socialguard.invalid{path}", NAV)
    assert flow.response.status_code == status
    assert "location" not in flow.response.headers
    if status == 400:                                                    # said, never echoed
        (refused,) = banner_events(rt, "dismiss_refused")
        assert refused["socialguard"]["banner"]["refusal"] == "malformed"
        assert refused["url"] == {"domain": "socialguard.invalid", "path": "/dismiss"}


def test_render_beacon_turns_inserted_into_rendered(rt, addons):
    flow = run(addons, "https://x.com/home?q=secret", NAV, resp_headers=HTML | {"content-security-policy": ""})
    body = flow.response.raw_content.decode()
    beacon = body.split("https://x.com/__socialguard/seen/", 1)[1].split('"', 1)[0]
    image = {"sec-fetch-dest": "image", "sec-fetch-mode": "no-cors"}
    other = run(addons, f"https://x.com/__socialguard/seen/{beacon}", image, user="bob")
    assert other.response.headers["content-type"] == "image/gif" and banner_events(rt, "rendered") == []
    script = run(addons, f"https://x.com/__socialguard/seen/{beacon}", {"sec-fetch-dest": "empty"})
    assert script.response.status_code == 200 and banner_events(rt, "rendered") == []
    flow = run(addons, f"https://x.com/__socialguard/seen/{beacon}", image)
    assert flow.response.headers["content-type"] == "image/gif" and flow.metadata["socialguard"] is None
    (rendered,) = banner_events(rt, "rendered")
    assert rendered["user"]["name"] == "ann" and rendered["url"] == {"domain": "x.com", "path": "/home"}
    assert rendered["socialguard"]["banner"]["message"] == "2.1" and rendered["socialguard"]["platform"] == "x"
    run(addons, f"https://x.com/__socialguard/seen/{beacon}", image)
    assert len(banner_events(rt, "rendered")) == 1                        # once
    assert rt.usage.recorded == [("ann", "x", False)]                     # beacons are not activity


def test_stylesheet_carries_the_beacon(rt, addons):
    flow = run(addons, "https://x.com/home", NAV)
    href = flow.response.raw_content.decode().split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    css = run(addons, href.replace("&amp;", "&"), {"sec-fetch-dest": "style"})
    assert b'url("seen/' in css.response.raw_content and css.response.headers["cache-control"] == "private, no-store"


def _post(addons, status: int) -> None:
    post = {"content-type": "application/json", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors"}
    core, banner = addons
    f = tflow.tflow(req=http.Request.make("POST", "https://x.com/i/api/graphql/abc/CreateTweet",
                                          b'{"variables": {"tweet_text": "hello"}}', post))
    f.metadata["proxyauth"] = ("ann", "pw")
    core.request(f)
    banner.request(f)
    f.response = http.Response.make(status, b"{}", {"content-type": "application/json"})
    asyncio.run(banner.response(f))
    core.response(f)


def test_a_post_that_did_not_go_through_owes_nothing(rt, addons):
    _post(addons, 403)                                                   # blocked (or failed)
    assert b"Guideline </span>2.1" in run(addons, "https://x.com/home", NAV).response.raw_content


def test_after_a_post_the_next_page_reminds_of_2_2(rt, addons):
    _post(addons, 200)
    flow = run(addons, "https://x.com/home", NAV)
    assert b"Guideline </span>2.2" in flow.response.raw_content
    assert banner_events(rt, "inserted")[-1]["socialguard"]["banner"]["reason"] == "posted"
    assert b"Guideline </span>2.1" in run(addons, "https://x.com/home", NAV).response.raw_content


@pytest.mark.parametrize("headers", [
    NAV | {"sec-purpose": "prefetch"},
    {"sec-fetch-dest": "empty", "sec-fetch-mode": "cors"},
    NAV | {"sec-fetch-dest": "iframe"},
])
def test_dismiss_link_is_not_triggered_by_prefetch_fetch_or_frames(rt, addons, headers):
    flow = run(addons, "https://socialguard.invalid/dismiss?r=https%3A%2F%2Fx.com%2Fhome", headers)
    assert flow.response.status_code == 403
    assert banner_events(rt, "dismissed") == []
    assert b"socialguard-banner" in run(addons, "https://x.com/home", NAV).response.raw_content


def test_official_use_gets_no_reminder(rt, addons):
    flow = run(addons, "https://x.com/home", NAV, user="comms.officer")
    assert flow.response.raw_content == PAGE
    # The meter is told the category, and books official use nowhere (timekeeping/live.py).
    run(addons, "https://x.com/home", NAV)
    assert rt.usage.categories == ["official", "personal"]


def test_big_pages_are_injected_off_the_event_loop(rt, addons):
    big = PAGE.replace(b"<p>feed</p>", b"<p>feed</p>" * 20_000)          # 220 kB: decoded/encoded in a thread
    flow = run(addons, "https://x.com/home", NAV, body=big)
    body = flow.response.raw_content
    assert len(body) > 200_000 and b"socialguard-banner" in body
    assert flow.response.headers["content-length"] == str(len(body))
