"""Flow -> facts: the host the client asked for, read cheaply, agrees with mitmproxy's `pretty_host`."""

from __future__ import annotations

import pytest
from mitmproxy.test import tflow

from socialguard.adapter.facts import request_facts, request_host


@pytest.mark.parametrize(
    "host_header, expected",
    [("X.com", "x.com"), ("x.com:443", "x.com"), ("www.example.org.", "www.example.org"),
     ("[2001:db8::1]:8443", "2001:db8::1"), ("10.0.0.1:80", "10.0.0.1"), ("bsky.social", "bsky.social")],
)
def test_host_header(host_header, expected):
    f = tflow.tflow()
    f.request.headers["host"] = host_header
    assert request_host(f) == expected
    assert request_host(f) == f.request.pretty_host.lower().rstrip(".").strip("[]")


def test_no_host_header_uses_connection_host():
    f = tflow.tflow()
    f.request.headers.pop("host", None)
    f.request.host = "203.0.113.9"
    f.request.headers.pop("host", None)
    assert request_host(f) == "203.0.113.9"


def test_http2_authority_wins():
    f = tflow.tflow()
    f.request.http_version = "HTTP/2.0"
    f.request.authority = "mastodon.social:443"
    f.request.headers["host"] = "other.example"
    assert request_host(f) == "mastodon.social" == f.request.pretty_host


def test_facts_never_carry_the_query_in_path():
    f = tflow.tflow()
    f.request.path = "/api/v1/statuses?access_token=abc"
    facts = request_facts(f)
    assert facts.path == "/api/v1/statuses" and ("access_token", "abc") in facts.query
