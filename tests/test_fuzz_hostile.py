"""Property tests for the hostile-input boundaries of issue 14: YAML with aliases in any policy section, the
event chain and its verifier, the dismiss endpoint, the operation extractor and the report renderers.

The long mode (scripts/fuzz-long.sh, SOCIALGUARD_FUZZ_EXAMPLES) runs the same properties; the atheris targets
of the same names live in tests/fuzz/atheris_targets.py."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.fuzzing import fuzz_settings, request_facts

from socialguard.events import DailyJsonlWriter
from socialguard.events.chain import render
from socialguard.events.integrity import verify
from socialguard.policy import SECTIONS, PolicyError
from socialguard.policy.source import MAX_MESSAGE_CHARS, MAX_PROBLEMS, load_document

# -- YAML with aliases ---------------------------------------------------------------------------------------

scalars = st.one_of(st.sampled_from(["x", "1", "true", "null", "''", "10.0.0.0/8", "https://x.com/", "*"]),
                    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True))


@st.composite
def aliased_yaml(draw) -> str:
    """A document whose values are anchored lists/maps, each level aliasing earlier ones, placed under a real
    key of a policy file: alias bombs, merges, self-references and ordinary reuse alike."""
    levels = draw(st.integers(1, 9))
    fan = draw(st.integers(1, 10))
    key = draw(st.sampled_from(["addresses", "groups", "hosts", "rules", "messages", "markers", "tls", "name",
                                "professional_hosts", "official_groups", "limits", "x"]))
    lines = [f"{key}:"]
    style = draw(st.sampled_from(["list", "map", "merge"]))
    for i in range(levels):
        if i == 0:
            items = [draw(scalars) for _ in range(fan)]
        else:
            items = [f"*a{draw(st.integers(max(0, i - 2), i - 1))}" for _ in range(fan)]
        if draw(st.integers(0, 30)) == 0:
            items.append(f"*a{i}")                                   # refers to itself
        if style == "list" or i == 0:
            lines.append(f"  - &a{i} [{', '.join(items)}]")
        elif style == "map":
            lines.append(f"  - &a{i} {{{', '.join(f'k{j}: {v}' for j, v in enumerate(items))}}}")
        else:
            lines.append(f"  - &a{i} {{<<: {{k: {items[0]}}}, v: [{', '.join(items)}]}}")
    tail = draw(st.sampled_from(["", f"\nother: *a{levels - 1}\n", f"\n{key}_copy: *a0\n"]))
    return "\n".join(lines) + "\n" + tail


@fuzz_settings()
@given(st.sampled_from(SECTIONS), aliased_yaml())
@example(SECTIONS[1], "addresses:\n  - &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)))
@example(SECTIONS[1], "addresses: &a [*a]\n")
def test_yaml_with_aliases_gives_a_document_or_a_short_policy_error(section, text):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / ("x.yaml" if section.location.endswith("/") else section.location)
        path.write_text(text)
        try:
            section.parse([load_document(path, section.schema)], Path(d))
        except PolicyError as e:
            assert len(e.problems) <= MAX_PROBLEMS + 1
            for _, line, msg in e.problems:
                assert line >= 1 and 0 < len(msg) <= MAX_MESSAGE_CHARS + 40 and "\n" not in msg


# -- the event chain -----------------------------------------------------------------------------------------

event_docs = st.dictionaries(st.text(max_size=8), st.one_of(st.text(alphabet=st.characters(codec=None),
                                                                    max_size=30), st.integers(), st.none()),
                             max_size=4)


def _written(docs) -> Path:
    d = Path(tempfile.mkdtemp(prefix="chain-"))
    w = DailyJsonlWriter(d)
    for doc in docs:
        ev = {**doc, "@timestamp": "2026-01-01T00:00:00.000Z", "event": {"action": "social.activity"}}
        w.msg(render(None, "", ev)[0][0], "2026-01-01")
    w.close()
    return d / "events-2026-01-01.jsonl"


@fuzz_settings()
@given(st.lists(event_docs, min_size=2, max_size=12), st.data())
def test_chain_verifies_and_any_change_names_its_line(docs, data):
    path = _written(docs)
    try:
        _check_one_change(path, data)
    finally:
        shutil.rmtree(path.parent)


def _check_one_change(path: Path, data) -> None:
    assert verify(path).ok
    raw = path.read_bytes()
    lines = raw.split(b"\n")[:-1]
    how = data.draw(st.sampled_from(["flip", "delete", "swap", "duplicate"]))
    if how == "flip":
        pos = data.draw(st.integers(0, len(raw) - 1))
        new = raw[:pos] + bytes([raw[pos] ^ data.draw(st.integers(1, 255))]) + raw[pos + 1:]
        expected = raw.count(b"\n", 0, pos) + 1
        if raw[pos:pos + 1] == b"\n" and pos == len(raw) - 1:
            expected = len(lines)
    else:
        i = data.draw(st.integers(0, len(lines) - 2))        # the last line's removal is not detectable alone
        if how == "delete":
            del lines[i]
        elif how == "swap":
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        else:
            lines.insert(i + 1, lines[i])
        new = b"\n".join(lines) + b"\n"
        expected = i + 2 if how == "duplicate" else i + 1
    path.write_bytes(new)
    check = verify(path)
    assert check.first_broken == expected, (how, check)


# -- the dismiss endpoint, the operation extractor, the report renderers (thin: their owners change them) -----

@pytest.fixture(scope="module")
def classifier(policy):
    from socialguard.classify import Classifier

    return Classifier(policy)


url_parts = st.one_of(st.text(max_size=60), st.sampled_from([
    "https://x.com/home", "https://evil.example/api/v1/timelines/home", "https://evil.example\\@x.com/",
    "https://x.com/\r\nSet-Cookie: a=b", "javascript:alert(1)", "//x.com/", "https://user:pw@x.com/#t=1",
    "https://x.com:99999/", "https://[::1]/", "https://x.com/%0d%0a"]))


@fuzz_settings()
@given(url_parts, st.text(max_size=20))
def test_dismiss_never_raises_and_returns_only_web_urls(classifier, target, extra):
    from urllib.parse import quote

    from socialguard.banner.service import BannerService
    from socialguard.facts import RequestFacts

    def platform_of(host: str, path: str) -> str | None:
        c = classifier.classify(RequestFacts("GET", host, path), None)
        return c.platform if c is not None else None

    d = BannerService().dismiss(f"r={quote(target, safe='')}&{extra}", user="ann", now=0.0, platform_of=platform_of)
    assert d.return_url is None or d.return_url.startswith(("http://", "https://"))
    assert (d.return_url is None) == (d.platform is None)


@fuzz_settings(2)
@given(request_facts())
def test_operation_extractor_gives_a_string_or_none(classifier, facts):
    c = classifier.classify(facts, None)
    if c is not None:
        assert c.operation is None or isinstance(c.operation, str)


hostile_names = st.one_of(st.text(alphabet=st.characters(codec=None), max_size=30), st.sampled_from([
    "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)", "<script>alert(1)</script>", "a|b", "a\nb", "x\x00y",
    "\t=1", "\r=1"]))


@st.composite
def reports(draw):
    from socialguard.report.build import Report

    by = draw(st.sampled_from(["group", "platform", "user"]))
    who = "user" if by == "user" else "group"
    rows = [{"date": "2026-11-25", who: draw(hostile_names), "platform": draw(hostile_names),
             "working_minutes": draw(st.floats(0, 1e4)), "total_minutes": draw(st.floats(0, 1e4))}
            for _ in range(draw(st.integers(0, 4)))]
    series = st.lists(st.tuples(hostile_names, st.floats(0, 1e4), st.floats(0, 1e4)), max_size=4)
    model = {"working_days": ["Mon"], "working_hours": "09:00-17:00", "time_zone": "UTC", "lunch": None,
             "breaks": [], "holidays": "none", "other_schedules": [], "idle_gap_seconds": 300, "tail_seconds": 60}
    return Report(date(2026, 11, 23), date(2026, 11, 29), "day", by, rows,
                  flags=draw(st.dictionaries(hostile_names, st.integers(0, 9), max_size=3)),
                  per_day=draw(series), per_platform=draw(series), per_entity=draw(series),
                  heat=[[0.0] * 24 for _ in range(7)], people=draw(st.integers(0, 99)), model=model)


@fuzz_settings()
@given(reports())
def test_report_renderers_never_raise(report):
    from socialguard.report.html import render_html
    from socialguard.report.render import render_csv, render_json, render_markdown

    assert json.loads(render_json(report))["rows"] is not None
    assert len(list(csv.reader(io.StringIO(render_csv(report))))) >= 1
    assert render_markdown(report).startswith("# ")
    assert "<script>alert(1)</script>" not in render_html(report)
