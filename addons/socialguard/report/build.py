"""From events to a report: the time model (timekeeping), period buckets, categories, and the privacy rules.

Group-level by default: a group (or, with --by platform, a platform) is shown only when at least `k` distinct
people of it appear in the report's range, and people of hidden groups are left out of every figure (charts,
heat map, flag counts). Per-person rows need `individual` (or `self_user`, one person's own record).

Input (the seam with the event readers, engine-independent): `EventData` — people (names, group from the latest
event), platform names, the foreground/background requests as integer arrays (person index, platform index,
start ms), a category code per request (index into `policy.model.CATEGORIES`), and the distinct flags as
(person index, guideline section, ms). Any reader (DuckDB, Spark) that fills those arrays gives the same report.

Guideline 2.7 books personal and professional use only: the figures in `rows`, the charts and the comparison
count those; official use (the agency's accounts, section 1) is counted apart in the category breakdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np

from ..policy import Policy
from ..policy.model import CATEGORIES
from ..policy.worktime import WEEKDAYS
from ..timekeeping.calendar import WorkCalendar
from ..timekeeping.sessions import ALL
from ..timekeeping.usage import Usage, minutes
from . import privacy
from .source import EventData

Period = Literal["day", "week", "month"]
By = Literal["group", "platform", "user"]
NO_GROUP = "(no group)"
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Options:
    first: date
    last: date
    period: Period = "day"
    by: By = "group"
    individual: bool = False
    pseudonymise: bool = True
    self_user: str | None = None
    only_group: str | None = None               # a group's own report (mail delivery to that group)


@dataclass(frozen=True)
class EntityTotal:
    """One group (person, platform) over the whole range: what the comparison and the top-N tables rank."""

    name: str
    people: int
    working: float                              # minutes under guideline 2.7 inside working time
    total: float                                # minutes under guideline 2.7, all day
    paid: float                                 # working-time minutes the entity's people had in the range


@dataclass
class Report:
    first: date
    last: date
    period: Period
    by: By
    rows: list[dict]
    flags: dict[str, int]
    per_day: list[tuple[str, float, float]]          # (date, working, total) minutes over everyone shown
    per_platform: list[tuple[str, float, float]]
    per_entity: list[tuple[str, float, float]]       # per group (or person, or platform)
    heat: list[list[float]]                          # [weekday][hour] minutes of use
    people: int                                      # people behind the figures
    hidden_groups: int = 0
    individual: bool = False
    pseudonymised: bool = False
    subject: str = "groups"
    model: dict = field(default_factory=dict)
    per_category: list[tuple[str, float, float]] = field(default_factory=list)   # every category, incl. official
    category_rows: list[dict] = field(default_factory=list)
    entities: list[EntityTotal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # i18n keys of things the reader must know
    k: int = 5
    comparison: object | None = None                 # comparison.Comparison, attached by make_report

    @property
    def entity_key(self) -> str:
        return "user" if self.by == "user" else "group"

    def to_json(self) -> dict:
        out = {"from": self.first.isoformat(), "to": self.last.isoformat(), "period": self.period, "by": self.by,
               "rows": self.rows, "flags": self.flags, "people": self.people, "hidden_groups": self.hidden_groups,
               "individual": self.individual, "pseudonymised": self.pseudonymised, "model": self.model,
               "categories": [{"category": c, "working_minutes": w, "total_minutes": t}
                              for c, w, t in self.per_category],
               "category_rows": self.category_rows,
               "entities": [e.__dict__ for e in self.entities], "notes": self.notes}
        if self.comparison is not None:
            out["comparison"] = self.comparison.to_json()  # type: ignore[attr-defined]
        return out


def _bucket(days: np.ndarray, period: Period) -> np.ndarray:
    """Local date (days since 1970-01-01) -> first day of its period (weeks start on Monday)."""
    if period == "day":
        return days
    if period == "week":
        return days - (days + 3) % 7          # 1970-01-01 was a Thursday
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def bucket_span(start: date, period: Period, first: date, last: date) -> tuple[date, date, bool]:
    """A period bucket clipped to the report's range: (first day shown, last day shown, partial?)."""
    if period == "day":
        end = start
    elif period == "week":
        end = start + timedelta(days=6)
    else:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    lo, hi = max(start, first), min(end, last)
    return lo, hi, (lo, hi) != (start, end)


def model_description(policy: Policy) -> dict:
    """The working-time model as data; renderers word it in each language (render.model_sentence)."""
    wt = policy.worktime
    s = wt.default

    def clock(m: int) -> str:
        return f"{m // 60:02d}:{m % 60:02d}"

    return {
        "guideline": policy.reports.guideline,
        "time_zone": wt.time_zone,
        "idle_gap_seconds": wt.idle_gap_seconds,
        "tail_seconds": wt.tail_seconds,
        "working_days": [WEEKDAYS[d] for d in sorted(s.days)],
        "working_hours": f"{clock(s.start)}-{clock(s.end)}",
        "lunch": f"{clock(s.lunch[0])}-{clock(s.lunch[1])}" if s.lunch else None,
        "breaks": [f"{clock(a)}-{clock(b)}" for a, b in s.breaks],
        "holidays": f"{wt.holiday_country}/{wt.holiday_subdiv or '-'} {', '.join(wt.holiday_categories)}",
        "other_schedules": sorted(set(wt.groups.values()) | set(wt.people.values())),  # those in use
        "booked_categories": list(BOOKED),
    }


def _aggregate(keys: np.ndarray, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    uniq, inverse = np.unique(keys, return_inverse=True)
    return (uniq, *(np.bincount(inverse, weights=v, minlength=len(uniq)) for v in values))


def groups_of(policy: Policy, data: EventData) -> list[tuple[str, ...]]:
    """Each person's groups: the identity policy's lists first, else the group the events carry."""
    identity_groups = policy.identity.groups
    return [identity_groups.get(u) or ((g,) if g else ()) for u, g in zip(data.users, data.user_groups)]


@dataclass(frozen=True)
class _Who:
    included: np.ndarray                 # per person: part of the figures
    hidden_groups: int
    per_person: bool
    by: By
    notes: tuple[str, ...]


def _who(opts: Options, data: EventData, group_of: list[str], present: np.ndarray, k: int) -> _Who:
    n_users = len(data.users)
    notes: tuple[str, ...] = ()
    if opts.individual and opts.by != "user" and opts.self_user is None:
        notes = ("note.individual_without_user",)
    if opts.self_user is not None:
        included = np.zeros(n_users, dtype=bool)
        if opts.self_user in data.users:
            included[data.users.index(opts.self_user)] = True
        return _Who(included, 0, True, "user", notes)
    if opts.by == "user":
        if not opts.individual:
            raise ValueError("per-person rows need --individual (or --self USER)")
        return _Who(np.ones(n_users, dtype=bool), 0, True, "user", notes)
    if opts.by == "platform":
        # Per-platform figures get their own k test per platform (below).
        return _Who(np.ones(n_users, dtype=bool), 0, False, "platform", notes)
    included, hidden = privacy.k_anonymous_people(group_of, present, k)
    if opts.only_group is not None:
        included &= np.asarray([g == opts.only_group for g in group_of], dtype=bool)
    return _Who(included, hidden, False, "group", notes)


def build(policy: Policy, data: EventData, opts: Options, *,
          pseudonym: Callable[[str], str] | None = None) -> Report:
    groups = groups_of(policy, data)
    group_of = [g[0] if g else NO_GROUP for g in groups]
    cal = WorkCalendar(policy.worktime)
    k = policy.reports.k_anonymity
    cells = cal.cells(opts.first, opts.last)
    begin, end = int(cells.start[0]), int(cells.start[-1])
    present = data.present(begin, end)
    who = _who(opts, data, group_of, present, k)
    included, by = who.included, who.by

    booked_usage, category_usage = _usages(cal, data, groups, opts)
    names = [pseudonym(u) if (pseudonym and who.per_person and opts.self_user is None) else u for u in data.users]
    entity_of, entity_names = _entities(by, group_of, names)

    view = _View.of(booked_usage, included, entity_of, opts.period)
    platform_ok = np.ones(len(data.platforms) + 1, dtype=bool)
    if by == "platform":
        platform_ok = privacy.k_anonymous_platforms(view.user, view.plat, len(data.platforms), k)
    rows = view.rows(entity_names, ["all", *data.platforms], "platform", opts, platform_ok)
    cat_view = _View.of(category_usage, included, entity_of, opts.period)
    category_rows = [r for r in cat_view.rows(entity_names, ["all", *CATEGORIES], "category", opts,
                                               np.ones(len(CATEGORIES) + 1, dtype=bool)) if r["category"] != "all"]

    charts = _charts(view, booked_usage, data.platforms, entity_names, platform_ok, opts)
    if by == "platform" and not platform_ok[0]:
        charts.per_entity = []
    cat_rows = cat_view.plat != ALL
    per_category = _series(cat_view.plat[cat_rows], cat_view.working[cat_rows], cat_view.total[cat_rows],
                           lambda c: CATEGORIES[int(c)])
    entities = _entity_totals(cal, data, groups, included & present, entity_of, entity_names, charts.per_entity,
                              opts, by == "platform")
    subject = opts.self_user or ("individuals" if who.per_person else "groups")
    return Report(
        first=opts.first, last=opts.last, period=opts.period, by=by, rows=rows,
        flags=_flags(data, included, begin, end), per_day=charts.per_day, per_platform=charts.per_platform,
        per_entity=charts.per_entity,
        heat=charts.heat, people=int(included.sum()),
        hidden_groups=who.hidden_groups, individual=who.per_person,
        pseudonymised=bool(pseudonym) and who.per_person and opts.self_user is None,
        subject=subject, model=model_description(policy), per_category=per_category,
        category_rows=category_rows, entities=entities, notes=list(who.notes), k=k,
    )


@dataclass(frozen=True)
class _View:
    """The booked minutes of the included people, with their entity and period bucket."""

    user: np.ndarray
    plat: np.ndarray
    cell: np.ndarray
    working: np.ndarray
    total: np.ndarray
    day: np.ndarray
    bucket: np.ndarray
    entity: np.ndarray

    @classmethod
    def of(cls, usage: Usage, included: np.ndarray, entity_of: np.ndarray, period: Period) -> "_View":
        b = usage.booked
        keep = included[b.user] if len(b.user) else np.zeros(0, dtype=bool)
        user, cell = b.user[keep], b.cell[keep]
        day = usage.cells.date[cell].astype(np.int64)
        return cls(user, b.platform[keep], cell, b.working[keep].astype(float), b.total[keep].astype(float), day,
                   _bucket(day, period), entity_of[user] if len(user) else user)

    def rows(self, entity_names: list[str], plat_names: list[str], plat_key: str, opts: Options,
             plat_ok: np.ndarray) -> list[dict]:
        """One row per (period, entity, platform or category), the period clipped to the report's range."""
        if len(self.bucket) == 0:
            return []
        n_plat = len(plat_names)
        base = int(self.bucket.min())
        span = int(self.bucket.max()) - base + 1
        key = (self.entity * n_plat + (self.plat + 1)) * span + (self.bucket - base)
        uniq, w_sum, t_sum = _aggregate(key, self.working, self.total)
        entity_key = "user" if opts.by == "user" or opts.self_user else "group"
        out = []
        for kk, w, t in zip(uniq.tolist(), w_sum.tolist(), t_sum.tolist()):
            p_i = (kk // span) % n_plat
            if not plat_ok[p_i]:
                continue
            lo, hi, partial = bucket_span(EPOCH + timedelta(days=base + kk % span), opts.period, opts.first, opts.last)
            out.append({"date": lo.isoformat(), "to": hi.isoformat(), "partial": partial,
                        entity_key: entity_names[kk // span // n_plat], plat_key: plat_names[p_i],
                        "working_minutes": minutes(w), "total_minutes": minutes(t)})
        out.sort(key=lambda r: (r["date"], r[entity_key], r[plat_key] != "all", r[plat_key]))
        return out


BOOKED = tuple(c for c in CATEGORIES if c != "official")       # what guideline 2.7 counts


def _usages(cal: WorkCalendar, data: EventData, groups: list[tuple[str, ...]], opts: Options) -> tuple[Usage, Usage]:
    """The time model twice: guideline 2.7's personal and professional use (per platform and their union), and
    every category apart (the "platform" of that run is the category), official included, for the breakdown."""
    return (data.usage(cal, groups, opts.first, opts.last, categories=BOOKED),
            data.usage(cal, groups, opts.first, opts.last, by_category=True))


def _entities(by: By, group_of: list[str], names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each person's entity index and the entity names: people, groups, or the one line "all" (by platform)."""
    if by == "user":
        return np.arange(len(names), dtype=np.int64), names
    if by == "group":
        group_names = sorted(set(group_of))
        index = {g: i for i, g in enumerate(group_names)}
        return np.asarray([index[g] for g in group_of], dtype=np.int64), group_names
    return np.zeros(len(names), dtype=np.int64), ["all"]


@dataclass
class _Charts:
    per_day: list[tuple[str, float, float]]
    per_platform: list[tuple[str, float, float]]
    per_entity: list[tuple[str, float, float]]
    heat: list[list[float]]


def _charts(view: "_View", usage: Usage, platforms: list[str], entity_names: list[str], platform_ok: np.ndarray,
            opts: Options) -> _Charts:
    """Chart series over the people included: per day (every day of the range), platform, entity; the heat map."""
    all_mask = view.plat == ALL
    found = {d: (w, t) for d, w, t in _series(view.day[all_mask], view.working[all_mask], view.total[all_mask],
                                               lambda d: (EPOCH + timedelta(days=int(d))).isoformat())}
    days = [(opts.first + timedelta(days=n)).isoformat() for n in range((opts.last - opts.first).days + 1)]
    per_platform = _series(view.plat[~all_mask], view.working[~all_mask], view.total[~all_mask],
                           lambda p: platforms[int(p)])
    heat = np.zeros((7, 24))
    if all_mask.any():
        cells = view.cell[all_mask]
        np.add.at(heat, (usage.cells.weekday[cells], usage.cells.hour[cells]), view.total[all_mask])
    return _Charts(
        per_day=[(d, *found.get(d, (0.0, 0.0))) for d in days],
        per_platform=[r for r in per_platform if platform_ok[platforms.index(r[0]) + 1]],
        per_entity=_series(view.entity[all_mask], view.working[all_mask], view.total[all_mask],
                           lambda e: entity_names[int(e)]),
        heat=[[minutes(v) for v in row] for row in heat])


def _flags(data: EventData, included: np.ndarray, begin: int, end: int) -> dict[str, int]:
    """Distinct flags of the included people inside the range, per guideline section in section order."""
    flags: dict[str, int] = {}
    for u, guideline, ts in data.flags:
        if included[u] and begin <= ts < end:
            flags[guideline] = flags.get(guideline, 0) + 1
    return dict(sorted(flags.items(), key=lambda kv: _section_order(kv[0])))


def _entity_totals(cal: WorkCalendar, data: EventData, groups: list[tuple[str, ...]], counted: np.ndarray,
                   entity_of: np.ndarray, entity_names: list[str], per_entity: list[tuple[str, float, float]],
                   opts: Options, one_entity: bool) -> list[EntityTotal]:
    """Per shown entity: people, minutes and the working time its people had (for the share of working time)."""
    idx, start, end = cal.windows_array(data.users, groups, opts.first, opts.last)
    paid_per_user = np.bincount(idx, weights=(end - start).astype(float), minlength=len(data.users)) \
        if len(idx) else np.zeros(len(data.users))
    people: dict[str, int] = {}
    paid: dict[str, float] = {}
    for u in np.flatnonzero(counted).tolist():
        name = entity_names[0] if one_entity else entity_names[int(entity_of[u])]
        people[name] = people.get(name, 0) + 1
        paid[name] = paid.get(name, 0.0) + float(paid_per_user[u])
    return [EntityTotal(name, people.get(name, 0), w, t, minutes(paid.get(name, 0.0)))
            for name, w, t in per_entity]


def _section_order(section: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 99 for p in section.split("."))


def _series(labels: np.ndarray, working: np.ndarray, total: np.ndarray,
            name: Callable) -> list[tuple[str, float, float]]:
    if len(labels) == 0:
        return []
    uniq, w, t = _aggregate(labels.astype(np.int64), working, total)
    return [(name(u), minutes(a), minutes(b)) for u, a, b in zip(uniq.tolist(), w.tolist(), t.tolist())]


__all__ = ["Options", "Report", "EntityTotal", "build", "bucket_span", "model_description"]
