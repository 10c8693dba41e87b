"""Property tests for the operation extractor and what the classifier learns from answers: arbitrary operation
sources, answers and server documents never raise, never keep free text, never exceed their bounds."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.fuzzing import fuzz_settings, json_values

from socialguard.classify import Classifier
from socialguard.classify.classifier import NOT_AN_OPERATION, operation_name
from socialguard.classify.fediverse import host_to_learn, software_platform
from socialguard.classify.infer import infer_activity
from socialguard.classify.official_posts import learn_from_response, target_keys
from socialguard.facts import RequestFacts

wild_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@pytest.fixture(scope="module")
def classifier(policy):
    return Classifier(policy)


@fuzz_settings()
@given(wild_text)
@example("x" * 70_000)
@example("CreateTweet.0123456789abcdef0123")
def test_operation_name_is_an_identifier_or_the_placeholder(value):
    got = operation_name(value)
    assert got == NOT_AN_OPERATION or (len(got) <= 64 and got.replace("_", "a").replace(".", "a")
                                       .replace(":", "a").replace("-", "a").isalnum())


@fuzz_settings(2)
@given(wild_text, wild_text, wild_text)
def test_hostile_operation_sources_never_reach_the_classification(classifier, header, query, form_value):
    cases = [
        RequestFacts("POST", "www.facebook.com", "/api/graphql/", headers=(("x-fb-friendly-name", header),)),
        RequestFacts("POST", "www.quora.com", "/graphql/gql_POST", query=(("q", query),)),
        RequestFacts("POST", "www.flickr.com", "/services/rest/", body=urlencode({"method": form_value}).encode(),
                     headers=(("content-type", "application/x-www-form-urlencoded"),)),
        RequestFacts("POST", "www.reddit.com", "/svc/shreddit/graphql",
                     body=json.dumps({"operation": form_value}).encode(), headers=(("content-type", "application/json"),)),
    ]
    for facts in cases:
        c = classifier.classify(facts)
        assert c.operation is None or c.operation == NOT_AN_OPERATION or len(c.operation) <= 64
        assert c.activity
    assert all(len(str(k)) <= 200 for k in classifier.unknown_operations)


@fuzz_settings()
@given(st.one_of(st.none(), wild_text), wild_text)
def test_inference_returns_a_known_activity_or_none(operation, path):
    assert infer_activity(operation, "/" + path) in (None, "login", "react", "share", "follow", "delete", "edit",
                                                     "comment", "upload", "message", "post", "view")


@fuzz_settings()
@given(st.sampled_from(["x", "mastodon", "bluesky", "facebook", "instagram", "threads", "linkedin", "reddit"]),
       json_values)
def test_learning_from_arbitrary_answers_never_raises(platform, doc):
    for body in (json.dumps(doc).encode(), doc):
        got = learn_from_response(platform, body, frozenset({"statcan", "statcan_eng", "a", ""}))
        assert all(isinstance(pid, str) and len(pid) <= 200 for pid, _ in got)


@fuzz_settings()
@given(st.binary(max_size=300), st.sampled_from(["/nodeinfo/2.0", "/api/v1/instance", "/api/v2/instance", "/x"]),
       st.text(max_size=60))
def test_server_documents_and_hosts_never_raise(body, path, host):
    assert software_platform(path, body) in (None, "mastodon", "misskey", "lemmy")
    host_to_learn(host, path, 200, "application/json", "mastodon", body, frozenset({"mastodon"}), ())
    target_keys("bluesky", host)
