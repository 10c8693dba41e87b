"""The proxy starts, classifies HTTPS traffic from a real client, and writes events."""

import pytest
from support.clients import session_for

pytestmark = pytest.mark.e2e


def test_https_post_through_proxy_is_classified(proxy):
    s = session_for(proxy)
    r = s.post("https://mastodon.social/api/v1/statuses", data={"status": "hello fediverse"}, timeout=20)
    assert r.status_code == 200
    r = s.get("https://www.example.org/", timeout=20)
    assert r.status_code == 200
    evs = proxy.wait_events(lambda e: any(x["url"]["path"] == "/api/v1/statuses" for x in e))
    ours = [e for e in evs if e.get("url", {}).get("path") == "/api/v1/statuses"]
    assert ours and ours[0]["socialguard"]["activity"] == "post"
    assert ours[0]["http"]["response"]["status_code"] == 200
    assert not any(e.get("url", {}).get("domain") == "www.example.org" for e in evs)
