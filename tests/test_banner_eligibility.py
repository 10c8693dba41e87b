"""Which requests and responses may carry a banner."""

from __future__ import annotations

import pytest

from socialguard.banner.eligibility import header_lookup, request_is_navigation, response_is_page

NAV = {"sec-fetch-dest": "document", "sec-fetch-mode": "navigate", "accept": "text/html,*/*"}


@pytest.mark.parametrize("method,headers,expected", [
    ("GET", NAV, True),
    ("get", NAV, True),
    ("POST", NAV, False),
    ("HEAD", NAV, False),
    ("GET", NAV | {"sec-fetch-dest": "iframe"}, False),
    ("GET", NAV | {"sec-fetch-dest": "frame"}, False),
    ("GET", NAV | {"sec-fetch-dest": "empty", "sec-fetch-mode": "cors"}, False),          # fetch/XHR
    ("GET", NAV | {"sec-fetch-dest": "image", "accept": "image/avif,*/*"}, False),
    ("GET", NAV | {"sec-fetch-dest": "serviceworker"}, False),
    ("GET", NAV | {"sec-fetch-dest": "worker"}, False),
    ("GET", NAV | {"sec-fetch-mode": "no-cors"}, False),
    ("GET", NAV | {"sec-purpose": "prefetch"}, False),
    ("GET", NAV | {"sec-purpose": "prefetch;prerender"}, False),
    ("GET", NAV | {"purpose": "prefetch"}, False),
    ("GET", NAV | {"x-moz": "prefetch"}, False),
    ("GET", NAV | {"service-worker-navigation-preload": "true"}, False),
    # No Fetch Metadata (older clients): an HTML Accept and no XHR marker.
    ("GET", {"accept": "text/html,application/xhtml+xml;q=0.9"}, True),
    ("GET", {"accept": "application/xhtml+xml"}, True),
    ("GET", {"accept": "application/json"}, False),
    ("GET", {"accept": "*/*"}, False),
    ("GET", {}, False),
    ("GET", {"accept": "text/html", "x-requested-with": "XMLHttpRequest"}, False),
])
def test_request_is_navigation(method, headers, expected):
    assert request_is_navigation(method, headers.get) is expected


OK = {"content-type": "text/html; charset=utf-8"}


@pytest.mark.parametrize("status,headers,expected", [
    (200, OK, True),
    (200, {"content-type": "TEXT/HTML"}, True),
    (200, OK | {"content-encoding": "gzip"}, True),
    (200, OK | {"content-encoding": "br"}, True),
    (200, OK | {"content-encoding": "zstd"}, True),
    (200, OK | {"content-encoding": "compress"}, False),
    (204, OK, False), (206, OK, False), (301, OK, False), (304, OK, False), (404, OK, False), (None, OK, False),
    (200, {"content-type": "application/json"}, False),
    (200, {"content-type": "application/xhtml+xml"}, False),
    (200, {"content-type": "text/plain"}, False),
    (200, {"content-type": "image/png"}, False),
    (200, {}, False),
    (200, OK | {"content-disposition": "attachment; filename=a.html"}, False),
    (200, OK | {"cache-control": "private, no-transform"}, False),
    (200, OK | {"content-range": "bytes 0-9/100"}, False),
])
def test_response_is_page(status, headers, expected):
    assert response_is_page(status, headers.get) is expected


def test_header_lookup_takes_first_value_of_lower_cased_pairs():
    get = header_lookup([("Accept", "text/html"), ("accept", "x")])
    assert get("accept") == "text/html" and get("missing") is None


@pytest.mark.parametrize("enabled, background, category, expected", [
    (True, False, "personal", True), (True, False, "professional", True), (True, False, "official", False),
    (True, True, "personal", False), (False, False, "personal", False),
])
def test_reminders_apply_to_own_foreground_use_only(enabled, background, category, expected):
    from socialguard.banner.eligibility import reminders_apply

    assert reminders_apply(enabled, background, category) is expected


@pytest.mark.parametrize("background, host_match, expected", [
    (False, "x.com", True), (True, "twimg.com", False), (False, "any-host path", False),
])
def test_a_dismissal_returns_only_to_a_platform_host(background, host_match, expected):
    from socialguard.banner.eligibility import may_return_to

    assert may_return_to(background, host_match) is expected
