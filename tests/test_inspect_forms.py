"""Security markings are judged by their form, not their word (issue 13): strong forms are reported under the
marking's rule, a capitalised word inside a sentence under the weak-form rule, prose not at all."""

import pytest

from socialguard.inspect.detect.marking_form import collapse_spacing, form_of, residue
from socialguard.inspect.detect.text import IncrementalTextScanner, TextDetector


@pytest.fixture(scope="module")
def det(policy):
    return TextDetector(policy)


def markers(det, text):
    return {(f.name, f.rule) for f in det.scan(text, "t") if f.kind == "marker"}


@pytest.mark.parametrize("text,name", [
    ("SECRET", "secret"),
    ("Minutes of the meeting\nSECRET\nMore minutes follow here.", "secret"),
    ("PROTECTED B / PROTÉGÉ B\nStaffing plan", "protected_b"),
    ("Classification: Secret\nBody", "secret"),
    ("Cote de sécurité : Protégé B\nCorps du texte", "protected_b"),
    ("SECRET//REL TO CAN, USA\nbody text", "secret"),
    ("SECRET – CANADIAN EYES ONLY\nbody", "secret"),
    ("TOP SECRET – Page 2 of 14\nbody", "top_secret"),
    ("Hi team,\nnumbers attached.\nRegards, Sam\nCONFIDENTIAL", "confidential"),
    ("SECRET - do not forward\nHi all, see below.", "secret"),
    ("P R O T E C T E D   B\n\nbody", "protected_b"),
    ("T O P   S E C R E T\nbody", "top_secret"),
    ("Top Secret\nbody of the memo", "top_secret"),
    ("protected b\n\nbody", "protected_b"),
    ("Marking: PROTÉGÉ A\nbody", "protected_a"),
])
def test_strong_forms_are_reported_under_the_marking_rule(det, text, name):
    found = markers(det, text)
    assert any(n == name and rule in (f"marker.{name}", f"marker.{name}_labelled") for n, rule in found), found


@pytest.mark.parametrize("text", [
    "Our SECRET SANTA draw is on Friday",
    "Grandma's secret recipe for butter tarts is finally out.",
    "C'est un secret de polichinelle au bureau.",
    "PLEASE KEEP THIS A SECRET UNTIL THE PARTY!!!",
    "SECRET SANTA 2025\nSign up by Friday!",
    "TOP 10 SECRET BEACHES IN NOVA SCOTIA",
    "CONFIDENTIAL INFORMANT season 2 starts tonight",
    "The law protected a whole generation of workers.",
    "Victoria's Secret opened a store downtown.",
    "We read Top Secret Recipes: the cookbook, over the weekend.",
    "Keep your password secret and never share it.",
    "Her secret? Practice, practice, practice.",
    "a b c d e f g are letters",
])
def test_prose_is_not_a_marking(det, text):
    assert not markers(det, text)


def test_capitals_in_a_sentence_are_a_weak_form(det):
    assert markers(det, "Attached is the SECRET annex for review.") == {("secret", "marker.weak_form")}
    assert markers(det, "Protected B information goes in the vault.") == {("protected_b", "marker.weak_form")}


def test_a_single_line_post_is_not_an_edge_form(det):
    assert markers(det, "leak: the TOP SECRET budget is out") == {("top_secret", "marker.weak_form")}


@pytest.mark.parametrize("text", ["TOP SECRET budget", "PROTECTED B numbers"])
def test_a_short_post_starting_with_a_marking_is_not_silent(det, text):
    """The marking's own capitals do not make its line 'shouting' prose (they once made these posts pass silently)."""
    assert {rule for _, rule in markers(det, text)} == {"marker.weak_form"}


def test_form_of_is_pure_and_bounded():
    line = "x " * 3000 + "SECRET" + " y" * 3000
    s = line.index("SECRET")
    assert form_of(line, s, s + 6) == "inline"
    assert residue("SECRET // REL TO CAN, USA – Page 3 of 9") == ""


def test_collapse_spacing():
    assert collapse_spacing("P R O T E C T E D   B") == "PROTECTED B"
    assert collapse_spacing("S  E  C  R  E  T") == "SECRET"
    assert collapse_spacing("T O P  S E C R E T//CEO") == "TOP SECRET//CEO"


def test_hostile_texts_stay_fast_and_quiet(det):
    import time

    t = time.perf_counter()
    assert not markers(det, "our secret " * 50_000)               # 50 000 hits of prose, each judged
    assert not markers(det, "a " * 200_000)                       # one endless letter-spaced run
    assert markers(det, ("word " * 100_000) + "\nSECRET\n" + ("word " * 100_000)) == {("secret", "marker.secret")}
    assert time.perf_counter() - t < 60                           # bound for a hang, not a benchmark


def test_streamed_scan_judges_the_form_across_chunks(det):
    body = ("prose line\n" * 500 + "Classification: Se").encode()
    rest = ("cret\n" + "more prose\n" * 500 + "Our SECRET SANTA draw\n").encode()
    inc = IncrementalTextScanner(det, "body", overlap=1024)
    inc.feed(body)
    inc.feed(rest)
    assert {(f.name, f.rule) for f in inc.findings() if f.kind == "marker"} == {("secret", "marker.secret_labelled")}


def test_streamed_letter_spaced_heading(det):
    inc = IncrementalTextScanner(det, "body", overlap=1024)
    inc.feed(b"intro\n" * 300 + b"P R O T E C")
    inc.feed(b" T E D   B\nbody\n")
    assert ("protected_b", "marker.protected_b") in {(f.name, f.rule) for f in inc.findings()}


def test_evenly_letter_spaced_headings(det):
    """Word processors collapse runs of spaces: `P R O T E C T E D B` has no wider gap between the words."""
    assert markers(det, "P R O T E C T E D B\nbody") == {("protected_b", "marker.protected_b")}
    assert markers(det, "T O P S E C R E T\nbody") == {("top_secret", "marker.top_secret")}
    assert markers(det, "S E C R E T S A N T A\nSign up by Friday") == set()
