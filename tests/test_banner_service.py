"""From page facts to new bytes, and the dismiss endpoint's logic (no mitmproxy)."""

from __future__ import annotations

import gzip
from dataclasses import replace

import pytest
import zstandard

from socialguard.banner.service import (STYLESHEET_PATH, BannerService, PageFacts, dismiss_url, output_encodings)
from socialguard.coaching import Coaching

PAGE = "<!doctype html><html><head><title>t</title></head><body><p>café</p></body></html>".encode()


def facts(**kw) -> PageFacts:
    base = dict(scheme="https", host="x.com", port=443, url="https://x.com/home?a=1", content_type="text/html",
                content_encoding=None)
    return PageFacts(**(base | kw))


def content_maker(service, banner, user="ann", platform="x", now=1000.0, coaching=(), minutes=0.0, accept="en"):
    return lambda: service.content_for(banner, user=user, platform=platform, now=now, accept_language=accept,
                                       minutes=lambda: minutes, coaching=lambda: list(coaching),
                                       has_coaching=lambda: bool(coaching), platform_names={"x": "X"})


@pytest.mark.parametrize("original,accept,expected", [
    ([], "gzip, br, zstd", []),
    (["gzip"], "gzip, deflate, br, zstd", ["zstd"]),
    (["br"], "br, zstd;q=0.5", ["zstd"]),
    (["gzip"], "gzip, zstd;q=0", ["gzip"]),
    (["gzip"], "gzip, br", ["gzip"]),
    (["gzip"], None, ["gzip"]),
    (["zstd"], "zstd", ["zstd"]),
    (["gzip", "br"], "zstd", ["zstd"]),
])
def test_output_encodings(original, accept, expected):
    assert output_encodings(original, accept) == expected


def test_inject_keeps_the_page_around_the_banner(policy):
    s = BannerService()
    out = s.inject(PAGE, facts(csp=("style-src 'self'",)), policy.banner, faq_url="https://faq", contact_url="",
                   make_content=content_maker(s, policy.banner))
    head, _, tail = out.raw.partition(b"<socialguard-banner")
    assert head == PAGE[:PAGE.index(b"<p>")] and tail.endswith(PAGE[PAGE.index(b"<p>"):])
    assert out.style == "stylesheet" and out.content_encoding == ""
    assert f'href="https://x.com{STYLESHEET_PATH}?v='.encode() in out.raw
    assert dismiss_url("https://x.com/home?a=1").encode().replace(b"&", b"&amp;") in out.raw


def test_inject_reencodes(policy):
    s = BannerService()
    out = s.inject(gzip.compress(PAGE), facts(content_encoding="gzip", accept_encoding="gzip, zstd"), policy.banner,
                   faq_url="", contact_url="", make_content=content_maker(s, policy.banner))
    assert out.content_encoding == "zstd"
    assert b"socialguard-banner" in zstandard.ZstdDecompressor().decompress(out.raw, max_output_size=1 << 20)


def test_meta_csp_counts_like_a_header(policy):
    page = PAGE.replace(b"<title>", b"<meta http-equiv=Content-Security-Policy content=\"style-src 'nonce-q'\"><title>")
    s = BannerService()
    out = s.inject(page, facts(), policy.banner, faq_url="", contact_url="", make_content=content_maker(s, policy.banner))
    assert out.style == "nonce" and b'<style nonce="q">' in out.raw


def test_content_is_spent_only_on_pages_that_take_a_banner(policy):
    s = BannerService()
    calls = []
    out = s.inject(b"<frameset></frameset>", facts(), policy.banner, faq_url="", contact_url="",
                   make_content=lambda: calls.append(1))
    assert out is None and calls == []
    assert s.inject(PAGE, facts(content_encoding="compress"), policy.banner, faq_url="", contact_url="",
                    make_content=lambda: calls.append(1)) is None and calls == []


def test_cap_rotation_and_coaching(policy):
    banner = policy.banner
    s = BannerService()
    first = content_maker(s, banner, now=0)()
    assert first.message.guideline == "2.1" and first.minutes is None
    assert content_maker(s, banner, now=60)() is None                       # capped for 4 h
    item = Coaching("marker", "protected_b", "2.6", "x", 0)
    coached = content_maker(s, banner, now=120, coaching=[item])()
    assert coached.coaching == (item,) and coached.platform_names == (("x", "X"),)
    again = content_maker(s, banner, now=4 * 3600 + 200, minutes=23.9, accept="fr-CA")()
    assert again.message.guideline == "2.3" and again.minutes == 23 and again.language == "fr"
    assert content_maker(s, replace(banner, enabled=False), user="bob")() is None
    assert content_maker(s, replace(banner, meter=False), user="eve", minutes=50)().minutes is None


@pytest.mark.parametrize("query,platform,expected", [
    ("r=https%3A%2F%2Fx.com%2Fhome%3Fa%3D1", "x", "https://x.com/home?a=1"),
    ("r=https%3A%2F%2Fevil.example%2F", None, None),
    ("r=javascript%3Aalert(1)", None, None),
    ("r=%2F%2Fx.com%2F", None, None),
    ("", None, None),
])
def test_dismiss_only_returns_to_social_pages(query, platform, expected):
    s = BannerService()
    d = s.dismiss(query, user="ann", now=0, platform_of=lambda host, path: "x" if host == "x.com" else None)
    assert d.return_url == expected and d.platform == platform
    assert s.state.due("ann", "x", 1, 0, 3600) is (expected is None)
