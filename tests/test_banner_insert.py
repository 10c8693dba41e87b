"""Where the banner goes in a page, in the page's own bytes and encodings."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard

from socialguard.banner.insert import (Charset, decode_content, encode_content, find_insertion, parse_encodings,
                                       prepare, sniff_charset)

MARK = "<X>"


def insert_at(html: str) -> str | None:
    ins = find_insertion(html)
    return None if ins is None else html[:ins.offset] + MARK + html[ins.offset:]


@pytest.mark.parametrize("html,expected", [
    ("<html><head></head><body>hi</body></html>", "<html><head></head><body><X>hi</body></html>"),
    ("<HTML><HEAD></HEAD><BODY CLASS=a>hi", "<HTML><HEAD></HEAD><BODY CLASS=a><X>hi"),
    ("<body\nclass='a>b' data-x=\"<body>\">t", "<body\nclass='a>b' data-x=\"<body>\"><X>t"),
    ("<!-- <body> --><body>", "<!-- <body> --><body><X>"),
    ("<!--><body>", "<!--><body><X>"),
    ("<!---><body>", "<!---><body><X>"),
    ("<!DOCTYPE html><body>", "<!DOCTYPE html><body><X>"),
    ("<head><template><body class=t></template></head><body>", "<head><template><body class=t></template></head><body><X>"),
    ("<template><template><body></template><body></template><body>",
     "<template><template><body></template><body></template><body><X>"),
    ("<head><script>document.write('<body>')</script></head><body>",
     "<head><script>document.write('<body>')</script></head><body><X>"),
    ("<head><script>'</scripty><body>'</SCRIPT ></head><body>",
     "<head><script>'</scripty><body>'</SCRIPT ></head><body><X>"),
    ("<head><title>a <body> b</title></head><body>", "<head><title>a <body> b</title></head><body><X>"),
    ("<head><style>p::after{content:'<body>'}</style><body>", "<head><style>p::after{content:'<body>'}</style><body><X>"),
    ("<head><noscript><body></noscript><body>", "<head><noscript><body></noscript><body><X>"),
    ("<textarea><body></textarea>", "<X><textarea><body></textarea>"),
    # No <body>: the body begins at the first element that cannot be in <head>, or at text.
    ("<html><head><title>t</title></head><div>x</div>", "<html><head><title>t</title></head><X><div>x</div>"),
    ("<!doctype html><meta charset=utf-8><title>t</title>Hello", "<!doctype html><meta charset=utf-8><title>t</title><X>Hello"),
    ("<html><head></head>\n  </html>", "<html><head></head>\n  <X></html>"),
    ("<html><head></head>\n  ", "<html><head></head>\n  <X>"),
    ("", "<X>"),
    ("a < b", "<X>a < b"),
    ("<?xml version='1.0'?><body>", "<?xml version='1.0'?><body><X>"),
    ("</br><body>", "<X></br><body>"),
    ("<head></head></html><title>t</title>", "<head></head><X></html><title>t</title>"),
    ("<head></body><body>", "<head><X></body><body>"),
    ("<head></head></p><body>", "<head></head></p><body><X>"),
])
def test_insertion_point(html, expected):
    assert insert_at(html) == expected


@pytest.mark.parametrize("html", [
    "<html><frameset><frame src=a></frameset></html>",
    "<plaintext><body>",
    "<!-- unterminated <body>",
    "<head><script>never closed <body>",
    "<template><body>",
    "<body class='unterminated",
    "<head><meta " + 'a="x" ' * 60,            # would backtrack exponentially without possessive matching
    "<head><script " + 'a="x" ' * 60,
])
def test_no_place_for_a_banner(html):
    assert find_insertion(html) is None


def test_meta_csp_before_the_insertion_point_is_collected():
    html = ("<head><meta http-equiv=\"Content-Security-Policy\" content=\"style-src &#39;self&#39;\">"
            "<META HTTP-EQUIV=content-security-policy CONTENT=\"img-src 'none'\"></head><body>")
    ins = find_insertion(html)
    assert ins.meta_csp == ("style-src 'self'", "img-src 'none'")
    assert ins.offset == len(html)


def test_banner_never_goes_before_a_meta_csp_in_a_bodyless_page():
    html = "<title>t</title><meta http-equiv=Content-Security-Policy content=\"default-src 'none'\"><p>x"
    ins = find_insertion(html)
    assert html.index("<meta") < ins.offset and not ins.after_body_tag


@pytest.mark.parametrize("content_type,body,expected", [
    ("text/html; charset=utf-8", b"<body>", "ascii-compatible"),
    ("text/html", b"\xef\xbb\xbf<body>", "utf-8"),
    ("text/html; charset=iso-8859-1", "\ufeff<body>".encode("utf-16-le"), "utf-16-le"),
    ("text/html", "\ufeff<body>".encode("utf-16-be"), "utf-16-be"),
    ("text/html; charset=UTF-16", "<body>".encode("utf-16-le"), "utf-16-le"),
    ("text/html", b"<meta charset=\"utf-16\"><body>", "ascii-compatible"),
    ("text/html", b"<meta charset=windows-1252><body>", "ascii-compatible"),
    ("text/html; charset=shift_jis", b"<body>", "ascii-compatible"),
])
def test_charset_sniffing(content_type, body, expected):
    assert sniff_charset(content_type, body).name == expected


@pytest.mark.parametrize("content_type,body", [
    ("text/html; charset=utf-32", b"<body>"),
    ("text/html; charset=ISO-2022-JP", b"<body>"),
    ("text/html", b"<meta http-equiv=content-type content='text/html; charset=cp037'><body>"),
])
def test_charsets_where_ascii_insertion_is_wrong_are_left_alone(content_type, body):
    assert sniff_charset(content_type, body) is None
    assert prepare(body, content_type) is None


@pytest.mark.parametrize("charset,content_type", [
    ("utf-8", "text/html; charset=utf-8"),
    ("windows-1252", "text/html; charset=windows-1252"),
    ("iso-8859-1", "text/html"),
    ("shift_jis", "text/html; charset=shift_jis"),
])
def test_legacy_and_utf8_pages_keep_their_bytes(charset, content_type):
    text = "<html><head><title>Café ‘quotes’ 日本</title></head><body>Ünïcödé</body></html>"
    body = text.encode(charset, "ignore")
    page = prepare(body, content_type)
    out = page.with_snippet("<b>Thé à l'été ✕</b>")
    snippet = b"<b>Th&#233; &#224; l'&#233;t&#233; &#10005;</b>"
    i = body.index(b"<body>") + len(b"<body>")
    assert out == body[:i] + snippet + body[i:]


def test_utf8_bom_is_kept():
    body = b"\xef\xbb\xbf<body>caf\xc3\xa9"
    out = prepare(body, "text/html").with_snippet("<i>é</i>")
    assert out == b"\xef\xbb\xbf<body><i>&#233;</i>caf\xc3\xa9"


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_pages_are_reencoded_with_their_bom(codec, bom):
    body = bom + "<html><body>café</body>".encode(codec)
    out = prepare(body, "text/html").with_snippet("<i>é</i>")
    assert out.startswith(bom)
    assert out[2:].decode(codec) == "<html><body><i>é</i>café</body>"


@pytest.mark.parametrize("header,expected", [
    (None, []), ("", []), ("gzip", ["gzip"]), ("identity", []), ("gzip, br", ["gzip", "br"]),
    ("ZSTD", ["zstd"]), ("compress", None), ("gzip, snappy", None), ("x-gzip", ["x-gzip"]),
])
def test_parse_encodings(header, expected):
    assert parse_encodings(header) == expected


PAGE = ("<html><head><title>t</title></head><body>" + "café " * 2000 + "</body></html>").encode()


@pytest.mark.parametrize("encodings,encoded", [
    (["gzip"], gzip.compress(PAGE)),
    (["deflate"], zlib.compress(PAGE)),
    (["deflate"], zlib.compress(PAGE)[2:-4]),                        # raw deflate, as some servers send
    (["br"], brotli.compress(PAGE)),
    (["zstd"], zstandard.ZstdCompressor().compress(PAGE)),
    (["zstd"], zstandard.ZstdCompressor(write_content_size=False).compress(PAGE)),
    (["gzip", "br"], brotli.compress(gzip.compress(PAGE))),
])
def test_content_encodings_round_trip(encodings, encoded):
    assert decode_content(encoded, encodings) == PAGE
    assert decode_content(encode_content(PAGE, encodings), encodings) == PAGE


@pytest.mark.parametrize("encodings,data", [(["gzip"], b"not gzip"), (["br"], b"\x00\x01"), (["zstd"], b"nope")])
def test_bad_encoded_bodies_raise_value_error(encodings, data):
    with pytest.raises(ValueError):
        decode_content(data, encodings)


def test_decompression_bombs_are_refused():
    bomb = gzip.compress(b"\0" * (9 * 1024 * 1024))
    with pytest.raises(ValueError):
        decode_content(bomb, ["gzip"])


def test_charset_dataclass_flags_utf16():
    assert Charset("utf-16-le").utf16 and not Charset("ascii-compatible").utf16
