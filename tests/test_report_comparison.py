"""Comparison with the previous period and a year earlier, and no silent truncation (top N + "N others"), checked
against figures computed by hand on a small fixture (one-minute sessions: a request books 1 min, tail 60 s)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from support.report_events import activity, write_events
from support.worktime import WEDNESDAY, at, policy_copy

from socialguard.cli import main as cli
from socialguard.report.comparison import previous_range, year_earlier_range

TUESDAY = WEDNESDAY - timedelta(days=1)
YEAR_AGO = date(2025, 11, 25)
PAID = 420.0        # 08:30-16:30 minus lunch (30) and two breaks (15 + 15), per person and working day


def minutes_of(user, group, day, n):
    """n consecutive one-minute requests from 09:00: a session of n minutes."""
    return [activity(user, group, "x", at(9, m, day=day), flow=f"{user}{day}{m}") for m in range(n)]


@pytest.fixture
def events(tmp_path):
    evs = []
    for i in range(1, 6):
        evs += minutes_of(f"a{i}", "alpha", WEDNESDAY, 2)        # alpha: 5 people x 2 min
        evs += minutes_of(f"a{i}", "alpha", TUESDAY, 1)          # previous day: 5 x 1 min
        evs += minutes_of(f"a{i}", "alpha", YEAR_AGO, 1)         # a year earlier: 5 x 1 min
        evs += minutes_of(f"d{i}", "delta", WEDNESDAY, 1)        # delta: 5 x 1 min ...
    for i in range(1, 3):
        evs += minutes_of(f"d{i}", "delta", TUESDAY, 1)          # ... but only 2 people the day before: hidden
    for i in range(1, 4):
        evs += minutes_of(f"b{i}", "beta", WEDNESDAY, 4)         # beta: 3 people, always hidden
    evs += minutes_of("c1", "gamma", WEDNESDAY, 3)               # gamma: 6 people, 3 + 5 x 1 min
    for i in range(2, 7):
        evs += minutes_of(f"c{i}", "gamma", WEDNESDAY, 1)
    write_events(tmp_path / "ev", evs)
    return tmp_path / "ev"


@pytest.fixture
def policy(tmp_path):
    return policy_copy(tmp_path / "policy", reports="k_anonymity: 5\npseudonym_key_file: k/p.key\n")


def run(capsys, events, policy, *args, fmt="json", day=WEDNESDAY):
    assert cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(day), "--to", str(day),
                "--format", fmt, *args]) == 0
    out = capsys.readouterr().out
    return json.loads(out) if fmt == "json" else out


def test_ranges():
    assert previous_range(date(2026, 11, 23), date(2026, 11, 29)) == (date(2026, 11, 16), date(2026, 11, 22))
    assert previous_range(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert year_earlier_range(date(2028, 2, 1), date(2028, 2, 29)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert year_earlier_range(date(2028, 2, 29), date(2028, 3, 2)) == (date(2027, 2, 28), date(2027, 3, 2))


def test_comparison_equals_the_hand_computation(capsys, events, policy):
    c = run(capsys, events, policy, "--lang", "en")["comparison"]
    assert c["previous"] == {"from": "2026-11-24", "to": "2026-11-24"}
    assert c["year_ago"] == {"from": "2025-11-25", "to": "2025-11-25"}
    lines = {x["name"]: x for x in c["lines"]}
    assert set(lines) == {"alpha", "delta", "gamma"}                 # beta (3 people) is never shown
    a = lines["alpha"]
    assert (a["people"], a["working"], a["previous"], a["change"], a["change_ratio"]) == (5, 10.0, 5.0, 5.0, 1.0)
    assert (a["average"], a["previous_average"]) == (2.0, 1.0)
    assert a["share"] == round(10 / (5 * PAID), 4) and a["previous_share"] == round(5 / (5 * PAID), 4)
    assert (a["year_ago"], a["year_change_ratio"]) == (5.0, 1.0)
    d = lines["delta"]                                               # under k the day before: no earlier figures
    assert (d["working"], d["previous"], d["change_ratio"], d["average"], d["previous_average"]) == (
        5.0, None, None, 1.0, None)
    g = lines["gamma"]
    assert (g["people"], g["working"], g["average"], g["share"]) == (6, 8.0, round(8 / 6, 2), round(8 / (6 * PAID), 4))
    t = c["total"]
    assert (t["people"], t["working"], t["previous"], t["change"], t["change_ratio"]) == (16, 23.0, 5.0, 18.0, 3.6)
    assert (t["average"], t["previous_average"], t["share"]) == (round(23 / 16, 2), 1.0, round(23 / (16 * PAID), 4))
    assert t["year_change_ratio"] == 3.6


def test_no_year_comparison_without_data(capsys, events, policy):
    c = run(capsys, events, policy, "--lang", "en", day=TUESDAY)["comparison"]
    assert c["year_ago"] is None and c["previous"] == {"from": "2026-11-23", "to": "2026-11-23"}


class _Cells(HTMLParser):
    """The first table after the "Figures" heading, as rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_fig, self._row, self._cell, self._h2 = [], False, None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._h2 = True
        elif tag == "tr" and self._in_fig:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self._h2 = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._in_fig = False

    def handle_data(self, data):
        if self._h2 and data == "Figures":
            self._in_fig = True
        if self._cell is not None:
            self._cell += data


def test_top_n_with_an_others_row_that_adds_up(capsys, events, policy):
    full = run(capsys, events, policy, "--lang", "en")
    total = sum(r["total_minutes"] for r in full["rows"] if r["platform"] == "all")
    working = sum(r["working_minutes"] for r in full["rows"] if r["platform"] == "all")
    assert total == 23.0                                             # alpha 10 + delta 5 + gamma 8 (beta hidden)
    html = run(capsys, events, policy, "--lang", "en", "--top", "1", fmt="html")
    p = _Cells()
    p.feed(html)
    body = p.rows[1:]
    assert [r[2] for r in body] == ["alpha", "2 others"]
    assert sum(float(r[3]) for r in body) == working and sum(float(r[4]) for r in body) == total
    assert "2 others" in re.sub(r"<[^>]+>", "|", html.split("Minutes per group")[2])   # the chart says so too
    assert "the CSV and JSON reports hold all" in html
    md = run(capsys, events, policy, "--lang", "en", "--top", "1", fmt="md")
    md_rows = [ln.split(" | ") for ln in md.splitlines() if ln.startswith("| 2026-11-25")]
    assert [r[2] for r in md_rows] == ["alpha", "2 others"]
    assert sum(float(r[4].rstrip(" |")) for r in md_rows) == total
    csv_rows = run(capsys, events, policy, "--lang", "en", "--top", "1", fmt="csv").splitlines()
    assert len(csv_rows) == 1 + len(full["rows"])                     # CSV: every row, no top N


def test_html_tables_sort_without_losing_rows_and_read_without_script(capsys, events, policy, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "r.html"
    assert cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(WEDNESDAY), "--to",
                str(WEDNESDAY), "--format", "html", "--lang", "en", "--by", "platform", "--out", str(out)]) == 0
    out2 = tmp_path / "g.html"
    assert cli(["report", "--events", str(events), "--policy", str(policy), "--from", str(WEDNESDAY), "--to",
                str(WEDNESDAY), "--format", "html", "--lang", "en", "--out", str(out2)]) == 0
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        try:
            for js in (True, False):
                ctx = browser.new_context(java_script_enabled=js)
                page = ctx.new_page()
                page.goto(out2.as_uri())
                sel = "h2:has-text('Figures') + p + table tbody tr td:nth-child(3)"
                names = page.eval_on_selector_all(sel, "els => els.map(e => e.textContent)")
                assert sorted(names) == ["alpha", "delta", "gamma"]
                hint = page.is_visible("h2:has-text('Figures') + p.sort-hint")
                assert hint is js                                     # no promise of sorting without script
                if js:
                    page.click("h2:has-text('Figures') + p + table thead th:nth-child(5)")
                    totals = page.eval_on_selector_all(
                        "h2:has-text('Figures') + p + table tbody tr td:nth-child(5)",
                        "els => els.map(e => parseFloat(e.dataset.v))")
                    assert totals == sorted(totals) and sorted(totals) == [5.0, 8.0, 10.0]
                    page.click("h2:has-text('Figures') + p + table thead th:nth-child(5)")
                    again = page.eval_on_selector_all(
                        "h2:has-text('Figures') + p + table tbody tr td:nth-child(5)",
                        "els => els.map(e => parseFloat(e.dataset.v))")
                    assert again == [10.0, 8.0, 5.0]
                ctx.close()
        finally:
            browser.close()
