"""Property tests for classification: body field extraction, path globs, and the classifier on arbitrary facts."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.fuzzing import bodies, content_types, fuzz_settings, json_values, request_facts

from socialguard.classify import Classification, Classifier
from socialguard.classify.fields import as_text, lookup, parse_body
from socialguard.facts import RequestFacts
from socialguard.identity import Who
from socialguard.policy.globs import compile_glob

dotted = st.lists(st.sampled_from(["a", "b", "status", "variables", "0", "", "in_reply_to_id", "x.y"]),
                  max_size=4).map(tuple)


@fuzz_settings()
@given(bodies(), content_types)
@example(b"{" * 5000, "application/json")            # deep nesting -> RecursionError inside json?
@example(b"[" * 100_000, "")
@example(b"\xff\xfe=\x00", "")
def test_parse_body_never_raises(body, ctype):
    facts = RequestFacts("POST", "x.com", "/", headers=(("content-type", ctype),), body=body)
    doc = parse_body(facts)
    assert doc is None or isinstance(doc, (dict, list, str, int, float, bool))


@fuzz_settings()
@given(json_values, dotted)
@example('{"a": ' * 3000 + "1" + "}" * 3000, ("a",) * 5)
def test_lookup_returns_a_list(doc, path):
    got = lookup(doc, path)
    assert isinstance(got, list)
    for v in got:
        assert isinstance(as_text(v), str)


glob_chars = st.sampled_from(list("abc*/{}op-_.%~") + ["{op}", "**", "/"])


@fuzz_settings(2)
@given(st.lists(glob_chars, max_size=12).map(lambda parts: "/" + "".join(parts)), st.text(max_size=60))
@example("/" + "*a" * 8 + "*b", "/" + "a" * 60)
@example("/{op}*", "/" + "a" * 60)
def test_globs_compile_to_linear_patterns_or_value_error(pattern, path):
    try:
        rx = compile_glob(pattern)
    except ValueError:
        return
    # Linear time without timing anything: between two '/' there is at most one unbounded repeat, and only the
    # trailing '**' may cross a '/', so the engine never tries more than one split per segment.
    for segment in rx.pattern.split("/"):
        assert len(re.findall(r"\[\^/\][*+]", segment)) + segment.count(".*") <= 1, rx.pattern
    rx.fullmatch("/" + path)


@fuzz_settings()
@given(st.from_regex(r"/[a-z0-9_.-]{1,8}(/[a-z0-9_.-]{1,8}){0,3}", fullmatch=True))
def test_literal_globs_match_only_themselves(path):
    rx = compile_glob(path)
    assert rx.fullmatch(path)
    assert not rx.fullmatch(path + "x")


@pytest.fixture(scope="module")
def classifier(policy):
    return Classifier(policy)


@fuzz_settings(3)
@given(request_facts(), st.one_of(st.none(), st.builds(Who, st.text(max_size=10),
                                                       st.lists(st.text(max_size=8), max_size=3).map(tuple))))
def test_classifier_never_raises(classifier, facts, who):
    c = classifier.classify(facts, who)
    assert c is None or isinstance(c, Classification)
    if c is not None:
        assert c.guideline and c.rule and c.category in ("official", "personal", "professional")
        classifier.official_targets(c)
