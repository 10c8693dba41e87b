"""Named people and platforms in, minutes per person, platform and local date out: the model of `sessions`
wrapped for callers that hold names (the report, tests); the banner's meter calls `account` directly."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .calendar import MS, Cells, WorkCalendar
from .sessions import ALL, Booked, Requests, account


@dataclass(frozen=True)
class Usage:
    """The model's result over a range of local dates, with the names the indices refer to."""

    users: list[str]
    platforms: list[str]
    cells: Cells
    booked: Booked

    def per_day(self) -> dict[tuple[str, str, date], tuple[int, int]]:
        """{(user, platform or 'all', local date): (working ms, total ms)} for every non-empty combination."""
        out: dict[tuple[str, str, date], list[int]] = {}
        b = self.booked
        for u, p, c, tot, work in zip(b.user, b.platform, b.cell, b.total, b.working):
            key = (self.users[u], "all" if p == ALL else self.platforms[p], self.cells.date_of(int(c)))
            acc = out.setdefault(key, [0, 0])
            acc[0] += int(work)
            acc[1] += int(tot)
        return {k: (w, t) for k, (w, t) in out.items()}


def compute(calendar: WorkCalendar, req: Requests, users: list[str], groups: list[tuple[str, ...]],
            platforms: list[str], first: date, last: date) -> Usage:
    """Run the model for local dates [first, last]; `req` indexes `users`/`platforms`. Requests slightly outside
    the range may be given (sessions crossing the range's edges are then whole): only time inside is booked."""
    cells = calendar.cells(first, last)
    windows = calendar.windows_array(users, groups, first, last)
    p = calendar.policy
    booked = account(req, cells, windows, int(p.idle_gap_seconds * MS), int(p.tail_seconds * MS))
    return Usage(users, platforms, cells, booked)


def compute_named(calendar: WorkCalendar, rows: Iterable[tuple[str, str, float, bool]], first: date,
                  last: date | None = None, groups: dict[str, tuple[str, ...]] | None = None) -> Usage:
    """The model over (user, platform, start time in seconds since the epoch, background) tuples."""
    rows = list(rows)
    users = sorted({r[0] for r in rows})
    platforms = sorted({r[1] for r in rows})
    ui = {u: i for i, u in enumerate(users)}
    pi = {p: i for i, p in enumerate(platforms)}
    req = Requests.from_tuples((ui[u], pi[p], int(round(ts * MS)), bg) for u, p, ts, bg in rows)
    groups = groups or {}
    return compute(calendar, req, users, [tuple(groups.get(u, ())) for u in users], platforms,
                   first, last or first)


def minutes(ms: int | float, digits: int = 2) -> float:
    """Rounding happens here, at output, and nowhere else."""
    return round(ms / 60000, digits)


__all__ = ["Usage", "compute", "compute_named", "minutes"]
