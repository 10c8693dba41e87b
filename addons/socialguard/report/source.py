"""Reading event files with DuckDB (JSON lines, gzipped too), through a per-file columnar cache.

A day's file is parsed once into a small Parquet file holding only what reports need; the cache entry is named
after the file's size and modification time, so a file that grows (today's) or is replaced is read again.
Reports of a closed month then read ~1 MB per million events instead of ~700 MB of JSON.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np

from ..policy.model import CATEGORIES
from ..timekeeping.calendar import WorkCalendar
from ..timekeeping.sessions import Requests
from ..timekeeping.usage import Usage, compute

FILE_RE = re.compile(r"^events-(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$")
CACHE_DIR = ".report-cache"
PARTITION = "date={day}"     # Hive-style partition folder of one UTC day, as Spark and DuckDB both read it

# The event fields reports read, as ECS paths with their types: the one place they are named. The DuckDB
# reader below and the Spark engine (report/spark_engine.py) both derive what they read from this table.
# The person's group is read through GROUP_FIELD and group_sql() (spark_engine.group_column() likewise): ECS
# `user.group.name` (an object); files written before issue 11 carry a plain string, so the field is read as
# JSON and both shapes give the name.
GROUP_FIELD = "user.group"
FIELDS: dict[str, str] = {
    "@timestamp": "TIMESTAMP",
    "user.name": "VARCHAR",
    GROUP_FIELD: "JSON",
    "url.domain": "VARCHAR",
    "url.path": "VARCHAR",
    "http.request.method": "VARCHAR",
    "socialguard.platform": "VARCHAR",
    "socialguard.category": "VARCHAR",
    "socialguard.background": "BOOLEAN",
    "socialguard.rule": "VARCHAR",
    "socialguard.guideline": "VARCHAR",
    "socialguard.finding.kind": "VARCHAR",
    "socialguard.finding.name": "VARCHAR",
    "event.action": "VARCHAR",
}
# The report columns (what the per-day Parquet files hold), each from the ECS path(s) above.
# A flag's identity (`flag_key`) is what two proxies that saw the same request would both write: who, when,
# the rule and finding, and the request line; `observer.name` and `event.id` differ between nodes and are
# deliberately left out.
FLAG_KEY_FIELDS = ("socialguard.rule", "socialguard.finding.kind", "socialguard.finding.name",
                   "http.request.method", "url.domain", "url.path")
ACTIONS = ("social.activity", "social.flag")
REPORT_COLUMNS = ("ts", "user", "grp", "platform", "background", "category", "action", "guideline", "flag_key")
CACHE_VERSION = 2            # bumped when the report columns change (2: socialguard.category)


def _duckdb_type(tree: dict) -> str:
    return "STRUCT(" + ", ".join(f'"{k}" {v if isinstance(v, str) else _duckdb_type(v)}'
                                 for k, v in tree.items()) + ")"


def field_tree() -> dict:
    """source.FIELDS as nested dicts (ECS paths split on dots): what both engines select."""
    tree: dict = {}
    for path, kind in FIELDS.items():
        *parents, leaf = path.split(".")
        node = tree
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = kind
    return tree


def _col(path: str) -> str:
    return ".".join(f'"{p}"' for p in path.split("."))


def group_sql() -> str:
    g = _col(GROUP_FIELD)
    return f"CASE json_type({g}) WHEN 'OBJECT' THEN {g}->>'name' ELSE {g}->>'$' END"


# Only the fields reports read; DuckDB skips the rest of each line.
_COLUMNS = "{" + ", ".join(f"'{k}': '{v if isinstance(v, str) else _duckdb_type(v)}'"
                           for k, v in field_tree().items()) + "}"

# One row per activity or flag event, in REPORT_COLUMNS.
_SELECT = f"""
SELECT epoch_ms({_col("@timestamp")}) AS ts, {_col("user.name")} AS "user", {group_sql()} AS grp,
       {_col("socialguard.platform")} AS platform, coalesce({_col("socialguard.background")}, false) AS background,
       coalesce({_col("socialguard.category")}, 'personal') AS category,
       {_col("event.action")} AS action, {_col("socialguard.guideline")} AS guideline,
       CASE WHEN {_col("event.action")} = 'social.flag'
            THEN concat_ws('|', {", ".join(_col(f) for f in FLAG_KEY_FIELDS)}) END AS flag_key
FROM read_json({{files}}, format='newline_delimited', columns={_COLUMNS}, ignore_errors=true)
WHERE {_col("event.action")} IN {tuple(ACTIONS)} AND {_col("@timestamp")} IS NOT NULL
  AND {_col("user.name")} IS NOT NULL AND {_col("socialguard.platform")} IS NOT NULL
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


def cache_entry(path: Path, cache: Path) -> Path:
    """Where the Parquet copy of a day file lives: the day's partition, named after the file's name, size and
    modification time (so a file that grows or is replaced gets a new entry)."""
    st = path.stat()
    day = FILE_RE.match(path.name).group(1)
    return cache / PARTITION.format(day=day) / f"{path.name}.{st.st_size}-{st.st_mtime_ns}.v{CACHE_VERSION}.parquet"


class UnreadableFile(ValueError):
    """An event file DuckDB cannot read at all (e.g. a truncated gzip stream); single bad lines are skipped."""


def cache_file(path: Path, cache: Path, *, threads: int | None = None) -> str | None:
    """The Parquet copy of one event file, written if missing or stale; None when the cache cannot be written."""
    target = cache_entry(path, cache)
    if target.exists():
        return str(target)
    try:
        target.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
        if not os.access(target.parent, os.W_OK):
            return None
    except OSError:
        return None
    tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    select = _SELECT.replace("{files}", _sql_list([str(path)]))
    con = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        con.execute(f"COPY ({select}) TO {_sql_list([str(tmp)])[1:-1]} (FORMAT parquet, COMPRESSION zstd)")
    except duckdb.Error as e:
        tmp.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            target.parent.rmdir()           # only if empty: no partition for a day nothing could be read of
        raise UnreadableFile(f"{path}: {e}") from None
    finally:
        con.close()
    os.replace(tmp, target)
    for old in target.parent.glob(f"{path.name}.*.parquet"):
        if old != target:
            old.unlink(missing_ok=True)
    return str(target)


def cache_files(paths: list[Path], cache: Path, *, workers: int | None = None,
                progress: Callable[[Iterable], Iterable] = lambda it: it
                ) -> list[tuple[Path, str | None | UnreadableFile]]:
    """`cache_file` over many day files, several at once (DuckDB works outside the GIL; a gzipped file is read
    by one thread, so files in parallel keep every core busy). Per file: the Parquet path, None (not
    writable) or the UnreadableFile error."""
    cores = os.cpu_count() or 1
    workers = max(1, min(workers or cores, len(paths) or 1))
    threads = max(1, cores // workers)

    def one(path: Path):
        try:
            return path, cache_file(path, cache, threads=threads)
        except UnreadableFile as e:
            return path, e

    if workers == 1:
        return [one(p) for p in progress(paths)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(progress(pool.map(one, paths)))


def _parse_json(con: duckdb.DuckDBPyConnection, files: list[str], window: str) -> None:
    con.execute("DROP TABLE IF EXISTS ev")
    con.execute(f"CREATE TEMP TABLE ev AS SELECT * FROM ({_SELECT.replace('{files}', _sql_list(files))}) {window}")


def _check_json(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        con.execute(f"SELECT count(*) FROM ({_SELECT.replace('{files}', _sql_list([str(path)]))})").fetchall()
    except duckdb.Error as e:
        raise UnreadableFile(f"{path}: {e}") from None


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
    # Per request: index into policy.model.CATEGORIES (official, personal, professional); None: all personal.
    categories: np.ndarray | None = None

    def usage(self, calendar: WorkCalendar, groups: list[tuple[str, ...]], first: date, last: date, *,
              categories: tuple[str, ...] | None = None, by_category: bool = False) -> Usage:
        """The time model over these events: only the requests of `categories` (None: all); with `by_category`
        each request's category stands in for its platform (the category breakdown, `platforms` = CATEGORIES).
        An engine that keeps the events where they are (Spark) runs the same model there and overrides this."""
        req = self.requests
        codes = self.categories if self.categories is not None else \
            np.full(len(req.ts), CATEGORIES.index("personal"), dtype=np.int8)
        keep = np.ones(len(req.ts), dtype=bool) if categories is None else \
            np.isin(codes, [CATEGORIES.index(c) for c in categories])
        platform = codes.astype(np.int64) if by_category else req.platform
        chosen = Requests(req.user[keep], platform[keep], req.ts[keep], req.background[keep])
        return compute(calendar, chosen, self.users, groups, list(CATEGORIES) if by_category else self.platforms,
                       first, last)

    def present(self, begin_ms: int, end_ms: int) -> np.ndarray:
        """Per person: has any activity or flag event in [begin_ms, end_ms) (a group's size counts these)."""
        out = np.zeros(len(self.users), dtype=bool)
        ts = self.requests.ts
        out[self.requests.user[(ts >= begin_ms) & (ts < end_ms)]] = True
        for u, _g, t in self.flags:
            out[u] |= begin_ms <= t < end_ms
        return out


def load(directory: Path, first: date, last: date, begin_ms: int, end_ms: int, *,
         cache: Path | None = None, progress: Callable[[Iterable], Iterable] = lambda it: it,
         warn: Callable[[str], None] = lambda _msg: None) -> EventData:
    """Events with begin_ms <= @timestamp < end_ms from the files that can hold them. A file that cannot be
    read at all is skipped with a warning; lines that are not JSON are skipped silently."""
    parquet: list[str] = []
    json_files: list[str] = []
    files = files_for(directory, first, last)
    done = cache_files(files, cache, progress=progress) if cache is not None else [(p, None) for p in files]
    for path, cached in done:
        if isinstance(cached, UnreadableFile):
            warn(f"skipping unreadable event file {cached}")
            continue
        (parquet if cached else json_files).append(cached or str(path))
    con = duckdb.connect()
    window = f"WHERE ts >= {int(begin_ms)} AND ts < {int(end_ms)}"
    if json_files:
        # Parse the JSON once (Parquet sources are cheap to scan several times). Only when that fails are the
        # files tried one by one, to name and skip the unreadable ones.
        try:
            _parse_json(con, json_files, window)
        except duckdb.Error:
            good = []
            for f in json_files:
                try:
                    _check_json(con, Path(f))
                    good.append(f)
                except UnreadableFile as e:
                    warn(f"skipping unreadable event file {e}")
            json_files = good
            if json_files:
                _parse_json(con, json_files, window)
    if json_files:
        src = "ev"
        if parquet:
            con.execute(f"INSERT INTO ev SELECT * FROM read_parquet({_sql_list(parquet)}) {window}")
    elif parquet:
        src = f"(SELECT * FROM read_parquet({_sql_list(parquet)}) {window})"
    else:
        return load_empty()
    con.execute(f'CREATE TEMP TABLE people AS SELECT "user", arg_max(grp, ts) AS grp FROM {src} GROUP BY "user"')
    con.execute(f"CREATE TEMP TABLE plats AS SELECT DISTINCT platform FROM {src} WHERE action = 'social.activity'")
    users = con.execute('SELECT "user", grp FROM people ORDER BY "user"').fetchall()
    platforms = [r[0] for r in con.execute("SELECT platform FROM plats ORDER BY platform").fetchall()]
    if not users:
        con.close()
        return load_empty()
    # Names become dense integer codes inside DuckDB (ENUM codes follow the sorted order above).
    con.execute('CREATE TYPE user_t AS ENUM (SELECT "user" FROM people ORDER BY "user")')
    con.execute("CREATE TYPE platform_t AS ENUM (SELECT platform FROM plats ORDER BY platform)")
    arr = con.execute(f'SELECT enum_code("user"::user_t) AS u, enum_code(platform::platform_t) AS p, ts, background, '
                      f"coalesce(list_position({_sql_list(list(CATEGORIES))}, category), 0) - 1 AS c "
                      f"FROM {src} WHERE action = 'social.activity'").fetchnumpy()
    flags = con.execute(f'SELECT DISTINCT enum_code("user"::user_t), guideline, ts, flag_key FROM {src} '
                        "WHERE action = 'social.flag'").fetchall()
    con.close()
    req = Requests(np.asarray(arr["u"], dtype=np.int64), np.asarray(arr["p"], dtype=np.int64),
                   np.asarray(arr["ts"], dtype=np.int64), np.asarray(arr["background"], dtype=bool))
    # An unknown category string (-1) counts as personal, like events written before categories existed.
    cats = np.asarray(arr["c"], dtype=np.int64)
    cats[cats < 0] = CATEGORIES.index("personal")
    return EventData([u for u, _ in users], [g for _, g in users], platforms, req,
                     [(int(u), g or "?", int(ts)) for u, g, ts, _ in flags], cats.astype(np.int8))


def load_empty() -> EventData:
    z = np.zeros(0, dtype=np.int64)
    return EventData([], [], [], Requests(z, z, z, np.zeros(0, dtype=bool)), [])


def delete_older_than(directory: Path, days: int, today: date, cache: Path | None = None) -> list[Path]:
    """Retention: delete event files whose UTC day is more than `days` days ago, and their Parquet partitions
    (in `cache`, default EVENTS/.report-cache), also those whose day file is already gone."""
    if days <= 0:
        return []
    limit = today - timedelta(days=days)
    removed = []
    for day, path in event_files(directory):
        if day < limit:
            path.unlink(missing_ok=True)
            removed.append(path)
    cache = directory / CACHE_DIR if cache is None else cache
    for part in cache.glob(PARTITION.format(day="*")) if cache.is_dir() else ():
        try:
            day = date.fromisoformat(part.name.split("=", 1)[1])
        except ValueError:
            continue
        if day < limit:
            for cached in part.glob("*.parquet"):
                cached.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                part.rmdir()
    return removed
