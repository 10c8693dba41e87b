"""HAR reader: entries become the same facts the proxy builds; bad files and entries are HarError."""

from __future__ import annotations

import base64
import json

import pytest

from socialguard.har import HarError, parse_entry, read_har


def _entry(**over):
    e = {
        "startedDateTime": "2026-11-25T14:00:00.000-05:00",
        "time": 120,
        "request": {"method": "post", "url": "https://X.com/i/api/graphql/a/CreateTweet?variables=1",
                    "headers": [{"name": "Content-Type", "value": "application/json"}],
                    "postData": {"mimeType": "application/json", "text": '{"variables":{"tweet_text":"hi"}}'}},
        "response": {"status": 200, "headers": [], "bodySize": 10},
    }
    e.update(over)
    return e


def test_entry_to_facts():
    h = parse_entry(3, _entry())
    f = h.request
    assert (f.method, f.host, f.path, f.query) == ("POST", "x.com", "/i/api/graphql/a/CreateTweet", (("variables", "1"),))
    assert f.timestamp == pytest.approx(1795633200.0)  # 2026-11-25T19:00:00Z
    assert f.body.startswith(b'{"variables"') and f.content_type == "application/json"
    assert h.url == "https://x.com/i/api/graphql/a/CreateTweet"
    assert h.response.status_code == 200 and h.response.timestamp_end == pytest.approx(f.timestamp + 0.12)


def test_base64_body_and_params():
    e = _entry()
    e["request"]["postData"] = {"mimeType": "image/png", "encoding": "base64", "text": base64.b64encode(b"\x89PNG").decode()}
    assert parse_entry(0, e).request.body == b"\x89PNG"
    e["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "a", "value": "b c"}]}
    assert parse_entry(0, e).request.body == b"a=b+c"


@pytest.mark.parametrize(
    "entry, message",
    [
        ({}, "no request"),
        ({"request": {"url": 5}}, "request.url"),
        ({"request": {"url": "/relative"}, "startedDateTime": "2026-11-25T14:00:00Z"}, "no host"),
        ({"request": {"url": "https://a.b/"}}, "startedDateTime missing"),
        ({"request": {"url": "https://a.b/"}, "startedDateTime": "yesterday"}, "not ISO 8601"),
        ({"request": {"url": "https://a.b/"}, "startedDateTime": "2026-11-25T14:00:00"}, "no time zone"),
    ],
)
def test_bad_entries(entry, message):
    with pytest.raises(HarError, match=message):
        parse_entry(0, entry)


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"log": {}}', b'{"log": {"entries": {}}}', b"\xff\xfe"])
def test_bad_files(tmp_path, content):
    p = tmp_path / "x.har"
    p.write_bytes(content)
    with pytest.raises(HarError):
        list(read_har(p))


def test_read_har(tmp_path):
    p = tmp_path / "x.har"
    p.write_text(json.dumps({"log": {"version": "1.2", "entries": [_entry(), _entry()]}}))
    assert [e.index for e in read_har(p)] == [0, 1]
