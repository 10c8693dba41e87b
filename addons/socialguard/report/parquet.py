"""Closed day files -> Parquet partitions holding only the report columns, so that a month's report (DuckDB or
Spark) reads a few hundred MB of columns instead of parsing GBs of JSON.

A day file is closed once its UTC day is over (the proxy writes `events-YYYY-MM-DD.jsonl` for the current UTC
day only). The nightly step (deploy/report/socialguard-convert.timer) converts yesterday's files shortly after
UTC midnight; the report itself converts what is still missing, the same way (source.cache_files).

    socialguard convert --events DIR [--cache-dir DIR] [--include-today]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .source import UnreadableFile, cache_entry, cache_files, event_files


@dataclass
class Converted:
    written: list[Path] = field(default_factory=list)       # Parquet files written by this run
    fresh: list[Path] = field(default_factory=list)          # already converted (same size and mtime)
    unreadable: list[str] = field(default_factory=list)      # day files DuckDB could not read at all
    unwritable: list[Path] = field(default_factory=list)     # day files whose partition could not be written
    open_days: list[Path] = field(default_factory=list)      # today's files, still being written: left as JSON


def closed_files(directory: Path, today_utc: date) -> tuple[list[Path], list[Path]]:
    """(closed day files, open ones): a file of a UTC day before `today_utc` is no longer written to."""
    closed, still_open = [], []
    for day, path in event_files(directory):
        (closed if day < today_utc else still_open).append(path)
    return closed, still_open


def convert(directory: Path, cache: Path, today_utc: date, *, include_open: bool = False,
            workers: int | None = None, progress: Callable[[Iterable], Iterable] = lambda it: it) -> Converted:
    closed, still_open = closed_files(directory, today_utc)
    todo = closed + still_open if include_open else closed
    out = Converted(open_days=[] if include_open else still_open)
    before = {p: cache_entry(p, cache).exists() for p in todo}
    for path, result in cache_files(todo, cache, workers=workers, progress=progress):
        if isinstance(result, UnreadableFile):
            out.unreadable.append(str(result))
        elif result is None:
            out.unwritable.append(path)
        elif before[path]:
            out.fresh.append(Path(result))
        else:
            out.written.append(Path(result))
    return out
