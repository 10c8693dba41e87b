"""Live per-person usage for the banner's meter.

Interface stub: the working-time part replaces the body with the real time model (sessions, union,
working windows); callers rely only on `record` and `working_minutes_today`.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any


class LiveUsage:
    def __init__(self, worktime: Any = None):
        self.worktime = worktime
        self._requests: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self._lock = threading.Lock()

    def record(self, user: str, platform: str, timestamp: float, background: bool) -> None:
        """One classified request; background ones never count."""
        if background:
            return
        with self._lock:
            self._requests[user].append((timestamp, platform))

    def working_minutes_today(self, user: str, now: float) -> float:
        """Minutes of social media use today inside working windows (stub: 0 until the time model lands)."""
        return 0.0
