"""What the proxy remembers between pages: when each person last saw a banner on each platform, what
they dismissed, and where their rotation over the messages stands.

Kept by the proxy, not by page cookies (sites and users clear those). Bounded (least recently used
entries go first) and expiring (an entry older than the longest window it serves is as good as absent).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(slots=True)
class _Entry:
    shown_at: float | None = None
    dismissed_at: float | None = None


class BannerState:
    def __init__(self, max_entries: int = 200_000, max_age: float = 7 * 24 * 3600):
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._rotation: OrderedDict[str, int] = OrderedDict()
        self._posted: OrderedDict[str, float] = OrderedDict()     # person -> last post not yet reminded of
        self._lock = threading.Lock()
        self.max_entries, self.max_age = max_entries, max_age

    def __len__(self) -> int:
        return len(self._entries)

    def _touch(self, key: tuple[str, str]) -> _Entry:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return entry

    def due(self, user: str, platform: str, now: float, every: float, dismiss_for: float) -> bool:
        """May this person see a reminder on this platform now?"""
        with self._lock:
            entry = self._entries.get((user, platform))
            if entry is None:
                return True
            if entry.dismissed_at is not None and now - entry.dismissed_at < min(dismiss_for, self.max_age):
                return False
            return entry.shown_at is None or not (now - entry.shown_at < min(every, self.max_age))

    def shown(self, user: str, platform: str, now: float, rotation_size: int, advance: bool = True) -> int:
        """Record a reminder shown; returns the index of the message to show (rotating per person).
        `advance=False`: a reminder outside the rotation (after a post) was shown; the rotation stays."""
        with self._lock:
            self._touch((user, platform)).shown_at = now
            index = self._rotation.pop(user, -1) + (1 if advance else 0)
            self._rotation[user] = index % max(rotation_size, 1)
            while len(self._rotation) > self.max_entries:
                self._rotation.popitem(last=False)
            return self._rotation[user]

    def dismissed(self, user: str, platform: str, now: float) -> None:
        with self._lock:
            self._touch((user, platform)).dismissed_at = now

    def posted(self, user: str, now: float) -> None:
        """The person posted, commented or uploaded: the next reminder they get is the after-post one."""
        with self._lock:
            self._posted.pop(user, None)
            self._posted[user] = now
            while len(self._posted) > self.max_entries:
                self._posted.popitem(last=False)

    def take_posted(self, user: str, now: float) -> bool:
        """Whether an after-post reminder is owed (a post within max_age); owed once."""
        with self._lock:
            at = self._posted.pop(user, None)
        return at is not None and now - at < self.max_age
