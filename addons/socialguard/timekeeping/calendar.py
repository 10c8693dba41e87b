"""The working calendar: which instants are working time for a person on a local date (guideline 2.7).

Working windows = working hours − lunch − breaks, on the schedule's days, unless the date is a public holiday
(the `holidays` package with the policy's country, province and categories) or the person is on leave.
Wall-clock times are turned into real instants with zoneinfo, so a DST day's windows are exact and the
fall-back night has 25 real hours. All instants are integer milliseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_pkg
import numpy as np

from ..policy.worktime import Schedule, WorktimePolicy

MS = 1000


def _ms(dt: datetime) -> int:
    return int(round(dt.timestamp() * MS))


@dataclass(frozen=True)
class Cells:
    """Local clock hours over a range: cell i is the real interval [start[i], start[i+1]).

    A DST spring-forward day has 23 cells, a fall-back day 25 (its 01:00 hour appears twice)."""

    start: np.ndarray       # int64 ms, len n+1 (the last is the end of the range)
    date: np.ndarray        # int32 local date as days since 1970-01-01, len n
    hour: np.ndarray        # int8 local hour 0..23
    weekday: np.ndarray     # int8 0 = Monday

    def date_of(self, i: int) -> date:
        return date(1970, 1, 1) + timedelta(days=int(self.date[i]))


class WorkCalendar:
    def __init__(self, worktime: WorktimePolicy = WorktimePolicy()):
        self.policy = worktime
        self.tz = ZoneInfo(self.policy.time_zone)
        self._holidays: dict[int, dict[date, str]] = {}

    # -- days ---------------------------------------------------------------------------------------
    def holiday(self, day: date) -> str | None:
        """The holiday's name when `day` is a day off for everyone, else None."""
        if day in self.policy.holiday_extra:
            return self.policy.holiday_extra[day]
        year = self._holidays.get(day.year)
        if year is None:
            p = self.policy
            found = holidays_pkg.country_holidays(p.holiday_country, subdiv=p.holiday_subdiv,
                                                  categories=p.holiday_categories, years=day.year)
            working = set(p.holiday_working_days)
            year = self._holidays[day.year] = {d: n for d, n in found.items()
                                               if not any(part.strip() in working for part in n.split(";"))}
        return year.get(day)

    def schedule(self, user: str, groups: tuple[str, ...] | list[str] = ()) -> Schedule:
        return self.policy.schedule_for(user, groups)

    def is_working_day(self, day: date, schedule: Schedule, user: str | None = None) -> bool:
        if day.weekday() not in schedule.days or self.holiday(day) is not None:
            return False
        return user is None or day not in self.policy.leave.get(user, frozenset())

    def local_date(self, ms: int) -> date:
        return datetime.fromtimestamp(ms / MS, tz=timezone.utc).astimezone(self.tz).date()

    def instant(self, day: date, minutes: int) -> int:
        """The real instant (ms) of a local wall-clock time on a local date."""
        return _ms(datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz))

    def day_bounds(self, day: date) -> tuple[int, int]:
        """[local midnight, next local midnight) in ms: 25 h on the fall-back day, 23 h on spring-forward."""
        return self.instant(day, 0), self.instant(day + timedelta(days=1), 0)

    # -- windows ------------------------------------------------------------------------------------
    def windows(self, user: str, groups: tuple[str, ...] | list[str], day: date) -> list[tuple[int, int]]:
        """Working windows of one person on one local date, as half-open [start, end) ms intervals."""
        sched = self.schedule(user, groups)
        if not self.is_working_day(day, sched, user):
            return []
        return list(self._schedule_windows(sched, day))

    @lru_cache(maxsize=65536)  # noqa: B019 - the calendar lives as long as its policy
    def _schedule_windows(self, sched: Schedule, day: date) -> tuple[tuple[int, int], ...]:
        out, cursor = [], sched.start
        for free_start, free_end in sched.free:
            if free_start > cursor:
                out.append((cursor, free_start))
            cursor = max(cursor, free_end)
        if sched.end > cursor:
            out.append((cursor, sched.end))
        return tuple((self.instant(day, a), self.instant(day, b)) for a, b in out)

    def windows_array(self, users: list[str], groups: list[tuple[str, ...]], first: date, last: date
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every person's windows over [first, last] local dates: (user index, start ms, end ms), sorted."""
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        by_schedule: dict[Schedule, np.ndarray] = {}
        idx_parts, win_parts = [], []
        for i, (user, grp) in enumerate(zip(users, groups)):
            sched = self.schedule(user, grp)
            leave = self.policy.leave.get(user)
            if leave is None:
                arr = by_schedule.get(sched)
                if arr is None:
                    arr = by_schedule[sched] = self._windows_for(sched, days, frozenset())
            else:
                arr = self._windows_for(sched, days, leave)
            idx_parts.append(np.full(len(arr), i, dtype=np.int64))
            win_parts.append(arr)
        if not win_parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        wins = np.concatenate(win_parts).reshape(-1, 2)
        return np.concatenate(idx_parts), wins[:, 0], wins[:, 1]

    def _windows_for(self, sched: Schedule, days: list[date], leave: frozenset[date]) -> np.ndarray:
        flat = [edge for day in days if day not in leave and self.is_working_day(day, sched)
                for window in self._schedule_windows(sched, day) for edge in window]
        return np.asarray(flat, dtype=np.int64).reshape(-1, 2)

    # -- clock cells --------------------------------------------------------------------------------
    @lru_cache(maxsize=64)  # noqa: B019 - arrays are never mutated; the banner asks for today's often
    def cells(self, first: date, last: date) -> Cells:
        """Local clock hours from `first` 00:00 to the end of `last`, found by walking real time in 15-minute
        steps (every zone offset in use is a multiple of 15 minutes) and keeping the instants whose local
        minute is 0: correct for DST days and for half-hour zones alike."""
        begin, end = self.day_bounds(first)[0], self.day_bounds(last)[1]
        step = 15 * 60 * MS
        starts, dates, hours, weekdays = [], [], [], []
        epoch = date(1970, 1, 1)
        for ms in range(begin, end, step):
            local = datetime.fromtimestamp(ms / MS, tz=timezone.utc).astimezone(self.tz)
            if local.minute == 0 and local.second == 0:
                starts.append(ms)
                dates.append((local.date() - epoch).days)
                hours.append(local.hour)
                weekdays.append(local.weekday())
        starts.append(end)
        return Cells(np.asarray(starts, dtype=np.int64), np.asarray(dates, dtype=np.int32),
                     np.asarray(hours, dtype=np.int8), np.asarray(weekdays, dtype=np.int8))
