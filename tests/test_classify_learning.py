"""What the classifier learns from answers: fediverse servers outside the catalog and official accounts' posts.

Bounded (1 M distinct keys keep the store at its capacity and memory flat), expiring, kept across restarts in a
state file that is read defensively, never learned from IP literals or forbidden hosts.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from socialguard.classify import Classifier
from socialguard.classify.fediverse import host_to_learn, software_platform, valid_learned_host
from socialguard.classify.memory import ClassifierMemory, ExpiringStore
from socialguard.classify.official_posts import learn_from_response, target_keys
from socialguard.engine import Engine
from socialguard.events import EventSink
from socialguard.facts import RequestFacts

INSTANCE = json.dumps({"uri": "toot.example.net", "title": "x", "version": "4.3.1"}).encode()


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def _get(host: str, path: str, method: str = "GET", body: bytes = b"") -> RequestFacts:
    return RequestFacts(method, host, path, body=body,
                        headers=(("content-type", "application/json"),) if body else ())


def _answer(engine: Engine, facts: RequestFacts, body: bytes, status: int = 200) -> None:
    verdict = engine.classify(facts)
    if engine.wants_response(facts, verdict):
        engine.learn_response(facts, verdict, status, "application/json; charset=utf-8", body)


# -- fediverse servers -------------------------------------------------------------------------------------
def test_unknown_server_is_learned_from_its_instance_document_and_its_other_paths_classified(policy):
    engine = Engine(policy, EventSink(None, node="t"))
    host = "toot.example.net"
    assert engine.classify(_get(host, "/api/v1/notifications")) is None          # not an any-host path
    _answer(engine, _get(host, "/api/v2/instance/"), INSTANCE)                   # trailing slash as Mastodon.py
    for path, activity in (("/api/v1/notifications", "view"), ("/api/v1/accounts/lookup", "view"),
                           ("/api/v2/search", "view")):
        c = engine.classify(_get(host, path)).classification
        assert (c.platform, c.activity, c.host_match) == ("mastodon", activity, "learned host")
    c = engine.classify(_get(host, "/api/v1/statuses", "POST", b'{"status":"hi"}')).classification
    assert (c.platform, c.activity) == ("mastodon", "post")


@pytest.mark.parametrize("software,platform", [("misskey", "misskey"), ("Sharkey", "misskey"), ("lemmy", "lemmy"),
                                               ("akkoma", "mastodon"), ("gotosocial", "mastodon"),
                                               ("peertube", None), ("wordpress", None)])
def test_nodeinfo_names_the_software(software, platform):
    doc = json.dumps({"version": "2.0", "software": {"name": software, "version": "1"}}).encode()
    assert software_platform("/nodeinfo/2.0", doc) == platform


def test_learning_refuses_ip_literals_failures_non_json_and_forbidden_hosts():
    learnable = frozenset({"mastodon"})
    ok = dict(status=200, content_type="application/json", any_host_platform="mastodon", body=b"{}",
              learnable=learnable, forbidden=("intranet.example",))
    assert host_to_learn("toot.example.net", "/api/v1/statuses", **ok) == "mastodon"
    for host in ("10.0.0.5", "[::1]", "::1", "localhost", "a..b", "-x.example", "x" * 300 + ".com", "1.2.3.4.5"):
        assert host_to_learn(host, "/api/v1/statuses", **ok) is None, host
    assert host_to_learn("chat.intranet.example", "/api/v1/statuses", **ok) is None
    assert host_to_learn("toot.example.net", "/api/v1/statuses", **(ok | {"status": 404})) is None
    assert host_to_learn("toot.example.net", "/api/v1/statuses", **(ok | {"content_type": "text/html"})) is None
    # nodeinfo is any-host for Mastodon, but only its body may name the platform
    assert host_to_learn("toot.example.net", "/nodeinfo/2.0", **ok) is None
    assert not valid_learned_host("192.168.1.1") and valid_learned_host("social.example.org")


def test_policy_can_forbid_a_host_and_pinned_hosts_need_no_learning(policy, tmp_path):
    mastodon = next(p for p in policy.catalog.platforms if p.slug == "mastodon")
    forbidding = replace(policy, catalog=replace(policy.catalog, platforms=tuple(
        replace(p, never_learn=("example.net",)) if p.slug == "mastodon" else p for p in policy.catalog.platforms)))
    engine = Engine(forbidding, EventSink(None, node="t"))
    _answer(engine, _get("toot.example.net", "/api/v2/instance"), INSTANCE)
    assert engine.classify(_get("toot.example.net", "/api/v1/notifications")) is None
    assert "mastodon.social" in mastodon.hosts  # pinned: classified without any answer
    assert Engine(policy, EventSink(None, node="t")).classify(_get("mastodon.social", "/api/v1/notifications"))


def test_learned_hosts_survive_a_restart_and_expire(policy, tmp_path):
    clock = Clock()
    memory = ClassifierMemory(hosts_ttl_s=3600, clock=clock)
    engine = Engine(policy, EventSink(None, node="t"), memory)
    _answer(engine, _get("toot.example.net", "/api/v2/instance"), INSTANCE)
    assert memory.changed
    state = tmp_path / "state" / "classify.json"
    memory.save(state)
    restarted = ClassifierMemory(hosts_ttl_s=3600, clock=clock)
    assert restarted.load(state) is None
    again = Engine(policy, EventSink(None, node="t"), restarted)
    assert again.classify(_get("toot.example.net", "/api/v1/notifications")).classification.platform == "mastodon"
    clock.t += 3601
    assert again.classify(_get("toot.example.net", "/api/v1/notifications")) is None


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"version": 2}', b'{"version": 1, "hosts": "x"}',
                                     json.dumps({"version": 1, "hosts": [["10.0.0.1", "mastodon", 4e9],
                                                                         [1, 2, 3], ["a.example", "x"]],
                                                 "posts": [["x", {}, "h", 4e9]]}).encode()])
def test_hostile_state_files_are_refused_or_filtered(tmp_path, content):
    state = tmp_path / "classify.json"
    state.write_bytes(content)
    memory = ClassifierMemory()
    memory.load(state)
    assert len(memory.hosts) == 0 and len(memory.posts) == 0


def test_state_file_symlink_is_not_followed(tmp_path):
    real = tmp_path / "elsewhere.json"
    ok = ClassifierMemory()
    ok.hosts.put("toot.example.net", "mastodon")
    ok.save(real)
    link = tmp_path / "classify.json"
    os.symlink(real, link)
    memory = ClassifierMemory()
    assert memory.load(link) is not None and len(memory.hosts) == 0


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_a_million_distinct_hosts_keep_the_store_bounded_and_memory_flat():
    store = ExpiringStore(capacity=10_000, ttl_s=3600)
    for i in range(200_000):
        store.put(f"h{i}.example.org", "mastodon")
    after_200k = _rss_kib()
    for i in range(200_000, 1_000_000):
        store.put(f"h{i}.example.org", "mastodon")
    after_1m = _rss_kib()
    assert len(store) == 10_000
    assert store.get("h999999.example.org") == "mastodon" and store.get("h0.example.org") is None
    assert after_1m - after_200k < 8 * 1024      # KiB: an unbounded store would have grown by ~100 MiB


def test_a_million_distinct_post_ids_keep_the_official_store_bounded(policy):
    memory = ClassifierMemory(posts_capacity=5_000)
    clf = Classifier(policy, memory)
    c = clf.classify(_get("api.x.com", "/2/tweets/search/recent"))
    for i in range(0, 1_000_000, 1000):
        body = {"data": [{"id": str(i + k), "author_id": "9"} for k in range(1000)],
                "includes": {"users": [{"id": "9", "username": "StatCan_eng"}]}}
        clf.learn_response(_get("api.x.com", "/2/tweets/search/recent"), c, 200, "application/json",
                           json.dumps(body).encode())
    assert len(memory.posts) == 5_000
    assert memory.posts.get(("x", "999999")) == "statcan_eng"


# -- official posts ----------------------------------------------------------------------------------------
X_GRAPHQL = {"data": {"home": {"timeline": {"instructions": [{"entries": [
    {"content": {"itemContent": {"tweet_results": {"result": {
        "rest_id": "1800000000000000001", "legacy": {"full_text": "Today's release"},
        "core": {"user_results": {"result": {"core": {"screen_name": "StatCan_eng"}}}}}}}}},
    {"content": {"itemContent": {"tweet_results": {"result": {
        "rest_id": "1800000000000000002", "legacy": {"full_text": "lunch"},
        "core": {"user_results": {"result": {"legacy": {"screen_name": "someone"}}}}}}}}},
]}]}}}}


@pytest.mark.parametrize("platform,doc,official,expect", [
    ("x", X_GRAPHQL, {"statcan_eng"}, {"1800000000000000001"}),
    ("x", [{"id_str": "55", "full_text": "t", "user": {"screen_name": "StatCan_fra"}}], {"statcan_fra"}, {"55"}),
    ("mastodon", [{"id": "110", "uri": "https://mastodon.social/users/statcan/statuses/110", "content": "<p>x</p>",
                   "account": {"acct": "statcan"}},
                  {"id": "111", "content": "y", "account": {"acct": "someone@else.example"}}], {"statcan"},
     {"110", "https://mastodon.social/users/statcan/statuses/110"}),
    ("bluesky", {"feed": [{"post": {"uri": "at://did:plc:abc/app.bsky.feed.post/3k1", "cid": "c",
                                    "author": {"did": "did:plc:abc", "handle": "statcan.bsky.social"}}}]},
     {"statcan.bsky.social"}, {"at://did:plc:abc/app.bsky.feed.post/3k1", "did:plc:abc"}),
    ("facebook", {"data": {"node": {"id": "UzpfST", "post_id": "1234", "feedback": {"id": "ZmVlZGJhY2s6MTIzNA=="},
                                    "actors": [{"__typename": "Page", "url": "https://www.facebook.com/StatisticsCanada"}]}}},
     {"statisticscanada"}, {"ZmVlZGJhY2s6MTIzNA==", "1234", "UzpfST"}),
])
def test_official_posts_are_read_from_answers(platform, doc, official, expect):
    got = learn_from_response(platform, json.dumps(doc).encode(), frozenset(official))
    assert {pid for pid, _ in got} == expect


@pytest.mark.parametrize("body", [b"", b"[" * 100_000, b"\xff\xfe", b"null", json.dumps({"a": [[[[[]]]]]}).encode(),
                                  json.dumps([{"rest_id": {}, "legacy": {"full_text": 1}, "core": 5}] * 1000).encode(),
                                  json.dumps({"id_str": "x" * 5000, "text": "", "user": {"screen_name": "StatCan_eng"}}).encode()])
def test_hostile_answers_learn_nothing_and_never_raise(body):
    assert learn_from_response("x", body, frozenset({"statcan_eng"})) == []


def test_target_keys_understand_urls_and_at_uris():
    assert "1800000000000000001" in target_keys("x", "https://x.com/StatCan_eng/status/1800000000000000001")
    assert "did:plc:abc" in target_keys("bluesky", "at://did:plc:abc/app.bsky.feed.post/3k1")


def _flags(engine, facts):
    v = engine.classify(facts)
    return v.official_targets, v.official_target_kind


@pytest.mark.parametrize("platform_host,timeline_path,timeline,reply", [
    ("api.x.com", "/2/tweets/search/recent",
     {"data": [{"id": "1800000000000000001", "author_id": "9"}], "includes": {"users": [{"id": "9", "username": "StatCan_eng"}]}},
     lambda target: _get("api.x.com", "/2/tweets", "POST", json.dumps(
         {"text": "great", "reply": {"in_reply_to_tweet_id": target}}).encode())),
    ("mastodon.social", "/api/v1/timelines/home",
     [{"id": "1800000000000000001", "content": "x", "account": {"acct": "statcan"}}],
     lambda target: _get("mastodon.social", "/api/v1/statuses", "POST", json.dumps(
         {"status": "great", "in_reply_to_id": target}).encode())),
    ("bsky.social", "/xrpc/app.bsky.feed.getTimeline",
     {"feed": [{"post": {"uri": "at://did:plc:official1/app.bsky.feed.post/1800000000000000001",
                         "author": {"did": "did:plc:official1", "handle": "statcan.bsky.social"}}}]},
     lambda target: _get("bsky.social", "/xrpc/com.atproto.repo.createRecord", "POST", json.dumps(
         {"repo": "did:plc:me", "collection": "app.bsky.feed.post", "record": {"text": "great", "reply": {
             "parent": {"uri": f"at://did:plc:{'official1' if target.endswith('1') else 'other'}/app.bsky.feed.post/{target}"},
             "root": {"uri": "at://x/y/z"}}}}).encode())),
])
def test_reply_by_id_to_a_learned_official_post_is_flagged_and_to_another_post_is_not(
        policy, platform_host, timeline_path, timeline, reply):
    engine = Engine(policy, EventSink(None, node="t"))
    assert _flags(engine, reply("1800000000000000001")) == ((), "account")      # not seen yet
    _answer(engine, _get(platform_host, timeline_path), json.dumps(timeline).encode())
    targets, kind = _flags(engine, reply("1800000000000000001"))
    assert targets and kind == "post"
    assert _flags(engine, reply("1800000000000000002")) == ((), "account")


def test_policy_listed_official_posts_are_flagged_without_any_answer(policy):
    listed = replace(policy, agency=replace(policy.agency, official_posts={"x": ("1700000000000000000",)}))
    engine = Engine(listed, EventSink(None, node="t"))
    facts = _get("api.x.com", "/2/tweets", "POST", b'{"text":"ok","quote_tweet_id":"1700000000000000000"}')
    v = engine.classify(facts)
    assert v.classification.activity == "share" and v.official_target_kind == "post"


def test_answers_are_read_only_for_social_views():
    from socialguard.policy import load_policy
    from support.proxies import ROOT

    engine = Engine(load_policy(ROOT / "policy"), EventSink(None, node="t"))
    assert not engine.wants_response(_get("www.example.org", "/api/v1/timelines/home"), None)
    post = _get("api.x.com", "/2/tweets", "POST", b'{"text":"x"}')
    assert not engine.wants_response(post, engine.classify(post))
    view = _get("api.x.com", "/2/tweets/search/recent")
    assert engine.wants_response(view, engine.classify(view))


def test_facebook_comment_on_a_learned_official_post_is_flagged(policy):
    from urllib.parse import urlencode

    engine = Engine(policy, EventSink(None, node="t"))
    feed = RequestFacts("POST", "www.facebook.com", "/api/graphql/",
                        body=urlencode({"fb_api_req_friendly_name": "CometNewsFeedPaginationQuery",
                                        "variables": "{}"}).encode(),
                        headers=(("content-type", "application/x-www-form-urlencoded"),))
    answer = {"data": {"viewer": {"news_feed": {"edges": [
        {"node": {"id": "S1", "post_id": "11", "feedback": {"id": "ZmVlZGJhY2s6MTE="},
                  "actors": [{"url": "https://www.facebook.com/StatisticsCanada"}]}},
        {"node": {"id": "S2", "post_id": "12", "feedback": {"id": "ZmVlZGJhY2s6MTI="},
                  "actors": [{"url": "https://www.facebook.com/someone.else"}]}}]}}}}
    _answer(engine, feed, json.dumps(answer).encode())

    def comment(feedback_id):
        variables = json.dumps({"input": {"feedback_id": feedback_id, "message": {"text": "nice"}}})
        return RequestFacts("POST", "www.facebook.com", "/api/graphql/",
                            body=urlencode({"fb_api_req_friendly_name": "CometUFICreateCommentMutation",
                                            "variables": variables}).encode(),
                            headers=(("content-type", "application/x-www-form-urlencoded"),))

    assert _flags(engine, comment("ZmVlZGJhY2s6MTE=")) == (("statisticscanada",), "post")
    assert _flags(engine, comment("ZmVlZGJhY2s6MTI=")) == ((), "account")


def test_learned_servers_are_decrypted_like_catalog_hosts(policy):
    from socialguard.passthrough import TlsChooser

    memory = ClassifierMemory()
    chooser = TlsChooser(policy.operations.tls, policy.catalog, learned_hosts=memory.hosts.index)
    assert not chooser.decide("toot.example.net").decrypt
    Classifier(policy, memory).learn_response(
        _get("toot.example.net", "/api/v2/instance"),
        Classifier(policy, memory).classify(_get("toot.example.net", "/api/v2/instance")), 200,
        "application/json", INSTANCE)
    decision = chooser.decide("toot.example.net")
    assert decision.decrypt and decision.reason == "learned_host" and decision.platform == "mastodon"


def test_instagram_comment_on_a_learned_official_post_is_flagged_by_the_id_in_its_path(policy):
    engine = Engine(policy, EventSink(None, node="t"))
    feed = RequestFacts("GET", "i.instagram.com", "/api/v1/feed/user/123/")
    answer = {"items": [{"pk": "3100000000000000001", "id": "3100000000000000001_123", "code": "C1", "taken_at": 1,
                         "user": {"username": "statcan_eng"}},
                        {"pk": "3100000000000000002", "id": "3100000000000000002_9", "code": "C2", "taken_at": 1,
                         "user": {"username": "someone"}}]}
    _answer(engine, feed, json.dumps(answer).encode())

    def comment(media_id):
        return RequestFacts("POST", "i.instagram.com", f"/api/v1/media/{media_id}/comment/",
                            body=b"signed_body=SIGNATURE.%7B%22comment_text%22%3A%22nice%22%7D",
                            headers=(("content-type", "application/x-www-form-urlencoded"),))

    assert _flags(engine, comment("3100000000000000001_123")) == (("statcan_eng",), "post")
    assert _flags(engine, comment("3100000000000000002_9")) == ((), "account")


def test_the_proxy_runtime_keeps_what_it_learned_across_a_restart(policy, tmp_path):
    from socialguard.adapter.runtime import Runtime

    events = tmp_path / "events"
    rt = Runtime().install(policy, events, "node-a")
    _answer(rt.engine, _get("toot.example.net", "/api/v2/instance"), INSTANCE)
    rt.shutdown()
    assert (events / "state" / "classify.json").is_file()
    again = Runtime().install(policy, events, "node-a")
    assert again.engine.classify(_get("toot.example.net", "/api/v1/notifications")).classification.platform == "mastodon"
    again.shutdown()
