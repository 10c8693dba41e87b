"""Guideline 1 by reply target, through the real proxy: a reply by id to an official account's post is flagged
once the proxy has seen that post in an answer; the same reply to someone else's post is not (X with tweepy,
Mastodon with Mastodon.py, Bluesky with atproto, a Facebook web comment)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from support.clients import proxy_over_site, session_for, use_client_env, write_canned

pytestmark = pytest.mark.e2e

OFFICIAL, OTHER = "1800000000000000001", "1800000000000000002"
X_SEARCH = {"data": [{"id": OFFICIAL, "author_id": "9", "text": "Today's release", "edit_history_tweet_ids": [OFFICIAL]},
                     {"id": OTHER, "author_id": "8", "text": "lunch", "edit_history_tweet_ids": [OTHER]}],
            "includes": {"users": [{"id": "9", "username": "StatCan_eng", "name": "Statistics Canada"},
                                   {"id": "8", "username": "someone", "name": "Someone"}]}}
MASTO_HOME = [{"id": OFFICIAL, "uri": "https://mastodon.social/users/statcan/statuses/1", "content": "<p>release</p>",
               "account": {"id": "1", "acct": "statcan", "username": "statcan"}},
              {"id": OTHER, "uri": "https://x.example/2", "content": "<p>hi</p>",
               "account": {"id": "2", "acct": "someone@x.example", "username": "someone"}}]
BSKY_SESSION = {"did": "did:plc:abcdefghijklmnopqrstuvwx", "handle": "asmith.bsky.social", "email": "a@example.invalid",
                "accessJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFjY2VzcyIsImV4cCI6NDEwMjQ0NDgwMH0.c2ln",
                "refreshJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLnJlZnJlc2giLCJleHAiOjQxMDI0NDQ4MDB9.c2ln",
                "active": True}
BSKY_TIMELINE = {"feed": [{"post": {"uri": "at://did:plc:official1/app.bsky.feed.post/3kofficial", "cid": "bafy1",
                                    "author": {"did": "did:plc:official1", "handle": "statcan.bsky.social"},
                                    "record": {"$type": "app.bsky.feed.post", "text": "x",
                                               "createdAt": "2026-01-01T00:00:00Z"},
                                    "indexedAt": "2026-01-01T00:00:00Z"}}]}
FB_FEED = {"data": {"viewer": {"news_feed": {"edges": [
    {"node": {"id": "S1", "post_id": "11", "feedback": {"id": "ZmVlZGJhY2s6MTE="},
              "actors": [{"__typename": "Page", "url": "https://www.facebook.com/StatisticsCanada"}]}}]}}}}



@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    work = tmp_path_factory.mktemp("official")
    site = work / "site"
    for host in ("api.twitter.com", "api.x.com"):
        write_canned(site, host, "/2/tweets/search/recent", X_SEARCH)
    write_canned(site, "mastodon.social", "/api/v1/timelines/home", MASTO_HOME)
    write_canned(site, "mastodon.social", "/api/v1/statuses", {"id": "5", "content": "", "visibility": "public"})
    write_canned(site, "bsky.social", "/xrpc/com.atproto.server.createSession", BSKY_SESSION)
    write_canned(site, "bsky.social", "/xrpc/app.bsky.actor.getProfile", {"did": BSKY_SESSION["did"],
                                                                     "handle": BSKY_SESSION["handle"]})
    write_canned(site, "bsky.social", "/xrpc/app.bsky.feed.getTimeline", BSKY_TIMELINE)
    write_canned(site, "bsky.social", "/xrpc/com.atproto.repo.createRecord",
           {"uri": "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kme", "cid": "bafy2"})
    write_canned(site, "www.facebook.com", "/api/graphql/index.html", FB_FEED)
    with proxy_over_site(work, site) as proxy:
        yield proxy


@pytest.fixture
def via_proxy(proxy, monkeypatch):
    return use_client_env(monkeypatch, proxy)


def _flags(proxy, platform: str) -> list[dict]:
    return [e for e in proxy.events() if e["event"]["action"] == "social.flag"
            and e["socialguard"]["platform"] == platform and e["socialguard"]["finding"]["kind"] == "official_reply"]


def _comments(proxy, platform: str, n: int) -> list[dict]:
    evs = proxy.wait_events(lambda e: sum(1 for x in e if x["event"]["action"] == "social.activity"
                                          and x["socialguard"]["platform"] == platform
                                          and x["socialguard"]["activity"] == "comment") >= n)
    return [e for e in evs if e["event"]["action"] == "social.activity" and e["socialguard"]["platform"] == platform
            and e["socialguard"]["activity"] == "comment"]


def _assert_one_official_post_flag(proxy, platform: str, handle: str) -> None:
    flags = _flags(proxy, platform)
    assert len(flags) == 1, flags
    assert flags[0]["socialguard"]["finding"]["name"] == "official_post"
    assert flags[0]["socialguard"]["guideline"] == "1"
    assert flags[0]["socialguard"]["targets"]["official"] == [handle]


def test_x_reply_by_tweet_id(via_proxy):
    tweepy = pytest.importorskip("tweepy")
    client = tweepy.Client(consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="ats")
    client.create_tweet(text="what does this mean?", in_reply_to_tweet_id=OFFICIAL)   # not seen yet
    client.search_recent_tweets("release", expansions="author_id")
    client.create_tweet(text="what does this mean?", in_reply_to_tweet_id=OFFICIAL)
    client.create_tweet(text="what does this mean?", in_reply_to_tweet_id=OTHER)
    assert len(_comments(via_proxy, "x", 3)) == 3
    _assert_one_official_post_flag(via_proxy, "x", "statcan_eng")


def test_mastodon_reply_by_status_id(via_proxy):
    mastodon = pytest.importorskip("mastodon")
    api = mastodon.Mastodon(access_token="tok", api_base_url="https://mastodon.social", version_check_mode="none")
    api.timeline_home()
    api.status_post("congrats", in_reply_to_id=OFFICIAL)
    api.status_post("congrats", in_reply_to_id=OTHER)
    assert len(_comments(via_proxy, "mastodon", 2)) == 2
    _assert_one_official_post_flag(via_proxy, "mastodon", "statcan")


def test_bluesky_reply_by_uri(via_proxy):
    atproto = pytest.importorskip("atproto")
    client = atproto.Client(base_url="https://bsky.social/xrpc")
    client.login("asmith.bsky.social", "app-password-1234")
    try:
        client.get_timeline()
    except Exception:  # noqa: BLE001 - the canned timeline need not satisfy every model field
        pass
    ref = atproto.models.AppBskyFeedPost.ReplyRef

    def reply(uri):
        client.send_post("agreed", reply_to=ref(parent={"uri": uri, "cid": "bafy1"}, root={"uri": uri, "cid": "bafy1"}))

    reply("at://did:plc:official1/app.bsky.feed.post/3kofficial")
    reply("at://did:plc:someoneelse/app.bsky.feed.post/3kother")
    assert len(_comments(via_proxy, "bluesky", 2)) == 2
    _assert_one_official_post_flag(via_proxy, "bluesky", "statcan.bsky.social")


def test_facebook_web_comment_by_feedback_id(via_proxy):
    s = session_for(via_proxy)
    url = "https://www.facebook.com/api/graphql/"
    s.post(url, data={"fb_api_req_friendly_name": "CometNewsFeedPaginationQuery", "variables": "{}"})

    def comment(feedback_id):
        variables = json.dumps({"input": {"feedback_id": feedback_id, "message": {"text": "nice"}}})
        s.post(url, data=urlencode({"fb_api_req_friendly_name": "CometUFICreateCommentMutation",
                                    "variables": variables}),
               headers={"content-type": "application/x-www-form-urlencoded"})

    comment("ZmVlZGJhY2s6MTE=")
    comment("ZmVlZGJhY2s6OTk=")
    assert len(_comments(via_proxy, "facebook", 2)) == 2
    _assert_one_official_post_flag(via_proxy, "facebook", "statisticscanada")
    raw = "".join(p.read_text() for p in via_proxy.events_dir.glob("*.jsonl"))
    assert "nice" not in raw.replace("nice_", "")
