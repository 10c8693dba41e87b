"""Hostile requests at the classifier's boundaries: operation names, paths, the unknown-operations tally, the
event path, and `classify --har` output (issue 14, points 3 and 4)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialguard.classify import Classifier
from socialguard.classify.classifier import NOT_AN_OPERATION, operation_name
from socialguard.classify.paths import event_path, normalize_path
from socialguard.engine import Engine
from socialguard.events import EventSink
from socialguard.facts import RequestFacts

ROOT = Path(__file__).resolve().parents[1]
SOCIALGUARD = Path(sys.executable).parent / "socialguard"


@pytest.mark.parametrize("value,kept", [
    ("CreateTweet", True), ("com.atproto.repo.createRecord", True), ("flickr.photos.comments.addComment", True),
    ("voyagerFeedDashMainFeed.2b0b3b1a0c7e4f5d9a8b7c6d5e4f3a2b", True),
    ("how do I apply for a job", False), ("A" * 65, False), ("x" * 60_000, False), ("<script>", False),
    ("drop table;--", False), ("new\nline", False), ("", False), ("é", False),
])
def test_only_operation_shaped_values_are_kept(value, kept):
    assert (operation_name(value) != NOT_AN_OPERATION) is kept
    assert len(operation_name(value)) <= 64


def test_free_text_in_operation_sources_never_reaches_the_classification_or_the_tally(policy):
    clf = Classifier(policy)
    big = "Q" * 60_000
    cases = [
        RequestFacts("POST", "www.quora.com", "/graphql/gql_POST", query=(("q", "what is my secret question"),)),
        RequestFacts("POST", "www.facebook.com", "/api/graphql/", headers=(("x-fb-friendly-name", big),)),
        RequestFacts("POST", "www.linkedin.com", "/voyager/api/x", query=(("action", "a b c " * 1000),)),
        RequestFacts("POST", "x.com", "/i/api/graphql/abc/" + "Z%20" * 3000),
    ]
    for facts in cases:
        c = clf.classify(facts)
        assert c.operation in (None, NOT_AN_OPERATION) or len(c.operation) <= 64
    keys = [k for _, k in clf.unknown_operations]
    assert all(len(k) <= 130 for k in keys) and not any("secret" in k or "QQQQ" in k for k in keys)


def test_the_unknown_operations_tally_is_bounded(policy):
    clf = Classifier(policy)
    for i in range(12_000):
        clf.classify(RequestFacts("POST", "x.com", f"/i/api/graphql/abc/Qwzz{i}Xyzzy"))
    assert len(clf.unknown_operations) <= 10_000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("/;.%=aZ09~-_:@?#\x00é"), max_size=300))
def test_normalized_paths_are_plain_and_stable(raw):
    path = normalize_path("/" + raw)
    assert path.startswith("/") and "//" not in path and ";" not in path
    assert not (len(path) > 1 and path.endswith("/"))
    assert all(seg not in (".", "..") for seg in path.split("/"))
    assert normalize_path(path) == path


@pytest.mark.parametrize("raw,plain", [
    ("/api/submit/", "/api/submit"), ("//api///v1//statuses/", "/api/v1/statuses"),
    ("/api;jsessionid=ABC/v1;x=1/statuses", "/api/v1/statuses"), ("/%61pi/v2/instance/", "/api/v2/instance"),
    ("/api/v1/statuses/%2F..%2F", "/api/v1/statuses/%2F..%2F"), ("/a/b/../../../../etc", "/etc"),
    ("/" + "a/" * 5000, None),
])
def test_path_normalization(raw, plain):
    got = normalize_path(raw)
    if plain is not None:
        assert got == plain
    assert len(got) <= 2048


def test_hostile_paths_still_classify_as_the_plain_path(policy):
    clf = Classifier(policy)
    for path in ("/api/submit/", "//api/submit", "/api/submit;x=1", "/%61pi/submit"):
        c = clf.classify(RequestFacts("POST", "oauth.reddit.com", path, body=b"kind=self&title=t",
                                      headers=(("content-type", "application/x-www-form-urlencoded"),)))
        assert (c.platform, c.activity) == ("reddit", "post"), path
    # Hosts outside the catalog: only `//` is normalized before the any-host gate (docs/catalog.md, the cost of
    # the non-social path); the rest once the path is past it.
    for path in ("//api/v1//statuses/", "/api/v1/statuses;x=1", "/api/v1/statuses/./"):
        c = clf.classify(RequestFacts("POST", "toot.example.net", path, body=b'{"status":"x"}',
                                      headers=(("content-type", "application/json"),)))
        assert (c.platform, c.activity) == ("mastodon", "post"), path


def test_event_path_drops_the_bot_token_and_path_parameters(policy):
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    assert event_path(f"/bot{token}/sendMessage") == "/bot[redacted]/sendMessage"
    assert event_path(f"/file/bot{token}/photos/file_1.jpg") == "/file/bot[redacted]/photos/file_1.jpg"
    assert event_path("/login;jsessionid=SECRET123/home") == "/login/home"
    assert event_path("/bottles/42") == "/bottles/42"
    sink_events = []

    class Sink(EventSink):
        def emit(self, event):
            sink_events.append(event)

    engine = Engine(policy, Sink(None, node="t"))
    facts = RequestFacts("POST", "api.telegram.org", f"/bot{token}/sendMessage", body=b'{"chat_id":1,"text":"x"}',
                         headers=(("content-type", "application/json"),))
    verdict = engine.classify(facts)
    assert verdict.classification.activity == "message"
    from socialguard.facts import ResponseFacts

    engine.finished(facts, verdict, ResponseFacts(200))
    line = json.dumps(sink_events)
    assert "AAHdqTcv" not in line and "/bot[redacted]/sendMessage" in line


def _har(tmp_path, entries) -> Path:
    path = tmp_path / "t.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return path


def _entry(url, method="GET", body=None, mime="application/json", response=None):
    req = {"method": method, "url": url, "headers": [{"name": "content-type", "value": mime}] if body else []}
    if body is not None:
        req["postData"] = {"mimeType": mime, "text": body}
    return {"startedDateTime": "2026-11-25T14:00:00.000-05:00", "time": 10, "request": req,
            "response": response or {"status": 200, "headers": [], "content": {"size": 0}}}


def test_classify_har_prints_no_userinfo_query_or_fragment_and_flags_like_the_proxy(tmp_path):
    har = _har(tmp_path, [
        _entry("https://user:hunter2@x.com/home?token=abc#access_token=SECRETFRAG"),
        _entry("https://mastodon.social/api/v1/statuses?x=1", "POST",
               json.dumps({"status": "Draft: TOP SECRET numbers for Tuesday", "visibility": "public"})),
    ])
    events = tmp_path / "events"
    run = subprocess.run([str(SOCIALGUARD), "classify", "--har", str(har), "--policy", str(ROOT / "policy"),
                          "--events-dir", str(events)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert "hunter2" not in run.stdout and "SECRETFRAG" not in run.stdout and "token=abc" not in run.stdout
    rows = [json.loads(x) for x in run.stdout.splitlines()]
    assert rows[0]["url"] == "https://x.com/home"
    from socialguard.events import read_events

    evs = read_events(events)
    flags = [e for e in evs if e["event"]["action"] == "social.flag"]
    assert any(f["socialguard"]["finding"]["name"] == "top_secret" for f in flags)
    raw = "".join(p.read_text() for p in events.glob("*.jsonl"))
    assert "Tuesday" not in raw and "hunter2" not in raw


def test_classify_har_learns_servers_in_entry_order_and_keeps_them_in_a_state_file(tmp_path):
    instance = {"status": 200, "headers": [{"name": "content-type", "value": "application/json"}],
                "content": {"size": 1, "mimeType": "application/json",
                            "text": base64.b64encode(json.dumps({"uri": "toot.example.net", "version": "4.3.0"})
                                                     .encode()).decode(), "encoding": "base64"}}
    before = _entry("https://toot.example.net/api/v1/notifications")
    har = _har(tmp_path, [before, _entry("https://toot.example.net/api/v2/instance", response=instance),
                          _entry("https://toot.example.net/api/v1/notifications")])
    state = tmp_path / "state.json"
    args = [str(SOCIALGUARD), "classify", "--har", str(har), "--policy", str(ROOT / "policy"),
            "--state-file", str(state)]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    platforms = [json.loads(x)["platform"] for x in run.stdout.splitlines()]
    assert platforms == [None, "mastodon", "mastodon"]
    only_first = _har(tmp_path, [before])
    args[3] = str(only_first)
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(run.stdout)["platform"] == "mastodon"      # remembered from the previous run


def test_classify_har_reassembles_a_resumable_upload_and_flags_it_like_the_proxy(tmp_path):
    text = b"Quarterly figures. PROTECTED B. Do not release before Tuesday.\n" * 4
    half = len(text) // 2
    url = "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable&upload_id=AB12"

    def chunk(body, start, total):
        entry = _entry(url, "PUT", None)
        entry["request"]["headers"] = [{"name": "content-range", "value": f"bytes {start}-{start + len(body) - 1}/{total}"},
                                       {"name": "content-type", "value": "text/plain"}]
        entry["request"]["postData"] = {"mimeType": "text/plain", "text": base64.b64encode(body).decode(),
                                        "encoding": "base64"}
        return entry

    har = _har(tmp_path, [chunk(text[:half], 0, len(text)), chunk(text[half:], half, len(text))])
    events = tmp_path / "events"
    subprocess.run([str(SOCIALGUARD), "classify", "--har", str(har), "--policy", str(ROOT / "policy"),
                    "--events-dir", str(events)], capture_output=True, text=True, timeout=120, check=True)
    from socialguard.events import read_events

    flags = [e for e in read_events(events) if e["event"]["action"] == "social.flag"]
    assert [f["socialguard"]["finding"]["name"] for f in flags].count("protected_b") == 1


def test_json_keys_and_form_names_reach_finding_locations_only_when_name_shaped(policy):
    from socialguard.inspect.extract.body import json_texts
    from socialguard.inspect.scanner import Scanner

    doc = {"variables": {"input": {"text": "TOP SECRET//CEO plan"}},
           "how do I hide this from the proxy " * 50: "TOP SECRET//CEO again",
           "k" * 70: {"a" * 60: {"b" * 60: {"c" * 60: "TOP SECRET//CEO deep"}}}}
    locations = [t.location for t in json_texts(doc, "json")]
    assert "json.variables.input.text" in locations
    assert all(len(loc) <= 200 and "hide this" not in loc for loc in locations)
    report = Scanner(policy).scan_body(json.dumps(doc).encode(), "application/json", "", "statuses")
    assert report.findings and all(len(f.location) <= 200 and "hide" not in f.location for f in report.findings)
