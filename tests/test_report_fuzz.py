"""Property-based fuzzing of the report renderers (issue 14): any group, person or platform name in any
language and format gives CSV cells that cannot start a formula, Markdown tables that keep their shape, HTML and
JSON without raw markup or control characters."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialguard.report.build import EntityTotal, Report
from socialguard.report.html import render_html
from socialguard.report.render import render_csv, render_json, render_markdown

NAMES = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40) | st.sampled_from(
    ["=1+1", "+1", "-1", "@x", "\t=x", "\r=x", "a|b", "<script>x</script>", "x\x00y", "a\nb", "\u202e", "`*_[]"])
MODEL = {"guideline": "2.7", "time_zone": "America/Toronto", "idle_gap_seconds": 120, "tail_seconds": 60,
         "working_days": ["mon", "tue"], "working_hours": "08:30-16:30", "lunch": None, "breaks": [],
         "holidays": "CA/ON", "other_schedules": []}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


def report(names: list[str], platform: str, by: str) -> Report:
    key = "user" if by == "user" else "group"
    rows = [{"date": "2026-11-25", "to": "2026-11-25", "partial": False, key: n, "platform": p,
             "working_minutes": float(i), "total_minutes": float(i + 1)}
            for i, n in enumerate(names) for p in ("all", platform)]
    series = [(n, float(i), float(i + 1)) for i, n in enumerate(names)]
    return Report(first=date(2026, 11, 25), last=date(2026, 11, 25), period="day", by=by, rows=rows,
                  flags={names[0]: 1}, per_day=[("2026-11-25", 1.0, 2.0)], per_platform=[(platform, 1.0, 2.0)],
                  per_entity=series, heat=[[0.0] * 24 for _ in range(7)], people=len(names), model=MODEL,
                  per_category=[("personal", 1.0, 2.0)],
                  entities=[EntityTotal(n, 5, w, t, 100.0) for n, w, t in series])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(NAMES, min_size=1, max_size=6, unique=True), platform=NAMES,
       by=st.sampled_from(["group", "user"]), lang=st.sampled_from([("en",), ("fr",), ("en", "fr")]))
def test_renderers_neutralise_any_name(names, platform, by, lang):
    r = report(names, platform, by)
    text = render_csv(r, lang)
    for row in list(csv.reader(io.StringIO(text), delimiter=";" if lang == ("fr",) else ","))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not CONTROL.search(cell)
    md = render_markdown(r, lang, top_n=3)
    assert not CONTROL.search(md) and "<script" not in md
    header = None
    for line in md.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        header = pipes if header is None else header
        assert pipes == header, line
    html = render_html(r, lang, top_n=3)
    assert not CONTROL.search(html) and html.count("<script") == 1 and "<script>x" not in html
    doc = json.loads(render_json(r, lang))
    assert not any(CONTROL.search(x) or "\n" in x for x in strings(doc))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
