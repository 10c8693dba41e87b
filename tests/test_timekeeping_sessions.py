"""The time model pinned on hand-computed days (guideline 2.7). Defaults: idle_gap 120 s, tail 60 s; working
windows on a weekday 08:30-10:15, 10:30-12:00, 12:30-14:45, 15:00-16:30 (America/Toronto).

Each case lists requests as (platform, local time, background) and the expected minutes per (platform or
'all'): (working, total); the arithmetic is in the comment above each case."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from support.worktime import WEDNESDAY, at

from socialguard.timekeeping.calendar import WorkCalendar
from socialguard.timekeeping.sessions import ALL, Requests, sessions
from socialguard.timekeeping.usage import compute_named

X, BSKY = "x", "bluesky"


def usage(rows, first=WEDNESDAY, last=None, user="asmith"):
    u = compute_named(WorkCalendar(), [(user, p, ts, bg) for p, ts, bg in rows], first, last)
    return {(p, d): (w / 60000, t / 60000) for (_, p, d), (w, t) in u.per_day().items()}


CASES = {
    # One request at 09:00: session [09:00, 09:01) = 1 min, all inside 08:30-10:15.
    "single request": ([(X, at(9, 0), False)], {X: (1, 1), "all": (1, 1)}),
    # 11:59:00 and 12:00:30 (gap 90 s <= 120): session [11:59:00, 12:01:30) = 2.5 min; working part
    # 11:59-12:00 = 1 min, the rest is lunch.
    "lunch boundary": ([(X, at(11, 59), False), (X, at(12, 0, 30), False)], {X: (1, 2.5), "all": (1, 2.5)}),
    # 12:29:30 alone: [12:29:30, 12:30:30) = 1 min; its tail runs out of lunch into working time: 0.5 min counts.
    "tail out of lunch": ([(X, at(12, 29, 30), False)], {X: (0.5, 1), "all": (0.5, 1)}),
    # 10:14:30 alone: [10:14:30, 10:15:30) = 1 min; the tail running into the 10:15 break is cut: 0.5 min counts.
    "tail into break": ([(X, at(10, 14, 30), False)], {X: (0.5, 1), "all": (0.5, 1)}),
    # 10:20 inside the break: 1 min of use, none of it working time.
    "inside break": ([(X, at(10, 20), False)], {X: (0, 1), "all": (0, 1)}),
    # 09:00:00 and 09:02:00: gap exactly 120 s extends (inclusive): [09:00, 09:03) = 3 min.
    "gap of exactly idle_gap": ([(X, at(9, 0), False), (X, at(9, 2), False)], {X: (3, 3), "all": (3, 3)}),
    # 09:00:00 and 09:02:01: gap 121 s starts a new session: [09:00, 09:01) + [09:02:01, 09:03:01) = 2 min.
    "gap of idle_gap + 1 s": ([(X, at(9, 0), False), (X, at(9, 2, 1), False)], {X: (2, 2), "all": (2, 2)}),
    # x at 09:00 and 09:01 -> [09:00, 09:02) = 2; bluesky at 09:00:30 -> [09:00:30, 09:01:30) = 1;
    # all = union [09:00, 09:02) = 2 (not 3: overlapping platforms count once).
    "two platforms overlapping": ([(X, at(9, 0), False), (X, at(9, 1), False), (BSKY, at(9, 0, 30), False)],
                                  {X: (2, 2), BSKY: (1, 1), "all": (2, 2)}),
    # x at 09:00; bluesky at 09:01:30 (90 s later, but another platform: not chained into x's session).
    # x [09:00, 09:01) = 1, bluesky [09:01:30, 09:02:30) = 1; all = 2 (the 30 s gap is not counted).
    "platforms are not chained": ([(X, at(9, 0), False), (BSKY, at(9, 1, 30), False)],
                                  {X: (1, 1), BSKY: (1, 1), "all": (2, 2)}),
    # An open tab polling every 30 s for an hour, all background: no session at all.
    "background-only open tab": ([(X, at(9, 0) + 30 * i, True) for i in range(120)], {}),
    # Foreground 09:00 and 09:04 with background polls every minute between: background never bridges.
    # [09:00, 09:01) + [09:04, 09:05) = 2 min (a bridged session would be 5).
    "background does not bridge": ([(X, at(9, 0), False), *[(X, at(9, m), True) for m in (1, 2, 3)],
                                    (X, at(9, 4), False)], {X: (2, 2), "all": (2, 2)}),
}


@pytest.mark.parametrize("name", CASES)
def test_hand_computed_day(name):
    rows, expected = CASES[name]
    assert usage(rows) == {(p, WEDNESDAY): v for p, v in expected.items()}


def test_holiday():
    # Remembrance Day (Wed 11 Nov 2026) is a designated holiday: 09:00 gives 1 min of use, 0 of working time.
    day = date(2026, 11, 11)
    assert usage([(X, at(9, 0, day=day), False)], day) == {(X, day): (0, 1), ("all", day): (0, 1)}


def test_dst_fall_back_night_counts_real_time():
    # Sun 1 Nov 2026: 00:30 EDT = 04:30Z ... 02:30 EST = 07:30Z is 3 real hours although the clock moved 2.
    # A request every 120 s over it: one session [04:30Z, 07:31Z) = 181 min, all on 1 Nov, none working.
    day = date(2026, 11, 1)
    start = at(0, 30, day=day)
    rows = [(X, start + 120 * i, False) for i in range(91)]
    assert rows[-1][1] - start == 3 * 3600
    assert usage(rows, day) == {(X, day): (0, 181), ("all", day): (0, 181)}


def test_dst_working_windows_move_with_the_clock():
    # 13:15Z is 09:15 EDT on Fri 30 Oct (working) but 08:15 EST on Mon 2 Nov (before 08:30: not working).
    fri, mon = date(2026, 10, 30), date(2026, 11, 2)
    fri_ts, mon_ts = at(9, 15, day=fri), at(8, 15, day=mon)
    assert fri_ts % 86400 == mon_ts % 86400 == 13 * 3600 + 15 * 60
    assert usage([(X, fri_ts, False)], fri)[("all", fri)] == (1, 1)
    assert usage([(X, mon_ts, False)], mon)[("all", mon)] == (0, 1)


def test_midnight_crossing_is_booked_on_each_local_date():
    # Tue 23:59:30 and Wed 00:00:30 (60 s apart): session [23:59:30, 00:01:30) = 2 min:
    # 0.5 min booked on Tuesday, 1.5 min on Wednesday; none is working time.
    tue = WEDNESDAY - timedelta(days=1)
    rows = [(X, at(23, 59, 30, day=tue), False), (X, at(0, 0, 30), False)]
    assert usage(rows, tue, WEDNESDAY) == {(X, tue): (0, 0.5), ("all", tue): (0, 0.5),
                                           (X, WEDNESDAY): (0, 1.5), ("all", WEDNESDAY): (0, 1.5)}


def test_same_events_fed_twice_change_nothing():
    rows = [r for case in CASES.values() for r in case[0]]
    assert usage(rows + rows) == usage(rows)
    assert usage(list(reversed(rows))) == usage(rows)


def test_tail_longer_than_idle_gap_never_counts_twice():
    # idle_gap 10 s, tail 60 s: requests at 0 and 20 s are two sessions [0, 60) and [20, 80) that overlap;
    # their time is the union [0, 80) = 80 s.
    req = Requests.from_tuples([(0, 0, 0, False), (0, 0, 20_000, False)])
    iv = sessions(req, 10_000, 60_000)
    assert [(int(s), int(e)) for s, e, p in zip(iv.start, iv.end, iv.platform) if p != ALL] == [(0, 80_000)]


def test_people_are_kept_apart():
    # Two people with requests 30 s apart are never chained: 1 min each.
    u = compute_named(WorkCalendar(), [("a", X, at(9, 0), False), ("b", X, at(9, 0, 30), False)], WEDNESDAY)
    assert {k[:2]: v for k, v in u.per_day().items()} == {
        ("a", X): (60000, 60000), ("a", "all"): (60000, 60000), ("b", X): (60000, 60000), ("b", "all"): (60000, 60000)}


def test_random_days_agree_with_a_naive_second_by_second_count():
    # The vectorised model against a brute-force reading of the rules, second by second.
    rng = np.random.default_rng(7)
    cal = WorkCalendar()
    windows = cal.windows("a", (), WEDNESDAY)
    for _ in range(20):
        n = int(rng.integers(1, 40))
        rows = sorted((str(rng.choice([X, BSKY])), at(8, 0) + int(rng.integers(0, 9 * 3600)), bool(rng.random() < 0.3))
                      for _ in range(n))
        covered: dict[str, set[int]] = {}
        for plat in (X, BSKY):
            starts = sorted({int(ts) for p, ts, bg in rows if p == plat and not bg})
            secs = covered.setdefault(plat, set())
            for i, s in enumerate(starts):
                secs.update(range(s, s + 60))
                if i + 1 < len(starts) and starts[i + 1] - s <= 120:
                    secs.update(range(s, starts[i + 1]))
        covered["all"] = covered[X] | covered[BSKY]
        in_work = {s for a, b in windows for s in range(a // 1000, b // 1000)}
        expected = {(p, WEDNESDAY): (len(secs & in_work) / 60, len(secs) / 60) for p, secs in covered.items() if secs}
        got = usage(rows)
        assert got.keys() == expected.keys()
        for k in got:
            assert got[k] == pytest.approx(expected[k])
