"""socialguard convert: closed day files of events -> Parquet partitions for reports. See docs/scale.md."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path


def add_parser(sub, name):
    p = sub.add_parser(name, help="convert closed day files of events into Parquet partitions for reports")
    p.add_argument("--events", required=True, help="directory of events-YYYY-MM-DD.jsonl[.gz] files")
    p.add_argument("--cache-dir", help="where the date=YYYY-MM-DD partitions go (default: EVENTS/.report-cache)")
    p.add_argument("--include-today", action="store_true",
                   help="also today's file (still growing: converted again when it changes)")
    p.add_argument("--workers", type=int, help="files converted at once (default: one per core)")
    return p


def main(args) -> int:
    from ..report import parquet, source

    events = Path(args.events)
    if not events.is_dir():
        print(f"socialguard convert: {events}: no such directory", file=sys.stderr)
        return 1
    if args.workers is not None and args.workers < 1:
        print("socialguard convert: --workers must be at least 1", file=sys.stderr)
        return 2
    cache = Path(args.cache_dir) if args.cache_dir else events / source.CACHE_DIR
    done = parquet.convert(events, cache, datetime.now(timezone.utc).date(), include_open=args.include_today,
                           workers=args.workers)
    for msg in done.unreadable:
        print(f"socialguard convert: unreadable event file {msg}", file=sys.stderr)
    for path in done.unwritable:
        print(f"socialguard convert: cannot write the partition of {path} under {cache}", file=sys.stderr)
    print(f"socialguard convert: {len(done.written)} written, {len(done.fresh)} already converted, "
          f"{len(done.open_days)} open (today's) left as JSON, {len(done.unreadable)} unreadable, "
          f"{len(done.unwritable)} not writable; partitions in {cache}", file=sys.stderr)
    return 1 if done.unreadable or done.unwritable else 0
