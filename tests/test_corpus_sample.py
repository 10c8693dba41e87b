"""A sample of the client-library corpus in the suite: real libraries through a real `socialguard run` proxy.

The whole corpus (both parts, ~20 libraries' scenarios) is a benchmark: `benchmarks/classify_bench.py`. Here a few
scenarios that once came out `unknown` or non-social run end to end: praw's trailing-slash API paths, Mastodon.py
on a server outside the catalog (learned from its instance document), the Telegram Bot API (token in the path).
"""

from __future__ import annotations

import json

import pytest

from support.client_corpus import scenarios
from support.client_corpus.driver import drive

pytestmark = pytest.mark.e2e

SAMPLE = ("praw", "mastodon-unknown-server", "mastodon-unknown-server-user", "telegram")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    pytest.importorskip("praw")
    pytest.importorskip("telegram")
    work = tmp_path_factory.mktemp("corpus")
    chosen = [s for s in scenarios.SCENARIOS if s.name in SAMPLE]
    entries, problems = drive("tuning", chosen, work, quiet=False)
    return work, entries, problems


def test_every_sampled_call_reached_the_internet(corpus):
    _, entries, problems = corpus
    assert not [p for p in problems if p.endswith("sent nothing")]
    assert {e["_corpus"]["scenario"] for e in entries} == set(SAMPLE)


def test_classify_har_labels_the_sample_as_the_libraries_mean_it(corpus, policy, tmp_path):
    from socialguard.commands.classify_har import classify_entries
    from socialguard.har import parse_entry

    _, entries, _ = corpus
    parsed = [parse_entry(i, e) for i, e in enumerate(entries)]
    wrong = []
    for raw, (entry, verdict) in zip(entries, classify_entries(policy, parsed), strict=True):
        c = verdict.classification if verdict else None
        want = (raw["_corpus"]["platform"], raw["_corpus"]["activity"])
        got = (c.platform, c.activity) if c else (None, None)
        if got != want:
            wrong.append((raw["_corpus"]["step"], entry.request.method, entry.request.path, want, got))
    assert not wrong


def test_the_proxy_wrote_the_same_activities_for_catalog_hosts_and_no_bot_token(corpus):
    from socialguard.events import read_events

    work, entries, _ = corpus
    events = [e for e in read_events(work / "proxy" / "events") if e["event"]["action"] == "social.activity"]
    by_platform = {}
    for e in events:
        by_platform.setdefault(e["socialguard"]["platform"], []).append(e["socialguard"]["activity"])
    assert {"post", "comment", "react", "follow", "edit", "delete", "message", "login"} <= set(by_platform["reddit"])
    assert {"message", "upload", "edit", "delete", "react", "share"} <= set(by_platform["telegram"])
    assert "unknown" not in by_platform["reddit"]
    raw = "".join(p.read_text() for p in (work / "proxy" / "events").glob("*.jsonl"))
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in raw and "/bot[redacted]/sendMessage" in raw
    assert all(json.loads(line) for line in raw.splitlines())
