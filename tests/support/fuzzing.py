"""Hypothesis strategies and settings shared by the tests/test_fuzz_*.py modules.

Normal runs keep each property to a few seconds (`FUZZ_EXAMPLES`, default 60). The long mode
(scripts/fuzz-long.sh) sets SOCIALGUARD_FUZZ_EXAMPLES to 1,000,000 and runs the same properties.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ_EXAMPLES = int(os.environ.get("SOCIALGUARD_FUZZ_EXAMPLES", "60"))


def fuzz_settings(scale: float = 1.0):
    """Bounded in the normal run; in long mode no deadline (a slow input is not a crash, a hang is)."""
    return settings(max_examples=max(5, int(FUZZ_EXAMPLES * scale)), deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False), st.text(max_size=40),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(st.text(max_size=12), children,
                                                                                 max_size=5)),
    max_leaves=25,
)
# Values that also reach the odd corners: huge numbers, NaN/inf, bytes-like text, surrogates.
wild_scalars = st.one_of(
    json_scalars, st.floats(), st.integers(), st.text(alphabet=st.characters(codec=None), max_size=40),
    st.binary(max_size=40),
)

SOCIAL_HOSTS = ["mastodon.social", "x.com", "api.x.com", "bsky.social", "upload.x.com", "files.mastodon.social",
                "www.facebook.com", "www.linkedin.com", "www.instagram.com", "www.tiktok.com", "www.youtube.com",
                "www.reddit.com", "www.example.org", "example.com", "social.example.net"]
SOCIAL_PATHS = ["/api/v1/statuses", "/api/v2/media", "/i/api/graphql/abc/CreateTweet", "/xrpc/com.atproto.repo."
                "createRecord", "/api/graphql", "/api/v1/timelines/home", "/", "/2/tweets", "/1.1/media/upload.json",
                "/api/v1/streaming", "/.well-known/nodeinfo", "/api/v1/statuses/123/favourite"]

hosts = st.one_of(st.sampled_from(SOCIAL_HOSTS),
                  st.builds(lambda a, h: f"{a}.{h}", st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True),
                            st.sampled_from(SOCIAL_HOSTS)),
                  st.text(max_size=30))
paths = st.one_of(st.sampled_from(SOCIAL_PATHS),
                  st.builds(lambda p, s: p + s, st.sampled_from(SOCIAL_PATHS), st.text(max_size=20)),
                  st.text(max_size=40).map(lambda s: "/" + s))
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "get", ""])
content_types = st.sampled_from(["", "application/json", "application/x-www-form-urlencoded",
                                 "multipart/form-data; boundary=x", "text/plain", "application/json; charset=utf-8",
                                 "*/*"])


@st.composite
def bodies(draw) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=300))
    if kind == 1:
        import json

        return json.dumps(draw(json_values)).encode()
    if kind == 2:
        pairs = draw(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=30)), max_size=5))
        from urllib.parse import urlencode

        return urlencode(pairs).encode()
    import json

    # JSON inside a form field, the way Facebook/LinkedIn send GraphQL variables.
    return b"variables=" + json.dumps(draw(json_values)).encode() + b"&doc_id=1"


@st.composite
def request_facts(draw):
    from socialguard.facts import RequestFacts

    ctype = draw(content_types)
    headers = tuple(draw(st.lists(st.tuples(st.sampled_from(["x-foo", "authorization", "cookie", "user-agent",
                                                              "x-csrf-token", "content-length"]),
                                            st.text(max_size=20)), max_size=4)))
    if ctype:
        headers += (("content-type", ctype),)
    body = draw(bodies())
    return RequestFacts(
        method=draw(methods), host=draw(hosts), path=draw(paths),
        query=tuple(draw(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=20)), max_size=4))),
        headers=headers, body=body, body_size=draw(st.one_of(st.none(), st.just(len(body)), st.integers(0, 2**40))),
        client_ip=draw(st.sampled_from(["", "127.0.0.1", "10.1.2.3", "::1", "fe80::1%eth0", "not-an-ip",
                                        "::ffff:10.0.0.1"])),
        proxy_user=draw(st.one_of(st.none(), st.text(max_size=12))),
        timestamp=draw(st.floats(min_value=0, max_value=4e9)),
        flow_id=draw(st.text(max_size=12)),
    )
