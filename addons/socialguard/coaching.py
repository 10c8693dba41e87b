"""Coaching owed to a person after a `coach` rule fired: the banner shows it on their next eligible page.

Bounded (per person and overall) and expiring, like all state that outlives a flow.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Coaching:
    kind: str            # finding kind: marker, label, logo, profanity, internal_link, official_reply
    name: str            # finding name (e.g. protected_b), never the matched content
    guideline: str       # guideline section to explain
    platform: str
    at: float


class CoachingQueue:
    def __init__(self, max_users: int = 50_000, per_user: int = 5, ttl: float = 7 * 24 * 3600):
        self._items: OrderedDict[str, list[Coaching]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_users, self.per_user, self.ttl = max_users, per_user, ttl

    def add(self, user: str, item: Coaching) -> None:
        with self._lock:
            items = self._items.setdefault(user, [])
            self._items.move_to_end(user)
            items.append(item)
            del items[:-self.per_user]
            while len(self._items) > self.max_users:
                self._items.popitem(last=False)

    def pop(self, user: str, now: float | None = None) -> list[Coaching]:
        """Everything pending for `user` that has not expired; it is shown once."""
        now = time.time() if now is None else now
        with self._lock:
            items = self._items.pop(user, [])
        return [i for i in items if now - i.at <= self.ttl]

    def peek(self, user: str) -> list[Coaching]:
        with self._lock:
            return list(self._items.get(user, ()))
