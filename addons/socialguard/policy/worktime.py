"""worktime.yaml: the working-time calendar (time zone, hours, lunch, breaks, schedules, leave, holidays) and the
time model's parameters (guideline 2.7). The calendar arithmetic itself lives in `socialguard.timekeeping`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .source import Document, given

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Schedule:
    """One working pattern; times are local minutes after midnight, `days` are 0 = Monday … 6 = Sunday."""

    name: str
    days: frozenset[int]
    start: int
    end: int
    lunch: tuple[int, int] | None
    breaks: tuple[tuple[int, int], ...]

    @property
    def free(self) -> tuple[tuple[int, int], ...]:
        """Lunch and breaks: the free time inside the working hours, sorted."""
        return tuple(sorted(((self.lunch,) if self.lunch else ()) + self.breaks))

    @property
    def paid_minutes_per_day(self) -> int:
        """Working hours minus lunch (breaks are paid time)."""
        return self.end - self.start - ((self.lunch[1] - self.lunch[0]) if self.lunch else 0)

    @property
    def weekly_hours(self) -> float:
        return self.paid_minutes_per_day * len(self.days) / 60


# Mon-Fri 08:30-16:30, lunch 12:00-12:30, breaks 10:15-10:30 and 14:45-15:00: keys a policy's default_schedule
# leaves out come from here, and named schedules start from the policy's default schedule.
SHIPPED_SCHEDULE = Schedule("default", frozenset(range(5)), 8 * 60 + 30, 16 * 60 + 30, (12 * 60, 12 * 60 + 30),
                            ((10 * 60 + 15, 10 * 60 + 30), (14 * 60 + 45, 15 * 60)))


@dataclass(frozen=True)
class WorktimePolicy:
    time_zone: str = "America/Toronto"
    idle_gap_seconds: float = 120.0
    tail_seconds: float = 60.0
    default: Schedule = SHIPPED_SCHEDULE
    schedules: dict[str, Schedule] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)        # group -> schedule name
    people: dict[str, str] = field(default_factory=dict)        # user -> schedule name
    leave: dict[str, frozenset[date]] = field(default_factory=dict)
    holiday_country: str = "CA"
    holiday_subdiv: str | None = "ON"
    holiday_categories: tuple[str, ...] = ("government", "optional")
    holiday_working_days: tuple[str, ...] = ()                  # holiday names that are working days
    holiday_extra: dict[date, str] = field(default_factory=dict)
    guideline: str = "2.7"

    def schedule_for(self, user: str, groups: tuple[str, ...] | list[str] = ()) -> Schedule:
        """A person's own schedule, else their first group's that has one, else the default."""
        name = self.people.get(user)
        if name is None:
            name = next((self.groups[g] for g in groups if g in self.groups), None)
        return self.schedules[name] if name is not None else self.default

    @classmethod
    def from_document(cls, doc: Document) -> WorktimePolicy:
        d: dict[str, Any] = doc.data
        default = _schedule(doc, ["default_schedule"], "default", d.get("default_schedule", {}), SHIPPED_SCHEDULE)
        weekly = d.get("weekly_hours")
        if weekly is not None and abs(default.weekly_hours - weekly) > 1e-9:
            raise doc.error(["weekly_hours"], f"the default schedule gives {default.weekly_hours:g} paid hours a "
                                              f"week (hours - lunch, x {len(default.days)} days), not {weekly:g}")
        policy = cls(
            default=default,
            schedules={name: _schedule(doc, ["schedules", name], name, raw, default)
                       for name, raw in d.get("schedules", {}).items()},
            leave={user: _leave(doc, user, items) for user, items in d.get("leave", {}).items()},
            **given(d, time_zone=str, groups=dict, people=dict),
            **given(d.get("model", {}), idle_gap_seconds=float, tail_seconds=float),
            **given(d.get("holidays", {}), holiday_country=("country", str), holiday_subdiv=("subdiv", lambda v: v),
                    holiday_categories=("categories", tuple), holiday_working_days=("working_days", tuple),
                    holiday_extra=("extra", lambda items: _holiday_extra(doc, items))),
        )
        _check(doc, policy)
        return policy


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span(value: dict | None) -> tuple[int, int] | None:
    return None if value is None else (_minutes(value["start"]), _minutes(value["end"]))


def _schedule(doc: Document, keys: list, name: str, raw: dict, base: Schedule) -> Schedule:
    """`raw`'s keys over `base` (the shipped default for `default_schedule`, the policy's default for the others)."""
    sched = replace(base, name=name, **given(
        raw, days=lambda days: frozenset(WEEKDAYS.index(d) for d in days), start=_minutes, end=_minutes,
        lunch=_span, breaks=lambda spans: tuple(sorted(_span(b) for b in spans))))
    if sched.end <= sched.start:
        raise doc.error(keys + ["end"], f"schedule {name!r}: end {_clock(sched.end)} is not after start")
    previous_end = sched.start
    for start, end in sched.free:
        if not sched.start <= start < end <= sched.end:
            raise doc.error(keys, f"schedule {name!r}: lunch and breaks must lie inside the working hours")
        if start < previous_end:
            raise doc.error(keys, f"schedule {name!r}: lunch and breaks overlap")
        previous_end = end
    expected = raw.get("weekly_hours")
    if expected is not None and abs(sched.weekly_hours - expected) > 1e-9:
        raise doc.error(keys + ["weekly_hours"], f"schedule {name!r} gives {sched.weekly_hours:g} paid hours a "
                                                 f"week (hours - lunch, x {len(sched.days)} days), not {expected:g}")
    return sched


def _leave(doc: Document, user: str, items: list) -> frozenset[date]:
    days: set[date] = set()
    for i, item in enumerate(items):
        try:
            if isinstance(item, str):
                days.add(date.fromisoformat(item))
                continue
            first, last = date.fromisoformat(item["from"]), date.fromisoformat(item["to"])
        except ValueError as e:
            raise doc.error(["leave", user, i], f"not a date: {e}") from None
        if last < first:
            raise doc.error(["leave", user, i], "leave range ends before it starts")
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset(days)


def _holiday_extra(doc: Document, items: list) -> dict[date, str]:
    extra = {}
    for i, item in enumerate(items):
        try:
            extra[date.fromisoformat(item["date"])] = item.get("name", "day off")
        except ValueError as e:
            raise doc.error(["holidays", "extra", i, "date"], f"not a date: {e}") from None
    return extra


def _check(doc: Document, policy: WorktimePolicy) -> None:
    """What the schema cannot say: a known time zone, schedules that exist, holidays the package knows."""
    try:
        ZoneInfo(policy.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise doc.error(["time_zone"], f"unknown time zone {policy.time_zone!r} "
                                       "(use an IANA name like America/Toronto)") from None
    for section, assigned in (("groups", policy.groups), ("people", policy.people)):
        for who, name in assigned.items():
            if name not in policy.schedules:
                raise doc.error([section, who], f"unknown schedule {name!r} "
                                                f"(defined: {', '.join(policy.schedules) or 'none'})")
    country, subdiv, categories = policy.holiday_country, policy.holiday_subdiv, policy.holiday_categories
    try:
        import holidays

        holidays.country_holidays(country, subdiv=subdiv, categories=categories, years=2026)
    except (NotImplementedError, ValueError, KeyError) as e:
        raise doc.error(["holidays"], f"the holidays package rejects {country}/{subdiv} {list(categories)}: {e}") from None


def parse_worktime(docs: list[Document], directory: Path) -> WorktimePolicy:
    return WorktimePolicy.from_document(docs[0]) if docs else WorktimePolicy()
