"""Markings, notices, code words, profanity and internal links in text (detect/text.py, policy/markers.py)."""

import pytest
from support.fixtures_inspect import POSITIVE_MARKINGS, ordinary_prose

from socialguard.inspect.detect.embargo import parse_release_time
from socialguard.inspect.detect.phrases import compile_phrase
from socialguard.inspect.detect.text import IncrementalTextScanner, TextDetector
from socialguard.policy import PolicyError, load_policy


@pytest.fixture(scope="module")
def detector(policy):
    return TextDetector(policy)


def names(findings, kind="marker"):
    return {f.name for f in findings if f.kind == kind}


@pytest.mark.parametrize("name,text", [(n, t) for n, texts in POSITIVE_MARKINGS.items() for t in texts])
def test_canonical_markings_fire_alone_and_in_context(detector, name, text):
    assert name in names(detector.scan(text, "t"))
    assert name in names(detector.scan(f"Draft for review.\n{text}\nPlease do not circulate.", "t"))


@pytest.mark.parametrize("text", ordinary_prose(25))
def test_ordinary_prose_does_not_fire(detector, text):
    assert detector.scan(text, "t") == []


def test_negative_corpus_false_positive_rate(detector):
    corpus = ordinary_prose(3000)
    fired = [t for t in corpus if names(detector.scan(t, "t"))]
    assert len(fired) <= 3, fired[:5]         # <= 0.1 %


@pytest.mark.parametrize("text", ["PROTECTED\n\n   B", "Pro\u00adtected B".replace("\u00ad", ""),
                                  "PROTE\u0301GE\u0301 B", "protected\u00a0B", "TRÈS\tSECRET"])
def test_whitespace_accents_and_decomposed_forms(detector, text):
    assert names(detector.scan(text, "t"))


def test_overlapping_markings_report_the_longest(detector):
    assert names(detector.scan("TOP SECRET", "t")) == {"top_secret"}
    assert names(detector.scan("PROTECTED B when completed", "t")) == {"protected_when_completed"}


@pytest.mark.parametrize("after,expected", [
    (" 8:30 a.m. (Eastern time), Tuesday, March 5, 2024", "2024-03-05T08:30"),
    (" 1:45 p.m. ET on June 12, 2025", "2025-06-12T13:45"),
    (" 8 h 30 (heure de l'Est), le mardi 5 mars 2024", "2024-03-05T08:30"),
    (" le 1er août 2025 à 10 h", "2025-08-01T10:00"),
    (" 2025-11-03 08:30", "2025-11-03T08:30"),
    (" 8:30", "08:30"),
    (" further notice", None),
])
def test_embargo_release_time(after, expected):
    assert parse_release_time(after) == expected


def test_embargo_release_time_in_finding(detector):
    [f] = detector.scan("EMBARGOED UNTIL 8:30 A.M. ET, March 5, 2024. The Daily.", "json.status")
    assert (f.name, f.release_time, f.location) == ("embargo", "2024-03-05T08:30", "json.status")


def test_findings_never_carry_the_text(detector):
    f = detector.scan("PROTECTED B payroll numbers", "json.text")[0]
    assert "payroll" not in repr(f.to_dict())


@pytest.mark.parametrize("text,expected", [
    ("What a shit day", {"profanity"}),
    ("Statistique Canada, c'est de la merde", {"profanity_with_agency"}),
    ("StatCan is full of crap", {"profanity_with_agency"}),
    ("Statistics Canada released the CPI", set()),
    ("Scunthorpe and cockpit are fine words", set()),
])
def test_profanity(detector, text, expected):
    assert names(detector.scan(text, "t"), "profanity") == expected


@pytest.mark.parametrize("text,expected", [
    ("see https://intranet.statcan.gc.ca/hr/page", {"intranet.statcan.gc.ca"}),
    ("files at http://wiki.statcan.intra/x", {"statcan.intra"}),
    ("GCDOCS.GC.CA link", {"gcdocs.gc.ca"}),
    ("public data on https://www.statcan.gc.ca/en/start", set()),
    ("not-gcdocs.gc.ca.example.com", set()),
])
def test_internal_links(detector, text, expected):
    assert names(detector.scan(text, "t"), "internal_link") == expected


def test_code_words(detector):
    assert names(detector.scan("status of Project Northwind-Standin?", "t")) == {"code_word"}


def test_incremental_scanner_finds_a_marking_split_across_chunks(detector):
    body = b"x " * 2500 + "PROTÉGÉ B".encode() + b" y" * 2500
    cut = 5000 + 4            # inside the multi-byte É
    scanner = IncrementalTextScanner(detector, "body", overlap=256)
    for part in (body[:cut], body[cut:cut + 3], body[cut + 3:]):
        scanner.feed(part)
    assert names(scanner.findings()) == {"protected_b"}


def test_incremental_scanner_reports_each_hit_once(detector):
    scanner = IncrementalTextScanner(detector, "body", overlap=256)
    for _ in range(10):
        scanner.feed(b"filler " * 10 + b"SECRET ")
    assert [f.name for f in scanner.findings()] == ["secret"]


def test_phrases_are_literals_not_regexes():
    # Regex metacharacters in a phrase are matched literally.
    import re

    assert re.search(compile_phrase("a.*b"), b"x a.*b y") and not re.search(compile_phrase("a.*b"), b"a--b")
    assert re.search(compile_phrase("(1985)"), b"Canada (1985)") and not re.search(compile_phrase("(1985)"), b"1985")


def test_policy_rejects_bad_marker_entries(tmp_path):
    import shutil

    from support.proxies import ROOT

    shutil.copytree(ROOT / "policy", tmp_path / "p")
    path = tmp_path / "p" / "markers.yaml"
    path.write_text(path.read_text().replace("case: upper, form: true}", "case: shouty, form: true}", 1))
    with pytest.raises(PolicyError) as e:
        load_policy(tmp_path / "p")
    assert "markers.yaml:" in str(e.value)
