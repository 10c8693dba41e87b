"""End to end: a HAR of a synthetic day -> `socialguard classify --har --events-dir` -> `socialguard report`
equals the hand-computed minutes; the HTML report renders its charts in headless Chromium."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support.report_events import har_entry, write_har
from support.worktime import at

from socialguard.events import read_events

X = "https://x.com/i/api/graphql/abc/HomeTimeline"
BSKY = "https://public.api.bsky.app/xrpc/app.bsky.feed.getTimeline"
BG = "https://pbs.twimg.com/media/abc.jpg"

# Wed 25 Nov 2026 (working day) for asmith; windows 08:30-10:15, 10:30-12:00, 12:30-14:45, 15:00-16:30.
DAY = [
    (X, at(9, 0)), (X, at(9, 2)),               # gap exactly 120 s: x [09:00, 09:03) = 3 min working
    (BSKY, at(9, 1)),                            # bluesky [09:01, 09:02) = 1 working; inside x's for "all"
    (BG, at(9, 5)), (BG, at(9, 6)), (BG, at(9, 7)),  # background only: nothing, and no bridge to 09:08
    (X, at(9, 8)),                               # x [09:08, 09:09) = 1 working
    (X, at(10, 14)),                             # x [10:14, 10:15) = 1 working (ends at the break)
    (X, at(11, 59, 30)),                         # x [11:59:30, 12:00:30): 0.5 working, 1 total (lunch)
    (BSKY, at(12, 10)),                          # bluesky [12:10, 12:11): lunch, 0 working, 1 total
    (X, at(20, 0)),                              # evening: 0 working, 1 total
]
# x: working 3 + 1 + 1 + 0.5 = 5.5, total 5.5 + 0.5 + 1 = 7.
# bluesky: working 1, total 2.
# all (union): [09:00,09:03) 3 + [09:08,09:09) 1 + [10:14,10:15) 1 + [11:59:30,12:00:30) 0.5/1 + [12:10,12:11)
#   0/1 + [20:00,20:01) 0/1 -> working 5.5, total 8.
EXPECTED = [
    {"date": "2026-11-25", "to": "2026-11-25", "partial": False, "user": "asmith", "platform": "all", "working_minutes": 5.5, "total_minutes": 8.0},
    {"date": "2026-11-25", "to": "2026-11-25", "partial": False, "user": "asmith", "platform": "bluesky", "working_minutes": 1.0, "total_minutes": 2.0},
    {"date": "2026-11-25", "to": "2026-11-25", "partial": False, "user": "asmith", "platform": "x", "working_minutes": 5.5, "total_minutes": 7.0},
]


def socialguard(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "socialguard.cli", *args], capture_output=True, text=True,
                          check=True, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def events_dir(tmp_path_factory):
    from support.proxies import ROOT

    tmp = tmp_path_factory.mktemp("e2e-report")
    har = write_har(tmp / "day.har", [har_entry(url, ts) for url, ts in DAY])
    events = tmp / "events"
    socialguard("classify", "--har", str(har), "--events-dir", str(events), "--user", "asmith",
                "--policy", str(ROOT / "policy"))
    return events


def report(events_dir, *extra: str) -> dict:
    from support.proxies import ROOT

    out = socialguard("report", "--events", str(events_dir), "--policy", str(ROOT / "policy"),
                      "--from", "2026-11-25", "--to", "2026-11-25", "--format", "json", *extra)
    return json.loads(out.stdout)


def test_classified_har_day_reports_hand_computed_minutes(events_dir):
    acts = [e for e in read_events(events_dir) if e["event"]["action"] == "social.activity"]
    assert len(acts) == len(DAY)
    assert sum(e["socialguard"]["background"] for e in acts) == 3
    got = report(events_dir, "--by", "user", "--individual", "--no-pseudonymise", "--operator", "auditor1")
    assert (got["from"], got["to"]) == ("2026-11-25", "2026-11-25")
    assert got["rows"] == EXPECTED
    audits = [e for e in read_events(events_dir) if e["event"]["action"] == "socialguard.audit"]
    assert audits[-1]["socialguard"]["audit"]["operator"] == "auditor1"


def test_self_report_gives_the_same_minutes(events_dir):
    assert report(events_dir, "--self", "asmith")["rows"] == EXPECTED


def test_group_report_hides_a_group_of_one(events_dir):
    got = report(events_dir)
    assert got["rows"] == [] and got["hidden_groups"] == 1


@pytest.mark.browser
def test_html_report_renders_its_charts(events_dir, tmp_path, artifacts):
    from support.proxies import ROOT

    playwright = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "report.html"
    socialguard("report", "--events", str(events_dir), "--policy", str(ROOT / "policy"), "--from", "2026-11-23",
                "--to", "2026-11-27", "--self", "asmith", "--format", "html", "--lang", "en", "--out", str(out))
    html = out.read_text()
    # One inline script (table sorting, allowed by the page's CSP hash); nothing that leaves the file.
    assert html.count("<script") == 1 and "http://" not in html and "https://" not in html
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            charts = page.query_selector_all("svg.chart")
            assert len(charts) == 5
            for chart in charts:
                box = chart.bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0
            # The per-day chart has bars of nonzero size (the day's 8 minutes).
            bars = page.eval_on_selector_all("svg.chart:first-of-type rect",
                                             "els => els.map(e => e.getBoundingClientRect().height)")
            assert any(h > 0 for h in bars)
            assert requests == [out.as_uri()]
            page.screenshot(path=str(artifacts / "report.png"), full_page=True)
        finally:
            browser.close()


def test_the_same_day_by_a_communications_officer_is_official_use(tmp_path):
    """classify tags a Communications member's use `official` (agency.yaml official_groups); the report books none
    of it under 2.7 and shows the hand-computed minutes under `official`."""
    from support.proxies import ROOT

    har = write_har(tmp_path / "day.har", [har_entry(url, ts) for url, ts in DAY])
    events = tmp_path / "events"
    socialguard("classify", "--har", str(har), "--events-dir", str(events), "--user", "jlemieux",
                "--policy", str(ROOT / "policy"))
    assert {e["socialguard"]["category"] for e in read_events(events)
            if e["event"]["action"] == "social.activity"} == {"official"}
    got = report(events, "--self", "jlemieux")
    assert got["rows"] == []
    assert got["categories"] == [{"category": "official", "working_minutes": 5.5, "total_minutes": 8.0}]
