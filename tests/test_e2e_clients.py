"""Real client libraries (tweepy, Mastodon.py, atproto) through the real proxy over HTTPS, trusting its CA.

The upstream is a loopback mitmdump that answers every request (canned JSON where a library needs a
well-formed answer); nothing leaves the machine.
"""

from __future__ import annotations


import pytest

from support.clients import proxy_over_site, use_client_env, write_canned

pytestmark = pytest.mark.e2e

SESSION = {
    "did": "did:plc:abcdefghijklmnopqrstuvwx", "handle": "asmith.bsky.social", "email": "a@example.invalid",
    "accessJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFjY2VzcyIsImV4cCI6NDEwMjQ0NDgwMH0.c2ln",
    "refreshJwt": "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLnJlZnJlc2giLCJleHAiOjQxMDI0NDQ4MDB9.c2ln",
    "active": True,
}
RECORD = {"uri": "at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabc", "cid": "bafyreia"}
PROFILE = {"did": SESSION["did"], "handle": SESSION["handle"]}



@pytest.fixture(scope="module")
def client_proxy(tmp_path_factory):
    work = tmp_path_factory.mktemp("clients")
    site = work / "site"
    for host in ("bsky.social",):
        write_canned(site, host, "/xrpc/com.atproto.server.createSession", SESSION)
        write_canned(site, host, "/xrpc/com.atproto.repo.createRecord", RECORD)
        write_canned(site, host, "/xrpc/app.bsky.actor.getProfile", PROFILE)
    write_canned(site, "mastodon.social", "/api/v1/statuses", {"id": "1", "content": "", "visibility": "public"})
    write_canned(site, "api.x.com", "/2/tweets", {"data": {"id": "1", "text": "", "edit_history_tweet_ids": ["1"]}})
    write_canned(site, "api.twitter.com", "/2/tweets", {"data": {"id": "1", "text": "", "edit_history_tweet_ids": ["1"]}})
    with proxy_over_site(work, site) as proxy:
        yield proxy


@pytest.fixture
def via_proxy(client_proxy, monkeypatch):
    return use_client_env(monkeypatch, client_proxy)


def _events_for(proxy, platform, n=1):
    evs = proxy.wait_events(lambda e: sum(1 for x in e if x.get("socialguard", {}).get("platform") == platform) >= n)
    return [e for e in evs if e.get("socialguard", {}).get("platform") == platform]


def test_tweepy_reply_to_official_account(via_proxy):
    tweepy = pytest.importorskip("tweepy")
    client = tweepy.Client(consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="ats")
    client.create_tweet(text="@StatCan_eng is this table final?", in_reply_to_tweet_id="1234")
    evs = _events_for(via_proxy, "x", 2)
    acts = [e for e in evs if e["event"]["action"] == "social.activity"]
    flags = [e for e in evs if e["event"]["action"] == "social.flag"]
    assert acts[-1]["socialguard"]["activity"] == "comment"
    assert acts[-1]["url"]["path"] == "/2/tweets"
    assert flags and flags[-1]["socialguard"]["guideline"] == "1"
    assert flags[-1]["socialguard"]["targets"]["official"] == ["statcan_eng"]
    raw = "".join(p.read_text() for p in via_proxy.events_dir.glob("*.jsonl"))
    assert "is this table final" not in raw and "oauth_signature" not in raw


def test_mastodon_py_post_and_direct_message(via_proxy):
    mastodon = pytest.importorskip("mastodon")
    api = mastodon.Mastodon(access_token="tok", api_base_url="https://mastodon.social", version_check_mode="none")
    api.status_post("Hello from the lunch break")
    api.status_post("psst", visibility="direct")
    evs = _events_for(via_proxy, "mastodon", 2)
    activities = [e["socialguard"]["activity"] for e in evs if e["event"]["action"] == "social.activity"]
    assert activities[-2:] == ["post", "message"]
    raw = "".join(p.read_text() for p in via_proxy.events_dir.glob("*.jsonl"))
    assert "lunch break" not in raw and "tok" not in raw.replace("token", "")


def test_atproto_login_and_post(via_proxy):
    atproto = pytest.importorskip("atproto")
    client = atproto.Client(base_url="https://bsky.social/xrpc")
    profile = client.login("asmith.bsky.social", "app-password-1234")
    assert profile.handle == "asmith.bsky.social"
    client.send_post("hello @statcan.bsky.social")
    evs = _events_for(via_proxy, "bluesky", 2)
    acts = {e["socialguard"]["activity"] for e in evs if e["event"]["action"] == "social.activity"}
    assert {"login", "post"} <= acts
    flags = [e for e in _events_for(via_proxy, "bluesky", 3) if e["event"]["action"] == "social.flag"]
    assert flags and flags[-1]["socialguard"]["targets"]["official"] == ["statcan.bsky.social"]
    raw = "".join(p.read_text() for p in via_proxy.events_dir.glob("*.jsonl"))
    assert "app-password-1234" not in raw
