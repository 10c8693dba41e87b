"""Property tests for the inspection extractors and the banner's HTML insertion: arbitrary uploads give a
Report (never an exception out of the scanner), arbitrary pages give a Page whose insertion keeps every original
byte, or None."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support import fixtures_inspect as fx
from support.fuzzing import fuzz_settings

from socialguard.banner import insert
from socialguard.inspect.findings import InspectionReport
from socialguard.inspect.scanner import Scanner

# What the scanner may say it could not inspect. Not "error": that is an extractor raising something it did
# not expect (the scanner turns it into a notice so the proxy keeps going, which would hide it from a test
# that only checked for exceptions).
NOTICE_REASONS = {"corrupt", "unsupported", "encrypted", "zip_bomb", "xml_bomb", "pixel_bomb", "decompression_bomb",
                  "too_large", "too_many_pages", "timeout", "ocr_unavailable",
                  # a PDF whose pages pdfium cannot draw (vector logos) or past the page budget: named, not silent
                  "render_failed", "render_budget"}
PROBE = "<i id=sg-probe>é</i>".encode("ascii", "xmlcharrefreplace").decode()


@pytest.fixture(scope="module")
def scanner(policy):
    return Scanner(policy, None)


def assert_report(report) -> None:
    assert isinstance(report, InspectionReport)
    assert all(f.kind and f.rule and f.location for f in report.findings)
    assert {n.reason for n in report.notices} <= NOTICE_REASONS, report.notices


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# Real seeds (python-docx / reportlab-made, as the other inspection tests use): a hand-written PDF without an
# xref table was refused as corrupt before any mutation, so PDF parsing was never fuzzed.
DOCX = fx.with_label(fx.docx("PROTECTED B"), "Protected B")
PDF = fx.pdf(["PROTECTED B"])


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, max(0, len(data) - 1)))
        op = draw(st.integers(0, 2))
        if op == 0 and data:
            data[i] = draw(st.integers(0, 255))
        elif op == 1:
            data[i:i] = draw(st.binary(max_size=16))
        else:
            del data[i:i + draw(st.integers(1, 64))]
    return bytes(data)


def multipart(parts: list[tuple[str, str, bytes]], boundary: str = "b0undary") -> tuple[bytes, str]:
    body = b""
    for name, ctype, data in parts:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                 f"Content-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


files = st.one_of(mutated(DOCX), mutated(PDF), st.binary(max_size=300),
                  st.binary(max_size=200).map(lambda b: b"\x89PNG\r\n\x1a\n" + b))


@fuzz_settings(0.5)
@given(st.lists(st.tuples(st.sampled_from(["a.docx", "b.pdf", "c.png", "d.txt", "e.xlsx", "../../etc/passwd"]),
                          st.sampled_from(["application/octet-stream", "application/pdf", "image/png",
                                           "text/plain", "application/vnd.openxmlformats-officedocument."
                                           "wordprocessingml.document"]), files), max_size=3),
       st.booleans())
@example([("a.docx", "application/octet-stream", DOCX)], False)
def test_scanner_never_raises_on_multipart_uploads(scanner, parts, truncate):
    body, ctype = multipart(parts)
    if truncate:
        body = body[: len(body) // 2]
    report = scanner.scan_body(body, ctype, "", "upload")
    assert_report(report)


def test_the_fuzz_seeds_are_really_inspected(scanner):
    """The property tests above mutate these seeds: unmutated, each must give its findings (or the fuzzing
    would only show that a scanner that looks at nothing does not crash)."""
    body, ctype = multipart([("a.docx", "application/octet-stream", DOCX), ("b.pdf", "application/pdf", PDF)])
    report = scanner.scan_body(body, ctype, "", "upload")
    found = {(f.kind, f.name, f.location.split(":")[2]) for f in report.findings}
    assert {("marker", "protected_b", "a.docx"), ("label", "protected", "a.docx"),
            ("marker", "protected_b", "b.pdf")} <= found, found
    assert not report.notices


@fuzz_settings(0.5)
@given(files, st.sampled_from(["", "gzip", "br", "zstd", "deflate", "gzip, br"]),
       st.sampled_from(["application/json", "application/octet-stream", "text/plain", "image/png",
                        "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary="]))
def test_scanner_never_raises_on_raw_bodies(scanner, data, encoding, ctype):
    assert_report(scanner.scan_body(data, ctype, encoding, "upload.bin"))


def test_zip_bomb_is_bounded(scanner):
    """50 MiB of text in one 50 KiB member: refused by its expansion ratio, said in a notice, nothing scanned."""
    bomb = _zip({"word/document.xml": b"<w:t>PROTECTED B " + b"A" * (50 * 1024 * 1024) + b"</w:t>"})
    report = scanner.scan_body(bomb, "application/octet-stream", "", "bomb.docx")
    assert [n.reason for n in report.notices] == ["zip_bomb"], report.notices
    assert not report.findings


html = st.one_of(st.text(max_size=400), st.lists(st.sampled_from(
    ["<html>", "<head>", "</head>", "<body>", "</body>", "<!--", "-->", "<script>", "</script>", "<meta charset=",
     "utf-8>", "<noscript>", "<template>", "<svg>", "</svg>", "<![CDATA[", "]]>", "<title>", "x", "'", "\"",
     "<body class='a>b'>", "<?xml version='1.0'?>", "\ufeff", "<frameset>"]), max_size=30).map("".join))


@fuzz_settings()
@given(html, st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=x-unknown",
                              "application/xhtml+xml", "text/html; charset=utf-16"]),
       st.sampled_from(["utf-8", "latin-1", "utf-16"]))
def test_banner_insertion_finds_a_place_or_leaves_the_page(text, ctype, codec):
    body = text.encode(codec, "replace")
    page = insert.prepare(body, ctype)
    if page is None:
        return
    assert 0 <= page.insertion.offset <= len(page.text)
    out = page.with_snippet(PROBE)
    if page.charset.utf16:
        assert out.startswith(page.charset.bom)
        decoded = out[len(page.charset.bom):].decode(page.charset.name)
        assert decoded.replace(PROBE, "", 1) == page.text
    else:
        assert out.replace(PROBE.encode(), b"", 1) == body        # every original byte kept, in order

