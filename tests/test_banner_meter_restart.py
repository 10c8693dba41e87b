"""The meter after a restart in the middle of a working day: rebuilt from the event files, it shows what
`socialguard report --self` shows (same events, same time model)."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from datetime import UTC, datetime

import pytest
from support.worktime import WEDNESDAY, at

from socialguard.banner.csp import StyleDecision
from socialguard.banner.render import render
from socialguard.banner.service import BannerService
from socialguard.cli import main as cli
from socialguard.report import source
from socialguard.timekeeping.live import LiveUsage


def _line(ts: float, user: str, platform: str, background: bool = False, action: str = "social.activity",
          node: str = "a") -> str:
    stamp = datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps({"@timestamp": stamp, "event": {"action": action}, "observer": {"name": node},
                       "user": {"name": user, "group": "staff"},
                       "socialguard": {"platform": platform, "background": background}})


@pytest.fixture
def events(tmp_path):
    """Today's file as two proxy processes write it (their lines interleaved), plus yesterday's, gzipped."""
    lines = []
    for i in range(41):                                     # 09:00-09:30 on X, process a
        lines.append(_line(at(9, 0) + 45 * i, "ann", "x"))
    for i in range(14):                                     # 10:40-10:50 on Facebook, process b
        lines.append(_line(at(10, 40) + 47 * i, "ann", "facebook", node="b"))
    lines += [_line(at(9, 10) + 30 * i, "ann", "x", background=True) for i in range(100)]    # CDN: never counts
    lines += [_line(at(9, 50) + 20 * i, "bob", "reddit") for i in range(30)]
    lines.append(_line(at(10, 0), "ann", "x", action="social.banner"))                       # not activity
    lines.append("{not json")
    lines.sort()
    (tmp_path / f"events-{WEDNESDAY}.jsonl").write_text("\n".join(lines) + "\n")
    yesterday = _line(at(15, 0) - 86400, "ann", "x")
    (tmp_path / "events-2026-11-24.jsonl.gz").write_bytes(gzip.compress((yesterday + "\n").encode()))
    return tmp_path


def _report_self(events, user: str) -> float:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli(["report", "--events", str(events), "--policy", "policy", "--self", user, "--from", str(WEDNESDAY),
                    "--to", str(WEDNESDAY), "--format", "json", "--no-cache"]) == 0
    rows = json.loads(out.getvalue())["rows"]
    return next(r["working_minutes"] for r in rows if r["platform"] == "all")


def test_meter_after_restart_equals_report_self(events, policy, monkeypatch):
    monkeypatch.chdir(policy.directory.parent)
    now = at(11, 5)                                          # the proxy restarts at 11:05
    live = LiveUsage(policy.worktime)
    read = live.rebuild(lambda first, last, begin, end: source.load(events, first, last, begin, end), now)
    assert read == 41 + 14 + 30
    for user in ("ann", "bob"):
        reported = _report_self(events, user)
        assert reported > 5
        assert live.working_minutes_today(user, now) == pytest.approx(reported, abs=0.005)
    # What the banner then says: the same whole minutes.
    s = BannerService()
    content = s.content_for(policy.banner, user="ann", platform="x", now=now, accept_language="en",
                            minutes=lambda: live.working_minutes_today("ann", now), coaching=list,
                            has_coaching=lambda: False, platform_names={})
    html = render(policy.banner, content, StyleDecision("inline"), faq_url="", contact_url="", dismiss_url=None,
                  stylesheet_url="")
    assert f"Today: </span>{int(_report_self(events, 'ann'))}\u00a0min" in html


def test_rebuild_takes_only_today_up_to_now(events, policy):
    live = LiveUsage(policy.worktime)
    assert live.rebuild(lambda *a: source.load(events, *a), at(9, 15)) == 21      # 09:00..09:15 only
    assert live.working_minutes_today("ann", at(9, 15)) == pytest.approx(15)
    # A request seen live after the rebuild continues the same session.
    live.record("ann", "x", at(9, 16), False)
    assert live.working_minutes_today("ann", at(9, 17)) == pytest.approx(17)


def test_rebuild_of_an_empty_folder(tmp_path, policy):
    live = LiveUsage(policy.worktime)
    assert live.rebuild(lambda *a: source.load(tmp_path, *a), at(11, 0)) == 0
    assert live.working_minutes_today("ann", at(11, 0)) == 0
