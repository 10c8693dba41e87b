"""Request bodies: JSON/GraphQL, forms, binary-safe multipart, raw, Content-Encoding with caps."""

import gzip
import hashlib
import json
import zlib

import brotli
import pytest
import zstandard

from socialguard.inspect.extract.body import decompress, extract_body
from socialguard.inspect.extract.office import Unsafe
from socialguard.inspect.scanner import Scanner
from socialguard.policy.inspection import Limits

LIMITS = Limits()


def multipart(fields: dict, files: dict, boundary="----sgboundary7MA4YWxk") -> tuple[bytes, str]:
    out = b""
    for k, v in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n").encode() + v.encode() + b"\r\n"
    for k, (fname, mime, data) in files.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{fname}\"\r\n"
                f"Content-Type: {mime}\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def test_multipart_file_parts_stay_binary():
    data = bytes(range(256)) * 300 + b"\r\n--not-a-boundary\r\n" + b"\xff\xfe\x00"
    body, ct = multipart({"status": "hello", "description": "alt text"}, {"file": ("x.bin", "image/png", data)})
    ex = extract_body(body, ct, "", LIMITS)
    assert hashlib.sha256(ex.files[0].data).digest() == hashlib.sha256(data).digest()
    assert (ex.files[0].name, ex.files[0].location) == ("x.bin", "form:file")
    assert {t.location: t.text for t in ex.texts} == {"form:status": "hello", "form:description": "alt text"}


def test_multipart_file_larger_than_limit_is_truncated_and_flagged():
    body, ct = multipart({}, {"file": ("big.bin", "application/octet-stream", b"a" * 5000)})
    ex = extract_body(body, ct, "", Limits(file_bytes=1000))
    assert len(ex.files[0].data) == 1000 and ex.files[0].truncated


def test_json_and_graphql_variables():
    body = json.dumps({"variables": {"tweet_text": "PROTECTED B", "media": {"ids": ["1"]}},
                       "queryId": "abc"}).encode()
    ex = extract_body(body, "application/json", "", LIMITS)
    assert ("json.variables.tweet_text", "PROTECTED B") in {(t.location, t.text) for t in ex.texts}


def test_form_fields_with_json_inside():
    body = b"fb_api_req_friendly_name=ComposerStoryCreateMutation&variables=" + \
        json.dumps({"input": {"message": {"text": "SECRET stuff"}}}).encode().replace(b" ", b"+")
    ex = extract_body(body, "application/x-www-form-urlencoded", "", LIMITS)
    assert ("form:variables.input.message.text", "SECRET stuff") in {(t.location, t.text) for t in ex.texts}


def test_json_without_content_type_is_sniffed():
    ex = extract_body(b'{"commentary": "hi"}', "", "", LIMITS)
    assert ex.texts[0].location == "json.commentary"


def test_raw_body_is_one_file():
    ex = extract_body(b"\x89PNG....", "*/*", "uploadBlob", LIMITS)
    assert ex.files[0].name == "uploadBlob" and not ex.texts


@pytest.mark.parametrize("encoding,encode", [
    ("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress),
    ("zstd", lambda d: zstandard.ZstdCompressor().compress(d)),
])
def test_decompression(encoding, encode):
    assert decompress(encode(b"PROTECTED B" * 10), encoding, 10_000) == b"PROTECTED B" * 10


@pytest.mark.parametrize("encoding,encode", [
    ("gzip", gzip.compress), ("br", brotli.compress),
    ("zstd", lambda d: zstandard.ZstdCompressor().compress(d)),
])
def test_decompression_bomb_is_capped(encoding, encode):
    bomb = encode(b"\0" * 50_000_000)
    with pytest.raises(Unsafe) as e:
        decompress(bomb, encoding, 1_000_000)
    assert e.value.reason == "decompression_bomb"


def test_scan_body_reports_bomb_as_notice(policy):
    report = Scanner(policy).scan_body(gzip.compress(b"\0" * 200_000_000), "application/json", "gzip")
    assert [n.reason for n in report.notices] == ["decompression_bomb"] and not report.findings


def test_scan_body_multipart_with_marked_text_file(policy):
    body, ct = multipart({"status": "shit, StatCan again"},
                         {"file": ("memo.txt", "text/plain", "Sous embargo jusqu'au 3 novembre 2025".encode())})
    report = Scanner(policy).scan_body(body, ct)
    got = {(f.kind, f.name, f.location) for f in report.findings}
    assert ("profanity", "profanity_with_agency", "form:status") in got
    assert ("marker", "embargo", "form:file:memo.txt") in got
    memo = next(f for f in report.findings if f.name == "embargo")
    assert memo.file_sha256 == hashlib.sha256("Sous embargo jusqu'au 3 novembre 2025".encode()).hexdigest()
    assert memo.release_time == "2025-11-03"
