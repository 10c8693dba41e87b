"""Is it going up? The report's range beside the previous one of the same kind (and a year earlier when there are
events for it), per shown group (person, platform): minutes under guideline 2.7 inside working time, the change,
the per-person average (only for a group that meets the privacy threshold in that range) and the share of the
people's working time spent on social media. Pure functions over built reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from .build import EntityTotal, Report


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def previous_range(first: date, last: date) -> tuple[date, date]:
    """A whole calendar month -> the month before; any other range -> the same number of days just before."""
    if first.day == 1 and last == _month_end(first):
        prev_last = first - timedelta(days=1)
        return prev_last.replace(day=1), prev_last
    days = (last - first).days + 1
    return first - timedelta(days=days), first - timedelta(days=1)


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:                               # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_earlier_range(first: date, last: date) -> tuple[date, date]:
    if first.day == 1 and last == _month_end(first):
        start = _year_back(first)
        return start, _month_end(start)
    return _year_back(first), _year_back(last)


@dataclass(frozen=True)
class Line:
    name: str
    people: int
    working: float
    previous: float | None                 # None: the entity is not shown in the previous range
    change: float | None                   # minutes
    change_ratio: float | None             # None when the previous figure is 0 or missing
    average: float | None                  # minutes per person; None under the privacy threshold
    previous_average: float | None
    share: float | None                    # working minutes / the people's working time
    previous_share: float | None
    year_ago: float | None = None
    year_change_ratio: float | None = None


@dataclass(frozen=True)
class Comparison:
    current: tuple[date, date]
    previous: tuple[date, date]
    year_ago: tuple[date, date] | None     # None: no events a year earlier
    lines: list[Line]
    total: Line
    k: int

    def to_json(self) -> dict:
        def span(r: tuple[date, date] | None) -> dict | None:
            return None if r is None else {"from": r[0].isoformat(), "to": r[1].isoformat()}

        return {"current": span(self.current), "previous": span(self.previous), "year_ago": span(self.year_ago),
                "k": self.k, "lines": [asdict(x) for x in self.lines], "total": asdict(self.total)}


def _ratio(now: float, before: float | None) -> float | None:
    return None if not before else round((now - before) / before, 4)


def _average(e: EntityTotal | None, k: int, averaged: bool) -> float | None:
    if e is None or not averaged or e.people < k or e.people == 0:
        return None
    return round(e.working / e.people, 2)


def _share(e: EntityTotal | None) -> float | None:
    return None if e is None or e.paid <= 0 else round(e.working / e.paid, 4)


def _line(now: EntityTotal, before: EntityTotal | None, year: EntityTotal | None, k: int, averaged: bool) -> Line:
    prev = before.working if before is not None else None
    return Line(
        name=now.name, people=now.people, working=now.working, previous=prev,
        change=None if prev is None else round(now.working - prev, 2), change_ratio=_ratio(now.working, prev),
        average=_average(now, k, averaged), previous_average=_average(before, k, averaged),
        share=_share(now), previous_share=_share(before),
        year_ago=year.working if year is not None else None,
        year_change_ratio=_ratio(now.working, year.working if year is not None else None))


def _sum(name: str, entities: list[EntityTotal]) -> EntityTotal:
    return EntityTotal(name, sum(e.people for e in entities), round(sum(e.working for e in entities), 2),
                       round(sum(e.total for e in entities), 2), round(sum(e.paid for e in entities), 2))


def compare(current: Report, previous: Report, year_ago: Report | None) -> Comparison:
    """Per entity of the current report; an entity hidden (or absent) earlier has no earlier figures."""
    k = current.k
    averaged = current.by != "user"                  # a person's "average" would be their own figure
    before = {e.name: e for e in previous.entities}
    year = {e.name: e for e in year_ago.entities} if year_ago is not None else {}
    lines = [_line(e, before.get(e.name), year.get(e.name), k, averaged) for e in current.entities]
    total = _line(_sum("*", current.entities), _sum("*", previous.entities),
                  _sum("*", year_ago.entities) if year_ago is not None else None, k, averaged)
    return Comparison((current.first, current.last), (previous.first, previous.last),
                      (year_ago.first, year_ago.last) if year_ago is not None else None, lines, total, k)
