"""The dismiss link as a hostile client or page would use it: header injection, foreign hosts, forged tokens."""

from __future__ import annotations

import random
import string
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from socialguard.banner.dismiss import DismissLinks, Dismissal, Refusal, canonical_return_url, load_or_create_key

CATALOG = {"x.com", "www.facebook.com", "mastodon.social"}
known = CATALOG.__contains__
NOW = 1_800_000_000.0


def link_query(links: DismissLinks, page: str, user: str = "ann", platform: str = "x") -> dict[str, str]:
    url = links.url(user=user, platform=platform, page_url=page, now=NOW, host_known=known)
    return dict(parse_qsl(url.split("?", 1)[1]))


def check(links, fields: dict[str, str], user="ann", now=NOW + 5):
    return links.check(urlencode(fields), user=user, now=now, host_known=known)


def test_a_link_works_for_its_person_and_page_only():
    links = DismissLinks()
    fields = link_query(links, "https://x.com/home?tab=1#frag")
    assert fields["r"] == "https://x.com/home?tab=1"              # no fragment
    assert check(links, fields) == Dismissal("https://x.com/home?tab=1", "x", "x.com", "/home")
    assert check(links, fields, user="bob") == Refusal("token")
    assert check(links, fields | {"r": "https://x.com/other"}) == Refusal("token")
    assert check(links, fields | {"p": "facebook"}) == Refusal("token")
    assert check(links, fields | {"i": str(int(NOW) + 1)}) == Refusal("token")
    assert check(links, fields, now=NOW + 2 * 86400) == Refusal("expired")
    assert check(DismissLinks(), fields) == Refusal("token")      # another proxy's key
    missing = dict(fields)
    del missing["t"]
    assert check(links, missing) == Refusal("malformed")
    assert check(links, fields | {"t": ""}) == Refusal("malformed")


@pytest.mark.parametrize("target", [
    "https://x.com/home\r\nSet-Cookie: a=b",                       # header injection
    "https://x.com/home%0d%0aSet-Cookie:%20a=b\r\n",
    "https://x.com/\nhome",
    "https://evil.example\\@x.com/",                               # browsers read the host as evil.example
    "https://x.com\\.evil.example/",
    "https://evil.example/api/v1/timelines/home",                  # an any-host fediverse path on a foreign host
    "https://evil.example@x.com/",                                 # userinfo
    "https://x.com@evil.example/",
    "https://x.com.evil.example/",
    "https://x.com:99999/",
    "https://x.com:abc/",
    "javascript:alert(1)//x.com",
    "//x.com/home",
    "/home",
    "https:x.com",
    "https://[::1]/",
    "https://127.0.0.1/",
    "https://x.com\t/",
    "https://x.com/\x00",
    "https://x.com/caf\u00e9\u2028",
    "data:text/html,<script>alert(1)</script>",
    "https://" + "a" * 5000 + ".x.com/",
])
def test_return_addresses_a_hostile_page_or_client_might_try(target):
    assert canonical_return_url(target, known) is None
    links = DismissLinks()
    # Even a correctly signed link to such an address is refused (the proxy never makes one).
    token = links._token("ann", "x", target, int(NOW))
    assert isinstance(check(links, {"r": target, "p": "x", "i": str(int(NOW)), "t": token}), Refusal)
    made = links.url(user="ann", platform="x", page_url=target, now=NOW, host_known=known)
    if target.isascii():
        assert made is None
    else:                # the proxy's own page URLs are written percent-encoded, as a browser would send them
        assert "%25E2%2580%25A8" in made and check(links, dict(parse_qsl(made.split("?", 1)[1])))


def test_the_redirect_is_rebuilt_from_its_parts():
    url, host, path = canonical_return_url("HTTPS://X.COM:443/a b/../c?q=\"<x>\"", lambda h: True) or (None,) * 3
    assert url is None                                              # a space: refused, not repaired
    url, host, path = canonical_return_url("HTTPS://X.COM:443/a/%2e%2e/c?q=%22x%22&z", known)
    assert (url, host, path) == ("https://x.com/a/%2e%2e/c?q=%22x%22&z", "x.com", "/a/%2e%2e/c")
    assert canonical_return_url("http://x.com:8080/p", known)[0] == "http://x.com:8080/p"
    assert canonical_return_url("https://x.com/p?a='\"", known)[0] == "https://x.com/p?a='%22"


@pytest.mark.parametrize("query", [
    "r=a&r=b&p=x&i=1&t=t", "", "&&&", "r", "=x", "r=%ZZ&p=x&i=1&t=x", "p=x&i=-1&t=x&r=https%3A%2F%2Fx.com%2F",
    "a=1&" * 20, "r=" + "%41" * 10000, "i=99999999999999999999&p=x&t=x&r=https%3A%2F%2Fx.com%2F",
])
def test_malformed_queries_are_refused_without_echo(query):
    result = DismissLinks().check(query, user="ann", now=NOW, host_known=known)
    assert isinstance(result, Refusal) and result.return_url is None
    assert result.reason in ("malformed", "oversized", "return-address", "token", "expired")


def test_random_queries_never_redirect():
    rnd = random.Random(14)
    links = DismissLinks()
    alphabet = string.printable + "\\\x00\x7f\u0085é"
    good = link_query(links, "https://x.com/home")
    for _ in range(3000):
        fields = dict(good)
        key = rnd.choice(list(fields))
        fields[key] = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        query = urlencode(fields) if rnd.random() < 0.7 else quote("".join(rnd.choice(alphabet) for _ in range(60)))
        result = links.check(query, user="ann", now=NOW, host_known=known)
        assert isinstance(result, Refusal) or fields == good


def test_key_file_is_shared_and_private(tmp_path):
    path = tmp_path / "dismiss.key"
    a = load_or_create_key(path)
    assert load_or_create_key(path) == a and len(a) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    (tmp_path / "short.key").write_bytes(b"x")
    with pytest.raises(ValueError):
        load_or_create_key(tmp_path / "short.key")
