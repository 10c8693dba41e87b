"""Reading event files with DuckDB (JSON lines, gzipped too), through a per-file columnar cache.

A day's file is parsed once into a small Parquet file holding only what reports need; the cache entry is named
after the file's size and modification time, so a file that grows (today's) or is replaced is read again.
Reports of a closed month then read ~1 MB per million events instead of ~700 MB of JSON.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np

from ..timekeeping.sessions import Requests

FILE_RE = re.compile(r"^events-(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$")
CACHE_DIR = ".report-cache"

# Only the fields reports read; DuckDB skips the rest of each line.
_COLUMNS = """{
  '@timestamp': 'TIMESTAMP',
  'user': 'STRUCT(name VARCHAR, "group" VARCHAR)',
  'url': 'STRUCT(domain VARCHAR, path VARCHAR)',
  'http': 'STRUCT(request STRUCT(method VARCHAR))',
  'socialguard': 'STRUCT(platform VARCHAR, activity VARCHAR, background BOOLEAN, rule VARCHAR, guideline VARCHAR,
                         finding STRUCT(kind VARCHAR, name VARCHAR))',
  'event': 'STRUCT(action VARCHAR)'
}"""

# One row per activity or flag event. A flag's identity (`flag_key`) is what two proxies that saw the same
# request would both write: who, when, the rule and finding, and the request line; `observer.name` and
# `event.id` differ between nodes and are deliberately left out.
_SELECT = f"""
SELECT epoch_ms("@timestamp") AS ts, "user".name AS "user", "user"."group" AS grp,
       socialguard.platform AS platform, coalesce(socialguard.background, false) AS background,
       event.action AS action, socialguard.guideline AS guideline,
       CASE WHEN event.action = 'social.flag' THEN concat_ws('|', socialguard.rule, socialguard.finding.kind,
            socialguard.finding.name, http.request.method, url.domain, url.path) END AS flag_key
FROM read_json({{files}}, format='newline_delimited', columns={_COLUMNS}, ignore_errors=true)
WHERE event.action IN ('social.activity', 'social.flag') AND "@timestamp" IS NOT NULL
  AND "user".name IS NOT NULL AND socialguard.platform IS NOT NULL
"""


def event_files(directory: Path) -> list[tuple[date, Path]]:
    out = []
    for path in directory.iterdir() if directory.is_dir() else ():
        m = FILE_RE.match(path.name)
        if m:
            out.append((date.fromisoformat(m.group(1)), path))
    return sorted(out)


def files_for(directory: Path, first: date, last: date) -> list[Path]:
    """Files (named by UTC day) that can hold events of local dates [first, last]: one UTC day either side,
    plus one more before so a session running over the range's start is whole."""
    return [p for d, p in event_files(directory) if first - timedelta(days=2) <= d <= last + timedelta(days=1)]


def _cache_name(path: Path) -> str:
    st = path.stat()
    return f"{path.name}.{st.st_size}-{st.st_mtime_ns}.parquet"


def _cached(con: duckdb.DuckDBPyConnection, path: Path, cache: Path | None) -> str | None:
    """The Parquet cache of one event file, built if missing or stale; None when there is no usable cache."""
    if cache is None:
        return None
    target = cache / _cache_name(path)
    if target.exists():
        return str(target)
    try:
        cache.mkdir(mode=0o750, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        select = _SELECT.replace("{files}", _sql_list([str(path)]))
        con.execute(f"COPY ({select}) TO {_sql_list([str(tmp)])[1:-1]} (FORMAT parquet, COMPRESSION zstd)")
        os.replace(tmp, target)
        for old in cache.glob(f"{path.name}.*.parquet"):
            if old != target:
                old.unlink(missing_ok=True)
    except (OSError, duckdb.IOException):
        return None
    return str(target)


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


@dataclass(frozen=True)
class EventData:
    """What the model and the report need from the events of a range."""

    users: list[str]
    user_groups: list[str | None]       # each person's group as the latest event gives it
    platforms: list[str]
    requests: Requests
    flags: list[tuple[int, str, int]]   # (user index, guideline, ms) of each distinct flag


def load(directory: Path, first: date, last: date, begin_ms: int, end_ms: int, *,
         cache: Path | None = None, progress: Callable[[Iterable], Iterable] = lambda it: it) -> EventData:
    """Events with begin_ms <= @timestamp < end_ms from the files that can hold them."""
    con = duckdb.connect()
    sources = []
    for path in progress(files_for(directory, first, last)):
        sources.append(("parquet", _cached(con, path, cache)) if cache else ("json", str(path)))
        if sources[-1][1] is None:
            sources[-1] = ("json", str(path))
    parquet = [p for kind, p in sources if kind == "parquet"]
    json_files = [p for kind, p in sources if kind == "json"]
    parts = []
    if parquet:
        parts.append(f"SELECT * FROM read_parquet({_sql_list(parquet)})")
    if json_files:
        parts.append(f"SELECT * FROM ({_SELECT.replace("{files}", _sql_list(json_files))})")
    if not parts:
        return load_empty()
    src = f"(SELECT * FROM ({' UNION ALL '.join(parts)}) WHERE ts >= {int(begin_ms)} AND ts < {int(end_ms)})"
    if json_files:
        # Parse the JSON once; Parquet sources are cheap to scan twice.
        con.execute(f"CREATE TEMP TABLE ev AS SELECT * FROM {src}")
        src = "ev"
    users = con.execute(f'SELECT "user", arg_max(grp, ts) FROM {src} GROUP BY "user" ORDER BY "user"').fetchall()
    platforms = [r[0] for r in con.execute(f"SELECT DISTINCT platform FROM {src} WHERE action = 'social.activity' "
                                           "ORDER BY platform").fetchall()]
    if not users:
        con.close()
        return load_empty()
    # Names become dense integer codes inside DuckDB (ENUM codes follow the sorted order above).
    con.execute(f'CREATE TYPE user_t AS ENUM (SELECT DISTINCT "user" FROM {src} ORDER BY "user")')
    con.execute(f"CREATE TYPE platform_t AS ENUM (SELECT DISTINCT platform FROM {src} "
                "WHERE action = 'social.activity' ORDER BY platform)")
    arr = con.execute(f'SELECT enum_code("user"::user_t) AS u, enum_code(platform::platform_t) AS p, ts, background '
                      f"FROM {src} WHERE action = 'social.activity'").fetchnumpy()
    flags = con.execute(f'SELECT DISTINCT enum_code("user"::user_t), guideline, ts, flag_key FROM {src} '
                        "WHERE action = 'social.flag'").fetchall()
    con.close()
    req = Requests(np.asarray(arr["u"], dtype=np.int64), np.asarray(arr["p"], dtype=np.int64),
                   np.asarray(arr["ts"], dtype=np.int64), np.asarray(arr["background"], dtype=bool))
    return EventData([u for u, _ in users], [g for _, g in users], platforms, req,
                     [(int(u), g or "?", int(ts)) for u, g, ts, _ in flags])


def load_empty() -> EventData:
    z = np.zeros(0, dtype=np.int64)
    return EventData([], [], [], Requests(z, z, z, np.zeros(0, dtype=bool)), [])


def delete_older_than(directory: Path, days: int, today: date) -> list[Path]:
    """Retention: delete event files (and their cache entries) whose UTC day is more than `days` days ago."""
    if days <= 0:
        return []
    limit = today - timedelta(days=days)
    removed = []
    for day, path in event_files(directory):
        if day < limit:
            path.unlink(missing_ok=True)
            removed.append(path)
            for cached in (directory / CACHE_DIR).glob(f"{path.name}.*.parquet"):
                cached.unlink(missing_ok=True)
    return removed
