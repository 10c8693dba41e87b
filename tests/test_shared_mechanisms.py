"""Mechanisms written once and used by two parts: host-suffix index, accent folding, JSON inside strings."""

from __future__ import annotations

import json

import pytest

from socialguard.classify.fields import lookup
from socialguard.classify.hosts import SuffixIndex
from socialguard.inspect.detect.embargo import parse_release_time
from socialguard.inspect.detect.phrases import strip_accents
from socialguard.inspect.extract.body import extract_body, field_texts, json_texts
from socialguard.jsonstrings import json_in_string
from socialguard.policy.inspection import Limits


# -- host suffixes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("host, expected", [
    ("x.com", ("x", "x.com")), ("api.x.com", ("x", "x.com")), ("a.b.x.com", ("x", "x.com")),
    ("www.netflix.com", None), ("netflix.com", None), ("com", None), ("", None), (".", None), ("..x.com", ("x", "x.com")),
    ("upload.video.x.com", ("video", "video.x.com")),          # the longest listed suffix wins
    ("video.x.com", ("video", "video.x.com")),
])
def test_suffix_index_matches_on_dot_boundaries_longest_first(host, expected):
    index = SuffixIndex({"x.com": "x", "video.x.com": "video"})
    assert index.lookup(host) == expected


def test_suffix_index_survives_hostile_hosts():
    index = SuffixIndex({"x.com": 1})
    assert index.lookup("a." * 50_000 + "x.com") == (1, "x.com")
    assert index.lookup("." * 10_000) is None


# -- accents ---------------------------------------------------------------------------------------------
def test_accent_folding_is_shared_by_phrases_and_embargo_times():
    assert strip_accents("Protégé B, août, décembre") == "Protege B, aout, decembre"
    assert strip_accents("ﬁn") == "fin"
    assert parse_release_time(" jusqu'à 8 h 30, le 5 août 2024") == "2024-08-05T08:30"


# -- JSON inside strings ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["hello", "{not json", "[1, 2", "{}x", "", 5, None, "{\"a\": 1} trailing"])
def test_non_json_strings_stay_as_they_are(value):
    assert json_in_string(value) is value


def test_json_strings_are_parsed():
    assert json_in_string('{"a": [1, "b"]} ') == {"a": [1, "b"]}
    assert json_in_string("[1]") == [1]


def test_hostile_nesting_is_text_not_a_crash():
    deep = "[" * 200_000 + "]" * 200_000
    assert json_in_string(deep) is deep
    assert lookup({"variables": deep}, ("variables", "x")) == []
    assert [t.text for t in field_texts("form:v", deep)] == [deep]
    assert [t.text for t in json_texts({"v": deep}, "json")] == [deep]
    # The whole body nested that deep: scanned as a file, never an exception out of the extractor.
    out = extract_body(deep.encode(), "application/json", "x", Limits())
    assert not out.texts and len(out.files) == 1


def test_classifier_and_inspection_read_the_same_nested_document():
    doc = {"variables": json.dumps({"input": {"message": {"text": "PROTECTED B"}}})}
    assert lookup(doc, ("variables", "input", "message", "text")) == ["PROTECTED B"]
    assert [(t.location, t.text) for t in json_texts(doc, "form")] == [("form.variables.input.message.text",
                                                                          "PROTECTED B")]


# -- Content-Encoding --------------------------------------------------------------------------------------
import gzip  # noqa: E402
import zlib  # noqa: E402

import brotli  # noqa: E402
import zstandard  # noqa: E402

from socialguard.banner.insert import MAX_DECODED_BYTES, decode_content as decode_page  # noqa: E402
from socialguard.content_encoding import DecodeError, decode_content, encode_content, parse_encodings  # noqa: E402
from socialguard.inspect.extract.body import decompress  # noqa: E402
from socialguard.inspect.extract.office import Unsafe  # noqa: E402

ENCODERS = {"gzip": gzip.compress, "x-gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress,
            "zstd": lambda d: zstandard.ZstdCompressor().compress(d)}
DATA = b"PROTECTED B / PROT\xc3\x89G\xc3\x89 B " * 500


@pytest.mark.parametrize("chain", [["gzip"], ["x-gzip"], ["deflate"], ["br"], ["zstd"], ["gzip", "br"],
                                   ["zstd", "deflate", "gzip"]])
def test_every_encoding_round_trips_under_both_parts(chain):
    encoded = DATA
    for name in chain:
        encoded = ENCODERS[name](encoded)
    assert decode_content(encoded, chain, len(DATA)) == DATA
    assert decode_content(encode_content(DATA, chain), chain, len(DATA)) == DATA
    assert decompress(encoded, ", ".join(chain), len(DATA)) == DATA      # inspection
    assert decode_page(encoded, chain) == DATA                             # the banner


@pytest.mark.parametrize("name", ["gzip", "deflate", "br", "zstd"])
def test_one_byte_past_the_cap_is_too_large_for_both_parts(name):
    encoded = ENCODERS[name](DATA)
    with pytest.raises(DecodeError) as e:
        decode_content(encoded, [name], len(DATA) - 1)
    assert e.value.reason == "too_large"
    with pytest.raises(Unsafe) as u:
        decompress(encoded, name, len(DATA) - 1)
    assert u.value.reason == "decompression_bomb"
    bomb = ENCODERS[name](b"\0" * (MAX_DECODED_BYTES + 1))
    with pytest.raises(ValueError):
        decode_page(bomb, [name])


@pytest.mark.parametrize("name", ["gzip", "deflate", "br"])
def test_a_cut_stream_is_refused_for_pages_but_scanned_for_uploads(name):
    cut = ENCODERS[name](DATA)[:-8]
    with pytest.raises(DecodeError):
        decode_content(cut, [name], 10 * len(DATA))
    assert DATA.startswith(decompress(cut, name, 10 * len(DATA))[:100])


@pytest.mark.parametrize("name, junk", [("gzip", b"not gzip"), ("deflate", b"\xff\xfe"), ("zstd", b"nope"),
                                        ("br", b"\x1b" * 64)])
def test_corrupt_streams_are_value_errors_never_other_exceptions(name, junk):
    with pytest.raises(DecodeError) as e:
        decode_content(junk, [name], 1000)
    assert e.value.reason == "corrupt"
    with pytest.raises(Unsafe) as u:
        decompress(junk, name, 1000)
    assert u.value.reason == "corrupt"


@pytest.mark.parametrize("name, junk", [("gzip", b""), ("br", b""), ("br", b"\x00\x01")])
def test_streams_that_only_stop_early(name, junk):
    with pytest.raises(DecodeError) as e:
        decode_content(junk, [name], 1000)
    assert e.value.reason == "truncated"
    assert decompress(junk, name, 1000) == b""


@pytest.mark.parametrize("header, expected", [("gzip, snappy", None), ("compress", None), (" , identity ,", []),
                                              ("GZIP,BR", ["gzip", "br"])])
def test_unsupported_encodings(header, expected):
    assert parse_encodings(header) == expected
    if expected is None:
        with pytest.raises(Unsafe) as u:
            decompress(b"x", header, 1000)
        assert u.value.reason == "unsupported"
