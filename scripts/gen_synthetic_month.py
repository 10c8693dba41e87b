#!/usr/bin/env python3
"""A synthetic month of social media events for N staff, in the proxy's daily JSON-lines files.

Default: 5,000 staff over November 2026 (≈ 10 M events). Each person has a few sessions a day (more on
working days), placed in working hours, lunch, breaks and evenings; a session is a run of requests on one
platform with exponential gaps (mean 25 s) of which 40 % are background (CDN, polling); 0.05 % of requests
also raise a flag; 1 % of events are written twice by a second node (to exercise de-duplication).
Columns are generated with numpy and written by DuckDB (`COPY … (FORMAT json)`), one file per UTC day.

    scripts/gen_synthetic_month.py OUT_DIR [--staff 5000] [--month 2026-11] [--gzip] [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np

PLATFORMS = [  # slug, foreground domain, path, background domain, background path
    ("x", "x.com", "/i/api/graphql/abc/HomeTimeline", "pbs.twimg.com", "/media/a.jpg"),
    ("bluesky", "public.api.bsky.app", "/xrpc/app.bsky.feed.getTimeline", "cdn.bsky.app", "/img/feed/a.jpg"),
    ("mastodon", "mastodon.social", "/api/v1/timelines/home", "files.mastodon.social", "/media/a.png"),
]
GUIDELINES = ["1", "2.3", "2.5", "2.6"]
TZ = ZoneInfo("America/Toronto")

_ACTIVITY_SQL = """
SELECT strftime(epoch_ms(ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS "@timestamp",
  {'name': 'u' || lpad(u::VARCHAR, 5, '0'), 'group': {'name': 'g' || lpad((u % 60)::VARCHAR, 2, '0')}} AS "user",
  {'ip': '10.' || (u // 256)::VARCHAR || '.' || (u % 256)::VARCHAR || '.7'} AS source,
  {'domain': domain, 'path': path} AS url,
  {'request': {'method': 'GET', 'bytes': NULL::BIGINT}, 'response': {'status_code': 200, 'bytes': 5120}} AS http,
  {'platform': platform, 'activity': 'view', 'category': 'personal', 'background': bg,
   'rule': platform || CASE WHEN bg THEN '.background' ELSE '.view' END, 'guideline': '2.7',
   'operation': NULL::VARCHAR, 'user_source': 'proxyauth'} AS socialguard,
  {'action': 'social.activity', 'kind': 'event', 'category': ['web'], 'type': ['access'], 'outcome': 'success',
   'dataset': 'socialguard', 'id': 'f' || id::VARCHAR} AS event,
  {'version': '8.11.0'} AS ecs,
  {'name': node, 'product': 'socialguard', 'version': '0.1.0'} AS observer
FROM day ORDER BY ts
"""


def month_days(month: str) -> list[date]:
    first = date.fromisoformat(month + "-01")
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return [first + timedelta(days=n) for n in range((nxt - first).days)]


def generate(out: Path, staff: int = 5000, month: str = "2026-11", gz: bool = False, seed: int = 1,
             sessions_per_workday: float = 6.0, requests_per_session: float = 13.0) -> int:
    """Write the month into `out` (replacing it); returns the number of events written."""
    rng = np.random.default_rng(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    days = month_days(month)
    rows_ts, rows_u, rows_p, rows_bg = [], [], [], []
    for day in days:
        working = day.weekday() < 5 and day != date(2026, 11, 11)
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=TZ).timestamp())
        n_sess = rng.poisson(sessions_per_workday if working else sessions_per_workday / 2, staff)
        users = np.repeat(np.arange(staff), n_sess)
        # Where sessions start (local seconds after midnight): working hours, lunch, breaks, evening.
        kind = rng.choice(4, size=len(users), p=[0.35, 0.25, 0.15, 0.25])
        lo = np.array([8.5, 12.0, 10.25, 17.0])[kind] * 3600
        hi = np.array([16.5, 12.5, 10.5, 23.0])[kind] * 3600
        start = midnight + lo + rng.random(len(users)) * (hi - lo)
        length = 1 + rng.geometric(1 / requests_per_session, len(users)) - 1
        sess = np.repeat(np.arange(len(users)), length)
        offset = np.cumsum(rng.exponential(25.0, len(sess)))
        first_of = np.repeat(np.cumsum(length) - length, length)
        offset -= np.concatenate(([0.0], offset))[first_of]
        rows_ts.append(((start[sess] + offset) * 1000).astype(np.int64))
        rows_u.append(users[sess])
        rows_p.append(rng.integers(0, len(PLATFORMS), len(users))[sess])
        rows_bg.append(rng.random(len(sess)) < 0.4)
    ts, u, p, bg = (np.concatenate(a) for a in (rows_ts, rows_u, rows_p, rows_bg))
    dup = rng.random(len(ts)) < 0.01
    node = np.where(np.zeros(len(ts), dtype=bool), "", "node-a")
    ts, u, p, bg = (np.concatenate((a, a[dup])) for a in (ts, u, p, bg))
    node = np.concatenate((node, np.full(int(dup.sum()), "node-b")))
    ids = np.arange(len(ts))
    fg_domain = np.array([pl[1] for pl in PLATFORMS])
    bg_domain = np.array([pl[3] for pl in PLATFORMS])
    fg_path = np.array([pl[2] for pl in PLATFORMS])
    bg_path = np.array([pl[4] for pl in PLATFORMS])
    slug = np.array([pl[0] for pl in PLATFORMS])
    utc_day = (ts // 86_400_000).astype(np.int64)
    flag_mask = (rng.random(len(ts)) < 0.0005) & ~bg
    con = duckdb.connect()
    total = 0
    for d in np.unique(utc_day):
        m = utc_day == d
        name = (date(1970, 1, 1) + timedelta(days=int(d))).isoformat()
        path = out / f"events-{name}.jsonl"
        con.register("day", {
            "ts": ts[m], "u": u[m], "platform": slug[p[m]], "bg": bg[m], "node": node[m], "id": ids[m],
            "domain": np.where(bg[m], bg_domain[p[m]], fg_domain[p[m]]),
            "path": np.where(bg[m], bg_path[p[m]], fg_path[p[m]]),
        })
        con.execute(f"COPY ({_ACTIVITY_SQL}) TO '{path}' (FORMAT json)")
        con.unregister("day")
        total += int(m.sum())
        fm = m & flag_mask
        with open(path, "a", encoding="utf-8") as f:
            for t, uu, pp, i in zip(ts[fm], u[fm], p[fm], ids[fm]):
                f.write(json.dumps(_flag(int(t), int(uu), int(pp), int(i), rng), separators=(",", ":")) + "\n")
                total += 1
        if gz:
            with open(path, "rb") as src, gzip.open(str(path) + ".gz", "wb", compresslevel=1) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            path.unlink()
    return total


def _flag(ts: int, u: int, p: int, i: int, rng) -> dict:
    slug, domain, path = PLATFORMS[p][:3]
    return {
        "@timestamp": datetime.fromtimestamp(ts / 1000, tz=ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "user": {"name": f"u{u:05d}", "group": {"name": f"g{u % 60:02d}"}},
        "url": {"domain": domain, "path": path},
        "http": {"request": {"method": "POST"}},
        "socialguard": {"platform": slug, "activity": "post", "category": "personal", "background": False,
                        "rule": "markers.protected_b", "guideline": str(rng.choice(GUIDELINES)), "action": "log",
                        "user_source": "proxyauth",
                        "finding": {"kind": "marker", "name": "protected_b", "location": "body", "confidence": 1.0}},
        "event": {"action": "social.flag", "kind": "alert", "category": ["web"], "type": ["info"],
                  "dataset": "socialguard", "id": f"f{i}"},
        "ecs": {"version": "8.11.0"},
        "observer": {"name": "node-a", "product": "socialguard", "version": "0.1.0"},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--staff", type=int, default=5000)
    ap.add_argument("--month", default="2026-11")
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    n = generate(args.out, args.staff, args.month, args.gzip, args.seed)
    print(f"{n:,} events for {args.staff:,} staff in {args.out} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
