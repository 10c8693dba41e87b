"""From events to a report: the time model (timekeeping), period buckets, and the privacy rules.

Group-level by default: a group (or, with --by platform, a platform) is shown only when at least `k` distinct
people of it appear in the report's range, and people of hidden groups are left out of every figure (charts,
heat map, flag counts). Per-person rows need `individual` (or `self_user`, one person's own record)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np

from ..policy import Policy
from ..timekeeping.calendar import WorkCalendar
from ..timekeeping.sessions import ALL
from ..timekeeping.usage import Usage, minutes
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

    def to_json(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "period": self.period, "by": self.by,
                "rows": self.rows, "flags": self.flags, "people": self.people, "hidden_groups": self.hidden_groups,
                "individual": self.individual, "pseudonymised": self.pseudonymised, "model": self.model}


def _bucket(days: np.ndarray, period: Period) -> np.ndarray:
    """Local date (days since 1970-01-01) -> first day of its period (weeks start on Monday)."""
    if period == "day":
        return days
    if period == "week":
        return days - (days + 3) % 7          # 1970-01-01 was a Thursday
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def model_description(policy: Policy) -> dict:
    wt = policy.worktime
    s = wt.default

    def clock(m: int) -> str:
        return f"{m // 60:02d}:{m % 60:02d}"

    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return {
        "guideline": "2.7",
        "time_zone": wt.time_zone,
        "idle_gap_seconds": wt.idle_gap_seconds,
        "tail_seconds": wt.tail_seconds,
        "working_days": [days[d] for d in sorted(s.days)],
        "working_hours": f"{clock(s.start)}-{clock(s.end)}",
        "lunch": f"{clock(s.lunch[0])}-{clock(s.lunch[1])}" if s.lunch else None,
        "breaks": [f"{clock(a)}-{clock(b)}" for a, b in s.breaks],
        "holidays": f"{wt.holiday_country}/{wt.holiday_subdiv or '-'} {', '.join(wt.holiday_categories)}",
        "other_schedules": sorted(set(wt.groups.values()) | set(wt.people.values())),  # those in use
    }


def _aggregate(keys: np.ndarray, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    uniq, inverse = np.unique(keys, return_inverse=True)
    return (uniq, *(np.bincount(inverse, weights=v, minlength=len(uniq)) for v in values))


def build(policy: Policy, data: EventData, opts: Options, *,
          pseudonym: Callable[[str], str] | None = None) -> Report:
    identity_groups = policy.identity.groups
    groups = [identity_groups.get(u) or ((g,) if g else ()) for u, g in zip(data.users, data.user_groups)]
    group_of = [g[0] if g else NO_GROUP for g in groups]
    cal = WorkCalendar(policy.worktime)
    usage: Usage = data.usage(cal, groups, opts.first, opts.last)
    b = usage.booked
    k = policy.reports.k_anonymity

    # Who is in the report.
    n_users = len(data.users)
    included = np.zeros(n_users, dtype=bool)
    hidden_groups = 0
    if opts.self_user is not None:
        if opts.self_user in data.users:
            included[data.users.index(opts.self_user)] = True
    elif (opts.individual and opts.by == "user") or opts.by == "platform":
        # Per-person reports are explicit and audited; per-platform figures get their own k test below.
        included[:] = True
    else:
        # A group's size: its people with events inside the range (not those only in the day read before it).
        begin, end = int(usage.cells.start[0]), int(usage.cells.start[-1])
        present = data.present(begin, end)
        sizes: dict[str, int] = {}
        for g, here in zip(group_of, present):
            sizes[g] = sizes.get(g, 0) + int(here)
        shown = {g for g, n in sizes.items() if n >= k}
        hidden_groups = sum(1 for n in sizes.values() if 0 < n < k)
        included = np.asarray([g in shown for g in group_of], dtype=bool)
    per_person = opts.self_user is not None or (opts.individual and opts.by == "user")
    by: By = "user" if opts.self_user is not None else opts.by
    if by == "user" and not per_person:
        raise ValueError("per-person rows need --individual (or --self USER)")

    keep = included[b.user] if len(b.user) else np.zeros(0, dtype=bool)
    user, plat, cell = b.user[keep], b.platform[keep], b.cell[keep]
    total, working = b.total[keep].astype(float), b.working[keep].astype(float)
    day = usage.cells.date[cell].astype(np.int64)
    bucket = _bucket(day, opts.period)

    names = [pseudonym(u) if (pseudonym and per_person and opts.self_user is None) else u for u in data.users]
    group_names = sorted(set(group_of))
    group_index = np.asarray([group_names.index(g) for g in group_of], dtype=np.int64)
    if by == "user":
        entity, entity_names, entity_key = user, names, "user"
    elif by == "group":
        entity, entity_names, entity_key = group_index[user] if len(user) else user, group_names, "group"
    else:
        entity, entity_names, entity_key = np.zeros(len(user), dtype=np.int64), ["all"], "group"

    n_plat = len(data.platforms) + 1
    n_bucket_base = int(bucket.min()) if len(bucket) else 0
    span = int(bucket.max()) - n_bucket_base + 1 if len(bucket) else 1
    key = (entity * n_plat + (plat + 1)) * span + (bucket - n_bucket_base)
    uniq, w_sum, t_sum = _aggregate(key, working, total)

    # --by platform: a platform (and the "all" line) needs k distinct people too.
    platform_people_ok = np.ones(n_plat, dtype=bool)
    if by == "platform" and not per_person:
        for p in range(-1, n_plat - 1):
            platform_people_ok[p + 1] = len(np.unique(user[plat == p])) >= k

    rows = []
    for kk, w, t in zip(uniq.tolist(), w_sum.tolist(), t_sum.tolist()):
        b_i = kk % span
        p_i = (kk // span) % n_plat
        e_i = kk // span // n_plat
        if not platform_people_ok[p_i]:
            continue
        rows.append({
            "date": (EPOCH + timedelta(days=n_bucket_base + b_i)).isoformat(),
            entity_key: entity_names[e_i],
            "platform": "all" if p_i == 0 else data.platforms[p_i - 1],
            "working_minutes": minutes(w),
            "total_minutes": minutes(t),
        })
    rows.sort(key=lambda r: (r["date"], r[entity_key], r["platform"] != "all", r["platform"]))

    # Chart series, over the people included.
    all_mask = plat == ALL
    found = {d: (w, t) for d, w, t in _series(day[all_mask], working[all_mask], total[all_mask],
                                               lambda d: (EPOCH + timedelta(days=int(d))).isoformat())}
    days = [(opts.first + timedelta(days=n)).isoformat() for n in range((opts.last - opts.first).days + 1)]
    per_day = [(d, *found.get(d, (0.0, 0.0))) for d in days]
    per_platform = _series(plat[~all_mask], working[~all_mask], total[~all_mask], lambda p: data.platforms[int(p)])
    if by == "platform":
        per_platform = [r for r in per_platform if platform_people_ok[data.platforms.index(r[0]) + 1]]
    per_entity = _series(entity[all_mask], working[all_mask], total[all_mask], lambda e: entity_names[int(e)])
    heat = np.zeros((7, 24))
    if all_mask.any():
        np.add.at(heat, (usage.cells.weekday[cell[all_mask]], usage.cells.hour[cell[all_mask]]), total[all_mask])
    flags: dict[str, int] = {}
    begin, end = int(usage.cells.start[0]), int(usage.cells.start[-1])
    for u, guideline, ts in data.flags:
        if included[u] and begin <= ts < end:
            flags[guideline] = flags.get(guideline, 0) + 1

    subject = opts.self_user or ("individuals" if per_person else "groups")
    return Report(
        first=opts.first, last=opts.last, period=opts.period, by=by, rows=rows,
        flags=dict(sorted(flags.items(), key=lambda kv: _section_order(kv[0]))),
        per_day=per_day, per_platform=per_platform, per_entity=per_entity,
        heat=[[minutes(v) for v in row] for row in heat], people=int(included.sum()),
        hidden_groups=hidden_groups, individual=per_person,
        pseudonymised=bool(pseudonym) and per_person and opts.self_user is None,
        subject=subject, model=model_description(policy),
    )


def _section_order(section: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 99 for p in section.split("."))


def _series(labels: np.ndarray, working: np.ndarray, total: np.ndarray, name: Callable) -> list[tuple[str, float, float]]:
    if len(labels) == 0:
        return []
    uniq, w, t = _aggregate(labels.astype(np.int64), working, total)
    return [(name(u), minutes(a), minutes(b)) for u, a, b in zip(uniq.tolist(), w.tolist(), t.tolist())]
