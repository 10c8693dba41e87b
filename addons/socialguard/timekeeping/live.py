"""Live per-person usage for the banner's meter, on the same time model as the reports (guideline 2.7).

State is bounded: only today's requests (local date of the policy's time zone) are kept, at most
`max_points` start times per person and `max_users` people (least recently seen dropped first).
Start times that cannot change the result are not kept: a point whose neighbours on the same platform are
within idle_gap of each other lies inside one session either way, so a long session keeps only a few points.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol

import numpy as np

from ..policy.worktime import WorktimePolicy
from .calendar import MS, WorkCalendar
from .sessions import ALL, Requests, account


class TodaysEvents(Protocol):
    """What a rebuild needs from the event files (the report's reader returns exactly this)."""

    users: Sequence[str]
    user_groups: Sequence[str | None]
    platforms: Sequence[str]
    requests: Requests


# Reads the activity events with begin_ms <= @timestamp < end_ms of the local dates [first, last] from every
# event file of the folder (all processes' lines): `report.source.load` with the events directory bound.
EventLoader = Callable[[date, date, int, int], TodaysEvents]


class _Person:
    __slots__ = ("day", "groups", "points")

    def __init__(self, day: date, groups: tuple[str, ...]):
        self.day = day
        self.groups = groups
        self.points: dict[str, list[int]] = {}      # platform -> sorted start times (ms)

    def size(self) -> int:
        return sum(len(p) for p in self.points.values())


class LiveUsage:
    def __init__(self, worktime: WorktimePolicy = WorktimePolicy(), max_users: int = 50_000, max_points: int = 4_096):
        self.worktime = worktime
        self.max_users = max_users
        self.max_points = max_points
        self._people: OrderedDict[str, _Person] = OrderedDict()
        self._lock = threading.Lock()
        self._calendar: WorkCalendar | None = None
        self._calendar_for: Any = None

    @property
    def calendar(self) -> WorkCalendar:
        # The policy may be reloaded (the runtime swaps `worktime`); rebuild the calendar when it changes.
        if self._calendar is None or self._calendar_for is not self.worktime:
            self._calendar = WorkCalendar(self.worktime)
            self._calendar_for = self.worktime
        return self._calendar

    def record(self, user: str, platform: str, timestamp: float, background: bool,
               groups: tuple[str, ...] = (), category: str = "personal") -> None:
        """One classified request; background ones never count, nor official use (section 1, counted apart in
        reports: the meter shows guideline 2.7's personal and professional use). `groups` (optional) selects a
        group's schedule."""
        if background or category == "official":
            return
        cal = self.calendar
        ms = int(round(timestamp * MS))
        day = cal.local_date(ms)
        gap = int(cal.policy.idle_gap_seconds * MS)
        with self._lock:
            person = self._people.get(user)
            if person is None or person.day < day:
                person = _Person(day, tuple(groups))
            elif person.day > day:
                return                                      # a late request from yesterday
            if groups:
                person.groups = tuple(groups)
            self._people[user] = person
            self._people.move_to_end(user)
            points = person.points.setdefault(platform, [])
            i = bisect.bisect_left(points, ms)
            if i < len(points) and points[i] == ms:
                return                                      # identical request: changes nothing
            points.insert(i, ms)
            # Drop points that sit inside a session on both sides (they cannot change any session).
            for j in (i + 1, i, i - 1):
                if 0 < j < len(points) - 1 and points[j + 1] - points[j - 1] <= gap:
                    del points[j]
            while person.size() > self.max_points:
                longest = max(person.points.values(), key=len)
                del longest[0]
            while len(self._people) > self.max_users:
                self._people.popitem(last=False)

    def working_minutes_today(self, user: str, now: float) -> float:
        """Minutes of social media use today inside working windows, up to `now` (unrounded)."""
        cal = self.calendar
        now_ms = int(round(now * MS))
        today = cal.local_date(now_ms)
        with self._lock:
            person = self._people.get(user)
            if person is None or person.day != today:
                return 0.0
            rows = [(0, p, t) for p, pts in enumerate(person.points.values()) for t in pts]
            groups = person.groups
        if not rows:
            return 0.0
        _, plat, ts = zip(*rows)
        req = Requests(np.zeros(len(ts), dtype=np.int64), np.asarray(plat, dtype=np.int64),
                       np.asarray(ts, dtype=np.int64), np.zeros(len(ts), dtype=bool))
        cells = cal.cells(today, today)
        keep = cells.start < now_ms
        n = int(keep.sum())
        # Cells up to now only: time after `now` (a session's tail) is not booked yet.
        cells = type(cells)(np.append(cells.start[:n], now_ms), cells.date[:n], cells.hour[:n], cells.weekday[:n])
        windows = cal.windows_array([user], [groups], today, today)
        p = cal.policy
        booked = account(req, cells, windows, int(p.idle_gap_seconds * MS), int(p.tail_seconds * MS))
        return float(booked.working[booked.platform == ALL].sum()) / 60000

    def in_working_time(self, user: str, now: float, groups: tuple[str, ...] = ()) -> bool:
        """Whether `now` falls in one of the person's working windows (not lunch, a break, or after hours)."""
        cal = self.calendar
        now_ms = int(round(now * MS))
        today = cal.local_date(now_ms)
        with self._lock:
            person = self._people.get(user)
            if person is not None and person.day == today:
                groups = person.groups or groups
        _, start, end = cal.windows_array([user], [groups], today, today)
        return bool(((start <= now_ms) & (now_ms < end)).any())

    def rebuild(self, load: EventLoader, now: float) -> int:
        """Refill today's points from the event files at start, so the meter continues where the report
        stands after a restart (same events, same model). Returns the number of requests read.

        Only today's foreground requests up to `now` are taken; they are recorded in time order, so the
        bounds and the point thinning apply exactly as if the proxy had seen them live."""
        cal = self.calendar
        now_ms = int(round(now * MS))
        today = cal.local_date(now_ms)
        begin, _ = cal.day_bounds(today)
        data = load(today, today, begin, now_ms + 1)
        req = data.requests
        keep = (req.ts >= begin) & (req.ts <= now_ms) & ~req.background
        order = np.argsort(req.ts[keep], kind="stable")
        users, plats, stamps = req.user[keep][order], req.platform[keep][order], req.ts[keep][order]
        groups = [(g,) if g else () for g in data.user_groups]
        for u, p, ts in zip(users.tolist(), plats.tolist(), stamps.tolist(), strict=True):
            self.record(data.users[u], data.platforms[p], ts / MS, False, groups=groups[u])
        return len(stamps)

    def __len__(self) -> int:
        return len(self._people)
