"""Helpers for working-time tests: local wall-clock instants and policy folders with a custom worktime.yaml."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from support.proxies import ROOT

TORONTO = ZoneInfo("America/Toronto")
WEDNESDAY = date(2026, 11, 25)  # an ordinary working day


def at(h: int, m: int, s: int = 0, day: date = WEDNESDAY) -> float:
    """Seconds since the epoch of a Toronto wall-clock time."""
    return datetime(day.year, day.month, day.day, h, m, s, tzinfo=TORONTO).timestamp()


def policy_copy(target: Path, **files: str) -> Path:
    """The shipped policy copied to `target`, with some files replaced (name without .yaml -> text)."""
    shutil.copytree(ROOT / "policy", target)
    for name, text in files.items():
        (target / f"{name}.yaml").write_text(text, encoding="utf-8")
    return target
