"""Classifier: every catalog platform's wire shapes, non-social negatives, categories and guideline-1 targets.

The shapes live in `support/wire_cases.py` (shared with the mixed-traffic HAR).
"""

from __future__ import annotations

import pytest
from support.wire_cases import CASES, WireCase, case

from socialguard.classify import Classifier
from socialguard.classify import classifier as classifier_module
from socialguard.engine import Engine
from socialguard.events import EventSink
from socialguard.identity import Who

ACTIVITY_GUIDELINES = {
    "post": {"2.2"}, "comment": {"1", "2.2"}, "react": {"2.2"}, "share": {"2.5"}, "message": {"2.4"},
    "upload": {"2.6"}, "edit": {"2.2"}, "delete": {"2.2"}, "view": {"2.7"}, "follow": {"2.7"}, "login": {"2.7"},
    "unknown": {"2.7"},
}


@pytest.fixture(scope="module")
def classifier(policy):
    return Classifier(policy)


@pytest.fixture(scope="module")
def engine(policy):
    return Engine(policy, EventSink(None, node="test"))


def _got(c) -> tuple:
    return (c.platform, c.activity, c.background) if c else (None, None, None)


# -- wire shapes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("wire", CASES, ids=[c.id for c in CASES])
def test_wire_shape(classifier, wire: WireCase):
    c = classifier.classify(wire.facts())
    assert _got(c) == wire.expect, c and c.rule
    if wire.operation is not None:
        assert c.operation == wire.operation


def test_every_catalog_platform_has_several_shapes(policy):
    slugs = {p.slug for p in policy.catalog.platforms}
    by_platform = {s: [c for c in CASES if c.platform == s] for s in slugs}
    assert slugs == {c.platform for c in CASES} - {None}
    thin = {s: len(cs) for s, cs in by_platform.items() if len(cs) < 4}
    assert not thin
    # every platform has a background case (CDN, polling, beacon or socket) except where none exists on the wire
    assert {s for s, cs in by_platform.items() if not any(c.expect[2] for c in cs)} <= {"threads"}


def test_issue_catalog_is_complete(policy):
    required = {"x", "facebook", "messenger", "instagram", "threads", "linkedin", "youtube", "tiktok", "reddit",
                "pinterest", "snapchat", "tumblr", "mastodon", "misskey", "lemmy", "bluesky", "twitch", "discord",
                "whatsapp", "telegram", "flickr", "quora", "medium", "vk", "weibo", "wechat"}
    assert required <= {p.slug for p in policy.catalog.platforms}
    assert len(policy.catalog.platforms) >= 25


def test_non_social_traffic_is_none_with_every_negative(classifier):
    negatives = [c for c in CASES if c.platform is None]
    assert len(negatives) >= 20
    assert all(classifier.classify(c.facts()) is None for c in negatives)


def test_non_social_request_never_reads_its_body(classifier, monkeypatch):
    """A host outside the catalog costs label lookups and one startswith; its body is never parsed."""
    def boom(_facts):
        raise AssertionError("body parsed for non-social traffic")

    monkeypatch.setattr(classifier_module, "parse_body", boom)
    for wire in (case("a", "POST", "https://api.some-saas.example/api/v1/users", None, json_body={"a": 1}),
                 case("b", "POST", "https://github.example.com/api/v3/repos/o/r/issues", None, json_body={"a": 1}),
                 case("c", "POST", "https://shop.example/checkout", None, form={"a": "1"})):
        assert classifier.classify(wire.facts()) is None


# -- operations --------------------------------------------------------------------------------------------------
def test_unknown_operations_are_kept_and_counted(policy):
    clf = Classifier(policy)
    unknown = [c for c in CASES if c.expect[1] == "unknown"]
    assert {c.platform for c in unknown} >= {"x", "facebook", "reddit", "twitch", "youtube", "bluesky", "telegram"}
    for wire in unknown:
        c = clf.classify(wire.facts())
        assert c.rule == f"{wire.platform}.default.unknown"
        if wire.operation:
            assert c.operation == wire.operation
            assert clf.unknown_operations[(wire.platform, wire.operation)] == 1
    # endpoints without an operation name are counted by path shape, ids folded
    assert clf.unknown_operations[("discord", "POST /api/v9/guilds/1/channels")] == 1
    clf.classify(case("d", "POST", "https://discord.com/api/v9/guilds/1234567890123/channels", "discord").facts())
    assert clf.unknown_operations[("discord", "POST /api/v9/guilds/{id}/channels")] == 1


def test_twitch_batch_matches_any_operation_and_keeps_the_first(classifier):
    wire = next(c for c in CASES if c.id == "twitch-gql-follow-batch")
    c = classifier.classify(wire.facts())
    assert (c.activity, c.rule, c.operation) == ("follow", "twitch.gql.follow", "ChannelShell")


def test_linkedin_query_id_hash_is_dropped(classifier):
    c = classifier.classify(next(w for w in CASES if w.id == "li-feed").facts())
    assert c.operation == "voyagerFeedDashMainFeed"


def test_json_without_content_type_is_sniffed(classifier):
    wire = next(c for c in CASES if c.id == "li-rest-share-no-ctype")
    facts = wire.facts()
    assert facts.content_type == ""
    c = classifier.classify(facts)
    assert (c.activity, c.rule) == ("share", "linkedin.rest.share")


def test_json_inside_form_fields(classifier):
    """Facebook's `variables=` form field holds JSON: rules and targets read into it."""
    wire = case("fb", "POST", "https://www.facebook.com/api/graphql/", "facebook", form={
        "fb_api_req_friendly_name": "CometUFICreateCommentMutation",
        "variables": '{"input": {"feedback_id": "ZmVlZA==", "message": {"text": "@StatisticsCanada is this right?"}}}'})
    c = classifier.classify(wire.facts())
    assert c.activity == "comment"
    assert c.targets.mentions == ("statisticscanada",)
    assert c.targets.reply_to == ("ZmVlZA==",)


def test_instagram_signed_body_fields_are_readable(classifier):
    c = classifier.classify(next(w for w in CASES if w.id == "ig-comment").facts())
    assert c.targets.mentions == ("statcan_eng",)


# -- any-host (fediverse) recognition -----------------------------------------------------------------------------
@pytest.mark.parametrize("url,method,expected", [
    ("https://social.example.ca/api/v1/statuses", "POST", "mastodon"),
    ("https://social.example.ca/api/v1/timelines/public", "GET", "mastodon"),
    ("https://social.example.ca/api/v2/media", "POST", "mastodon"),
    ("https://social.example.ca/.well-known/nodeinfo", "GET", "mastodon"),
    ("https://fedi.example.jp/api/notes/create", "POST", "misskey"),
    ("https://forum.example.org/api/v3/comment", "POST", "lemmy"),
    ("https://www.googleapis.com/youtube/v3/videos", "GET", "youtube"),
    ("https://api.some-saas.example/api/v1/users", "GET", None),
    ("https://api.some-saas.example/api/v1/statusesX", "GET", None),
    ("https://api.some-saas.example/api/v2/search/users", "GET", None),
    ("https://api.some-saas.example/api/v2/search", "GET", None),
    ("https://cms.example.org/api/v1/media", "POST", None),
    ("https://api.some-saas.example/api/v1/accounts/1/settings", "GET", None),
    ("https://github.example.com/api/v3/search/issues", "GET", None),
    ("https://github.example.com/api/v3/user/repos", "GET", None),
    ("https://api.some-saas.example/api/notifications", "GET", None),
    ("https://172.16.0.9/api/notes/create", "POST", None),
])
def test_any_host_paths_are_specific(classifier, url, method, expected):
    c = classifier.classify(case("h", method, url, expected).facts())
    assert (c.platform if c else None) == expected
    if c:
        assert c.host_match == "any-host path"


def test_generic_rules_apply_on_known_instances_only(classifier):
    known = classifier.classify(case("k", "GET", "https://mastodon.social/api/v1/accounts/1/lists", "mastodon").facts())
    assert (known.platform, known.rule) == ("mastodon", "mastodon.view")
    other = classifier.classify(case("o", "GET", "https://saas.example/api/v1/accounts/1/lists", None).facts())
    assert other is None


# -- categories ------------------------------------------------------------------------------------------------
def test_linkedin_is_professional(classifier):
    assert classifier.classify(next(w for w in CASES if w.id == "li-rest-post").facts()).category == "professional"
    assert classifier.classify(next(w for w in CASES if w.id == "li-cdn").facts()).category == "professional"


def test_professional_hosts_make_fediverse_use_professional(classifier):
    c = classifier.classify(case("f", "GET", "https://fosstodon.org/api/v1/timelines/home", "mastodon").facts())
    assert c.category == "professional"
    c = classifier.classify(case("m", "GET", "https://mastodon.social/api/v1/timelines/home", "mastodon").facts())
    assert c.category == "personal"


def test_communications_group_is_official(classifier):
    facts = next(w for w in CASES if w.id == "x-post").facts()
    assert classifier.classify(facts, Who("jlemieux", ("communications",), "proxyauth")).category == "official"
    assert classifier.classify(facts, Who("asmith", ("economics",), "proxyauth")).category == "personal"


def test_acting_as_an_official_handle_is_official(classifier):
    wire = case("b", "POST", "https://bsky.social/xrpc/com.atproto.repo.createRecord", "bluesky", json_body={
        "repo": "statcan.bsky.social", "collection": "app.bsky.feed.post", "record": {"text": "New CPI release"}})
    c = classifier.classify(wire.facts(), Who("asmith", ("economics",)))
    assert (c.activity, c.category) == ("post", "official")


# -- guideline 1: replies and mentions aimed at official accounts -----------------------------------------------
SECTION_1 = [
    "x-reply",                        # @StatCan_eng in a reply's text
    "ig-comment",                     # @statcan_eng in an Instagram comment (signed body)
    "threads-private-reply",          # @statcan_eng in a Threads reply
    "masto-reply-anyhost",            # @statcan@mastodon.social from any Mastodon server
    "bsky-reply",                     # reply whose parent is the agency's DID
]


@pytest.mark.parametrize("wire_id", SECTION_1)
def test_reply_to_official_account_by_non_communications_user_is_flagged(engine, wire_id):
    facts = next(w for w in CASES if w.id == wire_id).facts(proxy_user="asmith")
    v = engine.classify(facts)
    assert v.classification.activity == "comment"
    assert v.official_targets


@pytest.mark.parametrize("wire_id", SECTION_1)
def test_same_reply_by_communications_member_is_not(engine, wire_id):
    v = engine.classify(next(w for w in CASES if w.id == wire_id).facts(proxy_user="jlemieux"))
    assert v.classification.category == "official"
    assert v.official_targets == ()


def test_mention_in_a_plain_post_is_flagged_and_others_are_not(engine):
    post = case("p", "POST", "https://x.com/i/api/graphql/q/CreateTweet", "x",
                json_body={"variables": {"tweet_text": "Great numbers from @StatCan_eng today"}})
    assert engine.classify(post.facts(proxy_user="asmith")).official_targets == ("statcan_eng",)
    other = case("o", "POST", "https://x.com/i/api/graphql/q/CreateTweet", "x",
                 json_body={"variables": {"tweet_text": "@someone_else hi", "reply": {"in_reply_to_tweet_id": "1"}}})
    assert engine.classify(other.facts(proxy_user="asmith")).official_targets == ()


# -- the catalog itself ----------------------------------------------------------------------------------------
def test_rule_ids_are_unique_and_prefixed_by_platform(policy):
    ids = [(p.slug, r.id) for p in policy.catalog.platforms for r in p.rules]
    assert len({i for _, i in ids}) == len(ids)
    assert all(rule_id.startswith(slug + ".") for slug, rule_id in ids)


def test_every_rule_cites_the_guideline_its_activity_serves(policy):
    wrong = [(r.id, r.activity, r.guideline) for p in policy.catalog.platforms for r in p.rules
             if r.guideline not in ACTIVITY_GUIDELINES[r.activity]
             and not (r.target == "profile" and r.guideline == "2.3")]     # profile edits and avatars serve 2.3
    assert not wrong


def test_comment_rules_citing_section_1_name_their_targets(policy):
    missing = [r.id for p in policy.catalog.platforms for r in p.rules
               if r.guideline == "1" and not (r.targets.reply_to or r.targets.text)]
    assert not missing


def test_platforms_with_official_handles_have_section_1_rules(policy):
    with_rules = {p.slug for p in policy.catalog.platforms if any(r.guideline == "1" for r in p.rules)}
    assert set(policy.agency.official_handles) <= with_rules


def test_bad_any_host_glob_is_a_policy_error(tmp_path):
    import shutil

    from socialguard.policy import PolicyError, load_policy
    from support.proxies import ROOT

    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    path = tmp_path / "policy" / "platforms" / "lemmy.yaml"
    path.write_text(path.read_text().replace("  - /api/v3/site\n", "  - /api/**/site\n"))
    with pytest.raises(PolicyError, match="lemmy.yaml"):
        load_policy(tmp_path / "policy")
