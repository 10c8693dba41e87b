"""From page facts to new bytes, and the dismiss endpoint's logic (no mitmproxy)."""

from __future__ import annotations

import gzip
from dataclasses import replace

import pytest
import zstandard

from socialguard.banner.insert import MAX_DECODED_BYTES
from socialguard.banner.service import STYLESHEET_PATH, BannerService, Dismissal, PageFacts, output_encodings
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
    assert b'href="https://socialguard.invalid/dismiss?r=https%3A%2F%2Fx.com%2Fhome%3Fa%3D1&amp;p=x&amp;' in out.raw
    assert out.beacon and out.dismissable


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


def test_dismiss_link_round_trip(policy):
    s = BannerService()
    out = s.inject(PAGE, facts(), policy.banner, faq_url="", contact_url="", now=1000.0,
                   make_content=content_maker(s, policy.banner, now=1000.0))
    link = out.raw.split(b'class="x" href="', 1)[1].split(b'"', 1)[0].decode().replace("&amp;", "&")
    query = link.split("?", 1)[1]
    known = {"x.com"}.__contains__
    assert not isinstance(s.dismiss(query, user="bob", now=1001, host_known=known), Dismissal)   # not his link
    d = s.dismiss(query, user="ann", now=1001, host_known=known)
    assert d == Dismissal("https://x.com/home?a=1", "x", "x.com", "/home")
    assert s.state.due("ann", "x", 1002, 0, 3600) is False


def test_decoded_size_cap_holds_for_uncompressed_and_compressed_pages(policy):
    big = b"<!doctype html><html><body>" + b"a" * (MAX_DECODED_BYTES + 10) + b"</body></html>"
    s = BannerService()
    calls = []
    for raw, enc in ((big, None), (gzip.compress(big, 1), "gzip")):
        with pytest.raises(ValueError):
            s.inject(raw, facts(content_encoding=enc), policy.banner, faq_url="", contact_url="",
                     make_content=lambda: calls.append(1))
    assert calls == []


def test_after_post_reminder_is_owed_once_and_waits_for_the_cap(policy):
    banner = policy.banner
    s = BannerService()
    assert content_maker(s, banner, now=0)().message.guideline == "2.1"
    assert s.note_activity(banner, user="ann", activity="post", background=False, now=10)
    assert not s.note_activity(banner, user="ann", activity="view", background=False, now=11)
    assert not s.note_activity(banner, user="ann", activity="upload", background=True, now=11)
    assert content_maker(s, banner, now=20)() is None                       # the cap still holds
    after = content_maker(s, banner, now=4 * 3600 + 30)()
    assert (after.message.guideline, after.reason) == ("2.2", "posted")
    # Owed once; the rotation resumes where it was.
    nxt = content_maker(s, banner, now=8 * 3600 + 60)()
    assert (nxt.message.guideline, nxt.reason) == ("2.2", "rotation")
    s.note_activity(banner, user="ann", activity="comment", background=False, now=8 * 3600 + 70)
    assert content_maker(s, banner, platform="reddit", now=8 * 3600 + 80)().reason == "posted"


def test_render_beacon_confirms_once_for_its_person(policy):
    s = BannerService()
    out = s.inject(PAGE, facts(), policy.banner, faq_url="", contact_url="", now=50.0,
                   make_content=content_maker(s, policy.banner, now=50.0))
    token = out.raw.split(b"/__socialguard/seen/", 1)[1].split(b'"', 1)[0].decode()
    assert s.rendered(token, user="bob", now=51) is None
    assert s.rendered(token, user="ann", now=51, fetch_dest="empty") is None      # a script's fetch()
    rec = s.rendered(token, user="ann", now=51, fetch_dest="image")
    assert (rec.user, rec.platform, rec.host, rec.message) == ("ann", "x", "x.com", "2.1")
    assert s.rendered(token, user="ann", now=52) is None


@pytest.mark.parametrize("csp,beacon", [
    ((), True), (("img-src 'self'",), True), (("default-src 'self'",), True), (("img-src https:",), True),
    (("img-src 'none'",), False), (("default-src 'none'; style-src 'unsafe-inline'",), False),
    (("img-src https://cdn.example",), False), (("img-src *", "img-src data:"), False),
])
def test_no_beacon_where_the_page_blocks_images(policy, csp, beacon):
    s = BannerService()
    out = s.inject(PAGE, facts(csp=csp), policy.banner, faq_url="", contact_url="",
                   make_content=content_maker(s, policy.banner))
    assert out.beacon is beacon
    assert (b"/__socialguard/seen/" in out.raw or b"banner.css?v=" in out.raw and b"&amp;s=" in out.raw) is beacon


def test_stylesheet_carries_the_beacon_relative_to_itself():
    css = BannerService.stylesheet("v=1&s=" + "A" * 22)
    assert 'url("seen/' + "A" * 22 + '")' in css
    assert "seen/" not in BannerService.stylesheet("v=1&s=%22%29%7D*%7Bx")       # an id of the wrong shape


def test_telemetry_keeps_inserted_and_rendered_apart(policy):
    import jsonschema

    from socialguard.banner import telemetry
    from socialguard.banner.dismiss import Refusal
    from socialguard.events import event_schema

    s = BannerService()
    out = s.inject(PAGE, facts(), policy.banner, faq_url="", contact_url="", now=10.0,
                   make_content=content_maker(s, policy.banner, now=10.0, minutes=12.5))
    ins = telemetry.inserted(out)
    assert ins["action"] == "inserted" and ins["beacon"] is True and ins["working_minutes_today"] == 12
    token = out.raw.split(b"/__socialguard/seen/", 1)[1].split(b'"', 1)[0].decode() if b"/seen/" in out.raw else \
        out.raw.split(b"&amp;s=", 1)[1].split(b'"', 1)[0].decode()
    ren = telemetry.rendered(s.rendered(token, user="ann", now=10.25), 10.25)
    assert ren["action"] == "rendered" and ren["delay_ms"] == 250 and ren["message"] == ins["message"]
    banner_schema = event_schema()["properties"]["socialguard"]["properties"]["banner"]
    for fields in (ins, ren, telemetry.dismissed(), telemetry.dismiss_refused(Refusal("token"))):
        jsonschema.validate(fields, banner_schema)
