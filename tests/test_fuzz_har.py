"""Property tests for the HAR reader: any input gives entries or a HarError, never another exception."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.fuzzing import fuzz_settings, json_values, wild_scalars

from socialguard.har import HarEntry, HarError, parse_entry, read_har

VALID_ENTRY = {
    "startedDateTime": "2026-03-02T14:05:00.000Z", "time": 120.5,
    "request": {"method": "POST", "url": "https://mastodon.social/api/v1/statuses?x=1",
                "headers": [{"name": "Content-Type", "value": "application/json"}],
                "postData": {"mimeType": "application/json", "text": "{\"status\": \"hi\"}"}},
    "response": {"status": 200, "headers": [], "bodySize": 10},
}
KEYS = [("startedDateTime",), ("time",), ("request",), ("request", "url"), ("request", "method"),
        ("request", "headers"), ("request", "postData"), ("request", "postData", "text"),
        ("request", "postData", "encoding"), ("request", "postData", "params"), ("request", "postData", "mimeType"),
        ("response",), ("response", "status"), ("response", "bodySize"), ("response", "headers"),
        ("serverIPAddress_client",)]
urls = st.one_of(st.text(max_size=40), st.builds(lambda s, h, rest: f"{s}://{h}{rest}",
                                                 st.sampled_from(["https", "http", "", "ftp"]),
                                                 st.text(max_size=20), st.text(max_size=20)))


def _mutate(entry: dict, key: tuple[str, ...], value) -> dict:
    doc = copy.deepcopy(entry)
    node = doc
    for k in key[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    node[key[-1]] = value
    return doc


def _check(entry) -> None:
    try:
        got = parse_entry(0, entry)
    except HarError:
        return
    assert isinstance(got, HarEntry)
    assert got.request.host == got.request.host.lower()


@fuzz_settings()
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.one_of(wild_scalars, json_values, urls)), min_size=1,
                max_size=4))
@example([(("time",), 10**400)])                                   # int too large for a float
@example([(("startedDateTime",), "0001-01-01T00:00:00+14:00")])  # before the epoch's range
@example([(("request", "url"), "https://[::1/x")])                # invalid IPv6 authority
@example([(("request", "url"), "https://example.org:99999/")])    # port out of range
@example([(("request", "postData"), {"text": "\ud800", "encoding": "base64"})])
def test_mutated_entries_parse_or_raise_har_error(mutations):
    entry = VALID_ENTRY
    for key, value in mutations:
        entry = _mutate(entry, key, value)
    _check(entry)


@fuzz_settings()
@given(json_values)
def test_arbitrary_json_entries(value):
    _check(value)


@fuzz_settings(0.5)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                 st.lists(json_values, max_size=3).map(lambda es: json.dumps({"log": {"entries": es}}).encode())))
def test_read_har_on_arbitrary_files(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.har"
        path.write_bytes(data)
        try:
            entries = list(read_har(path))
        except HarError:
            return
        assert all(isinstance(e, HarEntry) for e in entries)


def test_read_har_missing_file_is_har_error(tmp_path):
    with pytest.raises(HarError):
        list(read_har(tmp_path / "absent.har"))
