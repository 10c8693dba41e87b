"""The time model (guideline 2.7): sessions, their union across platforms, clipping to working windows, and
booking by local date and hour. This module is its one definition: the report and the banner's usage meter
both call `account()`; see docs/time-model.md for the rules and a worked example.

Rules, exactly:
- only foreground requests count (a catalog `background` request never starts, extends or bridges a session);
- identical requests are merged first (the model only sees (person, platform, start time), and a session
  built from a multiset of start times equals the one built from the set, so replays change nothing);
- per person and platform, a request starting <= idle_gap after the previous request's start extends the
  session, else it starts a new one; a session is [first start, last start + tail);
- a person's "all platforms" time is the union of their per-platform sessions (overlaps count once);
- working-time use = sessions ∩ working windows, clipped at window edges;
- every interval is cut at local clock hours (hence at local midnight) and booked on its local date and hour;
  durations are real elapsed milliseconds; rounding happens only when a report prints minutes.

Implementation: vectorised with numpy so a month of 10 M requests runs in seconds. Every (person, platform)
pair gets its own segment of one long integer line (`key * SEGMENT + offset`), so sorting, session building,
union and clipping are plain one-dimensional operations that can never mix two people or two platforms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .calendar import Cells

ALL = -1                    # platform index of a person's union over platforms
SEGMENT = np.int64(1) << 40  # ms per key segment (~35 years): wider than any report range plus a tail
MAX_KEYS = 1 << 22           # (person, platform) pairs per run, so key * SEGMENT stays inside int64

_I64 = np.int64


@dataclass(frozen=True)
class Requests:
    """Requests as parallel arrays: person index, platform index, start time (ms), background flag."""

    user: np.ndarray
    platform: np.ndarray
    ts: np.ndarray
    background: np.ndarray

    @classmethod
    def from_tuples(cls, rows: Iterable[tuple[int, int, int, bool]]) -> "Requests":
        rows = list(rows)
        if not rows:
            z = np.zeros(0, dtype=_I64)
            return cls(z, z, z, np.zeros(0, dtype=bool))
        u, p, t, b = zip(*rows)
        return cls(np.asarray(u, _I64), np.asarray(p, _I64), np.asarray(t, _I64), np.asarray(b, bool))


@dataclass(frozen=True)
class Intervals:
    """Half-open intervals [start, end) in ms, each belonging to a person and a platform (ALL for the union)."""

    user: np.ndarray
    platform: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return len(self.start)

    def ms(self) -> int:
        return int((self.end - self.start).sum())


@dataclass(frozen=True)
class Booked:
    """Milliseconds per (person, platform, clock cell): `total` of all use, `working` inside working windows."""

    user: np.ndarray
    platform: np.ndarray
    cell: np.ndarray
    total: np.ndarray
    working: np.ndarray


# -- one-dimensional primitives on the key line ---------------------------------------------------------
def _merge(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals on the line: sorted, disjoint, touching ones joined."""
    if len(start) == 0:
        return start, end
    order = np.argsort(start, kind="stable")
    s, e = start[order], end[order]
    reach = np.maximum.accumulate(e)
    new = np.empty(len(s), dtype=bool)
    new[0] = True
    new[1:] = s[1:] > reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(s) - 1)
    return s[first], reach[last]


def _sessions(line: np.ndarray, idle_gap: int, tail: int) -> tuple[np.ndarray, np.ndarray]:
    """Sessions from sorted request start times on the line (one key's requests are contiguous)."""
    if len(line) == 0:
        return line, line
    new = np.empty(len(line), dtype=bool)
    new[0] = True
    # Another key is >= SEGMENT away, so a key change always starts a new session.
    new[1:] = np.diff(line) > idle_gap
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(line) - 1)
    # A tail longer than idle_gap can make consecutive sessions overlap: merge so nothing counts twice.
    return _merge(line[first], line[last] + tail)


def _clip(start: np.ndarray, end: np.ndarray, w_start: np.ndarray, w_end: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pieces of each interval inside sorted disjoint windows: (index of the interval, start, end)."""
    if len(start) == 0 or len(w_start) == 0:
        z = np.zeros(0, dtype=_I64)
        return z, z, z
    lo = np.searchsorted(w_end, start, side="right")     # first window ending after the interval starts
    hi = np.searchsorted(w_start, end, side="left")      # windows starting before the interval ends
    count = np.maximum(hi - lo, 0)
    src = np.repeat(np.arange(len(start)), count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    w = np.repeat(lo, count) + offsets
    s = np.maximum(start[src], w_start[w])
    e = np.minimum(end[src], w_end[w])
    keep = e > s
    return src[keep], s[keep], e[keep]


# -- the model ----------------------------------------------------------------------------------------
def sessions(req: Requests, idle_gap_ms: int, tail_ms: int) -> Intervals:
    """Per (person, platform) sessions of the foreground requests, plus each person's union (platform ALL)."""
    fg = ~req.background
    user, plat, ts = req.user[fg].astype(_I64), req.platform[fg].astype(_I64), req.ts[fg].astype(_I64)
    if len(ts) == 0:
        z = np.zeros(0, dtype=_I64)
        return Intervals(z, z, z, z)
    base = int(ts.min()) - 1
    n_plat = int(plat.max()) + 1
    key = user * n_plat + plat
    if int(key.max()) >= MAX_KEYS or int(ts.max()) - base + int(tail_ms) >= SEGMENT:
        raise ValueError("too many (person, platform) pairs or too long a range for one run of the model")
    line = np.sort(key * SEGMENT + (ts - base))
    line = line[np.concatenate(([True], np.diff(line) != 0))]      # identical requests merged
    s, e = _sessions(line, int(idle_gap_ms), int(tail_ms))
    k = s // SEGMENT
    p_user, p_plat = k // n_plat, k % n_plat
    p_start, p_end = s % SEGMENT + base, e - k * SEGMENT + base
    # Union per person: the same line with the person as key (platforms of a person overlap freely).
    us, ue = _merge(p_user * SEGMENT + (p_start - base), p_user * SEGMENT + (p_end - base))
    u_user = us // SEGMENT
    return Intervals(
        np.concatenate((p_user, u_user)),
        np.concatenate((p_plat, np.full(len(us), ALL, dtype=_I64))),
        np.concatenate((p_start, us - u_user * SEGMENT + base)),
        np.concatenate((p_end, ue - u_user * SEGMENT + base)),
    )


def clip_to_windows(iv: Intervals, w_user: np.ndarray, w_start: np.ndarray, w_end: np.ndarray) -> Intervals:
    """Sessions ∩ working windows (windows: per person, disjoint): a tail that runs into a break is cut there."""
    if len(iv) == 0 or len(w_start) == 0:
        z = np.zeros(0, dtype=_I64)
        return Intervals(z, z, z, z)
    base = int(min(iv.start.min(), w_start.min())) - 1
    order = np.lexsort((w_start, w_user))
    wu, ws, we = w_user[order].astype(_I64), w_start[order], w_end[order]
    src, s, e = _clip(iv.user * SEGMENT + (iv.start - base), iv.user * SEGMENT + (iv.end - base),
                      wu * SEGMENT + (ws - base), wu * SEGMENT + (we - base))
    u = iv.user[src]
    return Intervals(u, iv.platform[src], s - u * SEGMENT + base, e - u * SEGMENT + base)


def cut_into_cells(iv: Intervals, cells: Cells) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each interval cut at local clock hours (so at local midnight too): (interval index, cell index, ms) per
    piece; anything outside the cells' range is dropped."""
    b = cells.start
    s = np.maximum(iv.start, b[0])
    e = np.minimum(iv.end, b[-1])
    ok = e > s
    first = np.where(ok, np.searchsorted(b, s, side="right") - 1, 0)
    last = np.where(ok, np.searchsorted(b, e, side="left") - 1, -1)
    count = np.maximum(last - first + 1, 0)
    src = np.repeat(np.arange(len(s)), count)
    cell = np.repeat(first, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    ms = np.minimum(e[src], b[cell + 1]) - np.maximum(s[src], b[cell])
    return src, cell, ms


def _by_cell(iv: Intervals, cells: Cells, n_plat: int, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    src, cell, ms = cut_into_cells(iv, cells)
    key = (iv.user[src] * (n_plat + 1) + (iv.platform[src] + 1)) * n_cells + cell
    return key, ms


def account(req: Requests, cells: Cells, windows: tuple[np.ndarray, np.ndarray, np.ndarray],
            idle_gap_ms: int, tail_ms: int) -> Booked:
    """The whole model: requests -> ms of total and working-time use per (person, platform or ALL, cell)."""
    iv = sessions(req, idle_gap_ms, tail_ms)
    work = clip_to_windows(iv, *windows)
    n_plat = int(req.platform.max()) + 1 if len(req.platform) else 1
    n_cells = len(cells.date)
    k_total, ms_total = _by_cell(iv, cells, n_plat, n_cells)
    k_work, ms_work = _by_cell(work, cells, n_plat, n_cells)
    keys, inverse = np.unique(np.concatenate((k_total, k_work)), return_inverse=True)
    # Sums of integer ms stay exact in float64 far beyond any report's total (2**53 ms is 285,000 years).
    total = np.bincount(inverse[:len(k_total)], weights=ms_total, minlength=len(keys)).astype(_I64)
    working = np.bincount(inverse[len(k_total):], weights=ms_work, minlength=len(keys)).astype(_I64)
    cell = keys % n_cells
    up = keys // n_cells
    return Booked(up // (n_plat + 1), up % (n_plat + 1) - 1, cell, total, working)
