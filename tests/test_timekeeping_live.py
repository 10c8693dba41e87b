"""The banner's live usage meter: the same model as the reports, with bounded state (guideline 2.7)."""

from __future__ import annotations


import numpy as np
import pytest
from support.worktime import WEDNESDAY, at

from socialguard.policy.worktime import WorktimePolicy
from socialguard.timekeeping.calendar import WorkCalendar
from socialguard.timekeeping.live import LiveUsage
from socialguard.timekeeping.usage import compute_named


def test_background_never_counts():
    live = LiveUsage(WorktimePolicy())
    for i in range(60):
        live.record("a", "x", at(9, 0) + 30 * i, True)
    assert live.working_minutes_today("a", at(16, 0)) == 0


def test_lunch_boundary_and_now():
    live = LiveUsage(WorktimePolicy())
    live.record("a", "x", at(11, 59), False)
    live.record("a", "x", at(12, 0, 30), False)
    # Session [11:59, 12:01:30): 1 min before lunch counts.
    assert live.working_minutes_today("a", at(16, 0)) == pytest.approx(1)
    # At 11:59:30 only half a minute has happened yet.
    assert live.working_minutes_today("a", at(11, 59, 30)) == pytest.approx(0.5)


def test_unknown_person_and_new_day():
    live = LiveUsage(WorktimePolicy())
    assert live.working_minutes_today("nobody", at(10, 0)) == 0
    live.record("a", "x", at(9, 0), False)
    assert live.working_minutes_today("a", at(9, 0) + 86400) == 0        # tomorrow starts at zero
    live.record("a", "x", at(9, 0) + 86400, False)
    assert live.working_minutes_today("a", at(10, 0) + 86400) == pytest.approx(1)


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_the_report_model(seed):
    rng = np.random.default_rng(seed)
    rows = [("a", str(rng.choice(["x", "bluesky", "mastodon"])), at(7, 0) + int(rng.integers(0, 12 * 3600)),
             bool(rng.random() < 0.2)) for _ in range(int(rng.integers(1, 300)))]
    live = LiveUsage(WorktimePolicy())
    for u, p, ts, bg in rng.permutation(np.array(rows, dtype=object)):   # arrival order does not matter
        live.record(u, p, float(ts), bool(bg))
    expected = compute_named(WorkCalendar(), rows, WEDNESDAY).per_day().get(("a", "all", WEDNESDAY), (0, 0))[0]
    assert live.working_minutes_today("a", at(23, 59)) == pytest.approx(expected / 60000)


def test_a_long_session_keeps_few_points():
    live = LiveUsage(WorktimePolicy())
    for i in range(8 * 360):                                  # every 10 s for 8 hours
        live.record("a", "x", at(8, 0) + 10 * i, False)
    # 2,880 requests; kept: about one start per idle_gap (120 s) of the session, which still fixes it exactly.
    assert live._people["a"].size() <= 8 * 3600 // 120 + 2
    # Session [08:00:00, 15:59:50 + 60 s = 16:00:50): all 420 working minutes except 16:00:50-16:30 (29 min 10 s).
    assert live.working_minutes_today("a", at(23, 0)) == pytest.approx(420 - 29 - 10 / 60)


def test_state_is_bounded():
    live = LiveUsage(WorktimePolicy(), max_users=3, max_points=10)
    for u in "abcde":
        live.record(u, "x", at(9, 0), False)
    assert len(live) == 3 and "a" not in live._people
    for i in range(50):
        live.record("e", "x", at(9, 0) + 600 * i, False)
    assert live._people["e"].size() <= 10


def test_policy_reload_is_seen():
    live = LiveUsage(WorktimePolicy())
    live.record("a", "x", at(8, 0), False)
    assert live.working_minutes_today("a", at(12, 0)) == 0
    from dataclasses import replace

    early = WorktimePolicy()
    live.worktime = replace(early, default=replace(early.default, start=7 * 60 + 30))
    assert live.working_minutes_today("a", at(12, 0)) == pytest.approx(1)


def test_without_a_worktime_policy_the_shipped_defaults_apply():
    live = LiveUsage()
    live.record("a", "x", at(9, 0), False)
    assert live.working_minutes_today("a", at(16, 0)) == pytest.approx(1)
    assert live.calendar is live.calendar


@pytest.mark.parametrize(
    "clock, working",
    [((9, 0), True), ((10, 20), False), ((12, 10), False), ((12, 30), True), ((16, 29, 59), True),
     ((16, 30), False), ((7, 0), False)],
)
def test_in_working_time(clock, working):
    # Default schedule: 08:30-16:30 less breaks 10:15-10:30, 14:45-15:00 and lunch 12:00-12:30 (half-open).
    assert LiveUsage(WorktimePolicy()).in_working_time("a", at(*clock)) is working
